"""What a comparison of periods holds: per level the trend of every CV and verdict, per step
from one period to the next the schools matched, added and removed, and the county's gap
totals."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from junheng_cli.errors import JunhengError
from junheng_cli.model.fields import Level
from junheng_cli.model.sources import Origin
from junheng_cli.standards.model import Standard

COMPOSITE = "composite"


class CompareError(JunhengError, ValueError):
    """The periods cannot be compared (too few, labels repeated, different standards)."""


class Verdict(StrEnum):
    """How a matched unit's school verdict moved between two periods."""

    NEWLY_PASSING = "newly_passing"
    NEWLY_FAILING = "newly_failing"
    STILL_PASSING = "still_passing"
    STILL_FAILING = "still_failing"
    NOT_JUDGED = "not_judged"  # the standard has no per-school rule (basic-2012)


class MatchedBy(StrEnum):
    CODE = "code"
    NAME = "name"


@dataclass(frozen=True)
class PeriodInfo:
    label: str
    files: list[str]
    units: int
    passed: bool | None
    warnings: int


@dataclass(frozen=True)
class CvPoint:
    """One coefficient in one period. ``limit`` is None when the coefficient is only reported
    (the composite under ``each``, single CVs under ``composite``)."""

    period: str
    cv: float | None
    limit: float | None
    passed: bool | None
    from_previous: float | None
    from_first: float | None


@dataclass(frozen=True)
class CvTrend:
    indicator: str  # indicator id, or COMPOSITE
    name: str
    label: str  # the short name, for tables and charts
    points: list[CvPoint]


@dataclass(frozen=True)
class LevelPoint:
    period: str
    schools: int
    passed: bool | None
    cv_passed: bool | None
    schools_passed: int | None
    schools_failed: int | None


@dataclass(frozen=True)
class LevelTrend:
    level: Level
    name: str
    # The level's CV limit: for every single CV (each) or the composite; None: none is set
    # (no limit line is drawn, nothing is judged against it).
    limit: float | None
    indicators: list[CvTrend]
    composite: CvTrend
    verdicts: list[LevelPoint]


@dataclass(frozen=True)
class UnitRef:
    """A level unit in one period."""

    period: str
    code: str
    name: str
    type: str
    level: Level
    origin: Origin
    passed: bool | None

    @property
    def where(self) -> str:
        o = self.origin
        code = f"标识码 {self.code}" if self.code else "无标识码"
        return f"{self.period}：{o.file}［{o.sheet}］第 {o.row} 行，{code}"


@dataclass(frozen=True)
class ValueChange:
    indicator: str
    before: float | None
    after: float | None
    delta: float | None


@dataclass(frozen=True)
class GapChange:
    """What the unit lacks for one indicator (0 when met), in the gap unit."""

    indicator: str
    unit: str
    what: str
    before: float | None
    after: float | None
    delta: float | None
    status_before: str | None  # met / near / below
    status_after: str | None


@dataclass(frozen=True)
class UnitChange:
    before: UnitRef
    after: UnitRef
    matched_by: MatchedBy
    values: list[ValueChange]
    gaps: list[GapChange]

    @property
    def verdict(self) -> Verdict:
        was, now = self.before.passed, self.after.passed
        if was is None or now is None:
            return Verdict.NOT_JUDGED
        if was == now:
            return Verdict.STILL_PASSING if now else Verdict.STILL_FAILING
        return Verdict.NEWLY_PASSING if now else Verdict.NEWLY_FAILING


@dataclass(frozen=True)
class PeriodStep:
    """From one period to the next."""

    before: str
    after: str
    changes: list[UnitChange]
    added: list[UnitRef]
    removed: list[UnitRef]

    @property
    def newly_passing(self) -> list[UnitChange]:
        return [c for c in self.changes if c.verdict is Verdict.NEWLY_PASSING]

    @property
    def newly_failing(self) -> list[UnitChange]:
        return [c for c in self.changes if c.verdict is Verdict.NEWLY_FAILING]

    @property
    def name_matches(self) -> list[UnitChange]:
        return [c for c in self.changes if c.matched_by is MatchedBy.NAME]


@dataclass(frozen=True)
class GapTotalTrend:
    """The county's total need for one indicator in each period (None: not computed)."""

    indicator: str
    name: str
    what: str
    unit: str
    amounts: list[float | None]
    schools: list[int | None]


@dataclass(frozen=True)
class Comparison:
    standard: Standard
    periods: list[PeriodInfo]
    levels: list[LevelTrend]
    steps: list[PeriodStep]
    gap_totals: list[GapTotalTrend]

    @property
    def labels(self) -> list[str]:
        return [p.label for p in self.periods]

    @property
    def judges_schools(self) -> bool:
        return self.standard.judges_schools


def name_match_warning(change: UnitChange) -> str:
    """The warning for a unit matched by its name only: both periods' rows."""
    before, after = change.before, change.after
    return (
        f"“{after.name}”（{after.level.chinese}）只按学校名称对应，学校标识码不一致或缺失："
        f"{before.where}；{after.where}。请核对是否为同一所学校"
    )
