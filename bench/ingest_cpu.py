"""CPU time of the ingest engine's own steps, without writing anything: a customs file of
``--rows`` lines (the one ``bench/ingest.py`` generates) is read, checked, its customs matches
derived and its valid rows formatted for COPY, a batch at a time, in this process.

    DATABASE_URL=postgres://…/ncm_bench python bench/ingest_cpu.py --rows 1000000

The database must be migrated (``bench/ingest.py`` does it): the customs match reads its code
index. Prints one JSON line of CPU seconds by step, the best of ``--runs`` runs.
"""

import argparse
import io
import json
import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--runs", type=int, default=2)
    args = parser.parse_args()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ncm_portal.settings")
    os.environ.setdefault("DJANGO_SECRET_KEY", "bench-only-secret-key-0123456789-abcdefghijklmnop")
    import django

    django.setup()
    import polars as pl
    from ingest import write_csv

    from inventories.ingest.derive import deriver
    from inventories.ingest.mapping import auto_map
    from inventories.ingest.read import frames
    from inventories.ingest.validate import Validator
    from inventories.readers import open_table, sniff
    from inventories.schemas import CUSTOMS

    path = Path(tempfile.mkdtemp(prefix="ncm-bench-cpu-")) / "customs.csv"
    write_csv(path, args.rows, prefix="C")
    info = sniff(str(path), name=path.name)
    expected = [c.name for c in CUSTOMS.columns]
    table = open_table(
        str(path), info, sheet=None, expected_headers=expected, max_cell_chars=4_000_000
    )
    mapping = auto_map(CUSTOMS, table.header)
    width = len(table.header)
    outputs = [
        pl.lit(1, pl.Int64).alias("version_id"),
        pl.int_range(pl.len(), dtype=pl.Int64).alias("ordinal"),
        pl.col("_row").alias("row_number"),
        *expected,
        *CUSTOMS.derived,
    ]
    best: dict[str, float] = {}
    for _run in range(args.runs):
        validator = Validator(
            CUSTOMS,
            mapping=mapping,
            width=width,
            day_first=True,
            decimal=".",
            value_map={},
            header_of={name: name for name in expected},
        )
        derive = deriver(CUSTOMS)
        spent = dict.fromkeys(("read", "check", "derive", "format"), 0.0)
        batches = frames(table, width)
        while True:
            started = time.process_time()
            frame = next(batches, None)
            spent["read"] += time.process_time() - started
            if frame is None:
                break
            started = time.process_time()
            accepted, _rejected = validator.batch(frame)
            checked = time.process_time()
            spent["check"] += checked - started
            accepted, _flagged = derive(accepted)
            derived = time.process_time()
            spent["derive"] += derived - checked
            accepted.select(outputs).write_csv(
                io.BytesIO(), include_header=False, null_value="\\N", quote_style="non_numeric"
            )
            spent["format"] += time.process_time() - derived
        spent["total"] = sum(spent.values())
        if not best or spent["total"] < best["total"]:
            best = spent
    path.unlink()
    print(json.dumps({"rows": args.rows, **{k: round(v, 2) for k, v in best.items()}}))


if __name__ == "__main__":
    main()
