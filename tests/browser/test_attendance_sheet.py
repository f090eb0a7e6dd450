"""The attendance sheet without JavaScript: a refused row keeps the sheet as entered."""

import datetime

import pytest
from django.utils import timezone

from coordination import services
from coordination.models import Attendance, Designation, Role
from tests.browser.helpers import sign_in
from tests.factories import (
    DesignationFactory,
    InstitutionFactory,
    MembershipFactory,
    PersonFactory,
    UserFactory,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def page(browser, live_server):
    context = browser.new_context(
        base_url=live_server.url, locale="en-GB", java_script_enabled=False
    )
    page = context.new_page()
    page.set_default_timeout(15_000)
    yield page
    context.close()


def test_the_sheet_is_saved_whole_without_javascript(page):
    secretariat = UserFactory(email="secretariat@ncm.test", role=Role.SECRETARIAT)
    body = services.body_create(actor=secretariat, name="Technical Committee", kind="technical")
    epa = InstitutionFactory(name="Environmental Protection Agency", acronym="EPA")
    lab = InstitutionFactory(name="Central Laboratory", acronym="CEL")
    for institution, name in ((epa, "Erik Lund"), (lab, "Claire Dubois")):
        MembershipFactory(body=body, institution=institution)
        DesignationFactory(
            person=PersonFactory(institution=institution, name=name),
            kind=Designation.Kind.REPRESENTATIVE,
            body=body,
        )
    colleague = PersonFactory(institution=lab, name="Ana Costa")
    start = timezone.now() + datetime.timedelta(days=20)
    meeting = services.meeting_convene(
        actor=secretariat,
        meeting=services.meeting_create(
            actor=secretariat,
            body=body,
            title="Validation",
            kind="regular",
            start=start,
            end=start + datetime.timedelta(hours=2),
            time_zone="UTC",
            modality="in_person",
            venue="EPA, room 2",
        ),
    )

    sign_in(page, "secretariat@ncm.test")
    page.goto(meeting.get_absolute_url())
    page.select_option(f"select[name=i{epa.pk}-presence]", "principal")
    page.select_option(f"select[name=i{lab.pk}-presence]", "stand_in")
    page.get_by_role("button", name="Save attendance").click()
    page.wait_for_selector("text=The attendance is not saved")
    row = page.locator(f"#attendance-error-{lab.pk}")
    assert "Name the person standing in." in row.inner_text()
    assert page.locator(f"select[name=i{epa.pk}-presence]").input_value() == "principal"
    assert not Attendance.objects.exists()

    page.select_option(f"select[name=i{lab.pk}-person]", str(colleague.pk))
    page.get_by_role("button", name="Save attendance").click()
    page.wait_for_selector("text=Attendance saved")
    saved = {a.institution_id: a for a in Attendance.objects.all()}
    assert saved[epa.pk].presence == "principal"
    assert (saved[lab.pk].person, saved[lab.pk].stand_in_name) == (colleague, "Ana Costa")
