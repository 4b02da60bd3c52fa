"""Reading a county for a command: workbooks, or statistics exports whose import summary goes
to stderr (and stops the run when a workbook of the county could not be imported); and the
evaluation of what was read, for a command that needs one before its own work."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, TypeVar

import typer

from junheng_cli.cli.common import ExitCode, call, fail
from junheng_cli.errors import JunhengError

if TYPE_CHECKING:
    from rich.console import Console

    from junheng_cli.api.stats import StatsChoice
    from junheng_cli.compute.validate import ValidatedTable
    from junheng_cli.io.sheet_table import ReadOptions, SchoolTable
    from junheng_cli.io.stats.result import StatsImport
    from junheng_cli.standards.model import Standard

E = TypeVar("E")


def read_and_validate(
    files: Sequence[Path],
    spec: Standard,
    options: ReadOptions,
    stats: StatsChoice | None = None,
    failed_import: Callable[[StatsImport], None] | None = None,
) -> ValidatedTable:
    """``failed_import``: called with the statistics import when a workbook of the county
    could not be imported, before the exit (the JSON document of ``--format json``)."""
    from junheng_cli.api.sources import read_workbooks, validate_table

    if stats is not None and call(stats.applies, files):
        return validate_table(stats_table(files, stats, failed_import), spec)
    return validate_table(call(read_workbooks, files, options), spec)


def stats_table(
    files: Sequence[Path],
    choice: StatsChoice,
    failed_import: Callable[[StatsImport], None] | None = None,
) -> SchoolTable:
    """Statistics exports read for evaluate / validate / compare: the import summary goes to
    stderr; a workbook of the county that could not be imported stops the run (exit 1)."""
    from junheng_cli.api.stats import StatsImportFailed, county_table, import_county
    from junheng_cli.cli.common import stderr
    from junheng_cli.report.terminal.stats import render_import

    imported = call(import_county, files, choice)
    console = stderr()
    render_import(console, imported, brief=True)
    try:
        return county_table(imported)
    except StatsImportFailed as exc:
        console.print(
            f"[bold red]{exc.problems} 个统计报表未能导入（见上），未给出结论。[/]改正后重试，"
            "或用 junheng import-stats 写出全县工作簿再补改。",
            soft_wrap=True,
        )
        if failed_import is not None:
            failed_import(imported)
        raise typer.Exit(int(ExitCode.DATA_ERRORS)) from None
    except JunhengError as exc:
        fail(str(exc))


def evaluated_or_exit(console: Console, evaluate: Callable[[], E], stopped: str) -> E:
    """What ``evaluate`` returns. Nothing to evaluate is the message and exit 2; data errors
    are listed on ``console``, then ``stopped`` (exit 1)."""
    from junheng_cli.compute.evaluate import DataErrors, NothingToEvaluate
    from junheng_cli.report.terminal.findings import render_findings

    try:
        return evaluate()
    except NothingToEvaluate as exc:
        fail(exc.message)
    except DataErrors as exc:
        render_findings(console, exc.findings)
        console.print(stopped)
        raise typer.Exit(int(ExitCode.DATA_ERRORS)) from None
