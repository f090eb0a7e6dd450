"""The Python half of ``bench/load.sh``: what is easier with Django at hand.

    load.py prepare              create, migrate and seed (--scale 32) the load database if needed
    load.py login BASE OUT       sign in over HTTP as the secretariat; write the cookie and pages
    load.py background OUT       a million-row ingest and PDF renders, in a loop, until SIGTERM
    load.py report DIR           read wrk's figures; print the table and the JSON line

The environment comes from ``load.sh`` (DATABASE_URL, DJANGO_* settings). Nothing that the
background phase writes is kept: each ingest and each render runs in a transaction rolled back,
with its files under a temporary MEDIA_ROOT.
"""

import argparse
import datetime
import http.cookiejar
import json
import os
import re
import shutil
import signal
import sys
import tempfile
import time
import urllib.parse
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

SCALE = 32
PASSWORD = "ncm-demo-2026"  # the demo accounts' password (README)
USER = "secretariat@ncm.example"
TARGETS = {"p95_ms_max": 200, "p95_ms_background_max": 600}
EXTRACT_ROWS = 1_000_000
SEQUENTIAL = 20  # requests one after the other per page, for its time alone


def setup() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ncm_portal.settings")
    import django

    django.setup()


def national_extract():
    from inventories.models import DatasetVersion

    return (
        DatasetVersion.objects.filter(
            dataset__dataset_type="customs",
            review_status=DatasetVersion.Review.ACCEPTED,
            rows_accepted__gte=EXTRACT_ROWS,
        )
        .order_by("-pk")
        .first()
    )


# ---------------------------------------------------------------------------------------------


def prepare() -> None:
    from reports import ensure_database

    ensure_database(os.environ["DATABASE_URL"])
    setup()
    from django.core.management import call_command

    started = time.perf_counter()
    call_command("migrate", verbosity=0)
    if national_extract() is None:
        print(f"Seeding the demo at --scale {SCALE} (a minute or so) ...", flush=True)
        call_command("seed_demo", scale=SCALE, verbosity=1)
    from reports import sixth_round_report

    sixth_round_report()  # started if missing, as the bench of the reports does
    print(f"Database ready in {time.perf_counter() - started:.1f} s.", flush=True)


def pages() -> list[tuple[str, str]]:
    """The pages driven: (name, path)."""
    from django.db.models import Count
    from django.urls import reverse

    from coordination.models import Body, Workplan
    from reporting.models import Report

    ncm = Body.objects.get(acronym="NCM")
    workplan = Workplan.objects.annotate(n=Count("activities__tasks")).order_by("-n", "-pk").first()
    report = Report.objects.filter(round__number=6).order_by("-version").first()
    return [
        ("dashboard", reverse("coordination:dashboard")),
        ("institutions", reverse("coordination:institution-list")),
        ("body", reverse("coordination:body-detail", args=[ncm.pk])),
        ("calendar", reverse("coordination:calendar")),
        ("workplan", reverse("coordination:workplan-detail", args=[workplan.pk])),
        ("dataset_version", reverse("inventories:version-detail", args=[national_extract().pk])),
        ("article15", reverse("reporting:article15-detail", args=[report.pk])),
    ]


def login(base: str, out: str) -> None:
    """Sign in through the sign-in form, as a browser does, and check every page answers 200."""
    setup()
    from django.conf import settings

    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    form = opener.open(f"{base}/accounts/login/", timeout=60).read().decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', form).group(1)
    data = urllib.parse.urlencode(
        {"csrfmiddlewaretoken": token, "username": USER, "password": PASSWORD}
    ).encode()
    request = urllib.request.Request(
        f"{base}/accounts/login/", data=data, headers={"Referer": f"{base}/accounts/login/"}
    )
    opener.open(request, timeout=60).read()
    cookies = {c.name: c.value for c in jar}
    if settings.SESSION_COOKIE_NAME not in cookies:
        raise SystemExit(f"Signing in as {USER} failed: no session cookie.")
    header = "; ".join(f"{k}={v}" for k, v in cookies.items())
    checked = []
    for name, path in pages():
        started = time.perf_counter()
        response = opener.open(f"{base}{path}", timeout=120)
        body = response.read()
        if response.status != 200 or response.geturl() != f"{base}{path}":
            raise SystemExit(f"{path} answered {response.status} at {response.geturl()}")
        first = (time.perf_counter() - started) * 1000
        # One request at a time: what a page costs the server, whatever the queueing.
        alone = []
        for _ in range(SEQUENTIAL):
            started = time.perf_counter()
            opener.open(f"{base}{path}", timeout=120).read()
            alone.append((time.perf_counter() - started) * 1000)
        checked.append(
            {
                "name": name,
                "path": path,
                "bytes": len(body),
                "first_ms": round(first, 1),
                "alone_ms": round(sorted(alone)[len(alone) // 2], 1),
            }
        )
    Path(out).write_text(json.dumps({"cookie": header, "pages": checked}))
    for page in checked:
        print(
            f"  {page['name']:<16} {page['path']:<34} {page['bytes']:>8} B  "
            f"first {page['first_ms']:.0f} ms, alone {page['alone_ms']:.0f} ms"
        )


# ---------------------------------------------------------------------------------------------


class Stop(BaseException):  # not caught by the pipeline's own handlers
    pass


_STOPPING: list = []


def _stop(*_args):
    """SIGTERM: stop the loop. The exception may land in a finalizer, which Python ignores (a
    font configuration's ``__del__`` in the PDF renderer), so the loops also look at the flag."""
    _STOPPING.append(True)
    raise Stop


def background(out: str) -> None:
    """Alternate, until SIGTERM, ingests of a million-row customs file through the real pipeline
    (a forked child) and renders of the Article 15 report's PDF (this process), both at the CPU
    priority of a Celery worker process. Each is rolled back, so the database is left as it
    was."""
    media = tempfile.mkdtemp(prefix="ncm-load-media-")
    os.environ["MEDIA_ROOT"] = media
    setup()
    # As a Celery worker process starts (ncm_portal.celery): below the web processes' priority.
    from ncm_portal.celery import lower_cpu_priority

    lower_cpu_priority()
    from django.db import connection, transaction
    from ingest import write_csv

    path = Path(media) / "national-extract.csv"
    write_csv(path, EXTRACT_ROWS, prefix="LOAD")
    connection.close()
    ready = Path(out).with_suffix(".ready")
    ingest_pid = os.fork()
    if ingest_pid == 0:
        _ingest_loop(path, Path(out).with_suffix(".ingest.json"))
        os._exit(0)
    signal.signal(signal.SIGTERM, _stop)
    renders = []
    from reporting import article15_formats as formats
    from reporting.document import report_document
    from reporting.models import Report

    report = Report.objects.filter(round__number=6).order_by("-version").first()
    ready.write_text("ingesting and rendering")
    try:
        while not _STOPPING:
            started = time.perf_counter()
            with transaction.atomic():
                formats.render_pdf(report_document(report.pk))
                transaction.set_rollback(True)
            renders.append(round(time.perf_counter() - started, 2))
    except Stop:
        pass
    finally:
        os.kill(ingest_pid, signal.SIGTERM)
        os.waitpid(ingest_pid, 0)
        ingests = []
        ingest_file = Path(out).with_suffix(".ingest.json")
        if ingest_file.exists():
            ingests = json.loads(ingest_file.read_text())
        Path(out).write_text(json.dumps({"pdf_seconds": renders, "ingest_seconds": ingests}))
        shutil.rmtree(media, ignore_errors=True)  # the generated file and the stored copies


def _ingest_loop(path: Path, out: Path) -> None:
    from django.core.files import File
    from django.db import transaction

    from coordination.models import Institution, User
    from inventories import services

    finished: list[float] = []
    signal.signal(signal.SIGTERM, _stop)
    actor = User.objects.get(email=USER)
    customs = Institution.objects.get(acronym="VCS")
    try:
        while not _STOPPING:
            started = time.perf_counter()
            with transaction.atomic(), open(path, "rb") as handle:
                version = services.dataset_receive(
                    actor=actor,
                    institution=customs,
                    dataset_type="customs",
                    period_start=datetime.date(2023, 1, 1),
                    period_end=datetime.date(2023, 12, 31),
                    file=File(handle, name="load-extract-2023.csv"),
                )
                status = services.version_process(version.pk)
                if status != "validated":
                    raise SystemExit(f"The background ingest ended {status}.")
                transaction.set_rollback(True)
            finished.append(round(time.perf_counter() - started, 1))
            out.write_text(json.dumps(finished))
    except Stop:
        pass
    out.write_text(json.dumps(finished))


# ---------------------------------------------------------------------------------------------


def report(directory: str) -> None:
    """wrk's figures per page and phase (written by the Lua script) as a table and a JSON line."""
    folder = Path(directory)
    meta = json.loads((folder / "pages.json").read_text())
    figures: dict = {
        "alone_ms": {},
        "p50_ms": {},
        "p95_ms": {},
        "p99_ms": {},
        "requests_per_second": {},
        "p50_ms_background": {},
        "p95_ms_background": {},
        "requests_per_second_background": {},
        "errors": 0,
    }
    print(
        f"{'page':<16}{'alone':>8}{'quiet p50':>11}{'p95':>9}{'req/s':>8}"
        f"{'busy p50':>11}{'p95':>9}{'req/s':>8}   path (ms, req/s)"
    )
    for page in meta["pages"]:
        name = page["name"]
        quiet = json.loads((folder / f"quiet-{name}.json").read_text())
        busy_file = folder / f"busy-{name}.json"
        busy = json.loads(busy_file.read_text()) if busy_file.exists() else None
        figures["alone_ms"][name] = page["alone_ms"]
        figures["p50_ms"][name] = quiet["p50_ms"]
        figures["p95_ms"][name] = quiet["p95_ms"]
        figures["p99_ms"][name] = quiet["p99_ms"]
        figures["requests_per_second"][name] = quiet["rps"]
        figures["errors"] += quiet["errors"]
        row = f"{name:<16}{page['alone_ms']:>8.1f}"
        row += f"{quiet['p50_ms']:>11.1f}{quiet['p95_ms']:>9.1f}{quiet['rps']:>8.1f}"
        if busy:
            figures["p50_ms_background"][name] = busy["p50_ms"]
            figures["p95_ms_background"][name] = busy["p95_ms"]
            figures["requests_per_second_background"][name] = busy["rps"]
            figures["errors"] += busy["errors"]
            row += f"{busy['p50_ms']:>11.1f}{busy['p95_ms']:>9.1f}{busy['rps']:>8.1f}"
        print(f"{row}   {page['path']}")
    figures["p95_ms_max"] = max(figures["p95_ms"].values())
    if figures["p95_ms_background"]:
        figures["p95_ms_background_max"] = max(figures["p95_ms_background"].values())
    work_file = folder / "background.json"
    if work_file.exists():
        work = json.loads(work_file.read_text())
        figures["background_ingests_finished"] = len(work["ingest_seconds"])
        figures["background_ingest_seconds"] = work["ingest_seconds"]
        figures["background_pdf_renders"] = len(work["pdf_seconds"])
        if work["pdf_seconds"]:
            figures["background_pdf_seconds_median"] = sorted(work["pdf_seconds"])[
                len(work["pdf_seconds"]) // 2
            ]
    figures.update(json.loads((folder / "settings.json").read_text()))
    figures["within_target"] = (
        figures["p95_ms_max"] < TARGETS["p95_ms_max"]
        and figures.get("p95_ms_background_max", 0) < TARGETS["p95_ms_background_max"]
        and figures["errors"] == 0
    )
    figures["load_average"] = round(os.getloadavg()[0], 2)
    figures["targets"] = TARGETS
    print(json.dumps(figures))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="command", required=True)
    sub.add_parser("prepare")
    login_parser = sub.add_parser("login")
    login_parser.add_argument("base")
    login_parser.add_argument("out")
    background_parser = sub.add_parser("background")
    background_parser.add_argument("out")
    report_parser = sub.add_parser("report")
    report_parser.add_argument("directory")
    args = parser.parse_args()
    if args.command == "prepare":
        prepare()
    elif args.command == "login":
        login(args.base, args.out)
    elif args.command == "background":
        background(args.out)
    else:
        report(args.directory)


if __name__ == "__main__":
    main()
