"""The template a standard gives: its columns, the 学校类型 and 城乡类型 dropdowns, the 填表说明
text and the 各列说明 table.

No openpyxl here: ``report/xlsx/template.py`` writes what this module describes. The example
school lives on the 填表说明 sheet as a column-by-column table (one line per column: header,
unit, what to enter, example value), never as a row under the template's header: the reader
takes any sheet whose header has 学校名称 and 学校类型 for a sheet of schools, so an example
row there would be counted as a school if a school forgot to delete it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from junheng_cli.model.fields import Column
from junheng_cli.standards.model import Standard
from junheng_cli.workflows.template.columns import (
    TemplateColumn,
    school_types,
    standard_columns,
    template_column,
)

DATA_SHEET = "学校"
INSTRUCTIONS_SHEET = "填表说明"
AREA_TYPES = ("城区", "镇区", "乡村")  # README: 城乡类型 values


DEFAULT_BLANK_ROWS = 5


@dataclass(frozen=True)
class Template:
    """One template workbook: its columns, dropdown values, instructions and rows."""

    standard: Standard | None
    columns: list[TemplateColumn]
    school_types: list[str]
    instructions: list[str]
    rows: list[dict[str, Any]] = field(default_factory=list)  # column name → value
    blank_rows: int = DEFAULT_BLANK_ROWS
    area_types: tuple[str, ...] = AREA_TYPES

    @property
    def title(self) -> str:
        what = self.standard.name if self.standard else "县域义务教育均衡发展"
        return f"{what} 学校情况填报表"

    def column(self, name: str) -> TemplateColumn | None:
        return next((c for c in self.columns if c.name == name), None)


def build_template(
    standard: Standard | None,
    blank_rows: int = DEFAULT_BLANK_ROWS,
    rows: list[dict[str, Any]] | None = None,
    source: Path | None = None,
) -> Template:
    columns = [template_column(c, standard) for c in standard_columns(standard)]
    types = school_types(standard)
    return Template(
        standard=standard,
        columns=columns,
        school_types=types,
        instructions=instruction_lines(standard, types, source, [c.column for c in columns]),
        rows=rows or [],
        blank_rows=blank_rows,
    )


def instruction_lines(
    standard: Standard | None,
    types: list[str],
    source: Path | None = None,
    columns: list[Column] | None = None,
) -> list[str]:
    """The general part of 填表说明, one paragraph per line; units and whole-school items are
    named only when the template has such a column (``columns``: the template's)."""
    columns = standard_columns(standard) if columns is None else columns
    if standard is None:
        scope = "本表包含 junheng 能读取的全部列，适用于各评估标准。"
    else:
        scope = f"本表按《{standard.name}》（{standard.id}）所需的数据制作。"
    lines = [
        scope,
        f"请在“{DATA_SHEET}”工作表填写，每所学校一行（中心校代报的教学点各占一行）；"
        "第 1 行表头不要修改、删除或增加列。",
        _units_line(columns),
        _levels_line(columns),
        "没有的项目填 0；不清楚的先留空并与教育局联系，不要填文字说明。",
        f"学校类型从下拉列表选择（{'、'.join(types)}）；城乡类型从下拉列表选择（{'、'.join(AREA_TYPES)}）。",
        "下面的“各列说明”列出每一列的含义、单位和一所虚构学校的填写示例；示例只在本页，"
        f"不会被计入，请不要把它复制到“{DATA_SHEET}”表。",
    ]
    if source is not None:
        lines.insert(1, f"本表已按上期数据（{source.name}）预填，请逐项核对并改为本期数据。")
    return lines


# What each unit is called in "…填整数", and each whole-school quantity in "…填全校合计".
COUNT_WORDS = {"人": "人数", "个": "班级数", "册": "册数", "台": "台数", "间": "间数"}
WHOLE_SCHOOL_WORDS = {
    "teaching_area": "校舍面积",
    "gym_area": "体育场馆面积",
    "sports_ground_area": "体育场馆面积",
    "equipment_value": "仪器设备值",
    "books": "图书",
    "computers": "计算机",
    "multimedia_rooms": "多媒体教室",
    "music_rooms": "音乐和美术专用教室",
    "art_rooms": "音乐和美术专用教室",
}


def _units_line(columns: list[Column]) -> str:
    units = {c.field.unit for c in columns if c.field.kind != "text"}
    parts = []
    if "㎡" in units:
        parts.append("面积填平方米（㎡）")
    if "元" in units:
        parts.append("金额填元（不是万元）")
    counts = [w for u, w in COUNT_WORDS.items() if u in units]
    whole = f"；{'、'.join(counts)}填整数" if counts else ""
    return f"单位以表头括号为准：{'，'.join(parts)}{whole}。".replace("：；", "：")


def _levels_line(columns: list[Column]) -> str:
    whole = list(
        dict.fromkeys(
            WHOLE_SCHOOL_WORDS[c.field.id] for c in columns if c.field.id in WHOLE_SCHOOL_WORDS
        )
    )
    line = "教师数按学段填写：九年一贯制学校、完全中学的小学教师和初中教师分别填在对应学段的列中"
    return f"{line}；{'、'.join(whole)}填全校合计。" if whole else f"{line}。"


def example_frame(template: Template) -> pd.DataFrame:
    """The 各列说明 table of 填表说明: one line per column with the worked example."""
    return pd.DataFrame(
        {
            "列名": [c.header for c in template.columns],
            "单位": [c.unit for c in template.columns],
            "是否必填": [c.need for c in template.columns],
            "填写说明": [c.note for c in template.columns],
            "填写示例（虚构学校）": [c.example for c in template.columns],
        }
    )
