"""From the statistics system's per-school exports to one county table in our template.

``import_stats`` reads a folder (sub-folders too), files, or a .zip of per-school workbooks
(one sheet per form), recognises each workbook's form generation by the maps of
``stats_forms``, reads the school's identity and every field through the map (fixed cells
checked against their labels, level blocks located by their labels), applies the map's
arithmetic (sums, differences, 万元 → 元) in decimal, and gives one row per school with the
provenance of every figure. Every file ends as 已导入 or 已跳过 with the reason. What the forms
lack is merged from a supplementary workbook in our template; nothing is guessed.
"""

from __future__ import annotations

import contextlib
import functools
import re
import tempfile
import zipfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

import pandas as pd

from junheng_cli.errors import JunhengError
from junheng_cli.io.cells import ReadError, Sheet
from junheng_cli.io.read import EXCEL_SUFFIXES, Workbook, open_workbook
from junheng_cli.io.sheet_table.tables import SchoolTable
from junheng_cli.io.stats.forms import (
    IDENTITY_KEYS,
    FieldSpec,
    FormMap,
    IdentityCell,
    LoadedMap,
    Term,
    column_number,
    field_header,
    load_maps,
    normalise_label,
)
from junheng_cli.model.fields import ALLOWANCE_FIELDS, SCOPE_FIELDS, Column, template_columns
from junheng_cli.model.findings import Finding

IMPORTED = "已导入"
SKIPPED = "已跳过"
SCHOOL_SHEET = "学校"
STATS_SHEET = re.compile(r"^(基础基|教基|中职基|高基|幼基|特基)\s*\d")
EMPTY_MARKS = frozenset({"", "*", "-", "—", "－", "/"})
MAX_ZIP_BYTES = 2 * 1024**3
LEVEL_ORDER = ("primary", "junior", "senior")


class Skip(JunhengError):
    """A workbook that cannot be imported; the message says why (Chinese). ``problem``: False
    for a file that is simply not a school's statistics export of a compulsory school (a
    foreign workbook, a kindergarten): nothing of the county is lost by skipping it."""

    def __init__(self, message: str, problem: bool = True) -> None:
        super().__init__(message)
        self.problem = problem


@dataclass(frozen=True)
class Provenance:
    row: int  # index of the school in ``frame``
    column: str  # canonical column name
    file: str
    sheet: str
    cells: tuple[str, ...]
    arithmetic: str
    value: Any

    @property
    def first_cell(self) -> tuple[int | None, str | None]:
        match = re.match(r"([A-Z]+)(\d+)", self.cells[0]) if self.cells else None
        return (int(match.group(2)), match.group(1)) if match else (None, None)


@dataclass
class Outcome:
    file: str
    status: str  # 已导入 / 已跳过
    reason: str = ""
    generation: str = ""
    code: str = ""
    name: str = ""
    school_type: str = ""
    ownership: str = ""
    notes: list[str] = field(default_factory=list)
    problem: bool = False  # skipped, and a school of the county may be lost by it


@dataclass(frozen=True)
class Missing:
    row: int
    name: str
    code: str
    file: str
    column: str
    header: str
    why: str


@dataclass(frozen=True)
class Difference:
    name: str
    code: str
    header: str
    form_value: Any
    form_place: str
    supplement_value: Any
    supplement_place: str


@dataclass
class StatsImport:
    frame: pd.DataFrame  # one row per school, canonical columns in template order
    provenance: dict[tuple[int, str], Provenance]
    outcomes: list[Outcome]
    missing: list[Missing] = field(default_factory=list)
    differences: list[Difference] = field(default_factory=list)
    supplement_notes: list[str] = field(default_factory=list)
    maps: list[LoadedMap] = field(default_factory=list)
    source: str = ""  # what was read, as the user named it
    school_files: list[str] = field(default_factory=list)  # per school row: its workbook
    expected_places: dict[tuple[int, str], tuple[str, str]] = field(default_factory=dict)
    supplement: str = ""  # the supplementary workbook, if one was given

    @property
    def imported(self) -> list[Outcome]:
        return [o for o in self.outcomes if o.status == IMPORTED]

    @property
    def skipped(self) -> list[Outcome]:
        return [o for o in self.outcomes if o.status == SKIPPED]

    @property
    def needs_attention(self) -> bool:
        return bool(self.skipped or self.missing or self.differences)

    def sheet_columns(self) -> list[Column]:
        """The 学校 sheet's columns: the template's, less the optional ones (scope, 规程
        allowances) no school has a figure for — as a template workbook without them."""
        optional = _optional_columns()
        return [
            c
            for c in template_columns()
            if c.name not in optional or self.frame[c.name].notna().any()
        ]

    def template_frame(self, columns: list[Column] | None = None) -> pd.DataFrame:
        """The 学校 sheet: template headers with their units (read back with no mapping); by
        default every template column, as ``junheng template`` writes them."""
        columns = template_columns() if columns is None else columns
        out = self.frame[[c.name for c in columns]].copy()
        out.columns = [c.header_with_unit for c in columns]
        return out

    def provenance_frame(self) -> pd.DataFrame:
        rows = []
        codes, names = self.frame["code"].tolist(), self.frame["name"].tolist()
        for (row, column), p in sorted(self.provenance.items()):
            rows.append(
                {
                    "学校标识码": codes[row],
                    "学校名称": names[row],
                    "项目": field_header(column),
                    "数值": p.value,
                    "文件": p.file,
                    "工作表": p.sheet,
                    "单元格": "、".join(p.cells),
                    "计算": p.arithmetic,
                }
            )
        return pd.DataFrame(
            rows,
            columns=["学校标识码", "学校名称", "项目", "数值", "文件", "工作表", "单元格", "计算"],
        )

    def outcome_frame(self) -> pd.DataFrame:
        rows = [
            {
                "文件": o.file,
                "结果": o.status,
                "原因": o.reason,
                "报表版本": o.generation,
                "报表中的标识码": o.code,
                "报表中的校名": o.name,
                "判定的学校类型": o.school_type,
                "办学性质": o.ownership,
                "说明": "；".join(o.notes),
            }
            for o in self.outcomes
        ]
        rows += [
            {
                "文件": m.file,
                "结果": "缺数",
                "原因": f"{m.header}：{m.why}",
                "报表中的标识码": m.code,
                "报表中的校名": m.name,
            }
            for m in self.missing
        ]
        rows += [
            {
                "文件": d.supplement_place,
                "结果": "不一致",
                "原因": (
                    f"{d.header}：统计报表 {d.form_value}（{d.form_place}），"
                    f"补充表 {d.supplement_value}；采用统计报表"
                ),
                "报表中的标识码": d.code,
                "报表中的校名": d.name,
            }
            for d in self.differences
        ]
        rows += [{"结果": "补充表", "原因": note} for note in self.supplement_notes]
        return pd.DataFrame(
            rows,
            columns=[
                "文件",
                "结果",
                "原因",
                "报表版本",
                "报表中的标识码",
                "报表中的校名",
                "判定的学校类型",
                "办学性质",
                "说明",
            ],
        )

    def school_sheet(self) -> Sheet:
        """The 学校 sheet as rows, for the template reader (``evaluate`` on a folder)."""
        frame = self.template_frame(self.sheet_columns()).astype(object)
        frame = frame.where(pd.notna(frame), None)
        rows = [list(frame.columns), *frame.to_numpy(dtype=object).tolist()]
        return Sheet(self.source, SCHOOL_SHEET, rows)

    def relocate(self, findings: Iterable[Finding]) -> list[Finding]:
        """Data findings on the imported table → the statistics workbook's own file, sheet and
        cell (through the provenance)."""
        letters = {_letter(i): c.name for i, c in enumerate(self.sheet_columns())}
        out = []
        for f in findings:
            if f.file != self.source or f.sheet != SCHOOL_SHEET or f.row is None or f.row < 2:
                out.append(f)
                continue
            index = f.row - 2
            column = letters.get(f.column or "", "")
            place = self.provenance.get((index, column))
            if place is not None:
                row, letter = place.first_cell
                out.append(replace(f, file=place.file, sheet=place.sheet, row=row, column=letter))
            elif (index, column) in self.expected_places:
                sheet, cell = self.expected_places[(index, column)]
                match = re.match(r"([A-Z]+)(\d+)", cell)
                row, letter = (int(match.group(2)), match.group(1)) if match else (None, None)
                out.append(
                    replace(f, file=self.school_files[index], sheet=sheet, row=row, column=letter)
                )
            elif index < len(self.school_files):
                out.append(
                    replace(
                        f,
                        file=self.school_files[index],
                        sheet=sheet_of_identity(self, index),
                        row=None,
                        column=None,
                    )
                )
            else:
                out.append(f)
        return out


def sheet_of_identity(imported: StatsImport, index: int) -> str:
    place = imported.provenance.get((index, "name"))
    return place.sheet if place is not None else ""


@functools.lru_cache(maxsize=1024)
def _letter(index: int) -> str:
    from junheng_cli.io.cells import column_letter

    return column_letter(index)


_NUMERIC = {c.name for c in template_columns() if c.field.kind != "text"}


# -- files ----------------------------------------------------------------------------------
@dataclass(frozen=True)
class _File:
    path: Path  # where it can be read
    shown: str  # how it is named to the user


def _files(paths: Sequence[Path], exclude: Sequence[Path], scratch: Path) -> list[_File]:
    from junheng_cli.io.guard import folder_files, same_file

    found: list[_File] = []
    for path in paths:
        if path.is_dir():
            found += [_File(p, str(p)) for p in folder_files(path)]
        elif path.suffix.lower() == ".zip":
            found += _zip_members(path, scratch / f"{len(found)}")
        else:
            found.append(_File(path, str(path)))
    return [f for f in found if not any(same_file(f.path, e) for e in exclude)]


def _zip_members(archive: Path, target: Path) -> list[_File]:
    """Every file of a .zip, extracted under ``target`` by position (never by the member's
    own path: no zip-slip), named to the user as archive:member."""
    try:
        with zipfile.ZipFile(archive) as zf:
            infos = [i for i in zf.infolist() if not i.is_dir()]
            if sum(i.file_size for i in infos) > MAX_ZIP_BYTES:
                raise Skip(f"压缩包解压后超过 {MAX_ZIP_BYTES / 1024**3:.0f} GB")
            target.mkdir(parents=True)
            found = []
            for n, info in enumerate(sorted(infos, key=lambda i: i.filename)):
                name = _member_name(info)
                out = target / f"{n:05d}{Path(name).suffix.lower()[:8]}"
                with zf.open(info) as src, out.open("wb") as dst:
                    dst.write(src.read())
                found.append(_File(out, f"{archive}:{name}"))
            return found
    except (zipfile.BadZipFile, OSError) as exc:
        raise ReadError(f"压缩包无法解压（{exc}）", str(archive)) from exc


def _member_name(info: zipfile.ZipInfo) -> str:
    name = info.filename
    if not info.flag_bits & 0x800:  # not flagged UTF-8: Chinese Windows zips are GBK
        with contextlib.suppress(UnicodeEncodeError, UnicodeDecodeError):
            name = name.encode("cp437").decode("gb18030")
    return name


# -- reading one workbook -------------------------------------------------------------------
@dataclass
class _School:
    identity: dict[str, str]
    values: dict[str, Any]
    provenance: dict[str, Provenance]
    expected: dict[str, tuple[str, str]]
    levels: list[str]
    missing: list[tuple[str, str]]  # (column, why)
    notes: list[str]


class _Reader:
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
        cell = f"{_letter(c)}{r + 1}"
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
        cell = f"{_letter(c)}{r + 1}"
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
            cell = f"{_letter(c)}{r + 1}"
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
        value = _exact(total)
        return (
            value,
            Provenance(-1, name, self.shown, sheet, shown_cells, text + scale_note, value),
            "",
        )

    def expected_place(self, spec: FieldSpec) -> tuple[str, str]:
        term = spec.terms[0]
        return self.names.get(term.sheet, term.sheet), term.cell or ""

    def read(self, columns: list[str]) -> _School:
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
        return _School(identity, values, provenance, expected, list(kind.levels), missing, notes)


@functools.lru_cache(maxsize=16384)
def _norm(text: str) -> str:
    """``normalise_label`` of a label's text; the forms repeat the same few hundred labels."""
    return normalise_label(text)


def _raw(sheet: Sheet, r: int, c: int) -> object:
    if r < 0 or r >= len(sheet.rows):
        return None
    row = sheet.rows[r]
    return row[c] if 0 <= c < len(row) else None


def _exact(value: Decimal) -> int | float:
    return int(value) if value == value.to_integral_value() else float(value)


def recognise(workbook: Workbook, maps: Sequence[LoadedMap]) -> LoadedMap:
    """The map whose identity sheet the workbook has; Skip when none."""
    for loaded in maps:
        form = loaded.form
        wanted = form.recognise.identity_sheet
        if any(f"{wanted}{s}" in workbook.sheet_names for s in form.recognise.sheet_suffixes):
            return loaded
    names = "、".join(workbook.sheet_names[:8]) + ("…" if len(workbook.sheet_names) > 8 else "")
    if any(STATS_SHEET.match(n) for n in workbook.sheet_names):
        known = "、".join(m.form.recognise.identity_sheet for m in maps)
        raise Skip(f"无法识别的报表版本（工作表：{names}；已知版本的标识表：{known}）")
    raise Skip(f"不是教育统计报表（工作表：{names}）", problem=False)


def is_stats_workbook(path: Path) -> bool:
    """Whether a file's sheet names look like a statistics export (cheap: names only)."""
    try:
        with open_workbook(path) as workbook:
            return any(STATS_SHEET.match(n) for n in workbook.sheet_names)
    except ReadError:
        return False


def looks_like_stats(paths: Sequence[Path]) -> bool:
    """A folder or zip given to evaluate, or files that are all (or mostly) statistics
    exports: read as statistics workbooks."""
    from junheng_cli.io.guard import folder_files

    files: list[Path] = []
    for path in paths:
        if path.suffix.lower() == ".zip" and path.is_file():
            return True
        files += folder_files(path) if path.is_dir() else [path]
    books = [f for f in files if f.suffix.lower() in EXCEL_SUFFIXES]
    if not books:
        return False
    stats = others = 0
    for book in books:  # opened until the majority is known
        if is_stats_workbook(book):
            stats += 1
        else:
            others += 1
        if stats * 2 > len(books) or others * 2 >= len(books):
            break
    return stats * 2 > len(books)


# -- the whole import -----------------------------------------------------------------------
def import_stats(
    paths: Sequence[Path],
    forms_dir: Path | None = None,
    supplement: Path | None = None,
    exclude: Sequence[Path] = (),
) -> StatsImport:
    """Read every workbook of the folders, files or zips. Raises ``FormError`` for a bad
    map, ``ReadError`` for an unreadable zip or supplement."""
    maps = load_maps(forms_dir)
    columns = [c.name for c in template_columns() if c.field.kind != "text"]
    outcomes: list[Outcome] = []
    schools: list[tuple[_School, str]] = []
    codes: dict[str, str] = {}
    with tempfile.TemporaryDirectory(prefix="junheng-stats-") as scratch:
        for item in _files(paths, exclude, Path(scratch)):
            outcome = Outcome(item.shown, SKIPPED)
            outcomes.append(outcome)
            if Path(item.shown.split(":")[-1]).name.startswith("~$"):
                outcome.reason = "Excel 的临时文件（~$ 开头），不是报表"
                continue
            if item.path.suffix.lower() not in EXCEL_SUFFIXES:
                outcome.reason = f"不是工作簿（{item.path.suffix or '无扩展名'}）"
                continue
            try:
                with open_workbook(item.path) as workbook:
                    loaded = recognise(workbook, maps)
                    outcome.generation = loaded.form.id
                    school = _Reader(workbook, item.shown, loaded.form).read(columns)
            except ReadError as exc:
                outcome.reason, outcome.problem = f"无法读取：{exc.message}", True
                continue
            except Skip as exc:
                outcome.reason, outcome.problem = str(exc), exc.problem
                continue
            code = school.identity.get("code", "")
            outcome.code, outcome.name = code, school.identity["name"]
            outcome.school_type = school.identity["type"]
            outcome.ownership = school.identity.get("ownership", "")
            outcome.notes = school.notes
            if code and code in codes:
                outcome.reason = (
                    f"学校标识码 {code} 重复：与 {codes[code]} 相同（保留先读到的 {codes[code]}）"
                )
                continue
            if code:
                codes[code] = item.shown
            outcome.status = IMPORTED
            schools.append((school, item.shown))
    frame, provenance, expected = _frame(schools)
    result = StatsImport(
        frame=frame,
        provenance=provenance,
        outcomes=outcomes,
        maps=maps,
        source=" ".join(str(p) for p in paths),
        school_files=[shown for _, shown in schools],
        expected_places=expected,
    )
    if supplement is not None:
        result.supplement = str(supplement)
        _merge_supplement(result, supplement)
    result.missing = _missing(result, schools)
    return result


def _frame(
    schools: list[tuple[_School, str]],
) -> tuple[pd.DataFrame, dict[tuple[int, str], Provenance], dict[tuple[int, str], tuple[str, str]]]:
    names = [c.name for c in template_columns()]
    records = []
    provenance: dict[tuple[int, str], Provenance] = {}
    expected: dict[tuple[int, str], tuple[str, str]] = {}
    for i, (school, _) in enumerate(schools):
        record: dict[str, Any] = dict.fromkeys(names)
        for key in IDENTITY_KEYS:
            record[key] = school.identity.get(key) or None
        record.update(school.values)
        records.append(record)
        for key, place in school.provenance.items():
            if record.get(key) is not None:
                provenance[(i, key)] = replace(place, row=i)
        for key, where in school.expected.items():
            expected[(i, key)] = where
    frame = pd.DataFrame(records, columns=names)
    return frame.astype(object), provenance, expected


def _optional_columns() -> set[str]:
    """Columns a workbook may leave out altogether (scope and 规程 allowance data)."""
    optional = {f.id for f in SCOPE_FIELDS + ALLOWANCE_FIELDS}
    return {c.name for c in template_columns() if c.field.id in optional}


@functools.cache
def _needed(levels: tuple[str, ...]) -> list[Column]:
    """The template columns a school of these levels should have a figure for (the optional
    音乐/美术专用教室, scope and allowance columns only come from the supplementary workbook and
    are not listed)."""
    needed = []
    optional = _optional_columns()
    for column in template_columns():
        if column.field.kind == "text" or column.field.id in ("music_rooms", "art_rooms"):
            continue
        if column.name in optional:
            continue
        if column.level is not None and column.level.value not in levels:
            continue
        needed.append(column)
    return needed


def _missing(result: StatsImport, schools: list[tuple[_School, str]]) -> list[Missing]:
    found = []
    records = result.frame.to_dict("records")
    for i, (school, shown) in enumerate(schools):
        why = dict(school.missing)
        for column in _needed(tuple(school.levels)):
            value = records[i][column.name]
            if value is None or (isinstance(value, float) and pd.isna(value)):
                found.append(
                    Missing(
                        i,
                        school.identity["name"],
                        school.identity.get("code", ""),
                        shown,
                        column.name,
                        column.header,
                        why.get(column.name, "统计报表中没有此项")
                        + ("；补充表中也没有" if result.supplement else "；可用 --supplement 补充"),
                    )
                )
    return found


def _merge_supplement(result: StatsImport, path: Path) -> None:
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
    return _exact(number * Decimal(repr(factor)))


@dataclass
class StatsSchoolTable(SchoolTable):
    """The template reader's table of the imported schools, with the import it came from
    (for relocating findings to the statistics workbooks' cells)."""

    imported: StatsImport | None = None


def school_table(imported: StatsImport) -> StatsSchoolTable:
    """The imported schools as the template reader's SchoolTable (``evaluate`` on a folder)."""
    from junheng_cli.io.headers import HeaderLookup
    from junheng_cli.io.sheet_table.files import combine
    from junheng_cli.io.sheet_table.rows import build_sheet_table

    if imported.frame.empty:
        raise ReadError("没有导入任何学校（各文件的跳过原因见上）", imported.source)
    table = combine([build_sheet_table(imported.school_sheet(), HeaderLookup())])
    return StatsSchoolTable(table.sheets, table.frame, table.unused_sheets, imported=imported)


def relocate(findings: list[Finding], table: SchoolTable) -> list[Finding]:
    """Findings as the user should see them: on a statistics import, at the workbooks' cells."""
    if isinstance(table, StatsSchoolTable) and table.imported is not None:
        return table.imported.relocate(findings)
    return findings
