"""Each data error: its code, the exact Excel row and column, the value and what was expected."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest

from helpers import primary_school, template_frame
from junheng_cli.compute.validate import validate
from junheng_cli.io.sheet_table import read_school_table
from junheng_cli.io.write import write_sheet_xlsx
from junheng_cli.model.findings import Finding
from junheng_cli.standards.model import load_standard

BASIC = load_standard("basic-2012")


def findings_of(path: Path) -> list[Finding]:
    return validate(read_school_table([path]), BASIC).findings


def one(findings: list[Finding], code: str) -> Finding:
    matching = [f for f in findings if f.code == code]
    assert len(matching) == 1, findings
    return matching[0]


def test_clean_county_has_no_findings(write_county) -> None:
    path = write_county([primary_school("甲小学", 400), primary_school("乙小学", 300)])
    assert findings_of(path) == []


def test_not_a_number(write_county) -> None:
    path = write_county(
        [primary_school("甲小学", 400), primary_school("乙小学", 300, books="很多")]
    )
    f = one(findings_of(path), "E_NOT_NUMBER")
    assert (f.row, f.column, f.header, f.field, f.value) == (3, "W", "图书册数", "books", "很多")
    assert f.severity == "error" and f.sheet == "学校" and f.file == str(path)
    assert "图书册数" in f.message() and "很多" in f.message()
    assert "should be a number" in f.message("en")


def test_negative(write_county) -> None:
    path = write_county([primary_school("甲小学", 400, teaching_area=-20.5)])
    f = one(findings_of(path), "E_NEGATIVE")
    assert (f.row, f.column, f.value) == (2, "S", -20.5)


def test_missing_value_of_a_required_quantity(write_county) -> None:
    path = write_county(
        [primary_school("甲小学", 400), primary_school("乙小学", 300, computers=None)]
    )
    f = one(findings_of(path), "E_MISSING_VALUE")
    assert (f.row, f.column, f.header) == (3, "X", "计算机台数")


def test_no_students_for_a_level_the_type_requires(write_county) -> None:
    school = primary_school(
        "一贯制",
        300,
        type="九年一贯制学校",
        teachers_junior=10,
        qualified_teachers_junior=5,
        senior_title_teachers_junior=3,
    )
    path = write_county([primary_school("甲小学", 400), school])
    f = one(findings_of(path), "E_NO_STUDENTS")
    assert (f.row, f.column, f.header, f.field) == (3, "G", "初中在校生数", "students_junior")
    assert "九年一贯制学校" in f.message() and "一贯制" in f.message()


def test_part_larger_than_whole(write_county) -> None:
    path = write_county([primary_school("甲小学", 400, qualified_teachers_primary=99)])
    f = one(findings_of(path), "E_PART_EXCEEDS_WHOLE")
    assert (f.row, f.column, f.value) == (2, "J", 99)
    assert "小学专任教师数" in f.message() and "22" in f.message()


def test_unknown_school_type(write_county) -> None:
    path = write_county([primary_school("甲小学", 400, type="幼儿园")])
    f = one(findings_of(path), "E_UNKNOWN_TYPE")
    assert (f.row, f.column, f.value) == (2, "C", "幼儿园")
    assert "九年一贯制学校" in f.hint()


def test_missing_name(write_county) -> None:
    path = write_county([primary_school("", 400)])
    f = one(findings_of(path), "E_MISSING_NAME")
    assert (f.row, f.column) == (2, "B")


def test_duplicate_code_then_duplicate_name(write_county) -> None:
    path = write_county(
        [
            primary_school("甲小学", 400, code="2134000001"),
            primary_school("乙小学", 300, code="2134000001"),
            primary_school("丙小学", 300),
            primary_school("丙小学", 200),
        ]
    )
    found = [f for f in findings_of(path) if f.code == "E_DUPLICATE_SCHOOL"]
    assert [(f.row, f.column, f.value) for f in found] == [
        (3, "A", "2134000001"),
        (5, "B", "丙小学"),
    ]
    assert dict(found[0].params)["other_row"] == 2


def test_missing_column_suggests_the_closest_header(tmp_path: Path) -> None:
    frame = template_frame([primary_school("甲小学", 400)]).rename(columns={"图书册数": "图书数目"})
    path = tmp_path / "c.xlsx"
    write_sheet_xlsx(frame, path, "学校")
    f = one(findings_of(path), "E_MISSING_COLUMN")
    assert (f.row, f.header, f.field) == (1, "图书册数", "books")
    assert "图书数目" in f.hint()


def test_excluded_types_are_not_checked_for_values(write_county) -> None:
    point = {"name": "某村教学点", "type": "教学点", "students_primary": 12}
    path = write_county([primary_school("甲小学", 400), point])
    assert findings_of(path) == []


def test_title_rows_units_text_numbers_blank_and_total_rows(tmp_path: Path) -> None:
    """A sheet as counties send it reads to the same numbers as the clean template."""
    schools = [primary_school("甲小学", 400), primary_school("乙小学", 300)]
    clean = tmp_path / "clean.xlsx"
    write_sheet_xlsx(template_frame(schools), clean, "学校")
    frame = template_frame(schools).astype(object)
    frame.columns = [f"{c}（㎡）" if "面积" in c else c for c in frame.columns]
    frame.loc[0, "图书册数"] = "１２，０００".replace("，", ",")  # full-width digits, separator
    frame.loc[1, "计算机台数"] = " 37 "
    blank = pd.DataFrame([[None] * len(frame.columns)], columns=frame.columns)
    total = pd.DataFrame([["", "合计", *[None] * (len(frame.columns) - 2)]], columns=frame.columns)
    messy = pd.concat([frame.iloc[:1], blank, frame.iloc[1:], total], ignore_index=True)
    title = [
        ["示例县义务教育学校办学条件统计表", *[None] * (len(frame.columns) - 1)],
        ["填报单位：示例县教育局", *[None] * (len(frame.columns) - 1)],
    ]
    rows = [*title, list(messy.columns), *messy.astype(object).values.tolist()]
    path = tmp_path / "messy.xlsx"
    write_sheet_xlsx(pd.DataFrame(rows[1:], columns=rows[0]), path, "学校")
    table = read_school_table([path])
    (sheet,) = table.sheets
    assert sheet.header.excel_rows == (3, 3)
    assert sheet.blank_rows == [5] and sheet.total_rows["_row"].tolist() == [7]
    messy_v = validate(table, BASIC)
    clean_v = validate(read_school_table([clean]), BASIC)
    assert messy_v.findings == []
    books = messy_v.frame["books"].tolist()
    assert books == [12000.0, clean_v.frame["books"].tolist()[1]]
    assert messy_v.frame["computers"].tolist()[1] == 37.0


@pytest.mark.parametrize("normalise", [False, True])
def test_text_cells_read_the_same_column_wise_and_cell_by_cell(normalise: bool) -> None:
    """A column of text only is cleaned column-wise; a column mixing numbers and text cell
    by cell. Both must give the same text for the same cells."""
    from junheng_cli.compute.validate.coercion import as_text as _as_text

    tricky = ["\u3000甲 小学 ", "乙\xa0小学", "丙\u2028小学\t", "ＡＢＣ１２", "", None, " 丁 "]
    text_only = _as_text(pd.Series(tricky, dtype=object), normalise)
    mixed = _as_text(pd.Series([*tricky, 7.0], dtype=object), normalise)
    assert text_only.tolist() == mixed.tolist()[:-1]
    assert mixed.iloc[-1] == "7"
    expected = "甲小学" if normalise else "甲 小学"
    assert text_only.iloc[0] == expected and text_only.iloc[4] == "" and text_only.iloc[5] == ""


@pytest.mark.parametrize("normalise", [False, True])
def test_a_column_of_codes_taken_as_it_is_reads_the_same(normalise: bool) -> None:
    """School codes are mostly different: a column of text already as it should be is taken
    whole (``distinct``), without numbering its values; anything else goes the usual way.
    Either way the text is the same."""
    from junheng_cli.compute.validate.coercion import as_text as _as_text

    plain = ["4101010001", "4101010002", "", "4101010001"]
    tricky = [*plain, " 4101010003", "４１０１", None, 4101010004.0]
    for cells in (plain, tricky, tricky[4:5], tricky[5:6], tricky[6:7]):
        column = pd.Series(cells, dtype=object)
        taken = _as_text(column, normalise, distinct=True)
        assert taken.tolist() == _as_text(column, normalise).tolist()
        assert taken.dtype == object
    assert _as_text(pd.Series(plain, dtype=object), normalise, distinct=True).tolist() == plain


@pytest.mark.parametrize(
    ("typed", "read_as"),
    [
        ("１２，０００", 12000.0),  # full-width digits and separator
        (" 1,234.5 ", 1234.5),
        ("-", None),  # an empty marker: empty, not an error
        ("1e5", "error"),  # text that Python would read as a number is not a plain decimal
        ("inf", "error"),
        ("0x10", "error"),
        ("12（估）", "error"),
    ],
)
def test_numbers_typed_as_text_are_plain_decimals_only(
    tmp_path: Path, typed: str, read_as: float | str | None
) -> None:
    frame = template_frame([primary_school("甲小学", 400), primary_school("乙小学", 300)])
    frame = frame.astype(object)
    frame.loc[0, "教学及辅助用房面积"] = typed  # a decimal field: 1,234.5 ㎡ is a fine area
    path = tmp_path / "c.xlsx"
    write_sheet_xlsx(frame, path, "学校")
    checked = validate(read_school_table([path]), BASIC)
    codes = [(f.code, f.row) for f in checked.findings]
    if read_as == "error":
        assert codes == [("E_NOT_NUMBER", 2)]
    elif read_as is None:  # empty: at most "missing", never "not a number"
        area = checked.frame["teaching_area"].iloc[0]
        assert ("E_NOT_NUMBER", 2) not in codes and pd.isna(area)
    else:
        assert codes == []
        value = checked.frame["teaching_area"].iloc[0]
        assert value == read_as


def test_outliers_are_judged_against_their_own_county(tmp_path: Path) -> None:
    """Two counties in one batch: 甲 keeps 30 books per pupil, 乙 360 (12×). Against the whole
    batch's median the 乙 schools would all be outliers; against their own county none is.
    One 乙 school with 3,600 per pupil is 10× its county's median of 360 and is flagged."""
    schools = [primary_school(f"甲{i}小学", 400) for i in range(4)]
    schools += [primary_school(f"乙{i}小学", 400, books=400 * 360) for i in range(4)]
    schools.append(primary_school("乙4小学", 400, books=400 * 3600))
    path = tmp_path / "两县.xlsx"
    write_sheet_xlsx(template_frame(schools), path, "学校")
    table = read_school_table([path])
    county = pd.Series(["甲"] * 4 + ["乙"] * 5, index=table.frame.index)
    flagged = [
        (f.row, dict(f.params).get("median"))
        for f in validate(table, BASIC, county).findings
        if f.code == "W_OUTLIER"
    ]
    assert flagged == [(10, "360 册")]


# -- hints at the point of failure (issue 15) --------------------------------------------------
@pytest.mark.parametrize(
    ("renamed", "lines"),
    [
        # 小学在校生数 → 学生数 (SequenceMatcher ratio 2 × 3 / 9 = 0.67) and 小学县级以上骨干教师数
        # → 骨干教师 (2 × 4 / 15 = 0.53): two missing columns, two different close headers
        (
            {"小学在校生数": "学生数", "小学县级以上骨干教师数": "骨干教师"},
            {
                "小学在校生数": "学生数: students_primary",
                "小学县级以上骨干教师数": "骨干教师: backbone_teachers_primary",
            },
        ),
        # a header YAML would misread unquoted (a flow sequence): the line quotes it
        ({"小学在校生数": "[小学]在校生"}, {"小学在校生数": "'[小学]在校生': students_primary"}),
        # spaces inside the header are left out: headers are compared without them
        ({"小学在校生数": "小学 在校 学生"}, {"小学在校生数": "小学在校学生: students_primary"}),
    ],
)
def test_a_missing_column_hint_gives_the_mapping_line_that_fixes_it(
    tmp_path: Path, renamed: dict[str, str], lines: dict[str, str]
) -> None:
    """The hint of a missing column with a close header is a --columns mapping line; written
    into a mapping file as shown, the same command runs: 400 + 300 pupils, no error."""
    from typer.testing import CliRunner

    from junheng_cli.cli.app import app

    schools = [primary_school("甲小学", 400), primary_school("乙小学", 300)]
    path = tmp_path / "c.xlsx"
    write_sheet_xlsx(template_frame(schools).rename(columns=renamed), path, "学校")
    found = validate(read_school_table([path]), load_standard("quality-2017")).findings
    missing = [f for f in found if f.code == "E_MISSING_COLUMN"]
    assert {f.header: f.hint() for f in missing} == {
        header: f"请在表头中加入“{header}”列（表中最接近的列名是“{renamed[header]}”；若就是这一列，"
        f"可在列映射文件中写：{line}，再用 --columns 指定该文件）"
        for header, line in lines.items()
    }
    assert all(f"'{lines[f.header]}'" in f.hint("en") for f in missing)
    runner = CliRunner()
    failed = runner.invoke(app, ["validate", str(path), "-s", "quality-2017"])
    assert failed.exit_code == 1
    mapping = tmp_path / "列映射.yaml"
    mapping.write_text("".join(f"{line}\n" for line in lines.values()), encoding="utf-8")
    given = ["-s", "quality-2017", "--columns", str(mapping)]
    fixed = runner.invoke(app, ["validate", str(path), *given])
    assert fixed.exit_code == 0, fixed.output
    shown = runner.invoke(app, ["evaluate", str(path), *given, "-f", "json"])
    assert shown.exit_code == 0, shown.output
    assert json.loads(shown.stdout)["levels"][0]["students"] == 700


def test_evaluate_on_a_folder_of_county_workbooks_suggests_batch(tmp_path: Path) -> None:
    """A folder of two county workbooks: evaluate refuses it (exit 2) and says to run batch
    (or evaluate on the files, for one county in parts), with the --standard given; the batch
    it suggests runs and ranks the two counties. With one 教基 export among them, the hint
    also names --input-kind stats for that one."""
    import shlex
    import shutil

    from typer.testing import CliRunner

    from helpers import REPO
    from junheng_cli.cli.app import app

    folder = tmp_path / "各县"
    folder.mkdir()
    write_sheet_xlsx(template_frame([primary_school("甲小学", 400)]), folder / "甲县.xlsx", "学校")
    write_sheet_xlsx(template_frame([primary_school("乙小学", 300)]), folder / "乙县.xlsx", "学校")
    runner = CliRunner()
    refused = runner.invoke(app, ["evaluate", str(folder), "-s", "quality-2017"])
    assert refused.exit_code == 2 and "Traceback" not in refused.output
    assert "其中的 2 个工作簿都不是教育事业统计报表" in refused.stderr
    batch_line = f"junheng batch {folder} --standard quality-2017"
    assert batch_line in refused.stderr
    assert f"junheng evaluate {folder}/*.xlsx --standard quality-2017" in refused.stderr
    assert "--input-kind stats" not in refused.stderr
    suggested = runner.invoke(app, [*shlex.split(batch_line)[1:], "-f", "json"])
    assert suggested.exit_code == 0, suggested.output
    assert sorted(s["county"] for s in json.loads(suggested.stdout)["summary"]) == ["乙县", "甲县"]

    exports = REPO / "sample_data" / "示例县2026统计报表"
    shutil.copy(next(iter(sorted(exports.glob("*.xlsx")))), folder)
    mixed = runner.invoke(app, ["evaluate", str(folder), "-s", "quality-2017"])
    assert mixed.exit_code == 2
    assert "其中的 3 个工作簿只有 1 个是教育事业统计报表" in mixed.stderr
    assert f"junheng evaluate {folder} --input-kind stats --standard quality-2017" in mixed.stderr
    empty = tmp_path / "空"
    empty.mkdir()
    nothing = runner.invoke(app, ["evaluate", str(empty)])
    assert nothing.exit_code == 2 and "其中没有工作簿" in nothing.stderr
