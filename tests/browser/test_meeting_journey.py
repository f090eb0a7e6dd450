"""A hybrid meeting from notice to approved minutes, with an action that lands in the plan."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from coordination import services
from coordination.models import Designation, Meeting, Role, Task, Workplan
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


def test_secretariat_runs_a_hybrid_meeting_to_approved_minutes(page, tmp_path):
    secretariat = UserFactory(email="secretariat@ncm.test", role=Role.SECRETARIAT)
    body = services.body_create(
        actor=secretariat, name="Technical Committee", kind="technical", notice_period_days=10
    )
    epa = InstitutionFactory(name="Environmental Protection Agency", acronym="EPA")
    lab = InstitutionFactory(name="Central Laboratory", acronym="CEL")
    for institution, name in ((epa, "Erik Lund"), (lab, "Claire Dubois")):
        MembershipFactory(body=body, institution=institution)
        DesignationFactory(
            person=PersonFactory(institution=institution, name=name),
            kind=Designation.Kind.REPRESENTATIVE,
            body=body,
        )
    alternate = PersonFactory(institution=lab, name="Raj Patel")
    DesignationFactory(
        person=alternate,
        kind=Designation.Kind.REPRESENTATIVE,
        body=body,
        capacity=Designation.Capacity.ALTERNATE,
    )
    Workplan.objects.create(
        body=body,
        title="TC workplan",
        period_start=days_from_today(-339),
        period_end=days_from_today(756),
    )

    page.goto("/accounts/login/")
    page.fill("#id_username", "secretariat@ncm.test")
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url("**/")

    page.goto(reverse("coordination:body-detail", args=[body.pk]))
    page.get_by_role("link", name="Plan a meeting").click()
    start = timezone.localtime() + datetime.timedelta(days=20)
    page.fill("#id_title", "Validation of the PCB inventory")
    page.fill("#id_start", start.strftime("%Y-%m-%dT09:30"))
    page.fill("#id_end", start.strftime("%Y-%m-%dT12:30"))
    page.select_option("#id_time_zone", "Africa/Nairobi")
    page.select_option("#id_modality", "hybrid")
    page.fill("#id_venue", "EPA, room 2")
    page.fill("#id_online_link", "https://meet.example.org/tc")
    page.click("#submit-id-submit")
    page.wait_for_selector("text=Meeting planned.")
    meeting_url = page.url

    page.get_by_role("link", name="Add an item").click()
    page.fill("#id_title", "Draft PCB inventory report")
    page.select_option("#id_expected_outcome", "decision")
    page.click("#submit-id-submit")
    page.wait_for_selector("text=Agenda item added.")
    page.get_by_role("link", name="Attach a document").click()
    page.fill("#id_title", "Draft PCB inventory report v3")
    page.select_option("#id_category", "report")
    page.set_input_files(
        "#id_file",
        {"name": "pcb-report.pdf", "mimeType": "application/pdf", "buffer": b"%PDF-1.4 draft"},
    )
    page.click("#submit-id-submit")
    page.wait_for_selector("text=Document Draft PCB inventory report v3 uploaded.")

    page.get_by_role("link", name="Convene…").click()
    page.click("#submit-id-submit")
    page.wait_for_selector("text=Notice sent to 3 representatives.")
    assert page.locator(".meeting-status").inner_text() == "Convened"

    # The meeting day: attendance, with the laboratory's alternate standing for it.
    Meeting.objects.filter(pk=int(meeting_url.rstrip("/").split("/")[-1])).update(
        start=timezone.now() - datetime.timedelta(hours=2),
        end=timezone.now() - datetime.timedelta(hours=1),
    )
    page.goto(meeting_url)
    page.select_option(f"select[name=i{epa.pk}-presence]", "principal")
    page.select_option(f"select[name=i{lab.pk}-presence]", "alternate")
    page.select_option(f"select[name=i{lab.pk}-person]", str(alternate.pk))
    page.get_by_role("button", name="Save attendance").click()
    page.wait_for_selector("text=quorum reached")
    assert "2 of 2 present" in page.locator("#quorum").inner_text()

    page.get_by_role("button", name="Record as held").click()
    page.wait_for_selector("text=Recorded as held.")
    page.get_by_role("button", name="Write the minutes").click()
    page.fill("textarea[name$=-decisions]", "The draft report is validated.")
    page.get_by_role("button", name="Save").first.click()
    page.wait_for_selector("text=Saved.")
    page.locator("summary", has_text="Add an action item").click()
    page.fill("input[name$=-title]", "Send the validated report to the Steering Committee")
    page.select_option("select[name$=-lead_institution]", str(epa.pk))
    page.fill(
        "input[name$=-due_date]", (timezone.localdate() + datetime.timedelta(days=30)).isoformat()
    )
    page.get_by_role("button", name="Add the action").click()
    page.wait_for_selector("text=added to the workplan")
    page.get_by_role("button", name="Circulate").click()
    page.wait_for_selector("text=Minutes circulated.")
    page.get_by_role("button", name="Approve").click()
    page.wait_for_selector("text=Minutes approved and locked.")
    assert page.locator("textarea").count() == 0  # locked
    page.screenshot(path=str(tmp_path / "minutes.png"), full_page=True)

    task = Task.objects.get(title="Send the validated report to the Steering Committee")
    assert task.lead_institution == epa and task.activity.workplan.body == body
    page.goto(reverse("coordination:workplan-detail", args=[task.activity.workplan_id]))
    assert page.get_by_text("Send the validated report to the Steering Committee").count() >= 1
