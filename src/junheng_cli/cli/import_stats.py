"""``junheng import-stats``: the schools' statistics exports as one county workbook."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from junheng_cli.api.stats import InputKind
from junheng_cli.cli.common import ExitCode, call, check_output, fail, inputs, save
from junheng_cli.cli.options import FormsOption, SupplementOption


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
    from junheng_cli.api.stats import StatsChoice, import_county
    from junheng_cli.io.stats.forms import map_files
    from junheng_cli.report.terminal.common import make_console
    from junheng_cli.report.terminal.stats import render_import
    from junheng_cli.report.xlsx.stats import write_import

    read = inputs(())
    read.add_files("统计报表", *[f for p in paths for f in _files_under(p)])
    read.add_files("补充工作簿 --supplement", supplement)
    read.add_files("报表映射文件 --forms", *map_files(forms))
    check_output(output, read, force, (".xlsx",))
    choice = StatsChoice(InputKind.stats, forms, supplement)
    imported = call(import_county, paths, choice, (output,))
    if not imported.outcomes:
        fail(f"{'、'.join(str(p) for p in paths)} 中没有任何文件")
    save(output, lambda: write_import(imported, output))
    render_import(make_console(), imported)
    make_console().print(f"已写入 {output}（学校、来源、导入情况）")
    if imported.needs_attention:
        raise typer.Exit(int(ExitCode.DATA_ERRORS))


def _files_under(path: Path) -> list[Path]:
    from junheng_cli.io.guard import folder_files

    return folder_files(path) if path.is_dir() else [path]
