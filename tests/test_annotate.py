"""Annotated copies: highlighted cells with comments and a problem list; input untouched."""

from __future__ import annotations

import hashlib
import re
import zipfile
from pathlib import Path

import pytest
from openpyxl import Workbook, load_workbook
from openpyxl.comments import Comment
from openpyxl.styles import Font

from junheng_cli.io.annotate import CellNote, write_annotated

RED = "FFC7CE"
AMBER = "FFEB9C"
ZH_HEADERS = ["级别", "代码", "工作表", "单元格", "列名", "值", "问题", "建议"]
EN_HEADERS = ["Level", "Code", "Sheet", "Cell", "Header", "Value", "Message", "Hint"]


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def note(
    column: str | None,
    row: int | None,
    severity: str = "error",
    *,
    sheet: str = "学校",
    code: str = "E_NOT_NUMBER",
    message: str = "不是数字",
    hint: str = "请填写数字",
    header: str | None = None,
    value: object = None,
) -> CellNote:
    return CellNote(
        sheet=sheet,
        row=row,
        column=column,
        severity=severity,  # type: ignore[arg-type]
        code=code,
        message=message,
        hint=hint,
        header=header,
        value=value,
    )


def school_workbook(path: Path) -> Path:
    """Sheet 学校: header row + 2 schools, columns A..W; A1 is bold."""
    workbook = Workbook()
    ws = workbook.active
    ws.title = "学校"
    header = [f"列{i}" for i in range(1, 24)]
    header[0], header[2], header[22] = "学校名称", "学段", "图书（册）"
    ws.append(header)
    ws.append(["一小", 1, "小学"] + [10] * 19 + [23000])
    ws.append(["二小", 2, "初中"] + [20] * 19 + ["两万"])
    ws["A1"].font = Font(bold=True)
    workbook.create_sheet("说明")["A1"] = "填表说明"
    workbook.save(path)
    return path


def problem_rows(path: Path, sheet: str = "问题清单") -> list[list[object]]:
    ws = load_workbook(path)[sheet]
    return [list(row) for row in ws.iter_rows(values_only=True)]


def fill_rgb(cell: object) -> str:
    return str(cell.fill.fgColor.rgb)  # type: ignore[attr-defined]


@pytest.fixture
def source(tmp_path: Path) -> Path:
    return school_workbook(tmp_path / "county.xlsx")


TWO_NOTES = [
    note("W", 3, "error", header="图书（册）", value="两万", message="图书册数不是数字"),
    note("C", 2, "warning", code="W_LEVEL", header="学段", value="小学", message="学段可疑"),
]


def test_highlights_and_comments_exactly_the_noted_cells(source: Path, tmp_path: Path) -> None:
    target = tmp_path / "out" / "county.annotated.xlsx"
    write_annotated(source, target, TWO_NOTES)

    workbook = load_workbook(target)
    ws = workbook["学校"]
    assert fill_rgb(ws["W3"]).endswith(RED)
    assert ws["W3"].fill.fill_type == "solid"
    assert "图书册数不是数字" in ws["W3"].comment.text
    assert "请填写数字" in ws["W3"].comment.text
    assert ws["W3"].comment.author == "junheng"
    assert fill_rgb(ws["C2"]).endswith(AMBER)
    assert "学段可疑" in ws["C2"].comment.text

    for row in ws.iter_rows():
        for cell in row:
            if cell.coordinate not in ("W3", "C2"):
                assert cell.fill.fill_type is None, cell.coordinate
                assert cell.comment is None, cell.coordinate

    # values and styles of the original are kept
    assert [c.value for c in ws[2]][:3] == ["一小", 1, "小学"]
    assert ws["W2"].value == 23000
    assert ws["W3"].value == "两万"
    assert ws["A1"].value == "学校名称"
    assert ws["A1"].font.bold
    assert workbook.sheetnames == ["学校", "说明", "问题清单"]
    assert workbook["说明"]["A1"].value == "填表说明"


def test_problem_list_has_one_row_per_note_in_order(source: Path, tmp_path: Path) -> None:
    target = tmp_path / "annotated.xlsx"
    write_annotated(source, target, TWO_NOTES)

    rows = problem_rows(target)
    assert rows[0] == ZH_HEADERS
    assert rows[1:] == [
        [
            "错误",
            "E_NOT_NUMBER",
            "学校",
            "W3",
            "图书（册）",
            "两万",
            "图书册数不是数字",
            "请填写数字",
        ],
        ["警告", "W_LEVEL", "学校", "C2", "学段", "小学", "学段可疑", "请填写数字"],
    ]
    ws = load_workbook(target)["问题清单"]
    assert ws.freeze_panes == "A2"
    assert all(cell.font.bold for cell in ws[1])
    # wide enough for the Chinese message, but capped
    assert ws.column_dimensions["G"].width >= 2 * len("图书册数不是数字")
    assert all(ws.column_dimensions[c].width <= 60 for c in "ABCDEFGH")


def test_cell_text_for_row_only_and_unlocated_notes(source: Path, tmp_path: Path) -> None:
    notes = [
        note(None, 3, message="整行重复", value=12.5),
        note(None, None, message="缺少必填列", header="校舍面积"),
        note("W", 2, sheet="不存在的表", message="别的表"),
    ]
    target = tmp_path / "annotated.xlsx"
    write_annotated(source, target, notes)

    rows = problem_rows(target)
    assert [r[3] for r in rows[1:]] == ["3", None, "W2"]
    assert rows[1][5] == 12.5  # numbers stay numbers
    assert rows[2][4] == "校舍面积"
    assert rows[3][2] == "不存在的表"  # listed although the sheet does not exist
    ws = load_workbook(target)["学校"]
    assert all(cell.comment is None for row in ws.iter_rows() for cell in row)


def test_two_notes_on_one_cell_share_a_comment_and_error_wins(source: Path, tmp_path: Path) -> None:
    notes = [
        note("W", 3, "warning", code="W_OUTLIER", message="数值异常偏大"),
        note("W", 3, "error", message="不是数字", hint="请改成阿拉伯数字"),
    ]
    target = tmp_path / "annotated.xlsx"
    write_annotated(source, target, notes)

    cell = load_workbook(target)["学校"]["W3"]
    assert fill_rgb(cell).endswith(RED)
    assert "数值异常偏大" in cell.comment.text
    assert "不是数字" in cell.comment.text
    assert "请改成阿拉伯数字" in cell.comment.text
    assert len(problem_rows(target)) == 3


def test_source_bytes_are_unchanged(source: Path, tmp_path: Path) -> None:
    before = sha256(source)
    write_annotated(source, tmp_path / "annotated.xlsx", TWO_NOTES)
    assert sha256(source) == before


def test_refuses_to_overwrite_the_source(source: Path, tmp_path: Path) -> None:
    before = sha256(source)
    with pytest.raises(ValueError, match="拒绝覆盖"):
        write_annotated(source, source, TWO_NOTES)
    same_via_dots = tmp_path / "out" / ".." / source.name
    with pytest.raises(ValueError, match="拒绝覆盖"):
        write_annotated(source, same_via_dots, TWO_NOTES)
    assert sha256(source) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == [source.name]


def test_existing_comment_is_kept_and_problem_sheet_name_is_unique(tmp_path: Path) -> None:
    source = tmp_path / "in.xlsx"
    workbook = Workbook()
    workbook.active.title = "学校"
    workbook.active["B2"] = "x"
    workbook.active["B2"].comment = Comment("校长确认过", "王老师")
    workbook.create_sheet("问题清单")
    workbook.save(source)

    target = tmp_path / "out.xlsx"
    write_annotated(source, target, [note("B", 2, message="不是数字")])

    result = load_workbook(target)
    assert result.sheetnames == ["学校", "问题清单", "问题清单2"]
    text = result["学校"]["B2"].comment.text
    assert "不是数字" in text
    assert "校长确认过" in text
    assert problem_rows(target, "问题清单2")[0] == ZH_HEADERS


def test_csv_source_is_rebuilt_from_rows(tmp_path: Path) -> None:
    source = tmp_path / "县数据.csv"
    source.write_text("学校名称,学生数,网址\n一小,abc,x\n", encoding="utf-8")
    before = sha256(source)
    rows: list[list[object]] = [
        ["学校名称", "学生数", "网址"],
        ["一小", "abc", '=HYPERLINK("x")'],
        ["二小", 300, None],
        ["", None, "=1+1"],
    ]
    notes = [
        note("B", 2, sheet="县数据", message="学生数不是数字", value="abc"),
        note("C", 2, "warning", sheet="县数据", message="疑似公式", value='=HYPERLINK("x")'),
    ]
    target = tmp_path / "县数据.annotated.xlsx"
    write_annotated(source, target, notes, rows_by_sheet={"县数据": rows})

    workbook = load_workbook(target)
    assert workbook.sheetnames == ["县数据", "问题清单"]
    ws = workbook["县数据"]
    assert [c.value for c in ws[1]] == ["学校名称", "学生数", "网址"]
    assert ws["A3"].value == "二小"
    assert ws["B3"].value == 300
    assert ws["C3"].value is None
    assert ws["A4"].value is None
    link = ws["C2"]
    assert link.value == '=HYPERLINK("x")'
    assert link.data_type == "s"
    assert ws["C4"].data_type == "s"
    assert fill_rgb(ws["B2"]).endswith(RED)
    assert "学生数不是数字" in ws["B2"].comment.text
    assert fill_rgb(link).endswith(AMBER)
    assert ws["A2"].fill.fill_type is None

    value_cell = workbook["问题清单"]["F3"]
    assert value_cell.value == '=HYPERLINK("x")'
    assert value_cell.data_type == "s"
    assert sha256(source) == before


def test_non_excel_source_needs_rows(tmp_path: Path) -> None:
    source = tmp_path / "data.csv"
    source.write_text("a,b\n", encoding="utf-8")
    with pytest.raises(ValueError, match="rows_by_sheet"):
        write_annotated(source, tmp_path / "out.xlsx", [])
    assert not (tmp_path / "out.xlsx").exists()


def test_sheet_titles_excel_rejects_are_made_safe(tmp_path: Path) -> None:
    source = tmp_path / "weird.ods"
    source.write_bytes(b"not really an ods")
    name = "县[2026]/学校:一览表 — 一个超过三十一个字符的很长很长的工作表名称"
    target = tmp_path / "out.xlsx"
    write_annotated(
        source, target, [note("A", 1, sheet=name)], rows_by_sheet={name: [["名称"], ["一小"]]}
    )
    workbook = load_workbook(target)
    title = workbook.sheetnames[0]
    assert len(title) <= 31
    assert not set("[]:*?/\\") & set(title)
    assert fill_rgb(workbook[title]["A1"]).endswith(RED)
    assert problem_rows(target)[1][2] == name


def test_english_problem_list(source: Path, tmp_path: Path) -> None:
    target = tmp_path / "annotated.xlsx"
    write_annotated(source, target, TWO_NOTES, lang="en")

    rows = problem_rows(target)
    assert rows[0] == EN_HEADERS
    assert [r[0] for r in rows[1:]] == ["error", "warning"]
    assert "Hint: " in load_workbook(target)["学校"]["W3"].comment.text


def test_xlsm_source_merged_cells_and_formulas(tmp_path: Path) -> None:
    source = tmp_path / "county.xlsm"
    workbook = Workbook()
    ws = workbook.active
    ws.title = "学校"
    ws.append(["学校名称", "合计"])
    ws.append(["一小", "=SUM(1,2)"])
    ws["A3"] = "合并的说明"
    ws.merge_cells("A3:B3")
    workbook.save(source)

    notes = [
        note("B", 3, "warning", message="合并单元格", value=float("nan")),
        note("A", 2, message="长" * 80, hint="改" * 80),
    ]
    target = tmp_path / "county.annotated.xlsx"
    write_annotated(source, target, notes)

    ws = load_workbook(target)["学校"]
    assert ws["B2"].value == "=SUM(1,2)"  # formulas of the original stay formulas
    assert ws["B2"].data_type == "f"
    assert fill_rgb(ws["A3"]).endswith(AMBER)  # B3 is merged into A3
    assert "合并单元格" in ws["A3"].comment.text
    assert problem_rows(target)[1][5] is None  # NaN is listed as empty
    with zipfile.ZipFile(target) as archive:
        vml = next(n for n in archive.namelist() if n.endswith(".vml"))
        sizes = re.findall(r"height:(\d+)px", archive.read(vml).decode())
    assert max(int(h) for h in sizes) > 79  # long Chinese comment gets a taller box
