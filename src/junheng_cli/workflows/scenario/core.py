"""What-if scenarios (方案): a YAML file of changes, checked against the school table and
applied to a copy of the validated school frame. The input workbook is never touched.

A scenario file::

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

Teachers added are new 专任教师 unless ``新增教师: 否``: 专任教师数 of the level rises with them.
A move always moves 专任教师数 too. When a donor's remaining teachers could no longer hold all
its teachers of some other kind (every one of its teachers is 高于规定学历, say), the moved
teachers necessarily include that many of that kind, and they move with them.

Entries apply in order; every check (unknown school or quantity, a move taking more than the
donor has, a negative result, a kind above 专任教师数) names the file and the entry.
"""

from __future__ import annotations

import difflib
import math
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated, Any

import numpy as np
import pandas as pd
import yaml
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
from junheng_cli.model.fields import (
    CLASS_FIELDS,
    FIELDS,
    MAX_VALUE,
    MAX_VALUE_TEXT,
    QUANTITY_FIELDS,
    TEACHER_PARTS,
    Level,
    number_text,
    plausible_figure,
    quantity_text,
    short_repr,
)
from junheng_cli.model.fields import Field as SchemaField
from junheng_cli.standards.model import Indicator, Standard

TOLERANCE = 1e-9
TEACHERS = "teachers"
LEVEL_WORDS: dict[str, Level] = {
    "小学": Level.PRIMARY,
    "初中": Level.JUNIOR,
    "primary": Level.PRIMARY,
    "junior": Level.JUNIOR,
}
YES_NO: dict[str, bool] = {"是": True, "否": False, "yes": True, "no": False}
# Quantities a scenario may change: resources, never students or class counts.
CHANGEABLE: tuple[SchemaField, ...] = tuple(
    f for f in (*QUANTITY_FIELDS, *CLASS_FIELDS) if f.id != "students" and "classes" not in f.id
)
SHORT_SUFFIXES = ("面积", "台数", "册数", "值", "数")


class ScenarioError(JunhengError):
    """The scenario file cannot be read or one of its changes cannot be applied. The message
    names the file and the entry and is for the user."""


# -- the file model --------------------------------------------------------------------------
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


# -- names of schools and quantities ---------------------------------------------------------
def _normalise(text: str) -> str:
    """Full-width to half-width, no spaces: how a name is matched."""
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", str(text)))


def _quantity_key(text: str) -> str:
    """A quantity name without a bracketed unit: 教学及辅助用房面积（㎡） → 教学及辅助用房面积."""
    return re.sub(r"\([^)]*\)$", "", _normalise(text))


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


def _vocabulary(standard: Standard) -> dict[str, str]:
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
    words = _vocabulary(standard) if words is None else words
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
                self.by_name.setdefault(_normalise(name), []).append(label)
                self.names[label] = name

    def find(self, ref: str) -> Any:
        key = str(ref).strip()
        labels = self.by_code.get(key) or self.by_name.get(_normalise(key), [])
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
        if len(self.by_name.get(_normalise(name), [])) == 1 or label not in self.codes:
            return name
        return self.codes[label]


# -- applying ------------------------------------------------------------------------------------
@dataclass(frozen=True)
class CellChange:
    school: str
    code: str
    column: str  # canonical column, e.g. backbone_teachers_primary
    header: str  # 小学县级以上骨干教师数
    before: float
    after: float


@dataclass(frozen=True)
class AppliedChange:
    entry: int  # 1-based position in the file
    description: str  # 城关新华小学：增加 3 名县级以上骨干教师（小学），专任教师数随之增加
    cells: list[CellChange]
    carried: list[str]  # 其中 1 名必然也是高于规定学历教师（调出学校的教师都是）


@dataclass(frozen=True)
class AppliedScenario:
    frame: pd.DataFrame  # a new frame; the one given is never modified
    changes: list[AppliedChange]
    source: str


def apply_scenario(
    frame: pd.DataFrame, scenario: Scenario, standard: Standard, source: str = "方案"
) -> AppliedScenario:
    """Apply every change in order to a copy of ``frame`` (the validated school frame)."""
    state = _State(frame.copy(), standard)
    applied = []
    for n, change in enumerate(scenario.changes, start=1):
        try:
            if isinstance(change, AddChange):
                applied.append(state.add(n, change))
            else:
                applied.append(state.move(n, change))
        except ValueError as exc:
            label = (
                change.school
                if isinstance(change, AddChange)
                else f"{change.source} → {change.target}"
            )
            raise ScenarioError(f"{source}：第 {n} 项变化（{label}）：{exc}") from exc
    return AppliedScenario(state.frame, applied, source)


def add_quantities(frame: pd.DataFrame, additions: pd.DataFrame) -> pd.DataFrame:
    """Add many amounts at once: ``additions`` has columns ``label`` (a row of ``frame``),
    ``column`` and ``amount``. Teachers of a kind (骨干 …) are new 专任教师: 专任教师数 of the
    level rises with them, as with ``新增教师: 是`` in a scenario."""
    result = frame.copy()
    if additions.empty:
        return result
    extra = additions.assign(column=additions["column"].map(_with_total)).explode("column")
    table = extra.pivot_table(index="label", columns="column", values="amount", aggfunc="sum")
    table = table.drop(columns=[c for c in table.columns if c not in result.columns])
    for column in table.columns:
        delta = table[column].reindex(result.index).fillna(0.0)
        result[column] = result[column] + delta.where(result[column].notna(), 0.0)
    return result


def _with_total(column: str) -> list[str]:
    field, level = split_column(column)
    if field in TEACHER_PARTS and level is not None:
        return [column, FIELDS[TEACHERS].column(level)]
    return [column]


def split_column(column: str) -> tuple[str, Level | None]:
    for level in Level:
        if column.endswith(f"_{level.value}"):
            return column.removesuffix(f"_{level.value}"), level
    return column, None


def column_header(column: str) -> str:
    field, level = split_column(column)
    return FIELDS[field].header_for(level)


class _State:
    """The frame's quantity columns as arrays while the changes apply (cell access on a
    DataFrame is slow); ``frame`` puts them back into a copy."""

    def __init__(self, frame: pd.DataFrame, standard: Standard) -> None:
        self._frame = frame
        self.standard = standard
        self.words = _vocabulary(standard)
        self.schools = SchoolIndex(frame)
        self.position = {label: n for n, label in enumerate(frame.index)}
        changeable = {FIELDS[f.id].column(lv) for f in CHANGEABLE for lv in f.per_level or [None]}
        self.arrays = {
            c: frame[c].to_numpy(dtype=float, copy=True) for c in frame if c in changeable
        }
        self.texts = {
            c: frame[c].tolist() if c in frame else [None] * len(frame)
            for c in ("code", "name", "type")
        }

    @property
    def frame(self) -> pd.DataFrame:
        return self._frame.assign(**self.arrays)

    # -- helpers -------------------------------------------------------------------------
    def _text(self, label: Any, column: str) -> str:
        value = self.texts[column][self.position[label]]
        return value if isinstance(value, str) else ""

    def _get(self, label: Any, column: str) -> float:
        if column not in self.arrays:
            raise ValueError(f"工作簿中没有“{column_header(column)}”列")
        return float(self.arrays[column][self.position[label]])

    def _has(self, column: str) -> bool:
        return column in self.arrays

    def _set(self, label: Any, column: str, value: float) -> CellChange:
        before = self._get(label, column)
        self.arrays[column][self.position[label]] = value
        name, code = self._text(label, "name"), self._text(label, "code")
        return CellChange(name, code, column, column_header(column), before, float(value))

    def _levels_of(self, label: Any) -> list[Level]:
        kind = self._text(label, "type")
        school_type = self.standard.school_types.get(kind)
        levels = list(school_type.levels) if school_type else []
        return [lv for lv in levels if lv in FIELDS[TEACHERS].per_level]

    def _check_evaluated(self, label: Any) -> None:
        """A school of a type the standard excludes (教学点 under basic-2012 …): say so."""
        kind = self._text(label, "type")
        canonical = self.standard.type_lookup().get(kind, kind)
        school_type = self.standard.school_types.get(canonical)
        if school_type is not None and school_type.excluded:
            raise ValueError(
                f"{self._text(label, 'name')}（{kind}）不在标准 {self.standard.id} 的评估范围内："
                f"{school_type.excluded}"
            )

    def _level_for(self, labels: Sequence[Any], asked: Level | None) -> Level:
        names = "、".join(str(self._text(label, "name")) for label in labels)
        common = set(self._levels_of(labels[0]))
        for label in labels[1:]:
            common &= set(self._levels_of(label))
        for label in labels:
            self._check_evaluated(label)
        if asked is not None:
            if asked not in common:
                raise ValueError(f"{names} 没有{asked.chinese}学段")
            return asked
        if len(common) == 1:
            return common.pop()
        if not common and len(labels) == 1:
            kind = self._text(labels[0], "type")
            raise ValueError(f"{names}（{kind}）没有参评学段，不能增减教师")
        if not common:
            raise ValueError(f"{names} 没有共同的参评学段，无法在两校之间调动教师")
        raise ValueError("这是有小学和初中的学校：请写“学段: 小学”或“学段: 初中”")

    def _column(self, field: str, label: Any, level: Level | None, asked: Level | None) -> str:
        if not FIELDS[field].per_level:
            if asked is not None:
                raise ValueError(f"{FIELDS[field].header}按全校填报，不分学段：请去掉“学段”")
            return FIELDS[field].column()
        if level is not None and asked is not None and level != asked:
            raise ValueError(f"“学段”与数量名称中的学段不一致（{asked.chinese}、{level.chinese}）")
        return FIELDS[field].column(self._level_for([label], asked or level))

    def _check_parts(self, label: Any, level: Level) -> None:
        teachers = FIELDS[TEACHERS].column(level)
        if not self._has(teachers) or np.isnan(self._get(label, teachers)):
            return
        total = self._get(label, teachers)
        for part in TEACHER_PARTS:
            column = FIELDS[part].column(level)
            if self._has(column) and self._get(label, column) > total + TOLERANCE:
                raise ValueError(
                    f"变化后{column_header(column)}（{number_text(self._get(label, column))}）"
                    f"超过{column_header(teachers)}（{number_text(total)}）"
                )

    def _plus(self, label: Any, column: str, amount: float) -> CellChange:
        have = self._get(label, column)
        if np.isnan(have):
            raise ValueError(f"{self._text(label, 'name')} 的“{column_header(column)}”为空")
        after = have + amount
        if after < -TOLERANCE * max(1.0, abs(have)):
            raise ValueError(
                f"变化后{column_header(column)}为负数（现有 {number_text(have)}，"
                f"变化 {'+' if amount > 0 else '−'}{number_text(abs(amount))}）"
            )
        if not plausible_figure(after):
            raise ValueError(
                f"变化后{column_header(column)}为 {after:.6g}，大得不合理"
                f"（应小于 {MAX_VALUE_TEXT}）"
            )
        return self._set(label, column, max(after, 0.0))

    # -- the two kinds of change ---------------------------------------------------------
    def add(self, n: int, change: AddChange) -> AppliedChange:
        label = self.schools.find(change.school)
        field, named_level = resolve_quantity(change.quantity, self.standard, self.words)
        column = self._column(field, label, named_level, change.level)
        _, level = split_column(column)
        _whole_if_counted(field, change.amount)
        name = str(self._text(label, "name"))
        verb = "增加" if change.amount > 0 else "减少"
        where = f"（{level.chinese}）" if level is not None else ""
        text = f"{name}：{verb} {amount_text(abs(change.amount), field)}{where}"
        is_teacher = field == TEACHERS or field in TEACHER_PARTS
        if level is None or not is_teacher or (field != TEACHERS and not change.new_teachers):
            cells = [self._plus(label, column, change.amount)]
            if level is not None:
                self._check_parts(label, level)
            return AppliedChange(n, text, cells, [])
        parts = [] if field == TEACHERS else [field]
        count = int(abs(change.amount))
        if change.amount > 0:
            cells, carried = self._give(label, level, parts, count, {}), []
        else:
            cells, carried = self._take(label, level, parts, count, "减少")
            carried += self._emptied(label, level)
        if parts:
            text += "，专任教师数随之" + ("增加" if change.amount > 0 else "减少")
        return AppliedChange(n, text, cells, carried)

    def move(self, n: int, change: MoveChange) -> AppliedChange:
        source = self.schools.find(change.source)
        target = self.schools.find(change.target)
        if source == target:
            raise ValueError("调出和调入是同一所学校")
        kinds, asked = [], {change.level} - {None}
        for text in change.kinds:
            field, named = resolve_quantity(text, self.standard, self.words)
            if field != TEACHERS and field not in TEACHER_PARTS:
                raise ValueError(f"只能调动教师，不能调动“{text}”")
            kinds.append(field)
            asked |= {named} - {None}
        if len(asked) > 1:
            raise ValueError("“学段”与教师类别中的学段不一致")
        level = self._level_for([source, target], asked.pop() if asked else None)
        parts = [k for k in dict.fromkeys(kinds) if k != TEACHERS]
        taken, carried = self._take(source, level, parts, change.amount)
        moved = {FIELDS[k].column(level): float(change.amount) for k in parts}
        for cell in taken:
            field, _ = split_column(cell.column)
            if field in TEACHER_PARTS and field not in parts:
                moved[cell.column] = cell.before - cell.after
        given = self._give(target, level, [], change.amount, moved)
        carried += self._emptied(source, level)
        names = "、".join(short_name(FIELDS[k]) for k in parts) or "专任教师"
        description = (
            f"{self._text(source, 'name')} → {self._text(target, 'name')}：调动 "
            f"{change.amount} 名{names}（{level.chinese}）"
        )
        return AppliedChange(n, description, taken + given, carried)

    def _take(
        self, label: Any, level: Level, parts: list[str], count: int, verb: str = "调出"
    ) -> tuple[list[CellChange], list[str]]:
        """Teachers leave ``label``: ``count`` of each kind in ``parts`` and of 专任教师数, and of
        every other kind as many as the remaining teachers could not hold. ``verb``: 调出 (a
        move) or 减少 (a reduction), for the messages."""
        teachers = FIELDS[TEACHERS].column(level)
        name = self._text(label, "name")
        for part in parts:
            column = FIELDS[part].column(level)
            have = self._get(label, column)
            if have + TOLERANCE < count:
                raise ValueError(
                    f"{name} 只有 {number_text(have)} 名{short_name(FIELDS[part])}，"
                    f"不够{verb} {count} 名"
                )
        total = self._get(label, teachers) if self._has(teachers) else np.nan
        if not np.isnan(total) and total + TOLERANCE < count:
            raise ValueError(
                f"{name} 只有 {number_text(total)} 名{level.chinese}专任教师，不够{verb} {count} 名"
            )
        cells = [self._plus(label, FIELDS[p].column(level), -count) for p in parts]
        carried = []
        if not np.isnan(total):
            cells.append(self._plus(label, teachers, -count))
            for part in TEACHER_PARTS:
                column = FIELDS[part].column(level)
                if part in parts or not self._has(column):
                    continue
                forced = self._get(label, column) - (total - count)
                if forced > TOLERANCE:
                    cells.append(self._plus(label, column, -forced))
                    kind = short_name(FIELDS[part])
                    carried.append(
                        f"其中 {number_text(forced)} 名必然也是{kind}：{name} 原有{kind} "
                        f"{number_text(forced + total - count)} 名，而只剩 "
                        f"{number_text(total - count)} 名{level.chinese}专任教师"
                    )
        return cells, carried

    def _emptied(self, label: Any, level: Level) -> list[str]:
        """A warning when the change leaves a level with pupils but no 专任教师."""
        teachers = FIELDS[TEACHERS].column(level)
        pupils = FIELDS["students"].column(level)
        if not self._has(teachers) or pupils not in self._frame:
            return []
        left = self._get(label, teachers)
        students = float(self._frame[pupils].iloc[self.position[label]])
        if left > TOLERANCE or not students > 0:
            return []
        return [
            f"注意：变化后{self._text(label, 'name')}{level.chinese}专任教师为 0，"
            f"而在校生有 {number_text(students)} 名"
        ]

    def _give(
        self, label: Any, level: Level, parts: list[str], count: int, moved: dict[str, float]
    ) -> list[CellChange]:
        amounts = {FIELDS[p].column(level): float(count) for p in parts} | moved
        teachers = FIELDS[TEACHERS].column(level)
        cells = [self._plus(label, column, amount) for column, amount in amounts.items()]
        if self._has(teachers) and not np.isnan(self._get(label, teachers)):
            cells.append(self._plus(label, teachers, count))
        self._check_parts(label, level)
        return cells


def _whole_if_counted(field: str, amount: float) -> None:
    if FIELDS[field].kind == "count" and not float(amount).is_integer():
        raise ValueError(f"{short_name(FIELDS[field])}须为整数，而不是 {number_text(amount)}")


MEASURE = {"人": "名"}


def amount_text(amount: float, field: str) -> str:
    """3 名县级以上骨干教师 / 800 ㎡教学及辅助用房 / 12.00 万元教学仪器设备."""
    spec = FIELDS[field]
    return f"{quantity_text(amount, MEASURE.get(spec.unit, spec.unit))}{short_name(spec)}"


# -- writing -------------------------------------------------------------------------------------
def scenario_data(scenario: Scenario) -> dict[str, Any]:
    """The scenario with its Chinese keys, ready for YAML (optional keys left out)."""
    data: dict[str, Any] = {}
    for key, value in (("名称", scenario.title), ("说明", scenario.note)):
        if value:
            data[key] = value
    if scenario.standard:
        data["标准"] = scenario.standard
    data["变化"] = [_change_data(c) for c in scenario.changes]
    return data


def _change_data(change: AddChange | MoveChange) -> dict[str, Any]:
    entry = change.model_dump(by_alias=True, exclude_none=True)
    if isinstance(change, AddChange) and change.new_teachers:
        entry.pop("新增教师")
    elif isinstance(change, AddChange):
        entry["新增教师"] = "否"
    if change.level is not None:
        entry["学段"] = change.level.chinese
    amount = entry["数量"]
    entry["数量"] = int(amount) if float(amount).is_integer() else amount
    if isinstance(change, MoveChange) and len(change.kinds) == 1:
        entry["教师"] = change.kinds[0]
    return entry


def scenario_yaml(scenario: Scenario, header: Sequence[str] = ()) -> str:
    comments = "".join(f"# {line}\n" for line in header)
    body = yaml.safe_dump(scenario_data(scenario), allow_unicode=True, sort_keys=False, width=100)
    return comments + body
