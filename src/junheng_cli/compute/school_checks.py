"""Every school against its per-school thresholds (2017), the gaps in real units, and the
fix-first lists that bring a difference coefficient under its limit."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace

import numpy as np
import pandas as pd

from junheng_cli.compute.grouping import group_max
from junheng_cli.compute.indicators import (
    LEVEL,
    SHARE,
    STUDENTS,
    code_verdicts,
    fix_first,
    optional_float,
    optional_floats,
    quantity_gaps,
    round_up,
    status_codes,
    statuses,
    statuses_of,
    unit_thresholds,
)
from junheng_cli.io.sheet_table.tables import row_keys
from junheng_cli.model.fields import FIELDS, Level
from junheng_cli.model.results import Check, FixStepResult, GapTotal, SchoolGap
from junheng_cli.model.sources import Origin
from junheng_cli.standards.indicators import Indicator
from junheng_cli.standards.model import Standard


@dataclass
class SchoolJudgement:
    checks: list[list[Check]]  # per unit, in unit order
    met: pd.Series
    passed: pd.Series
    gaps: list[SchoolGap]
    totals: list[GapTotal]


def judge_schools(
    units: pd.DataFrame, values: pd.DataFrame, standard: Standard, origins: Sequence[Origin]
) -> SchoolJudgement:
    rule = standard.school_rule
    assert rule is not None
    thresholds = unit_thresholds(units, standard.indicators)
    extra = allowance_extras(units, standard.indicators)
    allowed = allowed_values(units, values, extra, standard.indicators)
    codes = status_codes(allowed, thresholds, rule.floor)
    verdicts = code_verdicts(codes, rule.min_met, units.index)
    status = statuses_of(codes, allowed)
    raw_gaps = quantity_gaps(units, allowed, thresholds, standard.indicators, extra)
    needs = school_needs(units, raw_gaps, standard.indicators)
    checks = _checks(allowed, thresholds, status, needs, standard.indicators, rule.floor)
    if not extra.empty:
        checks = _with_strict(checks, values, thresholds, extra, standard.indicators, rule.floor)
    gaps = _school_gaps(units, needs, standard.indicators, origins)
    return SchoolJudgement(
        checks, verdicts["met"], verdicts["passed"], gaps, gap_totals(gaps, standard)
    )


@dataclass
class CountyJudgement:
    passed: pd.Series  # per unit: the school rule
    totals: dict[str, list[GapTotal]]  # per county


def judge_counts(
    units: pd.DataFrame, values: pd.DataFrame, standard: Standard, county: pd.Series
) -> CountyJudgement:
    """The school-rule verdicts and each county's gap totals, vectorised over all counties:
    the same numbers as ``judge_schools`` and ``gap_totals`` without a check or gap object
    per school."""
    rule = standard.school_rule
    assert rule is not None
    thresholds = unit_thresholds(units, standard.indicators)
    extra = allowance_extras(units, standard.indicators)
    allowed = allowed_values(units, values, extra, standard.indicators)
    codes = status_codes(allowed, thresholds, rule.floor)
    verdicts = code_verdicts(codes, rule.min_met, units.index)
    del codes
    school, schools = pd.factorize(_school_key(units))
    first_of_school = ~pd.Series(school).duplicated().to_numpy()
    amounts = _gap_amounts(
        units, allowed, thresholds, extra, standard, school, len(schools), first_of_school
    )
    del allowed, thresholds, extra
    county_codes, county_names = pd.factorize(county.to_numpy())
    sums = amounts.groupby(county_codes, sort=False).sum()
    ids = [ind.id for ind in standard.indicators]
    every = range(len(county_names))
    sums_of = sums.reindex(index=every, columns=ids).to_numpy().tolist()
    short = _schools_short(
        amounts[ids].to_numpy() > 0, school, county_codes[first_of_school], len(county_names)
    )
    schools_of = short.tolist()
    specs = [(ind, *_gap_spec(ind)) for ind in standard.indicators]
    totals: dict[str, list[GapTotal]] = {}
    for code, name in enumerate(county_names):
        totals[str(name)] = [
            GapTotal(ind.id, ind.name, what, unit, float(amount), int(count))
            for (ind, unit, _, what), amount, count in zip(
                specs, sums_of[code], schools_of[code], strict=True
            )
        ]
    return CountyJudgement(verdicts["passed"], totals)


def _schools_short(
    short: np.ndarray, school: np.ndarray, county: np.ndarray, counties: int
) -> np.ndarray:
    """Per county (rows) and indicator (columns), how many schools have a unit that falls
    short; ``short`` per unit and indicator, ``school`` each unit's school number,
    ``county`` each school's county number (of ``counties``)."""
    schools = len(county)
    counts = np.empty((counties, short.shape[1]), dtype=np.int64)
    for k in range(short.shape[1]):
        any_short = np.bincount(school, weights=short[:, k], minlength=schools) > 0
        counts[:, k] = np.bincount(county, weights=any_short, minlength=counties)
    return counts


def _gap_amounts(
    units: pd.DataFrame,
    allowed: pd.DataFrame,
    thresholds: pd.DataFrame,
    extra: pd.DataFrame,
    standard: Standard,
    school: np.ndarray,
    schools: int,
    first_of_school: np.ndarray,
) -> pd.DataFrame:
    """Each unit's gap per indicator as the county totals count it: rounded up to the gap's
    step, a whole-school quantity once per school (the largest of its parts' needs)."""
    raw_gaps = quantity_gaps(units, allowed, thresholds, standard.indicators, extra)
    needs = school_needs(units, raw_gaps, standard.indicators, school)
    del raw_gaps
    columns = {}
    for ind in standard.indicators:
        _, step, _ = _gap_spec(ind)
        need = needs[ind.id].to_numpy(dtype=np.float64)
        if is_whole_school(ind):  # one amount per school, counted once
            most = group_max(need, school, schools)[school]
            amount = np.where(first_of_school, round_up(most, step), 0.0)
        else:
            amount = round_up(need, step)
        columns[ind.id] = np.where(np.isnan(amount), 0.0, amount)
    return pd.DataFrame(columns)


def allowance_extras(units: pd.DataFrame, indicators: Sequence[Indicator]) -> pd.DataFrame:
    """Per unit, what a 2019 规程 allowance counts on top of an indicator's numerator (0 where
    it does not apply), one column per indicator with an allowance the data can use. Only a
    unit whose row carries the figure (the column ``add``) qualifies, so a workbook without
    that column is judged as before."""
    columns = {}
    school_students = None
    for ind in indicators:
        rule = ind.allowance
        if rule is None or not rule.enabled or rule.add not in units:
            continue
        amount = units[rule.add]
        applies = amount.fillna(0) > 0
        if rule.students is not None:
            if school_students is None:  # the school's 义务教育 students, all its levels
                school_students = units[STUDENTS].groupby(_school_key(units)).transform("sum")
            top = np.inf if rule.students.max is None else rule.students.max
            applies &= school_students.between(rule.students.min, top)
        if rule.area_types:
            applies &= units["area_type"].isin(rule.area_types)
        columns[ind.id] = amount.where(applies, 0.0).fillna(0.0)
    return pd.DataFrame(columns, index=units.index)


def allowed_values(
    units: pd.DataFrame,
    values: pd.DataFrame,
    extra: pd.DataFrame,
    indicators: Sequence[Indicator],
) -> pd.DataFrame:
    """The values the per-school check uses: with the allowances' additions counted."""
    if extra.empty:
        return values
    allowed = values.copy()
    students = units[STUDENTS].where(units[STUDENTS] > 0)
    for ind in indicators:
        if ind.id in extra:
            allowed[ind.id] = values[ind.id] + extra[ind.id] / students * ind.scale
    return allowed


def _with_strict(
    checks: list[list[Check]],
    values: pd.DataFrame,
    thresholds: pd.DataFrame,
    extra: pd.DataFrame,
    indicators: Sequence[Indicator],
    floor: float,
) -> list[list[Check]]:
    """The checks an allowance changed carry the strict value and status, and the rule."""
    strict_status = statuses(values, thresholds, floor)
    position = {ind.id: n for n, ind in enumerate(indicators)}
    texts = {ind.id: ind.allowance.text for ind in indicators if ind.allowance is not None}
    for ind_id in extra.columns:
        n = position[ind_id]
        for i in np.flatnonzero(extra[ind_id].to_numpy() > 0):
            check = checks[i][n]
            checks[i][n] = replace(
                check,
                strict_value=optional_float(values[ind_id].iat[i]),
                strict_status=strict_status[ind_id].iat[i],
                allowance=texts[ind_id],
            )
    return checks


def is_whole_school(indicator: Indicator) -> bool:
    return not FIELDS[indicator.numerator[0]].per_level


def _gap_spec(indicator: Indicator) -> tuple[str, float, str]:
    if indicator.gap is None:
        return indicator.unit, 0.01, indicator.name
    return indicator.gap.unit, indicator.gap.step, indicator.gap.what


def _school_key(units: pd.DataFrame) -> np.ndarray:
    """One integer per school row (level units of a school share it)."""
    return row_keys(units)


def school_needs(
    units: pd.DataFrame,
    gaps: pd.DataFrame,
    indicators: Sequence[Indicator],
    school: np.ndarray | None = None,
) -> pd.DataFrame:
    """What each unit's school must add, unrounded. For a whole-school quantity of a mixed
    school that is the amount the whole school must add so that every one of its level parts
    reaches its threshold (each part receives its enrollment share of an addition); the same
    number is shown for each part that falls short, and it is the number in the gap list."""
    needs = gaps.copy()
    if school is None:
        school = _school_key(units)
    codes, distinct = pd.factorize(school)  # any numbering of the schools
    share = units[SHARE].to_numpy(dtype=np.float64)
    for ind in indicators:
        if is_whole_school(ind):
            gap = gaps[ind.id].to_numpy(dtype=np.float64)
            with np.errstate(divide="ignore", invalid="ignore"):  # a part with no students
                whole = group_max(gap / share, codes, len(distinct))[codes]
            needs[ind.id] = np.where(np.isnan(gap), np.nan, np.where(gap > 0, whole, 0.0))
    return needs


def _checks(
    values: pd.DataFrame,
    thresholds: pd.DataFrame,
    status: pd.DataFrame,
    gaps: pd.DataFrame,
    indicators: Sequence[Indicator],
    floor: float,
) -> list[list[Check]]:
    """One check per unit and indicator. Columns go to plain lists first: building the
    objects is then the only per-item Python work."""
    columns = []
    for ind in indicators:
        unit, step, what = _gap_spec(ind)
        column = zip(
            optional_floats(values[ind.id]),
            thresholds[ind.id].to_numpy(dtype=float).tolist(),
            status[ind.id].tolist(),
            round_up(gaps[ind.id], step).to_numpy(dtype=float).tolist(),
            strict=True,
        )
        columns.append(
            [Check(ind.id, ind.name, v, t, t * floor, s, g, unit, what) for v, t, s, g in column]
        )
    return [list(row) for row in zip(*columns, strict=True)]


def _school_gaps(
    units: pd.DataFrame,
    gaps: pd.DataFrame,
    indicators: Sequence[Indicator],
    origins: Sequence[Origin],
) -> list[SchoolGap]:
    """``gaps`` are the units' needs (``school_needs``). Per-level quantities: each level
    unit's own gap. Whole-school quantities: one entry per school. Biggest first."""
    result: list[SchoolGap] = []
    school = _school_key(units)
    records = units[["code", "name", "type", LEVEL]].to_dict("records")
    first_position = {key: pos for pos, key in reversed(list(enumerate(school)))}
    for ind in indicators:
        unit, step, what = _gap_spec(ind)
        if is_whole_school(ind):
            needed = round_up(gaps[ind.id].groupby(school, sort=False).max(), step)
            for key, amount in needed[needed > 0].items():
                pos = first_position[key]
                result.append(_gap(records[pos], ind, None, amount, unit, what, origins[pos]))
        else:
            rounded = round_up(gaps[ind.id], step).to_numpy()
            for pos in np.flatnonzero(rounded > 0):
                row = records[pos]
                level = Level(row[LEVEL])
                result.append(_gap(row, ind, level, rounded[pos], unit, what, origins[pos]))
    order = {ind.id: i for i, ind in enumerate(indicators)}
    return sorted(result, key=lambda g: (order[g.indicator], -g.amount))


def _gap(
    row: dict[str, object],
    ind: Indicator,
    level: Level | None,
    amount: float,
    unit: str,
    what: str,
    origin: Origin,
) -> SchoolGap:
    return SchoolGap(
        code=row["code"],
        name=row["name"],
        type=row["type"],
        indicator=ind.id,
        indicator_name=ind.name,
        level=level,
        amount=float(amount),
        unit=unit,
        what=what,
        origin=origin,
    )


def gap_totals(gaps: list[SchoolGap], standard: Standard) -> list[GapTotal]:
    totals = []
    for ind in standard.indicators:
        mine = [g for g in gaps if g.indicator == ind.id]
        unit, _, what = _gap_spec(ind)
        schools = len({(g.origin.file, g.origin.sheet, g.origin.row) for g in mine})
        totals.append(GapTotal(ind.id, ind.name, what, unit, sum(g.amount for g in mine), schools))
    return totals


def fix_first_steps(
    units: pd.DataFrame,
    values: pd.Series,
    weights: pd.Series,
    indicator: Indicator,
    level: Level,
    limit: float,
) -> list[FixStepResult]:
    """The fix-first list for one indicator of one level (units of that level only)."""
    valid = values.notna()
    units, values, weights = units[valid], values[valid], weights[valid]
    threshold = indicator.thresholds.get(level)
    steps = fix_first(values.to_numpy(), weights.to_numpy(), limit, threshold)
    unit, step, _ = _gap_spec(indicator)
    result = []
    for s in steps:
        row = units.iloc[s.position]
        needed = (s.after - s.before) * row[STUDENTS] / indicator.scale
        if is_whole_school(indicator):
            needed /= row[SHARE]
        amount = float(np.ceil(needed / step - 1e-9) * step)
        result.append(
            FixStepResult(row["code"], row["name"], s.before, s.after, amount, unit, s.cv_after)
        )
    return result
