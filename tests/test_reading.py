"""Reading what counties really send: formats, several files and sheets, mappings, units,
formulas, annotated copies, and bad files that must fail clearly (exit 2, no traceback)."""

from __future__ import annotations

import hashlib
import json
import zipfile
from pathlib import Path

import pandas as pd
import pytest
from openpyxl import Workbook, load_workbook
from synthetic import CountySpec, generate_county
from typer.testing import CliRunner

from helpers import primary_school, template_frame
from junheng_cli.cli.app import app
from junheng_cli.io import limits as read_module
from junheng_cli.io.write import write_sheet_xlsx

runner = CliRunner()


@pytest.fixture(scope="module")
def county() -> pd.DataFrame:
    return generate_county(CountySpec(seed=11, scale=0.25))


def run(*args: str):
    return runner.invoke(app, list(args))


def evaluate_json(*args: str) -> tuple[int, dict]:
    result = run("evaluate", *args, "--format", "json")
    return result.exit_code, (json.loads(result.stdout) if result.stdout.strip() else {})


def same_numbers(a: dict, b: dict) -> None:
    for x, y in zip(a["levels"], b["levels"], strict=True):
        assert (x["schools"], x["students"]) == (y["schools"], y["students"])
        assert x["composite_cv"] == pytest.approx(y["composite_cv"], rel=1e-12)
        for i, j in zip(x["indicators"], y["indicators"], strict=True):
            assert i["cv"] == pytest.approx(j["cv"], rel=1e-12)


def sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


# -- formats ----------------------------------------------------------------------------------
@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gbk", "gb18030"])
def test_csv_in_every_common_encoding(county, tmp_path: Path, encoding: str) -> None:
    xlsx = tmp_path / "c.xlsx"
    write_sheet_xlsx(county, xlsx, "学校")
    csv = tmp_path / "c.csv"
    csv.write_bytes(county.to_csv(index=False).encode(encoding))
    _, want = evaluate_json(str(xlsx))
    code, got = evaluate_json(str(csv))
    assert code == 0
    same_numbers(got, want)
    assert got["sources"][0]["file"] == str(csv)


# -- several files and sheets -----------------------------------------------------------------
def test_one_file_per_township_combines_with_origins(county, tmp_path: Path) -> None:
    whole = tmp_path / "全县.xlsx"
    write_sheet_xlsx(county, whole, "学校")
    files = []
    for township, part in county.groupby("所在乡镇"):
        path = tmp_path / f"{township}.xlsx"
        write_sheet_xlsx(part, path, "学校")
        files.append(str(path))
    _, want = evaluate_json(str(whole))
    code, got = evaluate_json(*files)
    assert code == 0
    same_numbers(got, want)
    assert len(got["sources"]) == len(files)
    school = got["schools"][0]
    row = pd.read_excel(school["file"], dtype=str, engine="openpyxl").iloc[school["row"] - 2]
    assert row["学校名称"] == school["name"]


def test_one_sheet_per_township_and_an_instructions_sheet(county, tmp_path: Path) -> None:
    whole = tmp_path / "全县.xlsx"
    write_sheet_xlsx(county, whole, "学校")
    path = tmp_path / "分乡镇.xlsx"
    with pd.ExcelWriter(path) as writer:
        pd.DataFrame({"说明": ["每个乡镇一个工作表"]}).to_excel(
            writer, sheet_name="说明", index=False
        )
        for township, part in county.groupby("所在乡镇"):
            part.to_excel(writer, sheet_name=str(township), index=False)
    _, want = evaluate_json(str(whole))
    code, got = evaluate_json(str(path))
    assert code == 0
    same_numbers(got, want)
    assert {s["sheet"] for s in got["sources"]} == set(county["所在乡镇"])
    only = run("validate", str(path), "--sheet", "城关镇")
    assert only.exit_code == 0 and "城关镇" in only.stdout
    assert "未使用的工作表" in only.stdout


def test_duplicate_school_across_sheets_names_the_other_sheet(tmp_path: Path) -> None:
    path = tmp_path / "dup.xlsx"
    frame = template_frame([primary_school("甲小学", 400, code="X1")])
    with pd.ExcelWriter(path) as writer:
        frame.to_excel(writer, sheet_name="一镇", index=False)
        frame.to_excel(writer, sheet_name="二镇", index=False)
    code, doc = evaluate_json(str(path))
    assert code == 1
    (dup,) = [i for i in doc["issues"] if i["code"] == "E_DUPLICATE_SCHOOL"]
    assert (dup["sheet"], dup["row"], dup["column"]) == ("二镇", 2, "A")
    assert "一镇" in dup["message"]


def test_missing_sheet_name_exits_2(county, tmp_path: Path) -> None:
    path = tmp_path / "c.xlsx"
    write_sheet_xlsx(county, path, "学校")
    result = run("evaluate", str(path), "--sheet", "没有这个表")
    assert result.exit_code == 2 and "没有名为" in result.stderr


# -- header mapping -----------------------------------------------------------------------------
def test_user_mapping_file(tmp_path: Path) -> None:
    frame = template_frame([primary_school("甲小学", 400), primary_school("乙小学", 200)])
    frame = frame.rename(columns={"小学在校生数": "小学生人数（人）"})
    path = tmp_path / "c.xlsx"
    write_sheet_xlsx(frame, path, "学校")
    code, doc = evaluate_json(str(path))
    assert code == 1
    (missing,) = doc["issues"]
    assert (missing["code"], missing["header"]) == ("E_MISSING_COLUMN", "小学在校生数")
    assert "小学生人数（人）" in missing["hint"]
    mapping = tmp_path / "map.yaml"
    mapping.write_text("columns:\n  小学生人数: students_primary\n", encoding="utf-8")
    code, doc = evaluate_json(str(path), "--columns", str(mapping))
    assert code == 0
    assert doc["levels"][0]["students"] == 600
    bad = tmp_path / "bad.yaml"
    bad.write_text("小学生人数: pupils\n", encoding="utf-8")
    result = run("evaluate", str(path), "--columns", str(bad))
    assert (
        result.exit_code == 2 and "pupils" in result.stderr and "students_primary" in result.stderr
    )


def test_readme_mapping_example_applies_the_unit_in_the_header(tmp_path: Path) -> None:
    schools = [primary_school("甲小学", 400), primary_school("乙小学", 200)]
    frame = template_frame(schools).rename(
        columns={
            "小学在校生数": "小学生人数",
            "教学仪器设备值": "设备总值（万元）",
            "图书册数": "馆藏图书",
        }
    )
    frame["设备总值（万元）"] = frame["设备总值（万元）"] / 10_000
    path = tmp_path / "c.xlsx"
    write_sheet_xlsx(frame, path, "学校")
    mapping = tmp_path / "map.yaml"
    mapping.write_text(
        "columns:\n  小学生人数: students_primary\n  设备总值（万元）: equipment_value\n"
        "  馆藏图书: books\n",
        encoding="utf-8",
    )
    code, doc = evaluate_json(str(path), "--columns", str(mapping))
    assert code == 0, doc.get("issues")
    first = doc["schools"][0]
    assert first["quantities"]["equipment_value"] == pytest.approx(400 * 2000.0, rel=1e-12)
    assert first["quantities"]["books"] == 400 * 30


def test_unit_mismatch_is_an_error_and_unknown_unit_a_warning(tmp_path: Path) -> None:
    frame = template_frame([primary_school("甲小学", 400), primary_school("乙小学", 200)])
    frame = frame.rename(
        columns={
            "图书册数": "图书册数（万元）",
            "教学及辅助用房面积": "教学及辅助用房面积（含危房）",
        }
    )
    path = tmp_path / "c.xlsx"
    write_sheet_xlsx(frame, path, "学校")
    code, doc = evaluate_json(str(path))
    assert code == 1
    codes = {i["code"]: i for i in doc["issues"]}
    assert (codes["E_BAD_UNIT"]["row"], codes["E_BAD_UNIT"]["column"]) == (1, "W")
    assert codes["E_BAD_UNIT"]["value"] == "万元"
    unknown = codes["W_UNKNOWN_UNIT"]
    assert (unknown["column"], unknown["severity"], unknown["value"]) == ("S", "warning", "含危房")


# -- values ------------------------------------------------------------------------------------
def test_formula_without_cached_value_is_an_error_never_zero(tmp_path: Path) -> None:
    frame = template_frame([primary_school("甲小学", 400), primary_school("乙小学", 200)])
    path = tmp_path / "c.xlsx"
    write_sheet_xlsx(frame, path, "学校")
    wb = load_workbook(path)
    wb["学校"]["W3"] = "=F3*30"  # openpyxl stores no calculated value
    wb.save(path)
    code, doc = evaluate_json(str(path))
    assert code == 1
    (issue,) = doc["issues"]
    assert (issue["code"], issue["row"], issue["column"]) == ("E_FORMULA_NO_VALUE", 3, "W")


def test_formula_with_cached_value_is_read_by_its_value(tmp_path: Path) -> None:
    frame = template_frame([primary_school("甲小学", 400), primary_school("乙小学", 200)])
    path = tmp_path / "c.xlsx"
    write_sheet_xlsx(frame, path, "学校")
    wb = load_workbook(path)
    wb["学校"]["W3"] = "=F3*30"
    wb.save(path)
    patched = tmp_path / "cached.xlsx"
    with zipfile.ZipFile(path) as src, zipfile.ZipFile(patched, "w") as dst:
        for item in src.infolist():
            data = src.read(item.filename)
            if item.filename == "xl/worksheets/sheet1.xml":
                assert b"<f>F3*30</f><v />" in data
                data = data.replace(b"<f>F3*30</f><v />", b"<f>F3*30</f><v>6000</v>")
            dst.writestr(item, data)
    code, doc = evaluate_json(str(patched))
    assert code == 0, doc.get("issues")
    second = next(s for s in doc["schools"] if s["name"] == "乙小学")
    assert second["quantities"]["books"] == 6000


def test_outlier_warning_catches_wan_yuan_typed_as_yuan(tmp_path: Path) -> None:
    schools = [primary_school(f"{i}小学", 300 + 10 * i) for i in range(6)]
    schools[4]["equipment_value"] = schools[4]["equipment_value"] / 10_000  # typed in 万元
    path = tmp_path / "c.xlsx"
    write_sheet_xlsx(template_frame(schools), path, "学校")
    code, doc = evaluate_json(str(path))
    assert code == 0  # a warning does not block the verdict
    (warning,) = [i for i in doc["issues"] if i["code"] == "W_OUTLIER"]
    assert (warning["row"], warning["column"], warning["header"]) == (6, "V", "教学仪器设备值")
    assert "1/10000" in warning["message"]


def test_teachers_without_students_is_a_warning(tmp_path: Path) -> None:
    school = primary_school("甲小学", 400, teachers_junior=3)
    path = tmp_path / "c.xlsx"
    write_sheet_xlsx(template_frame([school, primary_school("乙小学", 300)]), path, "学校")
    code, doc = evaluate_json(str(path))
    assert code == 0
    (warning,) = [i for i in doc["issues"] if i["code"] == "W_TEACHERS_NO_STUDENTS"]
    assert (warning["row"], warning["column"], warning["value"]) == (2, "N", 3)


def test_english_messages(tmp_path: Path) -> None:
    path = tmp_path / "c.xlsx"
    write_sheet_xlsx(template_frame([primary_school("甲小学", 400, books="many")]), path, "学校")
    code, doc = evaluate_json(str(path), "--lang", "en")
    assert code == 1
    assert doc["issues"][0]["message"] == "'图书册数' should be a number, found 'many'"


# -- annotated copies -----------------------------------------------------------------------
def test_validate_annotate_writes_a_marked_copy_and_leaves_the_input(tmp_path: Path) -> None:
    path = tmp_path / "c.xlsx"
    write_sheet_xlsx(
        template_frame([primary_school("甲小学", 400), primary_school("乙小学", 300, books=-1)]),
        path,
        "学校",
    )
    before = sha(path)
    out = tmp_path / "标注.xlsx"
    result = run("validate", str(path), "--annotate", str(out))
    assert result.exit_code == 1
    assert sha(path) == before
    wb = load_workbook(out)
    assert wb.sheetnames == ["学校", "问题清单"]
    cell = wb["学校"]["W3"]
    assert "不能为负数" in cell.comment.text
    assert cell.fill.fgColor.rgb.endswith("FFC7CE")
    assert wb["问题清单"].max_row == 2
    refused = run("validate", str(path), "--annotate", str(path))
    assert refused.exit_code == 2 and "拒绝覆盖" in refused.stderr
    assert sha(path) == before


# -- bad files ---------------------------------------------------------------------------------
def assert_clean_failure(result, *phrases: str) -> None:
    assert result.exit_code == 2, result.output
    assert "Traceback" not in result.output
    for phrase in phrases:
        assert phrase in result.stderr, result.stderr


def test_corrupt_archive(county, tmp_path: Path) -> None:
    path = tmp_path / "c.xlsx"
    write_sheet_xlsx(county, path, "学校")
    path.write_bytes(path.read_bytes()[: path.stat().st_size // 2])
    assert_clean_failure(run("evaluate", str(path)), "已损坏")


def test_password_protected_workbook(tmp_path: Path) -> None:
    path = tmp_path / "加密.xlsx"
    path.write_bytes(read_module.OLE_MAGIC + bytes(4096))
    assert_clean_failure(run("evaluate", str(path)), "密码保护")


def test_empty_workbook(tmp_path: Path) -> None:
    path = tmp_path / "空.xlsx"
    Workbook().save(path)
    assert_clean_failure(run("evaluate", str(path)), "工作簿是空的")


def test_zero_byte_file_and_folder_and_unsupported_type(tmp_path: Path) -> None:
    empty = tmp_path / "零.xlsx"
    empty.write_bytes(b"")
    assert_clean_failure(run("evaluate", str(empty)), "0 字节")
    assert_clean_failure(run("evaluate", str(tmp_path)), "文件夹")
    doc = tmp_path / "报告.docx"
    doc.write_bytes(b"PK")
    assert_clean_failure(run("evaluate", str(doc)), "不支持的文件类型")


def test_no_sheet_looks_like_school_data(tmp_path: Path) -> None:
    path = tmp_path / "其他.xlsx"
    write_sheet_xlsx(pd.DataFrame({"姓名": ["张三"], "电话": ["123"]}), path, "通讯录")
    assert_clean_failure(run("evaluate", str(path)), "没有一个工作表像学校数据表")


def test_undecodable_csv(tmp_path: Path) -> None:
    path = tmp_path / "乱码.csv"
    path.write_bytes(b"\x80\x80\xff\xfe\x00")
    assert_clean_failure(run("evaluate", str(path)), "编码")


def test_too_many_rows_and_archive_bomb(county, tmp_path: Path, monkeypatch) -> None:
    path = tmp_path / "c.xlsx"
    write_sheet_xlsx(county, path, "学校")
    monkeypatch.setattr(read_module, "MAX_ROWS", 10)
    assert_clean_failure(run("evaluate", str(path)), "超过上限")
    monkeypatch.setattr(read_module, "MAX_ROWS", 1_000_000)
    monkeypatch.setattr(read_module, "MAX_UNCOMPRESSED_BYTES", 1000)
    assert_clean_failure(run("evaluate", str(path)), "解压后")


def test_total_row_in_a_serial_column_and_footer_notes_are_not_schools(tmp_path: Path) -> None:
    schools = [primary_school("甲小学", 400), primary_school("乙小学", 300)]
    frame = template_frame(schools)
    frame.insert(0, "序号", [1, 2])
    width = len(frame.columns)
    tail = pd.DataFrame(
        [
            ["合计", *[None] * (width - 1)],
            ["注：本表数据截至2026年9月。", *[None] * (width - 1)],
            ["填表人：张三", None, None, "审核人：李四", *[None] * (width - 4)],
        ],
        columns=frame.columns,
    )
    path = tmp_path / "c.xlsx"
    write_sheet_xlsx(pd.concat([frame, tail], ignore_index=True), path, "学校")
    code, doc = evaluate_json(str(path))
    assert code == 0, doc.get("issues")
    rows = doc["rows"]
    assert (rows["read"], rows["evaluated"], rows["total"], rows["notes"]) == (5, 2, 1, 2)
    assert doc["issues"] == []


@pytest.mark.parametrize("chunk", [1, 2, 3, 7, 1 << 22])
def test_formula_scan_finds_a_formula_across_chunk_boundaries(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, chunk: int
) -> None:
    """The sheet XML is scanned in chunks; '<f' split over two chunks must still be seen."""
    from junheng_cli.io import read

    frame = template_frame([primary_school("甲小学", 400)])
    path = tmp_path / "c.xlsx"
    write_sheet_xlsx(frame, path, "学校")
    wb = load_workbook(path)
    wb["学校"]["W2"] = "=F2*30"
    wb.save(path)
    monkeypatch.setattr(read, "SCAN_CHUNK", chunk)
    assert read.scan_formula_cells(path, "学校").uncached == {(1, 22)}


def test_an_error_value_is_named_as_such_never_blank_or_zero(tmp_path: Path) -> None:
    """A cell holding #DIV/0! (the stored result of a broken formula) is read by the cell
    reader as empty; it must be reported as the error it is, at its cell, not as 未填写."""
    frame = template_frame([primary_school("甲小学", 400), primary_school("乙小学", 200)])
    path = tmp_path / "c.xlsx"
    write_sheet_xlsx(frame, path, "学校")
    wb = load_workbook(path)
    wb["学校"]["W3"] = "#DIV/0!"  # openpyxl stores it as an error value (t="e")
    wb.save(path)
    code, doc = evaluate_json(str(path))
    assert code == 1
    (issue,) = doc["issues"]
    assert (issue["code"], issue["row"], issue["column"]) == ("E_ERROR_VALUE", 3, "W")
    assert issue["value"] == "#DIV/0!" and "错误值 #DIV/0!" in issue["message"]
