"""The demo registry. Each app registers its demo seeders in ``AppConfig.ready()``, and the
``seed_demo`` command runs every one of them in order, in one transaction, so that no app needs to
know the apps above it: coordination builds the mechanism (institutions, people, bodies, accounts,
the workplan, meetings and ballots), and the apps built on it add their own story to it.

A seeder is a function that takes the run (``DemoRun``), by its dotted path, so that registering it
imports nothing. The first seeder (coordination's) fills in what the others read from the run: the
demo calendar, the institutions, people and bodies by key, and the demo accounts. Seeders run in
ascending ``order``; the numbers leave room between them:

- 10 coordination: the mechanism;
- 20 inventories: accepted datasets and submission schedules;
- 25 inventories: the transboundary movements of wastes behind the Basel annual report;
- 30 coordination: the regions added by ``--scale``;
- 40 inventories: the national customs extract of ``--scale``;
- 50 nip_lifecycle: the NIP cycles, past and current;
- 60 coordination: focal points' permissions, for the designations added above;
- 70 reporting: the Article 15 reports.

Every seeder must leave the database as it is when it finds its part already there: running the
demo again changes nothing."""

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from django.utils.module_loading import import_string


@dataclass
class DemoRun:
    """What the seeders share: the command's options, and what the earlier seeders built."""

    scale: int = 1
    customs_rows: int = 0
    calendar: Any = None  # coordination.demo_calendar.DemoCalendar
    institutions: dict[str, Any] = field(default_factory=dict)  # by acronym
    people: dict[str, Any] = field(default_factory=dict)  # by key, e.g. "amara.okonkwo"
    bodies: dict[str, Any] = field(default_factory=dict)  # by acronym
    users: list[Any] = field(default_factory=list)  # the demo accounts

    def user(self, email: str, default=None):
        """The demo account with this e-mail address, or ``default``."""
        return next((u for u in self.users if u.email == email), default)

    @property
    def secretariat(self):
        return self.user("secretariat@ncm.example")


@dataclass(frozen=True)
class DemoSeeder:
    name: str  # e.g. "inventories.datasets"
    order: int
    seed: str  # dotted path of a function taking the DemoRun


_registry: dict[str, DemoSeeder] = {}


def register(name: str, order: int, seed: str) -> None:
    """Register (or replace, on reload) one seeder."""
    _registry[name] = DemoSeeder(name, order, seed)


def seeders() -> list[DemoSeeder]:
    """Every registered seeder, in the order they run."""
    return sorted(_registry.values(), key=lambda s: (s.order, s.name))


@transaction.atomic
def run(demo: DemoRun) -> DemoRun:
    """Run every seeder in order, all or nothing."""
    for seeder in seeders():
        seed: Callable[[DemoRun], None] = import_string(seeder.seed)
        seed(demo)
    return demo
