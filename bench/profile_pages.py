"""Where a main page's server time goes: SQL, template rendering, the rest (Python).

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/ncm_i21_bench python bench/profile_pages.py
    python bench/profile_pages.py --scale 4 --customs-rows 20000 --runs 15

Renders each main page of ``bench/load.sh`` (dashboard, directory, plenary body, calendar month,
workplan of the largest region, customs version, Article 15 report) in this process with Django's
test client, signed in as the secretariat demo user, and splits the median request into
- SQL: time inside the database cursor's execute (a connection execute wrapper),
- templates: time inside ``Template.render`` less the SQL run from inside it (lazy querysets),
- Python: the rest (views, forms, middleware, the test client's own overhead).
A cProfile of each page (all its runs) is written under ``var/profiles/<page>.prof`` (read it with
``python -m pstats`` or snakeviz). ``--compare`` also times each page with the cache switched
off (no cached fragments), in rounds alternating with the cached runs. The cache is the settings'
one: Redis with REDIS_URL, else local memory (the embedded mode). The last line printed is one
JSON object with every figure.

The database (DATABASE_URL; default a scratch PostgreSQL database ``ncm_bench_pages`` on the
local server) is created, migrated and seeded with ``seed_demo --scale N`` when it holds no demo.
The issue's targets are for --scale 32; a 2-core machine shared with other work seeds --scale 4
with --customs-rows 20000 in a few minutes, and the pages' costs grow with the largest region,
so read the ratios between runs rather than the milliseconds. Repeat on a busy machine.
"""

import argparse
import cProfile
import json
import os
import statistics
import sys
import time
import warnings
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

USER = "secretariat@ncm.example"
DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/ncm_bench_pages"


def prepare(scale: int, customs_rows: int) -> None:
    url = os.environ.setdefault("DATABASE_URL", DEFAULT_URL)
    if url.startswith("postgres"):
        from reports import ensure_database

        ensure_database(url)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ncm_portal.settings")
    os.environ.setdefault("DJANGO_DEBUG", "0")
    os.environ.setdefault("DJANGO_SECRET_KEY", "profile-bench-only-key-0123456789-abcdefghij")
    os.environ.setdefault("DJANGO_HTTPS", "0")
    os.environ.setdefault("LOG_LEVEL", "WARNING")
    os.environ.setdefault("DJANGO_STATIC_MANIFEST", "0")
    # The test client signs in without the second step; the check itself is one session lookup.
    os.environ.setdefault("NCM_REQUIRE_TWO_FACTOR", "0")
    import django

    warnings.filterwarnings("ignore", message="No directory at")  # no collectstatic needed
    django.setup()
    from django.core.management import call_command

    from coordination.models import Body

    call_command("migrate", verbosity=0)
    if not Body.objects.filter(acronym="NCM").exists():
        print(f"Seeding the demo at --scale {scale} ...", flush=True)
        call_command("seed_demo", scale=scale, customs_rows=customs_rows, verbosity=0)
    from reports import sixth_round_report

    sixth_round_report()


def pages() -> list[tuple[str, str]]:
    from django.db.models import Count
    from django.urls import reverse

    from coordination.models import Body, Workplan
    from inventories.models import DatasetVersion
    from reporting.models import Report

    ncm = Body.objects.get(acronym="NCM")
    workplan = Workplan.objects.annotate(n=Count("activities__tasks")).order_by("-n", "-pk").first()
    report = Report.objects.filter(round__number=6).order_by("-version").first()
    extract = (
        DatasetVersion.objects.filter(
            dataset__dataset_type="customs", review_status=DatasetVersion.Review.ACCEPTED
        )
        .order_by("-rows_accepted", "-pk")
        .first()
    )
    return [
        ("dashboard", reverse("coordination:dashboard")),
        ("institutions", reverse("coordination:institution-list")),
        ("body", reverse("coordination:body-detail", args=[ncm.pk])),
        ("calendar", reverse("coordination:calendar")),
        ("workplan", reverse("coordination:workplan-detail", args=[workplan.pk])),
        ("dataset_version", reverse("inventories:version-detail", args=[extract.pk])),
        ("article15", reverse("reporting:article15-detail", args=[report.pk])),
    ]


class Split:
    """Accumulates SQL and template time of one request."""

    def __init__(self):
        self.sql = 0.0
        self.sql_in_templates = 0.0
        self.templates = 0.0
        self.queries = 0
        self.depth = 0

    def execute(self, execute, sql, params, many, context):
        started = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            elapsed = time.perf_counter() - started
            self.sql += elapsed
            self.queries += 1
            if self.depth:
                self.sql_in_templates += elapsed


@contextmanager
def timed_templates(split_ref: list):
    """Times the outermost ``Template.render`` calls (includes nest inside them)."""
    from django.template import base

    original = base.Template.render

    def render(self, context):
        split = split_ref[0]
        if split is None:
            return original(self, context)
        split.depth += 1
        started = time.perf_counter()
        try:
            return original(self, context)
        finally:
            split.depth -= 1
            if split.depth == 0:
                split.templates += time.perf_counter() - started

    base.Template.render = render
    try:
        yield
    finally:
        base.Template.render = original


def profile(runs: int, out_dir: Path) -> list[dict]:
    from django.db import connection
    from django.test import Client

    from coordination.models import User

    client = Client(HTTP_HOST="localhost")
    client.force_login(User.objects.get(email=USER))
    current: list = [None]
    out_dir.mkdir(parents=True, exist_ok=True)
    results = []
    with timed_templates(current):
        for name, path in pages():
            response = client.get(path)  # warm: first request, caches, imports
            if response.status_code != 200:
                raise SystemExit(f"{path} answered {response.status_code}")
            size = len(response.content)
            samples = []
            profiler = cProfile.Profile()
            for _ in range(runs):
                split = Split()
                current[0] = split
                with connection.execute_wrapper(split.execute):
                    started = time.perf_counter()
                    profiler.enable()
                    client.get(path)
                    profiler.disable()
                    total = time.perf_counter() - started
                current[0] = None
                templates = split.templates - split.sql_in_templates
                samples.append((total, split.sql, templates, split.queries))
            profiler.dump_stats(out_dir / f"{name}.prof")
            # cProfile slows Python code more than SQL: the split is taken from the same runs,
            # so compare pages and runs with each other, and the `total_ms` of load.sh's alone_ms.
            median = sorted(samples)[len(samples) // 2]
            total, sql, templates, queries = median
            results.append(
                {
                    "name": name,
                    "path": path,
                    "bytes": size,
                    "queries": queries,
                    "total_ms": round(total * 1000, 1),
                    "sql_ms": round(sql * 1000, 1),
                    "template_ms": round(templates * 1000, 1),
                    "python_ms": round((total - sql - templates) * 1000, 1),
                    "total_ms_min": round(min(s[0] for s in samples) * 1000, 1),
                    "total_ms_spread": round(statistics.pstdev(s[0] for s in samples) * 1000, 1),
                }
            )
    return results


DUMMY_CACHE = {"default": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}}


def unprofiled(runs: int, compare: bool = False) -> tuple[dict, dict]:
    """Median time per page without cProfile (its overhead inflates the Python share); with
    ``compare``, also with the cache switched off (a dummy backend: no fragment is kept), in
    alternating rounds so that both see the same load on the machine."""
    from django.test import Client, override_settings

    from coordination.models import User

    client = Client(HTTP_HOST="localhost")
    client.force_login(User.objects.get(email=USER))
    cached, uncached = {}, {}
    rounds = 3 if compare else 1
    for name, path in pages():
        client.get(path)
        times = {True: [], False: []}
        for _ in range(rounds):
            for with_cache in (False, True) if compare else (True,):
                settings = {} if with_cache else {"CACHES": DUMMY_CACHE}
                with override_settings(**settings):
                    client.get(path)  # fill the fragments (or not)
                    for _ in range(max(1, runs // rounds)):
                        started = time.perf_counter()
                        client.get(path)
                        times[with_cache].append((time.perf_counter() - started) * 1000)
        cached[name] = round(statistics.median(times[True]), 1)
        if compare:
            uncached[name] = round(statistics.median(times[False]), 1)
    return cached, uncached


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawTextHelpFormatter
    )
    parser.add_argument("--scale", type=int, default=4, help="seed_demo --scale when seeding (4)")
    parser.add_argument("--customs-rows", type=int, default=20000, help="when seeding (20000)")
    parser.add_argument("--runs", type=int, default=15, help="requests per page (15)")
    parser.add_argument(
        "--compare",
        action="store_true",
        help="also time each page with the cache switched off (no cached fragments)",
    )
    parser.add_argument("--out", default=str(ROOT / "var" / "profiles"), help="profiles' folder")
    args = parser.parse_args()
    prepare(args.scale, args.customs_rows)
    plain, uncached = unprofiled(args.runs, args.compare)
    results = profile(args.runs, Path(args.out))
    if uncached:
        print(f"{'page':<16} {'no cache':>9} {'cached':>8}")
        for name, ms in uncached.items():
            print(f"{name:<16} {ms:>8.1f}  {plain[name]:>7.1f}")
    print(
        f"{'page':<16} {'alone':>7} {'profiled':>9} {'SQL':>7} {'templ.':>7} {'Python':>7} "
        f"{'queries':>7} {'bytes':>8}"
    )
    for r in results:
        r["alone_ms"] = plain[r["name"]]
        share = r["total_ms"] or 1
        print(
            f"{r['name']:<16} {r['alone_ms']:>6.1f}  {r['total_ms']:>8.1f} "
            f"{r['sql_ms']:>6.1f} {r['template_ms']:>7.1f} {r['python_ms']:>7.1f} "
            f"{r['queries']:>7} {r['bytes']:>8}   "
            f"({100 * r['sql_ms'] / share:.0f}% SQL, {100 * r['template_ms'] / share:.0f}% "
            f"templates, {100 * r['python_ms'] / share:.0f}% Python)"
        )
    print(f"Profiles: {args.out}/<page>.prof")
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else None
    print(
        json.dumps(
            {
                "database": os.environ["DATABASE_URL"].split("@")[-1],
                "runs": args.runs,
                "load_average": round(load, 2) if load is not None else None,
                "alone_ms_max": max(plain.values()),
                "alone_ms_without_cache": uncached or None,
                "pages": results,
            }
        )
    )


if __name__ == "__main__":
    main()
