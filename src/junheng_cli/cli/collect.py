"""``junheng collect``: the returned files of the schools merged into one county workbook."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from junheng_cli.cli.common import ExitCode, call, check_output, fail, inputs, save
from junheng_cli.cli.common import load_standard as _load_standard
from junheng_cli.cli.common import read_options as _read_options
from junheng_cli.cli.options import ColumnsOption, HeaderRowsOption, SheetOption

if TYPE_CHECKING:
    from junheng_cli.io.guard import Inputs


def collect(
    folder: Annotated[Path, typer.Argument(help="各校交回的文件所在的文件夹（含子文件夹）")],
    output: Annotated[
        Path, typer.Option("--output", "-o", help="合并后的全县工作簿（.xlsx，原子写入）")
    ],
    standard: Annotated[
        str | None,
        typer.Option(
            "--standard",
            "-s",
            help="按这个标准检查各校是否填全；不指定：只查学校名称、类型、在校生和数字",
        ),
    ] = None,
    roster: Annotated[
        Path | None,
        typer.Option("--roster", help="名册（如上期的全县工作簿）：列出没有交回文件的学校"),
    ] = None,
    force: Annotated[bool, typer.Option("--force", help="覆盖已存在的输出文件")] = False,
    sheet: SheetOption = None,
    header_rows: HeaderRowsOption = None,
    columns: ColumnsOption = None,
) -> None:
    """把各校交回的填报文件合并为一个全县工作簿（学校表 + 收集情况表）。

    每一行要么合并，要么在收集情况中写明原因：未填写、未填完、数据有误、重复、无法读取；
    有 --roster 时还列出未交的学校。退出码：0 全部合并；1 有需要处理的情况（合并结果照常
    写出）；2 无法运行。
    """
    from junheng_cli.io.cells import ReadError
    from junheng_cli.report.terminal.collect import render_collection
    from junheng_cli.report.terminal.common import make_console
    from junheng_cli.report.xlsx.template import write_collection
    from junheng_cli.workflows.collect import collect as run_collect

    if not folder.is_dir():
        fail(f"{folder} 不是文件夹：请给出各校交回文件所在的文件夹")
    spec = _load_standard(standard) if standard else None
    read = inputs((), standard, columns, roster=roster)
    check_output(output, _with_returns(read, folder, output, roster), force, (".xlsx",))
    if roster is not None and not roster.is_file():
        fail(f"名册文件 {roster} 不存在")
    options = _read_options(sheet, header_rows, columns)
    try:
        result = run_collect(folder, spec, roster, options, output)
    except ReadError as exc:
        fail(f"无法读取名册：{exc}")
    if result.workbooks == 0:
        fail(f"文件夹 {folder} 中没有工作簿（.xlsx .xlsm .xls .ods .csv）")
    save(output, lambda: write_collection(result, output))
    render_collection(make_console(), result, output)
    if result.needs_attention:
        raise typer.Exit(int(ExitCode.DATA_ERRORS))


def _with_returns(read: Inputs, folder: Path, output: Path, roster: Path | None) -> Inputs:
    """The returned files to be merged are inputs too: the output may replace none of them
    (only a merged workbook an earlier run wrote there, which is not read as a return)."""
    from junheng_cli.io.guard import refuse_input_as_output
    from junheng_cli.workflows.collect import files_to_collect

    call(refuse_input_as_output, output, read)  # a name too long is refused before it is looked at
    return read.add_files("回收文件", *files_to_collect(folder, output, roster))
