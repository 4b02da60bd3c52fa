"""``junheng compare``: the periods of a county side by side."""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from junheng_cli.api.stats import InputKind
from junheng_cli.cli.common import ExitCode, call, check_output, emit_json, fail, inputs, save
from junheng_cli.cli.common import load_standard as _load_standard
from junheng_cli.cli.common import read_options as _read_options
from junheng_cli.cli.common import stderr as _stderr
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
from junheng_cli.cli.reading import read_and_validate as _read_and_validate
from junheng_cli.errors import JunhengError

if TYPE_CHECKING:
    from rich.console import Console

    from junheng_cli.api.comparison import PeriodDataErrors
    from junheng_cli.api.stats import StatsChoice
    from junheng_cli.io.sheet_table import ReadOptions
    from junheng_cli.model.results import Evaluation
    from junheng_cli.standards.model import Standard


class CompareFormat(StrEnum):
    table = "table"
    json = "json"


FIRST_ERRORS = 10  # a period with data errors: how many of them to show


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
    from junheng_cli.api.comparison import compare_periods, period_labels
    from junheng_cli.api.stats import StatsChoice
    from junheng_cli.report.output import COMPARE_SUFFIXES, write_comparison
    from junheng_cli.report.terminal.common import make_console
    from junheng_cli.report.terminal.compare import render_comparison

    names = call(period_labels, files, labels)
    if output is not None:
        check_output(output, inputs(files, standard, columns), force, COMPARE_SUFFIXES)
    spec = _load_standard(standard)
    options = _read_options(sheet, header_rows, columns)
    console = make_console() if output_format is CompareFormat.table else _stderr()
    stats = StatsChoice(input_kind, forms)
    periods = evaluate_periods(console, names, files, spec, options, stats, lang.value)
    compared = call(compare_periods, periods)
    if output_format is CompareFormat.json:
        emit_json(compared.to_dict())
    else:
        render_comparison(console, compared.comparison)
    if output is not None:
        save(output, lambda: write_comparison(compared.comparison, output))
        console.print(f"已写入 {output}")


def evaluate_periods(
    console: Console,
    names: list[str],
    files: list[Path],
    spec: Standard,
    options: ReadOptions,
    stats: StatsChoice,
    lang: str,
) -> list[tuple[str, Evaluation]]:
    """Each period read, checked and evaluated in order (compare and trajectory): a period
    with data errors shows its first errors and ends the run with exit 1."""
    from junheng_cli.api.comparison import PeriodDataErrors, evaluate_period

    _warn_if_out_of_order(console, files)
    periods = []
    for number, (name, file) in enumerate(zip(names, files, strict=True), start=1):
        validated = _read_and_validate([file], spec, options, stats)
        try:
            periods.append((name, evaluate_period(number, name, file, validated, spec)))
        except PeriodDataErrors as exc:
            _show_period_errors(console, exc, spec, lang)
            raise typer.Exit(int(ExitCode.DATA_ERRORS)) from None
        except JunhengError as exc:  # the period cannot be read or has nothing to evaluate
            fail(str(exc))
    return periods


def _show_period_errors(console: Console, exc: PeriodDataErrors, spec: Standard, lang: str) -> None:
    from junheng_cli.model.findings import Severity
    from junheng_cli.report.terminal.findings import render_findings

    errors = [f for f in exc.findings if f.severity is Severity.ERROR]
    render_findings(console, errors[:FIRST_ERRORS], lang)
    shown = f"以上是前 {FIRST_ERRORS} 个" if len(errors) > FIRST_ERRORS else "见上表"
    console.print(
        f"[bold red]第 {exc.number} 期（{exc.label}，{exc.source}）数据有错误 {len(errors)} 个"
        f"（{shown}），未做比较。[/]请先用 junheng validate {exc.source} --standard {spec.id} "
        "检查并改正。",
        soft_wrap=True,
    )


def _warn_if_out_of_order(console: Console, files: list[Path]) -> None:
    """Files modified in the reverse order of the periods: a word (not an error)."""
    from datetime import datetime

    from rich.markup import escape

    from junheng_cli.workflows.periods import out_of_order

    for found in out_of_order(files):
        before, after = (
            datetime.fromtimestamp(t).strftime("%Y-%m-%d %H:%M")
            for t in (found.earlier_time, found.later_time)
        )
        console.print(
            f"[yellow]提醒：{escape(str(found.later))}（修改于 {after}）比它前一期的 "
            f"{escape(str(found.earlier))}（修改于 {before}）更早。各期应按时间由早到晚"
            "给出；顺序颠倒时“新达标”与“新未达标”会互换。若文件是复制来的，可忽略此提醒。[/]",
            highlight=False,
            soft_wrap=True,
        )
