from django.core.management.base import BaseCommand, CommandError

from coordination.ballots.events import audit_verify
from coordination.models import Ballot


class Command(BaseCommand):
    help = "Recompute the hash chain of every ballot's audit trail and report any broken link."

    def add_arguments(self, parser):
        parser.add_argument("--ballot", type=int, help="Verify one ballot only.")

    def handle(self, *args, ballot=None, **options):
        target = Ballot.objects.get(pk=ballot) if ballot else None
        problems = audit_verify(target)
        if problems:
            for problem in problems:
                self.stderr.write(problem)
            raise CommandError(f"{len(problems)} audit chain(s) broken.")
        count = 1 if target else Ballot.objects.count()
        self.stdout.write(self.style.SUCCESS(f"Audit chains intact ({count} ballot(s))."))
