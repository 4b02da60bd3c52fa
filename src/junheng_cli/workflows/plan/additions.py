"""What-if plans: the least additions that bring a county to its standard.
Pure: no I/O, no printing; ``report`` renders the result (``report/terminal/plan.py`` …).

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
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import pandas as pd

from junheng_cli.compute.indicators import (
    LEVEL,
    STUDENTS,
    quantity_gaps,
    round_up,
    unit_thresholds,
    weighted_stats,
)
from junheng_cli.compute.school_checks import school_needs
from junheng_cli.compute.validate import ValidatedTable
from junheng_cli.model.fields import FIELDS
from junheng_cli.model.results import Evaluation
from junheng_cli.standards.model import Standard
from junheng_cli.workflows.plan.common import LABEL, evaluated_rows, gap_spec, level_units
from junheng_cli.workflows.plan.diff import (
    LevelChange,
    ScenarioOutcome,
    compare_levels,
    run_scenario,
)
from junheng_cli.workflows.plan.listing import (
    CV,
    THRESHOLD,
    PlanAddition,
    PlanTotal,
    as_scenario,
    plan_additions,
    plan_totals,
)
from junheng_cli.workflows.plan.targets import cv_aims, floor_targets, met_targets, water_level
from junheng_cli.workflows.scenario import (
    TEACHERS,
    AppliedScenario,
    Scenario,
    add_quantities,
    target_field,
)

MAX_ROUNDS = 10


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
        return Plan(standard, [], plan_totals([], standard), None, outcome, 0, full)
    by_stage = additions.pivot_table(
        index=["label", "column", "field", "indicator"],
        columns="stage",
        values="amount",
        aggfunc="sum",
        fill_value=0.0,
        sort=False,
    ).reindex(columns=[THRESHOLD, CV], fill_value=0.0)
    scenario = as_scenario(by_stage, frame, standard, full)
    outcome = run_scenario(validated, standard, scenario, before, "补短板方案")
    records = plan_additions(by_stage, validated, standard, outcome)
    totals = plan_totals(records, standard)
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
            units, values = level_units(state, standard)
            return _additions_to(units, values, targets(units, values), standard)

        return additions

    if full:
        return _hires_last(schools, to(lambda u, v: unit_thresholds(u, standard.indicators)))
    floors, state = _hires_last(schools, to(lambda u, v: floor_targets(u, v, standard)))
    met, state = _hires_last(state, to(lambda u, v: met_targets(u, v, standard)))
    return pd.concat([floors, met], ignore_index=True), state


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
    units, values = level_units(state, standard)
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
