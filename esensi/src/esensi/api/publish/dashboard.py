"""The portal dashboard of an author, or of a publisher over its active authors."""

from __future__ import annotations

import datetime as dt

from esensi.api.publish.dashboard_schemas import DashboardQuery, DashboardStats
from esensi.services import portal_dashboard as dashboard
from rlib import Ctx, define_api


@define_api(
    name="dashboard_stats",
    url="/dashboard/stats",
    methods=("GET", "POST"),
    errors=(dashboard.PeriodInvalidError,),
)
async def dashboard_stats(ctx: Ctx, payload: DashboardQuery) -> DashboardStats:
    """Own counts, paid sales of the period, last 10 sales, top books, 12 months (SQL only)."""
    period = dashboard.period_of(payload.start, payload.end, now=dt.datetime.now(dt.UTC))
    found = await dashboard.stats(ctx, period)
    return DashboardStats.model_validate(
        {
            "period": {"start": period.start, "end": period.end},
            "counts": dict(found.counts),
            "sales": dict(found.sales),
            "recent_sales": [dict(row) for row in found.recent],
            "top_books": [dict(row) for row in found.top_books],
            "monthly": found.monthly,
        }
    )
