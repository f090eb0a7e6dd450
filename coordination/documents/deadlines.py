"""Documents' deadlines: the papers of a meeting in the coming week not yet read."""

import datetime
import zoneinfo

from django.db.models import Exists, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from coordination.meetings.deadlines import representing, seated
from coordination.models import Meeting, start_of
from ncm_portal.deadlines import Deadline, DeadlineKind, rows


def _meeting_papers(on: datetime.date) -> Q:
    """Documents of a convened meeting in the coming week: its own, or its agenda items'."""
    horizon = start_of(on + datetime.timedelta(days=8))
    now = timezone.now()
    return Q(
        meeting__status=Meeting.Status.CONVENED,
        meeting__start__gte=now,
        meeting__start__lt=horizon,
    ) | Q(
        agenda_item__meeting__status=Meeting.Status.CONVENED,
        agenda_item__meeting__start__gte=now,
        agenda_item__meeting__start__lt=horizon,
    )


def documents_unread(on: datetime.date):
    """Documents circulated for a meeting in the coming week (its own or its agenda items')
    that an invitee has not opened."""
    from coordination.meetings.services import invitees
    from coordination.models import Document, DocumentRead

    documents = (
        Document.objects.filter(_meeting_papers(on), circulated_at__isnull=False)
        .select_related("meeting__body", "agenda_item__meeting__body")
        .prefetch_related("versions")
    )
    for document in documents:
        latest = max(document.versions.all(), key=lambda v: v.number, default=None)
        if latest is None:
            continue
        meeting = document.meeting or document.agenda_item.meeting
        readers = set(DocumentRead.objects.filter(version=latest).values_list("user_id", flat=True))
        users = {
            d.person.user_id
            for d in invitees(meeting)
            if d.person.user_id and d.person.user_id not in readers
        }
        if users:
            yield _document_deadline(
                document.pk,
                latest.number,
                document.title,
                meeting.start,
                meeting.time_zone,
                meeting.title,
                tuple(sorted(users)),
            )


def _document_deadline(pk, number, title, start, time_zone, meeting, recipients) -> Deadline:
    return Deadline(
        kind="document_unread",
        key=f"document:{pk}:v{number}",
        due=timezone.localtime(start, zoneinfo.ZoneInfo(time_zone)).date(),
        title=title,
        url=reverse("coordination:document-detail", args=[pk]),
        recipient_ids=recipients,
        context={"meeting": meeting},
    )


def document_rows(me, on: datetime.date):
    """The circulated documents of this person's meetings in the coming week whose latest
    version they have not opened."""
    from coordination.models import Document, DocumentRead, DocumentVersion

    if me.person_id is None or not me.representations:
        return None
    latest = DocumentVersion.objects.filter(document=OuterRef("pk")).order_by("-number")
    documents = (
        Document.objects.filter(_meeting_papers(on), circulated_at__isnull=False)
        .annotate(
            paper_body=Coalesce("meeting__body_id", "agenda_item__meeting__body_id"),
            paper_start=Coalesce("meeting__start", "agenda_item__meeting__start"),
            paper_meeting=Coalesce("meeting__title", "agenda_item__meeting__title"),
            paper_zone=Coalesce("meeting__time_zone", "agenda_item__meeting__time_zone"),
            latest_number=Subquery(latest.values("number")[:1]),
        )
        .filter(
            seated(me, on, "paper_body"),
            paper_body__in={d.body_id for d in me.representations},
            latest_number__isnull=False,
        )
        .exclude(
            Exists(
                DocumentRead.objects.filter(
                    version__document=OuterRef("pk"),
                    version__number=OuterRef("latest_number"),
                    user_id=me.user_id,
                )
            )
        )
    )
    return rows(
        documents,
        "document_unread",
        id1="pk",
        id2="paper_body",
        id3="latest_number",
        moment="paper_start",
        text1="title",
        text2="paper_meeting",
        text3="paper_zone",
    )


def documents_from_rows(me, on: datetime.date, found):
    for row in found:
        if representing(me, row["id2"], row["moment"]):
            yield _document_deadline(
                row["id1"],
                row["id3"],
                row["text1"],
                row["moment"],
                row["text3"],
                row["text2"],
                (me.user_id,),
            )


DOCUMENT_UNREAD = DeadlineKind(
    "document_unread",
    _("Meeting documents not yet read"),
    documents_unread,
    lead_days=(3, 1),
    overdue_every_days=None,
    person_rows=document_rows,
    from_rows=documents_from_rows,
)
