"""The roster (名册): the schools that were asked for and never returned."""

from __future__ import annotations

import pandas as pd

from junheng_cli.io.cells import ReadError
from junheng_cli.io.sheet_table import ROW, SchoolTable
from junheng_cli.workflows.collect.account import Entry, Status
from junheng_cli.workflows.collect.duplicates import display_text, key_text


def missing_from_roster(
    roster: SchoolTable, returned: pd.DataFrame, roster_label: str
) -> tuple[list[Entry], pd.Series]:
    """Roster schools no returned row names (by 学校标识码 or by 学校名称), and for each
    returned row whether the roster has it."""
    raw = roster.frame
    if "name" not in raw:
        raise ReadError("名册中找不到“学校名称”列", roster_label)
    codes = raw["code"].map(key_text) if "code" in raw else pd.Series("", index=raw.index)
    names = raw["name"].map(key_text)
    got_codes = set(returned["code"].map(key_text)) - {""} if not returned.empty else set()
    got_names = set(returned["name"].map(key_text)) - {""} if not returned.empty else set()
    missing = ~(codes.isin(got_codes) & codes.ne("")) & ~names.isin(got_names) & names.ne("")
    entries = [
        Entry(
            Status.MISSING,
            code=code,
            name=display_text(name),
            detail=f"名册（{roster_label} 第 {row} 行）中有此校，回收的文件中没有",
        )
        for code, name, row in zip(
            codes[missing], raw.loc[missing, "name"], raw.loc[missing, ROW], strict=True
        )
    ]
    if returned.empty:
        return entries, pd.Series(dtype=bool, index=returned.index)
    known = returned["code"].map(key_text).isin(set(codes) - {""}) | returned["name"].map(
        key_text
    ).isin(set(names))
    return entries, known
