"""What to add (or whom to move) for the county to pass: ``jh.plan(ev)``."""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from junheng_cli.api.errors import InputError, boundary

if TYPE_CHECKING:
    import pandas as pd

    from junheng_cli.api.evaluation import Evaluated
    from junheng_cli.model.costs import Costs
    from junheng_cli.workflows.plan import Plan, ScenarioOutcome, Transfers
    from junheng_cli.workflows.plan.budget import BudgetPlan
    from junheng_cli.workflows.scenario import Scenario

PlanKind = Literal["plan", "transfers", "scenario", "budget"]


@dataclass
class Planned:
    """A plan (least additions), teacher transfers, or a tried scenario. ``to_dict()`` is
    exactly ``junheng plan [--transfers | --scenario … | --budget …] --format json``."""

    kind: PlanKind
    result: Plan | Transfers | ScenarioOutcome | BudgetPlan
    before: Evaluated

    @property
    def passed(self) -> bool | None:
        """Whether the county passes after the changes."""
        outcome = self.result if self.kind == "scenario" else self.result.outcome  # type: ignore[union-attr]
        if outcome is None:  # transfers: nobody to move
            return self.before.passed
        return outcome.after.passed  # type: ignore[union-attr]

    @property
    def scenario(self) -> Scenario | None:
        """The changes as a scenario (None when nothing changes, or for a tried scenario)."""
        return None if self.kind == "scenario" else self.result.scenario  # type: ignore[union-attr]

    def _pick(self, made_by: tuple[Callable[[Any], Any], ...]) -> Callable[[Any], Any]:
        """Of the functions (plan, transfers, scenario, budget), the one for this kind."""
        return made_by[("plan", "transfers", "scenario", "budget").index(self.kind)]

    def to_dict(self) -> dict[str, Any]:
        from junheng_cli.report.json.budget import budget_document
        from junheng_cli.report.json.plan import (
            plan_document,
            scenario_document,
            transfers_document,
        )

        made_by = (plan_document, transfers_document, scenario_document, budget_document)
        return self._pick(made_by)(self.result)

    def frames(self) -> dict[str, pd.DataFrame]:
        """The tables of ``--output 方案.xlsx`` (Chinese headers, as the workbook shows)."""
        from junheng_cli.report.frames.budget import budget_frames
        from junheng_cli.report.frames.plan import plan_frames, scenario_frames, transfer_frames

        made_by = (plan_frames, transfer_frames, scenario_frames, budget_frames)
        return self._pick(made_by)(self.result)

    @boundary
    def save(self, path: str | os.PathLike[str]) -> Path:
        """The result as ``junheng plan … -o`` writes it: .json (``to_dict()``) or .xlsx."""
        from junheng_cli.report.output import write_document_or_frames
        from junheng_cli.report.xlsx.budget import write_budget_xlsx

        target = Path(path)
        if self.kind == "budget" and target.suffix.lower() != ".json":
            write_budget_xlsx(self.frames(), target)
        else:
            write_document_or_frames(target, self.to_dict, self.frames)
        return target

    @boundary
    def save_scenario(self, path: str | os.PathLike[str]) -> Path:
        """The changes as a scenario file (.yaml) that ``junheng plan --scenario`` re-checks."""
        from junheng_cli.report.scenario_file import write_scenario_file

        if self.scenario is None:
            raise InputError("无需任何变化：没有可写的方案")
        target = Path(path)
        write_scenario_file(self.scenario, target, self.before.files)
        return target

    def __repr__(self) -> str:
        return f"<Planned {self.kind}: 变化后{'达标' if self.passed else '未达标'}>"


def load_changes(path: str | os.PathLike[str]) -> Scenario:
    from junheng_cli.workflows.scenario import load_scenario

    target = Path(path)
    if not target.is_file():
        raise InputError(f"找不到方案文件 {target}")
    return load_scenario(target)


def try_scenario(evaluated: Evaluated, changes: Scenario, source: str) -> Planned:
    """The county after ``changes`` (``source`` names them in messages), evaluated again."""
    from junheng_cli.workflows.plan import run_scenario

    outcome = run_scenario(
        evaluated.validated, evaluated.standard, changes, evaluated.evaluation, source
    )
    return Planned("scenario", outcome, evaluated)


@boundary
def plan(
    evaluated: Evaluated,
    *,
    transfers: bool = False,
    scenario: str | os.PathLike[str] | Scenario | None = None,
    full: bool = False,
    max_moves: int = 100,
    allow_rural_to_urban: bool = False,
    budget: float | str | None = None,
    teachers: int | None = None,
    costs: str | os.PathLike[str] | Costs | None = None,
    goal: Literal["schools", "cv", "both"] = "schools",
) -> Planned:
    """For an evaluated county: the least additions (teachers, rooms, area, equipment) that
    make it pass (``full``: every school to every standard value); ``transfers``: teacher
    transfers instead of new hires; ``scenario``: try a scenario file (or ``Scenario``);
    ``budget`` (元, or text: ``"500万"``): what to buy first within it and ``teachers``
    (new hires and transfers), priced by ``costs`` (a cost file; the built-in example
    without), for ``goal`` (see docs/budget.md)."""
    from junheng_cli.workflows.plan import TransferRule, make_plan, suggest_transfers

    if budget is not None:
        if scenario is not None or transfers:
            raise InputError("--budget 不能与 --scenario 或 --transfers 同时使用")
        return _budget_plan(evaluated, budget, teachers, costs, goal, full)
    if scenario is not None and transfers:
        raise InputError("--scenario 与 --transfers 不能同时使用：先试算方案，或先看交流轮岗建议")
    validated, standard, before = evaluated.validated, evaluated.standard, evaluated.evaluation
    if scenario is not None:
        from junheng_cli.workflows.scenario import Scenario

        if isinstance(scenario, Scenario):
            return try_scenario(evaluated, scenario, "方案")
        return try_scenario(evaluated, load_changes(scenario), f"方案文件 {scenario}")
    if transfers:
        rule = TransferRule(allow_rural_to_urban)
        found = suggest_transfers(validated, standard, before, max_moves, rule)
        return Planned("transfers", found, evaluated)
    return Planned("plan", make_plan(validated, standard, before, full), evaluated)


def _budget_plan(
    evaluated: Evaluated,
    budget: float | str,
    teachers: int | None,
    costs: str | os.PathLike[str] | Costs | None,
    goal: str,
    full: bool,
) -> Planned:
    from junheng_cli.model.costs import Costs, load_costs, parse_amount
    from junheng_cli.workflows.plan.budget import make_budget_plan

    amount = parse_amount(budget)
    if teachers is not None and teachers < 0:
        raise InputError("--teachers 应为不小于 0 的整数")
    priced = (
        costs if isinstance(costs, Costs) else load_costs(None if costs is None else Path(costs))
    )
    found = make_budget_plan(
        evaluated.validated,
        evaluated.standard,
        evaluated.evaluation,
        priced,
        amount,
        teachers,
        goal,
        full,
    )
    return Planned("budget", found, evaluated)
