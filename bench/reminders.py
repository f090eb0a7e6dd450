"""Benchmark of the reminder engine.

Creates 10,000 due reminders (10,000 open tasks, each assigned to its own person with an
account), sends them through a local SMTP sink, then sends them again with two sender
processes at once against a fresh record, and checks that exactly 10,000 messages arrive each
time. As a reference, the same number of bare messages is pushed through the same sink in this
process: the ratio tells how much the engine costs over the mail transport itself.

    python bench/reminders.py                 # SQLite in a temporary directory
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres python bench/reminders.py
                                              # a scratch database ncm_bench on that server

The last line printed is one JSON object with the figures (target: "seconds" under 30).
"""

import argparse
import datetime
import json
import os
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from urllib.parse import urlparse, urlunparse

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def scratch_database(workdir: Path) -> str:
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith(("postgres://", "postgresql://")):
        return f"sqlite:///{workdir / 'bench.sqlite3'}?timeout=60"
    import psycopg2

    parsed = urlparse(url)
    admin = psycopg2.connect(
        dbname=parsed.path.lstrip("/") or "postgres",
        user=parsed.username,
        password=parsed.password,
        host=parsed.hostname,
        port=parsed.port or 5432,
    )
    admin.autocommit = True
    with admin.cursor() as cursor:
        cursor.execute("DROP DATABASE IF EXISTS ncm_bench")
        cursor.execute("CREATE DATABASE ncm_bench")
    admin.close()
    return urlunparse(parsed._replace(path="/ncm_bench"))


def _serve_sink(port: int, counter, ready) -> None:
    from aiosmtpd.controller import Controller

    class Handler:
        async def handle_DATA(self, server, session, envelope):
            with counter.get_lock():
                counter.value += len(envelope.rcpt_tos)
            return "250 OK"

    controller = Controller(Handler(), hostname="127.0.0.1", port=port)
    controller.start()
    ready.set()
    threading.Event().wait()  # until terminated


class Sink:
    """A local SMTP server, in its own process like a real one, that counts what it receives."""

    def __init__(self):
        import multiprocessing
        import socket

        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            self.port = probe.getsockname()[1]
        self.counter = multiprocessing.Value("i", 0)
        ready = multiprocessing.Event()
        self.process = multiprocessing.Process(
            target=_serve_sink, args=(self.port, self.counter, ready), daemon=True
        )
        self.process.start()
        if not ready.wait(30):
            raise RuntimeError("the SMTP sink did not start")

    @property
    def received(self) -> int:
        return self.counter.value

    def reset(self):
        with self.counter.get_lock():
            self.counter.value = 0

    def wait_for(self, count, timeout=60.0):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline and self.received < count:
            time.sleep(0.05)
        return self.received

    def stop(self):
        self.process.terminate()
        self.process.join(5)


def populate(count: int) -> None:
    from django.contrib.auth.hashers import make_password
    from django.utils import timezone

    from coordination.models import Activity, Body, Institution, Person, Task, User, Workplan

    body = Body.objects.create(name="Steering Committee", kind="steering")
    institution = Institution.objects.create(name="Environmental Protection Agency", kind="agency")
    workplan = Workplan.objects.create(
        body=body,
        title="Bench workplan",
        period_start=timezone.localdate() - datetime.timedelta(days=365),
        period_end=timezone.localdate() + datetime.timedelta(days=365),
    )
    activity = Activity.objects.create(workplan=workplan, title="Bench activity")
    unusable = make_password(None)
    languages = ("en", "fr", "ru", "es")
    User.objects.bulk_create(
        [
            User(email=f"bench{i}@ncm.test", password=unusable, language=languages[i % 4])
            for i in range(count)
        ],
        batch_size=2000,
    )
    users = list(User.objects.filter(email__startswith="bench").order_by("pk"))
    Person.objects.bulk_create(
        [Person(name=f"Officer {i}", institution=institution, user=u) for i, u in enumerate(users)],
        batch_size=2000,
    )
    due = timezone.localdate() + datetime.timedelta(days=7)
    Task.objects.bulk_create(
        [
            Task(
                activity=activity,
                title=f"Task {i}",
                lead_institution=institution,
                assignee=p,
                start_date=due - datetime.timedelta(days=30),
                due_date=due,
            )
            for i, p in enumerate(Person.objects.order_by("pk"))
        ],
        batch_size=2000,
    )


def reference_send(count: int) -> float:
    """The floor: ``count`` bare messages over one SMTP connection, no database, no templates."""
    from django.core.mail import EmailMessage, get_connection

    started = time.perf_counter()
    with get_connection() as connection:
        batch = []
        for i in range(count):
            batch.append(EmailMessage("Reference", "Body", to=[f"ref{i}@ncm.test"]))
            if len(batch) == 500:
                connection.send_messages(batch)
                batch = []
        if batch:
            connection.send_messages(batch)
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=10_000)
    args = parser.parse_args()

    workdir = Path(tempfile.mkdtemp(prefix="ncm-bench-"))
    sink = Sink()
    env = {
        "DJANGO_SETTINGS_MODULE": "ncm_portal.settings",
        "DJANGO_SECRET_KEY": "bench-only-secret-key-0123456789-abcdefghijklmnopqrstuvwxyz",
        "DJANGO_DEBUG": "0",
        "DJANGO_HTTPS": "0",
        "NCM_VAR_DIR": str(workdir),
        "DATABASE_URL": scratch_database(workdir),
        "EMAIL_URL": f"smtp://127.0.0.1:{sink.port}",
        "LOG_LEVEL": "WARNING",
    }
    os.environ.update(env)
    os.environ.pop("REDIS_URL", None)

    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    from coordination.models import Notification, Reminder
    from coordination.services import send_due_reminders

    call_command("migrate", verbosity=0)
    started = time.perf_counter()
    populate(args.count)
    setup_seconds = time.perf_counter() - started

    reference = reference_send(args.count)
    sink.wait_for(args.count)
    sink.reset()

    started = time.perf_counter()
    result = send_due_reminders()
    received = sink.wait_for(args.count)
    seconds = time.perf_counter() - started

    # Again, from scratch, with two sender processes at the same moment.
    Reminder.objects.all().delete()
    Notification.objects.all().delete()
    connection.close()
    sink.reset()
    child_env = {**os.environ, **env}
    started = time.perf_counter()
    processes = [
        subprocess.Popen(  # noqa: S603 - our own manage.py
            [sys.executable, str(ROOT / "manage.py"), "send_reminders"],
            env=child_env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for _ in range(2)
    ]
    outputs = [p.communicate(timeout=600) for p in processes]
    concurrent_seconds = time.perf_counter() - started
    concurrent_received = sink.wait_for(args.count, timeout=5)
    time.sleep(1)  # anything sent twice would arrive now
    concurrent_received = sink.received
    failures = [err for p, (_, err) in zip(processes, outputs, strict=True) if p.returncode]
    sink.stop()

    figures = {
        "database": connection.vendor,
        "reminders": args.count,
        "setup_seconds": round(setup_seconds, 2),
        "smtp_reference_seconds": round(reference, 2),
        "seconds": round(seconds, 2),
        "sent": result["sent"],
        "received": received,
        "ratio_to_smtp_reference": round(seconds / reference, 2) if reference else None,
        "concurrent_seconds": round(concurrent_seconds, 2),
        "concurrent_received": concurrent_received,
        "concurrent_failures": len(failures),
        "target_seconds": 30,
        "within_target": seconds < 30
        and received == args.count
        and concurrent_received == args.count,
    }
    print(f"{'measure':<28}{'value':>14}")
    for key, value in figures.items():
        print(f"{key:<28}{value!s:>14}")
    for err in failures:
        print(err[-2000:], file=sys.stderr)
    print(json.dumps(figures))


if __name__ == "__main__":
    main()
