"""What a report builder returns: where the file went and the figures it printed."""

from __future__ import annotations

import dataclasses
from pathlib import Path
from typing import Any


@dataclasses.dataclass(frozen=True)
class ReportResult:
    path: Path
    format: str  # "pdf" | "xlsx"
    has_data: bool
    pages: int | None = None  # PDF
    rows: int | None = None  # Excel: miner rows written
    figures: dict[str, Any] = dataclasses.field(default_factory=dict)

    def as_dict(self) -> dict[str, Any]:
        out = dataclasses.asdict(self)
        out["path"] = str(self.path)
        return out
