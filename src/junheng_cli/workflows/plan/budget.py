"""Budget plans (``junheng plan --budget 500万``): what to buy first with the money (and the
teachers) there are, and in what order. Pure: no I/O, no printing; ``report`` renders the
result (``budget.py`` of ``terminal/``, ``json/``, ``frames/`` and ``xlsx/``).

The steps are cut from the least-additions plan (``budget_steps``), priced by the cost file,
scored on the county as arrays (``budget_goal``) and chosen by greedy effect per 万元 and a
local search of single swaps (``budget_search``). The steps bought are then written as a
scenario and evaluated again (``run_scenario``): the verdicts and CVs "after" are those of
``evaluate``.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from junheng_cli.compute.validate import ValidatedTable
from junheng_cli.errors import JunhengError
from junheng_cli.model.costs import Costs
from junheng_cli.model.fields import FIELDS, Level
from junheng_cli.model.results import Evaluation
from junheng_cli.standards.model import Standard
from junheng_cli.workflows.plan.additions import Plan, make_plan
from junheng_cli.workflows.plan.budget_goal import GoalModel
from junheng_cli.workflows.plan.budget_search import GOALS, Search
from junheng_cli.workflows.plan.budget_steps import CV_STEP, SCHOOL, Step, plan_steps
from junheng_cli.workflows.plan.diff import ScenarioOutcome, compare_levels, run_scenario
from junheng_cli.workflows.scenario import AddChange, Scenario, SchoolIndex
from junheng_cli.workflows.scenario.apply import AppliedScenario


class BudgetGoalError(JunhengError, ValueError):
    """A goal the standard cannot be planned for. The message is for the user."""


@dataclass(frozen=True)
class LevelCv:
    level: Level
    indicator: str
    label: str
    cv: float | None
    limit: float | None  # None under composite judgement


@dataclass(frozen=True)
class BoughtStep:
    """One step bought, in order: what it buys and what it changes."""

    order: int
    step: Step
    passing_gain: int | None  # level units brought to the school rule by this step
    passing_after: int | None
    excess_after: float
    cvs_after: list[LevelCv]  # the CVs over their limit before the budget, after this step
    spent_after: float
    teachers_after: float


@dataclass
class BudgetPlan:
    standard: Standard
    costs: Costs
    unused_keys: list[str]
    budget: float
    teacher_limit: float | None
    goal: str
    plan: Plan  # the full plan the steps come from
    steps: list[BoughtStep]
    remaining: list[Step]  # the rest of the full plan's bill
    units: int  # level units evaluated
    passing_before: int | None
    excess_before: float
    cvs_before: list[LevelCv]
    swaps: int
    scenario: Scenario | None
    outcome: ScenarioOutcome
    by_indicator: bool = False
    whole: bool = field(default=False)  # the budget covers the full plan

    @property
    def spent(self) -> float:
        return self.steps[-1].spent_after if self.steps else 0.0

    @property
    def teachers(self) -> float:
        return self.steps[-1].teachers_after if self.steps else 0.0

    @property
    def remaining_cost(self) -> float:
        return float(sum(s.cost for s in self.remaining))

    @property
    def remaining_teachers(self) -> float:
        return float(sum(s.teachers for s in self.remaining))

    @property
    def full_cost(self) -> float:
        return self.spent + self.remaining_cost

    @property
    def passing_after(self) -> int | None:
        return self.steps[-1].passing_after if self.steps else self.passing_before

    @property
    def excess_after(self) -> float:
        return self.steps[-1].excess_after if self.steps else self.excess_before

    @property
    def reached(self) -> bool:
        return self.outcome.after.passed is True


def make_budget_plan(
    validated: ValidatedTable,
    standard: Standard,
    before: Evaluation,
    costs: Costs,
    budget: float,
    teachers: float | None = None,
    goal: str = "schools",
    full: bool = False,
    plan: Plan | None = None,
) -> BudgetPlan:
    """The steps to buy within ``budget`` (元) and ``teachers`` (None: no limit) for ``goal``
    (schools / cv / both); see the module docstrings. ``plan``: the full plan, when already
    made for this county (``make_plan(validated, standard, before, full)``)."""
    if goal not in GOALS:
        raise BudgetGoalError(f"--goal 应为 schools、cv 或 both，不是 {goal}")
    if goal in ("schools", "both") and standard.school_rule is None:
        raise BudgetGoalError(
            f"标准 {standard.id} 没有逐校达标规则，无法按达标学校数（--goal {goal}）安排；"
            "请用 --goal cv（按差异系数）"
        )
    if plan is None:
        plan = make_plan(validated, standard, before, full)
    by_indicator = goal == "cv"
    steps, unused = plan_steps(plan, validated, costs, by_indicator)
    model = GoalModel(validated, standard, before, steps)
    search = Search(model, steps, budget, teachers, goal)
    every = [s.key for s in steps]
    choice = search.run(every)
    whole = len(choice.chosen) == len(steps)
    failing = _failing_cvs(model)
    bought = _bought(model, steps, choice.chosen, failing)
    chosen = set(choice.chosen)
    remaining = [s for s in steps if s.key not in chosen]
    scenario = _scenario(validated, standard, [steps[k] for k in choice.chosen])
    if scenario is None:
        nothing = AppliedScenario(validated.frame, [], "预算方案")
        outcome = ScenarioOutcome(nothing, before, before, compare_levels(before, before))
    else:
        outcome = run_scenario(validated, standard, scenario, before, "预算方案")
    passing = model.passing(model.values)
    return BudgetPlan(
        standard=standard,
        costs=costs,
        unused_keys=unused,
        budget=budget,
        teacher_limit=teachers,
        goal=goal,
        plan=plan,
        steps=bought,
        remaining=remaining,
        units=len(model.units),
        passing_before=None if passing is None else int(passing),
        excess_before=float(model.excess(model.values)),
        cvs_before=_level_cvs(model, model.values, failing),
        swaps=choice.swaps,
        scenario=scenario,
        outcome=outcome,
        by_indicator=by_indicator,
        whole=whole,
    )


def _failing_cvs(model: GoalModel) -> list[tuple[Level, int]]:
    """(level, indicator position) of the CVs over their limit before the budget (under
    composite judgement: every CV of a level whose composite is over)."""
    judgement = model.standard.judgement
    found = []
    for level, cv in model.cvs(model.values).items():
        limit = judgement.limits[level]
        if judgement.mode == "each":
            found += [(level, n) for n, c in enumerate(cv) if c > limit]
        elif np.nanmean(cv) > limit:
            found += [(level, n) for n in range(len(cv))]
    return found


def _level_cvs(
    model: GoalModel, values: np.ndarray, which: list[tuple[Level, int]]
) -> list[LevelCv]:
    cvs = model.cvs(values)
    each = model.standard.judgement.mode == "each"
    labels = {ind.id: ind.label for ind in model.standard.indicators}
    result = []
    for level, n in which:
        value = float(cvs[level][n])
        ind = model.indicators[n]
        limit = model.standard.judgement.limits[level] if each else None
        result.append(LevelCv(level, ind, labels[ind], None if np.isnan(value) else value, limit))
    return result


def _bought(
    model: GoalModel, steps: list[Step], chosen: list[int], failing: list[tuple[Level, int]]
) -> list[BoughtStep]:
    result = []
    values = model.values.copy()
    passing = model.passing(values)
    spent = placed = 0.0
    for n, k in enumerate(chosen):
        values = values + model.deltas[k]
        now = model.passing(values)
        spent += steps[k].cost
        placed += steps[k].teachers
        result.append(
            BoughtStep(
                order=n + 1,
                step=steps[k],
                passing_gain=None if now is None or passing is None else int(now - passing),
                passing_after=None if now is None else int(now),
                excess_after=float(model.excess(values)),
                cvs_after=_level_cvs(model, values, failing),
                spent_after=spent,
                teachers_after=placed,
            )
        )
        passing = now
    return result


def _scenario(validated: ValidatedTable, standard: Standard, steps: list[Step]) -> Scenario | None:
    """The steps bought as 增加 entries, in the order to do them."""
    if not steps:
        return None
    index = SchoolIndex(validated.frame)
    changes = []
    for n, step in enumerate(steps, start=1):
        why = {SCHOOL: "使本校达到学校达标规则", CV_STEP: "降低差异系数"}.get(step.kind, "补充")
        for item in step.items:
            changes.append(
                AddChange(
                    school=index.unique_key(step.row),
                    quantity=FIELDS[item.field].header,
                    amount=item.amount,
                    level=item.level,
                    note=f"预算方案第 {n} 步：{why}",
                )
            )
    return Scenario(
        title="预算方案（junheng plan --budget 计算）", standard=standard.id, changes=changes
    )
