"""Evaluation standards, kept as YAML data in ``standards/`` and validated by pydantic.

A standard says which indicators are computed from which canonical fields, how the
difference coefficient is computed and judged, and which school types are evaluated in
which levels (with the weights that split mixed schools). No formula is ever evaluated
from a file: indicators are ratios of named fields, nothing else.
"""

# pydantic copies a mutable default per instance; ruff sees BaseModel only through Strict.
# ruff: noqa: RUF012
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pydantic import Field, ValidationError, model_validator

from junheng_cli.model.fields import Level
from junheng_cli.model.pydantic_zh import pydantic_errors_zh
from junheng_cli.standards.base import Strict
from junheng_cli.standards.files import (
    StandardError,
    StandardFile,
    choice_note,
    definitions,
    discover,
    read_yaml_mapping,
    resolve,
)
from junheng_cli.standards.government import CountyItem, Government
from junheng_cli.standards.indicators import CVMethod, Indicator, Judgement, SchoolRule
from junheng_cli.standards.schools import SchoolType, Scope


class Standard(Strict):
    id: str
    name: str
    aliases: list[str] = []  # short names accepted by --standard: 基本均衡
    version: str
    source: str
    levels: dict[Level, str] = Field(min_length=1)
    cv: CVMethod = CVMethod()
    judgement: Judgement
    indicators: list[Indicator] = Field(min_length=1)
    school_types: dict[str, SchoolType] = Field(min_length=1)
    school_rule: SchoolRule | None = None
    government: Government | None = None
    county_items: list[CountyItem] = []
    scope: Scope = Scope()  # which schools are left out by who runs them
    extends: str | None = None  # the id of the standard this file was built on
    example: bool = False  # an example to be confirmed by the user, not an official text

    @model_validator(mode="after")
    def _consistent(self) -> Standard:
        ids = [i.id for i in self.indicators]
        if len(set(ids)) != len(ids):
            raise ValueError(f"指标 id 重复：{ids}")
        missing = [lv.value for lv in self.levels if lv not in self.judgement.limits]
        if missing:
            raise ValueError(f"judgement.limits 缺少学段 {missing}")
        if Level.SENIOR in self.levels:
            raise ValueError("高中不是义务教育学段，不能作为参评学段")
        if self.school_rule is not None:
            lacking = [
                i.id for i in self.indicators if any(lv not in i.thresholds for lv in self.levels)
            ]
            if lacking:
                raise ValueError(f"有 school_rule 时每项指标都须给出各学段的 thresholds：{lacking}")
            if self.school_rule.min_met > len(self.indicators):
                raise ValueError("school_rule.min_met 不能大于指标项数")
        return self

    def select(self, refs: list[str]) -> Standard:
        """The same standard with only these indicators (by id, name or short name), for a
        partial run (``--indicators``). Raises ``StandardError`` naming an unknown one."""
        chosen: list[Indicator] = []
        for ref in refs:
            found = next((i for i in self.indicators if ref in (i.id, i.name, i.short_name)), None)
            if found is None:
                known = "、".join(f"{i.id}（{i.label}）" for i in self.indicators)
                raise StandardError(f"标准 {self.id} 中没有指标 {ref!r}；可用：{known}")
            if found not in chosen:
                chosen.append(found)
        if not chosen:
            raise StandardError("--indicators 至少要给出一项指标")
        return self.model_copy(update={"indicators": chosen})

    @property
    def judges_schools(self) -> bool:
        return self.school_rule is not None

    @property
    def evaluated_levels(self) -> list[Level]:
        return list(self.levels)

    def quantities(self) -> list[str]:
        """Every canonical quantity the indicators need, in first-use order."""
        seen: dict[str, None] = {}
        for indicator in self.indicators:
            for field in indicator.numerator:
                seen.setdefault(field, None)
        return list(seen)

    def type_lookup(self) -> dict[str, str]:
        """Map every accepted spelling of a school type to its canonical name."""
        lookup: dict[str, str] = {}
        for name, school_type in self.school_types.items():
            lookup[name] = name
            for alias in school_type.aliases:
                lookup[alias] = name
        return lookup


# Keys of a base standard that a file built on it with ``extends`` does not inherit.
NOT_INHERITED = ("example", "aliases")


def _resolved_data(path: Path, seen: tuple[Path, ...] = ()) -> dict[str, Any]:
    """The file's data, with ``extends: <id>`` resolved by merging onto the base standard.

    The base is the first definition of that id on the search path other than this file, so
    a province's ``quality-2017.yaml`` may extend the built-in ``quality-2017``."""
    seen = (*seen, path.resolve())
    data = read_yaml_mapping(path)
    base_id = data.get("extends")
    if base_id is None:
        return data
    candidates = [f for f in definitions(discover(), str(base_id)) if f.path.resolve() not in seen]
    if not candidates:
        if any(f.path.resolve() in seen for f in definitions(discover(), str(base_id))):
            raise StandardError(f"标准文件 {path} 的 extends 形成循环")
        raise StandardError(f"标准文件 {path}：extends 指向未知的标准 {base_id!r}")
    base = _resolved_data(candidates[0].path, seen)
    for key in NOT_INHERITED:
        base.pop(key, None)
    return merge_standard_data(base, data)


def merge_standard_data(base: dict[str, Any], override: dict[str, Any]) -> dict[str, Any]:
    """Overlay a province's file on its base: mappings merge key by key, ``indicators`` merge
    by id (a new id is an extra indicator), other values are replaced."""
    merged = dict(base)
    for key, value in override.items():
        if key == "indicators" and isinstance(value, list):
            merged[key] = _merge_indicators(base.get(key, []), value)
        elif isinstance(value, dict) and isinstance(base.get(key), dict):
            merged[key] = merge_standard_data(base[key], value)
        else:
            merged[key] = value
    return merged


def _merge_indicators(base: list[Any], override: list[Any]) -> list[Any]:
    merged = [dict(i) if isinstance(i, dict) else i for i in base]
    positions = {i.get("id"): n for n, i in enumerate(merged) if isinstance(i, dict)}
    for item in override:
        if isinstance(item, dict) and item.get("id") in positions:
            n = positions[item["id"]]
            merged[n] = merge_standard_data(merged[n], item)
        else:
            merged.append(item)
    return merged


def load_standard_file(path: Path) -> Standard:
    data = dict(_resolved_data(path))  # a copy: the parsed files are cached
    _register_province_fields(data.pop("fields", None), path)
    try:
        return Standard.model_validate(data)
    except ValidationError as exc:
        raise StandardError(_describe_validation_error(path, exc)) from exc


def _register_province_fields(entries: object, path: Path) -> None:
    """A standard's own ``fields:`` (the fields catalogue's format) join the template's
    fields, so that its indicators can name them and the workbook's headers are read."""
    if entries is None:
        return
    from junheng_cli.io.headers import forget_lookups
    from junheng_cli.model.fields import FieldsError, parse_fields, register_fields

    source = f"标准文件 {path} 的 fields"
    try:
        if register_fields(parse_fields(entries, source), source):
            forget_lookups()
    except FieldsError as exc:
        raise StandardError(str(exc)) from exc


def _describe_validation_error(path: Path, exc: ValidationError) -> str:
    return pydantic_errors_zh(f"标准文件 {path}", exc, "字段")


def load_standard(ref: str) -> Standard:
    """Load a standard by id, by an alias declared in a standard file (基本均衡, 优质均衡) or
    by file path; see ``files`` for the search order."""
    return load_resolved(ref)[0]


def load_resolved(ref: str) -> tuple[Standard, str | None]:
    """The standard ``ref`` names, and a note when the choice needs saying (an id defined
    more than once, a user file overriding a built-in one)."""
    resolution = resolve(ref)
    return load_standard_file(resolution.file.path), resolution.note


@dataclass(frozen=True)
class ListedStandard:
    """A standard file found on the search path: loaded (or why not), and whether it is the
    definition used for its id."""

    file: StandardFile
    loaded: Standard | StandardError
    used: bool
    note: str | None


def list_standards() -> list[ListedStandard]:
    """Every standard file on the search path, in search order."""
    found = discover()
    listed: list[ListedStandard] = []
    for file in found:
        defined = definitions(found, file.id)
        try:
            loaded: Standard | StandardError = load_standard_file(file.path)
        except StandardError as exc:
            loaded = exc
        listed.append(ListedStandard(file, loaded, defined[0] == file, choice_note(defined)))
    return listed
