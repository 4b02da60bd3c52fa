"""Form maps of the statistics system's per-school exports (教育事业统计 基层表), as data.

One YAML file per form generation (``data/forms/jichu-2012.yaml`` for the 基础基 forms,
``data/forms/jiaoji-2021.yaml`` for the 教基 forms) says how a workbook of that generation is
recognised, where the school's identity is, how 办学类型 maps to our school types and levels,
and, for every template field, the cells (sheet, address or a row located by its label, sign,
scale) and the labels expected beside them. A province adds or corrects a map with a file of
its own (``--forms DIR``: a file with the id of a built-in map replaces it). Nothing in a map
is evaluated: addresses are parsed, labels compared as text.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from junheng_cli.errors import JunhengError
from junheng_cli.io.yaml_safe import READ_ERRORS, load_yaml, read_failure
from junheng_cli.model.fields import Level, template_columns
from junheng_cli.model.pydantic_zh import pydantic_errors_zh

FORMS_PACKAGE_DIR = "data/forms"
FORM_SUFFIXES = (".yaml", ".yml")
_CELL = re.compile(r"^([A-Z]{1,3})([1-9][0-9]{0,5})$")
_COLUMN = re.compile(r"^[A-Z]{1,3}$")
_ROWS = re.compile(r"^([1-9][0-9]{0,5}):([1-9][0-9]{0,5})$")
# what a label may start with that is not part of it: "#", "其中：", "一、", "1.", "（1）"
_LABEL_PREFIX = re.compile(r"^(#|其中[:：]?|[一二三四五六七八九十]+[、.．]|\d+[、.．]|\(\d+\))+")

IDENTITY_KEYS = ("code", "name", "type", "township", "area_type", "ownership", "sponsor")
LEVEL_KEYS: dict[str, Level] = {
    "primary": Level.PRIMARY,
    "junior": Level.JUNIOR,
    "senior": Level.SENIOR,
}
# the school types of the template (README: 学校类型)
SCHOOL_TYPES = (
    "小学",
    "初中",
    "九年一贯制学校",
    "十二年一贯制学校",
    "完全中学",
    "教学点",
    "特殊教育学校",
)


class FormError(JunhengError):
    """A form map that cannot be used. The message is for the user (Chinese)."""


def normalise_label(text: object) -> str:
    """A label as compared: NFKC (full-width folded), no spaces, leading "#", "其中：", "一、"
    and the like removed."""
    folded = re.sub(r"\s+", "", unicodedata.normalize("NFKC", "" if text is None else str(text)))
    return _LABEL_PREFIX.sub("", folded)


def column_number(letters: str) -> int:
    """A → 0, Z → 25, AA → 26."""
    index = 0
    for char in letters:
        index = index * 26 + ord(char) - 64
    return index - 1


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class SheetSpec(_Model):
    """How to read labels on one form: the label column(s) (甲) and the header rows."""

    label_columns: list[str] = Field(min_length=1)
    header_rows: list[int] = Field(default_factory=list)
    unit_column: str | None = None
    optional: bool = False  # absent from a workbook: its fields are missing, not an error
    title: str = ""

    @field_validator("label_columns")
    @classmethod
    def _columns(cls, value: list[str]) -> list[str]:
        for letters in value:
            if not _COLUMN.match(letters):
                raise ValueError(f"列应写作字母（如 A、B），而不是 {letters!r}")
        return value

    @field_validator("unit_column")
    @classmethod
    def _unit_column(cls, value: str | None) -> str | None:
        if value is not None and not _COLUMN.match(value):
            raise ValueError(f"列应写作字母（如 C），而不是 {value!r}")
        return value


class Find(_Model):
    """Locate a row by its label within a range of rows (a block that exists only for the
    school's own levels), then ``offset`` rows below it."""

    rows: str
    label: str
    offset: int = 0

    @field_validator("rows")
    @classmethod
    def _rows(cls, value: str) -> str:
        match = _ROWS.match(value.replace(" ", ""))
        if not match or int(match.group(1)) > int(match.group(2)):
            raise ValueError(f"行范围应写作 起始行:结束行（如 5:40），而不是 {value!r}")
        return value.replace(" ", "")

    @property
    def bounds(self) -> tuple[int, int]:
        first, last = self.rows.split(":")
        return int(first), int(last)


class Term(_Model):
    """One cell of a field: a fixed address, or a column and a row found by its label."""

    sheet: str
    cell: str | None = None
    column: str | None = None
    find: Find | None = None
    sign: Literal[1, -1] = 1
    scale: float = 1.0
    label: str | None = None  # expected in the label column(s) of the cell's row
    header: str | None = None  # expected in the header rows above the cell
    unit: str | None = None  # expected in the sheet's unit column of the cell's row
    note: str = ""  # where the address comes from (the reference §, corroborated or not)

    @model_validator(mode="after")
    def _where(self) -> Term:
        if (self.cell is None) == (self.find is None):
            raise ValueError("每一项须给出 cell（固定单元格），或 find 加 column（按标签找行）之一")
        if self.cell is not None and not _CELL.match(self.cell):
            raise ValueError(f"单元格应写作 A1 形式（如 I6），而不是 {self.cell!r}")
        if self.find is not None and (self.column is None or not _COLUMN.match(self.column)):
            raise ValueError("按标签找行（find）时须给出列字母 column（如 C）")
        if self.label is None and self.header is None and self.find is None:
            raise ValueError("固定单元格须有标签核对：label（行标签）或 header（列标题）")
        if self.scale <= 0:
            raise ValueError("scale 应为正数（如 10000：万元→元）")
        return self


class IdentityCell(_Model):
    sheet: str
    cell: str
    label: str | None = None
    header: str | None = None
    optional: bool = False
    values: dict[str, str] = Field(default_factory=dict)  # text on the form → our text
    note: str = ""

    @field_validator("cell")
    @classmethod
    def _cell(cls, value: str) -> str:
        if not _CELL.match(value):
            raise ValueError(f"单元格应写作 A1 形式（如 C4），而不是 {value!r}")
        return value


class FieldSpec(_Model):
    level: Literal["primary", "junior", "senior"] | None = None
    optional: bool = False  # not on every export: a mismatch leaves it missing, not an error
    terms: list[Term] = Field(min_length=1)
    note: str = ""


class SchoolType(_Model):
    type: str
    levels: list[Literal["primary", "junior", "senior"]]

    @field_validator("type")
    @classmethod
    def _known(cls, value: str) -> str:
        if value not in SCHOOL_TYPES:
            raise ValueError(f"学校类型应为 {'、'.join(SCHOOL_TYPES)} 之一，而不是 {value!r}")
        return value


class Recognise(_Model):
    identity_sheet: str
    sheet_suffixes: list[str] = Field(default_factory=lambda: [""])


class FormMap(_Model):
    id: str = Field(pattern=r"^[A-Za-z0-9][A-Za-z0-9_.-]*$")
    name: str
    version: str = ""
    note: str = ""
    recognise: Recognise
    sheets: dict[str, SheetSpec]
    school_types: dict[str, SchoolType]
    not_evaluated: dict[str, str] = Field(default_factory=dict)  # 办学类型 → why skipped
    identity: dict[str, IdentityCell]
    fields: dict[str, FieldSpec]

    @model_validator(mode="after")
    def _consistent(self) -> FormMap:
        for key in ("code", "name", "type"):
            if key not in self.identity:
                raise ValueError(f"identity 缺少 {key}（学校标识码、学校名称、办学类型都是必需的）")
        unknown = [k for k in self.identity if k not in IDENTITY_KEYS]
        if unknown:
            raise ValueError(
                f"identity 中不认识的键：{'、'.join(unknown)}（可用：{', '.join(IDENTITY_KEYS)}）"
            )
        columns = {c.name: c for c in template_columns()}
        for name, spec in self.fields.items():
            column = columns.get(name)
            if column is None or column.field.kind == "text":
                raise ValueError(
                    f"fields 中的 {name} 不是模板的数值字段（如 students_primary、books）"
                )
            if column.level is not None and spec.level != column.level.value:
                raise ValueError(f"fields.{name}：level 应为 {column.level.value}")
            for term in spec.terms:
                if term.sheet not in self.sheets:
                    raise ValueError(f"fields.{name}：工作表 {term.sheet} 未在 sheets 中说明")
        for key, cell in self.identity.items():
            if cell.sheet not in self.sheets:
                raise ValueError(f"identity.{key}：工作表 {cell.sheet} 未在 sheets 中说明")
        if self.recognise.identity_sheet not in self.sheets:
            raise ValueError("recognise.identity_sheet 须是 sheets 中的一个工作表")
        return self


@dataclass(frozen=True)
class LoadedMap:
    form: FormMap
    path: str  # the file it was read from
    builtin: bool
    replaces: str | None = None  # the built-in file a user map of the same id replaces


def parse_map(data: Any, path: str) -> FormMap:
    """A map file's data, validated; FormError naming the file and the key."""
    if not isinstance(data, dict):
        raise FormError(f"报表映射文件 {path} 应是键值对（id、name、sheets、fields …）")
    try:
        return FormMap.model_validate(data)
    except ValidationError as exc:
        raise FormError(pydantic_errors_zh(f"报表映射文件 {path}", exc, "键")) from exc


def read_map_file(path: Path) -> FormMap:
    """A map file read like every YAML file junheng reads (``io.yaml_safe``: size, nesting
    and alias expansion bounded), then validated."""
    try:
        data = load_yaml(path, "报表映射文件")
    except READ_ERRORS as exc:
        raise FormError(read_failure(exc, "报表映射文件", path)) from exc
    return parse_map(data, str(path))


@functools.cache
def builtin_maps() -> tuple[LoadedMap, ...]:
    """The maps shipped in the package (read once per process)."""
    folder = resources.files("junheng_cli").joinpath(FORMS_PACKAGE_DIR)
    found = []
    for entry in sorted(folder.iterdir(), key=lambda e: e.name):
        if entry.name.endswith(FORM_SUFFIXES):
            with resources.as_file(entry) as path:
                found.append(LoadedMap(read_map_file(path), str(entry), True))
    return tuple(found)


def load_maps(forms_dir: Path | None = None) -> list[LoadedMap]:
    """The built-in maps, and a folder of the user's: a user map with a built-in id replaces
    it; two user files of one id are an error."""
    maps = {m.form.id: m for m in builtin_maps()}
    if forms_dir is None:
        return list(maps.values())
    if not forms_dir.is_dir():
        raise FormError(f"--forms {forms_dir} 不是文件夹：请给出放报表映射文件（.yaml）的文件夹")
    files = sorted(p for p in forms_dir.iterdir() if p.suffix.lower() in FORM_SUFFIXES)
    if not files:
        raise FormError(f"--forms 文件夹 {forms_dir} 中没有 .yaml 报表映射文件")
    seen: dict[str, str] = {}
    for path in files:
        form = read_map_file(path)
        if form.id in seen:
            raise FormError(f"报表映射 id {form.id} 重复：{seen[form.id]} 与 {path}")
        seen[form.id] = str(path)
        before = maps.get(form.id)
        replaces = before.path if before is not None and before.builtin else None
        maps[form.id] = LoadedMap(form, str(path), False, replaces)
    return list(maps.values())


def map_files(forms_dir: Path | None) -> list[Path]:
    """The user's map files (inputs: an output may not replace them)."""
    if forms_dir is None or not forms_dir.is_dir():
        return []
    return sorted(p for p in forms_dir.iterdir() if p.suffix.lower() in FORM_SUFFIXES)


@functools.cache
def field_header(name: str) -> str:
    """students_primary → 小学在校生数."""
    for column in template_columns():
        if column.name == name:
            return column.header
    return name


def as_dict(form: FormMap) -> dict[str, Any]:
    return form.model_dump()
