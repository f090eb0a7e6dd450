"""The permission wall, seen from outside: wrong role, wrong institution, wrong body."""

import datetime

import pytest
from django.urls import reverse

from coordination.models import Designation, Institution, Membership, Role
from coordination.services import body_create
from tests.factories import (
    BodyFactory,
    DesignationFactory,
    MembershipFactory,
    PersonFactory,
    UserFactory,
    days_from_today,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def registry(institution, other_institution):
    body = BodyFactory(name="Technical Committee")
    seat = MembershipFactory(body=body, institution=other_institution)
    person = PersonFactory(institution=other_institution)
    designation = DesignationFactory(person=person, kind=Designation.Kind.REPRESENTATIVE, body=body)
    return {"body": body, "seat": seat, "person": person, "designation": designation}


def _write_urls(registry, institution):
    """Every page that changes something, with a plausible POST payload."""
    body, seat = registry["body"], registry["seat"]
    month_ago = days_from_today(-30).isoformat()
    return [
        (reverse("coordination:institution-create"), {"name": "X", "kind": "agency"}),
        (
            reverse("coordination:institution-update", args=[institution.pk]),
            {"name": "Renamed", "kind": "customs"},
        ),
        (reverse("coordination:person-create", args=[institution.pk]), {"name": "P"}),
        (
            reverse("coordination:person-update", args=[registry["person"].pk]),
            {"name": "Renamed", "language": "en"},
        ),
        (
            reverse("coordination:designation-create", args=[institution.pk]),
            {"kind": "institution_focal_point", "capacity": "principal"},
        ),
        (
            reverse("coordination:designation-end", args=[registry["designation"].pk]),
            {"end_date": month_ago, "handover_note": "bye"},
        ),
        (reverse("coordination:body-create"), {"name": "B", "kind": "technical"}),
        (reverse("coordination:body-update", args=[body.pk]), {"name": "B2", "kind": "other"}),
        (
            reverse("coordination:membership-create", args=[body.pk]),
            {"institution": institution.pk, "role": "member", "start_date": month_ago},
        ),
        (reverse("coordination:membership-end", args=[seat.pk]), {"end_date": month_ago}),
        (
            reverse("coordination:membership-role", args=[seat.pk]),
            {"role": "chair", "on": month_ago},
        ),
    ]


@pytest.mark.parametrize("role", [Role.VIEWER, Role.MEMBER])
def test_viewers_and_members_can_change_nothing(client, registry, institution, role):
    client.force_login(UserFactory(role=role))
    for url, payload in _write_urls(registry, institution):
        assert client.get(url).status_code == 403, url
        assert client.post(url, payload).status_code == 403, url
    institution.refresh_from_db()
    assert institution.name == "Veridia Customs Service"
    assert not Designation.objects.filter(ended_at__isnull=False).exists()
    assert Membership.objects.count() == 1


def test_focal_point_edits_own_institution_and_its_contacts(client, focal_point, institution):
    client.force_login(focal_point)
    url = reverse("coordination:institution-update", args=[institution.pk])
    assert client.get(url).status_code == 200
    response = client.post(
        url, {"name": "Veridia Customs and Excise", "acronym": "VCE", "kind": "customs"}
    )
    assert response.status_code == 302
    institution.refresh_from_db()
    assert institution.name == "Veridia Customs and Excise"

    response = client.post(
        reverse("coordination:person-create", args=[institution.pk]),
        {"name": "New Officer", "email": "officer@gov.test", "language": "fr", "active": "on"},
    )
    assert response.status_code == 302
    assert institution.people.filter(name="New Officer").exists()


def test_focal_point_gets_403_on_another_institution(
    client, focal_point, other_institution, registry
):
    client.force_login(focal_point)
    for url, payload in [
        (
            reverse("coordination:institution-update", args=[other_institution.pk]),
            {"name": "Hijacked", "kind": "ministry"},
        ),
        (reverse("coordination:person-create", args=[other_institution.pk]), {"name": "Spy"}),
        (
            reverse("coordination:person-update", args=[registry["person"].pk]),
            {"name": "Renamed", "language": "en"},
        ),
    ]:
        assert client.get(url).status_code == 403, url
        assert client.post(url, payload).status_code == 403, url
    other_institution.refresh_from_db()
    assert other_institution.name == "Ministry of Health"


def test_focal_point_cannot_move_a_contact_to_another_institution(
    client, focal_point, institution, other_institution
):
    person = PersonFactory(institution=institution)
    client.force_login(focal_point)
    response = client.post(
        reverse("coordination:person-update", args=[person.pk]),
        {"name": person.name, "institution": other_institution.pk, "language": "en"},
    )
    assert response.status_code == 200  # the other institution is not a choice
    person.refresh_from_db()
    assert person.institution == institution


def test_focal_point_loses_the_right_when_the_designation_ends(
    client, focal_point, institution, secretariat
):
    from coordination.services import designation_end

    designation = Designation.objects.get(person__user=focal_point)
    designation_end(
        actor=secretariat,
        designation=designation,
        end_date=designation.start_date + datetime.timedelta(days=365),
        handover_note="Handed over to the deputy.",
    )
    client.force_login(focal_point)
    url = reverse("coordination:institution-update", args=[institution.pk])
    assert client.get(url).status_code == 403


def test_secretariat_manages_only_the_bodies_it_serves(client, secretariat, registry):
    client.force_login(secretariat)
    other_body = registry["body"]
    assert client.get(reverse("coordination:body-update", args=[other_body.pk])).status_code == 403
    own = body_create(actor=secretariat, name="Working Group on PFAS", kind="working_group")
    assert client.get(reverse("coordination:body-update", args=[own.pk])).status_code == 200
    assert client.get(reverse("coordination:membership-create", args=[own.pk])).status_code == 200


def test_secretariat_keeps_the_registry(client, secretariat, institution):
    client.force_login(secretariat)
    response = client.post(
        reverse("coordination:institution-create"),
        {"name": "National Laboratory", "kind": "laboratory", "active": "on"},
    )
    assert response.status_code == 302
    assert Institution.objects.filter(name="National Laboratory").exists()


def test_administrator_may_do_everything(client, admin_user, registry, institution):
    client.force_login(admin_user)
    for url, _payload in _write_urls(registry, institution):
        assert client.get(url).status_code == 200, url


def test_secretariat_changes_a_seats_role_through_the_page(client, secretariat, institution):
    own = body_create(actor=secretariat, name="Working Group on Mercury", kind="working_group")
    seat = MembershipFactory(body=own, institution=institution)
    client.force_login(secretariat)
    response = client.post(
        reverse("coordination:membership-role", args=[seat.pk]),
        {"role": "chair", "on": days_from_today(-30).isoformat()},
    )
    assert response.status_code == 302
    roles = list(Membership.objects.filter(body=own).order_by("start_date").values_list("role"))
    assert roles == [("member",), ("chair",)]
    page = client.get(reverse("coordination:body-detail", args=[own.pk])).content.decode()
    assert "chaired by" in page


def test_focal_point_cannot_deactivate_or_move_the_institution(client, focal_point, institution):
    client.force_login(focal_point)
    response = client.post(
        reverse("coordination:institution-update", args=[institution.pk]),
        {"name": institution.name, "kind": "customs", "active": "", "parent": ""},
    )
    assert response.status_code == 302
    institution.refresh_from_db()
    assert institution.active is True


def test_the_institutions_kept_are_guardians_answer(
    focal_point, institution, other_institution, secretariat, admin_user, member
):
    """``institution_ids_kept_by`` answers what django-guardian's get_objects_for_user answers:
    the object permission held by the user or through a group, every institution for a
    superuser, none for the others (the secretariat's role-wide permission is not one)."""
    from django.contrib.auth.models import Group
    from guardian.shortcuts import assign_perm, get_objects_for_user

    from coordination import permissions as perms
    from coordination.accounts.auth_backends import _signed_in_user

    group = Group.objects.create(name="Reviewers of the ministry")
    assign_perm(perms.CHANGE_INSTITUTION, group, other_institution)
    member.groups.add(group)
    for user in (focal_point, secretariat, admin_user, member):
        expected = set(
            get_objects_for_user(
                user, perms.CHANGE_INSTITUTION, klass=Institution, accept_global_perms=False
            ).values_list("pk", flat=True)
        )
        # Fetched afresh (the answer is kept on the user object), plain and as a request's
        # signed-in user arrives (knowing whether they keep any institution).
        for reader in (type(user).objects.get(pk=user.pk), _signed_in_user(user.pk)):
            assert perms.institution_ids_kept_by(reader) == expected, user.email
    assert perms.institution_ids_kept_by(focal_point) == {institution.pk}
    assert perms.institution_ids_kept_by(member) == {other_institution.pk}
    assert not perms.institution_ids_kept_by(secretariat)
