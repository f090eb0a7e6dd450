"""The year a performance report covers, and what its sections share."""

import datetime
from dataclasses import dataclass

from django.db.models import Q

from coordination.models import (
    Institution,
    Meeting,
    Membership,
    start_of,
    today,
)

HELD = (Meeting.Status.HELD, Meeting.Status.MINUTES_APPROVED)
PENDING = (Meeting.Status.PLANNED, Meeting.Status.CONVENED)
VOTING_SEATS = (Membership.Role.CHAIR, Membership.Role.VICE_CHAIR, Membership.Role.MEMBER)
YEARS_OFFERED = 10
EPOCH = datetime.datetime(1970, 1, 1, tzinfo=datetime.UTC)


@dataclass(frozen=True)
class Period:
    """One calendar year: ``first`` and ``after`` bound it (``after`` excluded); ``until`` is the
    first day not yet counted (the day after today while the year is in progress)."""

    year: int
    first: datetime.date
    after: datetime.date
    until: datetime.date

    @classmethod
    def of(cls, year: int, *, on: datetime.date | None = None) -> "Period":
        on = on or today()
        first, after = datetime.date(year, 1, 1), datetime.date(year + 1, 1, 1)
        return cls(year, first, after, min(after, on + datetime.timedelta(days=1)))

    @property
    def last(self) -> datetime.date:
        return self.after - datetime.timedelta(days=1)

    @property
    def in_progress(self) -> bool:
        return self.until < self.after

    @property
    def moments(self) -> dict:
        """Bounds of the year as aware datetimes at local midnight."""
        return {"gte": start_of(self.first), "lt": start_of(self.after)}

    def during(self, field: str) -> Q:
        bounds = self.moments
        return Q(**{f"{field}__gte": bounds["gte"], f"{field}__lt": bounds["lt"]})


def default_year(on: datetime.date | None = None) -> int:
    """The last complete year."""
    return (on or today()).year - 1


def years_offered(on: datetime.date | None = None) -> list[int]:
    current = (on or today()).year
    return list(range(current, current - YEARS_OFFERED, -1))


def percent(part, whole) -> float | None:
    if not whole:
        return None
    return round(100 * float(part) / float(whole), 1)


# --- 1. Meetings against each body's regular frequency ----------------------------------------


def institutions_by_id(ids: set, known: dict | None) -> dict:
    """The institutions of ``ids`` by primary key: from ``known`` (every institution, loaded once
    for the whole report) or in one query."""
    if known is None:
        return Institution.objects.in_bulk(ids)
    return {pk: known[pk] for pk in ids if pk in known}
