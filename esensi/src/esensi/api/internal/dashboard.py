"""The global dashboard for management and sales & marketing (``dashboard_stats``)."""

from __future__ import annotations

import datetime as dt

from esensi.api.internal.dashboard_schemas import DashboardQuery, DashboardRead
from esensi.services import dashboard
from rlib import Ctx, define_api
from rlib.db.base import utcnow

READERS = ("internal:management", "internal:sales_and_marketing")  # spec/endpoints.md §5


def _period(query: DashboardQuery) -> dashboard.Period:
    if query.end is not None:
        end = dt.datetime.combine(query.end + dt.timedelta(days=1), dt.time(), dt.UTC)
    else:
        end = utcnow()
    if query.start is not None:
        start = dt.datetime.combine(query.start, dt.time(), dt.UTC)
    else:
        start = end - dt.timedelta(days=query.days)
    return dashboard.Period(start=start, end=end, months=query.months)


@define_api(name="dashboard_stats", url="/dashboard/stats", methods=("GET", "POST"), auth=READERS)
async def dashboard_stats(ctx: Ctx, payload: DashboardQuery) -> DashboardRead:
    """Global counts, paid sales of the period (default: the last 30 days), the 10 latest
    paid orders, the top authors and books of the period, and paid sales per month."""
    return DashboardRead.model_validate(await dashboard.stats(ctx, _period(payload)))
