"""The result of a batch: one outcome per county, ranked."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from junheng_cli.model.findings import Finding
from junheng_cli.model.results import Evaluation
from junheng_cli.standards.model import Standard


@dataclass
class CountyOutcome:
    """One county of a batch: its summary row, its result (an ``Evaluation``, or the data
    findings that stopped it), and what went wrong."""

    county: str
    files: list[str]
    status: str  # scored / data_errors / unreadable
    summary: dict[str, Any]
    result: Evaluation | list[Finding] | None  # None when scored for the ranking only
    error: str | None = None
    report: str | None = None
    report_error: str | None = None  # the county's report could not be written


@dataclass
class BatchResult:
    standard: Standard
    counties: list[CountyOutcome] = field(default_factory=list)
    file_rows: dict[str, int] = field(default_factory=dict)  # blank/total rows of group-by files

    @property
    def failed(self) -> list[CountyOutcome]:
        return [c for c in self.counties if c.status != "scored"]

    @property
    def reports_failed(self) -> list[CountyOutcome]:
        return [c for c in self.counties if c.report_error is not None]

    def ranked(self) -> list[CountyOutcome]:
        """Scored counties first, compliant before not, the most balanced first."""
        return sorted(self.counties, key=_rank_key)


def _rank_key(outcome: CountyOutcome) -> tuple[int, int, float, str]:
    summary = outcome.summary
    if outcome.status != "scored":
        return (1, 0, 0.0, outcome.county)
    pressure = summary.get("pressure")
    return (
        0,
        0 if summary.get("passed") else 1,
        pressure if pressure is not None else 9e9,
        outcome.county,
    )
