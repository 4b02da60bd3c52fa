"""Re-exports of the plan's reports, which live by format: ``terminal/plan.py``,
``json/plan.py``, ``frames/plan.py``, ``xlsx/plan.py``, and ``scenario_file.py``. Kept for the
imports of the CLI; new code imports from those modules."""

from junheng_cli.report.frames.plan import plan_frames, scenario_frames, transfer_frames
from junheng_cli.report.json.plan import plan_document, scenario_document, transfers_document
from junheng_cli.report.scenario_file import write_scenario_file
from junheng_cli.report.terminal.plan import render_plan, render_scenario, render_transfers
from junheng_cli.report.xlsx.plan import write_plan_xlsx as write_xlsx

__all__ = [
    "plan_document",
    "plan_frames",
    "render_plan",
    "render_scenario",
    "render_transfers",
    "scenario_document",
    "scenario_frames",
    "transfer_frames",
    "transfers_document",
    "write_scenario_file",
    "write_xlsx",
]
