"""Kept for the importers outside ``workflows`` (``report.plan``, ``cli.app``, the tests):
the scenario now lives in ``junheng_cli.workflows.scenario``; import from there."""

from junheng_cli.workflows.scenario import (
    MEASURE,
    AddChange,
    AppliedChange,
    CellChange,
    MoveChange,
    Scenario,
    ScenarioError,
    apply_scenario,
    load_scenario,
    resolve_quantity,
    scenario_data,
    scenario_yaml,
    split_column,
)

__all__ = [
    "MEASURE",
    "AddChange",
    "AppliedChange",
    "CellChange",
    "MoveChange",
    "Scenario",
    "ScenarioError",
    "apply_scenario",
    "load_scenario",
    "resolve_quantity",
    "scenario_data",
    "scenario_yaml",
    "split_column",
]
