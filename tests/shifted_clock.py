"""Run the suite, and the processes it starts, on a clock moved by NCM_TEST_CLOCK_SHIFT_DAYS days.

The suite must not depend on the calendar. With ``NCM_TEST_CLOCK_SHIFT_DAYS=400`` (or ``-200``)
``tests/conftest.py`` moves this process's clock that far with time-machine before any test
database is built; the clock keeps ticking from there. A child process the tests start (a Celery
worker, a management command) runs through ``python -m tests.shifted_clock MODULE ARGS...``, which
moves its clock by the same number of days and then runs ``python -m MODULE ARGS...``, so both
sides of the test agree on today. Without the variable nothing is patched and the wrapper simply
runs the module. The database is never asked for the date (the code computes dates in Python), so
PostgreSQL's own ``now()`` needs no moving.
"""

from __future__ import annotations

import datetime
import os
import runpy
import sys

VARIABLE = "NCM_TEST_CLOCK_SHIFT_DAYS"
MODULE = "tests.shifted_clock"

_traveller = None


def shift_days() -> int:
    """The number of days the clock is moved by, 0 when the variable is unset or empty."""
    value = os.environ.get(VARIABLE, "").strip()
    if not value:
        return 0
    try:
        return int(value)
    except ValueError:
        raise SystemExit(f"{VARIABLE} must be a whole number of days, not {value!r}") from None


def start() -> int:
    """Move this process's clock by the configured number of days (once); return the shift."""
    global _traveller
    days = shift_days()
    if days and _traveller is None:
        import time_machine

        destination = datetime.datetime.now(datetime.UTC) + datetime.timedelta(days=days)
        _traveller = time_machine.travel(destination, tick=True)
        _traveller.start()
    return days


def python_module(module: str, *args: str) -> list[str]:
    """The command line that runs ``python -m module args`` on the same clock as the tests."""
    if shift_days():
        return [sys.executable, "-m", MODULE, module, *args]
    return [sys.executable, "-m", module, *args]


def main() -> None:
    if len(sys.argv) < 2:
        raise SystemExit(f"usage: python -m {MODULE} MODULE [ARGS...]")
    start()
    module = sys.argv[1]
    sys.argv = [module, *sys.argv[2:]]
    runpy.run_module(module, run_name="__main__", alter_sys=True)


if __name__ == "__main__":
    main()
