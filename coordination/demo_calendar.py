"""The demo's calendar: the demo is written as a story seen on one day, and told on another.

The tables of coordination's demo (coordination/demo/) and of the apps' demo seeders give their
dates as they stand on ``STORY_DAY``: the progress round due four days later, the Steering Committee
convened for ten days later, meetings held over the year before, and so on. When the demo is
built, every such date moves by the same whole number of weeks, so that the story's day falls on
the day ``seed_demo`` runs (within three days; weekdays stay what they were). A demo built
earlier keeps the calendar it was built with: running ``seed_demo`` again on a later day adds
nothing and moves nothing.

Dates that are facts and not part of the story stay as they are: the Article 15 reporting rounds'
deadlines and the Convention amendments come from reference data, and a past NIP cycle of 2010-2012
is history.
"""

from __future__ import annotations

import datetime
import zoneinfo
from dataclasses import dataclass

from django.utils import timezone

STORY_DAY = datetime.date(2026, 12, 6)


@dataclass(frozen=True)
class DemoCalendar:
    """Moves the story's dates by ``shift`` (a whole number of weeks)."""

    shift: datetime.timedelta

    @classmethod
    def for_day(cls, day: datetime.date | None = None) -> DemoCalendar:
        """The calendar that puts the story's day on ``day`` (today by default)."""
        day = day or timezone.localdate()
        weeks = round((day - STORY_DAY).days / 7)
        return cls(datetime.timedelta(weeks=weeks))

    @property
    def today(self) -> datetime.date:
        """The story's day, moved: the day the demo was built, give or take three days."""
        return self.on(STORY_DAY)

    @property
    def years(self) -> int:
        """Whole years between the story and the demo, for years named in titles and files."""
        return self.today.year - STORY_DAY.year

    def on(self, day: datetime.date) -> datetime.date:
        """A date of the story, moved."""
        return day + self.shift

    def year(self, year: int) -> int:
        """A year named in the story, moved with it."""
        return year + self.years

    def at(
        self, day: datetime.date, hour: int = 9, minute: int = 0, zone: str | None = None
    ) -> datetime.datetime:
        """A moment of the story, moved: ``hour:minute`` on that day, in ``zone`` (the portal's
        time zone by default)."""
        tz = zoneinfo.ZoneInfo(zone) if zone else timezone.get_current_timezone()
        return timezone.make_aware(
            datetime.datetime.combine(self.on(day), datetime.time(hour, minute)), tz
        )

    def since(self, moment: datetime.datetime) -> datetime.datetime:
        """A moment of the story written as a date and time, moved."""
        return moment + self.shift

    def month_start(self, day: datetime.date) -> datetime.date:
        """A date of the story, moved, then to the nearest first day of a month (for periods that
        begin with a month)."""
        moved = self.on(day)
        this = moved.replace(day=1)
        following = (this + datetime.timedelta(days=32)).replace(day=1)
        return this if moved - this <= following - moved else following

    def month_end(self, day: datetime.date) -> datetime.date:
        """A date of the story, moved, then to the nearest last day of a month."""
        moved = self.on(day)
        this = (moved.replace(day=1) + datetime.timedelta(days=32)).replace(day=1)
        this -= datetime.timedelta(days=1)
        previous = moved.replace(day=1) - datetime.timedelta(days=1)
        return this if this - moved <= moved - previous else previous


def period_name(start: datetime.date, end: datetime.date) -> str:
    """'2026-2027' for whole calendar years, 'July 2026 to June 2028' otherwise."""
    if (start.month, start.day, end.month, end.day) == (1, 1, 12, 31):
        return f"{start.year}-{end.year}"
    return f"{start:%B %Y} to {end:%B %Y}"
