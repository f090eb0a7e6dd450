"""Secret votes stored one row per vote before the counters existed become counters, and the
per-vote rows go."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

BEFORE = [("coordination", "0011_languages_chinese")]
AFTER = [("coordination", "0013_secret_votes_dropped")]


@pytest.mark.django_db(transaction=True)
def test_secret_votes_become_counters_and_their_rows_go():
    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE)
    old = executor.loader.project_state(BEFORE).apps
    Body = old.get_model("coordination", "Body")
    Ballot = old.get_model("coordination", "Ballot")
    BallotOption = old.get_model("coordination", "BallotOption")
    Elector = old.get_model("coordination", "Elector")
    Institution = old.get_model("coordination", "Institution")
    Person = old.get_model("coordination", "Person")
    Participation = old.get_model("coordination", "Participation")
    SecretVote = old.get_model("coordination", "SecretVote")

    body = Body.objects.create(name="Steering Committee", kind="steering")
    ballot = Ballot.objects.create(
        body=body, question="Elect the chair?", secret=True, results_while_open=True, status="open"
    )
    options = {
        code: BallotOption.objects.create(ballot=ballot, order=i, code=code, label=code)
        for i, code in enumerate(["yes", "no", "abstain"], start=1)
    }
    choices = ["yes", "no", "yes"]
    for i, code in enumerate(choices):
        institution = Institution.objects.create(name=f"Member {i}", acronym=f"M{i}")
        person = Person.objects.create(name=f"P{i}", institution=institution)
        elector = Elector.objects.create(ballot=ballot, institution=institution)
        Participation.objects.create(ballot=ballot, elector=elector, cast_by=person)
        SecretVote.objects.create(ballot=ballot, option=options[code], receipt=f"R-{i}")

    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(AFTER)
    new = executor.loader.project_state(AFTER).apps
    SecretTally = new.get_model("coordination", "SecretTally")
    counts = dict(
        SecretTally.objects.filter(ballot_id=ballot.pk).values_list("option__code", "votes")
    )
    assert counts == {"yes": 2, "no": 1, "abstain": 0}
    migrated = new.get_model("coordination", "Participation").objects.filter(ballot_id=ballot.pk)
    assert sorted(migrated.values_list("receipt", flat=True)) == ["R-0", "R-1", "R-2"]
    assert (
        new.get_model("coordination", "Ballot").objects.get(pk=ballot.pk).results_while_open
        is False
    )
    assert "coordination_secretvote" not in connection.introspection.table_names()

    # Leave the database at the newest state for the tests that follow.
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(executor.loader.graph.leaf_nodes())
