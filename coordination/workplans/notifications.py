"""E-mail to the members of a body when a revision of its workplan is circulated."""

from django.urls import reverse
from django.utils import timezone

from coordination.models import WorkplanRevision
from coordination.registry.selectors import body_representatives
from coordination.reminders import mail


def revision_circulated(revision_id: int) -> int:
    """Send a circulated workplan revision to the principal and alternate representatives of
    the institutions it went to, each in their language."""
    revision = WorkplanRevision.objects.select_related("workplan__body").get(pk=revision_id)
    if revision.notified_at is not None or revision.circulated_at is None:
        return 0
    people = {
        d.person
        for d in body_representatives(
            revision.workplan.body, institutions=revision.circulated_to.all()
        )
        if d.person.email
    }
    url = mail.link(reverse("coordination:revision-detail", args=[revision.pk]))
    sent = 0
    for person in sorted(people, key=lambda p: p.email):
        sent += mail.send_once(
            f"revision_circulated:{revision.pk}",
            to=person.email,
            language=person.language,
            template="revision_circulated",
            context={"revision": revision, "person": person, "url": url},
        )
    WorkplanRevision.objects.filter(pk=revision.pk, notified_at=None).update(
        notified_at=timezone.now()
    )
    return sent
