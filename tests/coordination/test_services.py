import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction

from coordination import services
from coordination.models import Designation, Membership
from tests.factories import (
    BodyFactory,
    DesignationFactory,
    MembershipFactory,
    PersonFactory,
    convention_role,
)

pytestmark = pytest.mark.django_db
D = Designation.Kind
JAN = datetime.date(2026, 1, 1)


def test_one_principal_per_convention_role_at_a_time(secretariat, institution):
    role = convention_role("stockholm", "national-focal-point")
    first, second = PersonFactory(institution=institution), PersonFactory(institution=institution)
    services.designation_create(
        actor=secretariat,
        person=first,
        institution=institution,
        kind=D.CONVENTION,
        convention_role=role,
        start_date=JAN,
    )
    with pytest.raises(ValidationError) as refused:
        services.designation_create(
            actor=secretariat,
            person=second,
            institution=institution,
            kind=D.CONVENTION,
            convention_role=role,
            start_date=JAN + datetime.timedelta(days=30),
        )
    assert refused.value.code == "seat_taken"
    assert first.name in refused.value.messages[0]

    alternate = services.designation_create(
        actor=secretariat,
        person=second,
        institution=institution,
        kind=D.CONVENTION,
        convention_role=role,
        capacity=Designation.Capacity.ALTERNATE,
        start_date=JAN,
    )
    assert alternate.pk


def test_a_successor_can_start_the_day_the_predecessor_ends(secretariat, institution):
    role = convention_role("minamata", "national-focal-point")
    first, second = PersonFactory(institution=institution), PersonFactory(institution=institution)
    old = services.designation_create(
        actor=secretariat,
        person=first,
        institution=institution,
        kind=D.CONVENTION,
        convention_role=role,
        start_date=JAN,
    )
    old = services.designation_end(
        actor=secretariat,
        designation=old,
        end_date=datetime.date(2026, 6, 1),
        handover_note="Files are in the cabinet.",
    )
    new = services.designation_create(
        actor=secretariat,
        person=second,
        institution=institution,
        kind=D.CONVENTION,
        convention_role=role,
        start_date=datetime.date(2026, 6, 1),
    )
    assert new.is_current(datetime.date(2026, 6, 1))
    assert not old.is_current(datetime.date(2026, 6, 1))


def test_a_representative_needs_a_seat(secretariat, institution):
    body = BodyFactory()
    person = PersonFactory(institution=institution)
    with pytest.raises(ValidationError) as refused:
        services.designation_create(
            actor=secretariat,
            person=person,
            institution=institution,
            kind=D.REPRESENTATIVE,
            body=body,
            start_date=JAN,
        )
    assert refused.value.code == "not_a_member"
    MembershipFactory(body=body, institution=institution)
    designation = services.designation_create(
        actor=secretariat,
        person=person,
        institution=institution,
        kind=D.REPRESENTATIVE,
        body=body,
        start_date=JAN,
    )
    assert designation.role_label == f"Principal representative to \u2068{body}\u2069"


def test_a_representative_works_for_the_designating_institution(
    secretariat, institution, other_institution
):
    body = BodyFactory()
    MembershipFactory(body=body, institution=institution)
    outsider = PersonFactory(institution=other_institution)
    with pytest.raises(ValidationError) as refused:
        services.designation_create(
            actor=secretariat,
            person=outsider,
            institution=institution,
            kind=D.REPRESENTATIVE,
            body=body,
            start_date=JAN,
        )
    assert refused.value.code == "wrong_institution"


def test_ending_needs_a_handover_note_and_keeps_everything(secretariat, institution):
    designation = DesignationFactory(person=PersonFactory(institution=institution))
    with pytest.raises(ValidationError) as refused:
        services.designation_end(
            actor=secretariat, designation=designation, end_date=JAN, handover_note="   "
        )
    assert "handover_note" in refused.value.message_dict

    ended = services.designation_end(
        actor=secretariat,
        designation=designation,
        end_date=JAN,
        handover_note="Open: the PCB survey. Contacts in the shared drive.",
    )
    assert ended.end_date == JAN
    assert ended.ended_by == secretariat
    assert ended.handover_note.startswith("Open: the PCB survey")
    assert Designation.objects.filter(pk=designation.pk).exists()
    history = list(ended.history.order_by("history_date"))
    assert history[-1].history_user == secretariat
    assert history[-1].end_date == JAN

    with pytest.raises(ValidationError) as again:
        services.designation_end(
            actor=secretariat, designation=ended, end_date=JAN, handover_note="twice"
        )
    assert again.value.code == "already_ended"


def test_end_date_must_follow_start(secretariat, institution):
    designation = DesignationFactory(person=PersonFactory(institution=institution))
    with pytest.raises(ValidationError) as refused:
        services.designation_end(
            actor=secretariat,
            designation=designation,
            end_date=designation.start_date,
            handover_note="note",
        )
    assert refused.value.code == "end_before_start"


def test_members_cannot_designate(member, institution):
    with pytest.raises(PermissionDenied):
        services.designation_create(
            actor=member,
            person=PersonFactory(institution=institution),
            institution=institution,
            kind=D.INSTITUTION_FOCAL_POINT,
            start_date=JAN,
        )


def test_one_open_seat_per_institution_and_body(secretariat, institution):
    body = services.body_create(actor=secretariat, name="Steering Committee", kind="steering")
    services.membership_add(actor=secretariat, body=body, institution=institution, start_date=JAN)
    with pytest.raises(ValidationError) as refused:
        services.membership_add(
            actor=secretariat,
            body=body,
            institution=institution,
            start_date=JAN + datetime.timedelta(days=10),
        )
    assert refused.value.code == "seat_taken"
    # The database holds the line too.
    with pytest.raises(IntegrityError), transaction.atomic():
        Membership.objects.create(body=body, institution=institution, start_date=JAN)


def test_changing_role_keeps_the_old_seat_in_history(secretariat, institution):
    body = services.body_create(actor=secretariat, name="Technical Committee", kind="technical")
    seat = services.membership_add(
        actor=secretariat, body=body, institution=institution, start_date=JAN
    )
    chair = services.membership_change_role(
        actor=secretariat,
        membership=seat,
        role=Membership.Role.CHAIR,
        on=datetime.date(2026, 3, 1),
    )
    seats = list(Membership.objects.filter(body=body).order_by("start_date"))
    assert [(s.role, s.end_date) for s in seats] == [
        (Membership.Role.MEMBER, datetime.date(2026, 3, 1)),
        (Membership.Role.CHAIR, None),
    ]
    assert chair == seats[1]


def test_focal_point_permissions_follow_designation_dates(secretariat, institution):
    from tests.factories import UserFactory

    user = UserFactory()
    person = PersonFactory(institution=institution, user=user)
    DesignationFactory(
        person=person, start_date=datetime.date(2026, 1, 1), end_date=datetime.date(2026, 7, 1)
    )
    assert services.focal_point_permissions_sync(on=datetime.date(2025, 12, 31)) == {
        "granted": 0,
        "revoked": 0,
    }
    assert services.focal_point_permissions_sync(on=datetime.date(2026, 2, 1))["granted"] == 1
    assert services.focal_point_permissions_sync(on=datetime.date(2026, 2, 1))["granted"] == 0
    fresh = type(user).objects.get(pk=user.pk)
    assert fresh.has_perm("coordination.change_institution", institution)
    assert services.focal_point_permissions_sync(on=datetime.date(2026, 7, 1))["revoked"] == 1
    fresh = type(user).objects.get(pk=user.pk)
    assert not fresh.has_perm("coordination.change_institution", institution)


def test_an_institution_cannot_sit_under_itself(secretariat):
    parent = services.institution_create(actor=secretariat, name="Ministry", kind="ministry")
    child = services.institution_create(
        actor=secretariat, name="Unit", kind="ministry", parent=parent
    )
    with pytest.raises(ValidationError):
        services.institution_update(actor=secretariat, institution=parent, parent=child)


def test_registry_changes_are_recorded_with_their_author(secretariat):
    institution = services.institution_create(actor=secretariat, name="EPA", kind="agency")
    services.institution_update(actor=secretariat, institution=institution, acronym="EPA-V")
    records = list(institution.history.order_by("history_date"))
    assert [r.history_type for r in records] == ["+", "~"]
    assert {r.history_user for r in records} == {secretariat}
