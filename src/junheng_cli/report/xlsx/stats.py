"""The statistics import as the county workbook (学校, 来源, 导入情况)."""

from __future__ import annotations

from pathlib import Path

from junheng_cli.io.stats.result import StatsImport
from junheng_cli.io.write import write_plain_xlsx


def write_import(imported: StatsImport, output: Path) -> None:
    write_plain_xlsx(
        {
            "学校": imported.template_frame(),
            "来源": imported.provenance_frame(),
            "导入情况": imported.outcome_frame(),
        },
        output,
    )
