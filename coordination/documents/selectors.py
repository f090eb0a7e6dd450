"""Which documents a user may see."""

from django.db.models import Q

from coordination.models import Document, Membership
from coordination.permissions import is_secretariat


def documents_visible_to(user, queryset=None):
    """The documents this user may see, in one query."""
    queryset = queryset if queryset is not None else Document.objects.all()
    if is_secretariat(user):
        return queryset
    person = getattr(user, "person", None)
    visible = Q(audience=Document.Audience.SIGNED_IN)
    if person is not None:
        bodies = Membership.objects.current().filter(institution_id=person.institution_id)
        body_ids = bodies.values("body_id")
        visible |= Q(audience=Document.Audience.BODY_MEMBERS) & (
            Q(body__in=body_ids)
            | Q(meeting__body__in=body_ids)
            | Q(agenda_item__meeting__body__in=body_ids)
            | Q(ballot__body__in=body_ids)
        )
    return queryset.filter(visible)
