"""The endorsement package: one PDF rendered in the background and kept with its hash."""

from django.conf import settings
from django.core.validators import MaxValueValidator
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from .cycles import Cycle


class EndorsementPackage(models.Model):
    class Status(models.TextChoices):
        QUEUED = "queued", _("Queued")
        RENDERING = "rendering", _("Rendering")
        READY = "ready", _("Ready")
        FAILED = "failed", _("Failed")

    cycle = models.ForeignKey(Cycle, on_delete=models.PROTECT, related_name="packages")
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.QUEUED
    )
    progress = models.PositiveSmallIntegerField(
        _("progress"), default=0, validators=[MaxValueValidator(100)]
    )
    file = models.FileField(_("file"), upload_to="nip/packages/", blank=True)
    sha256 = models.CharField(_("SHA-256"), max_length=64, blank=True)
    size = models.PositiveBigIntegerField(_("size"), null=True, blank=True)
    error = models.TextField(_("error"), blank=True)
    requested_at = models.DateTimeField(auto_now_add=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    rendered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["cycle", "-requested_at", "-pk"]
        verbose_name = _("endorsement package")
        verbose_name_plural = _("endorsement packages")
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(status="ready") | ~models.Q(sha256=""),
                name="nip_package_ready_has_hash",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.cycle} package {self.pk}"

    def get_absolute_url(self) -> str:
        return reverse("nip_lifecycle:package-download", args=[self.pk])

    @property
    def is_pending(self) -> bool:
        """Queued or rendering: the page asks again until it is done."""
        return self.status in (self.Status.QUEUED, self.Status.RENDERING)

    @property
    def is_ready(self) -> bool:
        """Rendered, its file ready to download."""
        return self.status == self.Status.READY

    @property
    def has_failed(self) -> bool:
        return self.status == self.Status.FAILED
