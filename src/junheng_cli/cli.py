"""The ``junheng`` command line: a thin Typer layer over the library.

Heavy modules (pandas, the evaluation) are imported inside the commands, so that
``junheng --help`` and ``junheng standards`` start quickly.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import replace
from enum import IntEnum, StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, NoReturn

import typer

from junheng_cli import __version__

if TYPE_CHECKING:
    from rich.console import Console

    from junheng_cli.batch import BatchResult
    from junheng_cli.findings import Finding
    from junheng_cli.results import Evaluation
    from junheng_cli.standards import Standard
    from junheng_cli.table import ReadOptions
    from junheng_cli.validate import ValidatedTable

app = typer.Typer(
    name="junheng",
    help="junheng（均衡）：县域义务教育均衡发展指标计算——差异系数、逐校达标与差距报告。",
    no_args_is_help=True,
    add_completion=False,
    rich_markup_mode="rich",
    pretty_exceptions_show_locals=False,
)


class ExitCode(IntEnum):
    OK = 0
    DATA_ERRORS = 1
    CANNOT_RUN = 2
    NOT_COMPLIANT = 3


class OutputFormat(StrEnum):
    table = "table"
    json = "json"
    xlsx = "xlsx"
    csv = "csv"
    html = "html"


FILE_FORMATS = (OutputFormat.json, OutputFormat.xlsx, OutputFormat.csv, OutputFormat.html)


class Lang(StrEnum):
    zh = "zh"
    en = "en"


FilesArgument = Annotated[
    list[Path],
    typer.Argument(help="学校情况工作簿（.xlsx/.xlsm/.xls/.ods/.csv），可多个，合并计算"),
]
StandardOption = Annotated[
    str,
    typer.Option("--standard", "-s", help="评估标准：standards/ 中的 id，或一个 .yaml 文件路径"),
]
SheetOption = Annotated[
    list[str] | None,
    typer.Option("--sheet", help="只读这个工作表（可重复）；默认读表头最像模板的工作表"),
]
HeaderRowsOption = Annotated[
    str | None, typer.Option("--header-rows", help="表头所在行，如 3 或 3-4（多行表头）")
]
ColumnsOption = Annotated[
    Path | None,
    typer.Option("--columns", help="列名映射文件（YAML：表头文字: 字段名），用于无法自动识别的列"),
]
LangOption = Annotated[Lang, typer.Option("--lang", help="数据问题提示的语言")]


def _stderr() -> Console:
    from rich.console import Console

    return Console(stderr=True)


def _fail(message: str, code: ExitCode = ExitCode.CANNOT_RUN) -> NoReturn:
    _stderr().print(f"[bold red]错误[/]：{message}", highlight=False, soft_wrap=True)
    raise typer.Exit(int(code))


def _version_callback(value: bool) -> None:
    if value:
        typer.echo(f"junheng {__version__}")
        raise typer.Exit()


@app.callback()
def _root(
    version: Annotated[
        bool, typer.Option("--version", callback=_version_callback, is_eager=True, help="显示版本")
    ] = False,
) -> None:
    """junheng（均衡）命令行。"""


@app.command()
def evaluate(
    files: FilesArgument,
    standard: StandardOption = "basic-2012",
    output_format: Annotated[
        OutputFormat | None,
        typer.Option(
            "--format",
            "-f",
            help="table：终端报告；json：机器可读；xlsx、csv、html：报告文件（须 --output）。"
            "默认按 --output 的扩展名，否则 table",
        ),
    ] = None,
    output: Annotated[
        Path | None, typer.Option("--output", "-o", help="把报告写入这个文件（原子写入）")
    ] = None,
    force: Annotated[bool, typer.Option("--force", help="覆盖已存在的输出文件")] = False,
    sheet: SheetOption = None,
    header_rows: HeaderRowsOption = None,
    columns: ColumnsOption = None,
    strict: Annotated[
        bool, typer.Option("--strict", help="评估完成但未达标时以退出码 3 结束")
    ] = False,
    skip_invalid: Annotated[
        bool,
        typer.Option("--skip-invalid", help="跳过有错误的行，只评估其余行（结果标注为部分结果）"),
    ] = False,
    county_items: Annotated[
        Path | None,
        typer.Option("--county-items", help="县级指标文件（YAML：指标 id 或名称: 数值）"),
    ] = None,
    lang: LangOption = Lang.zh,
) -> None:
    """计算差异系数并给出结论。

    退出码：0 已评估；1 数据有错误（无结论）；2 无法运行；3 已评估但未达标（仅 --strict）。
    """
    from junheng_cli.evaluate import DataErrors, NothingToEvaluate, sheet_infos
    from junheng_cli.evaluate import evaluate as run_evaluation
    from junheng_cli.io.read import ReadError
    from junheng_cli.io.write import write_text_atomic
    from junheng_cli.report.document import error_document, evaluation_document, to_json
    from junheng_cli.report.terminal import (
        make_console,
        render_evaluation,
        render_findings,
        render_sources,
    )

    output_format = _output_format(output_format, output, files, force)
    spec = _load_standard(standard)
    if county_items is not None and not spec.county_items:
        _fail(
            f"标准 {spec.id} 没有县级指标：--county-items 只用于带县级指标的标准（如 quality-2017）"
        )
    validated = _read_and_validate(files, spec, _read_options(sheet, header_rows, columns))
    console = make_console()
    try:
        result = run_evaluation(validated, spec, skip_invalid, county_items)
    except (ReadError, NothingToEvaluate) as exc:
        _fail(str(exc))
    except DataErrors as exc:
        if output_format is OutputFormat.json:
            sources = sheet_infos(validated.table)
            document = to_json(error_document(spec, sources, exc.findings, lang.value))
            if output is not None:
                _save(output, lambda: write_text_atomic(output, document))
            else:
                typer.echo(document, nl=False)
        else:
            render_sources(console, sheet_infos(validated.table))
            render_findings(console, exc.findings, lang.value)
            advice = (
                "没有无误的学校行可以评估。"
                if skip_invalid
                else "改正后重试，或用 --skip-invalid 只评估无误的行。"
            )
            console.print(f"[bold red]数据有错误，未给出结论。[/]{advice}")
        raise typer.Exit(int(ExitCode.DATA_ERRORS)) from None
    if output is not None:
        _save(output, lambda: _write_report(result, output_format, output, files, lang.value))
        console.print(f"已写入 {output}（{output_format.value}）")
    elif output_format is OutputFormat.json:
        typer.echo(to_json(evaluation_document(result, lang.value)), nl=False)
    else:
        render_findings(console, result.findings, lang.value)
        render_evaluation(console, result)
    if strict and (result.passed is not True or result.partial):
        raise typer.Exit(int(ExitCode.NOT_COMPLIANT))


def _save(output: Path, write: Callable[[], None]) -> None:
    """Write a report; a folder in the way or a path that cannot be written is a message."""
    if output.is_dir():
        _fail(f"{output} 是一个文件夹：请给出报告的文件名")
    try:
        write()
    except OSError as exc:
        _fail(f"无法写入 {output}：{exc.strerror or exc}")


@app.command()
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
    lang: LangOption = Lang.zh,
) -> None:
    """只读取并检查数据，不计算。退出码：0 无错误（可有警告）；1 有错误；2 无法读取。"""
    from junheng_cli.evaluate import sheet_infos
    from junheng_cli.findings import has_errors
    from junheng_cli.report.document import findings_list, sources_list, to_json
    from junheng_cli.report.terminal import make_console, render_findings, render_sources

    spec = _load_standard(standard)
    if annotate is not None:
        _refuse_input_as_output(annotate, files)
        for target in _annotation_targets(annotate, files).values():
            if target.exists() and not force:
                _fail(f"标注副本 {target} 已存在：加 --force 覆盖")
    validated = _read_and_validate(files, spec, _read_options(sheet, header_rows, columns))
    table = validated.table
    if output_format is OutputFormat.json:
        document = {
            "sources": sources_list(sheet_infos(table)),
            "rows": {
                "read": table.rows_read,
                "schools": len(table.frame),
                "blank": table.blank_rows,
                "total": table.total_rows,
                "notes": table.note_rows,
            },
            "issues": findings_list(validated.findings, lang.value),
        }
        typer.echo(to_json(document), nl=False)
    else:
        console = make_console()
        render_sources(console, sheet_infos(table))
        for file, name in table.unused_sheets:
            console.print(f"  [dim]未使用的工作表：{file}［{name}］[/]")
        console.print(
            f"学校行 {len(table.frame)}，空行 {table.blank_rows}，合计行 {table.total_rows}，"
            f"表注和签名行 {table.note_rows}"
        )
        if validated.findings:
            render_findings(console, validated.findings, lang.value)
        else:
            console.print("[bold green]未发现数据问题。[/]")
    if annotate is not None:
        written = _write_annotations(annotate, files, validated, lang.value)
        if output_format is OutputFormat.table:
            make_console().print("标注副本：" + "、".join(str(p) for p in written))
    if has_errors(validated.findings):
        raise typer.Exit(int(ExitCode.DATA_ERRORS))


@app.command()
def explain(
    files: FilesArgument,
    school: Annotated[str, typer.Option("--school", help="学校名称或学校标识码")],
    indicator: Annotated[str, typer.Option("--indicator", help="指标 id 或中文名称")],
    standard: StandardOption = "basic-2012",
    sheet: SheetOption = None,
    header_rows: HeaderRowsOption = None,
    columns: ColumnsOption = None,
) -> None:
    """逐步展示一所学校某项指标的计算过程，以及全县差异系数的计算过程。"""
    from junheng_cli.evaluate import DataErrors, NothingToEvaluate
    from junheng_cli.evaluate import evaluate as run_evaluation
    from junheng_cli.explain import ExplainError
    from junheng_cli.explain import explain as build_explanation
    from junheng_cli.report.explain_view import render_explanation
    from junheng_cli.report.terminal import make_console, render_findings

    spec = _load_standard(standard)
    validated = _read_and_validate(files, spec, _read_options(sheet, header_rows, columns))
    console = make_console()
    try:
        result = run_evaluation(validated, spec)
    except NothingToEvaluate as exc:
        _fail(exc.message)
    except DataErrors as exc:
        render_findings(console, exc.findings)
        console.print("[bold red]数据有错误，无法计算。[/]")
        raise typer.Exit(int(ExitCode.DATA_ERRORS)) from None
    try:
        explanation = build_explanation(result, school, indicator)
    except ExplainError as exc:
        _fail(str(exc))
    render_explanation(console, explanation, spec.id)


@app.command()
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
        Path | None, typer.Option("--reports-dir", help="另为每个县写一份 xlsx 报告到这个文件夹")
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
        int | None, typer.Option("--jobs", "-j", help="并行进程数（默认按 CPU 核数）")
    ] = None,
    sheet: SheetOption = None,
    header_rows: HeaderRowsOption = None,
    columns: ColumnsOption = None,
) -> None:
    """一次评估多个县：一个文件夹的各县工作簿，或按县分组的一个大工作簿。

    退出码：0 各县都已评估；1 有县无法读取或数据有错误（其余县照常评估）；2 无法运行；
    3 有县未达标（仅 --strict）。
    """
    from junheng_cli.batch import expand_paths, run_batch
    from junheng_cli.report.batch_report import batch_document, render_batch
    from junheng_cli.report.document import to_json
    from junheng_cli.report.terminal import make_console

    spec = _load_standard(standard)
    files = expand_paths(paths)
    if not files:
        _fail("没有找到任何工作簿（.xlsx .xlsm .xls .ods .csv）")
    if output is not None:
        _check_output(output, files, force, (".xlsx", ".json", ".csv"))
    if reports_dir is not None:
        reports_dir.mkdir(parents=True, exist_ok=True)
    options = _read_options(sheet, header_rows, columns)
    if group_by:
        options = replace(options, group_by=group_by)
    with _progress(quiet, len(files), "读取各县") as advance:
        detail = output_format is OutputFormat.json or (
            output is not None and output.suffix.lower() == ".json"
        )
        result = run_batch(
            files, spec, options, skip_invalid, reports_dir, jobs, advance, detail=detail
        )
    if output_format is OutputFormat.json:
        typer.echo(to_json(batch_document(result)), nl=False)
    else:
        render_batch(make_console(), result)
    if output is not None:
        _save(output, lambda: _write_batch_output(result, output))
    if result.failed:
        raise typer.Exit(int(ExitCode.DATA_ERRORS))
    if strict and any(c.summary.get("passed") is not True for c in result.counties):
        raise typer.Exit(int(ExitCode.NOT_COMPLIANT))


def _write_batch_output(result: BatchResult, output: Path) -> None:
    from junheng_cli.io.write import write_atomic, write_text_atomic
    from junheng_cli.report.batch_report import batch_document, ranking_frame, write_batch_xlsx
    from junheng_cli.report.document import to_json

    suffix = output.suffix.lower()
    if suffix == ".json":
        write_text_atomic(output, to_json(batch_document(result)))
    elif suffix == ".csv":
        frame = ranking_frame(result)
        write_atomic(output, lambda tmp: frame.to_csv(tmp, index=False, encoding="utf-8-sig"))
    else:
        write_batch_xlsx(result, output)


@contextmanager
def _progress(quiet: bool, total: int, label: str) -> Iterator[Callable[[], None]]:
    """A progress bar on the terminal (stderr); nothing when quiet or not a terminal."""
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TimeElapsedColumn

    console = _stderr()
    if quiet or not console.is_terminal:
        yield lambda: None
        return
    columns = (label, BarColumn(), MofNCompleteColumn(), TimeElapsedColumn())
    with Progress(*columns, console=console, transient=True) as progress:
        task = progress.add_task(label, total=total)
        yield lambda: progress.advance(task)


def _check_output(output: Path, inputs: list[Path], force: bool, suffixes: tuple[str, ...]) -> None:
    if output.suffix.lower() not in suffixes:
        _fail(f"输出文件应为 {'、'.join(suffixes)}，而不是 {output.name}")
    for file in inputs:
        if file.exists() and output.exists() and output.resolve() == file.resolve():
            _fail(f"拒绝覆盖输入文件 {file}：请为输出另取文件名")
    if output.exists() and not force:
        _fail(f"输出文件 {output} 已存在：加 --force 覆盖")


@app.command("standards")
def list_standards() -> None:
    """列出可用的评估标准（standards/ 目录中的文件）。"""
    from junheng_cli.report.terminal import make_console, render_standards
    from junheng_cli.standards import list_standards as find

    found = find()
    if not found:
        _fail("没有找到任何标准文件（standards/ 目录为空或不存在）")
    render_standards(make_console(), found)
    if any(isinstance(item, Exception) for _, item in found):
        raise typer.Exit(int(ExitCode.CANNOT_RUN))


def _output_format(
    chosen: OutputFormat | None, output: Path | None, inputs: list[Path], force: bool
) -> OutputFormat:
    """The format asked for, or the one the output's suffix names; checks the output path."""
    if chosen is None:
        suffix = output.suffix.lower().lstrip(".") if output else ""
        chosen = OutputFormat(suffix) if suffix in {f.value for f in FILE_FORMATS} else None
        if chosen is None and output is not None:
            _fail(f"无法从 {output.name} 判断报告格式：请用 --format xlsx|csv|html|json")
        chosen = chosen or OutputFormat.table
    if chosen in FILE_FORMATS[1:] and output is None:
        _fail(f"--format {chosen.value} 需要 --output 指定文件")
    if output is not None:
        if chosen is OutputFormat.table:
            _fail("table 格式只输出到终端；写文件请用 --format xlsx|csv|html|json")
        for file in inputs:
            if file.exists() and output.exists() and output.resolve() == file.resolve():
                _fail(f"拒绝覆盖输入文件 {file}：请为报告另取文件名")
        if output.exists() and not force:
            _fail(f"输出文件 {output} 已存在：加 --force 覆盖")
    return chosen


def _write_report(
    result: Evaluation, output_format: OutputFormat, output: Path, inputs: list[Path], lang: str
) -> None:
    from junheng_cli.io.write import write_text_atomic
    from junheng_cli.report.document import evaluation_document, to_json

    if output_format is OutputFormat.json:
        write_text_atomic(output, to_json(evaluation_document(result, lang)))
    elif output_format is OutputFormat.csv:
        from junheng_cli.report.csv_out import write_csv

        write_csv(result, output)
    elif output_format is OutputFormat.html:
        from junheng_cli.report.html import write_html

        write_html(result, output)
    else:
        from junheng_cli.report.xlsx import write_xlsx

        write_xlsx(result, output, inputs)


def _load_standard(ref: str) -> Standard:
    from junheng_cli.standards import StandardError, load_standard

    try:
        return load_standard(ref)
    except StandardError as exc:
        _fail(str(exc))


def _read_options(
    sheets: list[str] | None, header_rows: str | None, columns: Path | None
) -> ReadOptions:
    from junheng_cli.headers import HeaderLookup, MappingError, load_mapping
    from junheng_cli.table import ReadOptions, parse_header_rows

    try:
        header = parse_header_rows(header_rows) if header_rows else None
    except ValueError as exc:
        _fail(f"--header-rows：{exc}")
    try:
        lookup = HeaderLookup(load_mapping(columns) if columns else None)
    except MappingError as exc:
        _fail(str(exc))
    return ReadOptions(sheets=tuple(sheets or ()), header=header, lookup=lookup)


def _read_and_validate(files: list[Path], spec: Standard, options: ReadOptions) -> ValidatedTable:
    from junheng_cli.io.read import ReadError
    from junheng_cli.table import read_school_table
    from junheng_cli.validate import validate as check

    try:
        table = read_school_table(files, options)
    except ReadError as exc:
        _fail(str(exc))
    return check(table, spec)


def _refuse_input_as_output(target: Path, files: list[Path]) -> None:
    for file in files:
        if file.exists() and target.exists() and target.resolve() == file.resolve():
            _fail(f"拒绝覆盖输入文件 {file}：请为标注副本另取文件名")
    if target.suffix.lower() != ".xlsx":
        _fail(f"标注副本应为 .xlsx 文件，而不是 {target.name}")


def _write_annotations(
    target: Path, files: list[Path], validated: ValidatedTable, lang: str
) -> list[Path]:
    """One annotated copy per input file: ``target`` itself, or ``target-文件名.xlsx``."""
    from junheng_cli.io.annotate import write_annotated
    from junheng_cli.io.read import open_workbook

    written = []
    for file, out in _annotation_targets(target, files).items():
        mine = [f for f in validated.findings if f.file == str(file)]
        rows = None
        if file.suffix.lower() not in (".xlsx", ".xlsm"):
            workbook = open_workbook(file)
            used = [s.sheet for s in validated.table.sheets if s.file == str(file)]
            rows = {name: workbook.sheet(name).rows for name in used}
        write_annotated(file, out, _cell_notes(mine, lang), rows, lang)
        written.append(out)
    return written


def _annotation_targets(target: Path, files: list[Path]) -> dict[Path, Path]:
    """One copy per input: ``target`` itself, or ``target-文件名.xlsx`` (with the folder's
    name too when two inputs share a file name)."""
    if len(files) == 1:
        return {files[0]: target}
    stems = [f.stem for f in files]
    names = {f: f"{f.parent.name}-{f.stem}" if stems.count(f.stem) > 1 else f.stem for f in files}
    return {f: target.with_name(f"{target.stem}-{names[f]}.xlsx") for f in files}


def _cell_notes(findings: list[Finding], lang: str) -> list:
    from junheng_cli.io.annotate import CellNote

    return [
        CellNote(
            sheet=f.sheet,
            row=f.row,
            column=f.column,
            severity=f.severity.value,
            code=f.code,
            message=f.message(lang),
            hint=f.hint(lang),
            header=f.header,
            value=f.value,
        )
        for f in findings
    ]


# --- issue 7: template / collect (commands `template`, `collect`) ---


# --- issue 7: compare (command `compare`) ---


# --- issue 7: plan (command `plan`) ---


def main() -> None:
    app()
