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

import math
import os
import zipfile
import zlib
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from pathlib import Path
from typing import Any
from xml.etree.ElementTree import ParseError

import numpy as np
import pandas as pd

from junheng_cli.compute.validate import EMPTY_MARKERS, IDENTITY, validate
from junheng_cli.io.headers import column_by_name, fold
from junheng_cli.io.read import CSV_SUFFIXES, EXCEL_SUFFIXES, ReadError, open_workbook
from junheng_cli.io.sheet_table import (
    ROW,
    SOURCE,
    ReadOptions,
    SchoolTable,
    combine,
    read_school_table,
)
from junheng_cli.model.fields import Column, template_columns
from junheng_cli.model.findings import Finding, Severity
from junheng_cli.standards.model import Standard, load_standard
from junheng_cli.workflows.template import (
    STRUCTURAL_STANDARD,
    standard_columns,
    standard_for_columns,
)

WORKBOOK_SUFFIXES = tuple(s for s in EXCEL_SUFFIXES + CSV_SUFFIXES if s != ".txt")
FILE = "来源文件"
SHEET = "来源工作表"
FILE_ROW = "来源行"
SOURCE_COLUMNS = (FILE, SHEET, FILE_ROW)
ACCOUNT_SHEET = "收集情况"  # the merged workbook's account sheet: what marks a collection
_STATUS, _DETAIL, _ORDER, _MTIME, _PATH = "_status", "_detail", "_order", "_mtime", "_path"


class Status(StrEnum):
    MERGED = "已合并"
    INCOMPLETE = "未填完"  # merged; cells the standard needs are empty
    INVALID = "数据有误"  # merged; a value is not a number, negative, a part above its whole …
    BLANK = "未填写"  # no school row, or a row without a single figure: nothing merged
    SAME = "重复（内容相同）"  # the same school again with the same figures: merged once
    CONFLICT = "重复（内容不同）"  # the same school with different figures: none merged
    UNMERGEABLE = "无法合并"  # read, but a required column is missing or a unit is wrong
    UNREADABLE = "无法读取"
    MISSING = "未交"  # in the roster, no returned file has it
    NOT_SCHOOL = "非学校行"  # a blank, 合计 or note row of a returned file: nothing to merge
    SKIPPED = "已跳过"  # not a returned workbook (temporary file, the output, a PDF …)


MERGED_STATUSES = frozenset({Status.MERGED, Status.INCOMPLETE, Status.INVALID})
ATTENTION = frozenset(
    {
        Status.INCOMPLETE,
        Status.INVALID,
        Status.BLANK,
        Status.CONFLICT,
        Status.UNMERGEABLE,
        Status.UNREADABLE,
        Status.MISSING,
    }
)
INCOMPLETE_CODES = frozenset(
    {"E_MISSING_VALUE", "E_NO_STUDENTS", "E_MISSING_NAME", "E_MISSING_TYPE"}
)
FILE_CODES = frozenset({"E_MISSING_COLUMN", "E_BAD_UNIT"})  # the file cannot be merged
# Warnings about a row's figures (万元 typed under 元 …): a remark, the row is still merged.
REMARK_CODES = frozenset({"W_OUTLIER", "W_TEACHERS_NO_STUDENTS"})
# What a returned file can throw at the reader besides ReadError (and MemoryError: a file too
# large for this machine); anything else is a bug, listed as 内部错误 for that file alone.
# RecursionError: XML nested too deep.
UNREADABLE_ERRORS = (
    OSError,
    zipfile.BadZipFile,
    zlib.error,
    ParseError,
    ValueError,
    RecursionError,
)
ROW_KINDS = {
    "blank": "空行：未合并",
    "total": "合计、小计或总计行：不是学校，未合并",
    "note": "注释行（注：…、填表人：… 等）：未合并",
}
IGNORED_CODES = frozenset({"E_DUPLICATE_SCHOOL"})  # duplicates are judged across all files


@dataclass(frozen=True)
class Entry:
    """One line of the account (收集情况)."""

    status: Status
    file: str = ""  # relative to the collection folder
    sheet: str = ""
    row: int | None = None
    code: str = ""
    name: str = ""
    detail: str = ""

    @property
    def where(self) -> str:
        place = f"{self.file}［{self.sheet}］" if self.sheet else self.file
        return f"{place}第 {self.row} 行" if self.row is not None else place


@dataclass
class Collection:
    folder: Path
    standard: Standard | None
    columns: list[Column]  # canonical columns of the merged sheet, in template order
    merged: pd.DataFrame  # one row per merged school: column names + SOURCE_COLUMNS
    entries: list[Entry]
    workbooks: int  # returned workbooks found (read or not)
    roster: Path | None = None
    roster_schools: int = 0
    roster_county_sheets: list[str] = field(default_factory=list)  # 县级指标: not carried over

    @property
    def needs_attention(self) -> bool:
        return any(e.status in ATTENTION for e in self.entries)

    def counts(self) -> dict[Status, int]:
        """Entries per status, in the order of ``Status``; only statuses that occur."""
        found = [e.status for e in self.entries]
        return {s: found.count(s) for s in Status if s in found}


# -- files ------------------------------------------------------------------------------------
def find_returns(
    folder: Path, exclude: dict[Path, str] | None = None
) -> tuple[list[Path], list[Entry]]:
    """The workbooks under ``folder`` (recursively, in a stable order) and the files passed
    over, each with its reason (``exclude``: files not to read, with why). Hidden files
    (.DS_Store …) are passed over silently."""
    excluded = {p.resolve(): why for p, why in (exclude or {}).items()}
    workbooks: list[Path] = []
    skipped: list[Entry] = []
    for path in sorted(p for p in folder.rglob("*") if p.is_file()):
        label = _label(path, folder)
        if path.name.startswith("."):
            continue
        if path.name.startswith("~$"):
            reason = "Excel 或 WPS 打开文件时留下的临时文件"
        elif path.resolve() in excluded:
            reason = excluded[path.resolve()]
        elif path.suffix.lower() not in WORKBOOK_SUFFIXES:
            reason = f"不是工作簿（{path.suffix or '无扩展名'}），未读取"
        else:
            workbooks.append(path)
            continue
        skipped.append(Entry(Status.SKIPPED, label, detail=reason))
    return workbooks, skipped


def is_collection(path: Path) -> bool:
    """A merged workbook junheng wrote (it has a 收集情况 sheet): an earlier run's output,
    not a school's return."""
    if path.suffix.lower() not in (".xlsx", ".xlsm") or not os.path.isfile(path):
        return False
    try:
        return ACCOUNT_SHEET in open_workbook(path).sheet_names
    except (ReadError, *UNREADABLE_ERRORS):
        return False


def _not_returns(output: Path | None, roster: Path | None) -> dict[Path, str]:
    """Files under the folder not read as returns, with why: the roster, and an earlier
    merged workbook where this run writes its output. Any other file at the output's path
    is a return, and the command refuses to write over it."""
    exclude = {}
    if output is not None and is_collection(output):
        exclude[output] = "本次合并的输出文件"
    if roster is not None:
        exclude[roster] = "名册文件"
    return {p: f"{why}，不作为回收文件读取" for p, why in exclude.items()}


def files_to_collect(folder: Path, output: Path | None, roster: Path | None) -> list[Path]:
    """The returned workbooks ``collect`` reads under ``folder``: the files no output may
    replace."""
    return find_returns(folder, _not_returns(output, roster))[0]


def _label(path: Path, folder: Path) -> str:
    try:
        return path.relative_to(folder).as_posix()
    except ValueError:
        return str(path)


# -- returned files ---------------------------------------------------------------------------
@dataclass
class _Returned:
    """One returned workbook as read: its school table (None when there is nothing to check)
    and what concerns the file as a whole."""

    index: int
    path: Path
    label: str
    table: SchoolTable | None = None
    entries: list[Entry] = field(default_factory=list)

    @property
    def columns(self) -> set[str]:
        """Every column some sheet of the file maps."""
        sheets = self.table.sheets if self.table is not None else []
        return set().union(*(s.sources for s in sheets))


def _read_returned(path: Path, label: str, index: int, options: ReadOptions) -> _Returned:
    returned = _Returned(index, path, label)
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


def _check_returns(
    files: list[_Returned], base: Standard, standard: Standard | None
) -> pd.DataFrame:
    """The school rows of every file with a status. Files are checked in groups of the same
    columns (usually all of them: they come from one template), one validation per group."""
    groups: dict[frozenset[str], list[_Returned]] = {}
    for returned in files:
        if returned.table is not None:
            groups.setdefault(frozenset(returned.table.columns), []).append(returned)
    frames = [_check_group(group, base, standard) for group in groups.values()]
    frames = [f for f in frames if not f.empty]
    if not frames:
        return _empty_rows()
    rows = pd.concat(frames, ignore_index=True)  # back in reading order: files, sheets, rows
    return rows.sort_values(_ORDER, kind="stable").reset_index(drop=True)


def _check_group(files: list[_Returned], base: Standard, standard: Standard | None) -> pd.DataFrame:
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
        (_PATH, [str(o.path) for o in owners]),
        (_ORDER, [o.index for o in owners]),
        (_MTIME, [o.path.stat().st_mtime for o in owners]),
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
    where = [_PATH, SHEET, FILE_ROW]
    found = pd.DataFrame(
        {
            _PATH: [f.file for f in remarks],
            SHEET: [f.sheet for f in remarks],
            FILE_ROW: [f.row for f in remarks],
            "text": [f"提醒：{f.column or ''}{f.row} {f.message()}" for f in remarks],
        }
    )
    per_row = found.groupby(where)["text"].agg("；".join)
    text = rows[where].join(per_row, on=where)["text"]
    has = text.notna()
    rows.loc[has, _DETAIL] = [
        _join(d, t) for d, t in zip(rows.loc[has, _DETAIL], text[has], strict=True)
    ]
    return rows


def _merged_values(table: SchoolTable, clean: pd.DataFrame) -> pd.DataFrame:
    """The checked values (text identity, numbers in template units); where a cell did not
    give a valid number, the cell as typed, so that checking the merged workbook finds it."""
    raw = table.frame
    quantities = [c for c in clean.columns if c not in IDENTITY and not c.startswith("_")]
    values = clean[list(IDENTITY)].copy()
    for name in quantities:
        typed = raw[name].where(~raw[name].map(_is_blank), None)
        values[name] = clean[name].astype(object).where(clean[name].notna(), typed)
    sheets = np.asarray([s.sheet for s in table.sheets], dtype=object)
    values[SHEET] = sheets[clean[SOURCE].to_numpy()]
    values[FILE_ROW] = clean[ROW].to_numpy()
    return values


def _is_blank(cell: object) -> bool:
    if cell is None or (isinstance(cell, float) and math.isnan(cell)):
        return True
    return isinstance(cell, str) and fold(cell) in EMPTY_MARKERS


def _row_statuses(rows: pd.DataFrame, errors: list[Finding]) -> pd.DataFrame:
    """Per row: 数据有误 when a value is wrong, 未填完 when a needed value is empty, else
    已合并, with the findings' cells and messages as the detail; every row of a file whose
    header has a wrong unit: 无法合并."""
    where = [_PATH, SHEET, FILE_ROW]
    listed = [f for f in errors if f.code not in IGNORED_CODES | FILE_CODES and f.row]
    found = pd.DataFrame(
        {
            _PATH: [f.file for f in listed],
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
    rows[_STATUS] = np.select(
        [invalid, listed_here], [Status.INVALID, Status.INCOMPLETE], Status.MERGED
    )
    rows[_STATUS] = rows[_STATUS].map(Status)
    rows[_DETAIL] = joined["text"].astype(object).where(listed_here, "")
    broken = _broken_files(errors)
    if broken:
        hit = rows[_PATH].isin(list(broken))
        rows.loc[hit, _STATUS] = Status.UNMERGEABLE
        rows.loc[hit, _DETAIL] = rows.loc[hit, _PATH].map(broken)
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
    rows[_DETAIL] = [f"{d}；{text}" if d else text for d in rows[_DETAIL]]
    rows[_STATUS] = rows[_STATUS].where(rows[_STATUS] != Status.MERGED, Status.INCOMPLETE)
    return rows


def _mark_blank(rows: pd.DataFrame) -> pd.DataFrame:
    """A row with a name but not a single figure is 未填写 and is not merged."""
    quantities = [
        c
        for c in rows.columns
        if c not in IDENTITY and c not in SOURCE_COLUMNS and not c.startswith("_")
    ]
    blank = (
        rows[quantities].map(_is_blank).all(axis=1)
        if quantities
        else pd.Series(True, index=rows.index)
    )
    rows.loc[blank, _STATUS] = Status.BLANK
    rows.loc[blank, _DETAIL] = "只填了学校名称等，没有任何数字：未合并，请学校填写后重报"
    return rows


def _unmergeable_rows(returned: _Returned, errors: list[Finding]) -> pd.DataFrame:
    assert returned.table is not None
    reasons = "；".join(f"{f.column or ''}{f.row or ''} {f.message()}" for f in errors)
    raw = returned.table.frame
    sheets = np.asarray([s.sheet for s in returned.table.sheets], dtype=object)
    return pd.DataFrame(
        {
            "code": raw["code"].map(_key_text) if "code" in raw else "",
            "name": raw["name"].map(_display_text) if "name" in raw else "",
            SHEET: sheets[raw[SOURCE].to_numpy()],
            FILE_ROW: raw[ROW].to_numpy(),
            FILE: returned.label,
            _ORDER: returned.index,
            _STATUS: Status.UNMERGEABLE,
            _DETAIL: f"{reasons}：本文件未合并，请学校改正后重报",
        }
    )


# -- identities and duplicates ----------------------------------------------------------------
def _key_text(cell: object) -> str:
    """A code or name compared loosely: full-width folded, no spaces; 2134000001.0 → 2134000001."""
    if _is_blank(cell):
        return ""
    if isinstance(cell, float) and cell.is_integer():
        cell = int(cell)
    return fold(cell)


def _display_text(cell: object) -> str:
    return "" if _is_blank(cell) else str(cell).strip()


def school_keys(codes: pd.Series, names: pd.Series) -> pd.Series:
    """Which school each row is: its 学校标识码; without one, the code that rows of the same
    name carry (when they carry only one), else the name itself."""
    code = codes.map(_key_text)
    name = names.map(_key_text)
    coded = code.ne("")
    codes_per_name = code[coded].groupby(name[coded]).agg(["nunique", "first"])
    single = codes_per_name.loc[codes_per_name["nunique"] == 1, "first"]
    adopted = name.map(single).astype(object).fillna("")
    which = code.where(coded, adopted).astype(str)  # a code, or "" when none is known
    return ("码:" + which).where(which.ne(""), "名:" + name.astype(str))


def mark_duplicates(rows: pd.DataFrame, compare: list[str]) -> pd.DataFrame:
    """The same school in several rows: when every copy has the same ``compare`` values, the
    first is merged and the others are 重复（内容相同）; when they differ, none is merged
    (重复（内容不同）: which copy is right is the analyst's call). Other rows are untouched."""
    key = school_keys(rows["code"], rows["name"])
    repeated = key.duplicated(keep=False)
    if not repeated.any():
        return rows
    rows = rows.copy()
    for _, group in rows[repeated].groupby(key[repeated], sort=False):
        content = group[compare].astype(object).where(group[compare].notna(), None)
        if len(content.drop_duplicates()) == 1:
            _mark_same(rows, group)
        else:
            differ = [c for c in compare if content[c].nunique(dropna=False) > 1]
            _mark_conflict(rows, group, differ)
    return rows


def _where(row: pd.Series) -> str:
    return f"{row[FILE]}［{row[SHEET]}］第 {row[FILE_ROW]} 行"


def _mark_same(rows: pd.DataFrame, group: pd.DataFrame) -> None:
    first = group.iloc[0]
    rows.loc[group.index[1:], _STATUS] = Status.SAME
    rows.loc[group.index[1:], _DETAIL] = f"与 {_where(first)} 的内容相同，只合并一次"


def _mark_conflict(rows: pd.DataFrame, group: pd.DataFrame, differ: list[str]) -> None:
    headers = "、".join(_header(c) for c in differ)
    newest = group.loc[group[_MTIME].idxmax()] if _MTIME in group else None
    when = ""
    if newest is not None and group[_MTIME].nunique() > 1:
        stamp = datetime.fromtimestamp(float(newest[_MTIME])).strftime("%Y-%m-%d %H:%M")
        when = f"；最新修改的是 {newest[FILE]}（{stamp}）"
    places = {index: _where(row) for index, row in group.iterrows()}
    for index in group.index:
        others = "、".join(place for i, place in places.items() if i != index)
        rows.at[index, _STATUS] = Status.CONFLICT
        rows.at[index, _DETAIL] = (
            f"同一学校也在 {others}，内容不同（{headers}）：均未合并；"
            f"请删除或改正其中的文件后重新收集{when}"
        )


def _header(name: str) -> str:
    column = column_by_name(name)
    return column.header if column is not None else {"type": "学校类型"}.get(name, name)


# -- roster -----------------------------------------------------------------------------------
def missing_from_roster(
    roster: SchoolTable, returned: pd.DataFrame, roster_label: str
) -> tuple[list[Entry], pd.Series]:
    """Roster schools no returned row names (by 学校标识码 or by 学校名称), and for each
    returned row whether the roster has it."""
    raw = roster.frame
    if "name" not in raw:
        raise ReadError("名册中找不到“学校名称”列", roster_label)
    codes = raw["code"].map(_key_text) if "code" in raw else pd.Series("", index=raw.index)
    names = raw["name"].map(_key_text)
    got_codes = set(returned["code"].map(_key_text)) - {""} if not returned.empty else set()
    got_names = set(returned["name"].map(_key_text)) - {""} if not returned.empty else set()
    missing = ~(codes.isin(got_codes) & codes.ne("")) & ~names.isin(got_names) & names.ne("")
    entries = [
        Entry(
            Status.MISSING,
            code=code,
            name=_display_text(name),
            detail=f"名册（{roster_label} 第 {row} 行）中有此校，回收的文件中没有",
        )
        for code, name, row in zip(
            codes[missing], raw.loc[missing, "name"], raw.loc[missing, ROW], strict=True
        )
    ]
    if returned.empty:
        return entries, pd.Series(dtype=bool, index=returned.index)
    known = returned["code"].map(_key_text).isin(set(codes) - {""}) | returned["name"].map(
        _key_text
    ).isin(set(names))
    return entries, known


# -- the whole collection ---------------------------------------------------------------------
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
    workbooks, skipped = find_returns(folder, _not_returns(output, roster))
    parts = [
        _read_returned(path, _label(path, folder), i, options) for i, path in enumerate(workbooks)
    ]
    present = set().union(*(p.columns for p in parts))
    # Nothing readable: the template's header all the same, so the workbook reads as a county.
    columns = [c for c in template_columns() if c.name in present] or standard_columns(standard)
    rows = _resolve_duplicates(_check_returns(parts, base, standard), columns)
    missing: list[Entry] = []
    roster_schools = 0
    county_sheets: list[str] = []
    if roster is not None:
        roster_table = read_school_table([roster], options)
        roster_schools = len(roster_table.frame)
        county_sheets = [s.name for s in roster_table.county_sheets]
        missing, known = missing_from_roster(roster_table, rows, roster.name)
        outside = ~known.to_numpy(dtype=bool)
        rows.loc[outside, _DETAIL] = [_join(d, "不在名册中") for d in rows.loc[outside, _DETAIL]]
    merged = rows[rows[_STATUS].isin(MERGED_STATUSES)]
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


def _empty_rows() -> pd.DataFrame:
    return pd.DataFrame(columns=[*IDENTITY, *SOURCE_COLUMNS, _STATUS, _DETAIL, _ORDER])


def _resolve_duplicates(rows: pd.DataFrame, columns: list[Column]) -> pd.DataFrame:
    """Duplicates among the rows that would be merged (blank and unmergeable rows stay out)."""
    if rows.empty:
        return rows
    candidates = rows[_STATUS].isin(MERGED_STATUSES)
    compare = ["type", *[c.name for c in columns if c.field.kind != "text"]]
    marked = mark_duplicates(rows[candidates], compare)
    rows.loc[candidates, [_STATUS, _DETAIL]] = marked[[_STATUS, _DETAIL]]
    return rows


def _join(detail: Any, text: str) -> str:
    return f"{detail}；{text}" if isinstance(detail, str) and detail else text


def _entries(rows: pd.DataFrame, parts: list[_Returned]) -> list[Entry]:
    """Per file, in reading order: its rows, then what concerns the file as a whole."""
    by_file: dict[int, list[Entry]] = {i: [] for i in range(len(parts))}
    for record in rows.to_dict("records"):
        by_file[int(record[_ORDER])].append(
            Entry(
                Status(record[_STATUS]),
                record[FILE],
                record[SHEET],
                int(record[FILE_ROW]),
                _display_text(record.get("code")),
                _display_text(record.get("name")),
                record[_DETAIL] if isinstance(record[_DETAIL], str) else "",
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
