"""A secret ballot read by whoever holds the database: every table, its system columns and the
order in which a dump writes the rows, after votes cast in a known order. Nothing may tie a voter
to a choice."""

import datetime
import io
import json

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.urls import reverse
from django.utils import timezone

from coordination.ballots import events
from coordination.models import Ballot, BallotEvent, SecretTally
from tests.coordination.test_ballots import close, open_ballot, vote
from tests.coordination.test_ballots import council as council  # noqa: F401, PLC0414 - the fixture

pytestmark = pytest.mark.django_db


def _require_postgresql():
    if connection.vendor != "postgresql":
        from tests.conftest import require_service

        require_service("PostgreSQL (DATABASE_URL)", False)


def _read_everything():
    """Every row of every table, as PostgreSQL stores it: (table, xmin, ctid, row) in the order
    of a plain SELECT, and each table's rows as COPY (what pg_dump uses) writes them."""
    rows, dumps = [], {}
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names(cursor):
            cursor.execute(f'SELECT xmin::text, ctid::text, * FROM "{table}"')  # noqa: S608
            columns = [c[0] for c in cursor.description][2:]
            for xmin, ctid, *values in cursor.fetchall():
                rows.append((table, xmin, ctid, dict(zip(columns, values, strict=True))))
            buffer = io.StringIO()
            cursor.cursor.copy_expert(f'COPY "{table}" TO STDOUT', buffer)
            dumps[table] = buffer.getvalue().splitlines()
    return rows, dumps


def _ctid_key(ctid: str) -> tuple[int, int]:
    page, offset = ctid.strip("()").split(",")
    return int(page), int(offset)


@pytest.mark.django_db(transaction=True)
def test_no_stored_artefact_links_a_voter_to_a_choice(secretariat, council):
    _require_postgresql()
    body, members = council
    ballot = open_ballot(secretariat, body, secret=True, quorum_share="0.2")
    options = list(ballot.options.order_by("order"))
    option_ids = {o.pk for o in options}
    # Each vote in its own transaction, in a known order; the last voter chooses alone.
    order = [
        (members[0][1], "yes"),
        (members[1][1], "no"),
        (members[2][1], "yes"),
        (members[3][1], "abstain"),
        (members[4][1], "no"),
    ]
    receipts = [vote(ballot, person, code)[1] for person, code in order]
    close(ballot)

    rows, dumps = _read_everything()
    ballot_rows = [r for r in rows if r[0] == Ballot._meta.db_table and r[3]["id"] == ballot.pk]
    tally_table = SecretTally._meta.db_table
    event_table = BallotEvent._meta.db_table

    # 1. Where a choice is stored: the options themselves and one counter per option, never a
    #    row per vote. No such row names a voter.
    def mentions_choice(table, record):
        if table == "coordination_ballotoption":
            return record["id"] in option_ids
        return any(c.endswith("option_id") and record[c] in option_ids for c in record)

    choice_rows = [r for r in rows if mentions_choice(r[0], r[3])]
    per_table = {}
    for table, *_rest in choice_rows:
        per_table[table] = per_table.get(table, 0) + 1
    assert per_table == {"coordination_ballotoption": len(options), tally_table: len(options)}
    voter_columns = {"elector_id", "person_id", "cast_by_id", "user_id", "institution_id"}
    for table, _xmin, _ctid, record in choice_rows:
        assert not voter_columns & set(record), f"{table} names a voter beside a choice"

    # 2. The audit chain says who voted, never what, in no event at all.
    words = {o.label for o in options} | {o.code for o in options if o.code}
    for table, _xmin, _ctid, record in rows:
        if table == event_table and record["ballot_id"] == ballot.pk:
            data = record["data"]
            data = data if isinstance(data, dict) else json.loads(data)
            assert not words & {str(v) for v in data.values()}, record

    # 3. System columns: the rows written with each vote (participation, audit event) share no
    #    transaction with any row that holds a choice; the counters all carry the close.
    voter_xmins = {
        xmin
        for table, xmin, _ctid, record in rows
        if (table == "coordination_participation" and record["ballot_id"] == ballot.pk)
        or (
            table == event_table
            and record["ballot_id"] == ballot.pk
            and record["kind"] == "vote_received"
        )
    }
    assert len(voter_xmins) == len(order)  # one transaction per vote, as intended
    choice_xmins = {xmin for _table, xmin, _ctid, _record in choice_rows}
    assert not voter_xmins & choice_xmins
    tally_xmins = {xmin for table, xmin, _c, _r in choice_rows if table == tally_table}
    assert tally_xmins == {ballot_rows[0][1]}  # the transaction that closed the ballot

    # 4. Order: the counters lie, are read and are dumped in the order of the options, whatever
    #    the votes were; nothing else holds the choices in an order of their own.
    tallies = [r for r in rows if r[0] == tally_table and r[3]["option_id"] in option_ids]
    by_ctid = [r[3]["option_id"] for r in sorted(tallies, key=lambda r: _ctid_key(r[2]))]
    as_read = [r[3]["option_id"] for r in tallies]
    as_dumped = [
        int(line.split("\t")[columns_index("option_id", tally_table)])
        for line in dumps[tally_table]
        if int(line.split("\t")[columns_index("option_id", tally_table)]) in option_ids
    ]
    in_option_order = [o.pk for o in options]
    assert by_ctid == as_read == as_dumped == in_option_order

    # What the counters say is still right, and every receipt was counted.
    result = Ballot.objects.get(pk=ballot.pk).result
    assert {c["code"]: c["votes"] for c in result["counts"]} == {"yes": 2, "no": 2, "abstain": 1}
    assert sorted(receipts) == result["receipts"]
    assert events.audit_verify(ballot) == []


def columns_index(column: str, table: str) -> int:
    with connection.cursor() as cursor:
        cursor.execute(f'SELECT * FROM "{table}" LIMIT 0')  # noqa: S608
        return [c[0] for c in cursor.description].index(column)


@pytest.mark.django_db(transaction=True)
def test_every_vote_rewrites_every_counter_of_its_ballot(secretariat, council):
    """While the ballot is open, the counters all carry the last vote's transaction, not only
    the one that was chosen."""
    _require_postgresql()
    body, members = council
    ballot = open_ballot(secretariat, body, secret=True)
    vote(ballot, members[0][1], "no")
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT DISTINCT t.xmin::text FROM coordination_secrettally t WHERE t.ballot_id = %s",
            [ballot.pk],
        )
        tally_xmins = {row[0] for row in cursor.fetchall()}
        cursor.execute(
            "SELECT xmin::text FROM coordination_participation WHERE ballot_id = %s", [ballot.pk]
        )
        participation_xmin = cursor.fetchone()[0]
    assert tally_xmins == {participation_xmin}


def test_a_secret_ballot_never_shows_results_while_open(client, secretariat, council):
    body, members = council
    with pytest.raises(ValidationError) as refused:
        open_ballot(secretariat, body, secret=True, results_while_open=True)
    assert "results_while_open" in refused.value.message_dict
    assert not Ballot.objects.filter(secret=True).exists()
    client.force_login(secretariat)
    closes = (timezone.localtime() + datetime.timedelta(days=2)).strftime("%Y-%m-%dT%H:%M")
    page = client.post(
        reverse("coordination:ballot-create", args=[body.pk]),
        {
            "question": "Elect the chair?",
            "kind": "yes_no",
            "electorate": "institutions",
            "quorum_share": "0.5",
            "majority": "simple",
            "closes_at": closes,
            "secret": "on",
            "results_while_open": "on",
        },
    )
    assert page.status_code == 200
    assert "A secret ballot shows its result only when it closes" in page.content.decode()
    assert not Ballot.objects.filter(question="Elect the chair?").exists()
    # Nor can it be written around the service; the page shows no tally while open.
    ballot = open_ballot(secretariat, body, secret=True)
    vote(ballot, members[0][1], "yes")
    with pytest.raises(IntegrityError), transaction.atomic():
        Ballot.objects.filter(pk=ballot.pk).update(results_while_open=True)
    client.force_login(members[1][1].user)
    page = client.get(ballot.get_absolute_url()).content.decode()
    assert 'id="result"' not in page
