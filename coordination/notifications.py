"""E-mail about changes in the registry, each message in its recipient's language.

Each message is sent at most once: the designation row records when it went out."""

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation

from coordination.models import ROLE_GROUPS, Designation, Role, User, WorkplanRevision


def _send(*, to: str, language: str, template: str, context: dict) -> None:
    with translation.override(language or settings.LANGUAGE_CODE):
        subject = render_to_string(f"coordination/email/{template}_subject.txt", context)
        body = render_to_string(f"coordination/email/{template}.txt", context)
    message = EmailMultiAlternatives(" ".join(subject.split()), body, to=[to])
    message.send()


def _link(path: str) -> str:
    return settings.PORTAL_BASE_URL.rstrip("/") + path


@transaction.atomic
def designation_created(designation_id: int) -> int:
    """Tell the designated person what they now hold. Returns the number of messages sent."""
    designation = (
        Designation.objects.select_for_update(of=("self",))
        .select_related("person", "institution", "body", "convention_role__convention")
        .get(pk=designation_id)
    )
    if designation.notified_at is not None or not designation.person.email:
        return 0
    person = designation.person
    _send(
        to=person.email,
        language=person.language,
        template="designation_created",
        context={
            "designation": designation,
            "person": person,
            "url": _link(reverse("coordination:person-detail", args=[person.pk])),
        },
    )
    designation.notified_at = timezone.now()
    designation.save(update_fields=["notified_at"])
    return 1


@transaction.atomic
def designation_ended(designation_id: int) -> int:
    """Tell the secretariat a designation ended, with the handover note and the vacancy."""
    designation = (
        Designation.objects.select_for_update(of=("self",))
        .select_related("person", "institution", "body", "convention_role__convention")
        .get(pk=designation_id)
    )
    if designation.end_notified_at is not None or designation.ended_at is None:
        return 0
    recipients = User.objects.filter(
        is_active=True, groups__name=ROLE_GROUPS[Role.SECRETARIAT]
    ).distinct()
    url = _link(reverse("coordination:institution-detail", args=[designation.institution_id]))
    sent = 0
    for user in recipients:
        _send(
            to=user.email,
            language=user.language,
            template="designation_ended",
            context={"designation": designation, "person": designation.person, "url": url},
        )
        sent += 1
    designation.end_notified_at = timezone.now()
    designation.save(update_fields=["end_notified_at"])
    return sent


@transaction.atomic
def revision_circulated(revision_id: int) -> int:
    """Send a circulated workplan revision to the principal and alternate representatives of
    the institutions it went to, each in their language."""
    revision = (
        WorkplanRevision.objects.select_for_update(of=("self",))
        .select_related("workplan__body")
        .get(pk=revision_id)
    )
    if revision.notified_at is not None or revision.circulated_at is None:
        return 0
    people = {
        d.person
        for d in Designation.objects.current()
        .filter(
            kind=Designation.Kind.REPRESENTATIVE,
            body=revision.workplan.body,
            institution__in=revision.circulated_to.all(),
        )
        .exclude(person__email="")
        .select_related("person")
    }
    url = _link(reverse("coordination:revision-detail", args=[revision.pk]))
    for person in sorted(people, key=lambda p: p.email):
        _send(
            to=person.email,
            language=person.language,
            template="revision_circulated",
            context={"revision": revision, "person": person, "url": url},
        )
    revision.notified_at = timezone.now()
    revision.save(update_fields=["notified_at"])
    return len(people)
