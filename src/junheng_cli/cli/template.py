"""``junheng template``: the workbook schools fill in, blank or prefilled from last period."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from junheng_cli.cli.common import ExitCode, call, check_output, fail, inputs, progress, save
from junheng_cli.cli.common import load_standard as _load_standard
from junheng_cli.cli.common import read_options as _read_options
from junheng_cli.cli.options import ColumnsOption, HeaderRowsOption, SheetOption

if TYPE_CHECKING:
    from rich.console import Console

    from junheng_cli.io.guard import Inputs
    from junheng_cli.io.sheet_table import ReadOptions
    from junheng_cli.standards.model import Standard
    from junheng_cli.workflows.template import LastPeriod

TemplateStandardOption = Annotated[
    str | None,
    typer.Option(
        "--standard",
        "-s",
        help="按这个标准所需的列（id 或 .yaml 文件）；不指定：模板含 junheng 能读的全部列",
    ),
]
RowsOption = Annotated[
    int, typer.Option("--rows", min=0, max=10_000, help="学校表中留出的带格式空行数")
]


def template(
    output: Annotated[
        Path,
        typer.Option(
            "--output", "-o", help="模板文件（.xlsx）；与 --prefill 同用时为文件夹，每校一个文件"
        ),
    ],
    standard: TemplateStandardOption = None,
    prefill: Annotated[
        Path | None,
        typer.Option("--prefill", help="上期的全县工作簿：为其中每所学校写一个预填好的文件"),
    ] = None,
    rows: RowsOption = 5,
    force: Annotated[bool, typer.Option("--force", help="覆盖已存在的文件")] = False,
    sheet: SheetOption = None,
    header_rows: HeaderRowsOption = None,
    columns: ColumnsOption = None,
) -> None:
    """写出发给学校的填报模板：学校表（下拉列表、数字校验、冻结表头）和填表说明。

    退出码：0 已写出；1 上期数据的问题使预填无法进行；2 无法运行。
    """
    spec = _load_standard(standard) if standard else None
    read = inputs((), standard, columns, prefill=prefill)
    if prefill is None:
        _write_blank_template(output, spec, rows, force, read)
    else:
        options = _read_options(sheet, header_rows, columns)
        _write_prefilled(output, spec, prefill, rows, force, options, read)


def _write_blank_template(
    output: Path, spec: Standard | None, rows: int, force: bool, read: Inputs
) -> None:
    from junheng_cli.report.terminal.common import make_console
    from junheng_cli.report.xlsx.template import write_template
    from junheng_cli.workflows.template import build_template

    check_output(output, read, force, (".xlsx",))
    built = build_template(spec, rows)
    save(output, lambda: write_template(built, output))
    what = f"《{spec.name}》所需的" if spec else "全部"
    make_console().print(f"已写入 {output}：{what} {len(built.columns)} 列，另有“填表说明”工作表")


def _write_prefilled(
    folder: Path,
    spec: Standard | None,
    last_file: Path,
    rows: int,
    force: bool,
    options: ReadOptions,
    read: Inputs,
) -> None:
    from junheng_cli.io.guard import refuse_input_as_output
    from junheng_cli.io.outputs import check_outputs
    from junheng_cli.report.terminal.common import make_console
    from junheng_cli.report.xlsx.template import write_templates
    from junheng_cli.workflows.template import prefilled_templates, read_last_period

    call(refuse_input_as_output, folder, read, "输出文件夹")
    if folder.suffix.lower() in (".xlsx", ".xls", ".xlsm") or folder.is_file():
        fail(f"--prefill 时 --output 应为文件夹（每校写一个文件），而不是 {folder}")
    last = call(read_last_period, last_file, spec, options)
    console = make_console()
    _report_last_period(console, last)
    targets = [(folder / name, built) for name, built in prefilled_templates(last, spec, rows)]
    call(check_outputs, [path for path, _ in targets], read, force, "预填文件")
    try:
        with progress(False, len(targets), "写预填文件") as advance:
            write_templates(targets, advance)
    except OSError as exc:
        fail(f"无法写入 {folder}：{exc.strerror or exc}")
    console.print(
        f"已写入 {len(targets)} 个预填文件到 {folder}（每校一个，文件名：学校标识码_学校名称）"
    )


def _report_last_period(console: Console, last: LastPeriod) -> None:
    """What ``validate`` would show of last period's workbook; stops when one file per school
    cannot be written (a school without a name, the same school twice, a missing column)."""
    from junheng_cli.compute.origins import sheet_infos
    from junheng_cli.report.terminal.evaluation import render_sources
    from junheng_cli.report.terminal.findings import render_findings

    render_sources(console, sheet_infos(last.validated.table))
    render_findings(console, last.findings)
    if last.blocking:
        console.print(
            "[bold red]上期数据有上列问题，无法为每所学校各写一个预填文件；改正后重试。[/]"
        )
        raise typer.Exit(int(ExitCode.DATA_ERRORS))
    if any(f.code in ("E_NOT_NUMBER", "E_NEGATIVE", "E_FORMULA_NO_VALUE") for f in last.findings):
        console.print("[yellow]不是有效数字的单元格在预填文件中留空，请学校补填。[/]")
    if last.absent:
        absent = "、".join(c.header for c in last.absent)
        console.print(f"上期工作簿没有这些列，预填文件中留空：{absent}")
