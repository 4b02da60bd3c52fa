"""A plan, a transfer list and a scenario's 试算 as JSON documents."""

from __future__ import annotations

import dataclasses
import math
from enum import Enum
from typing import Any

from junheng_cli.report.json.envelope import envelope
from junheng_cli.report.json.evaluation import evaluation_document
from junheng_cli.report.wording.plan import LEAST, TRANSFER_METHOD, direction_text, method_text
from junheng_cli.standards.model import Standard
from junheng_cli.workflows.plan import Plan, ScenarioOutcome, Transfers
from junheng_cli.workflows.scenario import scenario_data


def _plain(value: Any) -> Any:
    """Result objects → JSON-ready values (enums by value, NaN as null)."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {
            f.name: _plain(getattr(value, f.name))
            for f in dataclasses.fields(value)
            if not isinstance(getattr(value, f.name), Standard)
        }
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, float) and math.isnan(value):
        return None
    return value


def _brief_standard(standard: Standard) -> dict[str, Any]:
    return {"id": standard.id, "name": standard.name, "version": standard.version}


def plan_document(plan: Plan) -> dict[str, Any]:
    return envelope(
        "plan",
        _brief_standard(plan.standard),
        reached=plan.reached,
        rounds=plan.rounds,
        mode="full" if plan.full else "school_rule",
        method=method_text(plan),
        note=LEAST,
        levels=_plain(plan.levels),
        totals=[{**_plain(t), "total": t.total} for t in plan.totals],
        additions=[{**_plain(a), "total": a.total} for a in plan.additions],
        scenario=scenario_data(plan.scenario) if plan.scenario else None,
    )


def transfers_document(transfers: Transfers) -> dict[str, Any]:
    outcome = transfers.outcome
    return envelope(
        "transfers",
        _brief_standard(transfers.standard),
        method=TRANSFER_METHOD,
        rule={"text": direction_text(transfers.direction), **_plain(transfers.direction)},
        max_moves=transfers.max_moves,
        teachers_moved=transfers.teachers,
        lists=[{**_plain(t), "teachers": t.teachers} for t in transfers.lists],
        levels=_plain(outcome.levels) if outcome else None,
        scenario=scenario_data(transfers.scenario) if transfers.scenario else None,
    )


def scenario_document(outcome: ScenarioOutcome, lang: str = "zh") -> dict[str, Any]:
    return envelope(
        "scenario",
        _brief_standard(outcome.after.standard),
        source=outcome.applied.source,
        changes=_plain(outcome.applied.changes),
        levels=_plain(outcome.levels),
        passed_before=outcome.before.passed,
        passed_after=outcome.after.passed,
        evaluation=evaluation_document(outcome.after, lang),
    )
