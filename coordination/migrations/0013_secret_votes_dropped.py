from django.db import migrations, models


class Migration(migrations.Migration):
    """Once the counters hold them, the per-vote rows of secret ballots go."""

    dependencies = [
        ("coordination", "0012_secret_ballot_counters"),
    ]

    operations = [
        migrations.AddConstraint(
            model_name="ballot",
            constraint=models.CheckConstraint(
                condition=models.Q(("results_while_open", True), ("secret", True), _negated=True),
                name="ballot_secret_result_at_close",
            ),
        ),
        migrations.DeleteModel(name="SecretVote"),
    ]
