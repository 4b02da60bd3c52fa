"""The result objects of an evaluation. ``report`` renders only these."""

from __future__ import annotations

from dataclasses import dataclass, field

from junheng_cli.model.fields import Level
from junheng_cli.model.findings import Finding
from junheng_cli.model.government_results import (
    CountyItemResult,
    GovernmentResult,
)
from junheng_cli.model.inequality_results import (
    LevelInequality,
)
from junheng_cli.model.sources import Origin, SheetInfo
from junheng_cli.standards.model import Standard


@dataclass(frozen=True)
class Contributor:
    name: str
    code: str
    value: float
    variance_share: float
    above_mean: bool


@dataclass(frozen=True)
class FixStepResult:
    """One step of a fix-first list: raise this school, and the CV becomes ``cv_after``."""

    code: str
    name: str
    before: float
    after: float
    amount: float  # what the school must add, in the gap unit (rounded up)
    unit: str
    cv_after: float


@dataclass(frozen=True)
class IndicatorResult:
    id: str
    name: str
    unit: str
    decimals: int
    mean: float | None
    sd: float | None
    cv: float | None
    limit: float | None
    passed: bool | None
    contributors: list[Contributor]
    fix_first: list[FixStepResult] = field(default_factory=list)
    short_name: str | None = None

    @property
    def label(self) -> str:
        return self.short_name or self.name


@dataclass(frozen=True)
class LevelResult:
    level: Level
    name: str
    schools: int
    students: int
    indicators: list[IndicatorResult]
    composite_cv: float | None
    composite_limit: float | None
    passed: bool | None
    cv_passed: bool | None = None
    schools_passed: int | None = None  # only when the standard judges every school
    schools_failed: int | None = None


@dataclass(frozen=True)
class Check:
    """One school, one indicator, against its per-school threshold."""

    indicator: str
    name: str
    value: float | None
    threshold: float
    floor: float
    status: str  # met / near / below
    gap: float  # what this level unit lacks, rounded up in the gap unit (0 when met)
    gap_unit: str
    what: str
    # set only where a 2019 规程 allowance changed the value: the strict value, its status and
    # the rule (``value``, ``status`` and ``gap`` are then the allowed ones)
    strict_value: float | None = None
    strict_status: str | None = None
    allowance: str | None = None


@dataclass(frozen=True)
class UnitResult:
    code: str
    name: str
    type: str
    level: Level
    students: int
    share: float
    values: dict[str, float | None]
    quantities: dict[str, float]
    origin: Origin
    checks: list[Check] = field(default_factory=list)
    met: int | None = None
    passed: bool | None = None

    @property
    def is_split(self) -> bool:
        return self.share < 1.0 or self.type not in ("小学", "初中")


@dataclass(frozen=True)
class SchoolGap:
    """What one school must add for one indicator. ``level`` is set for per-level
    quantities (teachers); whole-school quantities (㎡, 元, rooms) are for the school."""

    code: str
    name: str
    type: str
    indicator: str
    indicator_name: str
    level: Level | None
    amount: float
    unit: str
    what: str
    origin: Origin


@dataclass(frozen=True)
class GapTotal:
    indicator: str
    name: str
    what: str
    unit: str
    amount: float
    schools: int


@dataclass(frozen=True)
class ExcludedSchool:
    code: str
    name: str
    type: str
    reason: str
    origin: Origin


@dataclass(frozen=True)
class SkippedRow:
    """A row left out because of data errors (only with --skip-invalid)."""

    code: str
    name: str
    origin: Origin
    findings: list[Finding]


@dataclass(frozen=True)
class RowAccount:
    """Where every row read went. The four buckets add up to ``rows_read``."""

    rows_read: int
    evaluated: int
    excluded: int
    skipped: int
    blank: int
    total: int
    notes: int = 0  # 注：… / 填表人：… rows below the table

    @property
    def balanced(self) -> bool:
        parts = self.evaluated + self.excluded + self.skipped + self.blank + self.total + self.notes
        return parts == self.rows_read


@dataclass
class Evaluation:
    standard: Standard
    sources: list[SheetInfo]
    levels: list[LevelResult]
    units: list[UnitResult]
    excluded: list[ExcludedSchool]
    findings: list[Finding]
    account: RowAccount
    skipped: list[SkippedRow] = field(default_factory=list)
    gaps: list[SchoolGap] = field(default_factory=list)
    gap_totals: list[GapTotal] = field(default_factory=list)
    government: GovernmentResult | None = None
    county_items: list[CountyItemResult] = field(default_factory=list)
    unused_sheets: list[tuple[str, str]] = field(default_factory=list)  # (file, sheet)
    inequality: list[LevelInequality] = field(default_factory=list)  # Theil decomposition
    scope_notes: list[str] = field(default_factory=list)  # e.g. no 办学性质 column: all 公办
    indicator_subset: list[str] | None = None  # --indicators: only these were evaluated

    @property
    def partial(self) -> bool:
        """Rows were skipped, or only some indicators were evaluated."""
        return bool(self.skipped) or self.indicator_subset is not None

    @property
    def passed(self) -> bool | None:
        if self.indicator_subset is not None:  # a partial indicator set gives no verdict
            return None
        return levels_passed(self.levels)

    @property
    def allowance_uses(self) -> list[AllowanceUse]:
        """Every figure a 2019 规程 allowance changed, with the strict and the allowed one."""
        uses = []
        for unit in self.units:
            for c in unit.checks:
                if c.allowance is None or c.strict_value is None or c.value is None:
                    continue
                uses.append(
                    AllowanceUse(
                        unit.code,
                        unit.name,
                        unit.level,
                        c.name,
                        c.allowance,
                        c.value,
                        c.strict_value,
                        c.threshold,
                        c.threshold,
                        "≥",
                        c.status == "met",
                        c.strict_status == "met",
                    )
                )
        government = self.government
        for size in (government.school_size if government else None) or []:
            # a raised limit is listed where it matters: over the strict limit
            if size.allowance is not None and size.strict_limit is not None:
                if size.students <= size.strict_limit:
                    continue
                uses.append(
                    AllowanceUse(
                        size.code,
                        size.name,
                        None,
                        "学校规模（人）",
                        size.allowance,
                        size.students,
                        size.students,
                        size.limit,
                        size.strict_limit,
                        "≤",
                        size.passed,
                        size.students <= size.strict_limit,
                    )
                )
        for room in (government.room_areas if government else None) or []:
            if room.allowance is not None and not room.strict_passed:
                uses.append(
                    AllowanceUse(
                        room.code,
                        room.name,
                        None,
                        f"{room.header}（㎡）",
                        room.allowance,
                        room.area,
                        room.area,
                        room.min_area,
                        room.strict_min_area,
                        "≥",
                        room.passed,
                        room.strict_passed,
                    )
                )
        return uses


@dataclass(frozen=True)
class AllowanceUse:
    """One figure a 2019 规程 allowance changed: the school's value against its threshold,
    strictly and as allowed. For a limit (学校规模, 单间面积) the value is the same and the
    threshold differs; for a counted addition (走教教师, 租借场地) the value differs."""

    code: str
    name: str
    level: Level | None
    item: str
    rule: str
    value: float
    strict_value: float
    threshold: float
    strict_threshold: float
    comparison: str  # ≥ or ≤
    passed: bool | None
    strict_passed: bool | None


def levels_passed(levels: list[LevelResult]) -> bool | None:
    """All levels that have schools pass; None when one cannot be judged (or none has)."""
    verdicts = [lv.passed for lv in levels if lv.schools > 0]
    if not verdicts or any(v is None for v in verdicts):
        return None
    return all(verdicts)
