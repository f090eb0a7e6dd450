import random

import django.db.models.deletion
from django.db import migrations, models


def secret_votes_to_counters(apps, schema_editor):
    """Each secret ballot's choices become per-option counters; the receipts stay with the
    ballot as proof of taking part, handed to its participations in a random order, so that
    nothing ties a receipt, a voter and a choice together any more."""
    Ballot = apps.get_model("coordination", "Ballot")
    SecretVote = apps.get_model("coordination", "SecretVote")
    SecretTally = apps.get_model("coordination", "SecretTally")
    Participation = apps.get_model("coordination", "Participation")
    Ballot.objects.filter(secret=True, results_while_open=True).update(results_while_open=False)
    shuffle = random.SystemRandom().shuffle
    for ballot in Ballot.objects.filter(secret=True).exclude(status__in=["draft", "scheduled"]):
        counts = {}
        receipts = []
        for option_id, receipt in SecretVote.objects.filter(ballot=ballot).values_list(
            "option_id", "receipt"
        ):
            counts[option_id] = counts.get(option_id, 0) + 1
            receipts.append(receipt)
        options = list(ballot.options.values_list("pk", flat=True))
        SecretTally.objects.bulk_create(
            [SecretTally(ballot=ballot, option_id=pk, votes=counts.get(pk, 0)) for pk in options]
        )
        participations = list(Participation.objects.filter(ballot=ballot))
        shuffle(receipts)
        shuffle(participations)
        for participation, receipt in zip(participations, receipts, strict=False):
            participation.receipt = receipt
        Participation.objects.bulk_update(participations, ["receipt"])


class Migration(migrations.Migration):
    dependencies = [
        ("contenttypes", "0002_remove_content_type_name"),
        ("coordination", "0011_languages_chinese"),
    ]

    operations = [
        migrations.CreateModel(
            name="SecretTally",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False,
                                           verbose_name="ID")),
                ("votes", models.PositiveIntegerField(default=0)),
                ("ballot", models.ForeignKey(on_delete=django.db.models.deletion.PROTECT,
                                             related_name="secret_tallies",
                                             to="coordination.ballot")),
                ("option", models.OneToOneField(on_delete=django.db.models.deletion.PROTECT,
                                                related_name="+",
                                                to="coordination.ballotoption")),
            ],
            options={
                "constraints": [
                    models.UniqueConstraint(fields=("ballot", "option"),
                                            name="secret_tally_per_option"),
                ],
            },
        ),
        migrations.AddField(
            model_name="participation",
            name="receipt",
            field=models.CharField(blank=True, default="", max_length=20),
        ),
        migrations.AlterField(
            model_name="ballot",
            name="results_while_open",
            field=models.BooleanField(
                default=False,
                help_text="Named ballots only; a secret ballot shows its result when it closes.",
                verbose_name="show results while open",
            ),
        ),
        migrations.RunPython(secret_votes_to_counters, migrations.RunPython.noop),
    ]
