"""The entries of Annex VIII (list A) and Annex IX (list B) of the Basel Convention, read from
``reference/basel_waste_codes.csv`` (sources in ``reference/README.md``).

A waste code of a movements file is first checked by its pattern (``schemas.WASTE_CODE``). An A
or B code is then looked up in the reference list, but only for the lists named in
``COMPLETE_LISTS``: those whose every entry the file holds. Until a list is complete, a code of
its shape that the file does not hold passes, since it may be an entry that could not be
confirmed; the file holds only what could be."""

import csv
from functools import cache
from pathlib import Path

REFERENCE = Path(__file__).resolve().parent / "reference" / "basel_waste_codes.csv"

# The lists ("A", "B") whose every entry is in the reference file. None is yet: see the README.
COMPLETE_LISTS: frozenset[str] = frozenset()


@cache
def entries() -> dict[str, dict]:
    with REFERENCE.open(encoding="utf-8", newline="") as handle:
        return {row["code"].upper(): row for row in csv.DictReader(handle)}


def known_codes() -> list[str]:
    return sorted(entries())


def checked_lists() -> list[str]:
    """The lists an unknown code of is rejected, read when a file is checked."""
    return sorted(COMPLETE_LISTS)
