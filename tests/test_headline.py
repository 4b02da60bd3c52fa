"""The headline and the bill: shown first, equal to the JSON, the bill the sum of the gaps.

The small county is three 400-pupil 小学 built from ``test_quality.full`` (each value exact; see
that module's docstring for the 2017 thresholds):
  A meets all seven.
  B has 教学用房 1440 ㎡ → 3.60 / 4.50 ㎡ = 80 % (< 85 %): 6 of 7 met, the seventh under 85 %
    → fails; needs 4.5 × 400 − 1440 = 360 ㎡. Shortfall 1 − 3.6 / 4.5 = 0.20.
  C has 2 骨干教师 → 0.50 / 1.00 and 8 多媒体教室 → 2.00 / 2.30: 5 of 7 met → fails; needs
    1.0 × 4 − 2 = 2 名 and ⌈2.3 × 4⌉ − 8 = 10 − 8 = 2 间. Shortfall 0.5 + (1 − 2 / 2.3) = 0.6304.
Every CV is under 0.50 (骨干教师: values 1, 1, 0.5 → mean 0.8333, sd 0.2357, CV 0.2828; 教学用房:
4.5, 3.6, 4.5 → CV 0.1010), so the county fails on its schools alone.
"""

from __future__ import annotations

import json
from collections import defaultdict

import pytest
from typer.testing import CliRunner

from junheng_cli.cli.app import app
from test_quality import full

SAMPLE = "sample_data/示例县2026.xlsx"
QUALITY = ["--standard", "quality-2017"]
runner = CliRunner()


def evaluate(*args: str) -> str:
    result = runner.invoke(app, ["evaluate", *args])
    assert result.exit_code == 0, result.output
    return result.stdout


@pytest.fixture(scope="module")
def sample_json() -> dict:
    return json.loads(evaluate(SAMPLE, *QUALITY, "--format", "json"))


@pytest.fixture
def small_county(write_county):
    return write_county(
        [
            full("A"),
            full("B", teaching_area=1440.0),
            full("C", backbone_teachers_primary=2, multimedia_rooms=8),
        ]
    )


def test_small_county_headline_and_bill_worked_by_hand(small_county) -> None:
    summary = json.loads(evaluate(str(small_county), *QUALITY, "--format", "json"))["summary"]
    assert summary["verdict"] == "全县未达到优质均衡：小学差异系数均在限值内；2 所小学未达标。"
    assert summary["bill_text"] == (
        "使每所学校各项指标达到标准，全县需补充：县级以上骨干教师 2 名；"
        "教学及辅助用房 360 ㎡，网络多媒体教室 2 间。"
        "差距最大的 2 所：C（小学，5/7 项达标）、B（小学，6/7 项达标）。"
    )
    assert [(b["what"], b["amount"], b["schools"]) for b in summary["bill"]] == [
        ("县级以上骨干教师", 2.0, 1),
        ("教学及辅助用房", 360.0, 1),
        ("网络多媒体教室", 2.0, 1),
    ]
    worst = summary["worst_schools"]
    assert [w["name"] for w in worst] == ["C", "B"]
    assert worst[0]["shortfall"] == pytest.approx(0.5 + (1 - 2.0 / 2.3), abs=1e-6)
    assert worst[1]["shortfall"] == pytest.approx(0.2, abs=1e-6)
    assert worst[0]["below"] == ["骨干教师", "多媒体教室"]


def test_small_county_terminal_opens_with_the_headline(small_county) -> None:
    lines = evaluate(str(small_county), *QUALITY).splitlines()
    assert lines[1] == "全县未达到优质均衡：小学差异系数均在限值内；2 所小学未达标。"
    assert lines[2].startswith("使每所学校各项指标达到标准，全县需补充：县级以上骨干教师 2 名；")


def test_sample_first_15_lines_hold_the_headline_and_the_bill(sample_json) -> None:
    lines = evaluate(SAMPLE, *QUALITY).splitlines()
    head = "\n".join(lines[:15])
    summary = sample_json["summary"]
    assert summary["verdict"] in head and summary["bill_text"] in head
    assert head.index("全县未达到优质均衡") < head.index("数据：")  # facts come below
    assert len(lines) < 120, len(lines)


def test_detail_lists_every_failing_unit_and_the_default_says_where(sample_json) -> None:
    failing = [s["name"] for s in sample_json["schools"] if s["passed"] is False]
    assert len(failing) == 48 + 21
    detail = evaluate(SAMPLE, *QUALITY, "--detail")
    assert f"未达标的学校及差距（{len(failing)} 个学段单位" in detail
    assert all(name in detail for name in failing)
    assert "拆分学校：全校数量按加权在校生数分到各学段" in detail
    short = evaluate(SAMPLE, *QUALITY)
    assert f"差距最大的 10 个学段单位（共 {len(failing)} 个未达标）" in short
    assert f"另有 {len(failing) - 10} 个未达标；完整清单见 --detail" in short
    assert "未达标的学校及差距" not in short
    assert len(detail.splitlines()) > 400


def test_headline_figures_equal_the_json(sample_json) -> None:
    summary = sample_json["summary"]
    levels = {lv["level"]: lv for lv in sample_json["levels"]}
    for line in summary["levels"]:
        level = levels[line["level"]]
        assert line["schools_failed"] == level["schools_failed"]
        assert f"{line['schools_failed']} 所{line['name']}" in summary["verdict"]
        cvs = {i["id"]: i for i in level["indicators"]}
        over = [i for i in level["indicators"] if i["cv"] > i["limit"]]
        assert {c["indicator"] for c in line["cv_over"]} == {i["id"] for i in over}
        for c in line["cv_over"]:
            assert c["cv"] == cvs[c["indicator"]]["cv"]
            assert f"{c['label']} {c['cv']:.4f}" in summary["verdict"]
    # the sample: 小学 three CVs over 0.50, 初中 none
    assert [len(line["cv_over"]) for line in summary["levels"]] == [3, 0]
    assert (
        "小学 3 项差异系数超限（骨干教师 0.5296、多媒体教室 0.5041、体育场馆 0.5017，限值 0.50）"
        in (summary["verdict"])
    )


def test_bill_equals_the_sum_of_the_per_school_gaps(sample_json) -> None:
    sums: dict[str, float] = defaultdict(float)
    schools: dict[str, set] = defaultdict(set)
    for gap in sample_json["gaps"]:
        sums[gap["indicator"]] += gap["amount"]
        schools[gap["indicator"]].add((gap["file"], gap["sheet"], gap["row"]))
    bill = {b["indicator"]: b for b in sample_json["summary"]["bill"]}
    assert set(bill) == {k for k, v in sums.items() if v > 0}
    for indicator, item in bill.items():
        assert item["amount"] == pytest.approx(sums[indicator], abs=1e-6)
        assert item["schools"] == len(schools[indicator])
    # the figures as printed (a reader adds these up by hand from the 差距 sheet)
    assert bill["teaching_area_per_student"]["amount"] == 24038
    assert bill["equipment_value_per_student"]["amount"] == 7463111
    assert "教学仪器设备 746.31 万元" in sample_json["summary"]["bill_text"]


def test_passing_county_says_so_and_needs_nothing(write_county) -> None:
    path = write_county([full("A"), full("B")])
    summary = json.loads(evaluate(str(path), *QUALITY, "--format", "json"))["summary"]
    assert summary["verdict"] == "全县达到优质均衡：小学差异系数均在限值内；每所学校均达标。"
    assert summary["bill_text"] == "每所学校各项指标均已达到标准，无需补充。"
    assert summary["bill"] == [] and summary["worst_schools"] == []


def test_markup_in_a_name_is_literal_in_the_headline(write_county) -> None:
    name = "[bold red]坏名字[/]"
    path = write_county([full("A"), full(name, teaching_area=1440.0) | {"code": "X"}])
    out = evaluate(str(path), *QUALITY)
    assert f"差距最大的 1 所：{name}（小学，6/7 项达标）" in out


def test_basic_2012_headline_names_the_judged_composites() -> None:
    document = json.loads(evaluate(SAMPLE, "--format", "json"))
    primary, junior = (lv["composite_cv"] for lv in document["levels"])
    assert document["summary"]["verdict"] == (
        f"全县达到基本均衡：小学综合差异系数 {primary:.4f}（限值 0.65）；"
        f"初中综合差异系数 {junior:.4f}（限值 0.55）。"
    )
    assert document["summary"]["bill_text"] is None  # 2012 does not judge each school
