"""``junheng evaluate``: the coefficients and the verdict."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from junheng_cli.api.stats import InputKind
from junheng_cli.cli.common import ExitCode, call, check_output, emit_json, fail, inputs, save
from junheng_cli.cli.common import load_standard as _load_standard
from junheng_cli.cli.common import read_options as _read_options
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
from junheng_cli.errors import JunhengError
from junheng_cli.report.output import OutputFormat

if TYPE_CHECKING:
    from rich.console import Console

    from junheng_cli.compute.validate import ValidatedTable
    from junheng_cli.io.stats.result import StatsImport
    from junheng_cli.model.findings import Finding
    from junheng_cli.standards.model import Standard


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
    from junheng_cli.api.evaluation import check_county_items_apply, run
    from junheng_cli.api.stats import StatsChoice
    from junheng_cli.compute.evaluate import DataErrors
    from junheng_cli.compute.origins import sheet_infos
    from junheng_cli.report.output import report_format, write_evaluation
    from junheng_cli.report.terminal.common import make_console
    from junheng_cli.report.terminal.evaluation import render_evaluation, render_sources
    from junheng_cli.report.terminal.findings import render_findings
    from junheng_cli.report.validation_json import data_errors_document, failed_import_document

    read = inputs(files, standard, columns, county_items=county_items)
    output_format = call(report_format, output_format, output)
    if output is not None:
        check_output(output, read, force)
    spec = _load_standard(standard, indicators)
    call(check_county_items_apply, spec, county_items is not None)
    stats = StatsChoice(input_kind, forms, supplement, evaluate_standard=standard)
    options = _read_options(sheet, header_rows, columns)

    def failed_import(imported: StatsImport) -> None:  # --format json: the document anyway
        if output_format is OutputFormat.json:
            emit_json(failed_import_document("evaluation", spec, imported, lang.value), output)

    validated = _read_and_validate(files, spec, options, stats, failed_import)
    console = make_console()
    try:
        evaluated = run(
            validated,
            spec,
            skip_invalid=skip_invalid,
            county_items=county_items,
            partial=indicators is not None,
            lang=lang.value,
            files=files,
        )
    except DataErrors as exc:
        evaluable = evaluable_of(validated, spec, exc.findings, indicators)
        if output_format is OutputFormat.json:
            document = data_errors_document(spec, validated, exc.findings, lang.value, evaluable)
            emit_json(document, output)
        else:
            render_sources(console, sheet_infos(validated.table))
            render_findings(console, exc.findings, lang.value)
            advice = (
                "没有无误的学校行可以评估。"
                if skip_invalid
                else "改正后重试，或用 --skip-invalid 只评估无误的行。"
            )
            console.print(f"[bold red]数据有错误，未给出结论。[/]{advice}")
            print_evaluable(console, spec, evaluable)
        raise typer.Exit(int(ExitCode.DATA_ERRORS)) from None
    except JunhengError as exc:  # a county-item file that cannot be read, nothing to evaluate
        fail(str(exc))
    result = evaluated.evaluation
    if output is not None:
        table = evaluated.validated.table
        save(
            output,
            lambda: write_evaluation(result, output_format, output, files, lang.value, table),
        )
        console.print(f"已写入 {output}（{output_format.value}）")
    elif output_format is OutputFormat.json:
        emit_json(evaluated.to_dict())
    else:
        render_evaluation(console, result, detail=detail, findings_lang=lang.value)
    if strict and (result.passed is not True or result.partial):
        raise typer.Exit(int(ExitCode.NOT_COMPLIANT))


def evaluable_of(
    validated: ValidatedTable, spec: Standard, findings: list[Finding], indicators: str | None
) -> list[str] | None:
    """With columns missing and no --indicators: the indicators that could be evaluated."""
    from junheng_cli.api.evaluation import evaluable

    return evaluable(validated, spec, findings, indicators is not None)


def print_evaluable(console: Console, spec: Standard, evaluable: list[str] | None) -> None:
    if evaluable is None:
        return
    if not evaluable:
        console.print("缺少列，且没有一项指标的列是齐全的。")
        return
    names = {i.id: i.label for i in spec.indicators}
    listed = "、".join(f"{names[i]}（{i}）" for i in evaluable)
    console.print(
        f"缺少部分指标的列。这 {len(evaluable)} 项指标的列是齐全的：{listed}；"
        f"可用 --indicators {','.join(evaluable)} 只评估它们（部分结果，不给总体结论）。"
    )
