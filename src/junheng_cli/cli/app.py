"""The ``junheng`` command line: a thin Typer layer over the library.

Heavy modules (pandas, the evaluation) are imported inside the commands, so that
``junheng --help`` and ``junheng standards`` start quickly.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, replace
from enum import IntEnum, StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, NoReturn

import typer

from junheng_cli import __version__
from junheng_cli.cli.support import DEBUG_ENV, DEBUG_FLAG, JunhengCommand, JunhengGroup

if TYPE_CHECKING:
    from rich.console import Console

    from junheng_cli.compute.validate import ValidatedTable
    from junheng_cli.io.guard import Inputs
    from junheng_cli.io.sheet_table import ReadOptions
    from junheng_cli.model.findings import Finding
    from junheng_cli.model.results import Evaluation
    from junheng_cli.standards.model import Standard
    from junheng_cli.workflows.batch import BatchResult

app = typer.Typer(
    name="junheng",
    cls=JunhengGroup,
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
    typer.Argument(
        help="学校情况工作簿（.xlsx/.xlsm/.xls/.ods/.csv），可多个，合并计算", metavar="文件"
    ),
]
StandardOption = Annotated[
    str,
    typer.Option(
        "--standard",
        "-s",
        help="评估标准：id（basic-2012、quality-2017）、简称（基本均衡、优质均衡）或 .yaml 路径",
    ),
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
IndicatorsOption = Annotated[
    str | None,
    typer.Option(
        "--indicators",
        help="只评估这些指标（id 或中文简称，逗号分隔，如 books_per_student,图书）："
        "只需这些指标的列，报告各项差异系数和逐校情况，不给总体结论",
    ),
]


class InputKind(StrEnum):
    auto = "auto"
    template = "template"
    stats = "stats"


InputKindOption = Annotated[
    InputKind,
    typer.Option(
        "--input-kind",
        help="auto：给出文件夹或 .zip 且其中多数是教育统计报表时按统计报表读；"
        "template：全县工作簿；stats：各校的教育事业统计报表（每校一个工作簿）",
    ),
]
FormsOption = Annotated[
    Path | None,
    typer.Option("--forms", help="报表映射文件夹（.yaml）：补充或更正内置的统计报表映射"),
]
SupplementOption = Annotated[
    Path | None,
    typer.Option(
        "--supplement",
        help="补充工作簿（模板格式）：统计报表中没有的数（按学校标识码、学校名称对应）",
    ),
]


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
    debug: Annotated[
        bool,
        typer.Option(
            DEBUG_FLAG, help=f"出错时显示 Python 回溯（报告问题时用；也可设 {DEBUG_ENV}=1）"
        ),
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
    indicators: IndicatorsOption = None,
    lang: LangOption = Lang.zh,
    input_kind: InputKindOption = InputKind.auto,
    forms: FormsOption = None,
    supplement: SupplementOption = None,
    detail: Annotated[
        bool,
        typer.Option(
            "--detail",
            "--all",
            help="终端报告列出完整清单：每所未达标学校的各项差距、拆分学校、拉高差异系数的学校、"
            "差距来源（默认只列结论、补短板清单和差距最大的 10 所）",
        ),
    ] = False,
) -> None:
    """计算差异系数并给出结论。也可直接读各校的教育事业统计报表（文件夹、.zip）。

    退出码：0 已评估；1 数据有错误（无结论）；2 无法运行；3 已评估但未达标（仅 --strict）。
    """
    from junheng_cli.compute.evaluate import DataErrors, NothingToEvaluate, sheet_infos
    from junheng_cli.compute.evaluate import evaluate as run_evaluation
    from junheng_cli.io.read import ReadError
    from junheng_cli.io.write import write_text_atomic
    from junheng_cli.report.json import error_document, evaluation_document, to_json
    from junheng_cli.report.terminal.evaluation import (
        make_console,
        render_evaluation,
        render_findings,
        render_sources,
    )

    inputs = _inputs(files, standard, columns, county_items=county_items)
    output_format = _output_format(output_format, output, inputs, force)
    spec = _select_indicators(_load_standard(standard), indicators)
    if county_items is not None and not spec.county_items:
        _fail(
            f"标准 {spec.id} 没有县级指标：--county-items 只用于带县级指标的标准（如 quality-2017）"
        )
    stats = StatsChoice(input_kind, forms, supplement, evaluate_standard=standard)
    options = _read_options(sheet, header_rows, columns)

    def failed_import(imported: StatsImport) -> None:  # --format json: the document anyway
        if output_format is not OutputFormat.json:
            return
        from junheng_cli.report.stats import import_document

        document = error_document(spec, [], [], lang.value)
        document = to_json({**document, "stats_import": import_document(imported)})
        if output is not None:
            _save(output, lambda: write_text_atomic(output, document))
        else:
            typer.echo(document, nl=False)

    validated = _read_and_validate(files, spec, options, stats, failed_import)
    console = make_console()
    try:
        result = run_evaluation(
            validated, spec, skip_invalid, county_items, partial_indicators=indicators is not None
        )
    except (ReadError, NothingToEvaluate) as exc:
        _fail(str(exc))
    except DataErrors as exc:
        exc.findings = _shown(exc.findings, validated.table)
        evaluable = _evaluable(validated, spec, exc.findings, indicators)
        if output_format is OutputFormat.json:
            sources = sheet_infos(validated.table)
            errors = error_document(spec, sources, exc.findings, lang.value, evaluable)
            document = to_json(_with_import(errors, validated.table))
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
            if evaluable is not None:
                _print_evaluable(console, spec, evaluable)
        raise typer.Exit(int(ExitCode.DATA_ERRORS)) from None
    result.findings = _shown(result.findings, validated.table)
    if output is not None:
        _save(
            output,
            lambda: _write_report(
                result, output_format, output, files, lang.value, validated.table
            ),
        )
        console.print(f"已写入 {output}（{output_format.value}）")
    elif output_format is OutputFormat.json:
        document = _with_import(evaluation_document(result, lang.value), validated.table)
        typer.echo(to_json(document), nl=False)
    else:
        render_evaluation(console, result, detail=detail, findings_lang=lang.value)
    if strict and (result.passed is not True or result.partial):
        raise typer.Exit(int(ExitCode.NOT_COMPLIANT))


def _select_indicators(spec: Standard, indicators: str | None) -> Standard:
    """The standard with only the indicators ``--indicators`` names (ids or Chinese names)."""
    if indicators is None:
        return spec
    from junheng_cli.standards.model import StandardError

    refs = [r.strip() for r in indicators.replace("，", ",").split(",") if r.strip()]
    try:
        return spec.select(refs)
    except StandardError as exc:
        _fail(f"--indicators：{exc}")


def _evaluable(
    validated: ValidatedTable, spec: Standard, findings: list[Finding], indicators: str | None
) -> list[str] | None:
    """With columns missing and no --indicators: the indicators that could be evaluated."""
    from junheng_cli.compute.validate import evaluable_indicators

    if indicators is not None or not any(f.code == "E_MISSING_COLUMN" for f in findings):
        return None
    return evaluable_indicators(validated.table, spec)


def _print_evaluable(console: Console, spec: Standard, evaluable: list[str]) -> None:
    if not evaluable:
        console.print("缺少列，且没有一项指标的列是齐全的。")
        return
    names = {i.id: i.label for i in spec.indicators}
    listed = "、".join(f"{names[i]}（{i}）" for i in evaluable)
    console.print(
        f"缺少部分指标的列。这 {len(evaluable)} 项指标的列是齐全的：{listed}；"
        f"可用 --indicators {','.join(evaluable)} 只评估它们（部分结果，不给总体结论）。"
    )


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
    indicators: IndicatorsOption = None,
    lang: LangOption = Lang.zh,
    input_kind: InputKindOption = InputKind.auto,
    forms: FormsOption = None,
    supplement: SupplementOption = None,
) -> None:
    """只读取并检查数据，不计算。也可直接读各校的教育事业统计报表（文件夹、.zip）。

    退出码：0 无错误（可有警告）；1 有错误；2 无法读取或没有可评估的学校。
    """
    from junheng_cli.compute.evaluate import nothing_to_evaluate, sheet_infos
    from junheng_cli.model.findings import has_errors
    from junheng_cli.report.json import envelope, findings_list, sources_list, to_json
    from junheng_cli.report.terminal.evaluation import make_console, render_findings, render_sources

    spec = _select_indicators(_load_standard(standard), indicators)
    stats = StatsChoice(input_kind, forms, supplement)
    if annotate is not None:
        if stats.applies(files):
            _fail("--annotate 只用于全县工作簿；统计报表的问题已按各校工作簿的单元格列出")
        _check_annotation_targets(annotate, files, _inputs(files, standard, columns), force)

    def failed_import(imported: StatsImport) -> None:  # --format json: the document anyway
        if output_format is OutputFormat.json:
            from junheng_cli.report.stats import import_document

            document = envelope("validation", spec, sources=[], rows=None, issues=[])
            typer.echo(to_json({**document, "stats_import": import_document(imported)}), nl=False)

    options = _read_options(sheet, header_rows, columns)
    validated = _read_and_validate(files, spec, options, stats, failed_import)
    validated = replace(validated, findings=_shown(validated.findings, validated.table))
    if not has_errors(validated.findings) and (
        nothing := nothing_to_evaluate(validated, spec)
    ):  # as evaluate: a header-only sheet is nothing to check, not a clean county
        _fail(nothing.message)
    table = validated.table
    if output_format is OutputFormat.json:
        document = envelope(
            "validation",
            spec,
            sources=sources_list(sheet_infos(table)),
            rows={
                "read": table.rows_read,
                "schools": len(table.frame),
                "blank": table.blank_rows,
                "total": table.total_rows,
                "notes": table.note_rows,
            },
            issues=findings_list(validated.findings, lang.value),
        )
        typer.echo(to_json(_with_import(document, table)), nl=False)
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
        evaluable = _evaluable(validated, spec, validated.findings, indicators)
        if evaluable is not None:
            _print_evaluable(console, spec, evaluable)
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
    indicators: IndicatorsOption = None,
) -> None:
    """逐步展示一所学校某项指标的计算过程，以及全县差异系数的计算过程。"""
    from junheng_cli.compute.evaluate import DataErrors, NothingToEvaluate
    from junheng_cli.compute.evaluate import evaluate as run_evaluation
    from junheng_cli.compute.explain import ExplainError
    from junheng_cli.compute.explain import explain as build_explanation
    from junheng_cli.report.terminal.evaluation import make_console, render_findings
    from junheng_cli.report.terminal.explain import render_explanation

    spec = _select_indicators(_load_standard(standard), indicators)
    validated = _read_and_validate(files, spec, _read_options(sheet, header_rows, columns))
    console = make_console()
    try:
        result = run_evaluation(validated, spec, partial_indicators=indicators is not None)
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
        int | None, typer.Option("--jobs", "-j", help="并行进程数（默认按 CPU 核数）")
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
    from junheng_cli.report.batch import batch_document, render_batch, render_written
    from junheng_cli.report.json import to_json
    from junheng_cli.report.terminal.evaluation import make_console
    from junheng_cli.report.xlsx.evaluation import write_xlsx
    from junheng_cli.workflows.batch import StatsRead, expand_paths, run_batch

    spec = _load_standard(standard)
    stats_read: StatsRead | None = None
    counties = _stats_counties(paths, input_kind)
    if counties is not None:
        if group_by:
            _fail("--group-by 用于按县分组的一个大工作簿，不能与各县的统计报表文件夹一起用")
        _check_forms(forms)
        stats_read, files = StatsRead(forms), counties
    else:
        files = expand_paths(paths)
    if not files:
        _fail("没有找到任何工作簿（.xlsx .xlsm .xls .ods .csv）")
    inputs = _inputs(files, standard, columns)
    if stats_read is not None:
        from junheng_cli.io.guard import folder_files
        from junheng_cli.io.stats.forms import map_files

        for county in files:
            inputs.add_files("统计报表", *(folder_files(county) if county.is_dir() else []))
        inputs.add_files("报表映射文件 --forms", *map_files(forms))
    if output is not None:
        _check_output(output, inputs, force, (".xlsx", ".json", ".csv"))
    if reports_dir is not None:
        _prepare_reports_dir(reports_dir)
    options = _read_options(sheet, header_rows, columns)
    if group_by:
        options = replace(options, group_by=group_by)
    with _progress(quiet, len(files), "读取各县") as advance:
        detail = output_format is OutputFormat.json or (
            output is not None and output.suffix.lower() == ".json"
        )
        protected = [*inputs.paths(), *([output] if output is not None else [])]
        result = run_batch(
            files,
            spec,
            options,
            skip_invalid,
            reports_dir,
            jobs,
            advance,
            detail=detail,
            protected=protected,
            stats=stats_read,
            write_report=write_xlsx,
        )
    if output_format is OutputFormat.json:
        typer.echo(to_json(batch_document(result)), nl=False)
    else:
        render_batch(make_console(), result, str(output) if output is not None else None)
    if output is not None:
        _save(output, lambda: _write_batch_output(result, output))
    notes = _stderr() if output_format is OutputFormat.json else make_console()
    render_written(notes, result, output)  # 已写入 …: the summary and every county report
    if result.failed or result.reports_failed:
        raise typer.Exit(int(ExitCode.DATA_ERRORS))
    if strict and any(c.summary.get("passed") is not True for c in result.counties):
        raise typer.Exit(int(ExitCode.NOT_COMPLIANT))


def _write_batch_output(result: BatchResult, output: Path) -> None:
    from junheng_cli.io.write import write_atomic, write_text_atomic
    from junheng_cli.report.batch import batch_document, ranking_frame, write_batch_xlsx
    from junheng_cli.report.json import to_json

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


def _check_output(
    output: Path,
    inputs: Inputs,
    force: bool,
    suffixes: tuple[str, ...] | None = None,
    what: str = "输出文件",
) -> None:
    """An output path that can be written: never one of the command's inputs (whatever
    --force says), not a folder, a name the system takes, and not an existing file
    without --force."""
    from junheng_cli.io.guard import exists, is_folder

    _refuse_input_as_output(output, inputs, what)
    if is_folder(output):
        _fail(f"{what} {output} 是一个已存在的文件夹：请给出文件名（如 {output / '报告.xlsx'}）")
    if suffixes is not None and output.suffix.lower() not in suffixes:
        _fail(f"{what}应为 {'、'.join(suffixes)} 文件，而不是 {output.name}")
    if exists(output) and not force:
        _fail(f"{what} {output} 已存在：加 --force 覆盖")


def _refuse_input_as_output(output: Path, inputs: Inputs, what: str = "输出文件") -> None:
    from junheng_cli.io.guard import OutputRefused, refuse_input_as_output

    try:
        refuse_input_as_output(output, inputs, what)
    except OutputRefused as exc:
        _fail(exc.message)


def _inputs(
    files: Iterable[Path] = (),
    standard: str | None = None,
    columns: Path | None = None,
    *,
    county_items: Path | None = None,
    scenario: Path | None = None,
    roster: Path | None = None,
    prefill: Path | None = None,
) -> Inputs:
    """Every file the command reads: no output may replace one of them. The standard files
    are read too (a standard given by id, the base of an ``extends``)."""
    from junheng_cli.io.guard import Inputs
    from junheng_cli.standards.files import looks_like_path

    inputs = Inputs().add_files("工作簿", *files)
    inputs.add_files("列名映射文件 --columns", columns)
    inputs.add_files("县级指标文件 --county-items", county_items)
    inputs.add_files("方案文件 --scenario", scenario)
    inputs.add_files("名册文件 --roster", roster)
    inputs.add_files("上期工作簿 --prefill", prefill)
    if standard is not None and looks_like_path(standard):
        inputs.add_files("标准文件 --standard", Path(standard).expanduser())
    return inputs.add_files("标准文件", *_standard_files())


def _standard_files() -> list[Path]:
    """The files of the folders a standard is looked up in (an id, an ``extends`` base)."""
    from junheng_cli.standards.files import STANDARD_SUFFIXES, search_dirs

    return [
        path
        for folder in search_dirs()
        for path in folder.path.iterdir()
        if path.suffix.lower() in STANDARD_SUFFIXES
    ]


def _prepare_reports_dir(folder: Path) -> None:
    """The folder for the county reports: created when missing; an existing file is refused."""
    from junheng_cli.io.guard import OutputRefused, check_output_folder

    try:
        check_output_folder(folder, "--reports-dir 报告文件夹")
    except OutputRefused as exc:
        _fail(exc.message)
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        _fail(f"无法创建报告文件夹 {folder}：{exc.strerror or exc}")


@app.command("standards")
def list_standards(
    output_format: Annotated[
        OutputFormat, typer.Option("--format", "-f", help="table 或 json")
    ] = OutputFormat.table,
) -> None:
    """列出可用的评估标准、查找顺序和每个标准的来源。"""
    from junheng_cli.report.json import standards_document, to_json
    from junheng_cli.report.terminal.evaluation import make_console, render_standards
    from junheng_cli.standards.model import list_standards as find

    listed = find()
    if not listed:
        _fail("没有找到任何标准文件（内置标准缺失：安装包可能不完整）")
    if output_format is OutputFormat.json:
        typer.echo(to_json(standards_document(listed)))
    else:
        render_standards(make_console(), listed)
    if any(isinstance(entry.loaded, Exception) for entry in listed):
        raise typer.Exit(int(ExitCode.CANNOT_RUN))


def _output_format(
    chosen: OutputFormat | None, output: Path | None, inputs: Inputs, force: bool
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
        _check_output(output, inputs, force)
    return chosen


def _write_report(
    result: Evaluation,
    output_format: OutputFormat,
    output: Path,
    inputs: list[Path],
    lang: str,
    table: SchoolTable | None = None,
) -> None:
    from junheng_cli.io.write import write_text_atomic
    from junheng_cli.report.json import evaluation_document, to_json

    if output_format is OutputFormat.json:
        document = _with_import(evaluation_document(result, lang), table)
        write_text_atomic(output, to_json(document))
    elif output_format is OutputFormat.csv:
        from junheng_cli.report.csv import write_csv

        write_csv(result, output)
    elif output_format is OutputFormat.html:
        from junheng_cli.report.html import write_html

        write_html(result, output)
    else:
        from junheng_cli.report.xlsx.evaluation import write_xlsx

        write_xlsx(result, output, inputs)


def _load_standard(ref: str) -> Standard:
    from junheng_cli.standards.model import StandardError, load_resolved

    try:
        standard, note = load_resolved(ref)
    except StandardError as exc:
        _fail(str(exc))
    if note:
        _stderr().print(f"[yellow]注意[/]：{note}", highlight=False, soft_wrap=True)
    return standard


def _read_options(
    sheets: list[str] | None, header_rows: str | None, columns: Path | None
) -> ReadOptions:
    from junheng_cli.io.headers import HeaderLookup, MappingError, load_mapping
    from junheng_cli.io.sheet_table import ReadOptions, parse_header_rows

    try:
        header = parse_header_rows(header_rows) if header_rows else None
    except ValueError as exc:
        _fail(f"--header-rows：{exc}")
    try:
        lookup = HeaderLookup(load_mapping(columns) if columns else None)
    except MappingError as exc:
        _fail(str(exc))
    return ReadOptions(sheets=tuple(sheets or ()), header=header, lookup=lookup)


def _read_and_validate(
    files: list[Path],
    spec: Standard,
    options: ReadOptions,
    stats: StatsChoice | None = None,
    failed_import: Callable[[StatsImport], None] | None = None,
) -> ValidatedTable:
    """``failed_import``: called with the statistics import when a workbook of the county
    could not be imported, before the exit (the JSON document of ``--format json``)."""
    from junheng_cli.compute.validate import validate as check
    from junheng_cli.io.read import ReadError
    from junheng_cli.io.sheet_table import read_school_table

    if stats is not None and stats.applies(files):
        return check(_stats_table(files, stats, failed_import), spec)
    try:
        table = read_school_table(files, options)
    except ReadError as exc:
        _fail(str(exc))
    return check(table, spec)


def _check_annotation_targets(
    annotate: Path, files: list[Path], inputs: Inputs, force: bool
) -> None:
    """``--annotate`` and every copy it stands for (one per input file)."""
    from junheng_cli.io.guard import is_folder

    if is_folder(annotate):
        _fail(
            f"标注副本 {annotate} 是一个已存在的文件夹，不是文件：请给出 .xlsx 文件名"
            f"（如 {annotate / '标注.xlsx'}）"
        )
    if annotate.suffix.lower() != ".xlsx":
        _fail(f"标注副本应为 .xlsx 文件，而不是 {annotate.name}")
    for target in _annotation_targets(annotate, files).values():
        _check_output(target, inputs, force, (".xlsx",), "标注副本")


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
if TYPE_CHECKING:
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


@app.command()
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
    inputs = _inputs((), standard, columns, prefill=prefill)
    if prefill is None:
        _write_blank_template(output, spec, rows, force, inputs)
    else:
        options = _read_options(sheet, header_rows, columns)
        _write_prefilled(output, spec, prefill, rows, force, options, inputs)


def _write_blank_template(
    output: Path, spec: Standard | None, rows: int, force: bool, inputs: Inputs
) -> None:
    from junheng_cli.report.terminal.evaluation import make_console
    from junheng_cli.report.xlsx.template import write_template
    from junheng_cli.workflows.template import build_template

    _check_output(output, inputs, force, (".xlsx",))
    built = build_template(spec, rows)
    _save(output, lambda: write_template(built, output))
    what = f"《{spec.name}》所需的" if spec else "全部"
    make_console().print(f"已写入 {output}：{what} {len(built.columns)} 列，另有“填表说明”工作表")


def _write_prefilled(
    folder: Path,
    spec: Standard | None,
    last_file: Path,
    rows: int,
    force: bool,
    options: ReadOptions,
    inputs: Inputs,
) -> None:
    from junheng_cli.io.guard import exists
    from junheng_cli.io.read import ReadError
    from junheng_cli.report.terminal.evaluation import make_console
    from junheng_cli.report.xlsx.template import write_templates
    from junheng_cli.workflows.template import prefilled_templates, read_last_period

    _refuse_input_as_output(folder, inputs, "输出文件夹")
    if folder.suffix.lower() in (".xlsx", ".xls", ".xlsm") or folder.is_file():
        _fail(f"--prefill 时 --output 应为文件夹（每校写一个文件），而不是 {folder}")
    try:
        last = read_last_period(last_file, spec, options)
    except ReadError as exc:
        _fail(str(exc))
    console = make_console()
    _report_last_period(console, last)
    files = prefilled_templates(last, spec, rows)
    targets = [(folder / name, built) for name, built in files]
    for path, _ in targets:
        _refuse_input_as_output(path, inputs, "预填文件")
    taken = [str(path) for path, _ in targets if exists(path)]
    if taken and not force:
        shown = "、".join(taken[:3]) + (f" 等 {len(taken)} 个" if len(taken) > 3 else "")
        _fail(f"文件已存在：{shown}；加 --force 覆盖")
    try:
        with _progress(False, len(targets), "写预填文件") as advance:
            write_templates(targets, advance)
    except OSError as exc:
        _fail(f"无法写入 {folder}：{exc.strerror or exc}")
    console.print(
        f"已写入 {len(targets)} 个预填文件到 {folder}（每校一个，文件名：学校标识码_学校名称）"
    )


def _report_last_period(console: Console, last: LastPeriod) -> None:
    """What ``validate`` would show of last period's workbook; stops when one file per school
    cannot be written (a school without a name, the same school twice, a missing column)."""
    from junheng_cli.compute.evaluate import sheet_infos
    from junheng_cli.report.terminal.evaluation import render_findings, render_sources

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


@app.command()
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
    from junheng_cli.io.read import ReadError
    from junheng_cli.report.terminal.collect import render_collection
    from junheng_cli.report.terminal.evaluation import make_console
    from junheng_cli.report.xlsx.template import write_collection
    from junheng_cli.workflows.collect import collect as run_collect

    if not folder.is_dir():
        _fail(f"{folder} 不是文件夹：请给出各校交回文件所在的文件夹")
    spec = _load_standard(standard) if standard else None
    inputs = _inputs((), standard, columns, roster=roster)
    _check_output(output, _with_returns(inputs, folder, output, roster), force, (".xlsx",))
    if roster is not None and not roster.is_file():
        _fail(f"名册文件 {roster} 不存在")
    options = _read_options(sheet, header_rows, columns)
    try:
        result = run_collect(folder, spec, roster, options, output)
    except ReadError as exc:
        _fail(f"无法读取名册：{exc}")
    if result.workbooks == 0:
        _fail(f"文件夹 {folder} 中没有工作簿（.xlsx .xlsm .xls .ods .csv）")
    _save(output, lambda: write_collection(result, output))
    render_collection(make_console(), result, output)
    if result.needs_attention:
        raise typer.Exit(int(ExitCode.DATA_ERRORS))


def _with_returns(inputs: Inputs, folder: Path, output: Path, roster: Path | None) -> Inputs:
    """The returned files to be merged are inputs too: the output may replace none of them
    (only a merged workbook an earlier run wrote there, which is not read as a return)."""
    from junheng_cli.workflows.collect import files_to_collect

    _refuse_input_as_output(output, inputs)  # a name too long is refused before it is looked at
    return inputs.add_files("回收文件", *files_to_collect(folder, output, roster))


# --- issue 7: compare (command `compare`) ---
if TYPE_CHECKING:
    from junheng_cli.workflows.compare import Comparison


class CompareFormat(StrEnum):
    table = "table"
    json = "json"


FIRST_ERRORS = 10  # a period with data errors: how many of them to show
ORDER_TOLERANCE = 3600  # seconds: periods' files modified backwards by more get a warning


@app.command()
def compare(
    files: Annotated[
        list[Path],
        typer.Argument(help="各期的学校情况工作簿，按时间由早到晚，每期一个文件（至少两期）"),
    ],
    standard: StandardOption = "basic-2012",
    labels: Annotated[
        str | None,
        typer.Option("--labels", help="各期名称，逗号分隔，如 2026Q1,2026Q2；默认用文件名"),
    ] = None,
    output_format: Annotated[
        CompareFormat, typer.Option("--format", "-f", help="table：终端表格；json：机器可读")
    ] = CompareFormat.table,
    output: Annotated[
        Path | None,
        typer.Option("--output", "-o", help="另把对比写入文件：.xlsx（含趋势图）或 .json"),
    ] = None,
    force: Annotated[bool, typer.Option("--force", help="覆盖已存在的输出文件")] = False,
    sheet: SheetOption = None,
    header_rows: HeaderRowsOption = None,
    columns: ColumnsOption = None,
    lang: LangOption = Lang.zh,
    input_kind: InputKindOption = InputKind.auto,
    forms: FormsOption = None,
) -> None:
    """比较各期（季度、月份）的评估结果（每期也可是一个统计报表文件夹）：差异系数的变化、新达标和新未达标的学校、
    各校指标值和差距的变化、新增和减少的学校。

    退出码：0 已比较；1 某期数据有错误（不比较）；2 无法运行。
    """
    from junheng_cli.report.compare import comparison_json, render_comparison
    from junheng_cli.report.terminal.evaluation import make_console
    from junheng_cli.workflows.compare import CompareError
    from junheng_cli.workflows.compare import compare as build_comparison

    if len(files) < 2:
        _fail("比较至少需要两期数据：每期一个工作簿，按时间由早到晚给出")
    _refuse_repeated_periods(files)
    names = _period_labels(files, labels)
    if output is not None:
        _check_output(output, _inputs(files, standard, columns), force, (".xlsx", ".json"))
    spec = _load_standard(standard)
    options = _read_options(sheet, header_rows, columns)
    console = make_console() if output_format is CompareFormat.table else _stderr()
    stats = StatsChoice(input_kind, forms)
    _warn_if_out_of_order(console, files)
    periods = [
        (name, _evaluate_period(n, name, file, spec, options, console, lang.value, stats))
        for n, (name, file) in enumerate(zip(names, files, strict=True), start=1)
    ]
    try:
        comparison = build_comparison(periods)
    except CompareError as exc:
        _fail(str(exc))
    if output_format is CompareFormat.json:
        typer.echo(comparison_json(comparison), nl=False)
    else:
        render_comparison(console, comparison)
    if output is not None:
        _save(output, lambda: _write_comparison(comparison, output))
        console.print(f"已写入 {output}")


def _refuse_repeated_periods(files: list[Path]) -> None:
    """One file given for two periods (the same path, or a byte-identical copy under another
    name) would compare a period with itself and report no progress: exit 2."""
    from junheng_cli.report.xlsx.evaluation import sha256_of

    seen: dict[object, tuple[int, Path]] = {}
    for number, file in enumerate(files, start=1):
        if not file.is_file():
            continue  # reported when the period is read
        for key, why in ((file.resolve(), "是同一个文件"), (sha256_of(file), "内容完全相同")):
            if key in seen:
                first, earlier = seen[key]
                _fail(
                    f"第 {first} 期（{earlier}）与第 {number} 期（{file}）{why}：同一期数据不能"
                    "比较两次。请给出各期各自的工作簿，按时间由早到晚排列"
                )
            seen[key] = (number, file)


def _warn_if_out_of_order(console: Console, files: list[Path]) -> None:
    """Periods are taken oldest first; files modified in the reverse order are worth a word
    (not an error: a copied file gets a new modification time). Files written within
    ``ORDER_TOLERANCE`` of each other (generated or copied together) say nothing about it."""
    from datetime import datetime

    from rich.markup import escape

    present = [f for f in files if f.is_file()]
    times = [f.stat().st_mtime for f in present]
    for k in range(1, len(present)):
        if times[k] < times[k - 1] - ORDER_TOLERANCE:
            before, after = (
                datetime.fromtimestamp(t).strftime("%Y-%m-%d %H:%M") for t in times[k - 1 : k + 1]
            )
            console.print(
                f"[yellow]提醒：{escape(str(present[k]))}（修改于 {after}）比它前一期的 "
                f"{escape(str(present[k - 1]))}（修改于 {before}）更早。各期应按时间由早到晚"
                "给出；顺序颠倒时“新达标”与“新未达标”会互换。若文件是复制来的，可忽略此提醒。[/]",
                highlight=False,
                soft_wrap=True,
            )


def _period_labels(files: list[Path], labels: str | None) -> list[str]:
    """--labels, or the file names; two files of one name are told apart by their folders."""
    if labels is not None:
        names = [part.strip() for part in labels.replace("，", ",").split(",")]
        if len(names) != len(files) or not all(names):
            _fail(f"--labels 给了 {len(names)} 个名称，而有 {len(files)} 期：每期一个，逗号分隔")
    else:
        stems = [f.stem for f in files]
        names = [f"{f.parent.name}/{f.stem}" if stems.count(f.stem) > 1 else f.stem for f in files]
    repeated = sorted({n for n in names if names.count(n) > 1})
    if repeated:
        _fail(f"期别名称重复：{'、'.join(repeated)}。请用 --labels 给每期一个名称")
    return names


def _evaluate_period(
    number: int,
    label: str,
    file: Path,
    spec: Standard,
    options: ReadOptions,
    console: Console,
    lang: str,
    stats: StatsChoice | None = None,
) -> Evaluation:
    """Evaluate one period as ``evaluate`` does; a period with data errors stops the
    comparison (exit 1) rather than comparing half of the county."""
    from junheng_cli.compute.evaluate import DataErrors, NothingToEvaluate
    from junheng_cli.compute.evaluate import evaluate as run_evaluation
    from junheng_cli.io.read import ReadError
    from junheng_cli.model.findings import Severity
    from junheng_cli.report.terminal.evaluation import render_findings

    validated = _read_and_validate([file], spec, options, stats)
    try:
        return run_evaluation(validated, spec)
    except (ReadError, NothingToEvaluate) as exc:
        _fail(f"第 {number} 期（{label}，{file}）：{exc}")
    except DataErrors as exc:
        shown = _shown(exc.findings, validated.table)
        errors = [f for f in shown if f.severity is Severity.ERROR]
        render_findings(console, errors[:FIRST_ERRORS], lang)
        shown = f"以上是前 {FIRST_ERRORS} 个" if len(errors) > FIRST_ERRORS else "见上表"
        console.print(
            f"[bold red]第 {number} 期（{label}，{file}）数据有错误 {len(errors)} 个（{shown}），"
            f"未做比较。[/]请先用 junheng validate {file} --standard {spec.id} 检查并改正。",
            soft_wrap=True,
        )
        raise typer.Exit(int(ExitCode.DATA_ERRORS)) from None


def _write_comparison(comparison: Comparison, output: Path) -> None:
    from junheng_cli.io.write import write_text_atomic
    from junheng_cli.report.compare import comparison_json, write_comparison_xlsx

    if output.suffix.lower() == ".json":
        write_text_atomic(output, comparison_json(comparison))
    else:
        write_comparison_xlsx(comparison, output)


# --- issue 7: plan (command `plan`) ---
if TYPE_CHECKING:
    from junheng_cli.workflows.plan.core import Plan, ScenarioOutcome, Transfers
    from junheng_cli.workflows.scenario.core import Scenario

PLAN_SUFFIXES = (".xlsx", ".json")
SCENARIO_SUFFIXES = (".yaml", ".yml")


@app.command()
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
    --transfers 教师交流轮岗建议。

    退出码：0 已计算；1 数据有错误；2 无法运行（含方案文件有误）；3 变化后仍未达标（仅 --strict）。
    """
    from junheng_cli.compute.evaluate import DataErrors, NothingToEvaluate
    from junheng_cli.compute.evaluate import evaluate as run_evaluation
    from junheng_cli.report.terminal.evaluation import make_console, render_findings
    from junheng_cli.workflows.plan.core import (
        TransferRule,
        make_plan,
        run_scenario,
        suggest_transfers,
    )
    from junheng_cli.workflows.scenario.core import ScenarioError, load_scenario

    if output_format not in (OutputFormat.table, OutputFormat.json):
        _fail("--format 只能是 table 或 json；写 xlsx 请用 --output 文件名.xlsx")
    inputs = _inputs(files, standard, columns, scenario=scenario)
    _check_plan_options(inputs, scenario, transfers, save_plan, output, force)
    if full and (scenario is not None or transfers):
        _fail("--full 用于计算补短板方案，不能与 --scenario 或 --transfers 同时使用")
    if allow_rural_to_urban and not transfers:
        _fail("--allow-rural-to-urban 只用于 --transfers（交流轮岗建议）")
    spec = _load_standard(standard)
    changes = None
    if scenario is not None:
        try:
            changes = load_scenario(scenario)
        except ScenarioError as exc:
            _fail(str(exc))
    validated = _read_and_validate(files, spec, _read_options(sheet, header_rows, columns))
    console = make_console()
    try:
        before = run_evaluation(validated, spec)
    except NothingToEvaluate as exc:
        _fail(exc.message)
    except DataErrors as exc:
        render_findings(console, exc.findings)
        console.print("[bold red]数据有错误，无法计算方案。[/]改正后重试。")
        raise typer.Exit(int(ExitCode.DATA_ERRORS)) from None
    if changes is not None and scenario is not None:
        if changes.standard and changes.standard != spec.id:
            _stderr().print(
                f"[yellow]注意：方案文件 {scenario} 是按标准 {changes.standard} 写的，"
                f"本次按 {spec.id} 评估[/]"
            )
        try:
            outcome = run_scenario(validated, spec, changes, before, f"方案文件 {scenario}")
        except ScenarioError as exc:
            _fail(str(exc))
        _show_scenario(outcome, output_format, output)
        passed = outcome.after.passed
    elif transfers:
        rule = TransferRule(allow_rural_to_urban)
        found = suggest_transfers(validated, spec, before, max_moves, rule)
        _show_transfers(found, output_format, output)
        _save_scenario(found.scenario, save_plan, files)
        passed = found.outcome.after.passed if found.outcome else before.passed
    else:
        computed = make_plan(validated, spec, before, full)
        _show_plan(computed, output_format, output)
        _save_scenario(computed.scenario, save_plan, files)
        passed = computed.outcome.after.passed
    if strict and passed is not True:
        raise typer.Exit(int(ExitCode.NOT_COMPLIANT))


def _check_plan_options(
    inputs: Inputs,
    scenario: Path | None,
    transfers: bool,
    save_plan: Path | None,
    output: Path | None,
    force: bool,
) -> None:
    from junheng_cli.io.guard import same_file

    if scenario is not None and transfers:
        _fail("--scenario 与 --transfers 不能同时使用：先试算方案，或先看交流轮岗建议")
    if scenario is not None and save_plan is not None:
        _fail("--save-plan 用于保存算出的方案或交流轮岗建议；--scenario 试算的是已有的方案文件")
    if scenario is not None and not scenario.is_file():
        _fail(f"找不到方案文件 {scenario}")
    if output is not None:
        _check_output(output, inputs, force, PLAN_SUFFIXES)
    if save_plan is not None:
        _check_output(save_plan, inputs, force, SCENARIO_SUFFIXES, "--save-plan 方案文件")
        if output is not None and same_file(output, save_plan):
            _fail("--output 与 --save-plan 不能是同一个文件")


def _plan_console(output_format: OutputFormat) -> Console:
    """Where notes go: stdout with the table, stderr when stdout carries JSON."""
    from junheng_cli.report.terminal.evaluation import make_console

    return _stderr() if output_format is OutputFormat.json else make_console()


def _emit(
    document: Callable[[], dict],
    frames: Callable[[], dict],
    render: Callable[[Console], None],
    output_format: OutputFormat,
    output: Path | None,
) -> None:
    """The result as a file (.json / .xlsx), JSON on stdout, or the terminal report."""
    from junheng_cli.io.write import write_text_atomic
    from junheng_cli.report.json import to_json
    from junheng_cli.report.plan import write_xlsx

    if output is not None:
        if output.suffix.lower() == ".json":
            _save(output, lambda: write_text_atomic(output, to_json(document())))
        else:
            _save(output, lambda: write_xlsx(frames(), output))
        _plan_console(output_format).print(f"已写入 {output}")
    elif output_format is OutputFormat.json:
        typer.echo(to_json(document()), nl=False)
    else:
        render(_plan_console(output_format))


def _show_plan(computed: Plan, output_format: OutputFormat, output: Path | None) -> None:
    from junheng_cli.report.plan import plan_document, plan_frames, render_plan

    _emit(
        lambda: plan_document(computed),
        lambda: plan_frames(computed),
        lambda console: render_plan(console, computed),
        output_format,
        output,
    )


def _show_transfers(found: Transfers, output_format: OutputFormat, output: Path | None) -> None:
    from junheng_cli.report.plan import render_transfers, transfer_frames, transfers_document

    _emit(
        lambda: transfers_document(found),
        lambda: transfer_frames(found),
        lambda console: render_transfers(console, found),
        output_format,
        output,
    )


def _show_scenario(
    outcome: ScenarioOutcome, output_format: OutputFormat, output: Path | None
) -> None:
    from junheng_cli.report.plan import render_scenario, scenario_document, scenario_frames

    _emit(
        lambda: scenario_document(outcome),
        lambda: scenario_frames(outcome),
        lambda console: render_scenario(console, outcome),
        output_format,
        output,
    )


def _save_scenario(scenario: Scenario | None, target: Path | None, files: list[Path]) -> None:
    from junheng_cli.report.plan import write_scenario_file

    if target is None:
        return
    if scenario is None:
        _stderr().print(f"无需任何变化，未写 {target}")
        return
    _save(target, lambda: write_scenario_file(scenario, target, files))
    _stderr().print(
        f"方案已写入 {target}（{len(scenario.changes)} 项变化）；复核：junheng plan "
        f"{' '.join(str(f) for f in files)} --standard {scenario.standard} --scenario {target}",
        highlight=False,
        soft_wrap=True,
    )


# --- issue 13: the statistics system's per-school exports (command `import-stats`, and
# `--input-kind stats` for evaluate, validate and compare) ---
if TYPE_CHECKING:
    from junheng_cli.io.sheet_table import SchoolTable
    from junheng_cli.io.stats.importer import StatsImport


@dataclass(frozen=True)
class StatsChoice:
    """How to tell statistics exports from a county workbook, and what to read them with."""

    kind: InputKind = InputKind.auto
    forms: Path | None = None
    supplement: Path | None = None
    evaluate_standard: str | None = None  # evaluate's --standard: a refused folder suggests batch

    def applies(self, files: list[Path]) -> bool:
        from junheng_cli.io.stats.importer import looks_like_stats

        if self.kind is not InputKind.auto:
            return self.kind is InputKind.stats
        if not any(f.is_dir() or f.suffix.lower() == ".zip" for f in files):
            return False
        if looks_like_stats(files):
            return True
        if self.evaluate_standard is not None and all(f.is_dir() for f in files):
            from junheng_cli.workflows.batch import folder_advice

            _fail(folder_advice(files, self.evaluate_standard))
        _fail(
            f"{'、'.join(str(f) for f in files)} 是文件夹或压缩包，但其中的工作簿多数不是教育统计"
            "报表：evaluate 读的是全县工作簿（给出文件），各校统计报表请用 --input-kind stats"
        )


def _stats_counties(paths: list[str], kind: InputKind) -> list[Path] | None:
    """``batch`` on statistics exports: the county folders (or .zip), or None to read county
    workbooks. A folder whose own workbooks are statistics exports is one county; any other
    folder holds the counties, one sub-folder (or .zip) each. ``auto`` reads exports only when
    every path is a folder or .zip and the first county's workbooks are mostly exports."""
    from junheng_cli.io.read import EXCEL_SUFFIXES
    from junheng_cli.io.stats.importer import is_stats_workbook, looks_like_stats

    if kind is InputKind.template:
        return None
    given = [Path(p) for p in paths]
    if not all(p.is_dir() or (p.is_file() and p.suffix.lower() == ".zip") for p in given):
        if kind is InputKind.stats:
            _fail(
                "--input-kind stats：每个县应是一个文件夹或 .zip（内为各校的统计报表），"
                "或给出放各县文件夹的文件夹"
            )
        return None
    counties: list[Path] = []
    for path in given:
        books = (
            sorted(f for f in path.iterdir() if f.is_file() and f.suffix.lower() in EXCEL_SUFFIXES)
            if path.is_dir()
            else []
        )
        if not path.is_dir() or (books and is_stats_workbook(books[0])):
            counties.append(path)
        else:
            counties += sorted(
                c
                for c in path.iterdir()
                if not c.name.startswith((".", "~$"))
                and (c.is_dir() or (c.is_file() and c.suffix.lower() == ".zip"))
            )
    if kind is InputKind.stats:
        if not counties:
            _fail(f"{'、'.join(paths)} 中没有各县的统计报表文件夹")
        return counties
    return counties if counties and looks_like_stats([counties[0]]) else None


def _check_forms(forms: Path | None) -> None:
    """A bad ``--forms`` map stops the run before any county is read (exit 2)."""
    from junheng_cli.io.stats.forms import FormError, load_maps

    try:
        load_maps(forms)
    except FormError as exc:
        _fail(str(exc))


def _import_stats(
    paths: list[Path], choice: StatsChoice, exclude: tuple[Path, ...] = ()
) -> StatsImport:
    from junheng_cli.io.read import ReadError
    from junheng_cli.io.stats.forms import FormError
    from junheng_cli.io.stats.importer import import_stats

    missing = [p for p in paths if not p.exists()]
    if missing:
        _fail(f"找不到 {'、'.join(str(p) for p in missing)}")
    if choice.supplement is not None and not choice.supplement.is_file():
        _fail(f"补充工作簿 {choice.supplement} 不存在")
    try:
        return import_stats(paths, choice.forms, choice.supplement, exclude)
    except FormError as exc:
        _fail(str(exc))
    except ReadError as exc:
        _fail(str(exc))


def _stats_table(
    files: list[Path],
    choice: StatsChoice,
    failed_import: Callable[[StatsImport], None] | None = None,
) -> SchoolTable:
    """Statistics exports read for evaluate / validate / compare: the import summary goes to
    stderr; a workbook of the county that could not be imported stops the run (exit 1)."""
    from junheng_cli.io.read import ReadError
    from junheng_cli.io.stats.importer import school_table
    from junheng_cli.report.stats import render_import

    imported = _import_stats(files, choice)
    console = _stderr()
    render_import(console, imported, brief=True)
    problems = [o for o in imported.outcomes if o.problem]
    if problems:
        console.print(
            f"[bold red]{len(problems)} 个统计报表未能导入（见上），未给出结论。[/]改正后重试，"
            "或用 junheng import-stats 写出全县工作簿再补改。",
            soft_wrap=True,
        )
        if failed_import is not None:
            failed_import(imported)
        raise typer.Exit(int(ExitCode.DATA_ERRORS))
    try:
        return school_table(imported)
    except ReadError as exc:
        _fail(str(exc))


def _with_import(document: dict[str, Any], table: SchoolTable | None) -> dict[str, Any]:
    """A JSON document of a county read from statistics exports carries the import
    (``stats_import``: counts, skipped workbooks and why, missing figures)."""
    from junheng_cli.io.stats.importer import StatsSchoolTable

    if isinstance(table, StatsSchoolTable) and table.imported is not None:
        from junheng_cli.report.stats import import_document

        document["stats_import"] = import_document(table.imported)
    return document


def _shown(findings: list[Finding], table: SchoolTable) -> list[Finding]:
    """Findings at the statistics workbooks' own sheets and cells when the table came from them."""
    from junheng_cli.io.stats.importer import relocate

    return relocate(findings, table)


@app.command("import-stats")
def import_stats_command(
    paths: Annotated[
        list[Path],
        typer.Argument(
            help="各校的教育事业统计报表：文件夹（含子文件夹）、工作簿或 .zip", metavar="路径"
        ),
    ],
    output: Annotated[
        Path, typer.Option("--output", "-o", help="写出的全县工作簿（.xlsx：学校、来源、导入情况）")
    ],
    forms: FormsOption = None,
    supplement: SupplementOption = None,
    force: Annotated[bool, typer.Option("--force", help="覆盖已存在的输出文件")] = False,
) -> None:
    """把各校的教育事业统计报表（基础基、教基各表）读成全县工作簿（模板格式），逐数注明来源。

    退出码：0 全部导入且不缺数；1 有文件跳过、缺数或与补充表不一致（工作簿照常写出）；2 无法运行。
    """
    from junheng_cli.io.stats.forms import map_files
    from junheng_cli.report.stats import render_import, write_import
    from junheng_cli.report.terminal.evaluation import make_console

    inputs = _inputs(())
    inputs.add_files("统计报表", *[f for p in paths for f in _files_under(p)])
    inputs.add_files("补充工作簿 --supplement", supplement)
    inputs.add_files("报表映射文件 --forms", *map_files(forms))
    _check_output(output, inputs, force, (".xlsx",))
    imported = _import_stats(paths, StatsChoice(InputKind.stats, forms, supplement), (output,))
    if not imported.outcomes:
        _fail(f"{'、'.join(str(p) for p in paths)} 中没有任何文件")
    _save(output, lambda: write_import(imported, output))
    render_import(make_console(), imported)
    make_console().print(f"已写入 {output}（学校、来源、导入情况）")
    if imported.needs_attention:
        raise typer.Exit(int(ExitCode.DATA_ERRORS))


def _files_under(path: Path) -> list[Path]:
    from junheng_cli.io.guard import folder_files

    return folder_files(path) if path.is_dir() else [path]


for _command in app.registered_commands:  # Chinese usage line and --help text
    _command.cls = JunhengCommand


def main() -> None:
    app()
