"""Benchmark of the report outputs.

Builds the demo mechanism scaled up (``seed_demo --scale N``) on the configured database, starts
the sixth round's Article 15 report (or reuses the latest version of it), then measures in this
one process the wall time and the peak resident memory of:

- assembling the Article 15 report and rendering its PDF (the shared WeasyPrint renderer);
- the mechanism's performance report PDF for the last complete year;
- assembling the Article 15 report again and writing its XLSX annex (and its JSON).

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/ncm_rep_bench python bench/reports.py --scale 10

The database named in DATABASE_URL is created when missing and migrated; the demo is loaded into
it (running again reuses what is there). ``--pad-rows N`` adds N generated rows to every table
answer of the report, inside a transaction rolled back at the end, to see how a very long report
renders (the PDF shows the first rows of each table, the XLSX all of them).

Peak memory is the process's high-water mark (VmHWM), reset before each measure through
/proc/self/clear_refs where Linux allows it; elsewhere it is the process's peak so far
(getrusage), which can only grow. The last line printed is one JSON object with the figures.
Targets: each PDF under 5 s, the Article 15 report under 500 MB.
"""

import argparse
import gc
import json
import os
import resource
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlparse

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

TARGETS = {"article15_seconds": 5, "performance_seconds": 5, "article15_peak_rss_mb": 500}


# ---------------------------------------------------------------------------------------------
# Memory


def _status_kb(field: str) -> int | None:
    try:
        with open("/proc/self/status") as status:
            for line in status:
                if line.startswith(field + ":"):
                    return int(line.split()[1])
    except OSError:
        return None
    return None


def peak_reset() -> bool:
    """Reset the high-water mark of resident memory to the current size (Linux 4.0+)."""
    gc.collect()
    try:
        with open("/proc/self/clear_refs", "w") as handle:
            handle.write("5")
    except OSError:
        return False
    return True


def peak_mb() -> float:
    hwm = _status_kb("VmHWM")
    if hwm is None:
        return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return hwm / 1024


def rss_mb() -> float:
    rss = _status_kb("VmRSS")
    return (rss or 0) / 1024


def measure(label: str, work):
    """Run ``work()``; its result, wall seconds, CPU seconds and peak RSS in MB."""
    resettable = peak_reset()
    before = rss_mb()
    cpu = time.process_time()
    started = time.perf_counter()
    result = work()
    seconds = time.perf_counter() - started
    figures = {
        "seconds": seconds,
        "cpu_seconds": time.process_time() - cpu,
        "peak_rss_mb": peak_mb(),
        "rss_before_mb": before,
        "peak_is_per_measure": resettable,
    }
    print(f"  {label}: {seconds:.2f} s, peak RSS {figures['peak_rss_mb']:.0f} MB", flush=True)
    return result, figures


# ---------------------------------------------------------------------------------------------
# Database and data


def ensure_database(url: str) -> None:
    import psycopg2

    parsed = urlparse(url)
    name = parsed.path.lstrip("/")
    admin = psycopg2.connect(
        dbname="postgres",
        user=parsed.username,
        password=parsed.password,
        host=parsed.hostname,
        port=parsed.port or 5432,
    )
    admin.autocommit = True
    with admin.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name])
        if cursor.fetchone() is None:
            cursor.execute(f'CREATE DATABASE "{name}"')
    admin.close()


def sixth_round_report():
    """The latest version of the sixth round's report, started (and prefilled) when missing."""
    from coordination.models import ROLE_GROUPS, Role, User
    from reporting.models import Report, Round
    from reporting.services import article15

    report = Report.objects.filter(round__number=6).order_by("-version").first()
    if report is not None:
        return report, False
    actor = (
        User.objects.filter(groups__name=ROLE_GROUPS[Role.SECRETARIAT], is_active=True)
        .order_by("pk")
        .first()
        or User.objects.filter(is_superuser=True).order_by("pk").first()
    )
    report = article15.report_start(round=Round.objects.get(number=6), actor=actor)
    return report, True


def pad_tables(report, rows: int) -> int:
    """Give every table answer of the report ``rows`` more generated rows (as people's values,
    so that the assembly reads them from the database). Returns the number of answers padded."""
    from reporting.models import Answer, Question

    answers = list(
        Answer.objects.filter(report=report, question__kind=Question.Kind.TABLE).select_related(
            "question"
        )
    )
    for answer in answers:
        columns = answer.question.columns
        current = (answer.effective or {}).get("rows", [])
        generated = [
            {
                c["key"]: (n * 10.5 if c["type"] == "number" else f"{c['label']} {n}")
                for c in columns
            }
            for n in range(rows)
        ]
        answer.value = {"rows": current + generated, "note": ""}
    Answer.objects.bulk_update(answers, ["value"], batch_size=1)
    return len(answers)


# ---------------------------------------------------------------------------------------------


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", type=int, default=10)
    parser.add_argument("--pad-rows", type=int, default=0)
    parser.add_argument("--year", type=int, help="year of the performance report")
    args = parser.parse_args()

    url = os.environ.get("DATABASE_URL", "")
    if url.startswith(("postgres://", "postgresql://")):
        ensure_database(url)
    workdir = Path(tempfile.mkdtemp(prefix="ncm-bench-reports-"))
    os.environ.update(
        {
            "DJANGO_SETTINGS_MODULE": "ncm_portal.settings",
            "DJANGO_SECRET_KEY": "bench-only-secret-key-0123456789-abcdefghijklmnopqrstuvwxyz",
            "DJANGO_DEBUG": "0",
            "DJANGO_HTTPS": "0",
            "DJANGO_STATIC_MANIFEST": "0",
            "NCM_VAR_DIR": str(workdir),
            "MEDIA_ROOT": str(workdir / "media"),
            "LOG_LEVEL": "WARNING",
            "CELERY_TASK_ALWAYS_EAGER": "1",
        }
    )
    os.environ.pop("REDIS_URL", None)

    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection, transaction
    from django.test.utils import CaptureQueriesContext

    from ncm_portal.pdf import render_pdf
    from reporting import article15_formats as formats
    from reporting.document import report_document
    from reporting.performance.period import default_year
    from reporting.views_performance import report_context

    print(f"Preparing the demo at scale {args.scale} on {connection.vendor} ...", flush=True)
    started = time.perf_counter()
    call_command("migrate", verbosity=0)
    call_command("seed_demo", scale=args.scale, verbosity=0)
    report, started_now = sixth_round_report()
    setup_seconds = time.perf_counter() - started
    connection.close()

    print("Measuring ...", flush=True)
    # One untimed pass warms the template and font caches, as a worker's second job would be.
    formats.render_pdf(report_document(report.pk))
    year = args.year or default_year()
    render_pdf("reporting/performance/report_pdf.html", report_context(year))

    # The padded rows, if any, live in a transaction that is rolled back: never kept.
    with transaction.atomic():
        if args.pad_rows:
            pad_tables(report, args.pad_rows)
        with CaptureQueriesContext(connection) as queries:
            report_document(report.pk)
        assembly_queries = len(queries)

        def article15_pdf():
            document = report_document(report.pk)
            return document, *formats.render_pdf(document)

        (document, pdf, pages), a15 = measure("Article 15 PDF", article15_pdf)
        perf_pdf, perf = measure(
            "performance report PDF",
            lambda: render_pdf("reporting/performance/report_pdf.html", report_context(year)),
        )
        xlsx, xl = measure(
            "Article 15 XLSX", lambda: formats.render_xlsx(report_document(report.pk))
        )
        json_bytes, js = measure(
            "Article 15 JSON", lambda: formats.render_json(report_document(report.pk))
        )
        transaction.set_rollback(True)

    figures = {
        "database": connection.vendor,
        "scale": args.scale,
        "pad_rows": args.pad_rows,
        "setup_seconds": round(setup_seconds, 1),
        "report_id": report.pk,
        "report_started_now": started_now,
        "sections": document.counts["sections"],
        "questions": document.counts["questions"],
        "answered": document.counts["answered"],
        "table_rows": document.counts["table_rows"],
        "sources": document.counts["sources"],
        "assembly_queries": assembly_queries,
        "article15_seconds": round(a15["seconds"], 2),
        "article15_cpu_seconds": round(a15["cpu_seconds"], 2),
        "article15_peak_rss_mb": round(a15["peak_rss_mb"], 1),
        "article15_pages": pages,
        "article15_pdf_kb": round(len(pdf) / 1024, 1),
        "performance_year": year,
        "performance_seconds": round(perf["seconds"], 2),
        "performance_peak_rss_mb": round(perf["peak_rss_mb"], 1),
        "performance_pdf_kb": round(len(perf_pdf) / 1024, 1),
        "xlsx_seconds": round(xl["seconds"], 2),
        "xlsx_peak_rss_mb": round(xl["peak_rss_mb"], 1),
        "xlsx_kb": round(len(xlsx) / 1024, 1),
        "json_seconds": round(js["seconds"], 2),
        "json_kb": round(len(json_bytes) / 1024, 1),
        "peak_is_per_measure": a15["peak_is_per_measure"],
    }
    figures["within_target"] = (
        figures["article15_seconds"] < TARGETS["article15_seconds"]
        and figures["performance_seconds"] < TARGETS["performance_seconds"]
        and figures["article15_peak_rss_mb"] < TARGETS["article15_peak_rss_mb"]
    )
    figures["load_average"] = round(os.getloadavg()[0], 2)  # other work on the machine skews all
    figures["targets"] = TARGETS

    print(f"{'measure':<26}{'value':>16}")
    for key, value in figures.items():
        if key != "targets":
            print(f"{key:<26}{value!s:>16}")
    print(json.dumps(figures))


if __name__ == "__main__":
    main()
