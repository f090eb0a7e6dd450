"""An Article 15 national report in headless Chromium: the secretariat starts the sixth round's
report and assigns the production, import and export section to the customs service; its focal
point answers and submits it; the secretariat accepts it; the official contact point approves
the report, which locks it; and the PDF is rendered and downloaded byte for byte."""

import datetime
import hashlib

import pytest
from django.urls import reverse
from django.utils import timezone

from reporting.models import Report, ReportOutput, Section, SectionAssignment
from reporting.services import article15 as services
from tests.browser.helpers import sign_in
from tests.factories import InstitutionFactory, UserFactory
from tests.reporting.article15_helpers import (
    LINES_2025,
    customs_version,
    focal_point_of,
    official_contact_point,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def press(page, name):
    page.get_by_role("button", name=name, exact=True).click()


def test_a_report_is_assigned_answered_reviewed_approved_and_downloaded(page):
    secretariat = UserFactory(email="secretariat@ncm.test", role="secretariat")
    customs = InstitutionFactory(name="Veridia Customs Service", acronym="VCS")
    focal = focal_point_of(customs, "customs.focal@ncm.test")
    contact = official_contact_point(
        InstitutionFactory(name="Ministry of Environment", acronym="MoE"), "ocp@ncm.test"
    )
    customs_version(customs, year=2025, lines=LINES_2025, sha="a1" * 32)

    # The secretariat starts the sixth round's report from the Reports menu.
    sign_in(page, "secretariat@ncm.test")
    page.get_by_role("button", name="Reports").click()
    page.get_by_role("link", name="National reports (Article 15)").click()
    page.locator("#round-6").get_by_role("button", name="Start the report").click()
    page.wait_for_selector("text=is started and prefilled")
    report = Report.objects.get(round__number=6)
    assert page.url.endswith(report.get_absolute_url())

    # ... and gives Section II to the customs service.
    page.locator("#section-B-II").get_by_role("link", name="Assign").click()
    page.select_option("#id_institution", label="Veridia Customs Service (VCS)")
    page.fill("#id_due_on", (timezone.localdate() + datetime.timedelta(days=9)).isoformat())
    press(page, "Assign")
    page.wait_for_selector("text=Section B-II assigned to Veridia Customs Service")
    assert "Veridia Customs Service" in page.locator("#section-B-II").inner_text()

    # The other sections are the secretariat's own: answered and accepted along the way.
    for section in Section.objects.filter(round=report.round).exclude(code="B-II"):
        services.section_submit(report=report, section=section, actor=secretariat)
        services.section_review(report=report, section=section, action="accept", actor=secretariat)

    # The customs focal point answers the section, seeing the figures from customs data.
    sign_in(page, "customs.focal@ncm.test")
    page.goto(report.get_absolute_url())
    page.locator("#section-B-II").get_by_role("link", name="Answer").click()
    trade = page.locator("article.question", has_text="B-II-6")
    assert "Computed by the portal" in trade.inner_text()
    assert trade.locator("a.customs-lines-link").count() >= 2
    assert "a1" * 32 in trade.inner_html()
    # The lines under 3824.82 (PCB or PBB) are a group row; the focal point reads their
    # descriptions and attributes the row to PCB, with a reason.
    trade.locator("a.group-attribute-link").first.click()
    assert page.locator("#group-lines tbody tr").count() >= 1
    page.get_by_label("All of it to one chemical").check()
    page.get_by_label("Chemical", exact=True).select_option(label="Polychlorinated biphenyls (PCB)")
    page.get_by_label("Reason").fill("Every line reads transformer oil (askarel).")
    press(page, "Attribute")
    page.wait_for_selector("text=attributed to its chemicals")
    trade = page.locator("article.question", has_text="B-II-6")
    assert "attributed from" in trade.inner_text()
    first = page.locator("article.question", has_text="B-II-1")
    first.locator("summary").click()
    first.get_by_label("Yes").check()
    first.get_by_role("button", name="Save the answer to B-II-1").click()
    page.wait_for_selector("text=Answer to B-II-1 saved.")
    press(page, "Submit the section for review")
    page.wait_for_selector("text=Section B-II submitted for review.")
    assert "Submitted for review" in page.locator("#section-B-II").inner_text()

    # The secretariat accepts it.
    sign_in(page, "secretariat@ncm.test")
    section = Section.objects.get(round=report.round, code="B-II")
    page.goto(reverse("reporting:article15-section", args=[report.pk, section.pk]))
    page.get_by_label("Accept the section").check()
    press(page, "Record the review")
    page.wait_for_selector("text=Review of B-II recorded.")
    assert SectionAssignment.objects.get(report=report, section=section).status == "accepted"
    assert page.locator("#sections-accepted").inner_text().startswith("8 of 8")

    # The official contact point approves: the report is locked.
    sign_in(page, "ocp@ncm.test")
    page.goto(report.get_absolute_url())
    press(page, "Approve the report")
    page.wait_for_selector("#locked-notice")
    report.refresh_from_db()
    assert report.status == Report.Status.APPROVED and report.approved_by == contact
    assert "Assign" not in page.locator("#section-B-II").inner_text()

    # The PDF is rendered in the background and downloads byte for byte.
    press(page, "Render PDF")
    download_link = page.get_by_role("link", name="Download PDF")
    download_link.wait_for()
    output = ReportOutput.objects.get(report=report, kind="pdf")
    with page.expect_download() as download:
        download_link.click()
    with open(download.value.path(), "rb") as handle:
        data = handle.read()
    assert data.startswith(b"%PDF")
    assert hashlib.sha256(data).hexdigest() == output.sha256
    assert focal.pk != contact.pk
