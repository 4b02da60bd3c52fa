"""A budget plan as a JSON document (kind ``budget_plan``)."""

from __future__ import annotations

from typing import Any

from junheng_cli.report.json.envelope import envelope
from junheng_cli.report.json.plan import _brief_standard, _plain
from junheng_cli.report.wording.budget import (
    GOALS,
    METHOD,
    TEACHERS_RULE,
    headline,
    steps_text,
)
from junheng_cli.workflows.plan.budget import BudgetPlan
from junheng_cli.workflows.plan.budget_steps import Step, prices
from junheng_cli.workflows.scenario import scenario_data


def _step(step: Step) -> dict[str, Any]:
    return {
        "kind": step.kind,
        "code": step.code,
        "name": step.name,
        "type": step.type,
        "origin": _plain(step.origin),
        "cost": step.cost,
        "teachers": step.teachers,
        "items": [{**_plain(i), "cost": i.cost} for i in step.items],
    }


def budget_document(plan: BudgetPlan) -> dict[str, Any]:
    priced, _ = prices(plan.standard, plan.costs)
    return envelope(
        "budget_plan",
        _brief_standard(plan.standard),
        headline=headline(plan),
        goal=plan.goal,
        goal_text=GOALS[plan.goal],
        method=METHOD,
        steps_rule=steps_text(plan),
        teachers_rule=TEACHERS_RULE,
        budget=plan.budget,
        teacher_limit=plan.teacher_limit,
        spent=plan.spent,
        teachers=plan.teachers,
        whole=plan.whole,
        full_cost=plan.full_cost,
        remaining_cost=plan.remaining_cost,
        remaining_teachers=plan.remaining_teachers,
        units=plan.units,
        passing_before=plan.passing_before,
        passing_after=plan.passing_after,
        excess_before=plan.excess_before,
        excess_after=plan.excess_after,
        cvs_before=_plain(plan.cvs_before),
        swaps=plan.swaps,
        reached=plan.reached,
        costs={
            "file": str(plan.costs.path),
            "name": plan.costs.name,
            "example": plan.costs.example,
            "source": plan.costs.source,
            "prices": {k: _plain(v) for k, v in priced.items()},
            "unused": plan.unused_keys,
        },
        steps=[
            {
                "order": b.order,
                **_step(b.step),
                "passing_gain": b.passing_gain,
                "passing_after": b.passing_after,
                "excess_after": b.excess_after,
                "cvs_after": _plain(b.cvs_after),
                "spent_after": b.spent_after,
                "teachers_after": b.teachers_after,
            }
            for b in plan.steps
        ],
        remaining=[_step(s) for s in plan.remaining],
        levels=_plain(plan.outcome.levels),
        scenario=scenario_data(plan.scenario) if plan.scenario else None,
    )
