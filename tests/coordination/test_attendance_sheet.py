"""The attendance sheet: one service call saves every row or none, and a stand-in comes from the
institution they stand in for."""

import datetime
import re
from unittest import mock

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from coordination import services
from coordination.meetings import services as meeting_services
from coordination.models import Attendance, Designation, Role
from tests.factories import (
    DesignationFactory,
    InstitutionFactory,
    MembershipFactory,
    PersonFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def committee(secretariat):
    body = services.body_create(
        actor=secretariat,
        name="Technical Committee",
        kind="technical",
        notice_period_days=14,
        quorum_share="0.50",
    )
    people = {}
    for name in ("EPA", "Customs", "Health"):
        institution = InstitutionFactory(name=name)
        MembershipFactory(body=body, institution=institution)
        principal = PersonFactory(institution=institution)
        alternate = PersonFactory(institution=institution)
        DesignationFactory(person=principal, kind="representative", body=body)
        DesignationFactory(
            person=alternate,
            kind="representative",
            body=body,
            capacity=Designation.Capacity.ALTERNATE,
        )
        people[name] = (institution, principal, alternate)
    return body, people


@pytest.fixture
def meeting(secretariat, committee):
    body, _people = committee
    start = timezone.now().replace(microsecond=0) + datetime.timedelta(days=30)
    planned = services.meeting_create(
        actor=secretariat,
        body=body,
        title="Fourth regular meeting",
        kind="regular",
        start=start,
        end=start + datetime.timedelta(hours=3),
        time_zone="UTC",
        modality="in_person",
        venue="Ministry, room 4",
    )
    return services.meeting_convene(actor=secretariat, meeting=planned)


def _url(meeting):
    return reverse("coordination:attendance-save", args=[meeting.pk])


def _row_html(page: str, institution) -> str:
    """The sheet's table row of one institution."""
    rows = re.findall(r"<tr[^>]*>.*?</tr>", page, flags=re.S)
    return next(row for row in rows if f'name="i{institution.pk}-presence"' in row)


def test_a_good_sheet_saves_every_row_in_one_service_call(client, secretariat, committee, meeting):
    _body, people = committee
    epa, customs, health = people["EPA"], people["Customs"], people["Health"]
    stand_in = PersonFactory(institution=health[0], name="Dr. Okafor")
    client.force_login(secretariat)
    data = {
        f"i{epa[0].pk}-presence": "principal",
        f"i{epa[0].pk}-person": epa[1].pk,
        f"i{epa[0].pk}-mode": "in_person",
        f"i{customs[0].pk}-presence": "alternate",
        f"i{customs[0].pk}-person": customs[2].pk,
        f"i{customs[0].pk}-mode": "online",
        f"i{health[0].pk}-presence": "stand_in",
        f"i{health[0].pk}-person": stand_in.pk,
        f"i{health[0].pk}-mode": "in_person",
    }
    with mock.patch.object(
        meeting_services, "attendance_sheet_save", wraps=meeting_services.attendance_sheet_save
    ) as save:
        response = client.post(_url(meeting), data)
    assert response.status_code == 302
    assert save.call_count == 1
    rows = {a.institution_id: a for a in meeting.attendance.all()}
    assert (rows[epa[0].pk].presence, rows[epa[0].pk].person, rows[epa[0].pk].mode) == (
        "principal",
        epa[1],
        "in_person",
    )
    assert (rows[customs[0].pk].presence, rows[customs[0].pk].person) == ("alternate", customs[2])
    assert (rows[health[0].pk].person, rows[health[0].pk].stand_in_name) == (stand_in, "Dr. Okafor")
    # The sheet shows the saved values again, the chosen stand-in in the list.
    page = client.get(meeting.get_absolute_url()).content.decode()
    assert f'<option value="{stand_in.pk}" selected>Dr. Okafor</option>' in _row_html(
        page, health[0]
    )


def test_a_sheet_with_one_bad_row_saves_nothing_and_shows_the_error_on_that_row(
    client, secretariat, committee, meeting
):
    _body, people = committee
    epa, health = people["EPA"], people["Health"]
    services.attendance_record(
        actor=secretariat, meeting=meeting, institution=epa[0], presence="absent"
    )
    client.force_login(secretariat)
    response = client.post(
        _url(meeting),
        {
            f"i{epa[0].pk}-presence": "principal",
            f"i{epa[0].pk}-person": epa[1].pk,
            f"i{health[0].pk}-presence": "stand_in",  # and no stand-in
        },
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "Name the person standing in." in _row_html(page, health[0])
    assert "Name the person standing in." not in _row_html(page, epa[0])
    # Nothing saved: the first row stays as it was.
    assert list(meeting.attendance.values_list("institution", "presence")) == [
        (epa[0].pk, "absent")
    ]
    # What was entered is kept.
    assert '<option value="principal" selected>' in _row_html(page, epa[0])
    assert '<option value="stand_in" selected>' in _row_html(page, health[0])


def test_the_service_saves_all_rows_or_none(secretariat, committee, meeting):
    _body, people = committee
    epa, customs = people["EPA"], people["Customs"]
    rows = [
        {"institution": epa[0], "presence": "principal", "person": epa[1], "mode": "in_person"},
        {"institution": customs[0], "presence": "alternate", "person": epa[2]},  # not theirs
    ]
    with pytest.raises(meeting_services.AttendanceSheetInvalid) as refused:
        services.attendance_sheet_save(actor=secretariat, meeting=meeting, rows=rows)
    assert set(refused.value.by_institution) == {customs[0].pk}
    assert "person" in refused.value.by_institution[customs[0].pk].message_dict
    assert not meeting.attendance.exists()
    rows[1]["person"] = customs[2]
    saved = services.attendance_sheet_save(actor=secretariat, meeting=meeting, rows=rows)
    assert len(saved) == 2 and meeting.attendance.count() == 2


def test_a_stand_in_from_another_institution_is_refused(client, secretariat, committee, meeting):
    _body, people = committee
    epa, health = people["EPA"], people["Health"]
    outsider = PersonFactory(institution=epa[0], name="Ms. Elsewhere")
    with pytest.raises(meeting_services.AttendanceSheetInvalid) as refused:
        services.attendance_sheet_save(
            actor=secretariat,
            meeting=meeting,
            rows=[
                {"institution": health[0], "presence": "stand_in", "person": outsider},
            ],
        )
    message = refused.value.by_institution[health[0].pk].message_dict["person"][0]
    assert message == (
        f"Ms. Elsewhere is not on the staff of {health[0]}: a stand-in comes from the institution "
        "they stand in for."
    )
    # On the page, a forged choice gets the same message on the row, and nothing is saved.
    client.force_login(secretariat)
    response = client.post(
        _url(meeting),
        {
            f"i{health[0].pk}-presence": "stand_in",
            f"i{health[0].pk}-person": outsider.pk,
        },
    )
    assert "is not on the staff of Health" in _row_html(response.content.decode(), health[0])
    assert not meeting.attendance.exists()


def test_a_stand_in_who_has_left_the_institution_is_refused(secretariat, committee, meeting):
    _body, people = committee
    health = people["Health"]
    former = PersonFactory(institution=health[0], active=False)
    with pytest.raises(ValidationError):
        services.attendance_record(
            actor=secretariat,
            meeting=meeting,
            institution=health[0],
            presence="stand_in",
            person=former,
        )
    assert not meeting.attendance.exists()
    # One recorded while still there stays when the sheet is saved again.
    leaving = PersonFactory(institution=health[0])
    services.attendance_record(
        actor=secretariat,
        meeting=meeting,
        institution=health[0],
        presence="stand_in",
        person=leaving,
    )
    leaving.active = False
    leaving.save()
    again = {"institution": health[0], "presence": "stand_in", "person": leaving, "mode": "online"}
    [row] = services.attendance_sheet_save(actor=secretariat, meeting=meeting, rows=[again])
    assert (row.person, row.mode) == (leaving, "online")


def test_a_stand_in_not_in_the_registry_is_named(secretariat, committee, meeting):
    _body, people = committee
    health = people["Health"]
    row = services.attendance_record(
        actor=secretariat,
        meeting=meeting,
        institution=health[0],
        presence="stand_in",
        stand_in_name=" Dr. Okafor ",
    )
    assert (row.person, row.stand_in_name) == (None, "Dr. Okafor")
    staff = PersonFactory(institution=health[0], name="Dr. Adeyemi")
    with pytest.raises(ValidationError, match="not both"):
        services.attendance_record(
            actor=secretariat,
            meeting=meeting,
            institution=health[0],
            presence="stand_in",
            person=staff,
            stand_in_name="Dr. Okafor",
        )


def test_the_sheet_offers_the_institutions_staff_for_a_stand_in(
    client, secretariat, committee, meeting
):
    _body, people = committee
    epa, health = people["EPA"], people["Health"]
    PersonFactory(institution=health[0], name="Dr. Adeyemi")
    PersonFactory(institution=epa[0], name="Mr. Elsewhere")
    client.force_login(secretariat)
    row = _row_html(client.get(meeting.get_absolute_url()).content.decode(), health[0])
    assert "Dr. Adeyemi" in row and "Mr. Elsewhere" not in row
    assert health[1].name in row  # the representatives too


def test_a_row_for_an_institution_outside_the_body_is_refused(secretariat, meeting):
    with pytest.raises(meeting_services.AttendanceSheetInvalid, match="does not sit in"):
        services.attendance_record(
            actor=secretariat, meeting=meeting, institution=InstitutionFactory(), presence="absent"
        )


def test_a_planned_meeting_takes_no_attendance(secretariat, committee):
    body, people = committee
    start = timezone.now() + datetime.timedelta(days=30)
    planned = services.meeting_create(
        actor=secretariat,
        body=body,
        title="Planned",
        kind="regular",
        start=start,
        end=start + datetime.timedelta(hours=1),
        time_zone="UTC",
        modality="in_person",
        venue="Room 1",
    )
    with pytest.raises(ValidationError, match="convened or held"):
        services.attendance_sheet_save(
            actor=secretariat,
            meeting=planned,
            rows=[
                {"institution": people["EPA"][0], "presence": "absent"},
            ],
        )
    assert not planned.attendance.exists()


def test_those_who_do_not_serve_the_body_are_refused(client, secretariat, committee, meeting):
    _body, people = committee
    epa = people["EPA"]
    data = {f"i{epa[0].pk}-presence": "absent"}
    # Anonymous: sent to sign in.
    response = client.post(_url(meeting), data)
    assert response.status_code == 302 and "login" in response["Location"]
    # A member of another body, and the secretariat serving another body.
    other_secretariat = UserFactory(role=Role.SECRETARIAT)
    other_body = services.body_create(actor=other_secretariat, name="Steering", kind="steering")
    other_institution = InstitutionFactory()
    MembershipFactory(body=other_body, institution=other_institution)
    member = UserFactory(role=Role.MEMBER)
    DesignationFactory(
        person=PersonFactory(institution=other_institution, user=member),
        kind="representative",
        body=other_body,
    )
    for outsider in (member, other_secretariat):
        client.force_login(outsider)
        assert client.post(_url(meeting), data).status_code == 403
        with pytest.raises(PermissionDenied):
            services.attendance_sheet_save(
                actor=outsider,
                meeting=meeting,
                rows=[
                    {"institution": epa[0], "presence": "absent"},
                ],
            )
    assert not meeting.attendance.exists()
    assert not Attendance.objects.exists()
