"""Compare one county's evaluations over periods (quarters, months): how each difference
coefficient moved, which schools newly pass or fail, how each school's values and gaps
changed, and which schools were added or removed.

Pure logic on ``Evaluation`` objects: no reading, no printing. Periods are given oldest first.
Level units are matched between two consecutive periods by (学校标识码, 学段), then by
(学校名称, 学段) when the name is unique on both sides; a name match is reported as a warning.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from enum import StrEnum

import numpy as np
import pandas as pd

from junheng_cli.compute.indicators import optional_floats
from junheng_cli.errors import JunhengError
from junheng_cli.model.fields import Level
from junheng_cli.model.results import Evaluation, LevelResult, Origin, UnitResult
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


def compare(periods: Sequence[tuple[str, Evaluation]]) -> Comparison:
    """Compare evaluations of the same county under the same standard, oldest first."""
    _check_periods(periods)
    labels = [label for label, _ in periods]
    evaluations = [evaluation for _, evaluation in periods]
    standard = evaluations[0].standard
    steps = [_step(periods[k - 1], periods[k], standard) for k in range(1, len(periods))]
    return Comparison(
        standard=standard,
        periods=[_period_info(label, ev) for label, ev in periods],
        levels=_level_trends(labels, evaluations, standard),
        steps=steps,
        gap_totals=_gap_total_trends(evaluations),
    )


def _check_periods(periods: Sequence[tuple[str, Evaluation]]) -> None:
    if len(periods) < 2:
        raise CompareError("比较至少需要两期数据")
    labels = [label for label, _ in periods]
    repeated = sorted({label for label in labels if labels.count(label) > 1})
    if repeated:
        raise CompareError(f"期别名称重复：{'、'.join(repeated)}（用 --labels 给每期一个名称）")
    used = list(dict.fromkeys(f"{e.standard.id}（版本 {e.standard.version}）" for _, e in periods))
    if len(used) > 1:
        raise CompareError(f"各期须按同一标准的同一版本评估，而这里有 {'、'.join(used)}")


def _period_info(label: str, evaluation: Evaluation) -> PeriodInfo:
    return PeriodInfo(
        label=label,
        files=list(dict.fromkeys(s.file for s in evaluation.sources)),
        units=len(evaluation.units),
        passed=evaluation.passed,
        warnings=sum(1 for f in evaluation.findings if f.severity == "warning"),
    )


# -- coefficients ------------------------------------------------------------------------------
def _level_trends(
    labels: list[str], evaluations: list[Evaluation], standard: Standard
) -> list[LevelTrend]:
    """Levels and indicators are matched by id in every period, never by position: an
    indicator a period does not have is a missing point, not another indicator's value."""
    each = standard.judgement.mode == "each"
    trends = []
    for level in evaluations[0].levels:
        per_period = [
            _level_of(ev, level.level, label) for label, ev in zip(labels, evaluations, strict=True)
        ]
        indicators = [
            _cv_trend(
                CvTrend(ind.id, ind.name, ind.label, []),
                labels,
                [_cv_of(lv, ind.id) for lv in per_period],
                ind.limit if each else None,
            )
            for ind in level.indicators
        ]
        composite = _cv_trend(
            CvTrend(COMPOSITE, "综合差异系数", "综合", []),
            labels,
            [lv.composite_cv for lv in per_period],
            None if each else level.composite_limit,
        )
        trends.append(
            LevelTrend(
                level=level.level,
                name=level.name,
                limit=level.composite_limit,
                indicators=indicators,
                composite=composite,
                verdicts=[
                    _level_point(label, lv) for label, lv in zip(labels, per_period, strict=True)
                ],
            )
        )
    return trends


def _level_of(evaluation: Evaluation, level: Level, label: str) -> LevelResult:
    found = next((lv for lv in evaluation.levels if lv.level == level), None)
    if found is None:
        raise CompareError(f"{label} 的评估结果中没有{level.chinese}学段，无法与其他各期比较")
    return found


def _cv_of(level: LevelResult, indicator: str) -> float | None:
    return next((ind.cv for ind in level.indicators if ind.id == indicator), None)


def _cv_trend(
    what: CvTrend, labels: list[str], cvs: list[float | None], limit: float | None
) -> CvTrend:
    """``what`` names the coefficient; its points are built here."""
    first = cvs[0]
    points = []
    for k, (label, cv) in enumerate(zip(labels, cvs, strict=True)):
        previous = cvs[k - 1] if k else None
        points.append(
            CvPoint(
                period=label,
                cv=cv,
                limit=limit,
                passed=None if limit is None or cv is None else cv <= limit,
                from_previous=_difference(cv, previous) if k else None,
                from_first=_difference(cv, first) if k else None,
            )
        )
    return replace(what, points=points)


def _difference(after: float | None, before: float | None) -> float | None:
    return None if after is None or before is None else after - before


def _level_point(label: str, level: LevelResult) -> LevelPoint:
    return LevelPoint(
        period=label,
        schools=level.schools,
        passed=level.passed if level.schools else None,
        cv_passed=level.cv_passed,
        schools_passed=level.schools_passed,
        schools_failed=level.schools_failed,
    )


def _gap_total_trends(evaluations: list[Evaluation]) -> list[GapTotalTrend]:
    by_period = [{t.indicator: t for t in ev.gap_totals} for ev in evaluations]
    known = {t.indicator: t for totals in reversed(by_period) for t in totals.values()}
    order = [i.id for i in evaluations[0].standard.indicators if i.id in known]
    return [
        GapTotalTrend(
            indicator=ind,
            name=known[ind].name,
            what=known[ind].what,
            unit=known[ind].unit,
            amounts=[totals[ind].amount if ind in totals else None for totals in by_period],
            schools=[totals[ind].schools if ind in totals else None for totals in by_period],
        )
        for ind in order
    ]


# -- schools -----------------------------------------------------------------------------------
def _step(
    earlier: tuple[str, Evaluation], later: tuple[str, Evaluation], standard: Standard
) -> PeriodStep:
    (before_label, before), (after_label, after) = earlier, later
    pairs, by_name = match_units(before.units, after.units)
    matched_before = {i for i, _ in pairs}
    matched_after = {j for _, j in pairs}
    ids = [ind.id for ind in standard.indicators]
    values = _deltas(_value_frame(before.units, ids), _value_frame(after.units, ids), pairs)
    gaps = _deltas(_gap_frame(before.units, ids), _gap_frame(after.units, ids), pairs)
    specs = _gap_specs(before.units, after.units)
    changes = [
        _unit_change(
            _ref(before_label, before.units[i]),
            _ref(after_label, after.units[j]),
            MatchedBy.NAME if (i, j) in by_name else MatchedBy.CODE,
            [ValueChange(ind, *values[ind][n]) for ind in ids],
            [(ind, *specs[ind], *gaps[ind][n]) for ind in ids if ind in specs],
            (_statuses(before.units[i]), _statuses(after.units[j])),
        )
        for n, (i, j) in enumerate(pairs)
    ]
    return PeriodStep(
        before=before_label,
        after=after_label,
        changes=changes,
        added=[_ref(after_label, u) for j, u in enumerate(after.units) if j not in matched_after],
        removed=[
            _ref(before_label, u) for i, u in enumerate(before.units) if i not in matched_before
        ],
    )


def match_units(
    before: Sequence[UnitResult], after: Sequence[UnitResult]
) -> tuple[list[tuple[int, int]], set[tuple[int, int]]]:
    """Pairs (position before, position after), ordered as ``after``, and the pairs matched by
    name only. First by (code, level); then, among the units left, by (name, level). A key
    matches only when it is unique on both sides: two schools of one code or one name are
    never guessed at (they are listed as added and removed)."""
    pairs = _match_by(before, after, _code_key, set(), set())
    by_name = _match_by(before, after, _name_key, set(pairs.values()), set(pairs))
    pairs.update(by_name)
    return [(i, j) for j, i in sorted(pairs.items())], {(i, j) for j, i in by_name.items()}


def _code_key(unit: UnitResult) -> tuple | None:
    return (unit.code, unit.level) if unit.code else None


def _name_key(unit: UnitResult) -> tuple | None:
    return (unit.name, unit.level)


def _match_by(
    before: Sequence[UnitResult],
    after: Sequence[UnitResult],
    key: Callable[[UnitResult], tuple | None],
    taken_before: set[int],
    taken_after: set[int],
) -> dict[int, int]:
    """Position after → position before, for keys unique on both sides among units not taken."""
    left = _unique_keys(before, key, taken_before)
    right = _unique_keys(after, key, taken_after)
    return {j: left[k] for k, j in right.items() if k in left}


def _unique_keys(
    units: Sequence[UnitResult], key: Callable[[UnitResult], tuple | None], skip: set[int]
) -> dict[tuple, int]:
    """key → position, for keys that occur once among the units not skipped."""
    found: dict[tuple, int] = {}
    repeated: set[tuple] = set()
    for position, unit in enumerate(units):
        k = key(unit)
        if k is None or position in skip:
            continue
        if k in found:
            repeated.add(k)
        found[k] = position
    return {k: p for k, p in found.items() if k not in repeated}


def _value_frame(units: Sequence[UnitResult], ids: list[str]) -> pd.DataFrame:
    return pd.DataFrame.from_records([u.values for u in units], columns=ids).astype(float)


def _gap_frame(units: Sequence[UnitResult], ids: list[str]) -> pd.DataFrame:
    records = [{c.indicator: c.gap for c in u.checks} for u in units]
    return pd.DataFrame.from_records(records, columns=ids).astype(float)


def _deltas(
    before: pd.DataFrame, after: pd.DataFrame, pairs: list[tuple[int, int]]
) -> dict[str, list[tuple[float | None, float | None, float | None]]]:
    """Per indicator, for each pair: (before, after, after − before), None for missing."""
    rows_before = np.array([i for i, _ in pairs], dtype=int)
    rows_after = np.array([j for _, j in pairs], dtype=int)
    was = before.to_numpy(dtype=float)[rows_before] if len(before) else _empty(pairs, before)
    now = after.to_numpy(dtype=float)[rows_after] if len(after) else _empty(pairs, after)
    delta = now - was
    return {
        ind: list(
            zip(
                optional_floats(was[:, k]),
                optional_floats(now[:, k]),
                optional_floats(delta[:, k]),
                strict=True,
            )
        )
        for k, ind in enumerate(before.columns)
    }


def _empty(pairs: list[tuple[int, int]], frame: pd.DataFrame) -> np.ndarray:
    return np.full((len(pairs), frame.shape[1]), np.nan)


def _gap_specs(*unit_lists: Sequence[UnitResult]) -> dict[str, tuple[str, str]]:
    """Indicator → (gap unit, what), from the first unit that has checks (every unit is
    checked against the same indicators); empty when the standard judges no school."""
    for units in unit_lists:
        for unit in units:
            if unit.checks:
                return {c.indicator: (c.gap_unit, c.what) for c in unit.checks}
    return {}


def _statuses(unit: UnitResult) -> dict[str, str]:
    return {c.indicator: c.status for c in unit.checks}


def _unit_change(
    before: UnitRef,
    after: UnitRef,
    matched_by: MatchedBy,
    values: list[ValueChange],
    gaps: list[tuple[str, str, str, float | None, float | None, float | None]],
    statuses: tuple[dict[str, str], dict[str, str]],
) -> UnitChange:
    was, now = statuses
    return UnitChange(
        before=before,
        after=after,
        matched_by=matched_by,
        values=values,
        gaps=[GapChange(*gap, was.get(gap[0]), now.get(gap[0])) for gap in gaps],
    )


def _ref(label: str, unit: UnitResult) -> UnitRef:
    return UnitRef(
        period=label,
        code=unit.code,
        name=unit.name,
        type=unit.type,
        level=unit.level,
        origin=unit.origin,
        passed=unit.passed,
    )
