"""Celery worker processes run at a lower CPU priority than the web processes."""

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def _children(pid: int) -> list[int]:
    path = Path(f"/proc/{pid}/task/{pid}/children")
    if not path.exists():
        return []
    return [int(p) for p in path.read_text().split()]


def _nice(pid: int) -> int:
    stat = Path(f"/proc/{pid}/stat").read_text()
    return int(stat.rsplit(")", 1)[1].split()[16])  # field 19: nice


def test_the_nice_increment_defaults_to_ten(settings):
    assert int(os.environ.get("NCM_WORKER_NICE", 10)) == settings.NCM_WORKER_NICE


@pytest.mark.skipif(not Path("/proc/self/task").exists(), reason="needs /proc")
def test_a_started_worker_process_runs_at_the_configured_nice_level():
    env = {**os.environ, "REDIS_URL": "", "NCM_WORKER_NICE": "7", "CELERY_TASK_ALWAYS_EAGER": "0"}
    worker = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "ncm_portal",
            "worker",
            "--pool=prefork",
            "--concurrency=1",
            "--loglevel=WARNING",
            "--without-heartbeat",
            "--without-mingle",
            "--without-gossip",
        ],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    try:
        parent_nice = None
        found = None
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and found is None:
            time.sleep(0.5)
            assert worker.poll() is None, worker.stderr.read().decode()
            parent_nice = _nice(worker.pid)
            for child in _children(worker.pid):
                try:
                    if _nice(child) == min(parent_nice + 7, 19):
                        found = child
                except FileNotFoundError:
                    continue
        assert found is not None, "no worker process lowered its priority"
        # The main process (which only hands out tasks) keeps the web's priority.
        assert parent_nice == os.nice(0)
    finally:
        worker.send_signal(signal.SIGTERM)
        try:
            worker.wait(timeout=30)
        except subprocess.TimeoutExpired:
            worker.kill()
            worker.wait()
