"""``junheng trajectory``: at this pace, when does the county pass?"""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from junheng_cli.api.stats import InputKind
from junheng_cli.cli.common import ExitCode, call, check_output, emit_json, inputs, save
from junheng_cli.cli.common import load_standard as _load_standard
from junheng_cli.cli.common import read_options as _read_options
from junheng_cli.cli.common import stderr as _stderr
from junheng_cli.cli.compare import evaluate_periods
from junheng_cli.cli.options import (
    ColumnsOption,
    FormsOption,
    HeaderRowsOption,
    InputKindOption,
    Lang,
    LangOption,
    SheetOption,
    StandardOption,
)


class TrajectoryFormat(StrEnum):
    table = "table"
    json = "json"


def trajectory(
    files: Annotated[
        list[Path],
        typer.Argument(help="各期的学校情况工作簿，按时间由早到晚，每期一个文件（至少三期）"),
    ],
    standard: StandardOption = "basic-2012",
    target_date: Annotated[
        str | None,
        typer.Option(
            "--target-date",
            help="目标日期，如 2027-09、2027Q3、2027年9月：列出到那时不能达标的项目",
        ),
    ] = None,
    labels: Annotated[
        str | None,
        typer.Option(
            "--labels",
            help="各期名称，逗号分隔，如 2026Q1,2026Q2,2026Q3（也是各期的日期）；默认用文件名，"
            "文件名中没有日期时各期按等间隔计",
        ),
    ] = None,
    output_format: Annotated[
        TrajectoryFormat,
        typer.Option("--format", "-f", help="table：终端表格；json：机器可读"),
    ] = TrajectoryFormat.table,
    output: Annotated[
        Path | None,
        typer.Option(
            "--output", "-o", help="另把结果写入文件：.xlsx（含趋势图）、.html（含趋势图）或 .json"
        ),
    ] = None,
    force: Annotated[bool, typer.Option("--force", help="覆盖已存在的输出文件")] = False,
    strict: Annotated[
        bool,
        typer.Option(
            "--strict",
            help="有差异系数或学校按此趋势不会达标（给了 --target-date 时：到目标日期不会达标）"
            "时以退出码 3 结束",
        ),
    ] = False,
    sheet: SheetOption = None,
    header_rows: HeaderRowsOption = None,
    columns: ColumnsOption = None,
    lang: LangOption = Lang.zh,
    input_kind: InputKindOption = InputKind.auto,
    forms: FormsOption = None,
) -> None:
    """达标趋势：由三期或更多的数据，按各期日期拟合每项差异系数和每所未达标学校各项指标的
    最小二乘直线，预计按此进度在哪一期达标，列出到目标日期不能达标的项目；进度在变差或没有
    进展时直接说明。

    退出码：0 已计算；1 某期数据有错误；2 无法运行（不足三期、日期无法识别等）；3 按此趋势
    有项目不会达标（仅 --strict）。
    """
    from junheng_cli.api.stats import StatsChoice
    from junheng_cli.api.trajectories import (
        TRAJECTORY_SUFFIXES,
        project_periods,
        trajectory_labels,
        write_trajectory,
    )
    from junheng_cli.report.terminal.common import make_console
    from junheng_cli.report.terminal.trajectory import render_trajectory

    names = call(trajectory_labels, files, labels, target_date)
    if output is not None:
        check_output(output, inputs(files, standard, columns), force, TRAJECTORY_SUFFIXES)
    spec = _load_standard(standard)
    options = _read_options(sheet, header_rows, columns)
    console = make_console() if output_format is TrajectoryFormat.table else _stderr()
    stats = StatsChoice(input_kind, forms)
    periods = evaluate_periods(console, names, files, spec, options, stats, lang.value)
    projected = call(project_periods, periods, target_date)
    if output_format is TrajectoryFormat.json:
        emit_json(projected.to_dict())
    else:
        render_trajectory(console, projected.trajectory)
    if output is not None:
        save(output, lambda: write_trajectory(projected.trajectory, output))
        console.print(f"已写入 {output}")
    if strict and not projected.all_pass:
        raise typer.Exit(int(ExitCode.NOT_COMPLIANT))
