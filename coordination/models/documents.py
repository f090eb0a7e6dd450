"""The document library: documents with versions, each version kept with its hash."""

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class Document(models.Model):
    class Category(models.TextChoices):
        TERMS_OF_REFERENCE = "terms_of_reference", _("Terms of reference")
        LETTER = "letter", _("Invitation or designation letter")
        AGENDA = "agenda", _("Agenda")
        MINUTES = "minutes", _("Minutes")
        REPORT = "report", pgettext_lazy("document category", "Report")
        NIP_DRAFT = "nip_draft", _("NIP draft")
        DATASET_ANNEX = "dataset_annex", _("Dataset annex")
        PRESENTATION = "presentation", _("Presentation")
        OTHER = "other", _("Other")

    class Audience(models.TextChoices):
        BODY_MEMBERS = "body_members", _("Members of the body")
        SIGNED_IN = "signed_in", _("Everyone signed in")
        SECRETARIAT = "secretariat", _("The secretariat only")

    title = models.CharField(_("title"), max_length=255)
    category = models.CharField(_("category"), max_length=30, choices=Category.choices)
    audience = models.CharField(
        _("who may see it"),
        max_length=20,
        choices=Audience.choices,
        default=Audience.BODY_MEMBERS,
    )
    description = models.TextField(_("description"), blank=True)
    body = models.ForeignKey(
        "coordination.Body",
        verbose_name=_("body"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="documents",
    )
    meeting = models.ForeignKey(
        "coordination.Meeting",
        verbose_name=_("meeting"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="documents",
    )
    agenda_item = models.ForeignKey(
        "coordination.AgendaItem",
        verbose_name=_("agenda item"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="documents",
    )
    ballot = models.ForeignKey(
        "coordination.Ballot",
        verbose_name=_("ballot"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="documents",
    )
    circulated_at = models.DateTimeField(_("circulated at"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("document")
        verbose_name_plural = _("documents")

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("coordination:document-detail", args=[self.pk])

    @property
    def audience_body(self):
        """The body whose members may see the document."""
        if self.body_id:
            return self.body
        if self.meeting_id:
            return self.meeting.body
        if self.agenda_item_id:
            return self.agenda_item.meeting.body
        if self.ballot_id:
            return self.ballot.body
        return None


def version_path(instance: "DocumentVersion", filename: str) -> str:
    # The stored name is not the uploaded one: it cannot collide, traverse or be guessed.
    extension = filename.rsplit(".", 1)[-1].lower() if "." in filename else "bin"
    return f"documents/{instance.document_id}/{instance.sha256[:16]}.{extension}"


class DocumentVersion(models.Model):
    document = models.ForeignKey(Document, on_delete=models.PROTECT, related_name="versions")
    number = models.PositiveIntegerField(_("version"))
    file = models.FileField(_("file"), upload_to=version_path)
    original_name = models.CharField(_("file name"), max_length=255)
    size = models.PositiveBigIntegerField(_("size"))
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    language = models.CharField(_("language"), max_length=10, choices=settings.LANGUAGES)
    uploaded_at = models.DateTimeField(auto_now_add=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["document", "-number"]
        verbose_name = _("document version")
        verbose_name_plural = _("document versions")
        constraints = [
            models.UniqueConstraint(fields=["document", "number"], name="docversion_unique")
        ]

    def __str__(self) -> str:
        return f"{self.document} v{self.number}"


class DocumentRead(models.Model):
    """Who downloaded which version, so the unread can be reminded."""

    version = models.ForeignKey(DocumentVersion, on_delete=models.CASCADE, related_name="reads")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    read_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["version", "user"], name="docread_once")]

    def __str__(self) -> str:
        return f"{self.user_id} read {self.version_id}"
