"""What-if plans: the least additions that bring a county to its standard (``additions``),
scenarios applied and compared before and after (``diff``), and teacher transfers (交流轮岗,
``transfers``) that lower the teacher CVs without new hires, in the direction the rule allows
(``direction``). Pure: no I/O, no printing; ``report`` renders the results (``plan.py`` of
``terminal/``, ``json/``, ``frames/`` and ``xlsx/``)."""

from junheng_cli.workflows.plan.additions import Plan, make_plan
from junheng_cli.workflows.plan.diff import CvChange, LevelChange, ScenarioOutcome, run_scenario
from junheng_cli.workflows.plan.direction import (
    TEACHING_POINT,
    TransferDirection,
    TransferRule,
)
from junheng_cli.workflows.plan.listing import PlanAddition, PlanTotal, UnitValue
from junheng_cli.workflows.plan.targets import flatten_ceiling, water_level
from junheng_cli.workflows.plan.transfer_lists import (
    BLOCKED,
    CAP,
    NO_DONOR,
    NO_GAIN,
    REACHED,
    WITHIN,
    TransferList,
    TransferMove,
    Transfers,
)
from junheng_cli.workflows.plan.transfers import suggest_transfers

__all__ = [
    "BLOCKED",
    "CAP",
    "NO_DONOR",
    "NO_GAIN",
    "REACHED",
    "TEACHING_POINT",
    "WITHIN",
    "CvChange",
    "LevelChange",
    "Plan",
    "PlanAddition",
    "PlanTotal",
    "ScenarioOutcome",
    "TransferDirection",
    "TransferList",
    "TransferMove",
    "TransferRule",
    "Transfers",
    "UnitValue",
    "flatten_ceiling",
    "make_plan",
    "run_scenario",
    "suggest_transfers",
    "water_level",
]
