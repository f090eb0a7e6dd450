"""A real worker killed in the middle of an ingest leaves the version whole or failed, never half
loaded, and the stored file untouched; a new worker finishes the job."""

import hashlib
import json
import time
import uuid
from unittest import mock

import pytest
from django.conf import settings
from django.core.cache import cache
from django.db import connection

from inventories import services, tasks
from inventories.ingest.progress import progress_key
from inventories.models import CustomsRecord, DatasetVersion, RejectedRow
from tests.conftest import IN_CI, require_service
from tests.inventories.helpers import csv_bytes, customs_row, receive
from tests.inventories.worker_process import WorkerProcess

Status = DatasetVersion.Status
ROWS = 200_000

if not IN_CI and not (
    settings.DATABASES["default"]["ENGINE"].endswith("postgresql") and settings.REDIS_URL
):  # outside CI, skip before a test database is built; in CI both are checked and required
    pytest.skip("needs PostgreSQL (DATABASE_URL) and Redis (REDIS_URL)", allow_module_level=True)


def wait_for(condition, timeout: float, step: float = 0.05):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(step)
    return None


def big_customs_file(rows: int) -> bytes:
    countries = ("DE", "NL", "FR", "CN", "IN", "US")
    codes = ("8471.30", "8703.23", "0901.11", "3824.82", "8504.22", "6109.10")
    return csv_bytes(
        [
            customs_row(
                n,
                hs_code=codes[n % len(codes)],
                origin_country=countries[n % len(countries)],
                net_mass_kg=f"{n % 9973}.{n % 1000:03d}",
                declared_on="31/02/2025" if n % 1000 == 0 else "2025-03-14",  # a few bad rows
            )
            for n in range(1, rows + 1)
        ]
    )


def discard_queue(queue: str) -> None:
    """Drop what is left of the test's queue in Redis, including the message the killed worker
    had taken (kombu keeps it as unacknowledged and would put it back after the visibility
    timeout, long after this test)."""
    import redis

    client = redis.Redis.from_url(settings.REDIS_URL)
    client.delete(queue, f"_kombu.binding.{queue}", f"_kombu.binding_permanent.{queue}")
    for tag, raw in client.hscan_iter("unacked"):
        try:
            routing_key = json.loads(raw)[2]
        except (ValueError, IndexError, TypeError):
            continue
        if routing_key == queue:
            client.hdel("unacked", tag)
            client.zrem("unacked_index", tag)
    client.close()


@pytest.mark.celery_worker
@pytest.mark.django_db(transaction=True)
def test_a_worker_killed_mid_ingest_leaves_nothing_partial(focal_point, institution, tmp_path):
    require_service("PostgreSQL (DATABASE_URL)", connection.vendor == "postgresql")
    require_service("Redis (REDIS_URL)", bool(settings.REDIS_URL))
    queue = f"ncm-test-killed-{uuid.uuid4().hex[:12]}"  # no other worker or test reads it
    log = tmp_path / "worker.log"

    def start_worker():
        return WorkerProcess(
            queue=queue, redis_url=settings.REDIS_URL, media_root=settings.MEDIA_ROOT, log=log
        ).start()

    def enqueue(version_id):
        tasks.process_version.apply_async((version_id,), queue=queue)

    content = big_customs_file(ROWS)
    digest = hashlib.sha256(content).hexdigest()
    workers = []
    version = None
    try:
        workers.append(start_worker())
        # The real upload path: dataset_receive stores the file and enqueues the task on commit;
        # only the queue is this test's own.
        with mock.patch.object(tasks.process_version, "delay", side_effect=enqueue):
            version = receive(focal_point, institution, content)
        assert version.status in (Status.RECEIVED, Status.VALIDATING)

        def reading():
            progress = cache.get(progress_key(version.pk)) or {}
            return progress.get("read", 0) > 0

        assert wait_for(reading, 30), f"the worker never started reading:\n{workers[0].output()}"
        workers[0].kill()
        assert not workers[0].alive

        # Killed mid-transaction: nothing of the version is visible, it is still validating.
        version.refresh_from_db()
        assert version.status == Status.VALIDATING, version.status
        assert not CustomsRecord.objects.filter(version=version).exists()
        assert not RejectedRow.objects.filter(version=version).exists()

        workers.append(start_worker())
        # A live ingest refreshes its heartbeat key (120 s TTL); the dead worker never will, so
        # the key expires. Deleting it stands in for that expiry without waiting two minutes.
        cache.delete(progress_key(version.pk))
        assert services.resume_stalled(older_than_seconds=0) == [version.pk]
        enqueue(version.pk)
        # With acks_late, the killed worker's own message may come back too; its claim finds the
        # version taken or done, and it does nothing.

        def finished():
            version.refresh_from_db()
            return version.status in (Status.VALIDATED, Status.FAILED)

        assert wait_for(finished, 45, step=0.2), (
            f"still {version.status} after the restart:\n{workers[1].output()}"
        )
    finally:
        for worker in workers:
            worker.stop()
        discard_queue(queue)
        if version is not None:
            cache.delete(progress_key(version.pk))

    loaded = CustomsRecord.objects.filter(version=version).count()
    rejected = RejectedRow.objects.filter(version=version).count()
    if version.status == Status.VALIDATED:
        assert loaded == version.rows_accepted
        assert rejected == version.rows_rejected
        assert version.rows_read == ROWS
        assert version.rows_accepted + version.rows_rejected == ROWS
        assert version.rows_rejected == ROWS // 1000
    else:
        assert loaded == 0 and rejected == 0, version.error
    assert version.sha256 == digest
    with version.raw_file.open("rb") as handle:
        stored = handle.read()
    assert hashlib.sha256(stored).hexdigest() == digest
    assert stored == content
    events = list(version.events.values_list("action", flat=True).order_by("pk"))
    assert "requeued" in events
