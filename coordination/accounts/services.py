"""Giving a person a sign-in without the Django admin: the secretariat invites them from their
page, the invitation's link lets them set a password once, and their role follows their
designations (an institution focal point, a member for any other designation, a viewer once the
last one has ended)."""

import datetime

from django.conf import settings
from django.contrib.auth.models import Group
from django.contrib.auth.tokens import PasswordResetTokenGenerator
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import EmailMessage
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.crypto import constant_time_compare
from django.utils.encoding import force_bytes
from django.utils.http import base36_to_int, urlsafe_base64_encode
from django.utils.translation import gettext as _

from coordination import permissions as perms
from coordination.models import ROLE_GROUPS, Designation, Invitation, Person, Role, User
from ncm_portal.services import save_with_history

# The roles designations decide; the secretariat's and administrators' are given by hand.
FOLLOWING_DESIGNATIONS = (Role.FOCAL_POINT, Role.MEMBER, Role.VIEWER)


class InvitationTokenGenerator(PasswordResetTokenGenerator):
    """Django's password-reset tokens, bound to the invitation: setting the password, signing in,
    sending the invitation again or revoking it each void the links sent before."""

    key_salt = "coordination.services.accounts.InvitationTokenGenerator"

    def _now(self):
        # Django's tokens count naive seconds; read them from the portal's one clock, in UTC.
        return timezone.now().replace(tzinfo=None)

    def _make_hash_value(self, user, timestamp):
        invitation = Invitation.objects.filter(user=user).first()
        state = ""
        if invitation is not None:
            state = (
                f"{invitation.sent_at.timestamp()}{invitation.revoked_at}{invitation.accepted_at}"
            )
        login = user.last_login and user.last_login.replace(microsecond=0, tzinfo=None)
        return f"{user.pk}{user.password}{login or ''}{timestamp}{user.email}{state}"

    def check_token(self, user, token):
        """As Django checks a reset token, but valid for ``settings.INVITATION_DAYS``."""
        if not (user and token):
            return False
        try:
            ts_b36, _hash = token.split("-")
            ts = base36_to_int(ts_b36)
        except ValueError:
            return False
        if not any(
            constant_time_compare(self._make_token_with_timestamp(user, ts, secret), token)
            for secret in [self.secret, *self.secret_fallbacks]
        ):
            return False
        age = self._num_seconds(self._now()) - ts
        return age <= settings.INVITATION_DAYS * 24 * 3600


invitation_tokens = InvitationTokenGenerator()


def can_invite(user) -> bool:
    """The secretariat (and administrators) invite people to sign in."""
    return perms.can_designate(user)


def role_from_designations(person: Person, on: datetime.date | None = None) -> Role:
    current = set(
        Designation.objects.current(on or timezone.localdate())
        .filter(person=person)
        .values_list("kind", flat=True)
    )
    if Designation.Kind.INSTITUTION_FOCAL_POINT in current:
        return Role.FOCAL_POINT
    return Role.MEMBER if current else Role.VIEWER


def account_role_sync(*, person: Person) -> Role | None:
    """Give the person's account the role their designations call for (and the focal point's
    right to their institution's record, or take it away). The secretariat's and the
    administrators' roles are left as they are. Returns the role, or None if left alone."""
    from coordination.registry.services import focal_point_permissions_sync

    user = person.user
    if user is None:
        return None
    names = set(user.groups.values_list("name", flat=True))
    by_hand = {ROLE_GROUPS[Role.ADMINISTRATOR], ROLE_GROUPS[Role.SECRETARIAT]}
    if user.is_superuser or names & by_hand:
        return None
    role = role_from_designations(person)
    following = Group.objects.filter(name__in=[ROLE_GROUPS[r] for r in FOLLOWING_DESIGNATIONS])
    user.groups.remove(*following.exclude(name=ROLE_GROUPS[role]))
    user.groups.add(following.get(name=ROLE_GROUPS[role]))
    if hasattr(user, "_group_names"):
        del user._group_names
    focal_point_permissions_sync(user_ids=[user.pk])
    return role


def invitation_link(user: User) -> str:
    path = reverse(
        "invitation-accept",
        args=[urlsafe_base64_encode(force_bytes(user.pk)), invitation_tokens.make_token(user)],
    )
    return settings.PORTAL_BASE_URL.rstrip("/") + path


def _send(invitation: Invitation, person: Person) -> None:
    user = invitation.user
    with translation.override(person.language or user.language or settings.LANGUAGE_CODE):
        context = {
            "person": person,
            "link": invitation_link(user),
            "days": settings.INVITATION_DAYS,
            "email": user.email,
            "sent_by": invitation.sent_by,
        }
        subject = render_to_string("coordination/email/invitation_subject.txt", context)
        body = render_to_string("coordination/email/invitation.txt", context)
    EmailMessage(" ".join(subject.split()), body, to=[user.email]).send()


@transaction.atomic
def invitation_send(*, actor: User, person: Person) -> Invitation:
    """Invite the person to sign in, or send the invitation again (the earlier link stops
    working). Creates their account if they have none, with no password until they set one."""
    if not can_invite(actor):
        raise PermissionDenied
    locked = Person.objects.select_for_update(of=("self",)).select_related("user")
    person = locked.get(pk=person.pk)
    user = person.user
    if user is None:
        email = person.email.strip().lower()
        if not email:
            raise ValidationError(
                _("Record %(name)s's e-mail address first: the invitation goes there.")
                % {"name": person.name},
                code="no_email",
            )
        if User.objects.filter(email__iexact=email).exists():
            raise ValidationError(
                _("Another account already uses %(email)s.") % {"email": email}, code="taken"
            )
        user = User.objects.create_user(
            email=email, full_name=person.name, language=person.language or "en"
        )  # an unusable password until the invitation is accepted
        person.user = user
        person.save(update_fields=["user"])
    elif user.last_login is not None and user.has_usable_password():
        raise ValidationError(
            _("%(name)s already signs in; the password can be reset from the sign-in page.")
            % {"name": person.name},
            code="signs_in",
        )
    elif not user.is_active:
        raise ValidationError(_("This account has been closed."), code="closed")
    account_role_sync(person=person)
    invitation = Invitation.objects.select_for_update().filter(user=user).first()
    if invitation is None:
        invitation = Invitation(user=user, sent_at=timezone.now(), sent_by=actor, times_sent=1)
    else:
        invitation.sent_at, invitation.sent_by = timezone.now(), actor
        invitation.times_sent += 1
        invitation.revoked_at = invitation.accepted_at = None
    save_with_history(invitation, actor)
    pk = invitation.pk
    transaction.on_commit(
        lambda: _send(Invitation.objects.select_related("user", "sent_by").get(pk=pk), person)
    )
    return invitation


@transaction.atomic
def invitation_revoke(*, actor: User, person: Person) -> Invitation:
    """The invitation's link stops working; the account stays without a password."""
    if not can_invite(actor):
        raise PermissionDenied
    locked = Invitation.objects.select_for_update(of=("self",))
    invitation = locked.filter(user__person=person).first()
    if invitation is None or not invitation.pending:
        raise ValidationError(_("There is no pending invitation to revoke."), code="none")
    invitation.revoked_at = timezone.now()
    save_with_history(invitation, actor)
    return invitation


@transaction.atomic
def invitation_accept(*, user: User, token: str, password: str) -> User:
    """Set the invited person's password, once, with a valid link."""
    if not invitation_tokens.check_token(user, token):
        raise ValidationError(
            _(
                "This invitation link has expired, was replaced by a newer one or was already "
                "used. Ask the secretariat to send it again."
            ),
            code="invalid_link",
        )
    invitation = Invitation.objects.select_for_update().get(user=user)
    if not invitation.pending or not user.is_active:
        raise ValidationError(_("This invitation is no longer valid."), code="invalid_link")
    user.set_password(password)
    user.save(update_fields=["password"])
    invitation.accepted_at = timezone.now()
    save_with_history(invitation, user)
    return user
