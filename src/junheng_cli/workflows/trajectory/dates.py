"""The periods' dates: read from their names (``--labels``) or their files' names, and the
grid on which a projection lands (quarters, months, years, or equally spaced periods).

The rule (docs/trajectory.md):

1. A name carries a date when it holds a quarter (``2026Q1``, ``2026-Q1``, ``2026年Q1``,
   ``2026年第一季度``), a month (``2026-03``, ``2026.3``, ``2026年3月``) or, only when every
   period is a year, a year (``2026``, ``2026年``). The first of these found is taken, in that
   order. A period's date is the last month it covers: 2026Q1 → March 2026, 2026 → December.
2. A period's name is its ``--labels`` entry when given, else its file's name (stem).
3. When every period has a quarter, the grid is quarters; when each has a quarter or a month,
   months; when each is a year, years. Otherwise the periods are taken as equally spaced
   (第 1 期, 第 2 期 …) and the trajectory says so; a target date then cannot be placed.
4. Dates must increase strictly, oldest first.
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum

from junheng_cli.workflows.trajectory.model import TrajectoryError

EPS = 1e-9  # in grid steps: a crossing this close to a period is that period

CHINESE_DIGITS = {"一": 1, "二": 2, "三": 3, "四": 4}
YEAR = r"(?<!\d)((?:19|20|21)\d{2})"
QUARTER = re.compile(
    YEAR + r"\s*(?:年\s*)?(?:[-_.\s]\s*)?(?:[Qq]([1-4])(?!\d)|第?([一二三四1-4])季度)"
)
MONTH = re.compile(YEAR + r"\s*(?:[-_./]|年)\s*(1[0-2]|0?[1-9])(?!\d)\s*月?")
YEAR_ONLY = re.compile(YEAR + r"(?!\d)\s*年?")
HORIZON_MONTHS = 120  # a projection further than ten years ahead is "not within ten years"
HORIZON_PERIODS = 20  # the same for equally spaced periods


class Grid(StrEnum):
    QUARTER = "quarter"
    MONTH = "month"
    YEAR = "year"
    PERIOD = "period"  # equally spaced, no date

    @property
    def months(self) -> int:
        return {Grid.QUARTER: 3, Grid.MONTH: 1, Grid.YEAR: 12, Grid.PERIOD: 0}[self]

    @property
    def chinese(self) -> str:
        return {Grid.QUARTER: "季度", Grid.MONTH: "月", Grid.YEAR: "年", Grid.PERIOD: "期"}[self]


@dataclass(frozen=True)
class PeriodDate:
    """A date read from a name: ``month`` counts months from year 0 (year × 12 + month − 1),
    the last month of the period."""

    month: int
    grid: Grid


def read_date(name: str, *, years: bool = False) -> PeriodDate | None:
    """The date a name carries (quarter, then month; a year only with ``years``), or None."""
    found = QUARTER.search(name)
    if found:
        quarter = found.group(2) or found.group(3)
        number = CHINESE_DIGITS.get(quarter) or int(quarter)
        return PeriodDate(int(found.group(1)) * 12 + number * 3 - 1, Grid.QUARTER)
    found = MONTH.search(name)
    if found:
        return PeriodDate(int(found.group(1)) * 12 + int(found.group(2)) - 1, Grid.MONTH)
    found = YEAR_ONLY.search(name) if years else None
    if found:
        return PeriodDate(int(found.group(1)) * 12 + 11, Grid.YEAR)
    return None


def read_target(text: str) -> PeriodDate:
    """``--target-date``: 2027-09, 2027年9月, 2027Q3 or 2027 (its December)."""
    found = read_date(text.strip(), years=True)
    if found is None:
        raise TrajectoryError(
            f"无法识别目标日期 {text!r}：请写成 2027-09、2027年9月、2027Q3 或 2027"
        )
    return found


@dataclass(frozen=True)
class Timeline:
    """Where each period lies, in grid steps from the first (0, 1, 2 … for quarters one apart;
    0, 1, 2 … for equally spaced periods), and how to name a later period of the grid."""

    grid: Grid
    positions: list[float]
    first_month: int | None  # None: equally spaced
    undated: list[str]  # the names without a date (why the periods are equally spaced)

    @property
    def dated(self) -> bool:
        return self.first_month is not None

    @property
    def horizon(self) -> int:
        """How many grid steps past the last period a projection may reach."""
        return HORIZON_MONTHS // self.grid.months if self.dated else HORIZON_PERIODS

    def month_at(self, position: float) -> int | None:
        if self.first_month is None:
            return None
        return self.first_month + round(position) * self.grid.months

    def label_at(self, position: float) -> str:
        """The grid period at a whole position: 2026Q4, 2026-10, 2027 or 第 5 期."""
        month = self.month_at(position)
        if month is None:
            return f"第 {round(position) + 1} 期"
        return format_date(PeriodDate(month, self.grid))

    def position_of(self, date: PeriodDate) -> float:
        """A target date's position: fractional when it falls between two grid periods."""
        if self.first_month is None:
            raise TrajectoryError(
                "各期没有日期（按等间隔计），无法判断目标日期：请用 --labels 给出各期日期，"
                "如 2026Q1,2026Q2,2026Q3"
            )
        return (date.month - self.first_month) / self.grid.months


def timeline(names: Sequence[str]) -> Timeline:
    """The periods' places in time from their names (the rule in this module's docstring)."""
    dates = [read_date(name) for name in names]
    if any(d is None for d in dates):
        years = [read_date(name, years=True) for name in names]
        if all(d is not None and d.grid is Grid.YEAR for d in years):
            dates = years
    known = [d for d in dates if d is not None]
    if len(known) < len(dates):
        undated = [n for n, d in zip(names, dates, strict=True) if d is None]
        return Timeline(Grid.PERIOD, [float(k) for k in range(len(names))], None, undated)
    grids = {d.grid for d in known}
    grid = grids.pop() if len(grids) == 1 else Grid.MONTH
    months = [d.month for d in known]
    for k in range(1, len(months)):
        if months[k] <= months[k - 1]:
            raise TrajectoryError(
                f"各期须按时间由早到晚给出，而第 {k + 1} 期（{names[k]}）不晚于第 {k} 期"
                f"（{names[k - 1]}）"
            )
    return Timeline(grid, [(m - months[0]) / grid.months for m in months], months[0], [])


def steps_after(crossing: float, last: float) -> int:
    """The first whole grid step after the last period at or past a crossing position."""
    return max(1, math.ceil(crossing - last - EPS))


def format_date(date: PeriodDate) -> str:
    """A date as junheng writes it: 2027Q3, 2027-09 or 2027."""
    year, index = divmod(date.month, 12)
    if date.grid is Grid.QUARTER:
        return f"{year}Q{index // 3 + 1}"
    if date.grid is Grid.YEAR:
        return f"{year}"
    return f"{year}-{index + 1:02d}"
