"""The scenario file (方案): a YAML file of changes, read and checked. ::

    名称: 2026 年补短板方案            # optional
    变化:
      - 学校: 城关新华小学              # 学校名称 or 学校标识码
        增加: 县级以上骨干教师          # a quantity: its Chinese name or field id
        数量: 3                         # negative: a reduction
        学段: 小学                      # teachers of a 九年一贯制 / 十二年一贯制 school
        新增教师: 否                    # optional: existing teachers (评定为骨干)
      - 学校: 柳河新华小学
        增加: 教学及辅助用房面积
        数量: 800                       # ㎡
      - 调出: 城关第一小学              # move teachers between schools of the same level
        调入: 城关新华小学
        教师: 县级以上骨干教师          # a kind, a list of kinds, or 专任教师
        数量: 2

Every error the file has is named with its line and entry (``load_scenario``).
"""

from __future__ import annotations

import math
from pathlib import Path
from typing import Annotated, Any

import numpy as np
from pydantic import (
    BaseModel,
    ConfigDict,
    Discriminator,
    Field,
    Tag,
    ValidationError,
    field_validator,
)

from junheng_cli.errors import JunhengError
from junheng_cli.io.yaml_safe import READ_ERRORS, YamlDocument, load_yaml_document, read_failure
from junheng_cli.model.fields import MAX_VALUE, MAX_VALUE_TEXT, Level, plausible_figure, short_repr

LEVEL_WORDS: dict[str, Level] = {
    "小学": Level.PRIMARY,
    "初中": Level.JUNIOR,
    "primary": Level.PRIMARY,
    "junior": Level.JUNIOR,
}
YES_NO: dict[str, bool] = {"是": True, "否": False, "yes": True, "no": False}


class ScenarioError(JunhengError):
    """The scenario file cannot be read or one of its changes cannot be applied. The message
    names the file and the entry and is for the user."""


class _Entry(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)

    @field_validator("level", mode="before", check_fields=False)
    @classmethod
    def _level(cls, value: object) -> object:
        if value is None or isinstance(value, Level):
            return value
        word = str(value).strip()
        if word not in LEVEL_WORDS:
            raise ValueError(f"学段应为 小学 或 初中，而不是 {word!r}")
        return LEVEL_WORDS[word]

    @field_validator("school", "source", "target", mode="before", check_fields=False)
    @classmethod
    def _school_text(cls, value: object) -> object:
        # An unquoted 学校标识码 is read by YAML as a number.
        return str(value) if isinstance(value, int) and not isinstance(value, bool) else value


class AddChange(_Entry):
    """Add (or, with a negative amount, remove) a quantity at one school."""

    school: str = Field(alias="学校", min_length=1)
    quantity: str = Field(alias="增加", min_length=1)
    amount: float = Field(alias="数量")
    level: Level | None = Field(default=None, alias="学段")
    new_teachers: bool = Field(default=True, alias="新增教师")
    note: str | None = Field(default=None, alias="说明")

    @field_validator("new_teachers", mode="before")
    @classmethod
    def _yes_no(cls, value: object) -> object:
        return YES_NO.get(value, value) if isinstance(value, str) else value

    @field_validator("amount")
    @classmethod
    def _not_zero(cls, value: float) -> float:
        if value == 0 or not np.isfinite(value):
            raise ValueError("“数量”应为不等于 0 的数字（负数表示减少）")
        _check_plausible(value)
        return value


class MoveChange(_Entry):
    """Move teachers of one or more kinds from one school to another (交流轮岗)."""

    source: str = Field(alias="调出", min_length=1)
    target: str = Field(alias="调入", min_length=1)
    kinds: list[str] = Field(alias="教师", min_length=1)
    amount: int = Field(alias="数量", gt=0)
    level: Level | None = Field(default=None, alias="学段")
    note: str | None = Field(default=None, alias="说明")

    @field_validator("kinds", mode="before")
    @classmethod
    def _one_or_many(cls, value: object) -> object:
        return [value] if isinstance(value, str) else value

    @field_validator("amount")
    @classmethod
    def _plausible(cls, value: int) -> int:
        _check_plausible(value)
        return value


def _check_plausible(amount: float) -> None:
    """An amount is a figure like those of the school data: 1e308 ㎡ or 1e23 teachers are
    refused here, not carried into overflowing sums and NaN CVs."""
    try:
        number = float(amount)
    except OverflowError:  # an int of hundreds of digits
        number = math.inf
    if not plausible_figure(number):
        text = f"{number:.6g}" if math.isfinite(number) else f"{str(amount)[:12]}…"
        raise ValueError(f"“数量”{text} 大得不合理（应为有限的数字，绝对值小于 {MAX_VALUE_TEXT}）")


def _entry_kind(value: Any) -> str | None:
    if isinstance(value, AddChange | MoveChange):
        return "add" if isinstance(value, AddChange) else "move"
    if isinstance(value, dict):
        if {"调出", "调入", "教师", "source", "target", "kinds"} & set(value):
            return "move"
        if {"学校", "增加", "school", "quantity"} & set(value):
            return "add"
    return None


Change = Annotated[
    Annotated[AddChange, Tag("add")] | Annotated[MoveChange, Tag("move")],
    Discriminator(
        _entry_kind,
        custom_error_type="unknown_change",
        custom_error_message="unknown change",
    ),
]


class Scenario(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)

    title: str | None = Field(default=None, alias="名称")
    note: str | None = Field(default=None, alias="说明")
    standard: str | None = Field(default=None, alias="标准")
    changes: list[Change] = Field(alias="变化", min_length=1)


ENTRY_KEYS = {
    "add": "学校、增加、数量、学段、新增教师、说明",
    "move": "调出、调入、教师、数量、学段、说明",
    "top": "名称、说明、标准、变化",
}


def load_scenario(path: Path) -> Scenario:
    """Read and check a scenario file (UTF-8 or GBK). Raises ``ScenarioError``."""
    try:
        document = load_yaml_document(path, "方案文件")
    except READ_ERRORS as exc:
        raise ScenarioError(read_failure(exc, "方案文件", path)) from exc
    data = document.data
    if isinstance(data, list):  # a bare list of changes
        data = {"变化": data}
    if not isinstance(data, dict) or not data.get("变化", data.get("changes")):
        raise ScenarioError(
            f"方案文件 {path} 应有“变化”：一个列表，每项是一处变化"
            "（学校、增加、数量，或 调出、调入、教师、数量）"
        )
    try:
        return Scenario.model_validate(data)
    except ValidationError as exc:
        raise ScenarioError(_describe_errors(path, exc, data, document)) from exc


def _describe_errors(
    path: Path, exc: ValidationError, data: dict[str, Any], document: YamlDocument
) -> str:
    lines = [f"方案文件 {path} 有 {exc.error_count()} 处错误："]
    for error in exc.errors():
        loc = [part for part in error["loc"] if part not in ("add", "move")]
        where, key, kind = "", "", "top"
        if len(loc) >= 2 and loc[0] in ("变化", "changes") and isinstance(loc[1], int):
            entry = data.get("变化", data.get("changes"))[loc[1]]
            kind = _entry_kind(entry) or "add"
            key = str(loc[2]) if len(loc) > 2 else ""
            line = document.line_of(entry, key) or document.line_of(entry)
            where = f"第 {line} 行，" if line is not None else ""
            where += f"第 {loc[1] + 1} 项变化{_entry_label(entry)}："
        elif loc:
            key = str(loc[0])
        lines.append(f"  {where}{_error_text(error, key, kind)}")
    return "\n".join(lines)


def _entry_label(entry: object) -> str:
    if not isinstance(entry, dict):
        return ""
    school = entry.get("学校") or (
        f"{entry.get('调出')} → {entry.get('调入')}" if "调出" in entry else None
    )
    return f"（{school}）" if school else ""


def _error_text(error: Any, key: str, kind: str) -> str:
    kind_of = error["type"]
    if kind_of == "missing":
        return f"缺少“{key}”"
    if kind_of == "extra_forbidden":
        return f"不认识的键“{key}”（可用：{ENTRY_KEYS[kind]}）"
    if kind_of == "unknown_change":
        return "无法判断是哪种变化：增加写 学校、增加、数量；调动教师写 调出、调入、教师、数量"
    if kind_of in ("finite_number", "int_parsing_size") or _huge_int(error.get("input")):
        return f"“{key}”应为有限的数字，绝对值小于 {MAX_VALUE_TEXT}"
    if kind_of in ("int_from_float", "int_parsing", "int_type"):
        return f"“{key}”应为整数，而不是 {short_repr(error.get('input'))}"
    if kind_of in ("float_parsing", "float_type"):
        return f"“{key}”应为数字，而不是 {short_repr(error.get('input'))}"
    if kind_of == "greater_than":
        return f"“{key}”应大于 0，而不是 {error.get('input')!r}"
    if kind_of == "bool_parsing" or kind_of == "bool_type":
        return f"“{key}”应为 是 或 否，而不是 {error.get('input')!r}"
    if kind_of in ("string_type", "string_too_short"):
        return f"“{key}”应为非空文字"
    if kind_of in ("list_type", "too_short"):
        return f"“{key}”应为非空列表"
    if kind_of == "value_error":
        return str(error["msg"]).removeprefix("Value error, ")
    return f"“{key}”：{error['msg']}"


def _huge_int(value: object) -> bool:
    """An integer too big for a float (YAML reads 400 digits as one): a number, not a typo
    of a word, and refused as too large."""
    return isinstance(value, int) and not isinstance(value, bool) and abs(value) >= MAX_VALUE
