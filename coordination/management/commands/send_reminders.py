import datetime

from django.core.management.base import BaseCommand

from coordination.ballots.services import sweep
from coordination.services import send_digests, send_due_reminders


class Command(BaseCommand):
    help = (
        "Open and close ballots that are due, and send the reminders that are due (the work "
        "the beat schedule does every few minutes). Safe to run at any time: nothing is sent "
        "twice."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--on", type=datetime.date.fromisoformat, help="Act as if today were this date."
        )
        parser.add_argument("--digests", action="store_true", help="Also send daily digests.")

    def handle(self, *args, on=None, digests=False, **options):
        swept = sweep()
        if swept["opened"] or swept["closed"]:
            self.stdout.write(f"Ballots opened: {swept['opened']}; closed: {swept['closed']}.")
        result = send_due_reminders(on=on)
        self.stdout.write(f"Reminders due: {result['due']}; sent now: {result['sent']}.")
        if digests:
            self.stdout.write(f"Digests sent: {send_digests(on=on)}.")
