import datetime

from django.core.management.base import BaseCommand

from coordination.services import send_digests, send_due_reminders


class Command(BaseCommand):
    help = (
        "Send the reminders that are due (the same work the beat schedule does every few "
        "minutes). Safe to run at any time: nothing is sent twice."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--on", type=datetime.date.fromisoformat, help="Act as if today were this date."
        )
        parser.add_argument("--digests", action="store_true", help="Also send daily digests.")

    def handle(self, *args, on=None, digests=False, **options):
        result = send_due_reminders(on=on)
        self.stdout.write(f"Reminders due: {result['due']}; sent now: {result['sent']}.")
        if digests:
            self.stdout.write(f"Digests sent: {send_digests(on=on)}.")
