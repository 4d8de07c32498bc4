"""Tables of the original that ours dropped (spec/models.md): every row reported, none lost
silently.

``preorder`` and ``ranking`` were never used, ``customer_track`` (page-view tracking) and the
AI-credit tables have no feature in ours. Their rows are listed as rejected with the reason
and their full data (``<table>.csv``), so an operator who needs them later still has them.
"""

from __future__ import annotations

import asyncpg

from esensi.importer.report import Report
from esensi.importer.sink import Sink

DROPPED = {
    "preorder": "table dropped in ours: pre-orders were never used",
    "ranking": "table dropped in ours: rankings are computed from sales, reads and ratings",
    "customer_track": "table dropped in ours: page-view tracking has no feature",
    "t_ai_credit": "table dropped in ours: no AI-credit feature",
    "t_ai_credit_topup": "table dropped in ours: no AI-credit feature",
}


async def report_dropped(source: asyncpg.Connection, sink: Sink, report: Report) -> None:
    """List every row of the dropped tables (nothing is written)."""
    for name, reason in DROPPED.items():
        rows = await source.fetch(f'SELECT * FROM "{name}" ORDER BY id')
        table = report.table(name)
        table.source = len(rows)
        table.imported = 0
        for row in rows:
            report.reject(name, reason, dict(row))
