"""What-if scenarios (方案): the YAML file of changes (``file_format``), the names of schools
and quantities in it (``names``), applying it to a copy of the school frame (``apply``) and
writing it back (``write``)."""

from junheng_cli.workflows.scenario.apply import (
    AppliedChange,
    AppliedScenario,
    CellChange,
    add_quantities,
    apply_scenario,
)
from junheng_cli.workflows.scenario.file_format import (
    AddChange,
    MoveChange,
    Scenario,
    ScenarioError,
    load_scenario,
)
from junheng_cli.workflows.scenario.names import (
    MEASURE,
    TEACHERS,
    SchoolIndex,
    amount_text,
    resolve_quantity,
    short_name,
    split_column,
    target_field,
)
from junheng_cli.workflows.scenario.write import scenario_data, scenario_yaml

__all__ = [
    "MEASURE",
    "TEACHERS",
    "AddChange",
    "AppliedChange",
    "AppliedScenario",
    "CellChange",
    "MoveChange",
    "Scenario",
    "ScenarioError",
    "SchoolIndex",
    "add_quantities",
    "amount_text",
    "apply_scenario",
    "load_scenario",
    "resolve_quantity",
    "scenario_data",
    "scenario_yaml",
    "short_name",
    "split_column",
    "target_field",
]
