"""The document library: uploads (checked for size and content), versions, circulation and
who has read what."""

import hashlib

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.template.defaultfilters import filesizeformat
from django.utils import timezone
from django.utils.translation import gettext as _

from coordination import permissions as perms
from coordination.models import (
    AgendaItem,
    Body,
    Document,
    DocumentRead,
    DocumentVersion,
    Meeting,
    User,
)
from ncm_portal.uploads import check_content, safe_filename


def _check_upload(upload) -> str:
    """The size, the type and the content checked; returns the name to keep and send back."""
    limit = settings.NCM_DOCUMENT_MAX_BYTES
    if upload.size > limit:
        raise ValidationError(
            {
                "file": _("The file is %(size)s; the largest accepted is %(limit)s.")
                % {"size": filesizeformat(upload.size), "limit": filesizeformat(limit)}
            },
            code="too_large",
        )
    name = safe_filename(upload.name)
    extension = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    if extension not in settings.NCM_DOCUMENT_EXTENSIONS:
        raise ValidationError(
            {
                "file": _("Files of type “.%(ext)s” are not accepted. Accepted: %(allowed)s.")
                % {"ext": extension or "?", "allowed": ", ".join(settings.NCM_DOCUMENT_EXTENSIONS)}
            },
            code="refused_type",
        )
    check_content(upload, extension, name=name)
    return name


def _new_version(document: Document, upload, language: str, actor: User) -> DocumentVersion:
    name = _check_upload(upload)
    digest = hashlib.sha256()
    for chunk in upload.chunks():
        digest.update(chunk)
    upload.seek(0)
    number = (document.versions.aggregate(m=Max("number"))["m"] or 0) + 1
    version = DocumentVersion(
        document=document,
        number=number,
        original_name=name,
        size=upload.size,
        sha256=digest.hexdigest(),
        language=language,
        uploaded_by=actor,
    )
    version.file.save(name, upload, save=False)
    version.save()
    return version


@transaction.atomic
def document_upload(
    *,
    actor: User,
    title: str,
    category: str,
    audience: str,
    file,
    language: str,
    description: str = "",
    body: Body | None = None,
    meeting: Meeting | None = None,
    agenda_item: AgendaItem | None = None,
    ballot=None,
) -> Document:
    owner = (
        body
        or (meeting.body if meeting else None)
        or (agenda_item.meeting.body if agenda_item else None)
        or (ballot.body if ballot else None)
    )
    if ballot is not None and not ballot.accepts_documents():
        raise ValidationError(_("Documents are attached to a ballot before it opens."))
    perms.require(perms.can_add_documents(actor, owner))
    document = Document(
        title=title,
        category=category,
        audience=audience,
        description=description,
        body=body,
        meeting=meeting,
        agenda_item=agenda_item,
        ballot=ballot,
        created_by=actor,
    )
    document.full_clean()
    document.save()
    _new_version(document, file, language, actor)
    return document


@transaction.atomic
def document_add_version(*, actor: User, document: Document, file, language: str):
    perms.require(perms.can_add_documents(actor, document.audience_body))
    Document.objects.select_for_update().get(pk=document.pk)
    return _new_version(document, file, language, actor)


@transaction.atomic
def document_circulate(*, actor: User, document: Document) -> Document:
    """Send the document's link to the invitees of its meeting (or the body's representatives)
    ahead of the meeting; the time it went out is kept."""
    from coordination import tasks

    perms.require(perms.can_add_documents(actor, document.audience_body))
    document = Document.objects.select_for_update().get(pk=document.pk)
    document.circulated_at = timezone.now()
    document.save(update_fields=["circulated_at"])
    transaction.on_commit(lambda: tasks.document_circulated_notify.delay(document.pk))
    return document


def document_mark_read(*, user: User, version: DocumentVersion) -> None:
    """Record that this user opened this version (one insert; a second open changes nothing),
    so that it leaves their "What needs me" list and their reminders."""
    DocumentRead.objects.bulk_create(
        [DocumentRead(version=version, user=user)], ignore_conflicts=True
    )
