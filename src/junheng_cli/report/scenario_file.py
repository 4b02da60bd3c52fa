"""A plan written back out as a scenario file that ``junheng plan --scenario`` applies."""

from __future__ import annotations

from pathlib import Path

from junheng_cli import __version__
from junheng_cli.io.write import write_text_atomic
from junheng_cli.workflows.scenario import Scenario, scenario_yaml


def write_scenario_file(scenario: Scenario, target: Path, inputs: list[Path]) -> None:
    header = [
        f"{scenario.title or 'junheng 方案'}，junheng {__version__} 生成",
        "输入：" + "、".join(str(p) for p in inputs),
        f"复核：junheng plan {' '.join(str(p) for p in inputs)} --standard "
        f"{scenario.standard or '…'} --scenario {target}",
        "增加：学校（名称或标识码）、增加（数量名称）、数量，教师另写学段；"
        "调动：调出、调入、教师、数量、学段。可修改后再试算。",
    ]
    write_text_atomic(target, scenario_yaml(scenario, header))
