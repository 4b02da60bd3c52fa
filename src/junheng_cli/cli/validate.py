"""``junheng validate``: read and check the data, no computation."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from junheng_cli.api.stats import InputKind
from junheng_cli.cli.common import ExitCode, call, emit_json, fail, inputs
from junheng_cli.cli.common import load_standard as _load_standard
from junheng_cli.cli.common import read_options as _read_options
from junheng_cli.cli.evaluate import evaluable_of, print_evaluable
from junheng_cli.cli.options import (
    ColumnsOption,
    FilesArgument,
    FormsOption,
    HeaderRowsOption,
    IndicatorsOption,
    InputKindOption,
    Lang,
    LangOption,
    SheetOption,
    StandardOption,
    SupplementOption,
)
from junheng_cli.cli.reading import read_and_validate as _read_and_validate
from junheng_cli.report.output import OutputFormat

if TYPE_CHECKING:
    from junheng_cli.io.stats.result import StatsImport


def validate(
    files: FilesArgument,
    standard: StandardOption = "basic-2012",
    sheet: SheetOption = None,
    header_rows: HeaderRowsOption = None,
    columns: ColumnsOption = None,
    annotate: Annotated[
        Path | None,
        typer.Option(
            "--annotate",
            help="另存一份标注副本（.xlsx）：问题单元格标色并加批注，附“问题清单”表；不改动原文件",
        ),
    ] = None,
    output_format: Annotated[
        OutputFormat, typer.Option("--format", "-f", help="table 或 json")
    ] = OutputFormat.table,
    force: Annotated[bool, typer.Option("--force", help="覆盖已存在的标注副本")] = False,
    indicators: IndicatorsOption = None,
    lang: LangOption = Lang.zh,
    input_kind: InputKindOption = InputKind.auto,
    forms: FormsOption = None,
    supplement: SupplementOption = None,
) -> None:
    """只读取并检查数据，不计算。也可直接读各校的教育事业统计报表（文件夹、.zip）。

    退出码：0 无错误（可有警告）；1 有错误；2 无法读取或没有可评估的学校。
    """
    from junheng_cli.api.stats import StatsChoice
    from junheng_cli.api.validation import check
    from junheng_cli.compute.origins import sheet_infos
    from junheng_cli.io.outputs import check_annotation_target
    from junheng_cli.report.terminal.common import make_console
    from junheng_cli.report.terminal.evaluation import render_sources
    from junheng_cli.report.terminal.findings import render_findings
    from junheng_cli.report.validation_json import failed_import_document

    spec = _load_standard(standard, indicators)
    stats = StatsChoice(input_kind, forms, supplement)
    targets = None
    if annotate is not None:
        if call(stats.applies, files):
            fail("--annotate 只用于全县工作簿；统计报表的问题已按各校工作簿的单元格列出")
        read = inputs(files, standard, columns)
        targets = call(check_annotation_target, annotate, files, read, force)

    def failed_import(imported: StatsImport) -> None:  # --format json: the document anyway
        if output_format is OutputFormat.json:
            emit_json(failed_import_document("validation", spec, imported))

    options = _read_options(sheet, header_rows, columns)
    validated = _read_and_validate(files, spec, options, stats, failed_import)
    checked = call(check, validated, spec, lang.value)
    table = checked.validated.table
    if output_format is OutputFormat.json:
        emit_json(checked.to_dict())
    else:
        console = make_console()
        render_sources(console, sheet_infos(table))
        for file, name in table.unused_sheets:
            console.print(f"  [dim]未使用的工作表：{file}［{name}］[/]")
        console.print(
            f"学校行 {len(table.frame)}，空行 {table.blank_rows}，合计行 {table.total_rows}，"
            f"表注和签名行 {table.note_rows}"
        )
        if checked.issues:
            render_findings(console, checked.issues, lang.value)
        else:
            console.print("[bold green]未发现数据问题。[/]")
        print_evaluable(
            console, spec, evaluable_of(checked.validated, spec, checked.issues, indicators)
        )
    if targets is not None:
        written = checked.write_annotated(targets)
        if output_format is OutputFormat.table:
            make_console().print("标注副本：" + "、".join(str(p) for p in written))
    if checked.has_errors:
        raise typer.Exit(int(ExitCode.DATA_ERRORS))
