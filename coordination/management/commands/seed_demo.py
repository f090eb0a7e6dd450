"""Build the demo mechanism of a fictional Party. Running it again changes nothing.

Each app registers its part of the demo in ``AppConfig.ready()`` (see ncm_portal/demo.py); this
command runs them in order, in one transaction. Coordination's part is in coordination/demo/.

``--scale N`` adds N-1 regions, for load tests and benchmarks. Each region has 16 provincial
institutions with ten people each, every one seated in the NCM with a principal representative; a
regional committee of the 16 with principals and alternates, three two-year workplans (5 activities,
645 tasks in all, with leads, assignees, due dates, some overdue, budgets) and 64 monthly meetings
with attendance from four years back. ``--scale 32`` is the national size: about 500 institutions,
5,000 people, 20,000 tasks, 2,000 meetings, and a million customs declarations (``--customs-rows``,
1,000,000 x (N-1)/31 by default) loaded through the real ingest pipeline and accepted."""

from django.core.management.base import BaseCommand, CommandError
from django.db import connection

from coordination.demo import summary
from coordination.fragments import REGISTRY, WORKPLANS
from ncm_portal import demo, fragments

FULL_SCALE = 32
FULL_CUSTOMS_ROWS = 1_000_000


class Command(BaseCommand):
    help = "Load the demo mechanism of a fictional Party. Safe to run again."

    def add_arguments(self, parser):
        parser.add_argument(
            "--scale",
            type=int,
            default=1,
            help="Add N-1 regions of institutions, people, tasks and meetings; 32 is the "
            "national size (about 500 institutions, 5,000 people, 20,000 tasks, 2,000 meetings).",
        )
        parser.add_argument(
            "--customs-rows",
            type=int,
            default=None,
            help="Customs declarations of the national extract loaded with --scale "
            "(default 1,000,000 x (N-1)/31; 0 for none).",
        )

    def handle(self, *args, scale: int = 1, customs_rows: int | None = None, **options):
        if scale < 1:
            raise CommandError("--scale must be 1 or more.")
        if customs_rows is None:
            customs_rows = FULL_CUSTOMS_ROWS * (scale - 1) // (FULL_SCALE - 1)
        if customs_rows < 0:
            raise CommandError("--customs-rows must be 0 or more.")
        run = demo.run(demo.DemoRun(scale=scale, customs_rows=customs_rows))
        fragments.bump(REGISTRY, WORKPLANS)  # COPY loads pass the connection's watch by
        self.stdout.write(self.style.SUCCESS(summary(run)))
        if scale > 1 and connection.vendor == "postgresql":
            # After a bulk load the planner's statistics are those of an empty mechanism until
            # autovacuum comes by; fresh ones keep the first page views on good plans.
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE")
