"""``junheng explain``: one school's indicator and the county's coefficient, step by step."""

from __future__ import annotations

from typing import Annotated

import typer

from junheng_cli.cli.common import call
from junheng_cli.cli.common import load_standard as _load_standard
from junheng_cli.cli.common import read_options as _read_options
from junheng_cli.cli.options import (
    ColumnsOption,
    FilesArgument,
    HeaderRowsOption,
    IndicatorsOption,
    SheetOption,
    StandardOption,
)
from junheng_cli.cli.reading import evaluated_or_exit
from junheng_cli.cli.reading import read_and_validate as _read_and_validate


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
    from junheng_cli.api.evaluation import run
    from junheng_cli.report.terminal.common import make_console
    from junheng_cli.report.terminal.explain import render_explanation

    spec = _load_standard(standard, indicators)
    validated = _read_and_validate(files, spec, _read_options(sheet, header_rows, columns))
    console = make_console()
    evaluated = evaluated_or_exit(
        console,
        lambda: run(validated, spec, partial=indicators is not None),
        "[bold red]数据有错误，无法计算。[/]",
    )
    explanation = call(evaluated.explain, school, indicator)
    render_explanation(console, explanation, spec.id)
