"""Merge the school files returned from a collection into one county table, and account for
every file and every row read: merged, not filled in, incomplete, with wrong data, the same
school twice, unreadable, or (against a roster) never returned.

Each returned file goes through the normal reader, one file at a time, so that every
messy-workbook rule applies and a bad file is a line in the account, never a stop; then
through the normal checker (once for all the files that have the same columns). Values are
merged as checked, in the template's units (a school's ``（万元）`` column arrives in 元); a
cell that is not a valid number is carried over as typed, so that evaluating the merged
workbook points at it again.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from junheng_cli.io.cells import ReadError
from junheng_cli.io.sheet_table import ROW, ReadOptions, SchoolTable, read_school_table
from junheng_cli.model.fields import template_columns
from junheng_cli.standards.model import Standard, load_standard
from junheng_cli.workflows.collect.account import (
    DETAIL,
    FILE,
    FILE_ROW,
    MERGED_STATUSES,
    ORDER,
    ROW_KINDS,
    SHEET,
    SOURCE_COLUMNS,
    STATUS,
    UNREADABLE_ERRORS,
    Collection,
    Entry,
    Returned,
    Status,
    join_detail,
)
from junheng_cli.workflows.collect.check import check_returns
from junheng_cli.workflows.collect.duplicates import display_text, resolve_duplicates
from junheng_cli.workflows.collect.folder import find_returns, not_returns, relative_label
from junheng_cli.workflows.collect.roster import missing_from_roster
from junheng_cli.workflows.template.columns import STRUCTURAL_STANDARD, standard_columns


def _read_returned(path: Path, label: str, index: int, options: ReadOptions) -> Returned:
    returned = Returned(index, path, label)
    try:
        table = read_school_table([path], options)
    except ReadError as exc:
        returned.entries.append(
            Entry(Status.UNREADABLE, label, exc.sheet or "", detail=exc.message)
        )
        return returned
    except MemoryError:
        detail = "内存不足，无法读取：文件过大或内容异常，请学校重新导出后重报"
        returned.entries.append(Entry(Status.UNREADABLE, label, detail=detail))
        return returned
    except UNREADABLE_ERRORS as exc:  # one school's odd file must not stop the collection
        text = f"{type(exc).__name__}: {exc}"[:160]
        detail = f"读取时出错（{text}）：文件可能已损坏，请学校重新导出后重报"
        returned.entries.append(Entry(Status.UNREADABLE, label, detail=detail))
        return returned
    except Exception as exc:  # a fault of junheng's own: this file is listed, the rest go on
        text = f"{type(exc).__name__}: {exc}"[:160]
        detail = f"内部错误（{text}）：此文件未合并，请把文件和这条信息报告给开发者"
        returned.entries.append(Entry(Status.UNREADABLE, label, detail=detail))
        return returned
    returned.entries += _other_row_entries(table, label) + _side_sheet_entries(table, label)
    if table.frame.empty:
        blank = Entry(Status.BLANK, label, detail="没有学校行（空白模板）：请学校填写后重报")
        returned.entries.insert(0, blank)
    else:
        returned.table = table
    return returned


def _other_row_entries(table: SchoolTable, label: str) -> list[Entry]:
    """Every row read that is not a school (blank, 合计, note): one line each, so that every
    row of a returned file is accounted for."""
    return [
        Entry(Status.NOT_SCHOOL, label, sheet.sheet, int(row), detail=ROW_KINDS[kind])
        for sheet in table.sheets
        for kind, rows in (
            ("blank", sheet.blank_rows),
            ("total", sheet.total_rows[ROW].tolist() if ROW in sheet.total_rows else []),
            ("note", sheet.note_rows),
        )
        for row in rows
    ]


def _side_sheet_entries(table: SchoolTable, label: str) -> list[Entry]:
    sheets = [s.name for s in table.class_sheets + table.county_sheets]
    return [
        Entry(Status.SKIPPED, label, name, detail=f"“{name}”工作表未合并（只合并学校表）")
        for name in sheets
    ]


def collect(
    folder: Path,
    standard: Standard | None = None,
    roster: Path | None = None,
    options: ReadOptions | None = None,
    output: Path | None = None,
) -> Collection:
    """Read every returned workbook under ``folder``, merge the school rows and account for
    every file and row. The roster, and an earlier merged workbook at ``output`` (see
    ``is_collection``), inside the folder are not read as returns.
    Raises ``ReadError`` when the roster cannot be read."""
    options = options or ReadOptions()
    base = standard or load_standard(STRUCTURAL_STANDARD)
    workbooks, skipped = find_returns(folder, not_returns(output, roster))
    parts = [
        _read_returned(path, relative_label(path, folder), i, options)
        for i, path in enumerate(workbooks)
    ]
    present = set().union(*(p.columns for p in parts))
    # Nothing readable: the template's header all the same, so the workbook reads as a county.
    columns = [c for c in template_columns() if c.name in present] or standard_columns(standard)
    rows = resolve_duplicates(check_returns(parts, base, standard), columns)
    missing: list[Entry] = []
    roster_schools = 0
    county_sheets: list[str] = []
    if roster is not None:
        roster_table = read_school_table([roster], options)
        roster_schools = len(roster_table.frame)
        county_sheets = [s.name for s in roster_table.county_sheets]
        missing, known = missing_from_roster(roster_table, rows, roster.name)
        outside = ~known.to_numpy(dtype=bool)
        rows.loc[outside, DETAIL] = [
            join_detail(d, "不在名册中") for d in rows.loc[outside, DETAIL]
        ]
    merged = rows[rows[STATUS].isin(MERGED_STATUSES)]
    names = [c.name for c in columns] + list(SOURCE_COLUMNS)
    return Collection(
        folder=folder,
        standard=standard,
        columns=columns,
        merged=merged.reindex(columns=names).reset_index(drop=True),
        entries=_entries(rows, parts) + skipped + missing,
        workbooks=len(workbooks),
        roster=roster,
        roster_schools=roster_schools,
        roster_county_sheets=county_sheets,
    )


def _entries(rows: pd.DataFrame, parts: list[Returned]) -> list[Entry]:
    """Per file, in reading order: its rows, then what concerns the file as a whole."""
    by_file: dict[int, list[Entry]] = {i: [] for i in range(len(parts))}
    for record in rows.to_dict("records"):
        by_file[int(record[ORDER])].append(
            Entry(
                Status(record[STATUS]),
                record[FILE],
                record[SHEET],
                int(record[FILE_ROW]),
                display_text(record.get("code")),
                display_text(record.get("name")),
                record[DETAIL] if isinstance(record[DETAIL], str) else "",
            )
        )
    for i, part in enumerate(parts):
        by_file[i] += part.entries
        sheets = [s.sheet for s in part.table.sheets] if part.table is not None else []
        # rows in the order of the file (sheet by sheet, row by row), then the whole file
        by_file[i].sort(
            key=lambda e: (
                e.row is None,
                sheets.index(e.sheet) if e.sheet in sheets else 0,
                e.row or 0,
            )
        )
    return [e for i in range(len(parts)) for e in by_file[i]]
