"""Recognise header texts: template headers, aliases kept as data, units, user mappings."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import cache
from importlib import resources
from pathlib import Path

import yaml

from junheng_cli.errors import JunhengError
from junheng_cli.io.yaml_safe import READ_ERRORS, load_shipped_yaml, load_yaml, read_failure
from junheng_cli.model.fields import FIELDS, Column, Level, template_columns

_TRAILING_PARENS = re.compile(r"[(（]([^()（）]*)[)）]$")
UNIT_KINDS = {"元": "money", "㎡": "area"}  # every other template unit counts things


class MappingError(JunhengError):
    """A user mapping file cannot be used. The message is for the user (Chinese)."""


@dataclass(frozen=True)
class HeaderMatch:
    column: Column
    unit: str | None = None  # the unit as written in the header, if any
    factor: float = 1.0  # multiply the column's values by this to get the template unit
    unit_problem: str | None = None  # "unknown" or "mismatch"


def fold(text: object) -> str:
    """Text without spaces or line breaks, full-width forms folded (NFKC)."""
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", str(text)))


def split_unit(text: object) -> tuple[str, str | None]:
    """'教学仪器设备值（万元）' → ('教学仪器设备值', '万元'), after folding."""
    folded = fold(text)
    match = _TRAILING_PARENS.search(folded)
    if not match:
        return folded, None
    unit = match.group(1).removeprefix("单位:").removeprefix("单位")
    return folded[: match.start()], unit


@cache
def _data() -> dict:
    text = resources.files("junheng_cli").joinpath("data/headers.yaml").read_text("utf-8")
    return load_shipped_yaml(text)


@cache
def _units() -> dict[str, tuple[str, float]]:
    return {fold(k): (kind, float(factor)) for k, (kind, factor) in _data()["units"].items()}


def forget_lookups() -> None:
    """After a standard registered fields of its own: the header lookup is built anew."""
    _builtin_lookup.cache_clear()


@cache
def _builtin_lookup() -> dict[str, Column]:
    data = _data()
    lookup: dict[str, Column] = {}
    level_names = {Level(k): v for k, v in data["levels"].items()}
    for column in template_columns():
        aliases = [column.field.header, *data["aliases"].get(column.field.id, [])]
        if column.level is None:
            names = aliases
        else:
            names = [f"{lv}{a}" for lv in level_names[column.level] for a in aliases]
        for name in names:
            lookup.setdefault(fold(name), column)
    return lookup


class HeaderLookup:
    """Maps header texts to canonical columns; a user mapping takes precedence."""

    def __init__(self, user_mapping: dict[str, Column] | None = None) -> None:
        self._user = {fold(k): v for k, v in (user_mapping or {}).items()}
        self._user.update({split_unit(k)[0]: v for k, v in (user_mapping or {}).items()})
        self._seen: dict[str, HeaderMatch | None] = {}

    def column(self, text: object) -> Column | None:
        match = self.match(text)
        return match.column if match else None

    def match(self, text: object) -> HeaderMatch | None:
        if text is None or not str(text).strip():
            return None
        key = str(text)
        if key not in self._seen:
            self._seen[key] = self._match(key)
        return self._seen[key]

    def _match(self, text: str) -> HeaderMatch | None:
        folded = fold(text)
        base, unit = split_unit(text)
        for key in (folded, base):
            column = self._user.get(key) or _builtin_lookup().get(key)
            if column is not None:
                return _with_unit(column, unit)
        return None


def _with_unit(column: Column, unit: str | None) -> HeaderMatch:
    if unit is None or column.field.kind == "text":
        return HeaderMatch(column)
    known = _units().get(fold(unit))
    if known is None:
        return HeaderMatch(column, unit, 1.0, "unknown")
    kind, factor = known
    expected = UNIT_KINDS.get(column.field.unit, "count")
    if kind != expected:
        return HeaderMatch(column, unit, 1.0, "mismatch")
    return HeaderMatch(column, unit, factor)


def column_by_name(name: str) -> Column | None:
    """'students_primary' → Column(students, primary); 'books' → Column(books)."""
    if name in FIELDS and not FIELDS[name].per_level:
        return Column(FIELDS[name])
    for level in Level:
        suffix = f"_{level.value}"
        base = name.removesuffix(suffix)
        if base != name and base in FIELDS and level in FIELDS[base].per_level:
            return Column(FIELDS[base], level)
    return None


def mapping_line(header: str, column: Column) -> str:
    """The line of a ``--columns`` mapping file that reads the column headed ``header`` as
    ``column`` (``学生数: students_primary``), quoted as YAML needs it (``'yes': …``); spaces and
    line breaks inside the header are left out (headers are compared without them)."""
    key = re.sub(r"\s+", "", header)
    return yaml.safe_dump({key: column.name}, allow_unicode=True, width=10_000).strip()


def load_mapping(path: Path) -> dict[str, Column]:
    """A user mapping file: ``表头文字: 字段`` pairs, optionally under ``columns:``."""
    try:
        data = load_yaml(path, "列名映射文件")
    except READ_ERRORS as exc:
        raise MappingError(read_failure(exc, "列名映射文件", path)) from exc
    if isinstance(data, dict) and isinstance(data.get("columns"), dict):
        data = data["columns"]
    if not isinstance(data, dict) or not data:
        raise MappingError(f"列名映射文件 {path} 应为“表头文字: 字段名”的键值对")
    mapping: dict[str, Column] = {}
    valid = ", ".join(c.name for c in template_columns())
    for header, name in data.items():
        column = column_by_name(str(name))
        if column is None:
            raise MappingError(
                f"列名映射文件 {path}：表头 {header!r} 对应的字段 {name!r} 不存在；"
                f"可用字段：{valid}"
            )
        mapping[str(header)] = column
    return mapping
