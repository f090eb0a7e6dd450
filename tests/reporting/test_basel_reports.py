"""Basel annual reports on the national reports machinery: one round per calendar year dated
from the obligations register, the structure as data marked unconfirmed, the tables of exports
and imports prefilled from the accepted movements datasets with every movement counted once and
traced to its row, and approval by the Basel focal point alone."""

import datetime
import json
from decimal import Decimal
from pathlib import Path

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from inventories.models import BaselMovementRecord, Dataset, DatasetVersion
from reporting import prefill_basel
from reporting.models import Answer, Question, Report, Round
from reporting.reference import UNCONFIRMED
from reporting.services import article15 as services
from tests.factories import (
    DesignationFactory,
    InstitutionFactory,
    PersonFactory,
    UserFactory,
    convention_role,
)
from tests.reporting.test_national_reports import _accept_everything, _designated

pytestmark = pytest.mark.django_db

D = datetime.date
Review = DatasetVersion.Review
REGISTER = Path(__file__).resolve().parents[2] / "reporting" / "reference" / "obligations.json"

# (shipped on, waste code, quantity t, export, transit, import, operation)
MOVEMENTS = [
    (D(2025, 2, 1), "Y8", "10.5", "VR", "", "DE", "R9"),
    (D(2025, 3, 1), "y8", "4.25", "VR", "FR", "DE", "R9"),  # same row as the first
    (D(2025, 4, 1), "A1180", "12", "VR", "FR, BE", "NL", "R4"),
    (D(2025, 5, 1), "Y8", "3", "VR", "", "NL", "R9"),  # another State of import
    (D(2025, 6, 1), "Y18", "7", "DE", "", "VR", "D10"),  # an import
    (D(2025, 7, 1), "B1010", "20", "AL", "", "VR", "R4"),
    (D(2025, 8, 1), "Y8", "99", "DE", "VR", "FR"),  # through the Party only: in neither table
    (D(2024, 12, 31), "Y8", "50", "VR", "", "DE", "R9"),  # another year
]


def load_movements(movements, *, accepted=True, year=2025):
    dataset = Dataset.objects.create(
        institution=InstitutionFactory(),
        dataset_type="basel_movements",
        period_start=D(year - 1, 1, 1),
        period_end=D(year, 12, 31),
    )
    version = DatasetVersion.objects.create(
        dataset=dataset,
        number=1,
        raw_file="datasets/raw/test",
        sha256="b5" * 32,
        size=1,
        original_name="movements.csv",
        status=DatasetVersion.Status.VALIDATED,
        review_status=Review.ACCEPTED if accepted else Review.SUBMITTED,
    )
    records = []
    for number, row in enumerate(movements, 2):
        shipped, code, tonnes, export, transit, import_, *operation = row
        records.append(
            BaselMovementRecord(
                version=version,
                row_number=number,
                notification_number=f"N-{number}",
                movement_document_number=f"N-{number}/1",
                waste_code=code,
                quantity_t=Decimal(tonnes),
                export_country=export,
                transit_countries=transit,
                import_country=import_,
                operation=(operation or ["R1"])[0],
                shipped_on=shipped,
            )
        )
    BaselMovementRecord.objects.bulk_create(records)
    version.rows_accepted = len(records)
    version.save(update_fields=["rows_accepted"])
    if accepted:
        dataset.accepted_version = version
        dataset.save(update_fields=["accepted_version"])
    return version


def _basel(number: int) -> Round:
    return Round.objects.get(convention="basel", number=number)


# --- Rounds and structure ----------------------------------------------------------------------


def test_each_year_is_a_round_due_at_the_end_of_the_following_year_as_the_register_says():
    register = json.loads(REGISTER.read_text(encoding="utf-8"))
    entry = next(o for o in register["obligations"] if o["code"] == "basel-annual-report")
    round_ = _basel(2025)
    assert (round_.period_start, round_.period_end) == (D(2025, 1, 1), D(2025, 12, 31))
    assert round_.deadline == D(2026, entry["due_month"], entry["due_day"])
    assert round_.report_name == "Basel annual report"
    questions = Question.objects.filter(section__round=round_)
    assert questions.get(code="II-1").prefill == Question.Prefill.BASEL_EXPORTS
    assert questions.get(code="II-2").prefill == Question.Prefill.BASEL_IMPORTS
    assert all(UNCONFIRMED in q.help for q in questions)


# --- Prefill -----------------------------------------------------------------------------------


def test_the_tables_add_up_to_the_accepted_movements_each_counted_once(settings):
    settings.NCM_COUNTRY_CODE = "VR"
    version = load_movements(MOVEMENTS)
    load_movements([(D(2025, 2, 1), "Y8", "1000", "VR", "", "DE", "R9")], accepted=False)
    round_ = _basel(2025)
    exports, sources = prefill_basel.movement_rows(round_, "export")
    imports, _ = prefill_basel.movement_rows(round_, "import")
    assert [
        (r["waste_code"], r["operation"], r["country"], r["quantity_t"], r["movements"])
        for r in exports
    ] == [
        ("A1180", "R4", "NL", 12, 1),
        ("Y8", "R9", "DE", 14.75, 2),
        ("Y8", "R9", "NL", 3, 1),
    ]
    assert exports[1]["transit"] == "FR" and exports[0]["transit"] == "BE, FR"
    assert prefill_basel.total_tonnes(exports) == pytest.approx(10.5 + 4.25 + 12 + 3)
    assert prefill_basel.total_tonnes(imports) == pytest.approx(7 + 20)
    # Each accepted movement of the year to or from the Party is behind exactly one table row.
    traced = [
        (ref["dataset_version"], n)
        for r in exports + imports
        for ref in r["row_refs"]
        for n in ref["rows"]
    ]
    assert sorted(traced) == [(version.pk, n) for n in (2, 3, 4, 5, 6, 7)]
    assert exports[1]["rows"] == f"v{version.pk}: 2, 3"
    assert [s["dataset_version"] for s in sources] == [version.pk]


def test_a_basel_report_is_prefilled_with_its_tables_and_their_sources(secretariat):
    version = load_movements(MOVEMENTS)
    report = services.report_start(round=_basel(2025), actor=secretariat)
    exports = Answer.objects.get(report=report, question__code="II-1")
    imports = Answer.objects.get(report=report, question__code="II-2")
    assert sum(r["quantity_t"] for r in exports.prefilled["rows"]) == pytest.approx(29.75)
    assert {r["country"] for r in imports.prefilled["rows"]} == {"DE", "AL"}
    assert "row_refs" not in exports.prefilled["rows"][0]
    assert exports.prefilled["rows"][0]["rows"].startswith(f"v{version.pk}:")
    assert [s["dataset_version"] for s in exports.sources] == [version.pk]
    empty = services.report_start(round=_basel(2023), actor=secretariat)
    assert Answer.objects.get(report=empty, question__code="II-1").prefilled is None


# --- Approval and permissions ------------------------------------------------------------------


def test_only_the_basel_focal_point_approves_a_basel_report(secretariat):
    basel_focal = _designated("basel", "focal-point", "basel@ncm.test")
    stockholm_ocp = _designated("stockholm", "official-contact-point", "ocp@ncm.test")
    minamata_nfp = _designated("minamata", "national-focal-point", "hg@ncm.test")
    authority = _designated("basel", "competent-authority", "ca@ncm.test")
    report = services.report_start(round=_basel(2025), actor=secretariat)
    _accept_everything(report, secretariat)
    for outsider in (stockholm_ocp, minamata_nfp, authority, secretariat):
        with pytest.raises(PermissionDenied):
            services.report_approve(report=report, actor=outsider)
    approved = services.report_approve(report=report, actor=basel_focal)
    assert approved.status == Report.Status.APPROVED and approved.approved_by == basel_focal


def test_the_basel_pages_from_outside(client, secretariat):
    listing = reverse("reporting:national-report-list", args=["basel"])
    start = reverse("reporting:national-report-start", args=["basel", 2025])
    assert client.get(listing).status_code == 302  # anonymous: to the login page
    assert client.post(start).status_code == 302
    assert not Report.objects.exists()
    member = UserFactory(email="member@ncm.test", role="member")
    person = PersonFactory(institution=InstitutionFactory(), user=member)
    DesignationFactory(
        person=person,
        kind="convention",
        convention_role=convention_role("minamata", "national-focal-point"),
    )
    client.force_login(member)
    assert client.get(listing).status_code == 200
    assert client.post(start).status_code == 403
    assert not Report.objects.exists()
    client.force_login(secretariat)
    page = client.get(listing).content.decode()
    assert "Basel Convention, Article 13(3)" in page and "Annual report for 2025" in page
    client.post(start)
    report = Report.objects.get(round=_basel(2025))
    detail = client.get(report.get_absolute_url()).content.decode()
    assert "focal point of the Basel Convention" in detail
    client.force_login(member)
    approve = client.post(reverse("reporting:article15-approve", args=[report.pk]))
    assert approve.status_code in (302, 403)
    report.refresh_from_db()
    assert report.status != Report.Status.APPROVED


# --- Outputs -----------------------------------------------------------------------------------


def test_the_outputs_carry_the_prefilled_tables(secretariat, django_capture_on_commit_callbacks):
    from openpyxl import load_workbook

    from reporting.models import ReportOutput
    from reporting.services import outputs

    load_movements(MOVEMENTS)
    report = services.report_start(round=_basel(2025), actor=secretariat)
    files = {}
    for kind in ("json", "xlsx", "pdf"):
        with django_capture_on_commit_callbacks(execute=True):
            output = outputs.output_request(report=report, kind=kind, actor=secretariat)
        output.refresh_from_db()
        assert output.status == ReportOutput.Status.READY, output.error
        files[kind] = output.file.read()
    data = json.loads(files["json"])
    questions = {q["code"]: q for p in data["parts"] for s in p["sections"] for q in s["questions"]}
    assert sum(r["quantity_t"] for r in questions["II-1"]["rows"]) == pytest.approx(29.75)
    workbook = load_workbook(__import__("io").BytesIO(files["xlsx"]))
    cells = {str(c.value) for sheet in workbook for row in sheet.iter_rows() for c in row}
    assert "A1180" in cells
    assert files["pdf"].startswith(b"%PDF")
