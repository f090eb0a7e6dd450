"""A workplan from creation to adoption, and progress reported by a focal point."""

import pytest
from django.urls import reverse
from django.utils import timezone

from coordination import services
from coordination.models import Designation, ProgressReport, Role
from tests.factories import (
    PASSWORD,
    DesignationFactory,
    InstitutionFactory,
    MembershipFactory,
    PersonFactory,
    UserFactory,
    days_from_today,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def sign_in(page, email):
    page.goto("/accounts/login/")
    page.fill("#id_username", email)
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url("**/")


def sign_out(page):
    page.context.clear_cookies()


def test_workplan_is_adopted_and_progress_reported(page):
    secretariat = UserFactory(email="secretariat@ncm.test", role=Role.SECRETARIAT)
    body = services.body_create(actor=secretariat, name="Steering Committee", kind="steering")
    customs = InstitutionFactory(name="Veridia Customs Service", acronym="VCS")
    health = InstitutionFactory(name="Ministry of Health", acronym="MoH")
    for institution in (customs, health):
        MembershipFactory(body=body, institution=institution)
    focal = UserFactory(email="focal@ncm.test", role=Role.FOCAL_POINT)
    DesignationFactory(
        person=PersonFactory(institution=customs, user=focal),
        kind=Designation.Kind.INSTITUTION_FOCAL_POINT,
    )
    services.focal_point_permissions_sync()

    sign_in(page, "secretariat@ncm.test")
    page.goto(reverse("coordination:body-detail", args=[body.pk]))
    page.get_by_role("link", name="New workplan").click()
    year = timezone.localdate().year  # a plan from last January to the end of next year
    title = f"Joint workplan {year - 1}-{year + 1}"
    page.fill("#id_title", title)
    page.fill("#id_period_start", f"{year - 1}-01-01")
    page.fill("#id_period_end", f"{year + 1}-12-31")
    page.click("#submit-id-submit")
    page.wait_for_selector(f"text=Workplan {title} created.")
    workplan_url = page.url

    page.get_by_role("link", name="Add activity").click()
    page.fill("#id_title", "Inventories")
    page.click("#submit-id-submit")
    for title, lead in (("Customs data on listed chemicals", customs), ("Health chapter", health)):
        page.get_by_role("link", name="Add task").click()
        page.fill("#id_title", title)
        page.select_option("#id_lead_institution", str(lead.pk))
        page.fill("#id_start_date", days_from_today(-308).isoformat())
        page.fill("#id_due_date", days_from_today(9).isoformat())
        page.select_option("#id_funding_source", "donor")
        page.fill("#id_donor_name", "GEF project 10785")
        page.click("#submit-id-submit")
        page.wait_for_selector(f"text=Task {title} added.")
    assert page.locator("svg.timeline rect").count() == 2
    # Back on the plan after adding a task, its activity is open: the task is in its table.
    assert page.locator(".task-table tbody tr").count() == 2

    # On the plan's own page the activities are collapsed to their counts; opening one loads
    # its tasks in place (htmx), without leaving the page.
    page.goto(workplan_url)
    assert page.locator(".task-table").count() == 0
    page.get_by_role("link", name="Show its 2 tasks").click()
    page.wait_for_selector(".task-table")
    assert page.url == workplan_url
    rows = page.locator(".task-table tbody tr")
    assert rows.count() == 2 and "Health chapter" in rows.nth(1).inner_text()

    page.get_by_role("link", name="Freeze a revision").click()
    page.fill("#id_note", "Draft for the December meeting")
    page.click("#submit-id-submit")
    page.wait_for_selector("text=Revision 1 drafted.")
    page.get_by_role("link", name="Circulate…").click()
    page.click("#submit-id-submit")
    page.wait_for_selector("text=Revision 1 circulated to 2 institutions.")
    page.get_by_role("button", name="Record adoption").click()
    page.wait_for_selector("text=Revision 1 adopted")
    assert page.locator(".revision-status").inner_text() == "Adopted"

    page.goto(workplan_url)
    page.get_by_role("link", name="Ask for progress reports").click()
    page.fill("#id_title", "Before the December meeting")
    page.fill("#id_due_date", days_from_today(-5).isoformat())
    page.click("#submit-id-submit")
    page.wait_for_selector("text=Round opened: 2 tasks await a report")
    round_url = page.url

    sign_out(page)
    sign_in(page, "focal@ncm.test")
    page.goto(round_url)
    page.get_by_role("link", name="Report", exact=True).click()
    page.select_option("#id_status", "in_progress")
    page.fill("#id_percent_complete", "40")
    page.fill("#id_narrative", "Declarations 2020-2023 extracted.")
    page.click("#submit-id-submit")
    page.wait_for_selector("text=Progress on Customs data on listed chemicals reported.")
    assert page.get_by_role("link", name="Report", exact=True).count() == 0  # not MoH's task

    sign_out(page)
    sign_in(page, "secretariat@ncm.test")
    page.goto(round_url)
    missing = page.locator("#missing-reports")
    assert "Ministry of Health" in missing.inner_text()
    assert "Veridia Customs Service" not in missing.inner_text()
    assert ProgressReport.objects.get().submitted_by == focal
