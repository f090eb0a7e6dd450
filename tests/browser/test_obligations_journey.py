"""Obligations under the conventions in headless Chromium: the secretariat opens a Rotterdam
import response from the Reports menu; the designated national authority drafts the decision;
the secretariat records the steering committee's approval, citing the ballot that adopted it;
the authority records the transmission, and the country's standing shows it met; the Basel
focal point records the Basel annual report as met."""

import pytest
from django.urls import reverse
from django.utils import timezone

from reporting.models import ImportResponse, ObligationInstance
from reporting.obligations import services
from tests.browser.helpers import sign_in
from tests.factories import UserFactory
from tests.reporting.obligations_helpers import role_holder, steering_committee
from tests.reporting.test_import_responses import adopting_ballot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def press(page, name):
    page.get_by_role("button", name=name, exact=True).click()


def test_an_import_response_is_opened_drafted_approved_and_transmitted(page):
    UserFactory(email="secretariat@ncm.test", role="secretariat")
    role_holder("rotterdam", "designated-national-authority", "dna@ncm.test")
    sc = steering_committee("rotterdam")
    today = timezone.localdate()

    sign_in(page, "secretariat@ncm.test")
    page.get_by_role("button", name="Reports").click()
    page.get_by_role("link", name="Obligations under the conventions").click()
    page.locator("#convention-rotterdam").get_by_role("link", name="Rotterdam Convention").click()
    page.get_by_role("link", name="Record a decision guidance document").click()
    page.select_option("#id_obligation", value="rotterdam-import-response")
    page.fill("#id_subject", "Chemical J")
    page.fill("#id_hs_codes", "2909.30")
    page.fill("#id_trigger_date", today.isoformat())
    press(page, "Open the obligation")
    page.wait_for_selector("text=Obligation opened")
    response = ImportResponse.objects.get(chemical="Chemical J")

    sign_in(page, "dna@ncm.test")
    page.goto(response.get_absolute_url())
    page.get_by_label("No consent to import").check()
    press(page, "Record the draft decision")
    page.wait_for_selector("text=awaits the steering committee")

    response.refresh_from_db()
    ballot = adopting_ballot(sc, response)
    sign_in(page, "secretariat@ncm.test")
    page.goto(response.get_absolute_url())
    page.select_option("#id_source", value=f"ballot-{ballot.pk}")
    press(page, "Record the approval")
    page.wait_for_selector("text=Approval recorded")

    sign_in(page, "dna@ncm.test")
    page.goto(response.get_absolute_url())
    page.fill("#id_reference", "PIC-IR-J")
    press(page, "Record the transmission")
    page.wait_for_selector("text=the obligation is met")
    page.goto(reverse("reporting:obligations"))
    assert "PIC-IR-J" in page.locator("#convention-rotterdam").inner_text()


def test_the_basel_focal_point_records_the_annual_report(page):
    role_holder("basel", "focal-point", "basel.focal@ncm.test")
    services.obligations_plan()
    today = timezone.localdate()
    basel = ObligationInstance.objects.filter(
        obligation="basel-annual-report", due_on__gte=today
    ).first()
    sign_in(page, "basel.focal@ncm.test")
    page.goto(reverse("reporting:obligations-convention", args=["basel"]))
    page.locator(f"#obligation-{basel.pk}").get_by_role("link", name="Record as met").click()
    page.fill("#id_reference", "BC-ERS-1")
    press(page, "Record as met")
    page.wait_for_selector("text=Recorded as met on time")
    assert "BC-ERS-1" in page.locator(f"#obligation-{basel.pk}").inner_text()
