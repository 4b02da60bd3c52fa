"""Figures the forms lack, merged from a supplementary workbook in the template."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

import pandas as pd

from junheng_cli.io.stats.forms import field_header
from junheng_cli.io.stats.outcomes import EMPTY_MARKS, Difference, Provenance
from junheng_cli.io.stats.reader import exact_number
from junheng_cli.io.stats.result import StatsImport
from junheng_cli.model.fields import template_columns

_NUMERIC = {c.name for c in template_columns() if c.field.kind != "text"}


def merge_supplement(result: StatsImport, path: Path) -> None:
    """Figures the forms lack, from a workbook in our template, joined on 学校标识码, then
    学校名称. A figure the forms give is kept; a different supplement figure is a finding."""
    from junheng_cli.io.sheet_table.files import read_school_table
    from junheng_cli.io.sheet_table.tables import ROW, SOURCE

    table = read_school_table([path])
    frame = result.frame
    by_code = {str(c): i for i, c in frame["code"].items() if c}
    by_name = {str(n): i for i, n in frame["name"].items() if n}
    used: set[int] = set()
    for _, row in table.frame.iterrows():
        sheet = table.sheets[int(row[SOURCE])]
        code = _text(row.get("code"))
        name = _text(row.get("name"))
        index = by_code.get(code) if code else None
        if index is None and name:
            index = by_name.get(name)
        where = f"{sheet.file}［{sheet.sheet}］第 {int(row[ROW])} 行"
        if index is None:
            result.supplement_notes.append(
                f"补充表 {where} 的学校“{name or code}”不在导入的统计报表中，未使用"
            )
            continue
        if index in used:
            result.supplement_notes.append(
                f"补充表 {where}：学校“{name or code}”出现不止一次，只用第一行"
            )
            continue
        used.add(index)
        for column, source in sheet.sources.items():
            if column in ("code", "name", "type"):
                continue
            raw = row.get(column)
            cell = f"{source.letter}{int(row[ROW])}"
            value: Any
            if column in _NUMERIC:
                value = _number(raw, source.match.factor)
                if value is None:
                    if _text(raw):
                        result.supplement_notes.append(
                            f"补充表 {sheet.file}［{sheet.sheet}］{cell} 不是数字（{raw!r}），"
                            "未使用"
                        )
                    continue
            else:
                value = _text(raw)
                if not value:
                    continue
            current = frame.at[index, column]
            if current is None or (isinstance(current, float) and pd.isna(current)):
                frame.at[index, column] = value
                result.provenance[(index, column)] = Provenance(
                    index, column, sheet.file, sheet.sheet, (cell,), "补充表", value
                )
            elif current != value:
                place = result.provenance.get((index, column))
                result.differences.append(
                    Difference(
                        str(frame.at[index, "name"]),
                        str(frame.at[index, "code"] or ""),
                        field_header(column),
                        current,
                        f"{place.file}［{place.sheet}］{'、'.join(place.cells)}" if place else "",
                        value,
                        f"{sheet.file}［{sheet.sheet}］{cell}",
                    )
                )


def _text(value: Any) -> str:
    if value is None or (isinstance(value, float) and pd.isna(value)):
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def _number(value: Any, factor: float) -> int | float | None:
    if value is None or isinstance(value, bool) or (isinstance(value, float) and pd.isna(value)):
        return None
    if isinstance(value, int | float):
        number = Decimal(repr(float(value)))
    else:
        text = str(value).strip().replace(",", "")
        if text in EMPTY_MARKS:
            return None
        try:
            number = Decimal(text)
        except InvalidOperation:
            return None
    return exact_number(number * Decimal(repr(factor)))
