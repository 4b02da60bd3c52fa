"""Names in a scenario: schools (by 学校标识码 or 学校名称) and quantities (by their Chinese
name, a field id or an indicator name), and how an amount of a quantity is written."""

from __future__ import annotations

import difflib
import re
import unicodedata
from typing import Any

import pandas as pd

from junheng_cli.model.fields import (
    CLASS_FIELDS,
    FIELDS,
    QUANTITY_FIELDS,
    Level,
    number_text,
    quantity_text,
)
from junheng_cli.model.fields import Field as SchemaField
from junheng_cli.standards.indicators import Indicator
from junheng_cli.standards.model import Standard
from junheng_cli.workflows.scenario.file_format import LEVEL_WORDS

TEACHERS = "teachers"


# Quantities a scenario may change: resources, never students or class counts.
CHANGEABLE: tuple[SchemaField, ...] = tuple(
    f for f in (*QUANTITY_FIELDS, *CLASS_FIELDS) if f.id != "students" and "classes" not in f.id
)
SHORT_SUFFIXES = ("面积", "台数", "册数", "值", "数")


def normalise(text: str) -> str:
    """Full-width to half-width, no spaces: how a name is matched."""
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", str(text)))


def _quantity_key(text: str) -> str:
    """A quantity name without a bracketed unit: 教学及辅助用房面积（㎡） → 教学及辅助用房面积."""
    return re.sub(r"\([^)]*\)$", "", normalise(text))


def short_name(field: SchemaField) -> str:
    """县级以上骨干教师数 → 县级以上骨干教师, 教学及辅助用房面积 → 教学及辅助用房."""
    for suffix in SHORT_SUFFIXES:
        if field.header.endswith(suffix):
            return field.header.removesuffix(suffix)
    return field.header


def target_field(indicator: Indicator) -> str:
    """The field an addition to this indicator goes into. For a sum of fields it is the last
    one: 体育运动场馆 = 体育馆 + 运动场地, and a playing field is what counties usually build."""
    return indicator.numerator[-1]


def vocabulary(standard: Standard) -> dict[str, str]:
    names: dict[str, str] = {}
    for ind in standard.indicators:
        field = target_field(ind)
        if field in {f.id for f in CHANGEABLE}:
            for name in (ind.id, ind.name, ind.short_name, ind.gap.what if ind.gap else None):
                if name:
                    names[_quantity_key(name)] = field
    for field in CHANGEABLE:  # field names win over indicator names
        for name in (field.id, field.header, short_name(field)):
            names[_quantity_key(name)] = field.id
    return names


def resolve_quantity(
    text: str, standard: Standard, words: dict[str, str] | None = None
) -> tuple[str, Level | None]:
    """A quantity named in Chinese or by id → (field id, level named in it, if any)."""
    words = vocabulary(standard) if words is None else words
    name = _quantity_key(text)
    if name in words:
        return words[name], None
    for word, level in LEVEL_WORDS.items():
        for rest in (name.removeprefix(word), name.removesuffix(f"_{word}")):
            if rest != name and rest in words and FIELDS[words[rest]].per_level:
                return words[rest], level
    known = "、".join(short_name(f) for f in CHANGEABLE)
    raise ValueError(f"不认识的数量“{text}”；可用：{known}（或字段 id，或标准中的指标名称）")


class SchoolIndex:
    """Schools of the frame by 学校标识码 and by 学校名称."""

    def __init__(self, frame: pd.DataFrame) -> None:
        self.by_code: dict[str, list[Any]] = {}
        self.by_name: dict[str, list[Any]] = {}
        codes = frame["code"] if "code" in frame else pd.Series(None, index=frame.index)
        self.names: dict[Any, str] = {}
        self.codes: dict[Any, str] = {}
        for label, code, name in zip(frame.index, codes, frame["name"], strict=True):
            if isinstance(code, str) and code.strip():
                self.by_code.setdefault(code.strip(), []).append(label)
                self.codes[label] = code.strip()
            if isinstance(name, str):
                self.by_name.setdefault(normalise(name), []).append(label)
                self.names[label] = name

    def find(self, ref: str) -> Any:
        key = str(ref).strip()
        labels = self.by_code.get(key) or self.by_name.get(normalise(key), [])
        if not labels:
            hint = "；学校标识码请加引号，如 '0123'" if key.isdigit() else ""
            close = difflib.get_close_matches(key, list(self.names.values()), n=3, cutoff=0.6)
            if close:
                hint += "；是不是：" + "、".join(close)
            raise ValueError(f"找不到学校“{ref}”（按学校标识码或学校名称查找{hint}）")
        if len(labels) > 1:
            raise ValueError(f"有 {len(labels)} 所学校叫“{ref}”：请改用学校标识码")
        return labels[0]

    def unique_key(self, label: Any) -> str:
        """The name when no other school has it, else the code: what a saved file names."""
        name = self.names.get(label, "")
        if len(self.by_name.get(normalise(name), [])) == 1 or label not in self.codes:
            return name
        return self.codes[label]


def split_column(column: str) -> tuple[str, Level | None]:
    for level in Level:
        if column.endswith(f"_{level.value}"):
            return column.removesuffix(f"_{level.value}"), level
    return column, None


def column_header(column: str) -> str:
    field, level = split_column(column)
    return FIELDS[field].header_for(level)


def whole_if_counted(field: str, amount: float) -> None:
    if FIELDS[field].kind == "count" and not float(amount).is_integer():
        raise ValueError(f"{short_name(FIELDS[field])}须为整数，而不是 {number_text(amount)}")


MEASURE = {"人": "名"}


def amount_text(amount: float, field: str) -> str:
    """3 名县级以上骨干教师 / 800 ㎡教学及辅助用房 / 12.00 万元教学仪器设备."""
    spec = FIELDS[field]
    return f"{quantity_text(amount, MEASURE.get(spec.unit, spec.unit))}{short_name(spec)}"
