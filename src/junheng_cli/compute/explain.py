"""The arithmetic behind one school's value and one level's difference coefficient, step by
step, laid out like the official worked example (以生均图书册数为例)."""

from __future__ import annotations

from dataclasses import dataclass

from junheng_cli.errors import JunhengError
from junheng_cli.model.fields import FIELDS, Level
from junheng_cli.model.results import Check, Evaluation, ExcludedSchool, IndicatorResult, UnitResult
from junheng_cli.standards.indicators import Indicator


class ExplainError(JunhengError):
    """The school or indicator cannot be found. The message is for the user."""


@dataclass(frozen=True)
class UnitArithmetic:
    unit: UnitResult
    weights: dict[Level, float]  # splitting weight of each level of the school's type
    students: dict[Level, int]  # the school's students by level (all levels, for the split)
    whole: dict[str, float]  # whole-school quantities before the split
    numerator: dict[str, float]  # the unit's quantities that make the indicator
    value: float | None
    check: Check | None


@dataclass(frozen=True)
class CountyRow:
    name: str
    students: int
    weight: float  # P_i / P
    value: float  # X_i
    deviation: float  # X_i − X̄
    weighted_square: float  # (P_i / P)(X_i − X̄)²


@dataclass(frozen=True)
class CountyArithmetic:
    level: Level
    indicator: IndicatorResult
    total_students: int
    total_numerator: float
    mean: float
    rows: list[CountyRow]
    variance: float
    sd: float
    cv: float


@dataclass(frozen=True)
class Explanation:
    indicator: Indicator
    school: str
    units: list[UnitArithmetic]
    excluded: ExcludedSchool | None
    county: list[CountyArithmetic]


def find_indicator(evaluation: Evaluation, ref: str) -> Indicator:
    for ind in evaluation.standard.indicators:
        if ref in (ind.id, ind.name, ind.short_name):
            return ind
    known = "、".join(f"{i.id}（{i.name}）" for i in evaluation.standard.indicators)
    raise ExplainError(f"标准 {evaluation.standard.id} 中没有指标 {ref!r}；可用：{known}")


def explain(evaluation: Evaluation, school: str, indicator_ref: str) -> Explanation:
    indicator = find_indicator(evaluation, indicator_ref)
    units = [u for u in evaluation.units if school in (u.name, u.code)]
    excluded = next((e for e in evaluation.excluded if school in (e.name, e.code)), None)
    if not units and excluded is None:
        raise ExplainError(f"找不到学校 {school!r}（按学校名称或学校标识码查找）")
    origins = {u.origin for u in units}
    if len(origins) > 1:
        rows = "、".join(f"第 {o.row} 行" for o in sorted(origins, key=lambda o: o.row))
        raise ExplainError(f"有多所学校叫 {school!r}（{rows}）：请改用学校标识码")
    levels = [u.level for u in units]
    return Explanation(
        indicator=indicator,
        school=school,
        units=[_unit_arithmetic(evaluation, u, units, indicator) for u in units],
        excluded=excluded,
        county=[_county_arithmetic(evaluation, lv, indicator) for lv in levels],
    )


def _unit_arithmetic(
    evaluation: Evaluation, unit: UnitResult, siblings: list[UnitResult], indicator: Indicator
) -> UnitArithmetic:
    school_type = evaluation.standard.school_types[unit.type]
    students = {u.level: u.students for u in siblings}
    whole = {
        q: unit.quantities.get(q, 0.0) / unit.share
        for q in indicator.numerator
        if not FIELDS[q].per_level
    }
    check = next((c for c in unit.checks if c.indicator == indicator.id), None)
    return UnitArithmetic(
        unit=unit,
        weights=dict(school_type.levels),
        students=students,
        whole=whole,
        numerator={q: unit.quantities.get(q, 0.0) for q in indicator.numerator},
        value=unit.values.get(indicator.id),
        check=check,
    )


def _county_arithmetic(
    evaluation: Evaluation, level: Level, indicator: Indicator
) -> CountyArithmetic:
    result = next(
        i
        for lv in evaluation.levels
        if lv.level == level
        for i in lv.indicators
        if i.id == indicator.id
    )
    units = [
        u for u in evaluation.units if u.level == level and u.values.get(indicator.id) is not None
    ]
    total = sum(u.students for u in units)
    numerator = sum(sum(u.quantities.get(q, 0.0) for q in indicator.numerator) for u in units)
    weighted = evaluation.standard.cv.weighting == "enrollment"
    values = [float(u.values[indicator.id] or 0.0) for u in units]
    mean = numerator / total * indicator.scale if weighted else sum(values) / len(values)
    rows = []
    for u, value in zip(units, values, strict=True):
        weight = u.students / total if weighted else 1 / len(units)
        rows.append(
            CountyRow(u.name, u.students, weight, value, value - mean, weight * (value - mean) ** 2)
        )
    variance = sum(r.weighted_square for r in rows)
    sd = variance**0.5
    return CountyArithmetic(level, result, total, numerator, mean, rows, variance, sd, sd / mean)
