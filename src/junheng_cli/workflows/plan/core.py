"""What-if plans: the least additions that bring a county to its standard, scenarios applied and
re-evaluated, and teacher transfers (交流轮岗) that lower the teacher CVs without new hires.
Pure: no I/O, no printing. The result objects are defined here; ``report.plan_view`` renders them.

The least-additions plan (``make_plan``)
----------------------------------------
1. The school rule (default). A level unit that already passes the standard's school rule
   (quality-2017: at least ``min_met`` = 6 indicators at their threshold, the rest at least
   ``floor`` = 85 % of it) gets nothing. A failing unit: (a) every indicator below the floor is
   raised to the floor; (b) then, while fewer than ``min_met`` indicators meet their threshold,
   the not-met indicator with the smallest relative shortfall (threshold − value) / threshold
   is raised to the full threshold. (b) is worked out on the values after (a) has been rounded,
   so an indicator that rounding already lifted to its threshold counts as met. Without a
   school rule (basic-2012) step 1 adds nothing. With ``full`` (``--full``), every unit is raised
   to every threshold instead (for bureaus that aim at the full standards).
   The amounts are those of ``school_checks.school_needs`` (for a whole-school quantity of a
   mixed school, the most any of its level parts needs, divided by that part's share, so one
   addition satisfies every part that needs it), rounded up to whole teachers, whole rooms,
   whole ㎡ and whole 元 (the indicator's gap step).
2. Difference coefficients. For each level and indicator whose CV is still over its limit, the
   lowest units are raised together to a common level L ("water filling" from the bottom:
   value_i → max(value_i, L)). Every raised unit sits at or below the mean (the mean is ≥ L),
   so the CV falls monotonically as L rises, and L is the smallest level meeting the limit. It is
   found by bisection generalised to 64 candidate levels per round, each round's candidates
   evaluated at once by ``indicators.weighted_stats``. The amounts are converted and rounded up
   as in step 1. Under ``judgement.mode: composite`` the aim is the composite: the highest CVs
   are flattened to a common t with mean(min(CV_k, t)) = limit, and each is filled down to t.
3. Check. Rounding only adds, but a whole-school addition to a mixed school also raises its
   other level's part, which can lift that level's CV. So the additions are applied, every CV is
   recomputed with ``weighted_stats``, and step 2 repeats on whatever is still over (at most
   ``MAX_ROUNDS`` rounds). The plan is then written as a scenario, applied through
   ``scenario.apply_scenario`` and re-evaluated by ``evaluate``: the CVs "after" are those.

New teachers of a kind (骨干, 高学历, 中级 …) are new 专任教师 hires (``scenario.add_quantities``).
So in every step the additions to 专任教师数 itself (师生比) are worked out only after the
additions of the other kinds have been applied: 师生比 is not supplied twice.

"Least" holds per indicator. ㎡, 元 and teachers cannot be added up, and the kinds of teachers
overlap (one teacher can be both 骨干 and 高于规定学历), so the teacher counts of different
indicators are not one head count.

Teacher transfers (``suggest_transfers``)
-----------------------------------------
For each level and teacher indicator whose CV is over its limit (under ``composite``: while the
composite is over), one teacher at a time moves between two units of that level: from a unit
that after the move still meets every per-school threshold (its own kind's, and that of any kind
that must go along, see ``scenario``) and stays above the county mean, to a unit below the mean.
Of those pairs, the move that lowers the CV most is taken (usually from the highest value to the
lowest; a tiny school that one teacher would lift far past the mean is passed over). The search
stops when the CV meets its aim, when no move lowers it, or after ``max_moves`` moves. Each step
ranks the pairs with an O(donors × receivers) numpy computation; the CV that decides whether to
go on is computed by ``weighted_stats`` with the standard's weighting and SD form, the same
number that is reported.

The direction of a move is that of 交流轮岗 (``TransferRule``): a teacher goes from a school to
one at least as rural (城区 → 城区 / 镇区 / 乡村, 镇区 → 镇区 / 乡村, 乡村 → 乡村, by the
城乡类型 column, read as the statistics system's 城乡分类 too), never towards a more urban one
unless the analyst allows it (``--allow-rural-to-urban``), and never out of a 教学点. A school
whose 城乡类型 is blank (or not one of those) takes part only where the direction is certain
anyway: it gives only to a 乡村 school and receives only from a 城区 one. A workbook without any
城乡类型 cannot be held to the direction: the moves go from stronger to weaker schools only, and
the plan says so (``TransferDirection``).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from typing import Any

import numpy as np
import pandas as pd

from junheng_cli.compute.evaluate import evaluate
from junheng_cli.compute.indicators import (
    BELOW,
    LEVEL,
    MET,
    STUDENTS,
    TOLERANCE,
    indicator_values,
    quantity_gaps,
    round_up,
    school_verdicts,
    split_units,
    stat_weights,
    statuses,
    unit_thresholds,
    weighted_stats,
)
from junheng_cli.compute.school_checks import school_needs
from junheng_cli.compute.validate import ValidatedTable
from junheng_cli.io.sheet_table import ROW, SOURCE
from junheng_cli.model.fields import FIELDS, TEACHER_PARTS, Level, quantity_text
from junheng_cli.model.results import Evaluation, LevelResult, Origin, UnitResult
from junheng_cli.standards.model import CVMethod, Indicator, Standard
from junheng_cli.workflows.scenario.core import (
    MEASURE,
    TEACHERS,
    AddChange,
    AppliedScenario,
    MoveChange,
    Scenario,
    SchoolIndex,
    add_quantities,
    apply_scenario,
    short_name,
    split_column,
    target_field,
)

MAX_ROUNDS = 10
CANDIDATES = 64  # candidate levels evaluated per round of the search for L
SEARCH_ROUNDS = 12
AIM_MARGIN = 1e-9  # aim a hair under the limit, so that float noise never lands just above it
MAX_MOVES = 100
LABEL = "_label"  # the row label of the school in the validated frame
KEEP = ["code", "name", "type", ROW, SOURCE, LABEL]
THRESHOLD, CV = "threshold", "cv"


# -- before and after ----------------------------------------------------------------------------
@dataclass(frozen=True)
class CvChange:
    indicator: str
    name: str
    label: str
    decimals: int
    mean_before: float | None
    mean_after: float | None
    before: float | None
    after: float | None
    limit: float | None  # None under composite judgement


@dataclass(frozen=True)
class LevelChange:
    level: Level
    name: str
    cvs: list[CvChange]
    composite_before: float | None
    composite_after: float | None
    composite_limit: float | None
    cv_passed_before: bool | None
    cv_passed_after: bool | None
    failed_before: int | None  # schools (level units) failing their per-school thresholds
    failed_after: int | None
    passed_before: bool | None
    passed_after: bool | None


def compare_levels(before: Evaluation, after: Evaluation) -> list[LevelChange]:
    later = {lv.level: lv for lv in after.levels}
    return [_level_change(lv, later[lv.level]) for lv in before.levels if lv.level in later]


def _level_change(a: LevelResult, b: LevelResult) -> LevelChange:
    after = {i.id: i for i in b.indicators}
    cvs = [
        CvChange(
            i.id,
            i.name,
            i.label,
            i.decimals,
            i.mean,
            after[i.id].mean,
            i.cv,
            after[i.id].cv,
            i.limit,
        )
        for i in a.indicators
    ]
    return LevelChange(
        a.level,
        a.name,
        cvs,
        a.composite_cv,
        b.composite_cv,
        a.composite_limit,
        a.cv_passed,
        b.cv_passed,
        a.schools_failed,
        b.schools_failed,
        a.passed,
        b.passed,
    )


@dataclass
class ScenarioOutcome:
    applied: AppliedScenario
    before: Evaluation
    after: Evaluation
    levels: list[LevelChange]


def run_scenario(
    validated: ValidatedTable,
    standard: Standard,
    scenario: Scenario,
    before: Evaluation,
    source: str = "方案",
) -> ScenarioOutcome:
    """Apply a scenario to a copy of the school frame and evaluate the result."""
    applied = apply_scenario(validated.frame, scenario, standard, source)
    after = evaluate(replace(validated, frame=applied.frame), standard)
    return ScenarioOutcome(applied, before, after, compare_levels(before, after))


def evaluated_rows(validated: ValidatedTable, evaluation: Evaluation) -> pd.Series:
    """Which rows of the validated frame are evaluated units (not excluded, not skipped)."""
    frame = validated.frame
    sheets = validated.table.sheets
    files = np.array([s.file for s in sheets], dtype=object)
    names = np.array([s.sheet for s in sheets], dtype=object)
    source = frame[SOURCE].to_numpy(dtype=int)
    keys = pd.Series(
        list(zip(files[source], names[source], frame[ROW].astype(int), strict=True)),
        index=frame.index,
    )
    evaluated = {(u.origin.file, u.origin.sheet, u.origin.row) for u in evaluation.units}
    return keys.isin(evaluated)


def _origin(validated: ValidatedTable, label: Any) -> Origin:
    sheet = validated.table.sheets[int(validated.frame.at[label, SOURCE])]
    return Origin(sheet.file, sheet.sheet, int(validated.frame.at[label, ROW]))


def _units(schools: pd.DataFrame, standard: Standard) -> tuple[pd.DataFrame, pd.DataFrame]:
    keyed = schools.assign(**{LABEL: schools.index})
    units = split_units(keyed, standard, keep=KEEP)
    return units, indicator_values(units, standard.indicators)


# -- the least-additions plan ---------------------------------------------------------------------
@dataclass(frozen=True)
class UnitValue:
    level: Level
    before: float | None
    after: float | None
    threshold: float | None


@dataclass(frozen=True)
class PlanAddition:
    """What one school adds for one indicator: to reach its threshold, and on top of that to
    bring the CV under its limit. Teachers are per level; ㎡, 元 and rooms are for the school."""

    code: str
    name: str
    type: str
    origin: Origin
    indicator: str
    indicator_name: str
    label: str
    field: str
    level: Level | None
    to_threshold: float
    for_cv: float
    unit: str
    what: str
    values: list[UnitValue]  # the school's level parts, before → after

    @property
    def total(self) -> float:
        return self.to_threshold + self.for_cv


@dataclass(frozen=True)
class PlanTotal:
    indicator: str
    name: str
    label: str
    what: str
    unit: str
    to_threshold: float
    for_cv: float
    schools: int

    @property
    def total(self) -> float:
        return self.to_threshold + self.for_cv


@dataclass
class Plan:
    standard: Standard
    additions: list[PlanAddition]
    totals: list[PlanTotal]
    scenario: Scenario | None  # None when nothing needs adding
    outcome: ScenarioOutcome
    rounds: int  # rounds of step 2 that added something
    full: bool = False  # step 1 raised every unit to every threshold (--full)

    @property
    def levels(self) -> list[LevelChange]:
        return self.outcome.levels

    @property
    def reached(self) -> bool:
        """Every CV within its limit and every school passing, after the plan."""
        return self.outcome.after.passed is True


def gap_spec(indicator: Indicator) -> tuple[str, float, str]:
    """(unit, step, what) of an addition: 名 / 1 / 县级以上骨干教师. Without a gap spec in the
    standard: whole units of the field (㎡, 元, 册, 台 …)."""
    if indicator.gap is not None:
        return indicator.gap.unit, indicator.gap.step, indicator.gap.what
    field = FIELDS[target_field(indicator)]
    return MEASURE.get(field.unit, field.unit), 1.0, short_name(field)


def make_plan(
    validated: ValidatedTable, standard: Standard, before: Evaluation, full: bool = False
) -> Plan:
    """The least additions (see the module docstring) for the county ``before`` evaluates.
    ``full``: raise every unit to every threshold in step 1, not just to the school rule."""
    frame = validated.frame
    schools = frame[evaluated_rows(validated, before)]
    first, state = _threshold_additions(schools, standard, full)
    later = []
    for _ in range(MAX_ROUNDS):
        more, state = _hires_last(state, lambda s: _cv_additions(s, standard))
        if more.empty:
            break
        later.append(more)
    additions = pd.concat(
        [first.assign(stage=THRESHOLD), *(m.assign(stage=CV) for m in later)], ignore_index=True
    )
    if additions.empty:
        nothing = AppliedScenario(frame, [], "补短板方案")
        outcome = ScenarioOutcome(nothing, before, before, compare_levels(before, before))
        return Plan(standard, [], _plan_totals([], standard), None, outcome, 0, full)
    by_stage = additions.pivot_table(
        index=["label", "column", "field", "indicator"],
        columns="stage",
        values="amount",
        aggfunc="sum",
        fill_value=0.0,
        sort=False,
    ).reindex(columns=[THRESHOLD, CV], fill_value=0.0)
    scenario = _as_scenario(by_stage, frame, standard, full)
    outcome = run_scenario(validated, standard, scenario, before, "补短板方案")
    records = _plan_additions(by_stage, validated, standard, outcome)
    totals = _plan_totals(records, standard)
    return Plan(standard, records, totals, scenario, outcome, len(later), full)


Additions = Callable[[pd.DataFrame], pd.DataFrame]


def _hires_last(state: pd.DataFrame, additions: Additions) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The additions for every field but 专任教师数, applied; then those for 专任教师数 worked
    out again on the result, where new teachers of a kind already count as new hires. Returns
    the additions and the state after them."""
    others = additions(state)
    others = others[others["field"] != TEACHERS]
    state = add_quantities(state, others)
    teachers = additions(state)
    teachers = teachers[teachers["field"] == TEACHERS]
    found = pd.concat([others, teachers], ignore_index=True)
    return found[ADDITION_COLUMNS], add_quantities(state, teachers)


def _threshold_additions(
    schools: pd.DataFrame, standard: Standard, full: bool
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Step 1: the additions and the state after them."""

    def to(targets: Callable[[pd.DataFrame, pd.DataFrame], pd.DataFrame]) -> Additions:
        def additions(state: pd.DataFrame) -> pd.DataFrame:
            units, values = _units(state, standard)
            return _additions_to(units, values, targets(units, values), standard)

        return additions

    if full:
        return _hires_last(schools, to(lambda u, v: unit_thresholds(u, standard.indicators)))
    floors, state = _hires_last(schools, to(lambda u, v: floor_targets(u, v, standard)))
    met, state = _hires_last(state, to(lambda u, v: met_targets(u, v, standard)))
    return pd.concat([floors, met], ignore_index=True), state


def _rule_status(
    units: pd.DataFrame, values: pd.DataFrame, standard: Standard
) -> tuple[pd.DataFrame, pd.DataFrame, pd.Series] | None:
    """(thresholds, statuses, passed) of every unit under the school rule; None without one."""
    rule = standard.school_rule
    if rule is None:
        return None
    thresholds = unit_thresholds(units, standard.indicators)
    status = statuses(values, thresholds, rule.floor)
    return thresholds, status, school_verdicts(status, rule.min_met)["passed"]


def floor_targets(units: pd.DataFrame, values: pd.DataFrame, standard: Standard) -> pd.DataFrame:
    """Step 1 (a): a unit failing the school rule raises every indicator under the floor to
    the floor (floor × threshold). NaN: no target."""
    judged = _rule_status(units, values, standard)
    if judged is None:
        return pd.DataFrame(np.nan, index=values.index, columns=values.columns)
    thresholds, status, passed = judged
    floor = standard.school_rule.floor if standard.school_rule else 1.0
    return (thresholds * floor).where(status.eq(BELOW)).where(~passed, axis=0)


def met_targets(units: pd.DataFrame, values: pd.DataFrame, standard: Standard) -> pd.DataFrame:
    """Step 1 (b): a unit failing the school rule with fewer than ``min_met`` indicators met
    raises the not-met indicators with the smallest relative shortfall, (threshold − value) /
    threshold, to the threshold, as many as it lacks. NaN: no target."""
    judged = _rule_status(units, values, standard)
    if judged is None or standard.school_rule is None:
        return pd.DataFrame(np.nan, index=values.index, columns=values.columns)
    thresholds, status, passed = judged
    met = status.eq(MET)
    lacking = (standard.school_rule.min_met - met.sum(axis=1)).clip(lower=0)
    shortfall = ((thresholds - values) / thresholds).where(~met & thresholds.notna())
    chosen = shortfall.rank(axis=1, method="first").le(lacking, axis=0)
    return thresholds.where(chosen).where(~passed, axis=0)


ADDITION_COLUMNS = ["label", "column", "amount", "indicator", "field"]


def _additions_to(
    units: pd.DataFrame, values: pd.DataFrame, targets: pd.DataFrame, standard: Standard
) -> pd.DataFrame:
    """Rounded additions that bring every unit to its target value (NaN: no target). Rows:
    the school's label, the column added to, the amount, the indicator and the field."""
    gaps = quantity_gaps(units, values, targets, standard.indicators)
    needs = school_needs(units, gaps, standard.indicators)
    blocks = []
    for ind in standard.indicators:
        field = target_field(ind)
        _, step, _ = gap_spec(ind)
        need = needs[ind.id].fillna(0.0)
        if FIELDS[field].per_level:
            block = pd.DataFrame(
                {LABEL: units[LABEL], "column": field + "_" + units[LEVEL], "amount": need}
            )
        else:
            block = need.groupby(units[LABEL]).max().rename("amount").reset_index()
            block["column"] = field
        block["amount"] = round_up(block["amount"], step)
        blocks.append(block[block["amount"] > 0].assign(indicator=ind.id, field=field))
    if not blocks:
        return pd.DataFrame(columns=ADDITION_COLUMNS)
    found = pd.concat(blocks, ignore_index=True).rename(columns={LABEL: "label"})
    # Two indicators on one field need the larger amount, not both.
    found = found.sort_values("amount", ascending=False, kind="stable")
    return found.drop_duplicates(["label", "column"])[ADDITION_COLUMNS].reset_index(drop=True)


def _cv_additions(state: pd.DataFrame, standard: Standard) -> pd.DataFrame:
    """One round of step 2 on the schools as they are now: empty when every CV is within."""
    units, values = _units(state, standard)
    method = standard.cv
    levels = units[LEVEL].rename(LEVEL)
    stats = weighted_stats(values, units[STUDENTS], levels, method.weighting, method.sd)
    cvs = stats["cv"].to_dict()
    targets = pd.DataFrame(np.nan, index=units.index, columns=values.columns)
    for level in standard.evaluated_levels:
        at = (levels == level.value).to_numpy()
        if not at.any():
            continue
        current = {ind.id: cvs.get((level.value, ind.id), np.nan) for ind in standard.indicators}
        for ind_id, aim in cv_aims(current, standard, level).items():
            column = values[ind_id].to_numpy()
            ok = at & ~np.isnan(column)
            students = units[STUDENTS].to_numpy(dtype=float)[ok]
            targets.loc[ok, ind_id] = water_level(column[ok], students, aim, method)
    if targets.isna().all().all():
        return pd.DataFrame(columns=ADDITION_COLUMNS)
    return _additions_to(units, values, targets, standard)


def cv_aims(cvs: dict[str, float], standard: Standard, level: Level) -> dict[str, float]:
    """The CV each over-limit indicator must come down to: its limit (``each``), or a common
    ceiling that brings the composite to its limit (``composite``)."""
    limit = standard.judgement.limits[level]
    if standard.judgement.mode == "each":
        return {k: limit * (1 - AIM_MARGIN) for k, cv in cvs.items() if cv > limit}
    values = np.array(list(cvs.values()), dtype=float)
    if np.isnan(values).any() or values.mean() <= limit:
        return {}
    ceiling = flatten_ceiling(values, limit)
    return {k: ceiling * (1 - AIM_MARGIN) for k, cv in cvs.items() if cv > ceiling}


def flatten_ceiling(cvs: np.ndarray, limit: float) -> float:
    """The t with mean(min(cvs, t)) = limit (the highest CVs cut down to one level)."""
    ordered = np.sort(cvs)
    m = len(ordered)
    for kept in range(m):  # the ``kept`` lowest stay as they are, the rest come down to t
        t = (limit * m - ordered[:kept].sum()) / (m - kept)
        if t <= ordered[kept] and (kept == 0 or t >= ordered[kept - 1]):
            return float(t)
    return float(limit)


def water_level(values: np.ndarray, students: np.ndarray, aim: float, method: CVMethod) -> float:
    """The smallest L with CV(max(values, L)) ≤ aim. CV(L) falls as L rises, and at L = the
    highest value every unit is equal (CV 0), so the search keeps ``hi`` meeting the aim."""
    lo, hi = float(values.min()), float(values.max())
    for _ in range(SEARCH_ROUNDS):
        grid = np.linspace(lo, hi, CANDIDATES)
        meets = filled_cvs(values, students, grid, method) <= aim
        meets[-1] = True  # ``hi``: met in the previous round (or all equal)
        first = int(np.argmax(meets))
        if first == 0:
            return float(grid[0])
        lo, hi = float(grid[first - 1]), float(grid[first])
        if hi - lo <= 1e-12 * max(abs(hi), 1.0):
            break
    return hi


def filled_cvs(
    values: np.ndarray, students: np.ndarray, levels: np.ndarray, method: CVMethod
) -> np.ndarray:
    """The CV of max(values, L) for every candidate L at once (one column per candidate)."""
    filled = pd.DataFrame(np.maximum(values[:, None], levels[None, :]))
    group = pd.Series(0, index=filled.index, name="group")
    stats = weighted_stats(
        filled, pd.Series(students, index=filled.index), group, method.weighting, method.sd
    )
    return stats["cv"].to_numpy(dtype=float)


def _as_scenario(
    by_stage: pd.DataFrame, frame: pd.DataFrame, standard: Standard, full: bool
) -> Scenario:
    """One 增加 entry per school, quantity and level (the sum of both steps), school by school
    in the workbook's order."""
    units = {ind.id: gap_spec(ind)[0] for ind in standard.indicators}
    first = "补到标准值" if full or standard.school_rule is None else "按学校达标规则补"
    index = SchoolIndex(frame)
    position = {label: n for n, label in enumerate(frame.index)}
    rank = {ind.id: n for n, ind in enumerate(standard.indicators)}
    keys = [(position[label], rank[ind]) for label, _, _, ind in by_stage.index]
    order = sorted(range(len(keys)), key=keys.__getitem__)
    changes = []
    for (label, column, field, ind_id), row in by_stage.iloc[order].iterrows():
        notes = [
            f"{text} {quantity_text(row[stage], units[ind_id])}"
            for stage, text in ((THRESHOLD, first), (CV, "降低差异系数"))
            if row[stage] > 0
        ]
        changes.append(
            AddChange(
                school=index.unique_key(label),
                quantity=FIELDS[field].header,
                amount=float(row[THRESHOLD] + row[CV]),
                level=split_column(column)[1],
                note="，".join(notes),
            )
        )
    mode = "（--full：每项补到标准值）" if full else ""
    return Scenario(
        title=f"补短板方案（junheng plan 计算{mode}）", standard=standard.id, changes=changes
    )


def _plan_additions(
    by_stage: pd.DataFrame,
    validated: ValidatedTable,
    standard: Standard,
    outcome: ScenarioOutcome,
) -> list[PlanAddition]:
    frame = validated.frame
    before = _units_by_origin(outcome.before.units)
    after = _units_by_origin(outcome.after.units)
    indicators = {ind.id: ind for ind in standard.indicators}
    result = []
    for (label, column, field, ind_id), row in by_stage.iterrows():
        ind = indicators[ind_id]
        unit, _, what = gap_spec(ind)
        origin = _origin(validated, label)
        level = split_column(column)[1]
        levels = [level] if level is not None else [lv for lv in Level if (origin, lv) in before]
        result.append(
            PlanAddition(
                code=_text(frame.at[label, "code"]),
                name=str(frame.at[label, "name"]),
                type=str(frame.at[label, "type"]),
                origin=origin,
                indicator=ind_id,
                indicator_name=ind.name,
                label=ind.label,
                field=field,
                level=level,
                to_threshold=float(row[THRESHOLD]),
                for_cv=float(row[CV]),
                unit=unit,
                what=what,
                values=[_unit_value(before, after, origin, lv, ind) for lv in levels],
            )
        )
    order = {ind.id: n for n, ind in enumerate(standard.indicators)}
    return sorted(result, key=lambda a: (order[a.indicator], -a.total, a.origin.row))


def _units_by_origin(units: Sequence[UnitResult]) -> dict[tuple[Origin, Level], UnitResult]:
    return {(u.origin, u.level): u for u in units}


def _unit_value(
    before: dict[tuple[Origin, Level], UnitResult],
    after: dict[tuple[Origin, Level], UnitResult],
    origin: Origin,
    level: Level,
    ind: Indicator,
) -> UnitValue:
    a, b = before.get((origin, level)), after.get((origin, level))
    return UnitValue(
        level,
        a.values.get(ind.id) if a else None,
        b.values.get(ind.id) if b else None,
        ind.thresholds.get(level),
    )


def _plan_totals(additions: list[PlanAddition], standard: Standard) -> list[PlanTotal]:
    totals = []
    for ind in standard.indicators:
        mine = [a for a in additions if a.indicator == ind.id]
        unit, _, what = gap_spec(ind)
        totals.append(
            PlanTotal(
                ind.id,
                ind.name,
                ind.label,
                what,
                unit,
                sum(a.to_threshold for a in mine),
                sum(a.for_cv for a in mine),
                len({a.origin for a in mine}),
            )
        )
    return totals


# -- teacher transfers (交流轮岗) -----------------------------------------------------------------
WITHIN, REACHED, NO_GAIN, NO_DONOR, CAP = "within", "reached", "no_gain", "no_donor", "cap"
BLOCKED = "blocked"  # donors and receivers there are, but no pair goes the allowed direction
URBAN, TOWN, RURAL = "城区", "镇区", "乡村"
AREA_TIER = {URBAN: 0, TOWN: 1, RURAL: 2}
AREA_ALIASES = {  # the statistics system's 城乡分类 names and codes (data/forms)
    **{a: URBAN for a in ("城区", "主城区", "城乡结合区", "111", "112")},
    **{a: TOWN for a in ("镇区", "镇中心区", "镇乡结合区", "特殊区域", "121", "122", "123")},
    **{a: RURAL for a in ("乡村", "农村", "乡中心区", "村庄", "210", "220")},
}
TEACHING_POINT = "教学点"


def area_of(text: object) -> str | None:
    """城区 / 镇区 / 乡村 of a 城乡类型 cell (None: blank or not one of them)."""
    return AREA_ALIASES.get(text.strip()) if isinstance(text, str) else None


@dataclass(frozen=True)
class TransferRule:
    """What the analyst allows: moves towards a more urban school (乡村 → 镇区 / 城区,
    镇区 → 城区) only with ``allow_rural_to_urban``. A 教学点 never gives a teacher."""

    allow_rural_to_urban: bool = False


@dataclass(frozen=True)
class TransferDirection:
    """The rule a run used, and what the data let it check."""

    allow_rural_to_urban: bool
    area_known: bool  # some school has a 城乡类型 the rule can read
    without_area: tuple[str, ...] = ()  # schools (names) whose 城乡类型 is blank or unknown


@dataclass(frozen=True)
class TransferMove:
    source_code: str
    source_name: str
    source_origin: Origin
    target_code: str
    target_name: str
    target_origin: Origin
    count: int
    source_before: float
    source_after: float
    target_before: float
    target_after: float
    source_threshold: float | None
    source_type: str = ""
    source_area: str | None = None  # 城区 / 镇区 / 乡村, None when not known
    target_type: str = ""
    target_area: str | None = None


@dataclass(frozen=True)
class TransferList:
    """The moves for one teacher indicator of one level, and its CV before and after them."""

    level: Level
    level_name: str
    indicator: str
    name: str
    label: str
    field: str
    what: str
    cv_before: float | None
    cv_after: float | None
    aim: float | None  # the CV to reach: the limit, or what the composite needs
    limit: float | None
    moves: list[TransferMove]
    stop: str  # within / reached / no_gain / no_donor / cap

    @property
    def teachers(self) -> int:
        return sum(m.count for m in self.moves)


@dataclass
class Transfers:
    standard: Standard
    lists: list[TransferList]
    scenario: Scenario | None  # None when nothing moves
    outcome: ScenarioOutcome | None
    max_moves: int
    direction: TransferDirection = TransferDirection(False, True)

    @property
    def teachers(self) -> int:
        return sum(t.teachers for t in self.lists)


def teacher_indicators(standard: Standard) -> list[Indicator]:
    """Indicators whose numerator is teachers of the unit's level."""
    return [
        ind
        for ind in standard.indicators
        if all(FIELDS[f].per_level for f in ind.numerator)
        and target_field(ind) in (TEACHERS, *TEACHER_PARTS)
    ]


def suggest_transfers(
    validated: ValidatedTable,
    standard: Standard,
    before: Evaluation,
    max_moves: int = MAX_MOVES,
    rule: TransferRule = TransferRule(),
) -> Transfers:
    """Transfers that lower the teacher CVs without new hires, in the direction ``rule``
    allows (see the module docstring). Indicators are taken in the standard's order, each on
    the teachers as the earlier moves left them."""
    frame = validated.frame
    units, _ = _units(frame[evaluated_rows(validated, before)], standard)
    areas = frame["area_type"] if "area_type" in frame else pd.Series("", index=frame.index)
    units[AREA] = areas.reindex(units[LABEL].to_numpy()).map(area_of).to_numpy()
    known = units[AREA].notna()
    direction = TransferDirection(
        rule.allow_rural_to_urban,
        bool(known.any()),
        tuple(dict.fromkeys(units.loc[~known, "name"].astype(str))) if known.any() else (),
    )
    index = SchoolIndex(frame)
    lists: list[TransferList] = []
    changes: list[MoveChange] = []
    for level_result in before.levels:
        level = level_result.level
        mine = units[(units[LEVEL] == level.value).to_numpy()].reset_index(drop=True)
        if mine.empty:
            continue
        pool = _TeacherPool(mine, standard, level, validated, direction)
        cvs = {i.id: i.cv for i in level_result.indicators}
        for ind in teacher_indicators(standard):
            found, pairs = pool.transfer(ind, cvs, level_result.name, max_moves)
            cvs[ind.id] = found.cv_after
            lists.append(found)
            changes += [
                MoveChange(
                    source=index.unique_key(source),
                    target=index.unique_key(target),
                    kinds=[FIELDS[found.field].header],
                    amount=count,
                    level=level,
                    note=f"交流轮岗：降低{level.chinese}{found.label}差异系数",
                )
                for source, target, count in pairs
            ]
    if not changes:
        return Transfers(standard, lists, None, None, max_moves, direction)
    scenario = Scenario(
        title="教师交流轮岗建议（junheng plan --transfers 计算）",
        standard=standard.id,
        changes=changes,
    )
    outcome = run_scenario(validated, standard, scenario, before, "交流轮岗建议")
    return Transfers(standard, lists, scenario, outcome, max_moves, direction)


class _TeacherPool:
    """The teachers of every unit of one level, as arrays that the greedy moves update."""

    def __init__(
        self,
        units: pd.DataFrame,
        standard: Standard,
        level: Level,
        validated: ValidatedTable,
        direction: TransferDirection,
    ) -> None:
        self.units = units
        self.allowed = allowed_pairs(units, direction)
        self.standard = standard
        self.level = level
        self.validated = validated
        self.students = units[STUDENTS].to_numpy(dtype=float)
        self.weights = stat_weights(units[STUDENTS], standard.cv.weighting).to_numpy(dtype=float)
        kinds = [f for f in (TEACHERS, *TEACHER_PARTS) if f in units]
        self.counts = {f: units[f].to_numpy(dtype=float).copy() for f in kinds}
        self.checked = [  # indicators with per-school thresholds a donor must keep meeting
            (ind, ind.thresholds[level])
            for ind in teacher_indicators(standard)
            if level in ind.thresholds and all(f in self.counts for f in ind.numerator)
        ]

    def values(self, ind: Indicator, counts: dict[str, np.ndarray] | None = None) -> np.ndarray:
        counts = self.counts if counts is None else counts
        total = sum(counts[f] for f in ind.numerator)
        return np.asarray(total, dtype=float) / self.students * ind.scale

    def _carried(self, field: str) -> dict[str, np.ndarray]:
        """Per unit, how many teachers of each other kind must go along with one teacher of
        ``field``: 1 where the remaining teachers could not hold all of that kind."""
        teachers = self.counts.get(TEACHERS)
        if teachers is None:
            return {}
        return {
            f: np.nan_to_num(np.clip(self.counts[f] - (teachers - 1), 0.0, 1.0))
            for f in TEACHER_PARTS
            if f in self.counts and f != field
        }

    def _donors(self, ind: Indicator, field: str, mean: float) -> np.ndarray:
        """Units that can give one teacher of ``field``: they have one, and afterwards they
        still meet every per-school threshold the move touches and stay above the mean."""
        ones = np.ones_like(self.students)
        lost = {field: ones, **self._carried(field)}
        if field != TEACHERS and TEACHERS in self.counts:
            lost[TEACHERS] = ones
        after = {f: self.counts[f] - lost.get(f, 0.0) for f in self.counts}
        ok = self.counts[field] >= 1 - TOLERANCE
        for checked, threshold in self.checked:
            now, then = self.values(checked), self.values(checked, after)
            ok &= (then >= now) | (then >= threshold * (1 - TOLERANCE))
        return np.flatnonzero(ok & (self.values(ind, after) > mean))

    def _move(self, field: str, source: int, target: int) -> None:
        moved = {field: 1.0, **{f: c[source] for f, c in self._carried(field).items()}}
        if field != TEACHERS:
            moved[TEACHERS] = 1.0
        for f, amount in moved.items():
            if f in self.counts and amount > 0 and not np.isnan(self.counts[f][source]):
                self.counts[f][source] -= amount
                self.counts[f][target] += amount

    def _stats(self, values: np.ndarray) -> tuple[float, float]:
        """(mean, CV) by ``weighted_stats`` with the standard's weighting and SD form: the
        numbers the report shows. NaN when there is no mean."""
        method = self.standard.cv
        frame = pd.DataFrame({"x": values})
        group = pd.Series(0, index=frame.index, name="group")
        students = pd.Series(self.students, index=frame.index)
        row = weighted_stats(frame, students, group, method.weighting, method.sd).iloc[0]
        return float(row["mean"]), float(row["cv"])

    def transfer(
        self, ind: Indicator, cvs: dict[str, float | None], level_name: str, max_moves: int
    ) -> tuple[TransferList, list[tuple[Any, Any, int]]]:
        """The moves for one indicator, and the same as (from label, to label, count)."""
        field = target_field(ind)
        aim = self._aim(ind, cvs)
        cv_before = cvs.get(ind.id)
        steps: list[_Step] = []
        stop = WITHIN
        if cv_before is not None and aim is not None and cv_before > aim:
            stop = self._greedy(ind, field, aim, max_moves, steps)
        grouped: dict[tuple[int, int], list[_Step]] = {}
        for step in steps:
            grouped.setdefault((step.source, step.target), []).append(step)
        found = TransferList(
            level=self.level,
            level_name=level_name,
            indicator=ind.id,
            name=ind.name,
            label=ind.label,
            field=field,
            what=gap_spec(ind)[2],
            cv_before=cv_before,
            cv_after=self._exact_cv(self.values(ind)) if steps else cv_before,
            aim=aim,
            limit=self.standard.judgement.limits[self.level],
            moves=[self._transfer_move(group, ind) for group in grouped.values()],
            stop=stop,
        )
        labels = self.units[LABEL].to_numpy()
        pairs = [(labels[s], labels[t], len(group)) for (s, t), group in grouped.items()]
        return found, pairs

    def _greedy(
        self, ind: Indicator, field: str, aim: float, max_moves: int, steps: list[_Step]
    ) -> str:
        """Move one teacher at a time (appending to ``steps``); returns why it stopped."""
        for _ in range(max_moves):
            x = self.values(ind)
            mean, current = self._stats(x)
            if current <= aim:
                return REACHED
            if np.isnan(current):
                return NO_GAIN
            donors = self._donors(ind, field, mean)
            receivers = np.flatnonzero(x < mean * (1 - TOLERANCE))
            if donors.size == 0 or receivers.size == 0:
                return NO_DONOR
            change = ind.scale / self.students
            ranks = pair_cvs(x, self.weights, donors, receivers, change)
            if np.isnan(ranks).all():
                return NO_GAIN
            ranks[~self.allowed[np.ix_(donors, receivers)]] = np.nan
            if np.isnan(ranks).all():
                return BLOCKED
            d, r = np.unravel_index(int(np.nanargmin(ranks)), ranks.shape)
            source, target = int(donors[d]), int(receivers[r])
            trial = x.copy()
            trial[source] -= change[source]
            trial[target] += change[target]
            if not self._stats(trial)[1] < current:
                return NO_GAIN
            self._move(field, source, target)
            after = self.values(ind)
            steps.append(_Step(source, target, x[source], after[source], x[target], after[target]))
        return REACHED if self._stats(self.values(ind))[1] <= aim else CAP

    def _aim(self, ind: Indicator, cvs: dict[str, float | None]) -> float | None:
        """The limit (``each``); under ``composite``, the CV this indicator must reach for the
        composite to meet its limit with the others as they are (None when it already does)."""
        limit = self.standard.judgement.limits[self.level]
        if self.standard.judgement.mode == "each":
            return limit
        known = [v for v in cvs.values() if v is not None]
        if len(known) < len(cvs) or sum(known) / len(known) <= limit:
            return None
        others = sum(v for k, v in cvs.items() if k != ind.id and v is not None)
        return max(limit * len(cvs) - others, 0.0)

    def _exact_cv(self, values: np.ndarray) -> float | None:
        cv = self._stats(values)[1]
        return None if np.isnan(cv) else cv

    def _transfer_move(self, steps: list[_Step], ind: Indicator) -> TransferMove:
        """One line of the list: the moves between one pair of units, with each unit's value
        before the first of them and after the last."""
        first, last = steps[0], steps[-1]
        source, target = self.units.iloc[first.source], self.units.iloc[first.target]
        return TransferMove(
            source_code=_text(source["code"]),
            source_name=str(source["name"]),
            source_origin=_origin(self.validated, source[LABEL]),
            target_code=_text(target["code"]),
            target_name=str(target["name"]),
            target_origin=_origin(self.validated, target[LABEL]),
            count=len(steps),
            source_before=float(first.source_before),
            source_after=float(last.source_after),
            target_before=float(first.target_before),
            target_after=float(last.target_after),
            source_threshold=ind.thresholds.get(self.level),
            source_type=str(source["type"]),
            source_area=_area(source[AREA]),
            target_type=str(target["type"]),
            target_area=_area(target[AREA]),
        )


AREA = "_area"  # 城区 / 镇区 / 乡村 of a unit's school (None: not known)


def _area(value: object) -> str | None:
    return value if isinstance(value, str) else None


def allowed_pairs(units: pd.DataFrame, direction: TransferDirection) -> np.ndarray:
    """units × units: may a teacher go from the row's school to the column's? Never out of a
    教学点; towards a school at least as rural, unless ``allow_rural_to_urban``; a school whose
    城乡类型 is not known gives only to a 乡村 one and receives only from a 城区 one (no
    direction is checked when no school's 城乡类型 is known)."""
    n = len(units)
    donor = ~units["type"].astype(str).str.contains(TEACHING_POINT, regex=False).to_numpy()
    allowed = np.repeat(donor[:, None], n, axis=1)
    if direction.allow_rural_to_urban or not direction.area_known:
        return allowed
    tier = units[AREA].map(AREA_TIER).to_numpy(dtype=float)  # NaN: not known
    source, target = tier[:, None], tier[None, :]
    inward = target >= source  # NaN on either side compares False
    inward |= np.isnan(source) & (target == AREA_TIER[RURAL])
    inward |= np.isnan(target) & (source == AREA_TIER[URBAN])
    return allowed & inward


@dataclass(frozen=True)
class _Step:
    source: int
    target: int
    source_before: float
    source_after: float
    target_before: float
    target_after: float


def _text(value: object) -> str:
    return value if isinstance(value, str) else ""


def pair_cvs(
    x: np.ndarray, w: np.ndarray, donors: np.ndarray, receivers: np.ndarray, step: np.ndarray
) -> np.ndarray:
    """The CV after moving one teacher from each donor to each receiver (donors × receivers).
    Only used to rank the moves (the sample SD form is the population one times a constant, so
    it ranks alike); the CV of the move taken is recomputed by ``weighted_stats``. Sums are
    taken around the current mean, so nothing cancels catastrophically. A unit without a value
    (NaN) has no weight."""
    known = ~np.isnan(x)
    w = np.where(known, w, 0.0)
    x = np.where(known, x, 0.0)
    total = w.sum()
    centre = (w * x).sum() / total
    y = x - centre
    s1, s2 = (w * y).sum(), (w * y * y).sum()
    give = y[donors] - step[donors]
    take = y[receivers] + step[receivers]
    d1 = w[donors] * (give - y[donors])
    d2 = w[donors] * (give**2 - y[donors] ** 2)
    r1 = w[receivers] * (take - y[receivers])
    r2 = w[receivers] * (take**2 - y[receivers] ** 2)
    m1 = (s1 + d1[:, None] + r1[None, :]) / total
    m2 = (s2 + d2[:, None] + r2[None, :]) / total
    ranks = np.sqrt(np.maximum(m2 - m1**2, 0.0)) / (centre + m1)
    ranks[donors[:, None] == receivers[None, :]] = np.nan
    return ranks
