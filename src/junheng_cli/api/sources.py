"""What the API accepts as a county: workbook paths, or a pandas DataFrame with the template's
Chinese headers or the canonical column names; county items as a dict.

A DataFrame is read as one sheet named ``DataFrame`` of a file named ``DataFrame``: a finding's
``row`` is the DataFrame's index label (``df.loc[row]``) when the index holds distinct whole
numbers ≥ 0, its position otherwise; ``column`` is the column's letter by position (A is the
first) and ``header`` the DataFrame's column name.
"""

from __future__ import annotations

import os
from collections.abc import Mapping, Sequence
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from junheng_cli.api.errors import InputError
from junheng_cli.api.stats import StatsChoice, county_table, import_county

if TYPE_CHECKING:
    import pandas as pd

    from junheng_cli.compute.validate import ValidatedTable
    from junheng_cli.io.cells import Sheet
    from junheng_cli.io.headers import HeaderLookup
    from junheng_cli.io.sheet_table import ReadOptions, SchoolTable, SheetTable
    from junheng_cli.model.fields import Column
    from junheng_cli.standards.model import Standard

PathLike = str | os.PathLike[str]
FRAME = "DataFrame"  # the file and sheet name findings carry for a DataFrame


def is_frame(source: object) -> bool:
    if not hasattr(source, "columns") or not hasattr(source, "index"):
        return False
    import pandas as pd

    return isinstance(source, pd.DataFrame)


def as_paths(source: Any) -> list[Path]:
    """One path or several, as ``Path`` objects."""
    if isinstance(source, str | os.PathLike):
        return [Path(source)]
    if (
        isinstance(source, Sequence)
        and source
        and all(isinstance(s, str | os.PathLike) for s in source)
    ):
        return [Path(s) for s in source]
    raise InputError(
        f"无法读取 {type(source).__name__}：请给出工作簿路径（一个或多个）或 pandas DataFrame"
    )


def read_options(
    sheet: Sequence[str] | str | None = None,
    header_rows: str | None = None,
    columns: PathLike | Mapping[str, str] | None = None,
) -> ReadOptions:
    """How to read the workbooks: which sheets, where the header is, extra header mappings
    (a YAML file or a dict ``表头文字: 字段名``)."""
    from junheng_cli.io.headers import HeaderLookup
    from junheng_cli.io.sheet_table import ReadOptions, parse_header_rows

    try:
        header = parse_header_rows(header_rows) if header_rows else None
    except ValueError as exc:
        raise InputError(f"--header-rows：{exc}") from exc
    sheets = (sheet,) if isinstance(sheet, str) else tuple(sheet or ())
    return ReadOptions(sheets=sheets, header=header, lookup=HeaderLookup(user_mapping(columns)))


def user_mapping(columns: PathLike | Mapping[str, str] | None) -> dict[str, Column] | None:
    """``--columns``: a YAML file, or a dict ``表头文字: 字段名``."""
    from junheng_cli.io.headers import column_by_name, load_mapping

    if columns is None:
        return None
    if not isinstance(columns, Mapping):
        return load_mapping(Path(columns))
    mapping = {}
    for header, name in columns.items():
        column = column_by_name(str(name))
        if column is None:
            raise InputError(f"表头 {header!r} 对应的字段 {name!r} 不存在")
        mapping[str(header)] = column
    return mapping


def read_workbooks(files: Sequence[Path], options: ReadOptions) -> SchoolTable:
    from junheng_cli.io.sheet_table import read_school_table

    return read_school_table(list(files), options)


def read_table(
    source: Any,
    options: ReadOptions,
    stats: StatsChoice | None = None,
    mapping: dict[str, Column] | None = None,
) -> SchoolTable:
    """The county's school table from workbooks, statistics exports or a DataFrame
    (``mapping``: the user's header mapping, for a DataFrame)."""
    if is_frame(source):
        return frame_table(source, mapping)
    files = as_paths(source)
    if stats is not None and stats.applies(files):
        return county_table(import_county(files, stats))
    return read_workbooks(files, options)


def validate_table(table: SchoolTable, standard: Standard) -> ValidatedTable:
    from junheng_cli.compute.validate import validate

    return validate(table, standard)


def shown(validated: ValidatedTable) -> ValidatedTable:
    """Findings at the statistics workbooks' own sheets and cells when the table came from
    them."""
    from junheng_cli.io.stats.importer import relocate

    return replace(validated, findings=relocate(validated.findings, validated.table))


# -- a DataFrame --------------------------------------------------------------------------------
def frame_table(frame: pd.DataFrame, mapping: dict[str, Column] | None = None) -> SchoolTable:
    """A DataFrame of schools, one row each, as the school table a workbook gives;
    ``mapping``: more headers, ``表头文字: Column``."""
    from junheng_cli.io.sheet_table import ROW, build_sheet_table, combine
    from junheng_cli.io.sheet_table.tables import HeaderBlock

    if frame.columns.nlevels != 1:
        raise InputError("DataFrame 的列名应为一行（不支持多级列名）")
    headers = [str(c) for c in frame.columns]
    labels = _row_labels(frame)
    lookup = _frame_lookup(headers, mapping)
    table = build_sheet_table(_as_sheet(frame, headers), lookup, HeaderBlock(0, 1))
    # the sheet's row r (1-based, header in row 1) is the DataFrame's row r - 2
    number = {position + 2: label for position, label in enumerate(labels)}
    table.frame[ROW] = table.frame[ROW].map(number).astype("int64")
    if len(table.total_rows):
        table.total_rows[ROW] = table.total_rows[ROW].map(number).astype("int64")
    table.blank_rows = [number[r] for r in table.blank_rows]
    table.note_rows = [number[r] for r in table.note_rows]
    _keep_headers(table, headers)
    return combine([table])


def _row_labels(frame: pd.DataFrame) -> list[int]:
    """The index labels when they can be row numbers (distinct whole numbers ≥ 0)."""
    from pandas.api.types import is_integer_dtype

    index = frame.index
    if is_integer_dtype(index) and index.is_unique and (index.empty or index.min() >= 0):
        return [int(v) for v in index]
    return list(range(len(index)))


def _frame_lookup(headers: list[str], mapping: dict[str, Column] | None) -> HeaderLookup:
    """The template's headers, the canonical column names (``students_primary``) and the
    user's mapping."""
    from junheng_cli.io.headers import HeaderLookup, column_by_name

    canonical = {h: c for h in headers if (c := column_by_name(h)) is not None}
    return HeaderLookup({**(mapping or {}), **canonical})


def _as_sheet(frame: pd.DataFrame, headers: list[str]) -> Sheet:
    import pandas as pd

    from junheng_cli.io.cells import Sheet

    cells = frame.astype(object).where(pd.notna(frame), "")
    rows: list[list[Any]] = [list(headers), *(list(row) for row in cells.itertuples(index=False))]
    return Sheet(FRAME, FRAME, rows)


def _keep_headers(table: SheetTable, headers: list[str]) -> None:
    """Findings name the DataFrame's own column names."""
    table.sources = {
        name: replace(source, header=headers[source.index])
        for name, source in table.sources.items()
    }


# -- county items -------------------------------------------------------------------------------
def county_items_sheet(items: Mapping[str, Any], standard: Standard) -> Sheet:
    """County items given as a dict ``{id or 名称: value}``, read as a 县级指标 sheet; a key
    that names none of the standard's items, or a value that is not a number, is refused (as
    in a county-item file)."""
    from junheng_cli.io.cells import Sheet
    from junheng_cli.io.side_tables import read_county_sheet

    rows: list[list[Any]] = [["指标", "数值"], *([str(k), v] for k, v in items.items())]
    sheet = Sheet("county_items", "县级指标", rows)
    _, problems = read_county_sheet(sheet, standard.county_items)
    if problems:
        raise InputError("county_items：" + "；".join(f.message() for f in problems))
    return sheet
