"""A scenario written back as YAML, with its Chinese keys (what ``plan --save`` writes)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import yaml

from junheng_cli.workflows.scenario.file_format import AddChange, MoveChange, Scenario


def scenario_data(scenario: Scenario) -> dict[str, Any]:
    """The scenario with its Chinese keys, ready for YAML (optional keys left out)."""
    data: dict[str, Any] = {}
    for key, value in (("名称", scenario.title), ("说明", scenario.note)):
        if value:
            data[key] = value
    if scenario.standard:
        data["标准"] = scenario.standard
    data["变化"] = [_change_data(c) for c in scenario.changes]
    return data


def _change_data(change: AddChange | MoveChange) -> dict[str, Any]:
    entry = change.model_dump(by_alias=True, exclude_none=True)
    if isinstance(change, AddChange) and change.new_teachers:
        entry.pop("新增教师")
    elif isinstance(change, AddChange):
        entry["新增教师"] = "否"
    if change.level is not None:
        entry["学段"] = change.level.chinese
    amount = entry["数量"]
    entry["数量"] = int(amount) if float(amount).is_integer() else amount
    if isinstance(change, MoveChange) and len(change.kinds) == 1:
        entry["教师"] = change.kinds[0]
    return entry


def scenario_yaml(scenario: Scenario, header: Sequence[str] = ()) -> str:
    comments = "".join(f"# {line}\n" for line in header)
    body = yaml.safe_dump(scenario_data(scenario), allow_unicode=True, sort_keys=False, width=100)
    return comments + body
