"""Data findings: every problem with the input, located to file, sheet, row and column."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from enum import StrEnum
from typing import Any


class Severity(StrEnum):
    ERROR = "error"
    WARNING = "warning"


@dataclass(frozen=True)
class Rule:
    severity: Severity
    zh: str
    en: str
    hint_zh: str
    hint_en: str


# Message templates by stable code. Placeholders are filled from Finding.params.
RULES: dict[str, Rule] = {
    "E_MISSING_COLUMN": Rule(
        Severity.ERROR,
        "缺少必需的列“{header}”",
        "Required column '{header}' is missing",
        "请在表头中加入“{header}”列{suggestion_zh}",
        "Add a column headed '{header}'{suggestion_en}",
    ),
    "E_NOT_NUMBER": Rule(
        Severity.ERROR,
        "“{header}”应为数字，实际为 {value!r}",
        "'{header}' should be a number, found {value!r}",
        "请填写阿拉伯数字；无此项请填 0",
        "Enter a number; enter 0 if there is none",
    ),
    "E_NEGATIVE": Rule(
        Severity.ERROR,
        "“{header}”不能为负数，实际为 {value}",
        "'{header}' cannot be negative, found {value}",
        "请核对数值",
        "Check the value",
    ),
    "E_MISSING_VALUE": Rule(
        Severity.ERROR,
        "“{header}”未填写，{type}须填写此项",
        "'{header}' is empty but a {type} must report it",
        "请填写数值；确实没有请填 0",
        "Enter the value; enter 0 if there is none",
    ),
    "E_NO_STUDENTS": Rule(
        Severity.ERROR,
        "{type}“{name}”的“{header}”为 0 或未填，无法计算生均指标",
        "{type} '{name}' has no '{header}', so per-student indicators cannot be computed",
        "请填写该学段在校生数，或核对学校类型",
        "Enter the students of this level, or check the school type",
    ),
    "E_PART_EXCEEDS_WHOLE": Rule(
        Severity.ERROR,
        "“{header}”（{value}）大于“{whole_header}”（{whole}）",
        "'{header}' ({value}) is larger than '{whole_header}' ({whole})",
        "部分不能大于整体，请核对两列数值",
        "A part cannot exceed its whole; check both columns",
    ),
    "E_UNKNOWN_TYPE": Rule(
        Severity.ERROR,
        "未知的学校类型 {value!r}",
        "Unknown school type {value!r}",
        "可用类型：{known}",
        "Known types: {known}",
    ),
    "E_MISSING_NAME": Rule(
        Severity.ERROR,
        "学校名称未填写",
        "School name is empty",
        "请填写学校名称",
        "Enter the school name",
    ),
    "E_DUPLICATE_SCHOOL": Rule(
        Severity.ERROR,
        "“{header}”{value!r} 与第 {other_row} 行重复",
        "'{header}' {value!r} repeats row {other_row}",
        "每所学校只应出现一行；请删除重复行或改正标识",
        "Each school should appear once; remove the duplicate or correct it",
    ),
}


@dataclass(frozen=True)
class Finding:
    code: str
    file: str
    sheet: str
    row: int | None
    column: str | None
    header: str | None
    field: str | None
    value: Any
    expected: str
    params: tuple[tuple[str, Any], ...] = ()

    @property
    def severity(self) -> Severity:
        return RULES[self.code].severity

    def _fill(self, template: str) -> str:
        values = {"value": self.value, "header": self.header or "", **dict(self.params)}
        return template.format(**values)

    def message(self, lang: str = "zh") -> str:
        rule = RULES[self.code]
        return self._fill(rule.en if lang == "en" else rule.zh)

    def hint(self, lang: str = "zh") -> str:
        rule = RULES[self.code]
        return self._fill(rule.hint_en if lang == "en" else rule.hint_zh)

    def location(self) -> str:
        cell = f"{self.column or ''}{self.row or ''}"
        return f"{self.file}［{self.sheet}］{cell}" if cell else f"{self.file}［{self.sheet}］"

    def to_dict(self, lang: str = "zh") -> dict[str, Any]:
        data = asdict(self)
        del data["params"]
        data["value"] = _jsonable(self.value)
        data["severity"] = self.severity.value
        data["message"] = self.message(lang)
        data["hint"] = self.hint(lang)
        return data


def _jsonable(value: Any) -> Any:
    if value is None or isinstance(value, bool | int | float | str):
        return value
    return str(value)


def has_errors(findings: list[Finding]) -> bool:
    return any(f.severity is Severity.ERROR for f in findings)
