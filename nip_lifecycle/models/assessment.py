"""Step 5 (priority assessment, objectives, action plans) and step 6 (the draft NIP in sections,
its versions, and the consultation on it)."""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from .cycles import Cycle

SCORE_MAX = 5


class PriorityCriterion(models.Model):
    cycle = models.ForeignKey(Cycle, on_delete=models.CASCADE, related_name="criteria")
    order = models.PositiveSmallIntegerField(default=0)
    name = models.CharField(_("criterion"), max_length=120)
    weight = models.PositiveSmallIntegerField(
        _("weight"), default=1, validators=[MinValueValidator(0), MaxValueValidator(10)]
    )

    class Meta:
        ordering = ["cycle", "order", "pk"]
        verbose_name = _("priority criterion")
        verbose_name_plural = _("priority criteria")
        constraints = [
            models.UniqueConstraint(fields=["cycle", "name"], name="nip_criterion_once"),
            models.CheckConstraint(condition=Q(weight__lte=10), name="nip_criterion_weight_max"),
        ]

    def __str__(self) -> str:
        return self.name


class PriorityIssue(models.Model):
    cycle = models.ForeignKey(Cycle, on_delete=models.CASCADE, related_name="issues")
    title = models.CharField(_("issue"), max_length=255)
    description = models.TextField(_("description"), blank=True)

    class Meta:
        ordering = ["cycle", "pk"]
        verbose_name = _("priority issue")
        verbose_name_plural = _("priority issues")
        constraints = [
            models.UniqueConstraint(fields=["cycle", "title"], name="nip_issue_once"),
        ]

    def __str__(self) -> str:
        return self.title


class PriorityScore(models.Model):
    issue = models.ForeignKey(PriorityIssue, on_delete=models.CASCADE, related_name="scores")
    criterion = models.ForeignKey(PriorityCriterion, on_delete=models.CASCADE, related_name="+")
    score = models.PositiveSmallIntegerField(
        _("score"), validators=[MinValueValidator(0), MaxValueValidator(SCORE_MAX)]
    )

    class Meta:
        verbose_name = _("priority score")
        verbose_name_plural = _("priority scores")
        constraints = [
            models.UniqueConstraint(fields=["issue", "criterion"], name="nip_score_once"),
            models.CheckConstraint(condition=Q(score__lte=SCORE_MAX), name="nip_score_max"),
        ]

    def __str__(self) -> str:
        return f"{self.issue_id}/{self.criterion_id}: {self.score}"


class Objective(models.Model):
    cycle = models.ForeignKey(Cycle, on_delete=models.CASCADE, related_name="objectives")
    issue = models.ForeignKey(
        PriorityIssue,
        verbose_name=_("issue"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="objectives",
    )
    title = models.CharField(_("objective"), max_length=255)
    target = models.TextField(_("target"), blank=True)
    # The workplan activity that carries this objective's action plan.
    activity = models.ForeignKey(
        "coordination.Activity",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        ordering = ["cycle", "pk"]
        verbose_name = _("objective")
        verbose_name_plural = _("objectives")

    def __str__(self) -> str:
        return self.title


class ActionPlanItem(models.Model):
    """An activity of an objective's action plan; it becomes a task of the workplan."""

    objective = models.ForeignKey(Objective, on_delete=models.CASCADE, related_name="actions")
    title = models.CharField(_("activity"), max_length=255)
    task = models.OneToOneField("coordination.Task", on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["objective", "pk"]
        verbose_name = _("action plan activity")
        verbose_name_plural = _("action plan activities")

    def __str__(self) -> str:
        return self.title


class DraftSection(models.Model):
    cycle = models.ForeignKey(Cycle, on_delete=models.CASCADE, related_name="sections")
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    title = models.CharField(_("section"), max_length=255)

    class Meta:
        ordering = ["cycle", "order", "pk"]
        verbose_name = _("draft section")
        verbose_name_plural = _("draft sections")
        constraints = [
            models.UniqueConstraint(fields=["cycle", "title"], name="nip_section_once"),
        ]

    def __str__(self) -> str:
        return self.title


class DraftSectionVersion(models.Model):
    section = models.ForeignKey(DraftSection, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField(_("version"))
    text = models.TextField(_("text"))
    note = models.CharField(_("what changed"), max_length=255, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["section", "-number"]
        verbose_name = _("section version")
        verbose_name_plural = _("section versions")
        constraints = [
            models.UniqueConstraint(fields=["section", "number"], name="nip_section_version"),
        ]

    def __str__(self) -> str:
        return f"{self.section} v{self.number}"


class ConsultationComment(models.Model):
    class Resolution(models.TextChoices):
        PENDING = "pending", _("Awaiting resolution")
        ACCEPTED = "accepted", pgettext_lazy("comment resolution", "Accepted")
        PARTLY = "partly", _("Partly accepted")
        NOT_ACCEPTED = "not_accepted", _("Not accepted")

    section = models.ForeignKey(DraftSection, on_delete=models.CASCADE, related_name="comments")
    version = models.ForeignKey(DraftSectionVersion, on_delete=models.PROTECT, related_name="+")
    institution = models.ForeignKey(
        "coordination.Institution",
        verbose_name=_("institution"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    text = models.TextField(_("comment"))
    created_at = models.DateTimeField(auto_now_add=True)
    resolution = models.CharField(
        _("resolution"), max_length=20, choices=Resolution.choices, default=Resolution.PENDING
    )
    resolution_reason = models.TextField(_("reason"), blank=True)
    resolved_at = models.DateTimeField(null=True, blank=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["section", "created_at", "pk"]
        verbose_name = _("consultation comment")
        verbose_name_plural = _("consultation comments")
        constraints = [
            models.CheckConstraint(
                condition=Q(resolution__in=["pending", "accepted"]) | ~Q(resolution_reason=""),
                name="nip_comment_resolution_reason",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.institution}: {self.text[:40]}"

    @property
    def resolution_tone(self) -> str:
        """The colour of its resolution badge."""
        tones = {self.Resolution.PENDING: "warning", self.Resolution.NOT_ACCEPTED: "danger"}
        return tones.get(self.resolution, "success")
