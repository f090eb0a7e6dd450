"""External events on the calendar, and each user's secret calendar-feed token."""

import secrets

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from coordination import permissions as perms
from coordination.models import CalendarToken, ExternalEvent, User
from ncm_portal.services import assign_fields


@transaction.atomic
def external_event_save(
    *, actor: User, event: ExternalEvent | None = None, conventions=(), **fields
):
    perms.require(perms.can_add_events(actor))
    event = event or ExternalEvent(created_by=actor)
    assign_fields(
        event, fields, {"title", "kind", "start", "end", "time_zone", "location", "url", "public"}
    )
    if event.end <= event.start:
        raise ValidationError({"end": _("The event must end after it starts.")})
    event.full_clean()
    event.save()
    event.conventions.set(conventions)
    return event


@transaction.atomic
def calendar_token_renew(*, user: User) -> CalendarToken:
    """Revoke the user's feed address, if any, and make a new one."""
    CalendarToken.objects.filter(user=user, revoked_at__isnull=True).update(
        revoked_at=timezone.now()
    )
    return CalendarToken.objects.create(user=user, token=secrets.token_urlsafe(32))


@transaction.atomic
def calendar_token_revoke(*, user: User) -> int:
    return CalendarToken.objects.filter(user=user, revoked_at__isnull=True).update(
        revoked_at=timezone.now()
    )
