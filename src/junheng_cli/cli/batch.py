"""``junheng batch``: many counties at once, ranked."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from typing import Annotated

import typer

from junheng_cli.api.stats import InputKind
from junheng_cli.cli.common import ExitCode, call, check_output, emit_json, inputs, progress, save
from junheng_cli.cli.common import load_standard as _load_standard
from junheng_cli.cli.common import read_options as _read_options
from junheng_cli.cli.common import stderr as _stderr
from junheng_cli.cli.options import (
    ColumnsOption,
    FormsOption,
    HeaderRowsOption,
    InputKindOption,
    SheetOption,
    StandardOption,
)
from junheng_cli.report.output import OutputFormat


def batch(
    paths: Annotated[
        list[str],
        typer.Argument(help="文件夹、通配符（如 '各县/*.xlsx'）或文件；默认一个文件一个县"),
    ],
    standard: StandardOption = "basic-2012",
    group_by: Annotated[
        str | None,
        typer.Option("--group-by", help="按这一列把一个大工作簿分成各县（如 县、县区名称）"),
    ] = None,
    output: Annotated[
        Path | None,
        typer.Option("--output", "-o", help="汇总写入文件：.xlsx（排名）、.json 或 .csv"),
    ] = None,
    reports_dir: Annotated[
        Path | None,
        typer.Option(
            "--reports-dir",
            help="另为每个县写一份 xlsx 报告到这个文件夹（文件名由县名生成；"
            "与输入文件同名时加 -2 等后缀，从不覆盖输入文件）",
        ),
    ] = None,
    output_format: Annotated[
        OutputFormat | None,
        typer.Option("--format", "-f", help="table（默认）或 json（输出到 stdout）"),
    ] = None,
    force: Annotated[bool, typer.Option("--force", help="覆盖已存在的输出文件")] = False,
    skip_invalid: Annotated[
        bool, typer.Option("--skip-invalid", help="各县跳过有错误的行，只评估其余行")
    ] = False,
    strict: Annotated[bool, typer.Option("--strict", help="有县未达标时以退出码 3 结束")] = False,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="不显示进度条")] = False,
    jobs: Annotated[
        int | None,
        typer.Option(
            "--jobs",
            "-j",
            help="读取文件的并行进程数（默认：三核以上且工作簿共 64 MB 以上时按 CPU 核数，"
            "否则一个进程）",
        ),
    ] = None,
    sheet: SheetOption = None,
    header_rows: HeaderRowsOption = None,
    columns: ColumnsOption = None,
    input_kind: InputKindOption = InputKind.auto,
    forms: FormsOption = None,
) -> None:
    """一次评估多个县：一个文件夹的各县工作簿，或按县分组的一个大工作簿；
    也可以是各县的教育事业统计报表文件夹（每县一个文件夹或 .zip，内为各校工作簿）。

    退出码：0 各县都已评估；1 有县无法读取、数据有错误或报告未能写入（其余县照常评估）；
    2 无法运行；3 有县未达标（仅 --strict）。
    """
    from junheng_cli.api.batching import find_counties, run_counties
    from junheng_cli.io.outputs import prepare_output_folder
    from junheng_cli.report.output import BATCH_SUFFIXES, is_json, write_batch
    from junheng_cli.report.terminal.batch import render_batch, render_written
    from junheng_cli.report.terminal.common import make_console

    spec = _load_standard(standard)
    counties = call(find_counties, paths, input_kind, forms, group_by)
    read = inputs(counties.files, standard, columns)
    if counties.stats is not None:
        from junheng_cli.io.guard import folder_files
        from junheng_cli.io.stats.forms import map_files

        for county in counties.files:
            read.add_files("统计报表", *(folder_files(county) if county.is_dir() else []))
        read.add_files("报表映射文件 --forms", *map_files(forms))
    if output is not None:
        check_output(output, read, force, BATCH_SUFFIXES)
    if reports_dir is not None:
        call(prepare_output_folder, reports_dir, "--reports-dir 报告文件夹")
    options = _read_options(sheet, header_rows, columns)
    if group_by:
        options = replace(options, group_by=group_by)
    with progress(quiet, len(counties.files), "读取各县") as advance:
        batched = run_counties(
            counties,
            spec,
            options,
            skip_invalid=skip_invalid,
            reports_dir=reports_dir,
            jobs=jobs,
            progress=advance,
            detail=output_format is OutputFormat.json or is_json(output),
            protected=[*read.paths(), *([output] if output is not None else [])],
        )
    result = batched.result
    if output_format is OutputFormat.json:
        emit_json(batched.to_dict())
    else:
        render_batch(make_console(), result, str(output) if output is not None else None)
    if output is not None:
        save(output, lambda: write_batch(result, output))
    notes = _stderr() if output_format is OutputFormat.json else make_console()
    render_written(notes, result, output)  # 已写入 …: the summary and every county report
    if result.failed or result.reports_failed:
        raise typer.Exit(int(ExitCode.DATA_ERRORS))
    if strict and any(c.summary.get("passed") is not True for c in result.counties):
        raise typer.Exit(int(ExitCode.NOT_COMPLIANT))
