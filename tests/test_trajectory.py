"""``junheng trajectory``: each CV's and failing school's pace, and the period it passes in.

The hand-computed county: two 小学 of 400 pupils that meet every 2017 threshold (as in
test_compare.py) except for 教学仪器设备 (equipment), spread evenly around 2000 元 per pupil:

    A小学: 400 × 2000 × (1 − c) 元,   B小学: 400 × 2000 × (1 + c) 元

Equal enrolments weigh 1/2 each: mean = 2000, deviations ± 2000c, SD = 2000c, so the
equipment CV is exactly c; every other CV is 0. Three quarters (2026Q1, Q2, Q3) with
c = 0.56, 0.54, 0.52 — A has 880, 920, 960 元 per pupil, B 3120, 3080, 3040.

CV line: x = 0, 1, 2 (quarters from 2026Q1), x̄ = 1, ȳ = 0.54, Σ(x − x̄)² = 2,
Σ(x − x̄)(y − ȳ) = (−1)(0.02) + 0 + (1)(−0.02) = −0.04 → slope −0.02 per quarter, intercept
0.54 + 0.02 = 0.56. It reaches the limit 0.50 at x = (0.50 − 0.56) / (−0.02) = 3 → 2026Q4.

A小学 (meets six, equipment below 85%): its line is 880 + 40x. The floor 0.85 × 2000 = 1700 is
reached at x = (1700 − 880) / 40 = 20.5 → the first quarter after it, x = 21 = 2026Q1 + 5 years
+ 1 quarter = 2031Q2; the threshold 2000 at x = (2000 − 880) / 40 = 28 = 2033Q1. With six met
and the seventh at least 85%, A passes in 2031Q2.
"""

from __future__ import annotations

import json
from pathlib import Path

import openpyxl
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

import junheng_cli as jh
from helpers import REPO, examples, write_county_file
from junheng_cli.cli.app import app
from junheng_cli.errors import JunhengError
from junheng_cli.io.write import write_sheets_xlsx
from junheng_cli.workflows.trajectory import (
    Grid,
    Outlook,
    TrajectoryError,
    fit_line,
    read_date,
    timeline,
)
from junheng_cli.workflows.trajectory.dates import read_target
from junheng_cli.workflows.trajectory.fit import project

QUALITY = ["--standard", "quality-2017"]
EQUIPMENT = "equipment_value_per_student"
SAMPLE = REPO / "sample_data"


def school(code: str, name: str, equipment: float) -> dict:
    return {
        "code": code,
        "name": name,
        "type": "小学",
        "students_primary": 400,
        "teachers_primary": 22,
        "qualified_teachers_primary": 17,
        "senior_title_teachers_primary": 10,
        "backbone_teachers_primary": 4,
        "pe_arts_teachers_primary": 4,
        "teaching_area": 1800.0,
        "gym_area": 0.0,
        "sports_ground_area": 3000.0,
        "equipment_value": equipment,
        "books": 12000,
        "computers": 40,
        "multimedia_rooms": 10,
    }


def county(folder: Path, spreads: list[float]) -> list[Path]:
    """One workbook per quarter, 2026Q1 onward; ``spreads`` are the equipment CVs."""
    files = []
    for n, c in enumerate(spreads, start=1):
        schools = [
            school("A001", "A小学", 800_000 * (1 - c)),
            school("B001", "B小学", 800_000 * (1 + c)),
        ]
        files.append(write_county_file(folder / f"2026Q{n}.xlsx", schools))
    return files


@pytest.fixture(scope="module")
def improving(tmp_path_factory) -> list[Path]:
    return county(tmp_path_factory.mktemp("improving"), [0.56, 0.54, 0.52])


@pytest.fixture(scope="module")
def worsening(tmp_path_factory) -> list[Path]:
    return county(tmp_path_factory.mktemp("worsening"), [0.52, 0.54, 0.56])


def run(*args: str):
    return CliRunner().invoke(app, ["trajectory", *args])


def cv_of(document: dict, indicator: str) -> dict:
    return next(c for c in document["cvs"] if c["indicator"] == indicator)


# -- the hand-computed linear case -------------------------------------------------------------
def test_hand_computed_cv_reaches_its_limit_in_2026q4(improving):
    result = run(*map(str, improving), *QUALITY, "--target-date", "2026-12", "-f", "json")
    assert result.exit_code == 0, result.output
    document = json.loads(result.stdout)
    assert list(document)[:3] == ["kind", "junheng_version", "standard"]
    assert document["kind"] == "trajectory"
    assert document["method"]["grid"] == "quarter" and document["method"]["dated"] is True
    assert [p["position"] for p in document["periods"]] == [0.0, 1.0, 2.0]
    equipment = cv_of(document, EQUIPMENT)
    assert equipment["values"] == pytest.approx([0.56, 0.54, 0.52], abs=1e-12)
    assert equipment["slope"] == pytest.approx(-0.02, abs=1e-12)
    assert equipment["intercept"] == pytest.approx(0.56, abs=1e-12)
    assert equipment["outlook"] == "projected"
    assert equipment["projected_period"] == "2026Q4"
    assert equipment["projected_position"] == 3
    assert equipment["by_target"] is True  # 2026Q4 is December: by 2026-12
    others = [c for c in document["cvs"] if c["indicator"] != EQUIPMENT]
    assert len(others) == 6  # the composite is only reported under 2017; no 初中 at all
    assert {c["outlook"] for c in others} == {"passing"}


def test_hand_computed_school_passes_when_its_equipment_reaches_85_percent(improving):
    projected = jh.trajectory(improving, "quality-2017", target_date="2031Q1")
    (a,) = projected.trajectory.schools  # B小学 meets every threshold
    assert a.name == "A小学" and a.met == [6, 6, 6] and a.min_met == 6
    (track,) = a.tracks
    assert track.indicator == EQUIPMENT and track.status == "below"
    assert track.values == pytest.approx([880, 920, 960])
    assert track.fit.slope == pytest.approx(40) and track.fit.intercept == pytest.approx(880)
    assert track.floor == pytest.approx(1700) and track.near_at == 21  # x = 20.5 → 21
    assert track.met.period == "2033Q1" and track.met.position == 28
    assert a.projection.outlook is Outlook.PROJECTED
    assert a.projection.period == "2031Q2" and a.projection.position == 21
    assert a.projection.by_target is False  # 2031Q2 is after 2031Q1
    assert projected.to_dict()["schools"][0]["projected_period"] == "2031Q2"


def test_target_date_one_month_early_is_missed(improving):
    """2026Q4 is December 2026: by 2026-11 it is not yet."""
    result = run(*map(str, improving), *QUALITY, "--target-date", "2026年11月", "-f", "json")
    assert result.exit_code == 0, result.output
    assert cv_of(json.loads(result.stdout), EQUIPMENT)["by_target"] is False


def test_terminal_headline_comes_first(improving):
    result = run(*map(str, improving), *QUALITY, "--target-date", "2027-09")
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert lines[1] == "1 项差异系数未达标。到 2027-09，1 项将达标：小学仪器设备（2026Q4）。"
    later = "1 个在 2027-09 以后才达标"
    assert lines[2] == f"未达标的学段单位 1 个。到 2027-09，没有一个会达标：{later}。"
    assert "-0.0200" in result.stdout and "预计 2026Q4 达标" in result.stdout
    assert "880 → 920 → 960 / 2,000（+40，2031Q2 达到 85%，2033Q1" in result.stdout
    assert "预计 2031Q2 达标" in result.stdout and "2027-09前：不能" in result.stdout


def test_worsening_pace_says_it_will_not_pass(worsening):
    """CVs 0.52, 0.54, 0.56: slope +0.02 a quarter, away from 0.50; A小学 960 → 880."""
    result = run(*map(str, worsening), *QUALITY, "--target-date", "2027-09", "--strict")
    assert result.exit_code == 3, result.output  # --strict: something will not pass
    assert "在变差，按此趋势不会达标" in result.stdout
    assert "1 项不会达标：小学仪器设备（在变差）" in result.stdout
    projected = jh.trajectory(worsening, "quality-2017")
    equipment = next(c for c in projected.trajectory.cvs if c.indicator == EQUIPMENT)
    assert equipment.fit.slope == pytest.approx(0.02)
    assert equipment.projection.outlook is Outlook.WORSENING
    assert equipment.projection.period is None
    assert projected.trajectory.schools[0].projection.outlook is Outlook.WORSENING


def test_too_few_periods_exit_2_with_a_chinese_message(improving):
    result = run(*map(str, improving[:2]), *QUALITY)
    assert result.exit_code == 2
    assert "趋势至少需要三期数据，这里只有 2 期" in result.output
    with pytest.raises(TrajectoryError, match="至少需要三期"):
        jh.trajectory(improving[:2], "quality-2017")
    with pytest.raises(JunhengError):
        jh.trajectory(improving[:1], "quality-2017")


def test_cli_usage_errors_and_outputs_never_over_inputs(improving, tmp_path):
    files = [str(f) for f in improving]
    undated = run(*files, *QUALITY, "--labels", "甲,乙,丙", "--target-date", "2027-09")
    assert undated.exit_code == 2 and "各期没有日期" in undated.output
    past = run(*files, *QUALITY, "--target-date", "2026Q3")
    assert past.exit_code == 2 and "不晚于最后一期" in past.output
    bad = run(*files, *QUALITY, "--target-date", "明年")
    assert bad.exit_code == 2 and "无法识别目标日期" in bad.output
    backwards = run(*files, *QUALITY, "--labels", "2026Q3,2026Q2,2026Q1")
    assert backwards.exit_code == 2 and "由早到晚" in backwards.output
    over = run(*files, *QUALITY, "-o", files[0], "--force")
    assert over.exit_code == 2
    assert run(*files, *QUALITY, "-o", str(tmp_path / "x.csv")).exit_code == 2
    target = tmp_path / "趋势.json"
    written = run(*files, *QUALITY, "-f", "json", "-o", str(target))
    assert written.exit_code == 0 and target.read_text(encoding="utf-8") == written.stdout


def test_equally_spaced_periods_say_so(improving):
    result = run(*map(str, improving), *QUALITY, "--labels", "第一次,第二次,第三次")
    assert result.exit_code == 0, result.output
    assert "各期名称中没有日期（第一次、第二次、第三次），各期按等间隔计" in result.stdout
    assert "预计 第 4 期 达标" in result.stdout  # x = 3 is the fourth period


# -- the outputs -------------------------------------------------------------------------------
def test_workbook_html_and_json_files(improving, tmp_path):
    projected = jh.trajectory(improving, "quality-2017", target_date="2027-09")
    for suffix in ("xlsx", "html", "json"):
        assert projected.write(tmp_path / f"趋势.{suffix}") == tmp_path / f"趋势.{suffix}"
    workbook = openpyxl.load_workbook(tmp_path / "趋势.xlsx")
    assert workbook.sheetnames == ["汇总", "趋势图", "图表数据", "差异系数趋势", "学校趋势"]
    (chart,) = workbook["趋势图"]._charts  # the one CV over its limit
    assert len(chart.series) == 3  # observed, fitted line, limit
    data = workbook["图表数据"]
    rows = [[c.value for c in row] for row in data.iter_rows(min_row=2, values_only=False)]
    # 2026Q1 … 2027Q3 (the target): the observed CVs, the line 0.56 − 0.02x, the limit
    assert [r[0] for r in rows] == [
        "2026Q1",
        "2026Q2",
        "2026Q3",
        "2026Q4",
        "2027Q1",
        "2027Q2",
        "2027Q3",
    ]
    assert [r[1] for r in rows[:3]] == pytest.approx([0.56, 0.54, 0.52])
    assert rows[3][1] is None
    assert [r[2] for r in rows] == pytest.approx([0.56 - 0.02 * k for k in range(7)])
    assert {r[3] for r in rows} == {0.5}
    html = (tmp_path / "趋势.html").read_text(encoding="utf-8")
    assert html.count("<svg") == 1 and 'viewBox="0 0 900 330"' in html and 'width="100%"' in html
    assert "预计 2026Q4" in html and "目标 2027-09" in html
    document = json.loads((tmp_path / "趋势.json").read_text(encoding="utf-8"))
    assert document["kind"] == "trajectory" and document["target_date"] == "2027-09"
    assert projected.to_dict() == document
    with pytest.raises(JunhengError):
        projected.write(improving[0])  # never over an input


# -- the sample quarters -----------------------------------------------------------------------
SAMPLE_FILES = [
    SAMPLE / "示例县2026.xlsx",
    SAMPLE / "示例县2026Q2.xlsx",
    SAMPLE / "示例县2026Q3.xlsx",
]


@pytest.fixture(scope="module")
def sample():
    labels = "2026Q1,2026Q2,2026Q3"
    return jh.trajectory(SAMPLE_FILES, "quality-2017", labels=labels, target_date="2027-09")


def test_sample_quarters_give_every_cv_its_outlook(sample):
    """From `junheng compare` on the three quarters: every CV within its limit in 2026Q3 but
    小学 体育场馆, 0.5017 in each quarter (its schools do not change): no movement, so it will
    not pass at this pace. 小学 骨干教师 0.5296 → 0.4714 → 0.4546 has passed."""
    outlooks = {(c.level.value, c.label): c.projection.outlook for c in sample.trajectory.cvs}
    assert len(outlooks) == 14  # seven CVs judged in each of two levels
    assert outlooks.pop(("primary", "体育场馆")) is Outlook.FLAT
    assert set(outlooks.values()) == {Outlook.PASSING}
    backbone = next(
        c for c in sample.trajectory.cvs if c.label == "骨干教师" and c.level.value == "primary"
    )
    assert backbone.values == pytest.approx([0.5296, 0.4714, 0.4546], abs=5e-5)
    # slope: x̄ = 1, Σ(x − x̄)(y − ȳ) = y₃ − y₁ = 0.4546 − 0.5296 = −0.0750, over Σ(x − x̄)² = 2
    assert backbone.fit.slope == pytest.approx((backbone.values[2] - backbone.values[0]) / 2)
    assert sample.all_pass is False
    # the schools added in 2026Q3 (one period) cannot be followed; the rest fail and stay put
    counts = pd.Series(
        [s.projection.outlook.value for s in sample.trajectory.schools]
    ).value_counts()
    assert counts.to_dict() == {"flat": 59, "too_few_points": 1}


def test_sample_file_names_without_a_quarter_are_equally_spaced():
    """示例县2026 carries a year only, the others a quarter: the rule takes no date from it."""
    line = timeline([f.stem for f in SAMPLE_FILES])
    assert line.grid is Grid.PERIOD and line.undated == ["示例县2026"]
    assert line.label_at(3) == "第 4 期"


@pytest.fixture(scope="module")
def fourth_quarter(tmp_path_factory) -> list[Path]:
    """The sample quarters plus a fourth (a copy of 2026Q3), with a clear trend: the 小学 short
    of 7.5 ㎡ of sports ground per pupil have 9%, 6%, 3%, 0% less of it than in the sample, so
    小学 体育场馆 comes down toward 0.50 each quarter (synthetic, written to a temporary folder)."""
    folder = tmp_path_factory.mktemp("quarters")
    files = []
    for k, name in enumerate([*(f.name for f in SAMPLE_FILES), SAMPLE_FILES[-1].name]):
        sheets = pd.read_excel(SAMPLE / name, sheet_name=None, engine="openpyxl")
        frame = sheets["学校"]
        area = "运动场地面积（㎡）"
        short = frame["学校类型"].eq("小学") & (frame[area] / frame["小学在校生数"]).lt(7.5)
        frame.loc[short, area] = (frame.loc[short, area] * (1 - 0.03 * (3 - k))).round()
        files.append(folder / f"示例县2026Q{k + 1}.xlsx")
        write_sheets_xlsx({"学校": frame, "县级指标": sheets["县级指标"]}, files[-1])
    return files


def test_a_clear_trend_on_the_sample_gives_the_projected_quarter(fourth_quarter):
    """The dates come from the file names (示例县2026Q1 …). 小学 体育场馆: 0.5103, 0.5074,
    0.5045, 0.5017 (about −0.0029 a quarter); its line reaches 0.50 between 2026Q4 (x = 3) and
    x = 4, so 2027Q1; the projected position is checked against the line itself."""
    projected = jh.trajectory(fourth_quarter, "quality-2017", target_date="2027-09")
    trajectory = projected.trajectory
    assert trajectory.labels[-1] == "示例县2026Q4" and trajectory.timeline.grid is Grid.QUARTER
    sports = next(c for c in trajectory.cvs if c.failing)
    assert (sports.level.value, sports.label) == ("primary", "体育场馆")
    assert sports.values == pytest.approx([0.5103, 0.5074, 0.5045, 0.5017], abs=5e-5)
    assert sports.projection.period == "2027Q1" and sports.projection.by_target is True
    assert sports.fit.at(4) <= 0.50 < sports.fit.at(3)
    for cv in trajectory.cvs:  # every coefficient has its projected period or its reason
        assert cv.projection.outlook in (Outlook.PASSING, Outlook.PROJECTED)
    arriving = [s for s in trajectory.schools if s.projection.outlook is Outlook.PROJECTED]
    assert [s.name for s in arriving] == ["白石杨柳小学", "清水古城小学"]
    assert [s.projection.period for s in arriving] == ["2027Q2", "2027Q2"]


# -- dates and the line ------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("name", "month", "grid"),
    [
        ("2026Q1", 2026 * 12 + 2, Grid.QUARTER),
        ("示例县2026Q2", 2026 * 12 + 5, Grid.QUARTER),
        ("2026-q3", 2026 * 12 + 8, Grid.QUARTER),
        ("2026年第四季度", 2026 * 12 + 11, Grid.QUARTER),
        ("2026年第一季度报表", 2026 * 12 + 2, Grid.QUARTER),
        ("2026-03", 2026 * 12 + 2, Grid.MONTH),
        ("2026年9月", 2026 * 12 + 8, Grid.MONTH),
        ("县2026.11统计", 2026 * 12 + 10, Grid.MONTH),
    ],
)
def test_dates_read_from_names(name, month, grid):
    assert read_date(name) == read_date(name)  # pure
    found = read_date(name)
    assert found is not None and (found.month, found.grid) == (month, grid)


def test_dates_that_are_not_there():
    assert read_date("示例县2026") is None  # a year only counts when every period is a year
    assert read_date("第一期") is None
    assert read_date("2134000001") is None  # a 学校标识码 is not a year
    assert read_date("2026-13") is None


def test_timelines():
    assert timeline(["2024年", "2025年", "2026年"]).grid is Grid.YEAR
    mixed = timeline(["2026Q1", "2026-05", "2026年9月"])  # March, May, September
    assert mixed.grid is Grid.MONTH and mixed.positions == [0, 2, 6]
    assert mixed.label_at(7) == "2026-10"
    quarters = timeline(["2026Q1", "2026Q3", "2027Q1"])  # a quarter skipped: unequal spacing
    assert quarters.positions == [0, 2, 4] and quarters.label_at(5) == "2027Q2"
    assert read_target("2027Q3").month == read_target("2027-09").month
    with pytest.raises(TrajectoryError, match="由早到晚"):
        timeline(["2026Q2", "2026Q2", "2026Q3"])


def test_a_flat_line_and_too_few_points():
    assert fit_line([0, 1, 2], [0.5017, 0.5017, 0.5017]).slope == pytest.approx(0, abs=1e-15)
    assert fit_line([0, 1, 2], [0.6, None, 0.5]) is None  # two values: no line
    line = fit_line([0, 1, 2, 3], [0.6, None, 0.55, 0.54])  # a missing period is left out
    assert line.points == 3


@settings(max_examples=examples(200), deadline=None)
@given(
    intercept=st.floats(0.3, 0.9),
    slope=st.floats(-0.05, -1e-4),
    limit=st.floats(0.2, 0.6),
    periods=st.integers(3, 8),
)
def test_the_projected_period_is_the_first_one_at_or_under_the_limit(
    intercept, slope, limit, periods
):
    """Points on a falling line: the fit recovers it, and the projected position is the first
    whole period after the last one at which the line is at or under the limit."""
    positions = list(range(periods))
    values = [intercept + slope * x for x in positions]
    fit = fit_line(positions, values)
    assert fit.slope == pytest.approx(slope, rel=1e-6, abs=1e-9)
    last = positions[-1]
    projection = project(
        fit,
        values[-1],
        limit,
        lower_is_better=True,
        last=last,
        horizon=10**6,
        target=None,
        label_at=lambda x: f"第 {x}",
    )
    if values[-1] <= limit:
        assert projection.outlook is Outlook.PASSING
        return
    assert projection.outlook is Outlook.PROJECTED
    p = projection.position
    assert fit.at(p) <= limit + 1e-9
    assert p - 1 == last or fit.at(p - 1) > limit - 1e-9
