"""Canonical fields of the school table and the levels (学段) they belong to.

The catalogue itself is data (``data/fields.yaml``), read once at import; no pandas and no
pydantic, so that the CLI can import this cheaply. A province's own fields are added with
:func:`parse_fields` and :func:`register_fields`.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path
from typing import Literal

import yaml

from junheng_cli.errors import JunhengError
from junheng_cli.io.yaml_safe import load_shipped_yaml

# The one bound on a figure, for school data, scenario changes and county items alike: no
# school quantity comes near it (1e13 元 = 10 万亿), and beyond it is a typo. Sums and squares
# of figures below it stay far from float64's overflow.
MAX_VALUE = 1e13
MAX_VALUE_TEXT = "10 万亿"


def plausible_figure(value: float) -> bool:
    """Finite and below ``MAX_VALUE`` in size: a figure junheng computes with."""
    return math.isfinite(value) and abs(value) < MAX_VALUE


def short_repr(value: object) -> str:
    """A value as typed, for a message, cut short: 400 digits are not repeated in full."""
    text = repr(value)
    return text if len(text) <= 40 else f"{text[:40]}…"


class Level(StrEnum):
    PRIMARY = "primary"
    JUNIOR = "junior"
    SENIOR = "senior"

    @property
    def chinese(self) -> str:
        return LEVEL_NAMES[self]


LEVEL_NAMES: dict[Level, str] = {
    Level.PRIMARY: "小学",
    Level.JUNIOR: "初中",
    Level.SENIOR: "高中",
}

FieldKind = Literal["text", "count", "number"]


@dataclass(frozen=True)
class Field:
    """One column of the canonical school table.

    ``per_level`` fields exist once per level (小学专任教师数, 初中专任教师数 …);
    the others are reported once for the whole school and are split between
    levels for mixed schools. ``required`` concerns identity fields only: which
    quantities are required is decided by the standard's indicators.
    """

    id: str
    header: str
    kind: FieldKind
    unit: str = ""
    required: bool = True
    per_level: tuple[Level, ...] = ()
    splits: bool = True  # a whole-school quantity shared out between the levels of a school
    part_of: str | None = None  # "teachers": never above 专任教师数 of the same level

    def column(self, level: Level | None = None) -> str:
        return f"{self.id}_{level.value}" if level is not None else self.id

    def header_for(self, level: Level | None = None) -> str:
        return f"{level.chinese}{self.header}" if level is not None else self.header


TEACHER_LEVELS = (Level.PRIMARY, Level.JUNIOR)
STUDENT_LEVELS = (Level.PRIMARY, Level.JUNIOR, Level.SENIOR)

# The catalogue is data: data/fields.yaml, one section per block of the template, in order.
FIELDS_FILE = Path(__file__).resolve().parent.parent / "data" / "fields.yaml"
SECTIONS = ("identity", "quantities", "classes", "scope", "allowances")
FIELD_KINDS: tuple[FieldKind, ...] = ("text", "count", "number")
PART_OF = ("teachers",)  # what a field may be a part of (checked by validation)
_KEYS = ("id", "header", "kind", "unit", "levels", "required", "splits", "part_of")
_ID = re.compile(r"[a-z][a-z0-9_]*\Z")
_LEVEL_SUFFIXES = tuple(f"_{level.value}" for level in Level)


class FieldsError(JunhengError):
    """A fields catalogue (the built-in one, or a province's fields) is malformed."""


def parse_fields(entries: object, source: str) -> tuple[Field, ...]:
    """The fields of a list of catalogue entries (``- {id: …, header: …, kind: …}``), checked.
    ``source`` names where they come from (``字段目录 …/fields.yaml 的 quantities``) in the
    Chinese error, which also names the entry."""
    if not isinstance(entries, list):
        raise FieldsError(f"{source}：应为字段列表（- {{id: …, header: …, kind: …}}）")
    fields = tuple(_parse_entry(entry, f"{source} 第 {n} 项") for n, entry in enumerate(entries, 1))
    _check_unique(fields, (), source)
    return fields


def _parse_entry(entry: object, where: str) -> Field:
    if not isinstance(entry, dict):
        raise FieldsError(
            f"{where}：应为键值映射（id、header、kind …），而不是 {short_repr(entry)}"
        )
    field_id = entry.get("id")
    if isinstance(field_id, str):
        where = f"{where}（{field_id}）"
    unknown = [str(k) for k in entry if k not in _KEYS]
    if unknown:
        raise FieldsError(f"{where}：未知的键 {'、'.join(unknown)}；可用的键：{'、'.join(_KEYS)}")
    if not isinstance(field_id, str) or not _ID.match(field_id):
        raise FieldsError(f"{where}：id 应为小写英文名（字母、数字、下划线），而不是 {field_id!r}")
    if field_id.endswith(_LEVEL_SUFFIXES):
        raise FieldsError(
            f"{where}：id 不能以学段结尾（{'、'.join(_LEVEL_SUFFIXES)}），请用 levels"
        )
    header = entry.get("header")
    if not isinstance(header, str) or not header.strip():
        raise FieldsError(f"{where}：缺少 header（模板表头，如 图书册数）")
    kind = entry.get("kind")
    if kind not in FIELD_KINDS:
        raise FieldsError(f"{where}：kind 应为 {'、'.join(FIELD_KINDS)} 之一，而不是 {kind!r}")
    unit = entry.get("unit", "")
    if not isinstance(unit, str):
        raise FieldsError(f"{where}：unit 应为文字（人、㎡、元 …），而不是 {unit!r}")
    part_of = entry.get("part_of")
    if part_of is not None and part_of not in PART_OF:
        raise FieldsError(f"{where}：part_of 只能是 {'、'.join(PART_OF)}，而不是 {part_of!r}")
    return Field(
        field_id,
        header.strip(),
        kind,
        unit,
        required=_flag(entry, "required", where),
        per_level=_levels(entry.get("levels", []), where),
        splits=_flag(entry, "splits", where),
        part_of=part_of,
    )


def _flag(entry: dict[object, object], key: str, where: str) -> bool:
    value = entry.get(key, True)
    if not isinstance(value, bool):
        raise FieldsError(f"{where}：{key} 应为 true 或 false，而不是 {value!r}")
    return value


def _levels(value: object, where: str) -> tuple[Level, ...]:
    known = [level.value for level in Level]
    if not isinstance(value, list) or any(v not in known for v in value):
        raise FieldsError(f"{where}：levels 应为学段列表（{'、'.join(known)}），而不是 {value!r}")
    if len(set(value)) != len(value):
        raise FieldsError(f"{where}：levels 中有重复的学段 {value!r}")
    return tuple(Level(v) for v in value)


def _check_unique(fields: tuple[Field, ...], known: Iterable[Field], source: str) -> None:
    """No id and no template header twice, among ``fields`` and against ``known``."""
    ids: dict[str, Field] = {}
    headers: dict[str, Field] = {}
    for field in (*known, *fields):
        if field.id in ids:
            raise FieldsError(f"{source}：字段 {field.id!r} 定义了两次")
        ids[field.id] = field
        for level in field.per_level or (None,):
            header = field.header_for(level)
            if header in headers:
                raise FieldsError(
                    f"{source}：字段 {field.id!r} 的表头 {header!r} 与字段 "
                    f"{headers[header].id!r} 相同"
                )
            headers[header] = field


def load_catalogue(path: Path = FIELDS_FILE) -> dict[str, tuple[Field, ...]]:
    """The built-in catalogue's sections, each a tuple of fields in template order."""
    try:
        data = load_shipped_yaml(path.read_text("utf-8"))
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as exc:
        raise FieldsError(f"无法读取字段目录 {path}：{exc}") from exc
    if not isinstance(data, dict) or list(data) != list(SECTIONS):
        raise FieldsError(f"字段目录 {path} 应依次有这些部分：{'、'.join(SECTIONS)}")
    sections = {s: parse_fields(data[s], f"字段目录 {path} 的 {s}") for s in SECTIONS}
    _check_unique(tuple(f for s in SECTIONS for f in sections[s]), (), f"字段目录 {path}")
    return sections


_CATALOGUE = load_catalogue()
IDENTITY_FIELDS: tuple[Field, ...] = _CATALOGUE["identity"]
QUANTITY_FIELDS: tuple[Field, ...] = _CATALOGUE["quantities"]
# Optional: what the 2017 government-guarantee items need (school size uses the students).
CLASS_FIELDS: tuple[Field, ...] = _CATALOGUE["classes"]
# Optional: who runs the school. After the other columns in the template.
SCOPE_FIELDS: tuple[Field, ...] = _CATALOGUE["scope"]
# Optional: the figures the 2019 规程's allowances rest on.
ALLOWANCE_FIELDS: tuple[Field, ...] = _CATALOGUE["allowances"]

FIELDS: dict[str, Field] = {f.id: f for section in _CATALOGUE.values() for f in section}

# The teacher fields that are parts of 专任教师数 of the same level.
TEACHER_PARTS: tuple[str, ...] = tuple(f.id for f in FIELDS.values() if f.part_of == "teachers")

# A province's own fields, added by register_fields after the built-in ones.
_REGISTERED: list[Field] = []


def register_fields(fields: Iterable[Field], source: str) -> tuple[Field, ...]:
    """Add a province's fields (e.g. parsed from its standard file's ``fields:`` section by
    :func:`parse_fields`) to ``FIELDS`` and to the end of the template; returns those added.
    The same definition again is a no-op (a standard loaded twice); a known id or header with
    another definition is an error."""
    new = tuple(f for f in fields if FIELDS.get(f.id) != f)
    if any(f.part_of for f in new):
        raise FieldsError(f"{source}：省份字段暂不能设 part_of（只有内置字段参与教师数核对）")
    _check_unique(new, FIELDS.values(), source)
    for field in new:
        FIELDS[field.id] = field
        _REGISTERED.append(field)
    return new


def registered_fields() -> tuple[Field, ...]:
    """The fields added by :func:`register_fields`, in the order they were added."""
    return tuple(_REGISTERED)


@dataclass(frozen=True)
class Column:
    """A concrete column of the canonical table: a field, maybe for one level."""

    field: Field
    level: Level | None = None

    @property
    def name(self) -> str:
        return self.field.column(self.level)

    @property
    def header(self) -> str:
        return self.field.header_for(self.level)

    @property
    def header_with_unit(self) -> str:
        unit = self.field.unit
        return f"{self.header}（{unit}）" if unit and unit not in ("人",) else self.header


def template_columns() -> list[Column]:
    """Every column of the input template, in template order."""
    columns = [Column(f) for f in IDENTITY_FIELDS]
    students = FIELDS["students"]
    columns += [Column(students, level) for level in students.per_level]
    for level in TEACHER_LEVELS:
        columns += [Column(f, level) for f in QUANTITY_FIELDS if f.per_level == TEACHER_LEVELS]
    columns += [Column(f) for f in QUANTITY_FIELDS if not f.per_level]
    for level in TEACHER_LEVELS:
        columns += [Column(f, level) for f in CLASS_FIELDS if f.per_level]
    columns += [Column(f) for f in CLASS_FIELDS if not f.per_level]
    columns += [Column(f) for f in SCOPE_FIELDS]
    for level in TEACHER_LEVELS:
        columns += [Column(f, level) for f in ALLOWANCE_FIELDS if f.per_level]
    columns += [Column(f) for f in ALLOWANCE_FIELDS if not f.per_level]
    for level in Level:
        columns += [Column(f, level) for f in _REGISTERED if level in f.per_level]
    columns += [Column(f) for f in _REGISTERED if not f.per_level]
    return columns


def number_text(value: float) -> str:
    """2,080,810 / 2.50: whole numbers with thousands separators, others to 2 places (never
    scientific notation)."""
    return f"{value:,.0f}" if float(value).is_integer() else f"{value:,.2f}"


def quantity_text(amount: float, unit: str) -> str:
    """3 名 / 1,200 ㎡ / 753.42 万元: money in 万元 from 10,000 元 on. The one way an amount of
    a field's unit is written, in reports and in messages."""
    if unit == "元" and abs(amount) >= 10_000:
        return f"{amount / 10_000:,.2f} 万元"
    return f"{number_text(amount)} {unit}"
