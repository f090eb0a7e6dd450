"""A customs dataset from upload to its corrected version, in headless Chromium: the focal point
uploads a file with a few bad rows, watches the progress bar while a worker reads it, downloads
the rejected rows, fixes them and uploads them again as corrections."""

import csv
import io
import re
import time
from pathlib import Path

import pytest
from django.conf import settings
from playwright.sync_api import Error as PlaywrightError

from inventories import readers
from inventories.ingest import read
from inventories.models import DatasetVersion
from inventories.services import ingest
from ncm_portal.celery import app
from tests.browser.helpers import sign_in
from tests.conftest import IN_CI, require_service
from tests.inventories.helpers import csv_bytes, customs_row

pytestmark = [
    pytest.mark.browser,
    pytest.mark.celery_worker,
    pytest.mark.django_db(transaction=True),
]

ROWS = 5000
PACE_SECONDS = 0.05
# Data row n of the file is on line n + 1, the header being line 1: that is its row number.
BAD = {
    417: ("net_mass_kg", "-5", "5"),
    1250: ("declared_on", "2025-02-30", "2025-02-28"),
    4218: ("quantity", "ten", "10"),
}


@pytest.fixture
def worker(monkeypatch):
    """A real Celery worker on Redis, in a thread of this process, so the page has something to
    watch. Without Redis (outside CI), the file is read within the upload request instead and the
    page opens on the outcome. Yields whether a worker runs."""
    if not settings.REDIS_URL:
        require_service("Redis (REDIS_URL)", not IN_CI)
        previous = app.conf.task_always_eager
        app.conf.task_always_eager = True
        try:
            yield False
        finally:
            app.conf.task_always_eager = previous
        return
    from celery.contrib.testing.worker import start_worker

    # Read the file 50 rows a batch (progress is reported after each batch), and give each
    # report a moment: the first file then takes a few seconds whatever the machine, and the
    # page, polling every 2 s, sees the bar move.
    report = ingest.progress_set

    def paced_report(version_id, read, estimated):
        report(version_id, read, estimated)
        time.sleep(PACE_SECONDS)

    monkeypatch.setattr(read, "CHUNK_BYTES", 5_000)  # about 50 rows a chunk
    monkeypatch.setattr(readers, "BATCH_ROWS", 50)
    monkeypatch.setattr(ingest, "progress_set", paced_report)
    app.control.purge()
    with start_worker(app, perform_ping_check=False, loglevel="WARNING", shutdown_timeout=30):
        yield True


def customs_file(path):
    rows = []
    for n in range(1, ROWS + 1):
        column, bad, _fixed = BAD.get(n, (None, None, None))
        rows.append(customs_row(n, **({column: bad} if column else {})))
    path.write_bytes(csv_bytes(rows))
    return path


def watch_until_done(page, timeout=30.0) -> list:
    """The values the progress bar went through (None while no row is read yet), until the page
    shows the outcome."""
    values = []
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            if page.locator("#rows-accepted").count():
                return values
            bar = page.locator("#ingest-progress progress.ingest-progress")
            if bar.count():
                value = bar.get_attribute("value", timeout=1_000)
                if not values or values[-1] != value:
                    values.append(value)
        except PlaywrightError:
            pass  # the page is reloading to show the outcome
        page.wait_for_timeout(100)
    raise AssertionError(f"no outcome after {timeout} s; progress seen: {values}")


def upload(page, path):
    with page.expect_navigation():
        page.set_input_files("#id_file", str(path))
        page.click("#submit-id-submit")
    page.wait_for_url(re.compile(r"/inventories/versions/\d+/$"))
    return int(page.url.rstrip("/").rsplit("/", 1)[1])


def test_bad_rows_are_downloaded_fixed_and_uploaded_again(
    page, worker, focal_point, institution, tmp_path
):
    sign_in(page, "focal@ncm.test")
    menu = page.locator("nav.navbar")
    menu.get_by_role("button", name="Inventories").click()
    menu.get_by_role("link", name="Upload a dataset").click()
    page.wait_for_url("**/upload/")
    page.select_option("#id_institution", str(institution.pk))
    page.select_option("#id_dataset_type", label="Customs declarations")
    page.fill("#id_period_start", "2025-01-01")
    page.fill("#id_period_end", "2025-12-31")
    first_pk = upload(page, customs_file(tmp_path / "customs-2025.csv"))

    # The progress bar while the worker reads the file; the page reloads on the outcome.
    page.wait_for_selector("text=File received")
    if worker:
        values = watch_until_done(page)
        assert values, "the progress bar was never shown"
        read = [int(v) for v in values if v]
        assert len(set(read)) >= 2 and read == sorted(read), f"the bar did not move: {values}"
    page.wait_for_selector("#rows-accepted")
    assert page.locator("#version-status").inner_text() == "Validated"
    assert page.locator("#rows-accepted").inner_text() == f"{ROWS - 3:,}"
    assert page.locator("#rows-rejected").inner_text() == "3"
    table = page.locator("table:has(th:text-is('Reason')) tbody tr")
    shown = [table.nth(i).locator("td").all_inner_texts() for i in range(table.count())]
    assert [(int(row), column) for row, column, _reason in shown] == [
        (n + 1, column) for n, (column, _bad, _fixed) in sorted(BAD.items())
    ]
    reasons = [reason for _row, _column, reason in shown]
    assert "negative" in reasons[0]
    assert "2025-02-30" in reasons[1]
    assert "“ten” is not a number" in reasons[2]
    reasons_listed = page.locator("#top-reasons").inner_text()
    assert "net_mass_kg" in reasons_listed and "quantity" in reasons_listed

    # The rejected rows, with their row number and reason, then the cells as sent.
    with page.expect_download() as download:
        page.click("#download-rejected")
    assert download.value.suggested_filename == "customs-2025-v1-rejected.csv"
    raw = Path(download.value.path()).read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    lines = list(csv.reader(io.StringIO(raw.decode("utf-8-sig"))))
    header, rejected = lines[0], lines[1:]
    assert header[:3] == ["Row", "Column", "Reason"]
    assert header[3:] == list(customs_row(1))
    assert [(int(line[0]), line[1]) for line in rejected] == [
        (n + 1, column) for n, (column, _bad, _fixed) in sorted(BAD.items())
    ]
    assert [line[3] for line in rejected] == [f"VR-2025-{n:06d}" for n in sorted(BAD)]

    # The three cells fixed, every other column kept, Row, Column and Reason included.
    for line, n in zip(rejected, sorted(BAD), strict=True):
        column, bad, fixed = BAD[n]
        position = header.index(column)
        # A cell a spreadsheet would take for a formula ("-5") comes with an apostrophe first.
        assert line[position] == ("'" + bad if bad.startswith("-") else bad)
        line[position] = fixed
    fixed_file = tmp_path / "customs-2025-v1-fixed.csv"
    with open(fixed_file, "w", newline="", encoding="utf-8-sig") as handle:
        csv.writer(handle).writerows([header, *rejected])

    # The corrections go in through the same form, already filled in.
    page.click("#upload-corrections")
    page.wait_for_selector("#corrections-note")
    note = page.locator("#corrections-note").inner_text()
    assert f"its {ROWS - 3} accepted rows are kept" in note
    assert page.locator("#id_institution").input_value() == str(institution.pk)
    assert page.locator("#id_dataset_type").input_value() == "customs"
    assert page.locator("#id_period_start").input_value() == "2025-01-01"
    assert page.locator("#id_period_end").input_value() == "2025-12-31"
    assert page.locator("input[name=corrects]").input_value() == str(first_pk)
    second_pk = upload(page, fixed_file)
    assert second_pk != first_pk
    if worker:
        watch_until_done(page)
    page.wait_for_selector("#rows-accepted")
    assert page.locator("#rows-accepted").inner_text() == f"{ROWS:,}"
    assert page.locator("#rows-rejected").inner_text() == "0"
    assert page.locator("#download-rejected").count() == 0

    # The dataset lists both versions; the first is superseded by the corrected one.
    page.locator(".breadcrumb a", has_text="Customs declarations").click()
    page.wait_for_selector("table")
    rows = page.locator("table tbody tr")
    assert rows.count() == 2
    assert rows.nth(0).locator("td").first.inner_text().strip() == "v2"
    assert rows.nth(1).locator("td").first.inner_text().strip() == "v1 superseded"
    assert rows.nth(0).locator("td").nth(5).inner_text() == f"{ROWS:,}"
    assert rows.nth(1).locator("td").nth(6).inner_text() == "3"

    second = DatasetVersion.objects.get(pk=second_pk)
    assert second.corrects_id == first_pk and second.dataset.current_version_id == second_pk
