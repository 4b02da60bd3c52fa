"""The ``junheng`` command line: a thin Typer layer over the library (junheng_cli.api), one
module per command.

Heavy modules (pandas, the evaluation) are imported inside the commands, so that
``junheng --help`` and ``junheng standards`` start quickly.
"""

from __future__ import annotations

from typing import Annotated

import typer

from junheng_cli import __version__
from junheng_cli.cli.batch import batch
from junheng_cli.cli.collect import collect
from junheng_cli.cli.compare import compare
from junheng_cli.cli.evaluate import evaluate
from junheng_cli.cli.explain import explain
from junheng_cli.cli.import_stats import import_stats_command
from junheng_cli.cli.plan import plan
from junheng_cli.cli.standards import list_standards
from junheng_cli.cli.support import DEBUG_ENV, DEBUG_FLAG, JunhengCommand, JunhengGroup
from junheng_cli.cli.template import template
from junheng_cli.cli.trajectory import trajectory
from junheng_cli.cli.validate import validate

app = typer.Typer(
    name="junheng",
    cls=JunhengGroup,
    help="junheng（均衡）：县域义务教育均衡发展指标计算——差异系数、逐校达标与差距报告。",
    no_args_is_help=True,
    add_completion=False,
    rich_markup_mode="rich",
    pretty_exceptions_show_locals=False,
)


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


# in the order of `junheng --help`
for name, command in (
    (None, evaluate),
    (None, validate),
    (None, explain),
    (None, batch),
    ("standards", list_standards),
    (None, template),
    (None, collect),
    (None, compare),
    (None, plan),
    (None, trajectory),
    ("import-stats", import_stats_command),
):
    app.command(name, cls=JunhengCommand)(command)  # Chinese usage line and --help text


def main() -> None:
    app()
