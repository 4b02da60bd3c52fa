"""The optional side tables of a county workbook: a 班级 sheet (one row per class) and a
县级指标 sheet (county-level figures the analyst enters), or a county-items YAML file."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from junheng_cli.io.cells import ReadError, Sheet, column_letter
from junheng_cli.io.headers import fold, split_unit
from junheng_cli.io.yaml_safe import READ_ERRORS, load_yaml_document, read_failure
from junheng_cli.model.fields import MAX_VALUE_TEXT, Level, plausible_figure, short_repr
from junheng_cli.model.findings import Finding
from junheng_cli.standards.government import CountyItem

CLASS_SHEETS = ("班级", "班级明细", "班额")
COUNTY_SHEETS = ("县级指标", "县级数据")
CLASS_HEADERS = {
    "code": ("学校标识码", "学校代码", "标识码"),
    "name": ("学校名称", "学校", "校名"),
    "level": ("学段",),
    "class": ("班级", "班级名称", "班级名"),
    "students": ("学生数", "班额", "人数", "在校生数", "班级人数", "学生人数"),
}
COUNTY_HEADERS = {
    "item": ("指标", "项目", "指标名称", "名称", "指标id"),
    "value": ("数值", "值", "填报值", "实际值", "本县数值"),
}
LEVEL_WORDS = {"小学": Level.PRIMARY, "初中": Level.JUNIOR, "初级中学": Level.JUNIOR}


def side_kind(name: str) -> str | None:
    """'classes' for a 班级 sheet, 'county' for a 县级指标 sheet, None for anything else."""
    folded = fold(name)
    if folded.startswith(CLASS_SHEETS):
        return "classes"
    if folded.startswith(COUNTY_SHEETS):
        return "county"
    return None


def is_side_sheet(name: str) -> bool:
    return side_kind(name) is not None


@dataclass
class ClassTable:
    frame: pd.DataFrame  # code, name, level, class, students, row, file, sheet
    findings: list[Finding] = field(default_factory=list)


@dataclass(frozen=True)
class CountyValue:
    value: float
    where: str  # file［sheet］row, or the YAML file
    file: str = ""
    sheet: str = ""
    row: int | None = None
    column: str | None = None


def _header_map(row: list[object], wanted: dict[str, tuple[str, ...]]) -> dict[str, int]:
    found: dict[str, int] = {}
    for index, cell in enumerate(row):
        if cell is None or not str(cell).strip():
            continue
        base, _ = split_unit(cell)
        for key, names in wanted.items():
            if key not in found and base in {fold(n) for n in names}:
                found[key] = index
    return found


def _find_header(
    sheet: Sheet, wanted: dict[str, tuple[str, ...]], needed: set[str]
) -> tuple[int, dict[str, int]]:
    for index, row in enumerate(sheet.rows[:20]):
        mapping = _header_map(row, wanted)
        if needed <= set(mapping):
            return index, mapping
    names = "、".join(wanted[k][0] for k in sorted(needed))
    raise ReadError(f"找不到表头（应有：{names}）", sheet.file, sheet.name)


def _number(cell: object) -> float | None:
    """A number typed as such or as plain text (1,234.5, 96.2%) that junheng computes with:
    finite and below ``MAX_VALUE`` in size (1e308 or .inf is a typo, not a figure)."""
    number = _parsed_number(cell)
    return number if number is not None and plausible_figure(number) else None


def _parsed_number(cell: object) -> float | None:
    if isinstance(cell, bool):
        return None
    if isinstance(cell, int | float):
        try:
            return float(cell)
        except OverflowError:  # an int of 400 digits
            return None
    text = unicodedata.normalize("NFKC", str(cell or "")).strip().replace(",", "")
    text = text.removesuffix("%")
    return float(text) if re.fullmatch(r"[+-]?(\d+\.?\d*|\.\d+)", text) else None


def _finding(
    sheet: Sheet, code: str, row: int, col: int, header: str, value: object, expected: str
) -> Finding:
    return Finding(
        code=code,
        file=sheet.file,
        sheet=sheet.name,
        row=row,
        column=column_letter(col),
        header=header,
        field=None,
        value=value if isinstance(value, int | float | str) or value is None else str(value),
        expected=expected,
    )


def read_classes(sheet: Sheet) -> ClassTable:
    header, columns = _find_header(sheet, CLASS_HEADERS, {"level", "students"})
    if "code" not in columns and "name" not in columns:
        raise ReadError("班级表须有“学校标识码”或“学校名称”列", sheet.file, sheet.name)
    records, findings = [], []
    for offset, row in enumerate(sheet.rows[header + 1 :]):
        excel_row = header + 2 + offset
        cells = {k: (row[i] if i < len(row) else None) for k, i in columns.items()}
        if all(c is None or not str(c).strip() for c in cells.values()):
            continue
        level = LEVEL_WORDS.get(fold(cells["level"] or ""))
        students = _number(cells["students"])
        if level is None:
            findings.append(
                _finding(
                    sheet,
                    "W_CLASS_LEVEL",
                    excel_row,
                    columns["level"],
                    "学段",
                    cells["level"],
                    "小学 或 初中",
                )
            )
            continue
        if students is None or students < 0:
            findings.append(
                _finding(
                    sheet,
                    "W_CLASS_NOT_NUMBER",
                    excel_row,
                    columns["students"],
                    "学生数",
                    cells["students"],
                    "数字",
                )
            )
            continue
        records.append(
            {
                "code": _text(cells.get("code")),
                "name": _text(cells.get("name")),
                "level": level.value,
                "class": _text(cells.get("class")),
                "students": students,
                "row": excel_row,
                "file": sheet.file,
                "sheet": sheet.name,
            }
        )
    columns_out = ["code", "name", "level", "class", "students", "row", "file", "sheet"]
    return ClassTable(pd.DataFrame(records, columns=columns_out), findings)


def _text(cell: object) -> str:
    if cell is None:
        return ""
    if isinstance(cell, float) and cell.is_integer():
        return str(int(cell))
    return str(cell).strip()


def read_county_sheet(
    sheet: Sheet, items: list[CountyItem]
) -> tuple[dict[str, CountyValue], list[Finding]]:
    header, columns = _find_header(sheet, COUNTY_HEADERS, {"item", "value"})
    lookup = _item_lookup(items)
    values: dict[str, CountyValue] = {}
    findings: list[Finding] = []
    for offset, row in enumerate(sheet.rows[header + 1 :]):
        excel_row = header + 2 + offset
        item = row[columns["item"]] if columns["item"] < len(row) else None
        cell = row[columns["value"]] if columns["value"] < len(row) else None
        if item is None or not str(item).strip():
            continue
        key = lookup.get(fold(item))
        if key is None:
            findings.append(
                _finding(
                    sheet,
                    "W_UNKNOWN_COUNTY_ITEM",
                    excel_row,
                    columns["item"],
                    "指标",
                    item,
                    "标准中的县级指标",
                )
            )
            continue
        if cell is None or not str(cell).strip():
            continue
        number = _number(cell)
        if number is None:
            findings.append(
                _finding(
                    sheet, "W_COUNTY_NOT_NUMBER", excel_row, columns["value"], "数值", cell, "数字"
                )
            )
            continue
        values[key] = CountyValue(
            number,
            f"{sheet.file}［{sheet.name}］第 {excel_row} 行",
            sheet.file,
            sheet.name,
            excel_row,
            column_letter(columns["value"]),
        )
    return values, findings


def _item_lookup(items: list[CountyItem]) -> dict[str, str]:
    lookup = {}
    for item in items:
        lookup[fold(item.id)] = item.id
        lookup[fold(item.name)] = item.id
        lookup[split_unit(item.name)[0]] = item.id
    return lookup


def read_county_yaml(path: Path, items: list[CountyItem]) -> dict[str, CountyValue]:
    """``指标 id 或名称: 数值`` pairs."""
    try:
        document = load_yaml_document(path, "县级指标文件")
    except READ_ERRORS as exc:
        raise ReadError(read_failure(exc, "县级指标文件", path), str(path)) from exc
    data = document.data
    if not isinstance(data, dict):
        raise ReadError("县级指标文件应为“指标: 数值”的键值对", str(path))
    lookup = _item_lookup(items)
    values = {}
    for key, raw in data.items():
        line = document.line_of(data, key)
        at = f"第 {line} 行：" if line is not None else ""
        item = lookup.get(fold(key))
        if item is None:
            known = "、".join(i.id for i in items)
            raise ReadError(f"{at}未知的县级指标 {key!r}；可用：{known}", str(path))
        number = _number(raw)
        if number is None:
            raise ReadError(
                f"{at}县级指标 {key!r} 的值 {short_repr(raw)} 不是数字或大得不合理"
                f"（应为有限的数字，绝对值小于 {MAX_VALUE_TEXT}）",
                str(path),
            )
        values[item] = CountyValue(number, str(path), str(path), "")
    return values
