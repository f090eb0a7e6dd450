"""A real Celery worker in its own process, pointed at the test database, for tests that kill it."""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import uuid
from pathlib import Path

from django.db import connection

from tests import shifted_clock

ROOT = Path(__file__).resolve().parents[2]


def current_database_url() -> str:
    """The URL of the database the test runs on (the test database, not the configured one)."""
    db = connection.settings_dict
    auth = db["USER"] or ""
    if db["PASSWORD"]:
        auth += f":{db['PASSWORD']}"
    host = db["HOST"] or "localhost"
    port = f":{db['PORT']}" if db["PORT"] else ""
    return f"postgres://{auth}@{host}{port}/{db['NAME']}"


class WorkerProcess:
    """``celery worker`` with the solo pool on one queue, in a session of its own so that it and
    any child it forks can be killed together."""

    def __init__(self, *, queue: str, redis_url: str, media_root: Path, log: Path):
        self.queue = queue
        self.log = log
        self.env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "ncm_portal.settings",
            "DATABASE_URL": current_database_url(),
            "DATABASE_CONN_MAX_AGE": "0",
            "REDIS_URL": redis_url,
            "MEDIA_ROOT": str(media_root),
            "CELERY_TASK_ALWAYS_EAGER": "0",
            "PYTHONUNBUFFERED": "1",
        }
        self.process: subprocess.Popen | None = None

    def start(self) -> WorkerProcess:
        name = f"killtest-{uuid.uuid4().hex[:8]}@%h"
        command = shifted_clock.python_module(  # on the tests' clock when it is shifted
            "celery",
            "-A",
            "ncm_portal",
            "worker",
            "-Q",
            self.queue,
            "-n",
            name,
            "--pool=solo",
            "--concurrency=1",
            "-l",
            "WARNING",
            "--without-gossip",
            "--without-mingle",
            "--without-heartbeat",
        )
        with open(self.log, "ab") as output:
            self.process = subprocess.Popen(  # noqa: S603 - our own worker command
                command,
                cwd=ROOT,
                env=self.env,
                stdout=output,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        return self

    @property
    def alive(self) -> bool:
        return self.process is not None and self.process.poll() is None

    def kill(self) -> None:
        """SIGKILL, as the kernel's OOM killer or a lost machine would: no cleanup at all."""
        if self.process is None:
            return
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait(10)

    def stop(self, timeout: float = 10) -> None:
        """Ask the worker to stop, then kill it if it does not."""
        if not self.alive:
            return
        try:
            os.killpg(self.process.pid, signal.SIGTERM)
            self.process.wait(timeout)
        except ProcessLookupError:
            pass
        except subprocess.TimeoutExpired:
            self.kill()

    def output(self) -> str:
        try:
            return self.log.read_text(errors="replace")[-4000:]
        except OSError:
            return ""
