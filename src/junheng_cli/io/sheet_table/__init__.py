"""From sheets' raw cells to one canonical school table.

Finds the header (title rows above it, two- or three-row headers with merged group cells),
maps headers onto canonical columns, and sorts every data row into exactly one place: a
school row, a blank row, or a total row (合计/小计/总计). Several sheets and files are
combined; every row keeps its origin. Cells stay as read; converting and checking values
is ``validate``'s job.

- ``files``: which sheets of each workbook to read, and the rows of all of them combined;
- ``header``: where a sheet's header is and which column each header names;
- ``rows``: each data row sorted into school, blank, total or note rows;
- ``tables``: ``SheetTable`` and ``SchoolTable``, and the columns that keep a row's origin.
"""

from __future__ import annotations

from junheng_cli.io.sheet_table.files import ReadOptions, combine, read_school_table
from junheng_cli.io.sheet_table.header import parse_header_rows
from junheng_cli.io.sheet_table.rows import build_sheet_table
from junheng_cli.io.sheet_table.tables import (
    GROUP,
    ROW,
    ROWS_PER_SOURCE,
    SOURCE,
    TOTAL_ROW,
    SchoolTable,
    SheetTable,
    SourceColumn,
    row_keys,
)

__all__ = [
    "GROUP",
    "ROW",
    "ROWS_PER_SOURCE",
    "SOURCE",
    "TOTAL_ROW",
    "ReadOptions",
    "SchoolTable",
    "SheetTable",
    "SourceColumn",
    "build_sheet_table",
    "combine",
    "parse_header_rows",
    "read_school_table",
    "row_keys",
]
