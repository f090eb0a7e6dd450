"""Reads of the obligations, shared by the pages, the country's standing and the performance
report: every obligation of every convention as one kind of row, whether the portal holds it as
an instance (Basel, Rotterdam, Minamata) or reads it from the machinery that carries it
(Stockholm's Article 15 rounds and NIP update cycles). A fixed number of queries."""

import datetime
from dataclasses import dataclass

from django.db.models import Prefetch
from django.urls import reverse
from django.utils import timezone

from coordination.models import Convention, Designation
from nip_lifecycle.models import Cycle
from reporting.models import ObligationInstance, Report, Round
from reporting.models.obligations import obligation_status
from reporting.obligations import register, reports

DONE_REPORTS = (Report.Status.SUBMITTED, Report.Status.SUPERSEDED)


@dataclass
class Row:
    convention: str  # the convention's code
    obligation: register.Obligation
    label: str
    due: datetime.date
    status: str  # "due", "late" or "done" (obligation_status)
    url: str
    due_confirmed: bool = True
    period_start: datetime.date | None = None
    period_end: datetime.date | None = None
    completed_on: datetime.date | None = None
    reference: str = ""
    responsible_institution: object = None
    responsible_body: object = None
    instance: ObligationInstance | None = None
    may_complete: bool = False  # set by the page for the person reading it
    import_response: object = None
    report: Report | None = None  # the national report the portal holds for it (latest version)

    @property
    def met_on_time(self) -> bool | None:
        return None if self.completed_on is None else self.completed_on <= self.due

    @property
    def counted_as(self) -> str:
        """For the performance report: "on_time", "late" (met late, or open past its due
        date) or "open"."""
        if self.status == "done":
            return "on_time" if self.met_on_time else "late"
        return "late" if self.status == "late" else "open"


def _instance_rows(on: datetime.date, convention: str | None) -> list[Row]:
    entries = register.obligations()
    instances = ObligationInstance.objects.select_related(
        "convention", "responsible_institution", "responsible_body", "import_response"
    )
    if convention is not None:
        instances = instances.filter(convention__code=convention)
    instances = list(instances)
    held = reports.reports_for(instances)
    return [
        Row(
            convention=i.convention.code,
            obligation=entries[i.obligation],
            label=i.label,
            due=i.due_on,
            status=i.status(on),
            url=i.get_absolute_url(),
            due_confirmed=i.due_confirmed,
            period_start=i.period_start,
            period_end=i.period_end,
            completed_on=i.completed_on,
            reference=i.completion_reference,
            responsible_institution=i.responsible_institution,
            responsible_body=i.responsible_body,
            instance=i,
            import_response=getattr(i, "import_response", None),
            report=held.get(i.pk),
        )
        for i in instances
        if i.obligation in entries
    ]


def _round_rows(on: datetime.date, institution) -> list[Row]:
    """Article 15 rounds from the first one the portal holds a report for (the rounds due from
    today when it holds none): met on the first submission."""
    entry = register.get("stockholm-national-report")
    reports = Report.objects.order_by("submitted_on", "version")
    rounds = list(
        Round.objects.filter(convention="stockholm").prefetch_related(
            Prefetch("reports", queryset=reports)
        )
    )
    started = [r.number for r in rounds if r.reports.all()]
    first = min(started) if started else None
    rows = []
    for round_ in rounds:
        if (round_.number < first) if first is not None else (round_.due < on):
            continue
        submitted = next(
            (r for r in round_.reports.all() if r.status in DONE_REPORTS and r.submitted_on), None
        )
        completed = submitted.submitted_on if submitted else None
        rows.append(
            Row(
                convention="stockholm",
                obligation=entry,
                label=str(round_.label),
                due=round_.due,
                status=obligation_status(round_.due, completed, on),
                url=reverse("reporting:article15-list") + f"#round-{round_.number}",
                due_confirmed="unconfirmed" not in round_.source.lower(),
                period_start=round_.period_start,
                period_end=round_.period_end,
                completed_on=completed,
                reference=submitted.submission_reference if submitted else "",
                responsible_institution=institution,
            )
        )
    return rows


def _cycle_rows(on: datetime.date, institution) -> list[Row]:
    entry = register.get("stockholm-nip-transmission")
    rows = []
    cycles = (
        Cycle.objects.exclude(status=Cycle.Status.ABANDONED)
        .select_related("lead_body")
        .prefetch_related("amendments")
    )
    for cycle in cycles:
        due = cycle.deadline(list(cycle.amendments.all()))
        if due is None:
            continue
        rows.append(
            Row(
                convention="stockholm",
                obligation=entry,
                label=cycle.title,
                due=due,
                status=obligation_status(due, cycle.transmitted_on, on),
                url=cycle.get_absolute_url(),
                completed_on=cycle.transmitted_on,
                reference=cycle.transmission_reference,
                responsible_institution=institution,
                responsible_body=cycle.lead_body,
            )
        )
    return rows


def focal_points(on: datetime.date | None = None) -> dict[str, list[Designation]]:
    """The current holders of every convention role, by convention code. One query."""
    designations = (
        Designation.objects.current(on or timezone.localdate())
        .filter(kind=Designation.Kind.CONVENTION)
        .select_related("person", "institution", "convention_role__convention")
        .order_by("convention_role__order", "-capacity", "person__name")
    )
    found: dict[str, list[Designation]] = {}
    for designation in designations:
        found.setdefault(designation.convention_role.convention.code, []).append(designation)
    return found


def _contact_institution(points: dict[str, list[Designation]], convention: str, role: str):
    return next(
        (d.institution for d in points.get(convention, []) if d.convention_role.code == role),
        None,
    )


def obligation_rows(
    *, on: datetime.date | None = None, convention: str | None = None, points=None
) -> list[Row]:
    """Every obligation of one convention (or of all), by due date."""
    on = on or timezone.localdate()
    rows = _instance_rows(on, convention)
    if convention in (None, "stockholm"):
        points = focal_points(on) if points is None else points
        ocp = _contact_institution(points, "stockholm", "official-contact-point")
        rows += _round_rows(on, ocp) + _cycle_rows(on, ocp)
    return sorted(rows, key=lambda r: (r.due, r.label))


def convention_overview(*, convention: Convention, on: datetime.date | None = None) -> dict:
    """One convention's page: what it asks (the register), what is late, due and done, and who
    holds its roles."""
    on = on or timezone.localdate()
    points = focal_points(on)
    rows = obligation_rows(on=on, convention=convention.code, points=points)
    return {
        "convention": convention,
        "register": register.for_convention(convention.code),
        "late": [r for r in rows if r.status == "late"],
        "due": [r for r in rows if r.status == "due"],
        "done": sorted(
            (r for r in rows if r.status == "done"), key=lambda r: r.completed_on, reverse=True
        ),
        "focal_points": points.get(convention.code, []),
        "on": on,
    }


def standing(*, on: datetime.date | None = None) -> list[dict]:
    """The country's standing, per convention the mechanism covers: the next obligation, the
    last one met (date and reference), the focal points, what is late, and the counts behind
    them."""
    on = on or timezone.localdate()
    points = focal_points(on)
    rows = obligation_rows(on=on, points=points)
    found = []
    for convention in Convention.objects.filter(covered=True).order_by("order", "code"):
        mine = [r for r in rows if r.convention == convention.code]
        due = [r for r in mine if r.status == "due"]
        done = sorted((r for r in mine if r.status == "done"), key=lambda r: r.completed_on)
        found.append(
            {
                "convention": convention,
                "next": due[0] if due else None,
                "last_done": done[-1] if done else None,
                "late": [r for r in mine if r.status == "late"],
                "focal_points": points.get(convention.code, []),
                "counts": {s: sum(r.status == s for r in mine) for s in ("due", "late", "done")},
                "total": len(mine),
            }
        )
    return found


def met_on_time(*, first: datetime.date, last: datetime.date, on: datetime.date) -> list[dict]:
    """Per convention, the obligations due from ``first`` to ``last``: met on time, late (met
    late or still open past their due date on ``on``) and open."""
    rows = [r for r in obligation_rows(on=on, points={}) if first <= r.due <= last]
    found = []
    for convention in Convention.objects.order_by("order", "code"):
        mine = [r for r in rows if r.convention == convention.code]
        counts = {k: sum(r.counted_as == k for r in mine) for k in ("on_time", "late", "open")}
        found.append({"convention": convention, **counts, "total": len(mine)})
    return found
