"""Batch scoring: a folder of counties, one workbook split by a county column."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest
from openpyxl import load_workbook
from synthetic import CountySpec, generate_county
from typer.testing import CliRunner

from junheng_cli.cli.app import app
from junheng_cli.io.write import write_sheet_xlsx

runner = CliRunner()


@pytest.fixture(scope="module")
def counties() -> dict[str, pd.DataFrame]:
    return {
        f"{name}县": generate_county(
            CountySpec(name=name, seed=seed, scale=0.3, code_prefix=prefix)
        )
        for name, seed, prefix in (("甲", 1, "3401"), ("乙", 2, "3402"), ("丙", 3, "3403"))
    }


@pytest.fixture
def folder(tmp_path: Path, counties) -> Path:
    root = tmp_path / "各县"
    root.mkdir()
    for name, frame in counties.items():
        write_sheet_xlsx(frame, root / f"{name}.xlsx", "学校")
    return root


def single(path: Path, standard: str) -> dict:
    result = runner.invoke(app, ["evaluate", str(path), "--standard", standard, "--format", "json"])
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def test_a_folder_of_counties_matches_single_county_runs(folder: Path, tmp_path: Path) -> None:
    out = tmp_path / "汇总.xlsx"
    result = runner.invoke(
        app,
        ["batch", str(folder), "--standard", "quality-2017", "--format", "json", "-o", str(out)],
    )
    assert result.exit_code == 0, result.output
    doc = json.loads(result.stdout)
    assert len(doc["counties"]) == 3 and len(doc["summary"]) == 3
    by_name = {s["county"]: s for s in doc["summary"]}
    documents = {d["county"]: d for d in doc["counties"]}
    for name in ("甲县", "乙县", "丙县"):
        alone = single(folder / f"{name}.xlsx", "quality-2017")
        summary = by_name[name]
        # the Theil decompositions are computed for all counties at once
        assert documents[name]["inequality"] == alone["inequality"] and alone["inequality"]
        for level in alone["levels"]:
            mine = summary["levels"][level["level"]]
            assert mine["composite_cv"] == pytest.approx(level["composite_cv"], rel=1e-12)
            assert mine["worst_cv"] == pytest.approx(max(i["cv"] for i in level["indicators"]))
            assert mine["schools_failed"] == level["schools_failed"]
    alone = single(folder / "乙县.xlsx", "quality-2017")
    county_doc = documents["乙县"]
    assert county_doc["government"] == alone["government"]  # computed grouped, same answer
    assert county_doc["gap_totals"] == alone["gap_totals"]
    assert county_doc["rows"] == alone["rows"]
    assert [s["checks"] for s in county_doc["schools"]] == [s["checks"] for s in alone["schools"]]
    assert county_doc["inequality"] == alone["inequality"] and alone["inequality"]
    ranks = [s["rank"] for s in doc["summary"]]
    assert ranks == [1, 2, 3]
    pressures = [s["pressure"] for s in doc["summary"] if s["passed"] is False]
    assert pressures == sorted(pressures)
    wb = load_workbook(out)
    assert wb.sheetnames == ["排名", "未能评估", "运行信息"]
    assert wb["排名"].max_row == 4


def test_a_broken_county_is_listed_and_the_rest_go_on(folder: Path) -> None:
    (folder / "坏县.xlsx").write_text("不是工作簿", encoding="utf-8")
    bad = generate_county(CountySpec(seed=9, scale=0.2, code_prefix="3409"))
    bad.loc[0, "图书册数"] = -5
    write_sheet_xlsx(bad, folder / "错县.xlsx", "学校")
    result = runner.invoke(app, ["batch", str(folder), "--format", "json"])
    assert result.exit_code == 1
    doc = json.loads(result.stdout)
    status = {s["county"]: s["status"] for s in doc["summary"]}
    assert status == {
        "甲县": "scored",
        "乙县": "scored",
        "丙县": "scored",
        "坏县": "unreadable",
        "错县": "data_errors",
    }
    errors = {s["county"]: s["error"] for s in doc["summary"] if s["status"] != "scored"}
    assert "W2" in errors["错县"] and "不能为负数" in errors["错县"]
    assert doc["summary"][-1]["rank"] is None


def test_group_by_splits_one_workbook(tmp_path: Path, counties, folder: Path) -> None:
    frames = []
    for name, frame in counties.items():
        frames.append(frame.assign(县=name))
    big = pd.concat(frames, ignore_index=True)
    path = tmp_path / "全市.xlsx"
    write_sheet_xlsx(big, path, "学校")
    result = runner.invoke(
        app,
        ["batch", str(path), "--group-by", "县", "--standard", "quality-2017", "--format", "json"],
    )
    assert result.exit_code == 0, result.output
    doc = json.loads(result.stdout)
    by_name = {s["county"]: s for s in doc["summary"]}
    assert set(by_name) == set(counties)
    alone = single(folder / "乙县.xlsx", "quality-2017")
    level = alone["levels"][0]
    assert by_name["乙县"]["levels"]["primary"]["composite_cv"] == pytest.approx(
        level["composite_cv"], rel=1e-12
    )
    missing = runner.invoke(app, ["batch", str(path), "--group-by", "地市", "--format", "json"])
    assert missing.exit_code == 1
    (summary,) = json.loads(missing.stdout)["summary"]
    assert summary["status"] == "unreadable" and "找不到分组列“地市”" in summary["error"]


def test_reports_dir_writes_each_county(folder: Path, tmp_path: Path) -> None:
    reports = tmp_path / "各县报告"
    result = runner.invoke(app, ["batch", str(folder), "--reports-dir", str(reports), "-q"])
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in reports.iterdir()) == ["丙县.xlsx", "乙县.xlsx", "甲县.xlsx"]


def test_strict_and_nothing_found(folder: Path, tmp_path: Path) -> None:
    assert (
        runner.invoke(
            app, ["batch", str(folder), "--standard", "quality-2017", "--strict"]
        ).exit_code
        == 3
    )
    empty = tmp_path / "空"
    empty.mkdir()
    result = runner.invoke(app, ["batch", str(empty)])
    assert result.exit_code == 2 and "没有找到任何工作簿" in result.stderr


@pytest.mark.parametrize("standard", ["quality-2017", "basic-2012"])
def test_the_ranking_only_path_gives_the_same_summaries(
    folder: Path, counties, standard: str
) -> None:
    """Without JSON or per-county reports the batch skips the per-school objects; the
    ranking must not change. 丙县 gets a bad row so that its summary is partial."""
    from junheng_cli.io.sheet_table import ReadOptions
    from junheng_cli.standards.model import load_standard
    from junheng_cli.workflows.batch import expand_paths, run_batch

    frame = counties["丙县"].astype(object)
    frame.loc[frame.index[0], "小学在校生数"] = "很多"
    write_sheet_xlsx(frame, folder / "丙县.xlsx", "学校")
    spec = load_standard(standard)
    files = expand_paths([str(folder)])
    runs = [
        run_batch(files, spec, ReadOptions(), skip_invalid=True, jobs=1, detail=detail)
        for detail in (True, False)
    ]
    full, ranking = ({c.county: c.summary for c in r.counties} for r in runs)
    assert full == ranking
    assert full["丙县"]["partial"] is True and full["甲县"]["partial"] is False
    assert any(lv["schools_failed"] for lv in full["甲县"]["levels"].values()) == (
        standard == "quality-2017"
    )
    assert all(c.result is None for c in runs[1].counties)


def test_a_long_ranking_shows_its_two_ends_when_the_file_has_it_all() -> None:
    """80 scored counties and one unreadable: with the ranking in a file, the terminal shows
    ranks 1–25 and 56–80, says 30 are left out, and still shows the county that failed."""
    from rich.console import Console

    from junheng_cli.report.terminal.batch import render_batch
    from junheng_cli.standards.model import load_standard
    from junheng_cli.workflows.batch import BatchResult, CountyOutcome

    result = BatchResult(load_standard("quality-2017"))
    for i in range(80):
        name = f"县{i:02d}"
        level = {"composite_cv": 0.3, "worst_cv": 0.3 + i / 1000, "schools_failed": 0}
        summary = {"passed": True, "levels": {"primary": level}, "pressure": level["worst_cv"]}
        result.counties.append(CountyOutcome(name, [], "scored", summary, None))
    result.counties.append(CountyOutcome("坏县", [], "unreadable", {}, None, "文件已损坏"))

    def shown(full_in: str | None) -> str:
        console = Console(width=200, record=True)
        render_batch(console, result, full_in)
        return console.export_text()

    trimmed = shown("汇总.xlsx")
    assert "县24" in trimmed and "县55" in trimmed and "县54" not in trimmed
    assert "另有 30 个县，完整排名见 汇总.xlsx" in trimmed and "坏县" in trimmed
    assert "县54" in shown(None)


def test_a_county_workbook_with_a_county_items_sheet_keeps_them_in_a_batch(
    tmp_path: Path,
) -> None:
    """The sample county has a 县级指标 sheet: its batch document carries the same county
    items as evaluating it alone (e.g. 初中三年巩固率 97.1, 残疾儿童少年入学率 93.5)."""
    import shutil

    from helpers import REPO

    folder = tmp_path / "各县"
    folder.mkdir()
    shutil.copy(REPO / "sample_data" / "示例县2026.xlsx", folder / "示例县.xlsx")
    result = runner.invoke(
        app, ["batch", str(folder), "--standard", "quality-2017", "--format", "json"]
    )
    assert result.exit_code == 0, result.output
    (county,) = json.loads(result.stdout)["counties"]
    alone = single(folder / "示例县.xlsx", "quality-2017")
    assert county["county_items"] == alone["county_items"]
    values = {i["name"]: i["value"] for i in county["county_items"]}
    assert values["初中三年巩固率"] == 97.1 and values["残疾儿童少年入学率"] == 93.5


def test_a_county_workbook_with_a_class_sheet_is_judged_from_it_in_a_batch(
    tmp_path: Path, counties
) -> None:
    """甲县 has a 班级 sheet (56 and 66 pupils are large and huge classes); its batch
    document has the same class-size items and class warnings as evaluating it alone."""
    from openpyxl import load_workbook as open_book

    folder = tmp_path / "各县"
    folder.mkdir()
    frame = counties["甲县"]
    write_sheet_xlsx(frame, folder / "甲县.xlsx", "学校")
    write_sheet_xlsx(counties["乙县"], folder / "乙县.xlsx", "学校")
    book = open_book(folder / "甲县.xlsx")
    sheet = book.create_sheet("班级")
    sheet.append(["学校名称", "学段", "班级", "学生数"])
    first = frame.loc[frame["学校类型"] == "小学", "学校名称"].iloc[0]
    for i, pupils in enumerate([45, 56, 66, "四十"], start=1):
        sheet.append([first, "小学", f"{i}班", pupils])
    book.save(folder / "甲县.xlsx")
    result = runner.invoke(
        app, ["batch", str(folder), "--standard", "quality-2017", "--format", "json"]
    )
    assert result.exit_code == 0, result.output
    docs = {d["county"]: d for d in json.loads(result.stdout)["counties"]}
    alone = single(folder / "甲县.xlsx", "quality-2017")
    classes = docs["甲县"]["government"]["class_size"]
    assert classes == alone["government"]["class_size"]
    assert classes["source"].startswith("班级表")
    school = next(s for s in classes["schools"] if s["name"] == first)
    assert (school["classes"], school["large"], school["huge"]) == (3, 1, 1)
    warned = [i["code"] for i in docs["甲县"]["issues"]]
    assert warned.count("W_CLASS_NOT_NUMBER") == 1
    assert not docs["乙县"]["government"]["class_size"]["source"].startswith("班级表")


def test_the_biggest_gap_is_the_largest_share_of_the_countys_need(tmp_path: Path) -> None:
    """Two counties of three 500-pupil 小学 (1,500 pupils each), every indicator at its
    threshold but:
    甲县: 骨干教师 4 at one school (1.0 × 500 / 100 = 5 needed: short 1 of the county's
    1.0 × 1500 / 100 = 15, i.e. 6.67%); 用房 2,000 and 2,200 ㎡ at two schools (4.5 × 500 =
    2,250 needed: short 250 + 50 = 300 of 4.5 × 1500 = 6,750 ㎡, i.e. 4.44%). The biggest gap
    is 骨干教师 (6.7%), though 用房 is short at more schools (the old rule's pick).
    乙县: the same 骨干教师 (6.67%); 场馆 3,000 and 3,500 ㎡ at two schools (7.5 × 500 = 3,750
    needed: short 750 + 250 = 1,000 of 7.5 × 1500 = 11,250 ㎡, i.e. 8.89%): 体育运动场馆."""
    from rich.console import Console

    from helpers import primary_school, write_county_file
    from junheng_cli.io.sheet_table import ReadOptions
    from junheng_cli.report.terminal.batch import render_batch
    from junheng_cli.standards.model import load_standard
    from junheng_cli.workflows.batch import run_batch

    folder = tmp_path / "各县"
    folder.mkdir()
    write_county_file(
        folder / "甲县.xlsx",
        [
            primary_school("甲一小", 500, teaching_area=2000.0),
            primary_school("甲二小", 500, backbone_teachers_primary=4),
            primary_school("甲三小", 500, teaching_area=2200.0),
        ],
    )
    write_county_file(
        folder / "乙县.xlsx",
        [
            primary_school("乙一小", 500, sports_ground_area=3000.0),
            primary_school("乙二小", 500, backbone_teachers_primary=4),
            primary_school("乙三小", 500, sports_ground_area=3500.0),
        ],
    )
    out = tmp_path / "汇总.xlsx"
    reports = tmp_path / "报告"
    args = ["batch", str(folder), "-s", "quality-2017", "-q", "--reports-dir", str(reports)]
    result = runner.invoke(app, [*args, "-f", "json"])
    assert result.exit_code == 0, result.output
    doc = json.loads(result.stdout)
    gaps = {s["county"]: s["biggest_gap"] for s in doc["summary"]}
    assert gaps["甲县"] == {
        "indicator": "backbone_teachers_per_100",
        "what": "县级以上骨干教师",
        "amount": 1.0,
        "unit": "名",
        "schools": 1,
        "need": pytest.approx(15.0),
        "share": pytest.approx(1 / 15),
    }
    assert gaps["乙县"]["what"] == "体育运动场馆"
    assert (gaps["乙县"]["amount"], gaps["乙县"]["schools"]) == (1000.0, 2)
    assert gaps["乙县"]["need"] == pytest.approx(11250.0)
    assert gaps["乙县"]["share"] == pytest.approx(1000 / 11250)
    assert "缺口率" in doc["biggest_gap_rule"] and "达标值 × 在校生数" in doc["biggest_gap_rule"]
    # JSON on stdout: what was written goes to stderr, one path a line
    assert f"已写入 各县报告 2 份到 {reports}" in result.stderr
    for name in ("甲县", "乙县"):
        assert str(reports / f"{name}.xlsx") in result.stderr

    table = runner.invoke(app, [*args, "-o", str(out), "--force"])
    assert table.exit_code == 0, table.output
    assert "注：最大短板＝全县缺口占达标所需比例（缺口率）最大的一项" in table.stdout
    assert f"已写入 {out}（排名、未能评估、运行信息）" in table.stdout
    assert str(reports / "甲县.xlsx") in table.stdout
    book = load_workbook(out)
    header = [c.value for c in book["排名"][1]]
    rows = {
        r[1]: dict(zip(header, r, strict=True)) for r in book["排名"].iter_rows(2, values_only=True)
    }
    assert rows["甲县"]["最大短板"] == "县级以上骨干教师：缺 1 名，占达标所需 6.7%（1 所）"
    assert rows["乙县"]["最大短板缺口率"] == pytest.approx(1000 / 11250)
    manifest = dict(book["运行信息"].iter_rows(2, values_only=True))
    assert manifest["最大短板的定义"].startswith("最大短板＝全县缺口占达标所需比例")
    wide = Console(width=250, record=True)
    render_batch(
        wide, run_batch(sorted(folder.iterdir()), load_standard("quality-2017"), ReadOptions())
    )
    shown = wide.export_text()
    assert "县级以上骨干教师：缺 1 名，占达标所需 6.7%（1 所）" in shown
    assert "体育运动场馆：缺 1,000 ㎡，占达标所需 8.9%（2 所）" in shown


def test_county_reports_are_written_with_the_collector_on_only_for_new_objects() -> None:
    """What exists before the county reports is set aside from collection while they are
    written (openpyxl's cycles are still collected), and given back afterwards, also when
    writing fails; objects someone else set aside stay as they were."""
    import gc

    from junheng_cli.io.collector import collector_on_new_objects

    before = gc.get_freeze_count()  # the test runner may have set some aside
    gc.unfreeze()
    try:
        existing = [[] for _ in range(10)]
        with collector_on_new_objects():
            assert gc.get_freeze_count() >= len(existing)
            cycle: list[object] = []
            cycle.append(cycle)
            del cycle
            assert gc.collect() >= 1  # a cycle made meanwhile is still collected
        assert gc.get_freeze_count() == 0
        with pytest.raises(OSError), collector_on_new_objects():
            raise OSError("disk full")
        assert gc.get_freeze_count() == 0
        gc.freeze()
        frozen = gc.get_freeze_count()
        with collector_on_new_objects():
            pass
        assert gc.get_freeze_count() == frozen  # not ours: left frozen
    finally:
        gc.unfreeze()
        if before:
            gc.freeze()
