"""``junheng standards``: the standards on the search path and where each came from."""

from __future__ import annotations

from typing import Annotated

import typer

from junheng_cli.cli.common import ExitCode, fail
from junheng_cli.report.output import OutputFormat


def list_standards(
    output_format: Annotated[
        OutputFormat, typer.Option("--format", "-f", help="table 或 json")
    ] = OutputFormat.table,
) -> None:
    """列出可用的评估标准、查找顺序和每个标准的来源。"""
    from junheng_cli.report.json import standards_document, to_json
    from junheng_cli.report.terminal.common import make_console
    from junheng_cli.report.terminal.standards import render_standards
    from junheng_cli.standards.model import list_standards as find

    listed = find()
    if not listed:
        fail("没有找到任何标准文件（内置标准缺失：安装包可能不完整）")
    if output_format is OutputFormat.json:
        typer.echo(to_json(standards_document(listed)))
    else:
        render_standards(make_console(), listed)
    if any(isinstance(entry.loaded, Exception) for entry in listed):
        raise typer.Exit(int(ExitCode.CANNOT_RUN))
