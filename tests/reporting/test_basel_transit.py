"""The Basel annual report's table of movements through the Party only, and the links from every
Basel table row to the dataset rows behind it: exports, imports and transit movements account
for every accepted movement of the year exactly once, the rows a link lists add up to the figure
shown, and a person who may not see the dataset gets no link and a 403."""

import datetime
import io
import json
import re
from decimal import Decimal
from urllib.parse import urlencode

import pytest
from django.urls import reverse

from reporting import prefill_basel
from reporting.models import Answer, Question, Section
from reporting.selectors import row_references
from reporting.services import article15 as services
from tests.factories import InstitutionFactory, PersonFactory, UserFactory
from tests.reporting.test_basel_reports import MOVEMENTS, _basel, load_movements

pytestmark = pytest.mark.django_db

D = datetime.date

# Through the Party only, in the year: two to the same States (one row), one to others.
TRANSIT = [
    (D(2025, 9, 1), "A1180", "5", "DE", "VR, AT", "IT", "R4"),
    (D(2025, 10, 1), "a1180", "2.5", "DE", "VR", "IT", "R4"),
    (D(2025, 11, 1), "Y48", "8", "FR", "VR", "AL", "R3"),
    (D(2024, 11, 1), "Y48", "40", "FR", "VR", "AL", "R3"),  # another year
]


def _traced(rows):
    return [(ref["dataset_version"], n) for r in rows for ref in r["row_refs"] for n in ref["rows"]]


def test_exports_imports_and_transit_account_for_every_accepted_movement_once(settings):
    settings.NCM_COUNTRY_CODE = "VR"
    first = load_movements(MOVEMENTS)
    second = load_movements(TRANSIT)
    load_movements([(D(2025, 2, 1), "Y8", "1000", "DE", "VR", "FR", "R9")], accepted=False)
    round_ = _basel(2025)
    tables = {flow: prefill_basel.movement_rows(round_, flow)[0] for flow in prefill_basel.FLOWS}

    from inventories.models import BaselMovementRecord
    from inventories.selectors_data import accepted_version_ids

    in_year = BaselMovementRecord.objects.filter(
        version_id__in=accepted_version_ids("basel_movements"), shipped_on__year=2025
    )
    every = sorted(in_year.values_list("version_id", "row_number"))
    traced = [ref for rows in tables.values() for ref in _traced(rows)]
    assert sorted(traced) == every  # each once: no movement lost, none counted twice
    assert len(set(traced)) == len(traced)
    tonnes = sum(r.quantity_t for r in in_year)
    assert sum(prefill_basel.total_tonnes(rows) for rows in tables.values()) == pytest.approx(
        float(tonnes)
    )
    transit = tables["transit"]
    assert [
        (r["waste_code"], r["export_country"], r["import_country"], r["quantity_t"], r["movements"])
        for r in transit
    ] == [("A1180", "DE", "IT", 7.5, 2), ("Y48", "FR", "AL", 8, 1), ("Y8", "DE", "FR", 99, 1)]
    assert transit[0]["transit"] == "AT"  # the Party itself is not among the other States
    assert transit[2]["rows"] == f"v{first.pk}: 8"
    assert transit[0]["rows"] == f"v{second.pk}: 2, 3"


def test_the_transit_table_is_in_the_structure_the_report_and_its_outputs(
    secretariat, django_capture_on_commit_callbacks
):
    from openpyxl import load_workbook

    from reporting.models import ReportOutput
    from reporting.services import outputs

    load_movements(TRANSIT)
    round_ = _basel(2025)
    question = Question.objects.get(section__round=round_, code="II-2T")
    assert question.prefill == Question.Prefill.BASEL_TRANSIT
    assert question.section.code == "II-A"
    codes = list(question.section.questions.order_by("order").values_list("code", flat=True))
    assert codes[:3] == ["II-1", "II-2", "II-2T"]
    report = services.report_start(round=round_, actor=secretariat)
    answer = Answer.objects.get(report=report, question=question)
    assert sum(r["quantity_t"] for r in answer.prefilled["rows"]) == pytest.approx(15.5)
    files = {}
    for kind in ("json", "xlsx", "pdf"):
        with django_capture_on_commit_callbacks(execute=True):
            output = outputs.output_request(report=report, kind=kind, actor=secretariat)
        output.refresh_from_db()
        assert output.status == ReportOutput.Status.READY, output.error
        files[kind] = output.file.read()
    data = json.loads(files["json"])
    questions = {q["code"]: q for p in data["parts"] for s in p["sections"] for q in s["questions"]}
    assert sum(r["quantity_t"] for r in questions["II-2T"]["rows"]) == pytest.approx(15.5)
    workbook = load_workbook(io.BytesIO(files["xlsx"]))
    cells = {str(c.value) for sheet in workbook for row in sheet.iter_rows() for c in row}
    assert {"IT", "AL"} <= cells
    assert files["pdf"].startswith(b"%PDF")


def test_row_references_read_what_the_prefill_writes():
    assert row_references("v12: 2, 3; v14: 5") == [(12, [2, 3]), (14, [5])]
    assert row_references("typed by hand") == []
    assert row_references(None) == []


def _rows_page_total(client, url) -> Decimal:
    page = client.get(url)
    assert page.status_code == 200
    html = page.content.decode()
    total = html.split('id="total-quantity_t">', 1)[1].split(" ", 1)[0]
    return Decimal(total.replace(",", ""))


def test_each_figure_links_to_exactly_the_rows_it_adds_up_from(client, secretariat, settings):
    settings.NCM_COUNTRY_CODE = "VR"
    version = load_movements(MOVEMENTS + TRANSIT[:2])
    report = services.report_start(round=_basel(2025), actor=secretariat)
    section = Section.objects.get(round=report.round, code="II-A")
    url = reverse("reporting:article15-section", args=[report.pk, section.pk])
    client.force_login(secretariat)
    html = client.get(url).content.decode()
    links = [h.replace("&amp;", "&") for h in re.findall(r'href="([^"]*/rows/\?n=[^"]*)"', html)]
    answers = Answer.objects.filter(report=report, question__code__in=["II-1", "II-2", "II-2T"])
    figures = [r for a in answers for r in a.prefilled["rows"]]
    assert len(links) == len(figures) == 7  # three exports, two imports, two transit
    for row in figures:
        refs = row_references(row["rows"])
        assert [v for v, _n in refs] == [version.pk]
        numbers = ",".join(str(n) for n in refs[0][1])
        rows_url = reverse("inventories:version-rows", args=[version.pk])
        link = f"{rows_url}?{urlencode({'n': numbers})}"
        assert link in links
        assert _rows_page_total(client, link) == pytest.approx(Decimal(str(row["quantity_t"])))
        page = client.get(link).content.decode()
        assert page.count("<tr><td>") == len(refs[0][1])

    # A member of another institution reads the report, but not the dataset: no link, a 403.
    member = UserFactory(email="member@ncm.test", role="member")
    PersonFactory(institution=InstitutionFactory(), user=member)
    client.force_login(member)
    html = client.get(url).content.decode()
    assert "dataset-rows-link" not in html
    assert f"v{version.pk}: 2, 3" in html  # the rows are named, not linked
    assert client.get(links[0]).status_code == 403
    client.logout()
    assert client.get(links[0]).status_code == 302  # anonymous: to the login page
