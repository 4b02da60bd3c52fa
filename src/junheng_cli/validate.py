"""Check the canonical school table against the schema and a standard.

Produces clean numeric columns and a located finding for every problem. Errors block
the verdict; each finding names file, sheet, Excel row, column letter and header.
"""

from __future__ import annotations

import difflib
import re
import unicodedata
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from junheng_cli.findings import Finding
from junheng_cli.schema import FIELDS, TEACHER_PARTS, Column, Level
from junheng_cli.standards import Standard
from junheng_cli.table import ROW, SchoolTable

EMPTY_MARKERS = frozenset({"", "—", "——", "-", "--", "–", "/", "无", "空"})
IDENTITY = ("code", "name", "type", "township", "area_type")
NORMALISED = ("code", "type", "area_type")  # categories and codes; names are kept as written


@dataclass
class ValidatedTable:
    table: SchoolTable
    frame: pd.DataFrame  # identity as text, quantities as float64 (NaN = empty), ROW
    findings: list[Finding]

    @property
    def invalid_rows(self) -> set[int]:
        return {f.row for f in self.findings if f.row is not None and f.severity == "error"}


def required_columns(standard: Standard) -> list[Column]:
    """Columns the standard cannot do without."""
    columns = [Column(FIELDS["name"]), Column(FIELDS["type"])]
    levels = _levels_in_scope(standard)
    columns += [Column(FIELDS["students"], lv) for lv in levels]
    for quantity in standard.quantities():
        field = FIELDS[quantity]
        if field.per_level:
            columns += [Column(field, lv) for lv in standard.evaluated_levels]
        else:
            columns.append(Column(field))
    return columns


def _levels_in_scope(standard: Standard) -> list[Level]:
    levels = {lv for t in standard.school_types.values() for lv in t.levels}
    return [lv for lv in Level if lv in levels]


def validate(table: SchoolTable, standard: Standard) -> ValidatedTable:
    checker = _Checker(table, standard)
    missing = checker.check_columns()
    if missing:
        return ValidatedTable(table, pd.DataFrame(), checker.findings)
    frame = checker.clean()
    checker.check_values(frame)
    return ValidatedTable(table, frame, checker.findings)


class _Checker:
    def __init__(self, table: SchoolTable, standard: Standard) -> None:
        self.table = table
        self.standard = standard
        self.findings: list[Finding] = []
        self.unreadable: set[tuple[int, str]] = set()  # (row, column) already reported

    # -- helpers -------------------------------------------------------------------------
    def add(
        self,
        code: str,
        column: str | None,
        row: int | None,
        value: Any,
        expected: str,
        **params: Any,
    ) -> None:
        header = self.table.header_of(column) if column else None
        if column and column not in self.table.sources:
            header = _template_header(column)
        self.findings.append(
            Finding(
                code=code,
                file=self.table.file,
                sheet=self.table.sheet,
                row=row,
                column=self.table.letter_of(column) if column else None,
                header=header,
                field=column,
                value=value,
                expected=expected,
                params=tuple(params.items()),
            )
        )

    # -- columns -------------------------------------------------------------------------
    def check_columns(self) -> bool:
        ignored = [h for _, h in self.table.ignored_headers]
        missing = False
        for column in required_columns(self.standard):
            if column.name in self.table.sources:
                continue
            missing = True
            close = difflib.get_close_matches(column.header, ignored, n=1, cutoff=0.5)
            self.add(
                "E_MISSING_COLUMN",
                column.name,
                self.table.header_row,
                None,
                f"表头“{column.header}”",
                suggestion_zh=f"（表中最接近的列名是“{close[0]}”）" if close else "",
                suggestion_en=f" (closest header found: '{close[0]}')" if close else "",
            )
        return missing

    # -- values --------------------------------------------------------------------------
    def clean(self) -> pd.DataFrame:
        raw = self.table.frame
        frame = pd.DataFrame({ROW: raw[ROW]})
        for name in IDENTITY:
            if name in raw:
                frame[name] = _as_text(raw[name], normalise=name in NORMALISED)
            else:
                frame[name] = pd.Series("", index=raw.index, dtype=object)
        lookup = self.standard.type_lookup()
        frame["type"] = frame["type"].map(lambda t: lookup.get(t, t))
        for name in raw.columns:
            if name in IDENTITY or name == ROW:
                continue
            frame[name] = self._numbers(raw, name)
        return frame

    def _numbers(self, raw: pd.DataFrame, name: str) -> pd.Series:
        cells = raw[name]
        values = _to_numbers(cells)
        bad = values.isna() & ~_is_empty_cell(cells)
        for row, cell in zip(raw.loc[bad, ROW], cells[bad], strict=True):
            self.add("E_NOT_NUMBER", name, int(row), cell, "数字")
            self.unreadable.add((int(row), name))
        negative = values < 0
        for row, value in zip(raw.loc[negative, ROW], values[negative], strict=True):
            self.add("E_NEGATIVE", name, int(row), _plain(value), "≥ 0")
            self.unreadable.add((int(row), name))
        return values.where(~negative)

    def check_values(self, frame: pd.DataFrame) -> None:
        types = self.standard.school_types
        known = frame["type"].isin(list(types))
        for row, value in zip(frame.loc[~known, ROW], frame.loc[~known, "type"], strict=True):
            self.add(
                "E_UNKNOWN_TYPE",
                "type",
                int(row),
                value,
                "模板中的学校类型",
                known="、".join(types),
            )
        no_name = frame["name"].eq("")
        for row in frame.loc[no_name, ROW]:
            self.add("E_MISSING_NAME", "name", int(row), None, "学校名称")
        self._check_duplicates(frame)
        in_scope = {name for name, t in types.items() if t.excluded is None}
        scored = frame[frame["type"].isin(in_scope)]
        for type_name, group in scored.groupby("type", sort=False):
            self._check_school_type(group, type_name)

    def _check_school_type(self, group: pd.DataFrame, type_name: str) -> None:
        school_type = self.standard.school_types[type_name]
        evaluated = [lv for lv in school_type.levels if lv in self.standard.levels]
        for level in school_type.levels:
            students = f"students_{level.value}"
            lacking = group[~(group[students] > 0)]
            for row, name, value in zip(
                lacking[ROW], lacking["name"], lacking[students], strict=True
            ):
                if (int(row), students) in self.unreadable:
                    continue
                self.add(
                    "E_NO_STUDENTS",
                    students,
                    int(row),
                    _plain(value),
                    "大于 0 的人数",
                    type=type_name,
                    name=name,
                )
        for quantity in self.standard.quantities():
            field = FIELDS[quantity]
            columns = [field.column(lv) for lv in evaluated] if field.per_level else [field.id]
            for column in columns:
                empty = group[column].isna()
                for row in group.loc[empty, ROW]:
                    if (int(row), column) not in self.unreadable:
                        self.add("E_MISSING_VALUE", column, int(row), None, "数值", type=type_name)
        for level in evaluated:
            self._check_parts(group, level)

    def _check_parts(self, group: pd.DataFrame, level: Level) -> None:
        whole = f"teachers_{level.value}"
        if whole not in group:
            return
        for part in TEACHER_PARTS:
            column = f"{part}_{level.value}"
            if column not in group:
                continue
            exceeds = group[column] > group[whole]
            for _, r in group.loc[exceeds, [ROW, column, whole]].iterrows():
                self.add(
                    "E_PART_EXCEEDS_WHOLE",
                    column,
                    int(r[ROW]),
                    _plain(r[column]),
                    f"≤ {self.table.header_of(whole)}",
                    whole_header=self.table.header_of(whole),
                    whole=_plain(r[whole]),
                )

    def _check_duplicates(self, frame: pd.DataFrame) -> None:
        has_code = frame["code"].ne("")
        for key, mask in (("code", has_code), ("name", ~has_code & frame["name"].ne(""))):
            subset = frame[mask]
            dup = subset[key].duplicated(keep="first")
            first_row = subset.drop_duplicates(key).set_index(key)[ROW]
            for row, value in zip(subset.loc[dup, ROW], subset.loc[dup, key], strict=True):
                self.add(
                    "E_DUPLICATE_SCHOOL",
                    key,
                    int(row),
                    value,
                    "唯一",
                    other_row=int(first_row[value]),
                )


def _template_header(column: str) -> str:
    for level in Level:
        suffix = f"_{level.value}"
        if column.endswith(suffix) and column[: -len(suffix)] in FIELDS:
            return FIELDS[column[: -len(suffix)]].header_for(level)
    return FIELDS[column].header if column in FIELDS else column


def _as_text(cells: pd.Series, normalise: bool = False) -> pd.Series:
    """Cells as stripped text ('' when empty); ``normalise`` also folds full-width forms."""

    def one(cell: object) -> str:
        if cell is None or (isinstance(cell, float) and np.isnan(cell)):
            return ""
        if isinstance(cell, float) and cell.is_integer():
            return str(int(cell))
        text = str(cell).strip()
        return re.sub(r"\s+", "", unicodedata.normalize("NFKC", text)) if normalise else text

    return cells.map(one).astype(object)


def _to_numbers(cells: pd.Series) -> pd.Series:
    """Cells as float64; NaN where empty or unreadable. Only text cells are cleaned one by one."""
    numeric = cells.map(lambda c: isinstance(c, int | float) and not isinstance(c, bool))
    values = pd.Series(np.nan, index=cells.index, dtype="float64")
    values[numeric] = cells[numeric].astype("float64")
    text = cells[~numeric & cells.map(lambda c: isinstance(c, str))]
    if not text.empty:
        values[text.index] = pd.to_numeric(text.map(_clean_number_text), errors="coerce")
    return values


def _clean_number_text(text: str) -> str | None:
    cleaned = unicodedata.normalize("NFKC", text).strip().replace(",", "").replace(" ", "")
    return None if cleaned in EMPTY_MARKERS else cleaned


def _is_empty_cell(cells: pd.Series) -> pd.Series:
    """None, NaN, blank text or an empty marker (—, -, /, 无)."""
    return cells.map(
        lambda c: (
            c is None
            or (isinstance(c, float) and np.isnan(c))
            or (isinstance(c, str) and _clean_number_text(c) is None)
        )
    )


def _plain(value: float) -> float | int | None:
    if value is None or pd.isna(value):
        return None
    return int(value) if float(value).is_integer() else float(value)
