"""What every terminal report is made of: the console, titled tables, verdicts and numbers.
Rounds for display only."""

from __future__ import annotations

from rich.console import Console
from rich.table import Table

from junheng_cli.report.wording import FAILED, PASSED, UNDECIDED

CV_DECIMALS = 4
PIPED_WIDTH = 120  # when the report goes to a file or a pipe, not a terminal
PASS = f"[bold green]{PASSED}[/]"
FAIL = f"[bold red]{FAILED}[/]"
UNKNOWN = f"[yellow]{UNDECIDED}[/]"
NOT_GIVEN = "[dim]未提供[/]"


def titled_table(title: str, **options: object) -> Table:
    """A table whose title sits on the left in bold, as every report table here."""
    return Table(title=title, title_justify="left", title_style="bold", **options)  # type: ignore[arg-type]


def make_console() -> Console:
    """A console for reports: the terminal's width, or a comfortable fixed width when piped."""
    console = Console(soft_wrap=True)
    if not console.is_terminal:
        console = Console(width=PIPED_WIDTH, soft_wrap=True)
    return console


def verdict(passed: bool | None) -> str:
    return UNKNOWN if passed is None else PASS if passed else FAIL


def number(value: float | None, decimals: int) -> str:
    return "—" if value is None else f"{value:,.{decimals}f}"


def figure(value: float | None) -> str:
    """A figure as counted: whole numbers (teachers, rooms, ㎡, 元) without decimals."""
    if value is None:
        return "—"
    return f"{value:,.0f}" if float(value).is_integer() else f"{value:,.2f}"
