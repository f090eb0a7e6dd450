"""Every CSV and XLSX the portal writes neutralises text that a spreadsheet would run as a
formula, and keeps numbers as numbers: the shared helper, then each export read back."""

import csv
import dataclasses
import datetime
import io
import pathlib
import re
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from ncm_portal import exports

DANGEROUS = [
    "=1+2",
    "+1+2",
    "-1+2",
    "@SUM(A1)",
    "\t1",
    "\r1",
    "\uff1d1+2",
    "\uff0bA1",
    "\uff0d1+2",
    "\uff20SUM(A1)",
    " =1+2",
    "\ufe661+2",
]


def csv_rows(response) -> list[list[str]]:
    content = b"".join(response.streaming_content) if response.streaming else response.content
    return list(csv.reader(io.StringIO(content.decode("utf-8-sig"))))


def xlsx_rows(response, sheet=None) -> list[tuple]:
    workbook = load_workbook(io.BytesIO(response.content))
    return list((workbook[sheet] if sheet else workbook.active).iter_rows(values_only=True))


# --- The helper -------------------------------------------------------------------------------


@pytest.mark.parametrize("text", DANGEROUS)
def test_text_that_starts_a_formula_gets_an_apostrophe(text):
    assert exports.cell(text) == "'" + text
    assert exports.csv_row([text]) == ["'" + text]


@pytest.mark.parametrize(
    ("text", "written"),
    [
        ("x;=1+1;y", "x;'=1+1;y"),
        ("x,=1+1", "x,'=1+1"),
        ("a; -5 tonnes", "a; '-5 tonnes"),
        ("x\t@SUM(A1)", "x\t'@SUM(A1)"),
        ("line\n+1", "line\n'+1"),
        ("x;\uff1d1+1", "x;'\uff1d1+1"),
        ("\t=1", "'\t'=1"),
        ("CFC-11; HCFC-22, R-410A", "CFC-11; HCFC-22, R-410A"),
    ],
)
def test_in_csv_every_piece_after_a_separator_is_neutralised(text, written):
    """Excel with a ';' list separator (French, Spanish, Russian settings) splits the cell."""
    assert exports.csv_row([text]) == [written]


def test_numbers_booleans_and_dates_stay_what_they_are():
    moment = datetime.datetime(2026, 3, 1, 9, 30, tzinfo=datetime.UTC)
    values = [-1, -2.5, Decimal("-3.25"), True, datetime.date(2026, 1, 2), moment, None, "ok"]
    cells = exports.row(values)
    assert cells[:5] == [-1, -2.5, Decimal("-3.25"), True, datetime.date(2026, 1, 2)]
    assert cells[5] == moment.replace(tzinfo=None) and cells[5].tzinfo is None
    assert cells[6:] == [None, "ok"]
    assert exports.csv_row([None, -1]) == ["", -1]
    # Lists and mappings become JSON text, neutralised like any text.
    assert exports.cell(["-1", 2]) == '["-1", 2]'
    assert exports.cell({"a": 1}) == '{"a": 1}'


def test_an_xlsx_keeps_negative_numbers_as_numbers_and_neutralises_text():
    response = exports.xlsx_response(
        "t.xlsx", "Sheet", ["=header", "n"], [["-1+2", -5], ["@x", Decimal("-0.5")]]
    )
    rows = xlsx_rows(response)
    assert rows == [("'=header", "n"), ("'-1+2", -5), ("'@x", -0.5)]
    workbook = load_workbook(io.BytesIO(response.content))
    assert workbook.active["B2"].data_type == "n" and workbook.active["A2"].data_type == "s"
    assert response["Content-Disposition"] == 'attachment; filename="t.xlsx"'


def test_a_streamed_csv_neutralises_every_row():
    response = exports.csv_streaming_response("r.csv", [["h", "=h"], ["-1+2", -1], ["\t=1", "x"]])
    assert csv_rows(response) == [["h", "'=h"], ["'-1+2", "-1"], ["'\t'=1", "x"]]


def test_every_export_goes_through_the_shared_helper():
    """No module writes CSV or XLSX for people except ncm_portal/exports.py. The ingest's COPY
    buffers (read only by PostgreSQL) and the demo's input files are the known exceptions."""
    root = pathlib.Path(__file__).resolve().parents[2]
    allowed = {
        "ncm_portal/exports.py",
        "inventories/services/ingest.py",  # rows streamed into PostgreSQL COPY
        "inventories/demo.py",  # the demo's uploaded files, read back by the ingest
    }
    pattern = re.compile(r"csv\.(writer|DictWriter)\(|\bWorkbook\(|from openpyxl import Workbook")
    offenders = []
    for app in ("ncm_portal", "coordination", "inventories", "reporting", "nip_lifecycle"):
        for path in (root / app).rglob("*.py"):
            relative = path.relative_to(root).as_posix()
            if relative not in allowed and pattern.search(path.read_text(encoding="utf-8")):
                offenders.append(relative)
    assert offenders == []


# --- Workplans --------------------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_the_workplan_export_keeps_budgets_as_numbers(client, secretariat, fmt):
    from coordination.models import Task
    from tests.factories import BodyFactory, InstitutionFactory, workplan_with_task

    workplan, task = workplan_with_task(
        body=BodyFactory(),
        lead=InstitutionFactory(),
        due=timezone.localdate() + datetime.timedelta(days=30),
    )
    Task.objects.filter(pk=task.pk).update(title="-1+2", budget_amount=Decimal("1500.50"))
    client.force_login(secretariat)
    response = client.get(reverse("coordination:workplan-export", args=[workplan.pk, fmt]))
    rows = csv_rows(response) if fmt == "csv" else xlsx_rows(response)
    header, first = rows[0], rows[1]
    assert "'-1+2" in first
    budget = first[list(header).index("Budget")]
    assert budget == ("1500.50" if fmt == "csv" else 1500.5)


# --- Dataset templates ------------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize("dataset_type", ["customs", "monitoring", "pcb", "upops"])
def test_dataset_templates_neutralise_text(client, viewer, dataset_type, monkeypatch):
    from inventories.schemas import SCHEMAS

    schema = SCHEMAS[dataset_type]
    first = list(schema.example_rows[0])
    first[0] = "=cmd|' /C calc'!A0"
    changed = dataclasses.replace(schema, example_rows=(tuple(first), *schema.example_rows[1:]))
    monkeypatch.setitem(SCHEMAS, dataset_type, changed)
    client.force_login(viewer)
    for fmt in ("csv", "xlsx"):
        response = client.get(reverse("inventories:type-template", args=[dataset_type, fmt]))
        rows = csv_rows(response) if fmt == "csv" else xlsx_rows(response)
        assert rows[1][0] == "'=cmd|' /C calc'!A0"
        cells = [str(c) for row in rows for c in row if c is not None]
        assert not any(c.startswith(tuple(exports.DANGEROUS_PREFIXES)) for c in cells)


# --- Rejected rows ----------------------------------------------------------------------------


@pytest.mark.django_db
def test_rejected_rows_come_back_neutralised(client, focal_point, institution):
    from tests.inventories.helpers import csv_bytes, customs_row, receive

    rows = [
        customs_row(1),
        customs_row(2, net_mass_kg="=1+2"),
        customs_row(3, net_mass_kg="-4", trader="@SUM(A1)"),
    ]
    version = receive(focal_point, institution, csv_bytes(rows))
    assert version.rows_rejected == 2, version.error
    client.force_login(focal_point)
    response = client.get(reverse("inventories:version-rejected", args=[version.pk]))
    assert response["Content-Disposition"].endswith('-rejected.csv"')
    lines = csv_rows(response)
    header = lines[0]
    cells = {(line[0], name): value for line in lines[1:] for name, value in zip(header, line)}
    assert cells[("3", "net_mass_kg")] == "'=1+2"
    assert cells[("4", "net_mass_kg")] == "'-4" and cells[("4", "trader")] == "'@SUM(A1)"
    assert not any(c.startswith(tuple(exports.DANGEROUS_PREFIXES)) for c in sum(lines, []))
