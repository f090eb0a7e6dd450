"""A Minamata Article 21 report in headless Chromium: the secretariat starts the full report,
whose trade table is prefilled from the accepted customs lines under the mercury codes and whose
contacts are the Minamata designations; it assigns the section on supply sources and trade to
the customs service, whose focal point answers and submits it; the secretariat accepts it, and
the Minamata national focal point approves the report, which locks it."""

import datetime

import pytest
from django.utils import timezone

from reporting.models import Answer, Report, Round, Section, SectionAssignment
from reporting.services import article15 as services
from tests.browser.helpers import sign_in
from tests.factories import InstitutionFactory, UserFactory
from tests.reporting.article15_helpers import focal_point_of
from tests.reporting.test_article15_group_rows import load_lines
from tests.reporting.test_national_reports import _designated

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

D = datetime.date
ROUND = 2025  # the first full report, on 2021 to 2024: a fact, whatever the clock says

# (date, flow, HS code, national code, partner, net mass)
LINES = [
    (D(2024, 3, 1), "import", "2805.40", "", "ES", "120.5"),  # mercury: specific
    (D(2024, 3, 9), "import", "2805.40", "", "ES", "30"),
    (D(2023, 4, 2), "import", "2852.10", "", "DE", "7.25"),  # compounds: group
    (D(2024, 7, 3), "import", "2910.40", "", "DE", "10"),  # dieldrin: not mercury
]


def press(page, name):
    page.get_by_role("button", name=name, exact=True).click()


def test_a_minamata_report_is_prefilled_answered_reviewed_and_approved(page):
    secretariat = UserFactory(email="secretariat@ncm.test", role="secretariat")
    customs = InstitutionFactory(name="Veridia Customs Service", acronym="VCS")
    focal_point_of(customs, "customs.focal@ncm.test")
    nfp = _designated("minamata", "national-focal-point", "hg@ncm.test")
    load_lines(LINES, year=2024)

    # The secretariat starts the report from the Minamata list.
    sign_in(page, "secretariat@ncm.test")
    page.goto("/reports/national/minamata/")
    page.locator(f"#round-{ROUND}").get_by_role("button", name="Start the report").click()
    page.wait_for_selector("text=is started and prefilled")
    report = Report.objects.get(round=Round.objects.get(convention="minamata", number=ROUND))
    answers = {a.question.code: a for a in Answer.objects.filter(report=report)}

    # Part A shows the Minamata contacts from the registry.
    page.locator("#section-A").get_by_role("link", name="Answer").click()
    contacts = page.locator(f"#question-{answers['A-2'].question_id}")
    assert "Computed by the portal" in contacts.inner_text()
    assert nfp.person.name in contacts.inner_text()
    page.goto(report.get_absolute_url())

    # Section B-3 goes to the customs service; the other sections are the secretariat's.
    page.locator("#section-B-3").get_by_role("link", name="Assign").click()
    page.select_option("#id_institution", label="Veridia Customs Service (VCS)")
    page.fill("#id_due_on", (timezone.localdate() + datetime.timedelta(days=9)).isoformat())
    press(page, "Assign")
    page.wait_for_selector("text=Section B-3 assigned to Veridia Customs Service")
    for section in Section.objects.filter(round=report.round).exclude(code="B-3"):
        services.section_submit(report=report, section=section, actor=secretariat)
        services.section_review(report=report, section=section, action="accept", actor=secretariat)

    # The customs focal point sees the trade table computed from the customs lines.
    sign_in(page, "customs.focal@ncm.test")
    page.goto(report.get_absolute_url())
    page.locator("#section-B-3").get_by_role("link", name="Answer").click()
    trade = page.locator(f"#question-{answers['B-3-4'].question_id}")
    text = trade.inner_text()
    assert "Computed by the portal" in text
    assert "2805.40" in text and "2852.10" in text and "2910.40" not in text
    assert "150.5" in text  # the two lines of 2805.40 in 2024
    assert "d4" * 32 in trade.inner_html()  # the customs version behind it

    # ... answers whether there is primary mercury mining, and submits the section.
    first = page.locator(f"#question-{answers['B-3-1'].question_id}")
    first.locator("summary").click()
    first.get_by_label("No").check()
    first.get_by_role("button", name="Save the answer to B-3-1").click()
    page.wait_for_selector("text=Answer to B-3-1 saved.")
    press(page, "Submit the section for review")
    page.wait_for_selector("text=Section B-3 submitted for review.")

    # The secretariat accepts it.
    sign_in(page, "secretariat@ncm.test")
    section = Section.objects.get(round=report.round, code="B-3")
    page.goto(report.get_absolute_url())
    page.locator("#section-B-3").get_by_role("link", name="B-3 Article 3").click()
    page.get_by_label("Accept the section").check()
    press(page, "Record the review")
    page.wait_for_selector("text=Review of B-3 recorded.")
    assert SectionAssignment.objects.get(report=report, section=section).status == "accepted"

    # The Minamata national focal point approves: the report is locked.
    sign_in(page, "hg@ncm.test")
    page.goto(report.get_absolute_url())
    press(page, "Approve the report")
    page.wait_for_selector("#locked-notice")
    report.refresh_from_db()
    assert report.status == Report.Status.APPROVED and report.approved_by == nfp
