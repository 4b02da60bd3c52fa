"""Hostile outputs: no output replaces an input, whatever the flags; no report lands outside
the folder given; an output path the system cannot take is a message, not a traceback.

Every input is built here, small (two or three schools a county)."""

from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path

import pytest
from typer.testing import CliRunner

from helpers import REPO, primary_school, template_frame, write_county_file
from junheng_cli.cli.app import app
from junheng_cli.io.write import display_width, write_sheet_xlsx

runner = CliRunner()


def run(*args: str | Path):
    return runner.invoke(app, [str(a) for a in args])


def sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def every_file(root: Path) -> set[Path]:
    return {p for p in root.rglob("*") if p.is_file()}


def county(path: Path, students: int = 400) -> Path:
    """Two schools, named after the file (returned files of one folder differ)."""
    return write_county_file(
        path,
        [
            primary_school(f"{path.stem}甲小学", students),
            primary_school(f"{path.stem}乙小学", students - 100),
        ],
    )


def grouped_workbook(path: Path, counties: list[str]) -> Path:
    """One workbook of several counties, told apart by a 县 column."""
    schools = [primary_school(f"{n}小学", 300 + 50 * n) for n in range(2)] * len(counties)
    frame = template_frame(schools)
    frame["县"] = [name for name in counties for _ in range(2)]
    write_sheet_xlsx(frame, path, "学校")
    return path


def assert_refused(result, *phrases: str) -> None:
    assert result.exit_code == 2, result.output
    assert "Traceback" not in result.output
    for phrase in phrases:
        assert phrase in result.stderr, result.stderr


# -- 1. batch --reports-dir never replaces an input ------------------------------------------
def test_batch_reports_into_the_folder_it_reads_leave_every_input_unchanged(
    tmp_path: Path,
) -> None:
    folder = tmp_path / "d"
    folder.mkdir()
    inputs = [county(folder / f"县000{i}.xlsx", 300 + 100 * i) for i in range(3)]
    before = {p: sha(p) for p in inputs}
    result = run("batch", folder, "--reports-dir", folder, "-q", "--format", "json")
    assert result.exit_code == 0, result.output
    assert {p: sha(p) for p in inputs} == before
    summary = {s["county"]: s["report"] for s in json.loads(result.stdout)["summary"]}
    assert summary == {f"县000{i}": str(folder / f"县000{i}-2.xlsx") for i in range(3)}
    assert all(Path(report).is_file() for report in summary.values())


def test_a_county_called_like_the_grouped_workbook_does_not_replace_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """``junheng batch 全市.xlsx --group-by 县 --reports-dir .`` with a county called 全市."""
    workbook = grouped_workbook(tmp_path / "全市.xlsx", ["全市", "乙县"])
    before = sha(workbook)
    monkeypatch.chdir(tmp_path)
    result = run("batch", "全市.xlsx", "--group-by", "县", "--reports-dir", ".", "-q")
    assert result.exit_code == 0, result.output
    assert sha(workbook) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["乙县.xlsx", "全市-2.xlsx", "全市.xlsx"]
    assert "全市 → 全市-2.xlsx" in result.stdout


# -- 2. county names are made safe file names inside the folder ------------------------------
def test_county_names_never_write_outside_the_reports_folder(tmp_path: Path) -> None:
    work = tmp_path / "a" / "b"
    work.mkdir(parents=True)
    names = [
        "../../escaped",
        str(tmp_path / "absolute"),
        "a/b",
        "a\\b",
        ".",
        "..",
        "县" * 300,  # 900 UTF-8 bytes: more than a file name can hold
        "控制\x7f字符\u202e",  # a control and a format character
    ]
    workbook = grouped_workbook(work / "全市.xlsx", names)
    reports = work / "报告"
    summary_file = work / "汇总.json"
    before = every_file(tmp_path)
    result = run(
        "batch", workbook, "--group-by", "县", "--reports-dir", reports, "-o", summary_file, "-q"
    )
    assert result.exit_code == 0, result.output
    written = every_file(tmp_path) - before
    assert written == {summary_file} | set(reports.iterdir())  # nothing elsewhere
    assert all(p.parent == reports for p in reports.iterdir())  # no sub-folders either
    assert len(list(reports.iterdir())) == len(names)
    where = {
        s["county"]: Path(s["report"]) for s in json.loads(summary_file.read_text())["summary"]
    }
    assert set(where) == set(names) and all(p.parent == reports for p in where.values())
    assert where["a/b"].name == "a_b.xlsx" and where["a\\b"].name == "a_b-2.xlsx"
    assert where["../../escaped"].name == "_.._escaped.xlsx"
    assert {where["."].name, where[".."].name} == {"未命名县.xlsx", "未命名县-2.xlsx"}
    assert where["控制\x7f字符\u202e"].name == "控制字符.xlsx"
    for path in where.values():
        assert not path.name.startswith(".") and len(path.name.encode()) <= 255
    assert "a/b → a_b.xlsx" in result.stdout and ". → 未命名县" in result.stdout


def test_a_report_that_cannot_be_written_is_listed_and_the_rest_are_written(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import junheng_cli.report.xlsx.evaluation as xlsx

    folder = tmp_path / "各县"
    folder.mkdir()
    for name in ("甲县", "乙县", "丙县"):
        county(folder / f"{name}.xlsx")
    real = xlsx.write_xlsx

    def disk_full_for_yi(result, target: Path, inputs) -> None:
        if target.stem == "乙县":
            raise OSError(28, "No space left on device")
        real(result, target, inputs)

    monkeypatch.setattr(xlsx, "write_xlsx", disk_full_for_yi)
    reports = tmp_path / "报告"
    result = run("batch", folder, "--reports-dir", reports, "-q")
    assert result.exit_code == 1, result.output
    assert "Traceback" not in result.output
    assert sorted(p.name for p in reports.iterdir()) == ["丙县.xlsx", "甲县.xlsx"]
    assert "报告未能写入" in result.stdout and "No space left on device" in result.stdout


def test_safe_report_names() -> None:
    from junheng_cli.io.guard import safe_file_stem

    for text in ("../x", "/abs/p", "a/b", "a\\b", ".", "..", " .. ", "县" * 300, "CON", "\x00"):
        stem = safe_file_stem(text, "未命名")
        assert stem and not stem.startswith((".", " ")) and not stem.endswith((".", " "))
        assert not set("/\\\x00") & set(stem)
        assert len(stem) <= 101 and len(stem.encode()) <= 201
        assert safe_file_stem(stem, "未命名") == stem
    assert safe_file_stem("CON", "x") == "_CON" and safe_file_stem("..", "x") == "x"


# -- 6. no output over any file the command reads ---------------------------------------------
@pytest.mark.parametrize("option", ["--columns", "--county-items", "--standard"])
def test_an_output_over_a_file_the_command_reads_is_refused_even_with_force(
    tmp_path: Path, option: str
) -> None:
    path = county(tmp_path / "县.xlsx")
    read = {
        "--columns": ("map.yaml", "columns:\n  学校名: name\n"),
        "--county-items": ("items.yaml", "初中三年巩固率: 97.1\n"),
        "--standard": ("my.yaml", (REPO / "standards" / "quality-2017.yaml").read_text("utf-8")),
    }
    name, text = read[option]
    target = tmp_path / name
    target.write_text(text, encoding="utf-8")
    before = sha(target)
    standard = [] if option == "--standard" else ["--standard", "quality-2017"]
    result = run("evaluate", path, *standard, option, target, "-f", "json", "-o", target, "--force")
    assert_refused(result, "拒绝覆盖输入文件", name)
    assert sha(target) == before


def test_save_plan_over_the_mapping_file_is_refused(tmp_path: Path) -> None:
    path = county(tmp_path / "县.xlsx")
    mapping = tmp_path / "map.yaml"
    mapping.write_text("columns:\n  学校名: name\n", encoding="utf-8")
    before = sha(mapping)
    result = run(
        "plan", path, "-s", "quality-2017", "--columns", mapping, "--save-plan", mapping, "--force"
    )
    assert_refused(result, "拒绝覆盖输入文件", "列名映射文件")
    assert sha(mapping) == before


def test_an_output_that_is_a_hard_link_to_an_input_is_refused(tmp_path: Path) -> None:
    path = county(tmp_path / "县.xlsx")
    link = tmp_path / "报告.xlsx"
    os.link(path, link)
    before = sha(path)
    result = run("evaluate", path, "-o", link, "--force")
    assert_refused(result, "拒绝覆盖输入文件")
    assert sha(path) == before and os.path.samefile(path, link)


def test_collect_onto_a_returned_school_file_is_refused(tmp_path: Path) -> None:
    folder = tmp_path / "回收"
    folder.mkdir()
    returned = [county(folder / "甲.xlsx", 400), county(folder / "乙.xlsx", 300)]
    before = {p: sha(p) for p in returned}
    result = run("collect", folder, "-o", returned[0], "--force")
    assert_refused(result, "拒绝覆盖输入文件", "回收文件")
    assert {p: sha(p) for p in returned} == before
    # the merged workbook of an earlier run in the folder may still be replaced
    merged = folder / "全县.xlsx"
    assert run("collect", folder, "-o", merged).exit_code == 0
    assert run("collect", folder, "-o", merged, "--force").exit_code == 0


# -- 7. output paths the system cannot take ---------------------------------------------------
def test_reports_dir_that_is_an_existing_file_is_a_message(tmp_path: Path) -> None:
    folder = tmp_path / "各县"
    folder.mkdir()
    county(folder / "甲县.xlsx")
    existing = tmp_path / "报告"
    existing.write_text("不是文件夹", encoding="utf-8")
    result = run("batch", folder, "--reports-dir", existing)
    assert_refused(result, "是一个已存在的文件，不是文件夹")
    assert existing.read_text(encoding="utf-8") == "不是文件夹"


@pytest.mark.parametrize("command", ["evaluate", "batch", "collect", "annotate", "reports-dir"])
def test_a_300_character_output_name_is_a_message(tmp_path: Path, command: str) -> None:
    folder = tmp_path / "各县"
    folder.mkdir()
    path = county(folder / "甲县.xlsx")
    long = tmp_path / ("y" * 300 + ".xlsx")
    args = {
        "evaluate": ["evaluate", path, "-o", long],
        "batch": ["batch", folder, "-o", long],
        "collect": ["collect", folder, "-o", long],
        "annotate": ["validate", path, "--annotate", long],
        "reports-dir": ["batch", folder, "--reports-dir", tmp_path / ("y" * 300)],
    }[command]
    before = every_file(tmp_path)
    assert_refused(run(*args), "名称太长", "最多 240 字节")
    assert every_file(tmp_path) == before


@pytest.mark.parametrize("force", [False, True])
def test_annotate_onto_an_existing_folder_says_it_is_a_folder(tmp_path: Path, force: bool) -> None:
    path = county(tmp_path / "县.xlsx")
    folder = tmp_path / "标注.xlsx"
    folder.mkdir()
    result = run("validate", path, "--annotate", folder, *(["--force"] if force else []))
    assert_refused(result, "是一个已存在的文件夹")
    assert "加 --force 覆盖" not in result.stderr
    assert folder.is_dir() and not any(folder.iterdir())


@pytest.mark.parametrize(
    ("text", "columns"),
    [
        ("12,345.67", 9),  # ASCII: one column each
        ("\t~ ", 3),
        ("示例县", 6),  # CJK: two each
        ("示例县2026", 10),
        ("ＡＢ１", 6),  # fullwidth: two each
        ("ｱｲ", 2),  # halfwidth katakana: one each
        ("", 0),
    ],
)
def test_display_width_counts_wide_characters_twice(text: str, columns: int) -> None:
    assert display_width(text) == columns
