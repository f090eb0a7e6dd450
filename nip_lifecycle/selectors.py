"""Reads for the NIP pages and the endorsement package, prefetched so that a page costs a fixed
number of queries."""

import datetime
from collections import Counter, defaultdict
from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied
from django.db.models import Count, Prefetch, QuerySet
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext as _

from coordination.models import DocumentVersion
from ncm_portal import datasets
from nip_lifecycle import permissions as perms
from nip_lifecycle.models import (
    ChecklistItem,
    ConsultationComment,
    Cycle,
    CycleEvent,
    Deliverable,
    DraftSection,
    DraftSectionVersion,
    Objective,
    PriorityIssue,
    Step,
    TechnicalReview,
)
from nip_lifecycle.rules import step_blockers


def cycle_list(*, user) -> QuerySet:
    if not perms.can_view_cycle(user):
        return Cycle.objects.none()
    return (
        Cycle.objects.select_related("lead_body")
        .prefetch_related("amendments", "steps")
        .order_by("-created_at", "-pk")
    )


def cycle_get_for_user(*, user, pk: int, manage: bool = False) -> Cycle:
    cycle = get_object_or_404(
        Cycle.objects.select_related(
            "lead_body",
            "technical_committee",
            "steering_committee",
            "workplan",
            "transmitted_by",
            "acknowledgment",
        ),
        pk=pk,
    )
    allowed = perms.can_manage_cycle(user, cycle) if manage else perms.can_view_cycle(user, cycle)
    if not allowed:
        raise PermissionDenied
    return cycle


def _latest_versions():
    return Prefetch("versions", queryset=DocumentVersion.objects.order_by("-number"))


def steps_for(cycle: Cycle) -> list[Step]:
    """The cycle's steps with what their blockers need."""
    return list(
        cycle.steps.select_related(
            "responsible_body", "approval_ballot", "approval_minutes_item__minutes__meeting"
        )
        .prefetch_related(
            Prefetch("checklist", queryset=ChecklistItem.objects.select_related("done_by")),
            Prefetch("deliverables", queryset=Deliverable.objects.select_related("document")),
            Prefetch(
                "deliverables__document__versions",
                queryset=DocumentVersion.objects.order_by("-number"),
            ),
            Prefetch("reviews", queryset=TechnicalReview.objects.select_related("reviewed_by")),
        )
        .order_by("number")
    )


INVENTORY_YEARS = 5  # an update draws on the inventories of the last few years


def step_inventories(step: Step) -> list:
    """The inventory datasets behind step 4, with their validation status: those covering the
    years before the step ends (or today, while it runs)."""
    end = step.actual_end or step.planned_end or timezone.localdate()
    start = end.replace(year=end.year - INVENTORY_YEARS, month=1, day=1)
    return datasets.covering(start=start, end=end)


def days_left(deadline: datetime.date | None, on: datetime.date) -> int | None:
    return (deadline - on).days if deadline else None


def cycle_detail(*, cycle: Cycle, on: datetime.date | None = None) -> dict:
    on = on or timezone.localdate()
    amendments = list(cycle.amendments.select_related("reference"))
    steps = steps_for(cycle)
    for step in steps:
        step.blockers = step_blockers(step, cycle=cycle, steps=steps)
    deadline = cycle.deadline(amendments)
    return {
        "cycle": cycle,
        "amendments": amendments,
        "steps": steps,
        "current_step": next((s for s in steps if not s.is_completed), None),
        "deadline": deadline,
        "computed_deadline": cycle.computed_deadline(amendments),
        "days_left": days_left(deadline, on),
        "days_late": -(days_left(deadline, on) or 0),
        "timeline": timeline(steps, on=on, deadline=deadline),
        "packages": list(cycle.packages.select_related("requested_by")[:5]),
    }


def step_detail(*, step: Step) -> dict:
    steps = steps_for(step.cycle)
    current = next(s for s in steps if s.pk == step.pk)
    current.blockers = step_blockers(current, cycle=step.cycle, steps=steps)
    return {
        "step": current,
        "cycle": step.cycle,
        "checklist": list(current.checklist.all()),
        "deliverables": list(current.deliverables.all()),
        "reviews": list(current.reviews.all()),
        "events": list(step.events.select_related("actor").order_by("-at", "-pk")),
        "inventories": step_inventories(current) if current.number == 4 else None,
        "deliverables_open": current.deliverables_open(),
    }


# --- The timeline, drawn as SVG on the server -------------------------------------------------


@dataclass
class StepBar:
    step: Step
    label_y: float
    planned: tuple[float, float] | None
    actual: tuple[float, float] | None
    late: bool


@dataclass
class CycleTimeline:
    width: int
    height: int
    label_width: int
    bars: list[StepBar] = field(default_factory=list)
    years: list[tuple[float, str]] = field(default_factory=list)
    today_x: float | None = None
    deadline_x: float | None = None

    @property
    def today_at_end(self) -> bool:
        """Near the right edge, the mark's label is written before its line, not after it."""
        return self.today_x is not None and self.today_x > self.width - LABEL_ROOM

    @property
    def deadline_at_end(self) -> bool:
        return self.deadline_x is not None and self.deadline_x > self.width - LABEL_ROOM


LABEL_ROOM = 80  # wide enough for "deadline" or "today" in every language of the portal


def committee_meetings(step: Step, limit: int = 5) -> list:
    """The steering committee's meetings still to be held, where the step's approval may be
    put on the agenda."""
    from coordination.models import Meeting

    return list(
        Meeting.objects.filter(
            body=step.cycle.steering_committee,
            status__in=[Meeting.Status.PLANNED, Meeting.Status.CONVENED],
        ).order_by("start")[:limit]
    )


def timeline(steps: list[Step], *, on: datetime.date, deadline: datetime.date | None):
    """Geometry of the eight steps, planned (thin, light) against actual (thick, dark)."""
    label_width, chart_width, row = 300, 600, 30
    days = [
        d
        for s in steps
        for d in (s.planned_start, s.planned_end, s.actual_start, s.actual_end)
        if d
    ]
    days += [on] + ([deadline] if deadline else [])
    start, end = min(days), max(days)
    start = datetime.date(start.year, 1, 1)
    end = datetime.date(end.year, 12, 31)
    span = max((end - start).days, 1)

    def x_of(day: datetime.date) -> float:
        return round(label_width + chart_width * (min(max(day, start), end) - start).days / span, 1)

    def bar(first, last):
        if first is None:
            return None
        left, right = x_of(first), x_of(last)
        return (left, max(round(right - left, 1), 3))

    chart = CycleTimeline(
        width=label_width + chart_width + 10,
        height=30 + row * len(steps) + 10,
        label_width=label_width,
    )
    for index, step in enumerate(steps):
        actual_end = step.actual_end or (on if step.actual_start else None)
        chart.bars.append(
            StepBar(
                step=step,
                label_y=30 + index * row + 18,
                planned=bar(step.planned_start, step.planned_end or step.planned_start),
                actual=bar(step.actual_start, actual_end),
                late=bool(step.planned_end and not step.is_completed and step.planned_end < on),
            )
        )
    chart.years = [(x_of(datetime.date(y, 1, 1)), str(y)) for y in range(start.year, end.year + 1)]
    chart.today_x = x_of(on)
    chart.deadline_x = x_of(deadline) if deadline else None
    return chart


# --- Step 5 and step 6 -------------------------------------------------------------------------


def priority_ranking(cycle: Cycle) -> dict:
    """Each issue's weighted score (0 to 5): the sum of weight x score over the weights."""
    criteria = list(cycle.criteria.all())
    total_weight = sum(c.weight for c in criteria)
    rows = []
    for issue in cycle.issues.prefetch_related("scores"):
        scores = {s.criterion_id: s.score for s in issue.scores.all()}
        weighted = (
            sum(c.weight * scores.get(c.pk, 0) for c in criteria) / total_weight
            if total_weight
            else 0
        )
        rows.append(
            {
                "issue": issue,
                "scores": [scores.get(c.pk) for c in criteria],
                "complete": all(c.pk in scores for c in criteria),
                "weighted": round(weighted, 2),
            }
        )
    rows.sort(key=lambda r: (-r["weighted"], r["issue"].title))
    for rank, row in enumerate(rows, start=1):
        row["rank"] = rank
    return {"criteria": criteria, "rows": rows, "total_weight": total_weight}


def objectives_for(cycle: Cycle) -> list[Objective]:
    return list(
        cycle.objectives.select_related("issue", "activity").prefetch_related(
            "actions__task__lead_institution"
        )
    )


def sections_for(cycle: Cycle) -> list[DraftSection]:
    sections = list(
        cycle.sections.prefetch_related(
            Prefetch("versions", queryset=DraftSectionVersion.objects.select_related("created_by")),
            Prefetch(
                "comments",
                queryset=ConsultationComment.objects.select_related(
                    "institution", "author", "version", "resolved_by"
                ),
            ),
        )
    )
    for section in sections:
        versions = list(section.versions.all())
        section.latest = versions[0] if versions else None
    return sections


def comment_statistics(cycle: Cycle) -> dict:
    """Comments per institution and per resolution, for the log and the package."""
    comments = ConsultationComment.objects.filter(section__cycle=cycle)
    by_institution = (
        comments.values("institution__name")
        .annotate(total=Count("pk"))
        .order_by("institution__name")
    )
    resolutions = Counter(comments.values_list("resolution", flat=True))
    per_institution = defaultdict(Counter)
    for name, resolution in comments.values_list("institution__name", "resolution"):
        per_institution[name][resolution] += 1
    return {
        "total": sum(resolutions.values()),
        "by_resolution": [
            (label, resolutions.get(value, 0))
            for value, label in ConsultationComment.Resolution.choices
        ],
        "institutions": [
            {
                "name": row["institution__name"],
                "total": row["total"],
                "pending": per_institution[row["institution__name"]]["pending"],
            }
            for row in by_institution
        ],
    }


def cycle_events(cycle: Cycle, limit: int = 200) -> list[CycleEvent]:
    return list(cycle.events.select_related("step", "actor").order_by("-at", "-pk")[:limit])


# --- The endorsement package -------------------------------------------------------------------


def package_context(cycle: Cycle) -> dict:
    """Everything the endorsement package shows: the cycle, amendments and deadline, each step
    with its dates and approvals, the technical committee's record, the endorsing decision, the
    consultation statistics and the annexes with their SHA-256."""
    cycle = Cycle.objects.select_related(
        "lead_body",
        "technical_committee",
        "steering_committee",
        "transmitted_by",
        "acknowledgment",
    ).get(pk=cycle.pk)
    detail = cycle_detail(cycle=cycle)
    steps = detail["steps"]
    annexes = []
    for step in steps:
        for deliverable in step.deliverables.all():
            versions = list(deliverable.document.versions.all()) if deliverable.document else []
            if versions:
                annexes.append(
                    {
                        "label": f"{step.number}. {deliverable.name}",
                        "document": deliverable.document,
                        "version": versions[0],
                    }
                )
    if cycle.acknowledgment_id:
        latest = cycle.acknowledgment.versions.order_by("-number").first()
        if latest is not None:
            annexes.append(
                {
                    "label": _("Acknowledgment of the transmission"),
                    "document": cycle.acknowledgment,
                    "version": latest,
                }
            )
    endorsement = next((s for s in steps if s.number == 7), None)
    return {
        **detail,
        "reviews": [(s, list(s.reviews.all())) for s in steps if s.needs_technical_review],
        "endorsement": endorsement,
        "statistics": comment_statistics(cycle),
        "issues": PriorityIssue.objects.filter(cycle=cycle).count(),
        "annexes": annexes,
        "generated_at": timezone.now(),
    }
