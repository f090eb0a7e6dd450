"""The performance report's section on obligations under the conventions: of those due in the
year, per convention, how many were met on time, how many late (met after their due date, or
still open past it), and how many are still open before their due date."""

import datetime

from reporting.obligations.selectors import met_on_time
from reporting.performance.period import Period


def obligations_section(period: Period) -> dict:
    """Six queries, whatever the number of obligations."""
    on = period.until - datetime.timedelta(days=1)
    rows = met_on_time(first=period.first, last=period.last, on=on)
    totals = {k: sum(r[k] for r in rows) for k in ("on_time", "late", "open", "total")}
    return {"rows": rows, "totals": totals}
