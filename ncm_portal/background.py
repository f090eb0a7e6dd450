"""Background work gives the CPU back between its large batches.

Celery workers already run at a lower priority than the web processes (``NCM_WORKER_NICE``,
ncm_portal/celery.py), but a batch of an ingest (2 MB of rows checked at once) or a PDF's layout
runs for tens to hundreds of milliseconds without a pause, and a request that becomes runnable
meanwhile waits for the scheduler to take the CPU from it. Long background loops call
``yield_cpu()`` between batches: the process steps back to the end of the run queue, so a
waiting request runs first, and carries on at once when nothing else is waiting (the call
costs about a microsecond). It is the one hook for this; callers keep no policy of their own.
"""

import os
import time


def yield_cpu() -> None:
    """Let any other runnable process (a page being served) have the CPU before the next batch."""
    if hasattr(os, "sched_yield"):
        os.sched_yield()
    else:  # not on Linux or macOS: a zero sleep releases the time slice too
        time.sleep(0)
