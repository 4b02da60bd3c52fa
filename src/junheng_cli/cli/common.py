"""What every command uses: the exit codes, an error message and exit, the files a command
reads (which no output may replace), the standard, the reading options, writing a file."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from enum import IntEnum
from pathlib import Path
from typing import TYPE_CHECKING, Any, NoReturn, ParamSpec, TypeVar

import typer

from junheng_cli.errors import JunhengError

if TYPE_CHECKING:
    from rich.console import Console

    from junheng_cli.io.guard import Inputs
    from junheng_cli.io.sheet_table import ReadOptions
    from junheng_cli.standards.model import Standard

P = ParamSpec("P")
R = TypeVar("R")


class ExitCode(IntEnum):
    OK = 0
    DATA_ERRORS = 1
    CANNOT_RUN = 2
    NOT_COMPLIANT = 3


def stderr() -> Console:
    from rich.console import Console

    return Console(stderr=True)


def fail(message: str, code: ExitCode = ExitCode.CANNOT_RUN) -> NoReturn:
    stderr().print(f"[bold red]错误[/]：{message}", highlight=False, soft_wrap=True)
    raise typer.Exit(int(code))


def call(function: Callable[P, R], *args: P.args, **kwargs: P.kwargs) -> R:
    """``function``'s result; a junheng error is the message and exit 2 (an unexpected one,
    wrapped by the API, goes on to the last-resort handler)."""
    from junheng_cli.api.errors import InternalError

    try:
        return function(*args, **kwargs)
    except InternalError:
        raise
    except JunhengError as exc:
        fail(str(exc))


def save(output: Path, write: Callable[[], None]) -> None:
    """Write a report; a folder in the way or a path that cannot be written is a message."""
    if output.is_dir():
        fail(f"{output} 是一个文件夹：请给出报告的文件名")
    try:
        write()
    except OSError as exc:
        fail(f"无法写入 {output}：{exc.strerror or exc}")


def emit_json(document: dict[str, Any], output: Path | None = None) -> None:
    """A JSON document into ``output``, or on stdout."""
    from junheng_cli.report.json import to_json
    from junheng_cli.report.output import write_json

    if output is not None:
        save(output, lambda: write_json(output, document))
    else:
        typer.echo(to_json(document), nl=False)


def inputs(
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
    from junheng_cli.api.standards import standard_files
    from junheng_cli.io.guard import Inputs
    from junheng_cli.standards.files import looks_like_path

    found = Inputs().add_files("工作簿", *files)
    found.add_files("列名映射文件 --columns", columns)
    found.add_files("县级指标文件 --county-items", county_items)
    found.add_files("方案文件 --scenario", scenario)
    found.add_files("名册文件 --roster", roster)
    found.add_files("上期工作簿 --prefill", prefill)
    if standard is not None and looks_like_path(standard):
        found.add_files("标准文件 --standard", Path(standard).expanduser())
    return found.add_files("标准文件", *standard_files())


def check_output(
    output: Path,
    read: Inputs,
    force: bool,
    suffixes: tuple[str, ...] | None = None,
    what: str = "输出文件",
) -> None:
    """Never one of the inputs (whatever --force says), not a folder, one of ``suffixes``,
    not an existing file without --force."""
    from junheng_cli.io.outputs import check_output as check

    call(check, output, read, force, suffixes, what)


def load_standard(ref: str, indicators: str | None = None) -> Standard:
    """The standard (its note, if any, on stderr); with ``--indicators`` only those."""
    from junheng_cli.api.standards import resolve_standard, select_indicators

    standard, note = call(resolve_standard, ref)
    if note:
        stderr().print(f"[yellow]注意[/]：{note}", highlight=False, soft_wrap=True)
    return call(select_indicators, standard, indicators)


def read_options(
    sheets: list[str] | None, header_rows: str | None, columns: Path | None
) -> ReadOptions:
    from junheng_cli.api.sources import read_options as options

    return call(options, sheets, header_rows, columns)


@contextmanager
def progress(quiet: bool, total: int, label: str) -> Iterator[Callable[[], None]]:
    """A progress bar on the terminal (stderr); nothing when quiet or not a terminal."""
    if quiet:
        yield lambda: None
        return
    console = stderr()
    if not console.is_terminal:
        yield lambda: None
        return
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TimeElapsedColumn

    columns = (label, BarColumn(), MofNCompleteColumn(), TimeElapsedColumn())
    with Progress(*columns, console=console, transient=True) as bar:
        task = bar.add_task(label, total=total)
        yield lambda: bar.advance(task)
