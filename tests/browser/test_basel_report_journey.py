"""A Basel annual report in headless Chromium: the environment agency's focal point uploads its
movements of wastes and submits them, the secretariat accepts them and starts the report, which
is prefilled with the tables of exports, imports and transit movements, each figure linked to
the rows behind it; the focal point answers the section assigned to the agency, the secretariat
accepts it, the Basel focal point approves the report, and the PDF and the XLSX are downloaded
byte for byte."""

import datetime
import hashlib
import io
import re
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from inventories.models import DatasetVersion
from reporting.models import Answer, Report, ReportOutput, Round, Section, SectionAssignment
from reporting.services import article15 as services
from tests.browser.helpers import sign_in
from tests.factories import InstitutionFactory, UserFactory
from tests.inventories.helpers import csv_bytes
from tests.inventories.test_basel_movements import HEADER, movement
from tests.reporting.article15_helpers import focal_point_of
from tests.reporting.test_national_reports import _designated

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

YEAR = 2025  # a year the reference data holds a Basel round for, and past whatever the clock


def press(page, name):
    page.get_by_role("button", name=name, exact=True).click()


def movements_file(path):
    rows = [
        movement(1, quantity_t="10.5"),  # an export of Y8 to DE
        movement(2, quantity_t="4.25", transit_countries="FR"),  # the same row of the table
        movement(3, waste_code="A3210", import_country="NL", operation="R3", quantity_t="12"),
        movement(4, waste_code="Y18", export_country="DE", import_country="VR", operation="D10"),
        movement(5, export_country="DE", transit_countries="VR", import_country="FR"),  # transit
    ]
    for row in rows:
        row["shipped_on"], row["received_on"] = f"{YEAR}-03-04", f"{YEAR}-03-18"
    path.write_bytes(csv_bytes(rows, header=HEADER))
    return path


def download(page, kind: str) -> bytes:
    link = page.get_by_role("link", name=f"Download {kind}")
    link.wait_for()
    with page.expect_download() as event:
        link.click()
    with open(event.value.path(), "rb") as handle:
        return handle.read()


def test_a_basel_report_from_the_uploaded_movements_to_its_approval(page, settings, tmp_path):
    settings.NCM_COUNTRY_CODE = "VR"
    UserFactory(email="secretariat@ncm.test", role="secretariat")
    agency = InstitutionFactory(name="Veridia Environment Agency", acronym="VEA")
    focal_point_of(agency, "agency.focal@ncm.test")
    basel_focal = _designated("basel", "focal-point", "basel@ncm.test")

    # The agency's focal point uploads the year's movements and submits them for review.
    sign_in(page, "agency.focal@ncm.test")
    page.goto(reverse("inventories:upload"))
    page.select_option("#id_institution", str(agency.pk))
    page.select_option(
        "#id_dataset_type", label="Transboundary movements of hazardous and other wastes"
    )
    page.fill("#id_period_start", f"{YEAR}-01-01")
    page.fill("#id_period_end", f"{YEAR}-12-31")
    with page.expect_navigation():
        page.set_input_files("#id_file", str(movements_file(tmp_path / "movements.csv")))
        page.click("#submit-id-submit")
    page.wait_for_url(re.compile(r"/inventories/versions/\d+/$"))
    page.wait_for_selector("#rows-accepted")
    assert page.locator("#rows-accepted").inner_text() == "5"
    press(page, "Submit to the technical committee")
    page.wait_for_selector("#review-status")
    version = DatasetVersion.objects.get(dataset__institution=agency)

    # The secretariat accepts them, and starts the report on the year.
    sign_in(page, "secretariat@ncm.test")
    page.goto(reverse("inventories:version-detail", args=[version.pk]))
    page.locator("#review-form").get_by_role("button", name="Accept", exact=True).click()
    page.wait_for_selector("#review-status")
    version.refresh_from_db()
    assert version.review_status == DatasetVersion.Review.ACCEPTED
    page.goto(reverse("reporting:national-report-list", args=["basel"]))
    page.locator(f"#round-{YEAR}").get_by_role("button", name="Start the report").click()
    page.wait_for_selector("text=is started and prefilled")
    report = Report.objects.get(round=Round.objects.get(convention="basel", number=YEAR))
    assert page.url.endswith(report.get_absolute_url())

    # Section II-A (the movements) goes to the agency; the other sections are the secretariat's.
    page.locator("#section-II-A").get_by_role("link", name="Assign").click()
    page.select_option("#id_institution", label="Veridia Environment Agency (VEA)")
    page.fill("#id_due_on", (timezone.localdate() + datetime.timedelta(days=9)).isoformat())
    press(page, "Assign")
    page.wait_for_selector("text=Section II-A assigned to Veridia Environment Agency")
    secretariat = report.created_by
    for section in Section.objects.filter(round=report.round).exclude(code="II-A"):
        services.section_submit(report=report, section=section, actor=secretariat)
        services.section_review(report=report, section=section, action="accept", actor=secretariat)

    # The focal point sees the prefilled tables, each figure linked to the rows behind it.
    sign_in(page, "agency.focal@ncm.test")
    page.goto(report.get_absolute_url())
    page.locator("#section-II-A").get_by_role("link", name="Answer").click()
    answers = {a.question.code: a for a in Answer.objects.filter(report=report)}
    exports = page.locator(f"#question-{answers['II-1'].question_id}")
    assert "Computed by the portal" in exports.inner_text()
    assert exports.locator("a.dataset-rows-link").count() == 2  # Y8 to DE, A3210 to NL
    transit = page.locator(f"#question-{answers['II-2T'].question_id}")
    assert "FR" in transit.inner_text() and transit.locator("a.dataset-rows-link").count() == 1
    y8 = next(r for r in answers["II-1"].prefilled["rows"] if r["waste_code"] == "Y8")
    exports.locator("tr", has_text="Y8").locator("a.dataset-rows-link").click()
    page.wait_for_selector("#dataset-rows")
    assert page.locator("#dataset-rows tbody tr").count() == y8["movements"] == 2
    shown = Decimal(page.locator("#total-quantity_t").inner_text().split()[0])
    assert shown == Decimal(str(y8["quantity_t"])) == Decimal("14.75")
    page.go_back()

    # ... answers the amount of hazardous wastes generated, and submits the section.
    generated = page.locator(f"#question-{answers['II-3'].question_id}")
    generated.locator("summary").click()
    generated.locator("input[type=number]").fill("1250")
    generated.get_by_role("button", name="Save the answer to II-3").click()
    page.wait_for_selector("text=Answer to II-3 saved.")
    press(page, "Submit the section for review")
    page.wait_for_selector("text=Section II-A submitted for review.")

    # The secretariat accepts it.
    sign_in(page, "secretariat@ncm.test")
    section = Section.objects.get(round=report.round, code="II-A")
    page.goto(reverse("reporting:article15-section", args=[report.pk, section.pk]))
    page.get_by_label("Accept the section").check()
    press(page, "Record the review")
    page.wait_for_selector("text=Review of II-A recorded.")
    assert SectionAssignment.objects.get(report=report, section=section).status == "accepted"

    # The Basel focal point approves: the report is locked.
    sign_in(page, "basel@ncm.test")
    page.goto(report.get_absolute_url())
    press(page, "Approve the report")
    page.wait_for_selector("#locked-notice")
    report.refresh_from_db()
    assert report.status == Report.Status.APPROVED and report.approved_by == basel_focal

    # The PDF and the XLSX are rendered and download byte for byte.
    press(page, "Render PDF")
    pdf = download(page, "PDF")
    assert pdf.startswith(b"%PDF")
    assert (
        hashlib.sha256(pdf).hexdigest()
        == ReportOutput.objects.get(report=report, kind="pdf").sha256
    )
    press(page, "Export XLSX")
    xlsx = download(page, "Spreadsheet (XLSX)")
    assert (
        hashlib.sha256(xlsx).hexdigest()
        == ReportOutput.objects.get(report=report, kind="xlsx").sha256
    )
    from openpyxl import load_workbook

    workbook = load_workbook(io.BytesIO(xlsx))
    cells = {str(c.value) for sheet in workbook for row in sheet.iter_rows() for c in row}
    assert {"A3210", "Y18"} <= cells
