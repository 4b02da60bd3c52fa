"""``junheng plan``: the least additions, teacher transfers, or a scenario tried."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from junheng_cli.cli.common import ExitCode, call, check_output, emit_json, fail, inputs, save
from junheng_cli.cli.common import load_standard as _load_standard
from junheng_cli.cli.common import read_options as _read_options
from junheng_cli.cli.common import stderr as _stderr
from junheng_cli.cli.options import (
    ColumnsOption,
    FilesArgument,
    HeaderRowsOption,
    SheetOption,
    StandardOption,
)
from junheng_cli.cli.reading import evaluated_or_exit
from junheng_cli.cli.reading import read_and_validate as _read_and_validate
from junheng_cli.report.output import OutputFormat

if TYPE_CHECKING:
    from rich.console import Console

    from junheng_cli.api.planning import Planned
    from junheng_cli.io.guard import Inputs


def plan(
    files: FilesArgument,
    standard: StandardOption = "basic-2012",
    scenario: Annotated[
        Path | None,
        typer.Option(
            "--scenario",
            help="方案文件（YAML）：按其中的变化（增加教师、教室、面积、设备，调动教师）试算并重新评估，"
            "原工作簿不改动",
        ),
    ] = None,
    transfers: Annotated[
        bool,
        typer.Option(
            "--transfers", help="教师交流轮岗建议：不新增教师，调动教师以降低教师类差异系数"
        ),
    ] = False,
    save_plan: Annotated[
        Path | None,
        typer.Option(
            "--save-plan",
            help="把算出的补充方案（或交流轮岗建议）写成方案文件（.yaml），可用 --scenario 复核",
        ),
    ] = None,
    output: Annotated[
        Path | None, typer.Option("--output", "-o", help="结果写入文件：.xlsx 或 .json")
    ] = None,
    output_format: Annotated[
        OutputFormat, typer.Option("--format", "-f", help="table：终端；json：输出到 stdout")
    ] = OutputFormat.table,
    full: Annotated[
        bool,
        typer.Option(
            "--full",
            help="每所学校每项指标都补到标准值（默认只补到学校达标规则，如至少 6 项达标、"
            "其余不低于 85%）",
        ),
    ] = False,
    max_moves: Annotated[
        int,
        typer.Option("--max-moves", min=1, max=10_000, help="每个学段每项指标最多调动几名教师"),
    ] = 100,
    allow_rural_to_urban: Annotated[
        bool,
        typer.Option(
            "--allow-rural-to-urban",
            help="交流轮岗也可从乡村、镇区学校调往更靠城区的学校（默认只按城区 → 镇区 → 乡村方向"
            "调动；从不从教学点调出）",
        ),
    ] = False,
    budget: Annotated[
        str | None,
        typer.Option(
            "--budget",
            help="预算方案：在这笔预算内先做什么（如 500万、5000000、500万元、0.5亿），"
            "按单位成本文件定价，列出实施顺序、每步买什么、改变什么，以及余下还需多少",
        ),
    ] = None,
    teachers: Annotated[
        int | None,
        typer.Option(
            "--teachers",
            min=0,
            help="预算方案可用的教师名额（新进与交流轮岗调入各占 1 名；培养现有教师不占），"
            "默认不限",
        ),
    ] = None,
    costs: Annotated[
        Path | None,
        typer.Option(
            "--costs",
            help="单位成本文件（YAML，见 docs/budget.md）；不给时用内置示例（数值仅作演示）",
        ),
    ] = None,
    goal: Annotated[
        str,
        typer.Option(
            "--goal",
            help="预算方案的目标：schools 达标学段单位最多；cv 超限差异系数下降最多；"
            "both 先学校后差异系数",
        ),
    ] = "schools",
    force: Annotated[bool, typer.Option("--force", help="覆盖已存在的输出文件")] = False,
    strict: Annotated[
        bool, typer.Option("--strict", help="按方案（或建议）变化后仍未达标时以退出码 3 结束")
    ] = False,
    sheet: SheetOption = None,
    header_rows: HeaderRowsOption = None,
    columns: ColumnsOption = None,
) -> None:
    """补短板方案：使每所学校达到学校达标规则、每项差异系数达到限值的最少补充量（教师、教室、
    面积、设备），及补充前后的差异系数；--full 每项都补到标准值；--scenario 试算一个方案；
    --transfers 教师交流轮岗建议；--budget 预算内先做什么（预算方案）。

    退出码：0 已计算；1 数据有错误；2 无法运行（含方案文件有误）；3 变化后仍未达标（仅 --strict）。
    """
    from junheng_cli.api.evaluation import run
    from junheng_cli.api.planning import load_changes, try_scenario
    from junheng_cli.api.planning import plan as make_plan
    from junheng_cli.report.terminal.common import make_console

    if output_format not in (OutputFormat.table, OutputFormat.json):
        fail("--format 只能是 table 或 json；写 xlsx 请用 --output 文件名.xlsx")
    read = inputs(files, standard, columns, scenario=scenario)
    read.add_files("单位成本文件 --costs", costs)
    _check_plan_options(read, scenario, transfers, save_plan, output, force)
    amount = _check_budget_options(budget, teachers, costs, goal, scenario, transfers)
    if full and (scenario is not None or transfers):
        fail("--full 用于计算补短板方案，不能与 --scenario 或 --transfers 同时使用")
    if allow_rural_to_urban and not transfers:
        fail("--allow-rural-to-urban 只用于 --transfers（交流轮岗建议）")
    spec = _load_standard(standard)
    changes = None if scenario is None else call(load_changes, scenario)
    validated = _read_and_validate(files, spec, _read_options(sheet, header_rows, columns))
    console = make_console()
    before = evaluated_or_exit(
        console, lambda: run(validated, spec), "[bold red]数据有错误，无法计算方案。[/]改正后重试。"
    )
    if changes is not None:
        if changes.standard and changes.standard != spec.id:
            _stderr().print(
                f"[yellow]注意：方案文件 {scenario} 是按标准 {changes.standard} 写的，"
                f"本次按 {spec.id} 评估[/]"
            )
        planned = call(try_scenario, before, changes, f"方案文件 {scenario}")
    elif amount is not None:
        planned = call(
            make_plan, before, budget=amount, teachers=teachers, costs=costs, goal=goal, full=full
        )
    else:
        planned = make_plan(
            before,
            transfers=transfers,
            full=full,
            max_moves=max_moves,
            allow_rural_to_urban=allow_rural_to_urban,
        )
    _show(planned, output_format, output)
    if planned.kind != "scenario":
        _save_scenario(planned, save_plan, files)
    if strict and planned.passed is not True:
        raise typer.Exit(int(ExitCode.NOT_COMPLIANT))


def _check_plan_options(
    read: Inputs,
    scenario: Path | None,
    transfers: bool,
    save_plan: Path | None,
    output: Path | None,
    force: bool,
) -> None:
    from junheng_cli.io.guard import same_file
    from junheng_cli.report.output import PLAN_SUFFIXES, SCENARIO_SUFFIXES

    if scenario is not None and transfers:
        fail("--scenario 与 --transfers 不能同时使用：先试算方案，或先看交流轮岗建议")
    if scenario is not None and save_plan is not None:
        fail("--save-plan 用于保存算出的方案或交流轮岗建议；--scenario 试算的是已有的方案文件")
    if scenario is not None and not scenario.is_file():
        fail(f"找不到方案文件 {scenario}")
    if output is not None:
        check_output(output, read, force, PLAN_SUFFIXES)
    if save_plan is not None:
        check_output(save_plan, read, force, SCENARIO_SUFFIXES, "--save-plan 方案文件")
        if output is not None and same_file(output, save_plan):
            fail("--output 与 --save-plan 不能是同一个文件")


def _check_budget_options(
    budget: str | None,
    teachers: int | None,
    costs: Path | None,
    goal: str,
    scenario: Path | None,
    transfers: bool,
) -> float | None:
    """The budget in 元 (None without --budget); usage errors in Chinese."""
    from junheng_cli.model.costs import parse_amount

    if budget is None:
        if teachers is not None or costs is not None or goal != "schools":
            fail("--teachers、--costs、--goal 用于预算方案，须与 --budget 一起使用")
        return None
    if scenario is not None or transfers:
        fail("--budget 不能与 --scenario 或 --transfers 同时使用")
    if goal not in ("schools", "cv", "both"):
        fail(f"--goal 应为 schools（达标学校最多）、cv（差异系数）或 both，不是 {goal}")
    if costs is not None and not costs.is_file():
        fail(f"找不到单位成本文件 {costs}")
    return call(parse_amount, budget)


def _plan_console(output_format: OutputFormat) -> Console:
    """Where notes go: stdout with the table, stderr when stdout carries JSON."""
    from junheng_cli.report.terminal.common import make_console

    return _stderr() if output_format is OutputFormat.json else make_console()


def _show(planned: Planned, output_format: OutputFormat, output: Path | None) -> None:
    """The result as a file (.json / .xlsx), JSON on stdout, or the terminal report."""
    from junheng_cli.report.terminal.budget import render_budget
    from junheng_cli.report.terminal.plan import render_plan, render_scenario, render_transfers

    if output is not None:
        save(output, lambda: call(planned.save, output))
        _plan_console(output_format).print(f"已写入 {output}")
    elif output_format is OutputFormat.json:
        emit_json(planned.to_dict())
    else:
        render = {
            "plan": render_plan,
            "transfers": render_transfers,
            "scenario": render_scenario,
            "budget": render_budget,
        }[planned.kind]
        render(_plan_console(output_format), planned.result)


def _save_scenario(planned: Planned, target: Path | None, files: list[Path]) -> None:
    from junheng_cli.report.scenario_file import write_scenario_file

    scenario = planned.scenario
    if target is None:
        return
    if scenario is None:
        _stderr().print(f"无需任何变化，未写 {target}")
        return
    save(target, lambda: write_scenario_file(scenario, target, files))
    _stderr().print(
        f"方案已写入 {target}（{len(scenario.changes)} 项变化）；复核：junheng plan "
        f"{' '.join(str(f) for f in files)} --standard {scenario.standard} --scenario {target}",
        highlight=False,
        soft_wrap=True,
    )
