"""The ``junheng`` command line: a thin Typer layer over the library.

Heavy modules (pandas, the evaluation) are imported inside the commands, so that
``junheng --help`` and ``junheng standards`` start quickly.
"""

from __future__ import annotations

from enum import IntEnum, StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, NoReturn

import typer

from junheng_cli import __version__

if TYPE_CHECKING:
    from rich.console import Console

    from junheng_cli.standards import Standard
    from junheng_cli.validate import ValidatedTable

app = typer.Typer(
    name="junheng",
    help="junheng（均衡）：县域义务教育均衡发展指标计算——差异系数、逐校达标与差距报告。",
    no_args_is_help=True,
    add_completion=False,
    rich_markup_mode="rich",
)


class ExitCode(IntEnum):
    OK = 0
    DATA_ERRORS = 1
    CANNOT_RUN = 2
    NOT_COMPLIANT = 3


class OutputFormat(StrEnum):
    table = "table"
    json = "json"


class Lang(StrEnum):
    zh = "zh"
    en = "en"


StandardOption = Annotated[
    str,
    typer.Option("--standard", "-s", help="评估标准：standards/ 中的 id，或一个 .yaml 文件路径"),
]
SheetOption = Annotated[
    str | None, typer.Option("--sheet", help="工作表名称（默认：名为“学校”的表，否则第一个表）")
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
    file: Annotated[Path, typer.Argument(help="学校情况工作簿（.xlsx/.xls/.ods/.csv）")],
    standard: StandardOption = "basic-2012",
    output_format: Annotated[
        OutputFormat, typer.Option("--format", "-f", help="table：终端报告；json：机器可读")
    ] = OutputFormat.table,
    sheet: SheetOption = None,
    strict: Annotated[
        bool, typer.Option("--strict", help="评估完成但未达标时以退出码 3 结束")
    ] = False,
    skip_invalid: Annotated[
        bool,
        typer.Option("--skip-invalid", help="跳过有错误的行，只评估其余行（结果标注为部分结果）"),
    ] = False,
    lang: LangOption = Lang.zh,
) -> None:
    """计算差异系数并给出结论。

    退出码：0 已评估；1 数据有错误（无结论）；2 无法运行；3 已评估但未达标（仅 --strict）。
    """
    from rich.console import Console

    from junheng_cli.evaluate import DataErrors
    from junheng_cli.evaluate import evaluate as run_evaluation
    from junheng_cli.report.document import evaluation_document, findings_list, to_json
    from junheng_cli.report.terminal import render_evaluation, render_findings

    spec = _load_standard(standard)
    validated = _read_and_validate(file, spec, sheet)
    console = Console()
    try:
        result = run_evaluation(validated, spec, skip_invalid=skip_invalid)
    except DataErrors as exc:
        if output_format is OutputFormat.json:
            typer.echo(
                to_json(_error_document(spec, validated, findings_list(exc.findings, lang.value))),
                nl=False,
            )
        else:
            render_findings(console, exc.findings, lang.value)
            console.print(
                "[bold red]数据有错误，未给出结论。[/]"
                "改正后重试，或用 --skip-invalid 只评估无误的行。"
            )
        raise typer.Exit(int(ExitCode.DATA_ERRORS)) from None
    if output_format is OutputFormat.json:
        typer.echo(to_json(evaluation_document(result, lang.value)), nl=False)
    else:
        render_findings(console, result.findings, lang.value)
        render_evaluation(console, result)
    if strict and result.passed is not True:
        raise typer.Exit(int(ExitCode.NOT_COMPLIANT))


@app.command()
def validate(
    file: Annotated[Path, typer.Argument(help="学校情况工作簿（.xlsx/.xls/.ods/.csv）")],
    standard: StandardOption = "basic-2012",
    sheet: SheetOption = None,
    lang: LangOption = Lang.zh,
) -> None:
    """只读取并检查数据，不计算。退出码：0 无错误（可有警告）；1 有错误；2 无法读取。"""
    from rich.console import Console

    from junheng_cli.findings import has_errors
    from junheng_cli.report.terminal import render_findings

    spec = _load_standard(standard)
    validated = _read_and_validate(file, spec, sheet)
    console = Console()
    table = validated.table
    console.print(
        f"{table.file}［{table.sheet}］：表头在第 {table.header_row} 行，"
        f"学校行 {len(table.frame)}，空行 {len(table.blank_rows)}，合计行 {len(table.total_rows)}"
    )
    if table.ignored_headers:
        ignored = "、".join(f"{letter}列“{header}”" for letter, header in table.ignored_headers)
        console.print(f"未使用的列：{ignored}")
    if not validated.findings:
        console.print("[bold green]未发现数据问题。[/]")
        return
    render_findings(console, validated.findings, lang.value)
    if has_errors(validated.findings):
        raise typer.Exit(int(ExitCode.DATA_ERRORS))


@app.command("standards")
def list_standards() -> None:
    """列出可用的评估标准（standards/ 目录中的文件）。"""
    from rich.console import Console

    from junheng_cli.report.terminal import render_standards
    from junheng_cli.standards import list_standards as find

    found = find()
    if not found:
        _fail("没有找到任何标准文件（standards/ 目录为空或不存在）")
    render_standards(Console(), found)
    if any(isinstance(item, Exception) for _, item in found):
        raise typer.Exit(int(ExitCode.CANNOT_RUN))


def _load_standard(ref: str) -> Standard:
    from junheng_cli.standards import StandardError, load_standard

    try:
        return load_standard(ref)
    except StandardError as exc:
        _fail(str(exc))


def _read_and_validate(file: Path, spec: Standard, sheet: str | None) -> ValidatedTable:
    from junheng_cli.io.read import ReadError, read_sheet
    from junheng_cli.table import build_table
    from junheng_cli.validate import validate as check

    try:
        table = build_table(read_sheet(file, sheet))
    except ReadError as exc:
        _fail(str(exc))
    return check(table, spec)


def _error_document(
    spec: Standard, validated: ValidatedTable, issues: list[dict[str, Any]]
) -> dict[str, Any]:
    table = validated.table
    return {
        "standard": {"id": spec.id, "name": spec.name, "version": spec.version},
        "source": {"file": table.file, "sheet": table.sheet, "header_row": table.header_row},
        "junheng_version": __version__,
        "passed": None,
        "partial": False,
        "levels": [],
        "schools": [],
        "excluded": [],
        "issues": issues,
    }


def main() -> None:
    app()
