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
    "E_NOT_INTEGER": Rule(
        Severity.ERROR,
        "“{header}”应为整数，实际为 {value}{converted_zh}",
        "'{header}' should be a whole number, found {value}{converted_en}",
        "人数、册数、台数、间数、班数只能是整数，请核对（是否误填了小数、比例或平均数）",
        "People, books, computers, rooms and classes are counted in whole numbers; "
        "check for a decimal, a ratio or an average typed by mistake",
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
    "E_MISSING_TYPE": Rule(
        Severity.ERROR,
        "学校类型未填写",
        "School type is empty",
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
        "“{header}”{value!r} 与{other_zh}重复",
        "'{header}' {value!r} repeats {other_en}",
        "每所学校只应出现一行；请删除重复行或改正标识",
        "Each school should appear once; remove the duplicate or correct it",
    ),
    "E_FORMULA_NO_VALUE": Rule(
        Severity.ERROR,
        "“{header}”是公式，但文件中没有它的计算结果",
        "'{header}' is a formula with no calculated value stored in the file",
        "请用 Excel 或 WPS 打开并保存一次（或把公式转为数值）后重试；不会按 0 计算",
        "Open and save the file in Excel or WPS (or paste values); it is never read as 0",
    ),
    "E_ERROR_VALUE": Rule(
        Severity.ERROR,
        "“{header}”的值是错误值 {value}（多为公式出错，如除以 0、引用失效）",
        "'{header}' holds the error value {value} (usually a broken formula: division by zero, "
        "a lost reference)",
        "请在 Excel 或 WPS 中改正公式或填入数值；不会按 0 或空白计算",
        "Fix the formula or type the number in Excel or WPS; it is never read as 0 or blank",
    ),
    "E_BAD_UNIT": Rule(
        Severity.ERROR,
        "表头“{header}”的单位“{unit}”与该项的单位（{expected_unit}）不符",
        "Header '{header}' has unit '{unit}', which does not fit '{expected_unit}'",
        "请改正表头中的单位，或把数值换算为 {expected_unit}",
        "Correct the unit in the header, or convert the values to {expected_unit}",
    ),
    "E_DUPLICATE_COLUMN": Rule(
        Severity.ERROR,
        "表头 {first_cell}“{first_header}”与 {cell}“{header}”都对应“{field_header}”，"
        "无法确定该用哪一列",
        "Headers {first_cell} '{first_header}' and {cell} '{header}' both map to "
        "'{field_header}'; junheng cannot tell which one to use",
        "请删除多余的一列，或把不用的一列改为不含模板列名的表头",
        "Delete the extra column, or rename the one not to be used to a header that is not "
        "a template header",
    ),
    "W_UNKNOWN_UNIT": Rule(
        Severity.WARNING,
        "表头“{header}”括号中的“{unit}”不是可识别的单位，按 {expected_unit} 读取",
        "'{unit}' in header '{header}' is not a known unit; read as {expected_unit}",
        "如单位不是 {expected_unit}，请改正表头（可用单位如 元、万元、㎡、人、册、台、间）",
        "If the unit is not {expected_unit}, correct the header (元, 万元, ㎡, 人, 册, 台, 间 …)",
    ),
    "W_OUTLIER": Rule(
        Severity.WARNING,
        "“{header}”折合每名学生 {per_student}，是全县中位数（{median}）的 {ratio}",
        "'{header}' per student is {per_student}, {ratio} the county median {median}",
        "请核对数值和单位（如万元与元、平方米与万平方米是否弄混）",
        "Check the value and its unit (万元 vs 元, ㎡ vs 万㎡ …)",
    ),
    "W_TEACHERS_NO_STUDENTS": Rule(
        Severity.WARNING,
        "有{level}专任教师 {value} 人，但没有{level}在校生",
        "{value} {level} teachers but no {level} students",
        "请核对学校类型和分学段填报的教师数",
        "Check the school type and the per-level teacher counts",
    ),
    "W_CLASS_LEVEL": Rule(
        Severity.WARNING,
        "班级表的学段应为 小学 或 初中，实际为 {value!r}；该班未计入",
        "The class sheet's level should be 小学 or 初中, found {value!r}; not counted",
        "请填写 小学 或 初中",
        "Enter 小学 or 初中",
    ),
    "W_CLASS_NOT_NUMBER": Rule(
        Severity.WARNING,
        "班级表的学生数应为非负数字，实际为 {value!r}；该班未计入",
        "The class size should be a non-negative number, found {value!r}; not counted",
        "请填写该班学生人数",
        "Enter the number of students of the class",
    ),
    "W_COUNTY_PERCENT": Rule(
        Severity.WARNING,
        "县级指标“{header}”填的是 {value}，按百分数 {value:.2%} 理解",
        "County item '{header}' is {value}; read as the percentage {value:.2%}",
        "Excel 中显示为 96.2% 的单元格实际存的是 0.962；如本意不是百分数请改正",
        "A cell shown as 96.2% in Excel holds 0.962; correct it if that is not meant",
    ),
    "W_COUNTY_NOT_NUMBER": Rule(
        Severity.WARNING,
        "县级指标的数值应为数字，实际为 {value!r}；按未提供处理",
        "A county item's value should be a number, found {value!r}; treated as not given",
        "请填写数字（百分比可写 95 或 95%）",
        "Enter a number (95 or 95%)",
    ),
    "W_CLASS_UNKNOWN_SCHOOL": Rule(
        Severity.WARNING,
        "班级表中的学校 {value!r} 在学校表中找不到",
        "School {value!r} of the class sheet is not in the school table",
        "请核对学校名称或学校标识码；该行班级不计入",
        "Check the school's name or code; the class is not counted",
    ),
    "W_UNKNOWN_COUNTY_ITEM": Rule(
        Severity.WARNING,
        "县级指标 {value!r} 不在所选标准中，未使用",
        "County item {value!r} is not in the chosen standard and was not used",
        "请使用标准中的指标名称或 id（junheng standards 可查看标准）",
        "Use an item name or id of the standard",
    ),
    "W_TOTAL_MISMATCH": Rule(
        Severity.WARNING,
        "合计行的“{header}”为 {value}，而上方各校之和为 {expected_sum}",
        "Total row '{header}' is {value}, but the schools above add up to {expected_sum}",
        "请核对是否漏填、多填学校，或合计行公式范围有误",
        "Check for missing or extra schools, or the total's formula range",
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
        value = self.value if isinstance(self.value, int | float | str | None) else str(self.value)
        values = {"value": value, "header": self.header or "", **dict(self.params)}
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
