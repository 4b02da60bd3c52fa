"""One school's workbook read through a form map: fixed cells checked against their labels,
level blocks located by their labels, the map's arithmetic done in decimal.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass, replace
from decimal import Decimal, InvalidOperation
from typing import Any

from junheng_cli.io.cells import Sheet
from junheng_cli.io.read import Workbook
from junheng_cli.io.stats.forms import (
    FieldSpec,
    FormMap,
    IdentityCell,
    Term,
    column_number,
    field_header,
    normalise_label,
)
from junheng_cli.io.stats.outcomes import EMPTY_MARKS, Provenance, Skip, cached_letter


@dataclass
class School:
    identity: dict[str, str]
    values: dict[str, Any]
    provenance: dict[str, Provenance]
    expected: dict[str, tuple[str, str]]
    levels: list[str]
    missing: list[tuple[str, str]]  # (column, why)
    notes: list[str]


class SchoolReader:
    """One workbook read through one map."""

    def __init__(self, workbook: Workbook, shown: str, form: FormMap) -> None:
        self.workbook = workbook
        self.shown = shown
        self.form = form
        self.names = {}
        for key in form.sheets:
            for suffix in form.recognise.sheet_suffixes:
                if f"{key}{suffix}" in workbook.sheet_names:
                    self.names[key] = f"{key}{suffix}"
                    break
        self._sheets: dict[str, Sheet] = {}
        self._merged: dict[str, dict[tuple[int, int], object]] = {}
        self._labels: dict[tuple[str, int], str] = {}  # (sheet key, row) → the row's label
        self._headers: dict[tuple[str, int], str] = {}  # (sheet key, column) → its header
        self._label_rows: dict[str, dict[str, list[int]]] = {}

    def sheet(self, key: str) -> Sheet | None:
        name = self.names.get(key)
        if name is None:
            return None
        if name not in self._sheets:
            sheet = self.workbook.sheet(name)
            self._sheets[name] = sheet
            filled: dict[tuple[int, int], object] = {}
            for (r0, c0), (r1, c1) in sheet.merged:
                value = _raw(sheet, r0, c0)
                for r in range(r0, r1 + 1):
                    for c in range(c0, c1 + 1):
                        filled[(r, c)] = value
            self._merged[name] = filled
        return self._sheets[name]

    def text(self, key: str, r: int, c: int) -> str:
        sheet = self.sheet(key)
        assert sheet is not None
        merged = self._merged[sheet.name]
        value = merged[(r, c)] if (r, c) in merged else _raw(sheet, r, c)
        return "" if value is None else str(value)

    def row_label(self, key: str, r: int) -> str:
        return _norm(self.shown_label(key, r))

    def shown_label(self, key: str, r: int) -> str:
        """The row's label as written (the label columns joined, a merged label once)."""
        label = self._labels.get((key, r))
        if label is None:
            spec = self.form.sheets[key]
            parts = [self.text(key, r, column_number(c)).strip() for c in spec.label_columns]
            label = self._labels[(key, r)] = " ".join(dict.fromkeys(p for p in parts if p))
        return label

    def column_header(self, key: str, c: int) -> str:
        header = self._headers.get((key, c))
        if header is None:
            spec = self.form.sheets[key]
            parts = [_norm(self.text(key, h - 1, c)) for h in spec.header_rows]
            header = self._headers[(key, c)] = "".join(p for p in parts if p)
        return header

    def check(
        self, key: str, r: int, c: int, label: str | None, header: str | None, unit: str | None
    ) -> None:
        """Raise Skip when a label beside the cell is not the one expected."""
        spec = self.form.sheets[key]
        cell = f"{cached_letter(c)}{r + 1}"
        sheet = self.names[key]
        if label is not None:
            found = self.shown_label(key, r)
            if _norm(label) not in _norm(found):
                raise Skip(
                    f"标签不符：工作表 {sheet} 单元格 {cell} 所在行的标签是“{found or '（空）'}”，"
                    f"应为“{label}”（行可能有增减，或映射地址有误）"
                )
        if header is not None:
            found = self.column_header(key, c)
            if _norm(header) not in found:
                raise Skip(
                    f"标签不符：工作表 {sheet} 单元格 {cell} 所在列的表头是“{found or '（空）'}”，"
                    f"应为“{header}”（列可能有增减，或映射地址有误）"
                )
        if unit is not None and spec.unit_column is not None:
            found = _norm(self.text(key, r, column_number(spec.unit_column)))
            if _norm(unit) != found:
                raise Skip(
                    f"单位不符：工作表 {sheet} 单元格 {spec.unit_column}{r + 1} 的计量单位是"
                    f"“{found or '（空）'}”，应为“{unit}”"
                )

    def _rows_labelled(self, key: str, height: int) -> dict[str, list[int]]:
        """Normalised row label → its rows, top to bottom (built once per sheet)."""
        index = self._label_rows.get(key)
        if index is None:
            index = self._label_rows[key] = {}
            for r in range(height):
                index.setdefault(self.row_label(key, r), []).append(r)
        return index

    def locate(self, term: Term) -> tuple[int, int]:
        """0-based (row, column) of a term's cell, checked against its labels."""
        if term.sheet not in self.names:
            raise Skip(f"缺少工作表 {term.sheet}（{self.form.sheets[term.sheet].title}）")
        sheet = self.sheet(term.sheet)
        assert sheet is not None
        if term.cell is not None:
            match = re.match(r"([A-Z]+)(\d+)", term.cell)
            assert match is not None
            r, c = int(match.group(2)) - 1, column_number(match.group(1))
        else:
            assert term.find is not None and term.column is not None
            first, last = term.find.bounds
            wanted = _norm(term.find.label)
            found = self._rows_labelled(term.sheet, len(sheet.rows)).get(wanted, [])
            rows = [r for r in found if first - 1 <= r < last]
            if not rows:
                raise Skip(
                    f"标签不符：工作表 {self.names[term.sheet]} 第 {first}–{last} 行中找不到标签"
                    f"“{term.find.label}”"
                )
            r, c = rows[0] + term.find.offset, column_number(term.column)
        self.check(term.sheet, r, c, term.label, term.header, term.unit)
        return r, c

    def number(self, term: Term, r: int, c: int) -> Decimal | None:
        sheet = self.sheet(term.sheet)
        assert sheet is not None
        cell = f"{cached_letter(c)}{r + 1}"
        if (r, c) in sheet.error_cells:
            raise Skip(f"工作表 {sheet.name} 单元格 {cell} 是错误值 {sheet.error_cells[(r, c)]}")
        if (r, c) in sheet.uncached_formulas:
            raise Skip(f"工作表 {sheet.name} 单元格 {cell} 是公式，但文件中没有它的计算结果")
        value = _raw(sheet, r, c)
        if isinstance(value, bool):
            raise Skip(f"工作表 {sheet.name} 单元格 {cell} 应为数字，实际为 {value!r}")
        if isinstance(value, int | float):
            return Decimal(repr(float(value))) if isinstance(value, float) else Decimal(value)
        text = "" if value is None else str(value).strip().replace(",", "").replace("，", "")
        if text in EMPTY_MARKS:
            return None
        try:
            return Decimal(text)
        except InvalidOperation:
            raise Skip(f"工作表 {sheet.name} 单元格 {cell} 应为数字，实际为 {value!r}") from None

    def identity(self, key: str, spec: IdentityCell) -> tuple[str, Provenance | None]:
        if spec.sheet not in self.names:
            if spec.optional:
                return "", None
            raise Skip(f"缺少工作表 {spec.sheet}")
        match = re.match(r"([A-Z]+)(\d+)", spec.cell)
        assert match is not None
        r, c = int(match.group(2)) - 1, column_number(match.group(1))
        self.check(spec.sheet, r, c, spec.label, spec.header, None)
        sheet = self.sheet(spec.sheet)
        assert sheet is not None
        value = _raw(sheet, r, c)
        text = (
            ""
            if value is None
            else (
                str(int(value)) if isinstance(value, float) and value.is_integer() else str(value)
            ).strip()
        )
        if spec.values and text:
            mapped = spec.values.get(text) or spec.values.get(normalise_label(text))
            if mapped is None:
                raise Skip(
                    f"工作表 {sheet.name} 单元格 {spec.cell} 的“{text}”无法对应"
                    f"（可用：{'、'.join(spec.values)}）"
                )
            text = mapped
        place = Provenance(-1, key, self.shown, sheet.name, (spec.cell,), "原值", text)
        return text, place

    def field(self, name: str, spec: FieldSpec) -> tuple[Any, Provenance | None, str]:
        """(value, provenance, why missing) of one field."""
        total = Decimal(0)
        parts: list[str] = []
        cells: list[str] = []
        sheets: list[str] = []
        numbers = 0
        scale_note = ""
        for term in spec.terms:
            r, c = self.locate(term)
            value = self.number(term, r, c)
            cell = f"{cached_letter(c)}{r + 1}"
            cells.append(cell)
            sheets.append(self.names[term.sheet])
            sign = "−" if term.sign < 0 else "+"
            parts.append(f"{sign} {self.names[term.sheet]}!{cell}")
            if term.scale != 1:
                scale_note = (
                    f"（×{term.scale:g}：万元→元）"
                    if term.scale == 10000
                    else f"（×{term.scale:g}）"
                )
            if value is None:
                continue
            numbers += 1
            total += term.sign * value * Decimal(repr(term.scale))
        if numbers == 0:
            where = "、".join(f"{s}!{c}" for s, c in zip(sheets, cells, strict=True))
            return None, None, f"单元格为空（{where}）"
        text = " ".join(parts).removeprefix("+ ")
        if numbers < len(spec.terms):
            text += "（空白按 0）"
        sheet = sheets[0]
        shown_cells = tuple(
            c if s == sheet else f"{s}!{c}" for s, c in zip(sheets, cells, strict=True)
        )
        value = exact_number(total)
        return (
            value,
            Provenance(-1, name, self.shown, sheet, shown_cells, text + scale_note, value),
            "",
        )

    def expected_place(self, spec: FieldSpec) -> tuple[str, str]:
        term = spec.terms[0]
        return self.names.get(term.sheet, term.sheet), term.cell or ""

    def read(self, columns: list[str]) -> School:
        form = self.form
        identity: dict[str, str] = {}
        provenance: dict[str, Provenance] = {}
        for key, spec in form.identity.items():
            try:
                text, place = self.identity(key, spec)
            except Skip:
                if not spec.optional:
                    raise
                text, place = "", None
            identity[key] = text
            if place is not None and text:
                provenance[key] = place
        if not identity["name"]:
            raise Skip(
                f"学校名称为空（{self.names[form.identity['name'].sheet]}!{form.identity['name'].cell}）"
            )
        type_text = identity["type"]
        kind = form.school_types.get(type_text) or form.school_types.get(normalise_label(type_text))
        if kind is None:
            if type_text in form.not_evaluated:
                raise Skip(f"办学类型“{type_text}”：{form.not_evaluated[type_text]}", problem=False)
            raise Skip(
                f"办学类型“{type_text or '（空）'}”无法对应到学校类型（映射 {form.id} 中有："
                f"{'、'.join(form.school_types)}）"
            )
        identity["type"] = kind.type
        if "type" in provenance:
            provenance["type"] = replace(
                provenance["type"], arithmetic=f"办学类型“{type_text}”→{kind.type}", value=kind.type
            )
        values: dict[str, Any] = {}
        missing: list[tuple[str, str]] = []
        notes: list[str] = []
        expected: dict[str, tuple[str, str]] = {}
        for name in columns:
            spec = form.fields.get(name)
            if spec is None:
                continue
            if spec.level is not None and spec.level not in kind.levels:
                continue
            expected[name] = self.expected_place(spec)
            try:
                value, place, why = self.field(name, spec)
            except Skip as exc:
                optional = spec.optional or form.sheets[spec.terms[0].sheet].optional
                if not optional:
                    raise
                value, place, why = None, None, str(exc)
                if not str(exc).startswith("缺少工作表"):
                    notes.append(f"{field_header(name)}：{exc}")
            if place is not None:
                values[name] = value
                provenance[name] = place
            else:
                missing.append((name, why))
        return School(identity, values, provenance, expected, list(kind.levels), missing, notes)


@functools.lru_cache(maxsize=16384)
def _norm(text: str) -> str:
    """``normalise_label`` of a label's text; the forms repeat the same few hundred labels."""
    return normalise_label(text)


def _raw(sheet: Sheet, r: int, c: int) -> object:
    if r < 0 or r >= len(sheet.rows):
        return None
    row = sheet.rows[r]
    return row[c] if 0 <= c < len(row) else None


def exact_number(value: Decimal) -> int | float:
    return int(value) if value == value.to_integral_value() else float(value)
