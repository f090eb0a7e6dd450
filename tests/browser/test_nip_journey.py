"""A NIP update cycle from step 1 to step 8 in headless Chromium: the technical committee
returns step 4 once with its reason, the steering committee approves by ballot, the official
contact point's transmission is recorded and the endorsement package is downloaded."""

import hashlib

import pytest
from django.urls import reverse

from nip_lifecycle.models import Cycle, EndorsementPackage, Step
from tests.browser.helpers import sign_in
from tests.factories import (
    DesignationFactory,
    PersonFactory,
    UserFactory,
    convention_role,
    days_from_today,
)
from tests.nip_lifecycle.factories import Mechanism

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def press(page, name):
    page.get_by_role("button", name=name, exact=True).click()


def step_page(page, cycle, number):
    page.goto(reverse("nip_lifecycle:step-detail", args=[cycle.steps.get(number=number).pk]))


def status_of(page):
    return page.locator(".step-status").first.inner_text()


def test_a_cycle_walks_from_step_1_to_step_8(page, tmp_path):
    secretariat = UserFactory(email="secretariat@ncm.test", role="secretariat")
    mechanism = Mechanism(secretariat)
    contact = PersonFactory(name="Nadia Haddad")
    DesignationFactory(
        person=contact,
        kind="convention",
        start_date=days_from_today(-2531),
        convention_role=convention_role("stockholm", "official-contact-point"),
    )

    # The secretariat opens the cycle and records the amendment it answers.
    sign_in(page, "secretariat@ncm.test")
    page.get_by_role("link", name="NIP", exact=True).click()
    page.get_by_role("link", name="New cycle").click()
    page.fill("#id_title", "NIP update for PFHxS")
    page.select_option("#id_trigger", "new_listing")
    page.select_option("#id_lead_body", str(mechanism.lead.pk))
    page.select_option("#id_technical_committee", str(mechanism.tc.pk))
    page.select_option("#id_steering_committee", str(mechanism.sc.pk))
    page.click("#submit-id-submit")
    page.wait_for_selector("text=Cycle created with its eight steps.")
    cycle = Cycle.objects.get(title="NIP update for PFHxS")
    page.get_by_role("link", name="Add an amendment").click()
    page.get_by_label("From the reference list").select_option(label="COP-10 (2022)")
    page.click("#submit-id-submit")
    page.wait_for_selector("text=Amendment added; the deadline is recomputed.")
    assert "Nov. 16, 2025" in page.locator("#deadline").inner_text()
    assert page.locator("svg.nip-timeline").count() == 1

    # Step 1 through the page: start, tick the checklist, attach the deliverables, complete.
    step_page(page, cycle, 1)
    press(page, "Start the step")
    page.wait_for_selector("text=Step started.")
    press(page, "Complete the step")
    page.wait_for_selector("text=Deliverables without a document")
    for _ in range(cycle.steps.get(number=1).checklist.count()):
        page.locator("#checklist button", has_text="Done").first.click()
        page.wait_for_selector("text=Checklist updated.")
    for name in ("Trigger assessment note", "Decision to update"):
        page.locator("#deliverables li", has_text=name).get_by_role("link").click()
        upload = tmp_path / f"{name}.pdf"
        upload.write_bytes(f"%PDF-1.4 {name}".encode())
        page.set_input_files("#id_file", str(upload))
        page.click("#submit-id-submit")
        page.wait_for_selector("text=Document attached.")
    press(page, "Complete the step")
    page.wait_for_selector("text=Step completed.")
    assert status_of(page) == "Completed"

    for number in range(2, 8):
        step = cycle.steps.get(number=number)
        step_page(page, cycle, number)
        press(page, "Start the step")
        page.wait_for_selector("text=Step started.")
        mechanism.fulfil(step)  # checklist and documents, as shown for step 1
        if step.needs_technical_review:
            press(page, "Send to the technical committee")
            page.wait_for_selector("text=Sent to the technical committee for review.")
            outcomes = ["returned", "cleared"] if number == 4 else ["cleared"]
            for outcome in outcomes:
                sign_in(page, "reviewer@ncm.test")
                step_page(page, cycle, number)
                page.get_by_role("link", name="Record the technical review").click()
                page.check(f"input[name=outcome][value={outcome}]")
                reason = (
                    "Regional PFHxS estimates use different emission factors."
                    if outcome == "returned"
                    else "Data validated."
                )
                page.fill("#id_text", reason)
                page.click("#submit-id-submit")
                page.wait_for_selector("text=Technical review recorded.")
                sign_in(page, "secretariat@ncm.test")
                step_page(page, cycle, number)
                if outcome == "returned":
                    assert status_of(page) == "Returned"
                    assert reason in page.locator("#reviews").inner_text()
                    assert "returned the step" in page.locator("#blockers").inner_text()
                    press(page, "Send to the technical committee")
                    page.wait_for_selector("text=Sent to the technical committee for review.")
        if step.needs_approval:
            question = f"Approve step {number} of the PFHxS update?"
            ballot = mechanism.ballot(question, about=step)
            page.get_by_role("link", name="Record the steering committee's approval").click()
            page.get_by_label("Ballot").select_option(value=str(ballot.pk))
            page.click("#submit-id-submit")
            page.wait_for_selector("text=Approval recorded.")
            assert "Adopted: 2 in favour" in page.locator("#approval").inner_text()
        press(page, "Complete the step")
        page.wait_for_selector("text=Step completed.")
        assert status_of(page) == "Completed"

    # Step 8: the official contact point transmitted the plan.
    page.goto(cycle.get_absolute_url())
    page.get_by_role("link", name="Record the transmission").first.click()
    page.fill("#id_transmitted_on", days_from_today(-402).isoformat())
    page.fill("#id_reference", "VER/NIP/2025/07")
    page.get_by_label("Official contact point").select_option(label="Nadia Haddad")
    page.click("#submit-id-submit")
    page.wait_for_selector("text=Transmission recorded.")
    assert "VER/NIP/2025/07" in page.locator("#transmission").inner_text()
    step8 = cycle.steps.get(number=8)
    mechanism.fulfil(step8)
    step_page(page, cycle, 8)
    press(page, "Start the step")
    page.wait_for_selector("text=Step started.")
    press(page, "Complete the step")
    page.wait_for_selector("text=Step completed.")
    assert set(cycle.steps.values_list("status", flat=True)) == {Step.Status.COMPLETED}

    # The endorsement package, rendered in the background, downloads byte for byte.
    page.goto(cycle.get_absolute_url())
    press(page, "Render the endorsement package")
    page.wait_for_selector("text=Endorsement package (PDF)")
    with page.expect_download() as download:
        page.get_by_role("link", name="Endorsement package (PDF)").click()
    with open(download.value.path(), "rb") as handle:
        data = handle.read()
    assert data[:5] == b"%PDF-"
    assert hashlib.sha256(data).hexdigest() == EndorsementPackage.objects.get().sha256
    page.screenshot(path=str(tmp_path / "cycle.png"), full_page=True)
