"""Which school a row is (by 学校标识码, else by 学校名称), and the same school returned twice:
merged once when the copies agree, not at all when they differ."""

from __future__ import annotations

import math
from datetime import datetime

import pandas as pd

from junheng_cli.compute.validate import EMPTY_MARKERS
from junheng_cli.io.headers import column_by_name, fold
from junheng_cli.model.fields import Column
from junheng_cli.workflows.collect.account import (
    DETAIL,
    FILE,
    FILE_ROW,
    MERGED_STATUSES,
    MTIME,
    SHEET,
    STATUS,
    Status,
)


def is_blank(cell: object) -> bool:
    if cell is None or (isinstance(cell, float) and math.isnan(cell)):
        return True
    return isinstance(cell, str) and fold(cell) in EMPTY_MARKERS


def key_text(cell: object) -> str:
    """A code or name compared loosely: full-width folded, no spaces; 2134000001.0 → 2134000001."""
    if is_blank(cell):
        return ""
    if isinstance(cell, float) and cell.is_integer():
        cell = int(cell)
    return fold(cell)


def display_text(cell: object) -> str:
    return "" if is_blank(cell) else str(cell).strip()


def school_keys(codes: pd.Series, names: pd.Series) -> pd.Series:
    """Which school each row is: its 学校标识码; without one, the code that rows of the same
    name carry (when they carry only one), else the name itself."""
    code = codes.map(key_text)
    name = names.map(key_text)
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
    rows.loc[group.index[1:], STATUS] = Status.SAME
    rows.loc[group.index[1:], DETAIL] = f"与 {_where(first)} 的内容相同，只合并一次"


def _mark_conflict(rows: pd.DataFrame, group: pd.DataFrame, differ: list[str]) -> None:
    headers = "、".join(_header(c) for c in differ)
    newest = group.loc[group[MTIME].idxmax()] if MTIME in group else None
    when = ""
    if newest is not None and group[MTIME].nunique() > 1:
        stamp = datetime.fromtimestamp(float(newest[MTIME])).strftime("%Y-%m-%d %H:%M")
        when = f"；最新修改的是 {newest[FILE]}（{stamp}）"
    places = {index: _where(row) for index, row in group.iterrows()}
    for index in group.index:
        others = "、".join(place for i, place in places.items() if i != index)
        rows.at[index, STATUS] = Status.CONFLICT
        rows.at[index, DETAIL] = (
            f"同一学校也在 {others}，内容不同（{headers}）：均未合并；"
            f"请删除或改正其中的文件后重新收集{when}"
        )


def _header(name: str) -> str:
    column = column_by_name(name)
    return column.header if column is not None else {"type": "学校类型"}.get(name, name)


def resolve_duplicates(rows: pd.DataFrame, columns: list[Column]) -> pd.DataFrame:
    """Duplicates among the rows that would be merged (blank and unmergeable rows stay out)."""
    if rows.empty:
        return rows
    candidates = rows[STATUS].isin(MERGED_STATUSES)
    compare = ["type", *[c.name for c in columns if c.field.kind != "text"]]
    marked = mark_duplicates(rows[candidates], compare)
    rows.loc[candidates, [STATUS, DETAIL]] = marked[[STATUS, DETAIL]]
    return rows
