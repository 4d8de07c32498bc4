"""What the import did with each source table: counts, and every repaired or rejected row.

Nothing is lost silently: a repaired row (imported after a change, e.g. a suffixed duplicate
email) and a rejected row (not imported, e.g. an orphaned reference) are both kept with their
reason and the full source row, and written as ``report.md`` plus one CSV per table.
"""

from __future__ import annotations

import csv
import json
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

from esensi.importer.uploads import Uploads


@dataclass
class TableReport:
    """One source table: how many rows it had and what became of them."""

    source: int = 0
    imported: int = 0
    repaired: list[tuple[str, dict[str, Any]]] = field(default_factory=list)
    rejected: list[tuple[str, dict[str, Any]]] = field(default_factory=list)
    # Rows with no source row, made from others (entitlements of paid orders).
    derived: list[tuple[str, dict[str, Any]]] = field(default_factory=list)


@dataclass
class Report:
    """The whole import's report, table by table in import order."""

    tables: dict[str, TableReport] = field(default_factory=dict)
    uploads: Uploads = field(default_factory=Uploads)
    # Ledger owners whose balance differs from the original's: (owner, original, ours).
    balances: list[tuple[str, Decimal, Decimal]] = field(default_factory=list)

    def table(self, name: str) -> TableReport:
        return self.tables.setdefault(name, TableReport())

    def repair(self, table: str, reason: str, row: dict[str, Any]) -> None:
        self.table(table).repaired.append((reason, row))

    def reject(self, table: str, reason: str, row: dict[str, Any]) -> None:
        self.table(table).rejected.append((reason, row))

    def derive(self, table: str, reason: str, row: dict[str, Any]) -> None:
        self.table(table).derived.append((reason, row))

    def write(self, directory: Path) -> None:
        """``report.md`` (the summary) and ``<table>.csv`` (reason, outcome, full row)."""
        directory.mkdir(parents=True, exist_ok=True)
        lines = [
            "# Import report",
            "",
            "| table | source | imported | repaired | rejected | derived |",
            "|---|---|---|---|---|---|",
        ]
        for name, t in self.tables.items():
            lines.append(
                f"| {name} | {t.source} | {t.imported} | {len(t.repaired)} | {len(t.rejected)} "
                f"| {len(t.derived)} |"
            )
            self._write_csv(directory / f"{name}.csv", t)
        lines += self.uploads.write(directory)
        lines += ["", "## Balances", ""]
        if not self.balances:
            lines.append("Every ledger balance equals the original's.")
        else:
            lines += ["| owner | original | imported |", "|---|---|---|"]
            lines += [f"| {owner} | {old} | {new} |" for owner, old, new in self.balances]
        (directory / "report.md").write_text("\n".join(lines) + "\n", encoding="utf-8")

    @staticmethod
    def _write_csv(path: Path, table: TableReport) -> None:
        with path.open("w", newline="", encoding="utf-8") as handle:
            writer = csv.writer(handle)
            writer.writerow(["outcome", "reason", "row"])
            outcomes = (
                ("repaired", table.repaired),
                ("rejected", table.rejected),
                ("derived", table.derived),
            )
            for outcome, rows in outcomes:
                for reason, row in rows:
                    writer.writerow([outcome, reason, json.dumps(row, default=str)])
