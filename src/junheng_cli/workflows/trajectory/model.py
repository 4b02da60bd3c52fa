"""What a trajectory holds: each coefficient's and each failing school's pace (a least-squares
line over the periods), and the period in which each will pass at that pace."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import TYPE_CHECKING

from junheng_cli.errors import JunhengError
from junheng_cli.model.fields import Level
from junheng_cli.model.sources import Origin
from junheng_cli.standards.model import Standard

if TYPE_CHECKING:
    from junheng_cli.workflows.trajectory.dates import Timeline

MIN_PERIODS = 3


class TrajectoryError(JunhengError, ValueError):
    """No trajectory can be drawn as asked (too few periods, dates out of order …)."""


def check_count(count: int) -> None:
    """Fewer than three periods is refused: a line through two points is no trend."""
    if count < MIN_PERIODS:
        raise TrajectoryError(
            f"趋势至少需要三期数据，这里只有 {count} 期：两期只能看变化（junheng compare），"
            "不能拟合趋势。请按时间由早到晚给出三期或更多的工作簿"
        )


class Outlook(StrEnum):
    PASSING = "passing"  # already within its limit (or at its threshold) in the last period
    PROJECTED = "projected"  # not yet, and the pace brings it there
    WORSENING = "worsening"  # not yet, and moving the wrong way
    FLAT = "flat"  # not yet, and not moving
    BEYOND = "beyond_horizon"  # not yet, and the pace is too slow to get there within the horizon
    TOO_FEW = "too_few_points"  # fewer than three periods with a value: no line


@dataclass(frozen=True)
class Fit:
    """The least-squares line value = intercept + slope × position (position in grid steps
    from the first period): slope is the change per quarter (month, year, period)."""

    slope: float
    intercept: float
    points: int

    def at(self, position: float) -> float:
        return self.intercept + self.slope * position


@dataclass(frozen=True)
class Projection:
    """Where the line brings a value against its limit. ``position``/``period``: the grid
    period in which it passes (PROJECTED); ``by_target``: whether that is by the target date
    (None without one); ``exceeds_at``: a value within its limit now whose line crosses it,
    the period it will be over (a warning)."""

    outlook: Outlook
    position: float | None = None
    period: str | None = None
    by_target: bool | None = None
    exceeds_at: str | None = None

    @property
    def will_pass(self) -> bool:
        return self.outlook in (Outlook.PASSING, Outlook.PROJECTED)


@dataclass(frozen=True)
class CvTrajectory:
    """One difference coefficient with a limit, over the periods."""

    level: Level
    level_name: str
    indicator: str  # indicator id, or "composite"
    name: str
    label: str
    limit: float
    values: list[float | None]  # per period
    fit: Fit | None
    projection: Projection

    @property
    def failing(self) -> bool:
        last = self.values[-1]
        return last is not None and last > self.limit


@dataclass(frozen=True)
class IndicatorTrack:
    """One indicator a failing school does not meet in the last period: its values per
    period (None where the school is absent), its threshold, and its pace toward it."""

    indicator: str
    label: str
    unit: str
    decimals: int
    values: list[float | None]
    threshold: float
    floor: float  # floor share × threshold: the least the rule allows for the one not met
    status: str  # near / below, in the last period
    fit: Fit | None
    met: Projection  # toward the threshold
    near_at: float | None  # position at which it reaches the floor (0: already), None: never


@dataclass(frozen=True)
class SchoolTrajectory:
    """A level unit failing in the last period, followed back by code (then name) through the
    periods as ``compare`` matches them."""

    code: str
    name: str
    level: Level
    origin: Origin  # its row in the last period
    met: list[int | None]  # indicators met, per period (None: absent)
    indicators: int
    min_met: int
    tracks: list[IndicatorTrack]
    projection: Projection


@dataclass(frozen=True)
class PeriodPoint:
    label: str
    position: float
    files: list[str]
    passed: bool | None


@dataclass(frozen=True)
class Trajectory:
    standard: Standard
    timeline: Timeline
    periods: list[PeriodPoint]
    target: str | None  # the target date as given (normalised), None: none
    target_position: float | None
    cvs: list[CvTrajectory]
    schools: list[SchoolTrajectory]

    @property
    def labels(self) -> list[str]:
        return [p.label for p in self.periods]

    @property
    def last_position(self) -> float:
        return self.periods[-1].position

    @property
    def failing_cvs(self) -> list[CvTrajectory]:
        return [c for c in self.cvs if c.failing]
