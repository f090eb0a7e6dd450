"""Giving a person a sign-in from their page: the invitation, its single-use link in the
person's language, resending and revoking, the role that follows designations, and the wall
around it."""

import datetime
import re

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from coordination import services
from coordination.models import Designation, Invitation, Role, User
from tests.factories import DesignationFactory, InstitutionFactory, PersonFactory, UserFactory

pytestmark = pytest.mark.django_db
PASSWORD = "a long new passphrase 42"


@pytest.fixture
def invitee(secretariat):
    body = services.body_create(actor=secretariat, name="Steering Committee", kind="steering")
    institution = InstitutionFactory(name="Ministry of Health")
    person = PersonFactory(
        institution=institution,
        name="Amina Diallo",
        email="amina@moh.test",
        language="fr",
        user=None,
    )
    DesignationFactory(person=person, kind=Designation.Kind.REPRESENTATIVE, body=body)
    return person


def _invite(client, actor, person, django_capture_on_commit_callbacks):
    client.force_login(actor)
    with django_capture_on_commit_callbacks(execute=True):
        return client.post(reverse("coordination:person-invite", args=[person.pk]))


def _link(message) -> str:
    return re.search(r"https?://\S+/accounts/welcome/\S+/", message.body).group(0)


def _path(link: str) -> str:
    return "/" + link.split("/", 3)[3]


def test_the_secretariat_invites_and_the_link_sets_a_password_once(
    client, secretariat, invitee, django_capture_on_commit_callbacks
):
    response = _invite(client, secretariat, invitee, django_capture_on_commit_callbacks)
    assert response.status_code == 302
    (message,) = mail.outbox
    assert message.to == ["amina@moh.test"]
    user = User.objects.get(email="amina@moh.test")
    assert user.person == invitee and not user.has_usable_password()
    assert user.role == Role.MEMBER  # a representative: the role follows the designation
    page = client.get(invitee.get_absolute_url()).content.decode()
    assert "never signed in" in page and "Revoke the invitation" in page
    institution_page = reverse("coordination:institution-detail", args=[invitee.institution_id])
    assert "never signed in" in client.get(institution_page).content.decode()

    client.logout()
    path = _path(_link(message))
    assert "Choose your password" in client.get(path).content.decode()
    response = client.post(path, {"new_password1": PASSWORD, "new_password2": PASSWORD})
    assert response.status_code == 302 and response.url == reverse("login")
    assert User.objects.get(pk=user.pk).check_password(PASSWORD)
    # Single use.
    assert "This link no longer works" in client.get(path).content.decode()
    response = client.post(
        path, {"new_password1": "another passphrase 99", "new_password2": "another passphrase 99"}
    )
    assert User.objects.get(pk=user.pk).check_password(PASSWORD)


def test_the_invitation_is_written_in_the_persons_language(
    secretariat, invitee, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        services.invitation_send(actor=secretariat, person=invitee)
    (message,) = mail.outbox
    # French, as the person prefers, the name isolated from the text around it
    assert message.body.startswith("Bonjour \u2068Amina Diallo\u2069,")


def test_resending_voids_the_earlier_link_and_revoking_voids_it_too(
    client, secretariat, invitee, django_capture_on_commit_callbacks
):
    _invite(client, secretariat, invitee, django_capture_on_commit_callbacks)
    first = _path(_link(mail.outbox[0]))
    _invite(client, secretariat, invitee, django_capture_on_commit_callbacks)
    second = _path(_link(mail.outbox[1]))
    assert Invitation.objects.get().times_sent == 2
    client.logout()
    assert "This link no longer works" in client.get(first).content.decode()
    assert "Choose your password" in client.get(second).content.decode()
    client.force_login(secretariat)
    client.post(reverse("coordination:person-invitation-revoke", args=[invitee.pk]))
    assert Invitation.objects.get().revoked_at is not None
    client.logout()
    assert "This link no longer works" in client.get(second).content.decode()


def test_the_link_expires_after_the_days_set(
    client, secretariat, invitee, settings, django_capture_on_commit_callbacks, monkeypatch
):
    settings.INVITATION_DAYS = 3
    _invite(client, secretariat, invitee, django_capture_on_commit_callbacks)
    path = _path(_link(mail.outbox[0]))
    client.logout()
    from coordination.accounts import services as accounts

    later = accounts.InvitationTokenGenerator()._now() + datetime.timedelta(days=3, hours=1)
    monkeypatch.setattr(accounts.InvitationTokenGenerator, "_now", lambda self: later)
    assert "This link no longer works" in client.get(path).content.decode()


def test_only_the_secretariat_invites(client, secretariat, invitee):
    url = reverse("coordination:person-invite", args=[invitee.pk])
    revoke = reverse("coordination:person-invitation-revoke", args=[invitee.pk])
    assert client.post(url).status_code == 302 and "/accounts/login/" in client.post(url).url
    for role in (Role.MEMBER, Role.FOCAL_POINT, Role.VIEWER):
        client.force_login(UserFactory(role=role))
        assert client.post(url).status_code == 403
        assert client.post(revoke).status_code == 403
        assert "Invite to sign in" not in client.get(invitee.get_absolute_url()).content.decode()
    assert not User.objects.filter(email="amina@moh.test").exists()
    client.force_login(secretariat)
    assert "Invite to sign in" in client.get(invitee.get_absolute_url()).content.decode()


def test_an_address_in_use_or_missing_is_refused_plainly(client, secretariat, invitee):
    UserFactory(email="amina@moh.test")
    client.force_login(secretariat)
    response = client.post(reverse("coordination:person-invite", args=[invitee.pk]), follow=True)
    assert "Another account already uses amina@moh.test." in response.content.decode()
    nobody = PersonFactory(email="", user=None)
    response = client.post(reverse("coordination:person-invite", args=[nobody.pk]), follow=True)
    assert "e-mail address first" in response.content.decode()
    assert not Invitation.objects.exists()


def test_ending_the_last_designation_withdraws_what_it_granted(secretariat):
    institution = InstitutionFactory(name="Customs")
    user = UserFactory(email="focal@customs.test", role=Role.VIEWER)
    person = PersonFactory(institution=institution, user=user)
    focal = services.designation_create(
        actor=secretariat,
        person=person,
        institution=institution,
        kind=Designation.Kind.INSTITUTION_FOCAL_POINT,
        start_date=timezone.localdate() - datetime.timedelta(days=30),
    )
    user = User.objects.get(pk=user.pk)
    assert user.role == Role.FOCAL_POINT
    assert user.has_perm("coordination.change_institution", institution)
    services.designation_end(
        actor=secretariat,
        designation=focal,
        end_date=timezone.localdate(),
        handover_note="Moved on.",
    )
    user = User.objects.get(pk=user.pk)
    assert user.role == Role.VIEWER
    assert not user.has_perm("coordination.change_institution", institution)
    # The secretariat's own role is never taken by a designation's end.
    assert User.objects.get(pk=secretariat.pk).role == Role.SECRETARIAT
