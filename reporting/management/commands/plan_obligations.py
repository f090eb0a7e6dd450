"""Plan the obligations under the conventions from the register: the instances due from a year
ago to two years ahead that do not exist yet. Safe to run any number of times (daily from
cron or Celery beat, or by hand)."""

from django.core.management.base import BaseCommand

from reporting.obligations.services import obligations_plan


class Command(BaseCommand):
    help = "Create the coming obligation instances from the obligations register."

    def handle(self, *args, **options):
        created = obligations_plan()
        for instance in created:
            self.stdout.write(f"{instance.due_on}  {instance.label}")
        self.stdout.write(self.style.SUCCESS(f"{len(created)} obligations planned."))
