"""Workbooks as counties send them evaluate to the same numbers as the clean template."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest
from openpyxl import Workbook
from openpyxl.utils import get_column_letter
from synthetic import CountySpec, generate_county
from typer.testing import CliRunner

from junheng_cli.cli.app import app
from junheng_cli.io.write import write_sheet_xlsx

FULL_WIDTH = str.maketrans("0123456789.", "０１２３４５６７８９．")
IDENTITY = ["学校标识码", "学校名称", "学校类型", "所在乡镇", "城乡类型"]
LEVEL_FIELDS = ["在校生数", "专任教师数", "高于规定学历教师数", "中级及以上职称教师数",
                "县级以上骨干教师数", "体育艺术专任教师数"]  # fmt: skip
# (group header, sub header in the sheet, template column, divisor applied to the values)
WHOLE = [
    ("教学及辅助用房面积\n（平方米）", "教学及辅助用房面积", 1),
    ("体育馆面积（㎡）", "体育馆面积", 1),
    ("运动场地面积(m²)", "运动场地面积", 1),
    ("教学仪器设备值（万元）", "教学仪器设备值", 10_000),
    ("图书（册）", "图书册数", 1),
    ("教学用计算机（台）", "计算机台数", 1),
    ("网络多媒体教室（间）", "网络多媒体教室数", 1),
]


@pytest.fixture(scope="module")
def county() -> pd.DataFrame:
    return generate_county(CountySpec(name="测试县", seed=7, scale=0.3))


def as_typed(value: object, i: int) -> object:
    """Vary how numbers are typed: number, text, text with separators, full-width digits."""
    if value is None or (isinstance(value, float) and pd.isna(value)):
        return None
    style = i % 4
    if style == 1:
        return str(value)
    if style == 2 and isinstance(value, int | float) and value >= 1000:
        return f" {value:,} "
    if style == 3:
        return str(value).translate(FULL_WIDTH)
    return value


def write_messy(county: pd.DataFrame, path: Path) -> None:
    wb = Workbook()
    notes = wb.active
    notes.title = "填表说明"
    notes["A1"] = "填表说明：请按学校逐行填写，金额单位为万元。"
    ws = wb.create_sheet("学校情况")
    width = len(IDENTITY) + 2 * len(LEVEL_FIELDS) + 1 + len(WHOLE)
    ws["A1"] = "测试县义务教育学校基本办学条件统计表（2026年）"
    ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=width)
    ws["A2"] = "填报单位：测试县教育局"
    col = 1
    layout: list[tuple[str, float]] = []  # template column per sheet column, divisor

    def vertical(text: str, template: str, divisor: float = 1) -> None:
        nonlocal col
        ws.cell(3, col, text)
        ws.merge_cells(start_row=3, start_column=col, end_row=4, end_column=col)
        layout.append((template, divisor))
        col += 1

    for name in IDENTITY:
        vertical(name, name)
    for level in ("初中", "小学"):  # not in template order
        ws.cell(3, col, level)
        ws.merge_cells(start_row=3, start_column=col, end_row=3, end_column=col + 5)
        for field in LEVEL_FIELDS:
            ws.cell(4, col, field)
            layout.append((f"{level}{field}", 1))
            col += 1
    vertical("高中在校生数（人）", "高中在校生数")
    for text, template, divisor in WHOLE:
        vertical(text, template, divisor)
    rows = county.to_dict("records")
    excel_row = 5
    for i, school in enumerate(rows):
        if i == len(rows) // 2:
            excel_row += 1  # a blank row in the middle
        for c, (template, divisor) in enumerate(layout, start=1):
            value = school[template]
            if divisor != 1 and value is not None and not pd.isna(value):
                value = value / divisor
            ws.cell(excel_row, c, as_typed(value, i + c))
        excel_row += 1
    ws.cell(excel_row, 2, "合计")
    for c, (template, divisor) in enumerate(layout, start=1):
        if c > len(IDENTITY):
            ws.cell(excel_row, c, float(county[template].fillna(0).sum()) / divisor)
    ws.column_dimensions[get_column_letter(2)].width = 30
    wb.save(path)


def evaluate_json(*args: str) -> tuple[int, dict]:
    result = CliRunner().invoke(app, ["evaluate", *args, "--format", "json"])
    return result.exit_code, json.loads(result.stdout)


def test_messy_workbook_evaluates_like_the_clean_template(county, tmp_path: Path) -> None:
    clean = tmp_path / "clean.xlsx"
    write_sheet_xlsx(county, clean, "学校")
    messy = tmp_path / "messy.xlsx"
    write_messy(county, messy)
    code_clean, want = evaluate_json(str(clean))
    code_messy, got = evaluate_json(str(messy))
    assert (code_clean, code_messy) == (0, 0)
    assert got["issues"] == []
    (source,) = got["sources"]
    assert (source["sheet"], source["header_rows"]) == ("学校情况", [3, 4])
    for mine, theirs in zip(got["levels"], want["levels"], strict=True):
        assert mine["schools"] == theirs["schools"] and mine["students"] == theirs["students"]
        assert mine["composite_cv"] == pytest.approx(theirs["composite_cv"], abs=1e-9)
        for a, b in zip(mine["indicators"], theirs["indicators"], strict=True):
            for key in ("mean", "sd", "cv"):
                assert a[key] == pytest.approx(b[key], rel=1e-9, abs=1e-9), (a["id"], key)
    assert len(got["schools"]) == len(want["schools"])
    rows = got["rows"]
    assert rows["blank"] == 1 and rows["total"] == 1
    assert rows["read"] == len(county) + 2
    parts = ("evaluated", "excluded", "skipped", "blank", "total")
    assert sum(rows[k] for k in parts) == rows["read"]


def test_messy_header_is_reported_and_can_be_forced(county, tmp_path: Path) -> None:
    messy = tmp_path / "messy.xlsx"
    write_messy(county, messy)
    result = CliRunner().invoke(app, ["validate", str(messy)])
    assert result.exit_code == 0, result.output
    assert "学校情况" in result.stdout and "第 3–4 行" in result.stdout
    assert "未使用的工作表" in result.stdout and "填表说明" in result.stdout
    forced = CliRunner().invoke(app, ["validate", str(messy), "--header-rows", "4"])
    # row 4 alone lacks the identity headers (they sit in merged cells starting on row 3)
    assert forced.exit_code == 1
    assert "E_MISSING_COLUMN" in forced.stdout


def test_a_wrong_total_row_is_a_warning(county, tmp_path: Path) -> None:
    frame = county.head(6).copy()
    total = {c: (frame[c].sum() if c not in IDENTITY else None) for c in frame.columns}
    total["学校名称"] = "合计"
    total["图书册数"] = total["图书册数"] + 100
    path = tmp_path / "total.xlsx"
    write_sheet_xlsx(pd.concat([frame, pd.DataFrame([total])], ignore_index=True), path, "学校")
    code, doc = evaluate_json(str(path))
    assert code == 0
    (warning,) = [i for i in doc["issues"] if i["code"] == "W_TOTAL_MISMATCH"]
    assert (warning["row"], warning["column"], warning["header"]) == (8, "W", "图书册数")
    assert warning["severity"] == "warning"
