"""The result of a statistics import: one row per school, where each figure came from, and the
sheets written from it.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field, replace

import pandas as pd

from junheng_cli.io.cells import Sheet
from junheng_cli.io.stats.forms import LoadedMap, field_header
from junheng_cli.io.stats.outcomes import (
    IMPORTED,
    SCHOOL_SHEET,
    SKIPPED,
    Difference,
    Missing,
    Outcome,
    Provenance,
    cached_letter,
)
from junheng_cli.model.fields import ALLOWANCE_FIELDS, SCOPE_FIELDS, Column, template_columns
from junheng_cli.model.findings import Finding


@dataclass
class StatsImport:
    frame: pd.DataFrame  # one row per school, canonical columns in template order
    provenance: dict[tuple[int, str], Provenance]
    outcomes: list[Outcome]
    missing: list[Missing] = field(default_factory=list)
    differences: list[Difference] = field(default_factory=list)
    supplement_notes: list[str] = field(default_factory=list)
    maps: list[LoadedMap] = field(default_factory=list)
    source: str = ""  # what was read, as the user named it
    school_files: list[str] = field(default_factory=list)  # per school row: its workbook
    expected_places: dict[tuple[int, str], tuple[str, str]] = field(default_factory=dict)
    supplement: str = ""  # the supplementary workbook, if one was given

    @property
    def imported(self) -> list[Outcome]:
        return [o for o in self.outcomes if o.status == IMPORTED]

    @property
    def skipped(self) -> list[Outcome]:
        return [o for o in self.outcomes if o.status == SKIPPED]

    @property
    def needs_attention(self) -> bool:
        return bool(self.skipped or self.missing or self.differences)

    def sheet_columns(self) -> list[Column]:
        """The 学校 sheet's columns: the template's, less the optional ones (scope, 规程
        allowances) no school has a figure for — as a template workbook without them."""
        optional = optional_columns()
        return [
            c
            for c in template_columns()
            if c.name not in optional or self.frame[c.name].notna().any()
        ]

    def template_frame(self, columns: list[Column] | None = None) -> pd.DataFrame:
        """The 学校 sheet: template headers with their units (read back with no mapping); by
        default every template column, as ``junheng template`` writes them."""
        columns = template_columns() if columns is None else columns
        out = self.frame[[c.name for c in columns]].copy()
        out.columns = [c.header_with_unit for c in columns]
        return out

    def provenance_frame(self) -> pd.DataFrame:
        rows = []
        codes, names = self.frame["code"].tolist(), self.frame["name"].tolist()
        for (row, column), p in sorted(self.provenance.items()):
            rows.append(
                {
                    "学校标识码": codes[row],
                    "学校名称": names[row],
                    "项目": field_header(column),
                    "数值": p.value,
                    "文件": p.file,
                    "工作表": p.sheet,
                    "单元格": "、".join(p.cells),
                    "计算": p.arithmetic,
                }
            )
        return pd.DataFrame(
            rows,
            columns=["学校标识码", "学校名称", "项目", "数值", "文件", "工作表", "单元格", "计算"],
        )

    def outcome_frame(self) -> pd.DataFrame:
        rows = [
            {
                "文件": o.file,
                "结果": o.status,
                "原因": o.reason,
                "报表版本": o.generation,
                "报表中的标识码": o.code,
                "报表中的校名": o.name,
                "判定的学校类型": o.school_type,
                "办学性质": o.ownership,
                "说明": "；".join(o.notes),
            }
            for o in self.outcomes
        ]
        rows += [
            {
                "文件": m.file,
                "结果": "缺数",
                "原因": f"{m.header}：{m.why}",
                "报表中的标识码": m.code,
                "报表中的校名": m.name,
            }
            for m in self.missing
        ]
        rows += [
            {
                "文件": d.supplement_place,
                "结果": "不一致",
                "原因": (
                    f"{d.header}：统计报表 {d.form_value}（{d.form_place}），"
                    f"补充表 {d.supplement_value}；采用统计报表"
                ),
                "报表中的标识码": d.code,
                "报表中的校名": d.name,
            }
            for d in self.differences
        ]
        rows += [{"结果": "补充表", "原因": note} for note in self.supplement_notes]
        return pd.DataFrame(
            rows,
            columns=[
                "文件",
                "结果",
                "原因",
                "报表版本",
                "报表中的标识码",
                "报表中的校名",
                "判定的学校类型",
                "办学性质",
                "说明",
            ],
        )

    def school_sheet(self) -> Sheet:
        """The 学校 sheet as rows, for the template reader (``evaluate`` on a folder)."""
        frame = self.template_frame(self.sheet_columns()).astype(object)
        frame = frame.where(pd.notna(frame), None)
        rows = [list(frame.columns), *frame.to_numpy(dtype=object).tolist()]
        return Sheet(self.source, SCHOOL_SHEET, rows)

    def relocate(self, findings: Iterable[Finding]) -> list[Finding]:
        """Data findings on the imported table → the statistics workbook's own file, sheet and
        cell (through the provenance)."""
        letters = {cached_letter(i): c.name for i, c in enumerate(self.sheet_columns())}
        out = []
        for f in findings:
            if f.file != self.source or f.sheet != SCHOOL_SHEET or f.row is None or f.row < 2:
                out.append(f)
                continue
            index = f.row - 2
            column = letters.get(f.column or "", "")
            place = self.provenance.get((index, column))
            if place is not None:
                row, letter = place.first_cell
                out.append(replace(f, file=place.file, sheet=place.sheet, row=row, column=letter))
            elif (index, column) in self.expected_places:
                sheet, cell = self.expected_places[(index, column)]
                match = re.match(r"([A-Z]+)(\d+)", cell)
                row, letter = (int(match.group(2)), match.group(1)) if match else (None, None)
                out.append(
                    replace(f, file=self.school_files[index], sheet=sheet, row=row, column=letter)
                )
            elif index < len(self.school_files):
                out.append(
                    replace(
                        f,
                        file=self.school_files[index],
                        sheet=sheet_of_identity(self, index),
                        row=None,
                        column=None,
                    )
                )
            else:
                out.append(f)
        return out


def sheet_of_identity(imported: StatsImport, index: int) -> str:
    place = imported.provenance.get((index, "name"))
    return place.sheet if place is not None else ""


def optional_columns() -> set[str]:
    """Columns a workbook may leave out altogether (scope and 规程 allowance data)."""
    optional = {f.id for f in SCOPE_FIELDS + ALLOWANCE_FIELDS}
    return {c.name for c in template_columns() if c.field.id in optional}
