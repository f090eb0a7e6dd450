"""Submission schedules: the periods each institution owes, when each is due, and which are late."""

import datetime
from dataclasses import dataclass

from django.db.models import Q
from django.utils import timezone

from inventories.models import DatasetVersion, SubmissionSchedule


@dataclass(frozen=True)
class Owed:
    schedule: SubmissionSchedule
    period_start: datetime.date
    period_end: datetime.date
    due: datetime.date
    delivered: DatasetVersion | None

    @property
    def late(self) -> bool:
        return self.delivered is None and self.due < timezone.localdate()

    def days_late(self, on: datetime.date) -> int:
        return (on - self.due).days


def _add_months(day: datetime.date, months: int) -> datetime.date:
    month = day.month - 1 + months
    return datetime.date(day.year + month // 12, month % 12 + 1, 1)


STEP = {"monthly": 1, "quarterly": 3, "yearly": 12}


def periods(schedule: SubmissionSchedule, *, until: datetime.date):
    """(start, end, due) of every period whose due date is on or before ``until``."""
    start = schedule.starts_on.replace(day=1)
    step = STEP[schedule.frequency]
    while True:
        following = _add_months(start, step)
        end = following - datetime.timedelta(days=1)
        if schedule.ends_on and end > schedule.ends_on:
            return
        due = end + datetime.timedelta(days=schedule.days_after_period)
        if due > until:
            return
        yield start, end, due
        start = following


def owed(
    *,
    on: datetime.date,
    horizon_days: int = 30,
    since_days: int = 400,
    institution=None,
    institution_ids=None,
):
    """Every period due between ``since_days`` ago and ``horizon_days`` ahead, with the validated
    version that covers it, if any (one query for the schedules, one for the versions)."""
    schedules = SubmissionSchedule.objects.select_related("institution")
    if institution is not None:
        schedules = schedules.filter(institution=institution)
    if institution_ids is not None:
        schedules = schedules.filter(institution_id__in=institution_ids)
    schedules = list(schedules)
    if not schedules:
        return []
    versions = list(
        DatasetVersion.objects.filter(
            status=DatasetVersion.Status.VALIDATED,
            dataset__institution_id__in={s.institution_id for s in schedules},
        )
        .filter(Q(superseded_at__isnull=True))
        .select_related("dataset")
    )
    first_due = on - datetime.timedelta(days=since_days)
    result = []
    for schedule in schedules:
        for start, end, due in periods(schedule, until=on + datetime.timedelta(days=horizon_days)):
            if due < first_due:
                continue
            delivered = next(
                (
                    v
                    for v in versions
                    if v.dataset.institution_id == schedule.institution_id
                    and v.dataset.dataset_type == schedule.dataset_type
                    and v.dataset.period_start <= start
                    and v.dataset.period_end >= end
                ),
                None,
            )
            result.append(Owed(schedule, start, end, due, delivered))
    result.sort(key=lambda o: (o.due, o.schedule.institution.name))
    return result
