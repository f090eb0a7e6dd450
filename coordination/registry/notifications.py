"""E-mail about changes in the registry: designations made and ended."""

from django.urls import reverse
from django.utils import timezone

from coordination.models import ROLE_GROUPS, Designation, Role, User
from coordination.reminders import mail


def designation_created(designation_id: int) -> int:
    """Tell the designated person what they now hold. Returns the number of messages sent."""
    designation = Designation.objects.select_related(
        "person", "institution", "body", "convention_role__convention"
    ).get(pk=designation_id)
    if designation.notified_at is not None or not designation.person.email:
        return 0
    person = designation.person
    sent = mail.send_once(
        f"designation_created:{designation.pk}",
        to=person.email,
        language=person.language,
        template="designation_created",
        context={
            "designation": designation,
            "person": person,
            "url": mail.link(reverse("coordination:person-detail", args=[person.pk])),
        },
    )
    Designation.objects.filter(pk=designation.pk, notified_at=None).update(
        notified_at=timezone.now()
    )
    return int(sent)


def designation_ended(designation_id: int) -> int:
    """Tell the secretariat a designation ended, with the handover note and the vacancy."""
    designation = Designation.objects.select_related(
        "person", "institution", "body", "convention_role__convention"
    ).get(pk=designation_id)
    if designation.end_notified_at is not None or designation.ended_at is None:
        return 0
    recipients = (
        User.objects.filter(is_active=True, groups__name=ROLE_GROUPS[Role.SECRETARIAT])
        .distinct()
        .order_by("email")
    )
    url = mail.link(reverse("coordination:institution-detail", args=[designation.institution_id]))
    sent = 0
    for user in recipients:
        sent += mail.send_once(
            f"designation_ended:{designation.pk}",
            to=user.email,
            language=user.language,
            template="designation_ended",
            context={"designation": designation, "person": designation.person, "url": url},
        )
    Designation.objects.filter(pk=designation.pk, end_notified_at=None).update(
        end_notified_at=timezone.now()
    )
    return sent
