"""Where each evaluated row came from: its file, sheet and row."""

from __future__ import annotations

import pandas as pd

from junheng_cli.io.sheet_table.tables import ROW, SOURCE, SchoolTable
from junheng_cli.model.sources import Origin, SheetInfo


def sheet_infos(table: SchoolTable) -> list[SheetInfo]:
    return [
        SheetInfo(s.file, s.sheet, s.header.excel_rows, s.rows_read, s.ignored_headers)
        for s in table.sheets
    ]


def origin_of(table: SchoolTable, source: int, row: int) -> Origin:
    sheet = table.sheets[int(source)]
    return Origin(sheet.file, sheet.sheet, int(row))


def origins_of(table: SchoolTable, units: pd.DataFrame) -> list[Origin]:
    """The origin of each level unit, in unit order."""
    return [origin_of(table, s, r) for s, r in zip(units[SOURCE], units[ROW], strict=True)]
