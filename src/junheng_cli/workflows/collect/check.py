"""The rows of the returned files checked: each with a status (已合并, 未填完, 数据有误, 未填写,
无法合并) and the cells and messages that explain it."""

from __future__ import annotations

import numpy as np
import pandas as pd

from junheng_cli.compute.validate import IDENTITY, validate
from junheng_cli.io.sheet_table import ROW, SOURCE, SchoolTable, combine
from junheng_cli.model.findings import Finding, Severity
from junheng_cli.standards.model import Standard
from junheng_cli.workflows.collect.account import (
    DETAIL,
    FILE,
    FILE_CODES,
    FILE_ROW,
    IGNORED_CODES,
    INCOMPLETE_CODES,
    MTIME,
    ORDER,
    PATH,
    REMARK_CODES,
    SHEET,
    SOURCE_COLUMNS,
    STATUS,
    Returned,
    Status,
    join_detail,
)
from junheng_cli.workflows.collect.duplicates import display_text, is_blank, key_text
from junheng_cli.workflows.template.columns import standard_columns, standard_for_columns


def check_returns(files: list[Returned], base: Standard, standard: Standard | None) -> pd.DataFrame:
    """The school rows of every file with a status. Files are checked in groups of the same
    columns (usually all of them: they come from one template), one validation per group."""
    groups: dict[frozenset[str], list[Returned]] = {}
    for returned in files:
        if returned.table is not None:
            groups.setdefault(frozenset(returned.table.columns), []).append(returned)
    frames = [_check_group(group, base, standard) for group in groups.values()]
    frames = [f for f in frames if not f.empty]
    if not frames:
        return _empty_rows()
    rows = pd.concat(frames, ignore_index=True)  # back in reading order: files, sheets, rows
    return rows.sort_values(ORDER, kind="stable").reset_index(drop=True)


def _check_group(files: list[Returned], base: Standard, standard: Standard | None) -> pd.DataFrame:
    tables = [t for f in files if f.table is not None for t in f.table.sheets]
    owners = [f for f in files if f.table is not None for _ in f.table.sheets]
    combined = combine(tables)
    # Without a standard only names, types, students and numbers are checked.
    checked = combined.columns if standard is not None else set()
    validated = validate(combined, standard_for_columns(base, checked))
    errors = [f for f in validated.findings if f.severity is Severity.ERROR]
    remarks = _remarks(combined, base, validated.findings, standard is not None)
    if validated.frame.empty:  # a column every school needs (名称, 类型, 在校生数) is missing
        if len(files) > 1:
            frames = [_check_group([f], base, standard) for f in files]
            return pd.concat(frames, ignore_index=True)
        return _unmergeable_rows(files[0], errors)
    rows = _merged_values(combined, validated.frame)
    source = validated.frame[SOURCE].to_numpy()
    for column, values in (
        (FILE, [o.label for o in owners]),
        (PATH, [str(o.path) for o in owners]),
        (ORDER, [o.index for o in owners]),
        (MTIME, [o.path.stat().st_mtime for o in owners]),
    ):
        rows[column] = np.asarray(values, dtype=object)[source]
    rows = _row_statuses(rows, errors)
    rows = _add_remarks(rows, remarks)
    if standard is not None:
        absent = [c.header for c in standard_columns(standard) if c.name not in checked]
        rows = _mark_absent(rows, absent)
    return _mark_blank(rows)


def _remarks(
    combined: SchoolTable, base: Standard, findings: list[Finding], checked_all: bool
) -> list[Finding]:
    """Plausibility warnings on the rows (a per-student value 10× off the median …). Without
    a standard only names, types and numbers were checked, so the figures are checked once
    more against every indicator their columns allow, for these warnings only."""
    if not checked_all:
        findings = validate(combined, standard_for_columns(base, combined.columns)).findings
    return [f for f in findings if f.code in REMARK_CODES and f.row]


def _add_remarks(rows: pd.DataFrame, remarks: list[Finding]) -> pd.DataFrame:
    """Each row's remarks appended to its detail (提醒：…); the status does not change."""
    if not remarks:
        return rows
    where = [PATH, SHEET, FILE_ROW]
    found = pd.DataFrame(
        {
            PATH: [f.file for f in remarks],
            SHEET: [f.sheet for f in remarks],
            FILE_ROW: [f.row for f in remarks],
            "text": [f"提醒：{f.column or ''}{f.row} {f.message()}" for f in remarks],
        }
    )
    per_row = found.groupby(where)["text"].agg("；".join)
    text = rows[where].join(per_row, on=where)["text"]
    has = text.notna()
    rows.loc[has, DETAIL] = [
        join_detail(d, t) for d, t in zip(rows.loc[has, DETAIL], text[has], strict=True)
    ]
    return rows


def _merged_values(table: SchoolTable, clean: pd.DataFrame) -> pd.DataFrame:
    """The checked values (text identity, numbers in template units); where a cell did not
    give a valid number, the cell as typed, so that checking the merged workbook finds it."""
    raw = table.frame
    quantities = [c for c in clean.columns if c not in IDENTITY and not c.startswith("_")]
    values = clean[list(IDENTITY)].copy()
    for name in quantities:
        typed = raw[name].where(~raw[name].map(is_blank), None)
        values[name] = clean[name].astype(object).where(clean[name].notna(), typed)
    sheets = np.asarray([s.sheet for s in table.sheets], dtype=object)
    values[SHEET] = sheets[clean[SOURCE].to_numpy()]
    values[FILE_ROW] = clean[ROW].to_numpy()
    return values


def _row_statuses(rows: pd.DataFrame, errors: list[Finding]) -> pd.DataFrame:
    """Per row: 数据有误 when a value is wrong, 未填完 when a needed value is empty, else
    已合并, with the findings' cells and messages as the detail; every row of a file whose
    header has a wrong unit: 无法合并."""
    where = [PATH, SHEET, FILE_ROW]
    listed = [f for f in errors if f.code not in IGNORED_CODES | FILE_CODES and f.row]
    found = pd.DataFrame(
        {
            PATH: [f.file for f in listed],
            SHEET: [f.sheet for f in listed],
            FILE_ROW: [f.row for f in listed],
            "invalid": [f.code not in INCOMPLETE_CODES for f in listed],
            "text": [f"{f.column or ''}{f.row} {f.message()}" for f in listed],
        }
    )
    per_row = found.groupby(where).agg(invalid=("invalid", "any"), text=("text", "；".join))
    joined = rows[where].join(per_row, on=where)
    listed_here = joined["text"].notna()
    invalid = joined["invalid"].eq(True)
    rows[STATUS] = np.select(
        [invalid, listed_here], [Status.INVALID, Status.INCOMPLETE], Status.MERGED
    )
    rows[STATUS] = rows[STATUS].map(Status)
    rows[DETAIL] = joined["text"].astype(object).where(listed_here, "")
    broken = _broken_files(errors)
    if broken:
        hit = rows[PATH].isin(list(broken))
        rows.loc[hit, STATUS] = Status.UNMERGEABLE
        rows.loc[hit, DETAIL] = rows.loc[hit, PATH].map(broken)
    return rows


def _broken_files(errors: list[Finding]) -> dict[str, str]:
    """Files whose header makes their rows unusable, with the reason."""
    reasons: dict[str, list[str]] = {}
    for f in errors:
        if f.code in FILE_CODES:
            reasons.setdefault(f.file, []).append(f"{f.column or ''}{f.row or ''} {f.message()}")
    return {k: f"{'；'.join(v)}：本文件未合并，请学校改正后重报" for k, v in reasons.items()}


def _mark_absent(rows: pd.DataFrame, absent: list[str]) -> pd.DataFrame:
    """Columns of the standard's template the file does not have: its rows are 未填完."""
    if not absent:
        return rows
    text = f"缺少列：{'、'.join(absent)}"
    rows[DETAIL] = [f"{d}；{text}" if d else text for d in rows[DETAIL]]
    rows[STATUS] = rows[STATUS].where(rows[STATUS] != Status.MERGED, Status.INCOMPLETE)
    return rows


def _mark_blank(rows: pd.DataFrame) -> pd.DataFrame:
    """A row with a name but not a single figure is 未填写 and is not merged."""
    quantities = [
        c
        for c in rows.columns
        if c not in IDENTITY and c not in SOURCE_COLUMNS and not c.startswith("_")
    ]
    blank = (
        rows[quantities].map(is_blank).all(axis=1)
        if quantities
        else pd.Series(True, index=rows.index)
    )
    rows.loc[blank, STATUS] = Status.BLANK
    rows.loc[blank, DETAIL] = "只填了学校名称等，没有任何数字：未合并，请学校填写后重报"
    return rows


def _unmergeable_rows(returned: Returned, errors: list[Finding]) -> pd.DataFrame:
    assert returned.table is not None
    reasons = "；".join(f"{f.column or ''}{f.row or ''} {f.message()}" for f in errors)
    raw = returned.table.frame
    sheets = np.asarray([s.sheet for s in returned.table.sheets], dtype=object)
    return pd.DataFrame(
        {
            "code": raw["code"].map(key_text) if "code" in raw else "",
            "name": raw["name"].map(display_text) if "name" in raw else "",
            SHEET: sheets[raw[SOURCE].to_numpy()],
            FILE_ROW: raw[ROW].to_numpy(),
            FILE: returned.label,
            ORDER: returned.index,
            STATUS: Status.UNMERGEABLE,
            DETAIL: f"{reasons}：本文件未合并，请学校改正后重报",
        }
    )


def _empty_rows() -> pd.DataFrame:
    return pd.DataFrame(columns=[*IDENTITY, *SOURCE_COLUMNS, STATUS, DETAIL, ORDER])
