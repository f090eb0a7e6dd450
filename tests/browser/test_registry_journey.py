"""The secretariat's journey through the registry, in headless Chromium."""

import datetime

import pytest
from django.utils import timezone

from coordination.models import Convention, Designation, Role
from tests.factories import PASSWORD, DesignationFactory, PersonFactory, UserFactory

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
]


def sign_in(page, email):
    page.goto("/")
    assert "/accounts/login/" in page.url
    page.fill("#id_username", email)
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url("**/")


def test_secretariat_designates_and_ends_a_focal_point_and_sees_the_vacancy(page, tmp_path):
    Convention.objects.exclude(code="stockholm").update(covered=False)
    # The official contact point is in place; only the national focal point is at stake.
    DesignationFactory(
        person=PersonFactory(name="Nadia Haddad"),
        kind=Designation.Kind.CONVENTION,
        convention_role_id=Convention.objects.get(code="stockholm")
        .roles.get(code="official-contact-point")
        .pk,
    )
    UserFactory(email="secretariat@ncm.test", role=Role.SECRETARIAT)
    sign_in(page, "secretariat@ncm.test")
    assert page.locator("h1").inner_text() == "Secretariat dashboard"
    vacancy = "Nobody is designated as Stockholm Convention: National focal point."
    assert page.get_by_text(vacancy).is_visible()

    # A new institution.
    page.get_by_role("link", name="New institution").click()
    page.fill("#id_name", "Chemicals Agency of Veridia")
    page.fill("#id_acronym", "CAV")
    page.select_option("#id_kind", "agency")
    page.click("#submit-id-submit")
    page.wait_for_selector("text=Institution Chemicals Agency of Veridia (CAV) added.")
    institution_url = page.url

    # A contact there.
    page.get_by_role("link", name="Add a contact").click()
    page.fill("#id_name", "Amara Okonkwo")
    page.fill("#id_email", "amara@cav.test")
    page.click("#submit-id-submit")
    page.wait_for_selector("text=Amara Okonkwo added to")

    # Designated as the Stockholm national focal point.
    page.get_by_role("link", name="Designate someone").click()
    page.select_option("#id_person", label="Amara Okonkwo")
    page.select_option("#id_kind", "convention")
    page.select_option("#id_convention_role", label="Stockholm Convention: National focal point")
    page.fill("#id_start_date", (timezone.localdate() - datetime.timedelta(days=300)).isoformat())
    page.fill("#id_designated_by", "Minister of Environment")
    page.click("#submit-id-submit")
    page.wait_for_selector("text=Amara Okonkwo is now designated")
    page.goto("/")
    assert page.get_by_text(vacancy).count() == 0
    page.screenshot(path=str(tmp_path / "dashboard-filled.png"), full_page=True)

    # Ended with a handover note.
    page.goto(institution_url)
    page.get_by_role("link", name="End…").click()
    page.fill("#id_end_date", timezone.localdate().isoformat())
    end_url = page.url
    page.click("#submit-id-submit")  # without a note: the browser asks for one first
    assert page.url == end_url
    assert page.locator("#id_handover_note:invalid").count() == 1
    page.fill("#id_handover_note", "Sixth national report: draft in the library, due 31 August.")
    page.click("#submit-id-submit")
    page.wait_for_selector("text=the handover note is on record")
    assert page.locator("#past-designations").get_by_text("Sixth national report").is_visible()

    # The hole shows on the dashboard again.
    page.get_by_role("link", name="Dashboard").first.click()
    warning = page.get_by_text(vacancy)
    assert warning.is_visible()
    page.screenshot(path=str(tmp_path / "dashboard-vacancy.png"), full_page=True)
    ended = Designation.objects.get(person__name="Amara Okonkwo")
    assert ended.handover_note.startswith("Sixth national report")
