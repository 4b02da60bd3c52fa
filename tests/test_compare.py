"""``junheng compare``: one county over periods under quality-2017 (and basic-2012).

Every school below is a 400-pupil 小学 that meets all seven 2017 thresholds (``full``, as in
test_quality.py: 17 高学历, 4 骨干, 4 体艺 teachers, 1800 ㎡, 3000 ㎡, 800000 元, 10 rooms),
except for its 骨干教师 (backbone teachers), the one indicator that moves:

    school  code  P1  P2  P3   (backbone teachers; per 100 pupils = n / 400 × 100)
    A小学   A001   4   4   4   1.0  1.0  1.0
    B小学   B001   2   4   4   0.5  1.0  1.0   fails in P1 (0.5 < 0.85 × 1.0), passes from P2
    C小学   C001   4   2   4   1.0  0.5  1.0   passes in P1, fails in P2, passes again in P3
    东山小学 D001 → D999 in P2 and P3: matched by its name only, with a warning
    E小学   E001   4   –   –   removed in P2
    F小学   F001   –   6   6   added in P2 (1.5)

Backbone CV (five schools of equal enrolment, so each weight is 1/5; mean = ratio of totals):
  P1: 1, .5, 1, 1, 1      mean = 18/2000 × 100 = 0.9; deviations .1 −.4 .1 .1 .1;
      Σ squares = .01 × 4 + .16 = .20; variance .20/5 = .04; S = 0.2; CV = 0.2/0.9 = 0.222222
  P2: 1, 1, .5, 1, 1.5    mean = 20/2000 × 100 = 1.0; deviations 0 0 −.5 0 .5;
      Σ squares = .5; variance .1; S = 0.316228; CV = 0.316228
  P3: 1, 1, 1, 1, 1.5     mean = 22/2000 × 100 = 1.1; deviations −.1 ×4, .4;
      Σ squares = .2; variance .04; S = 0.2; CV = 0.2/1.1 = 0.181818
Every other indicator is equal in every school: CV 0, so the composite is backbone CV / 7.
"""

from __future__ import annotations

import json
import math
from dataclasses import replace
from pathlib import Path

import openpyxl
import pytest
from hypothesis import given
from hypothesis import strategies as st
from typer.testing import CliRunner

from helpers import write_county_file
from junheng_cli.cli.app import app
from junheng_cli.compute.evaluate import evaluate
from junheng_cli.compute.validate import validate
from junheng_cli.io.sheet_table import ReadOptions, read_school_table
from junheng_cli.model.fields import Level
from junheng_cli.model.results import Evaluation, UnitResult
from junheng_cli.model.sources import Origin
from junheng_cli.report.frames.compare import (
    cv_frame,
    gap_totals_frame,
    membership_frame,
    school_changes_frame,
)
from junheng_cli.report.json.compare import comparison_document
from junheng_cli.report.xlsx.compare import write_comparison_xlsx
from junheng_cli.standards.model import load_standard
from junheng_cli.workflows.compare import (
    COMPOSITE,
    CompareError,
    Comparison,
    GapTotalTrend,
    MatchedBy,
    Verdict,
    compare,
    match_units,
)

QUALITY = ["--standard", "quality-2017"]
BACKBONE = "backbone_teachers_per_100"
CV1 = math.sqrt(0.04) / 0.9  # 0.222222
CV2 = math.sqrt(0.1) / 1.0  # 0.316228
CV3 = math.sqrt(0.04) / 1.1  # 0.181818


def full(code: str, name: str, backbone: int = 4) -> dict:
    return {
        "code": code,
        "name": name,
        "type": "小学",
        "students_primary": 400,
        "teachers_primary": 22,
        "qualified_teachers_primary": 17,
        "senior_title_teachers_primary": 10,
        "backbone_teachers_primary": backbone,
        "pe_arts_teachers_primary": 4,
        "teaching_area": 1800.0,
        "gym_area": 0.0,
        "sports_ground_area": 3000.0,
        "equipment_value": 800000.0,
        "books": 12000,
        "computers": 40,
        "multimedia_rooms": 10,
    }


P1 = [
    full("A001", "A小学"),
    full("B001", "B小学", backbone=2),
    full("C001", "C小学"),
    full("D001", "东山小学"),
    full("E001", "E小学"),
]
P2 = [
    full("A001", "A小学"),
    full("B001", "B小学"),
    full("C001", "C小学", backbone=2),
    full("D999", "东山小学"),
    full("F001", "F小学", backbone=6),
]
P3 = [*P2[:2], full("C001", "C小学"), *P2[3:]]


@pytest.fixture(scope="module")
def periods(tmp_path_factory) -> list[Path]:
    folder = tmp_path_factory.mktemp("periods")
    return [
        write_county_file(folder / f"2026Q{n}.xlsx", schools)
        for n, schools in enumerate((P1, P2, P3), start=1)
    ]


def evaluated(path: Path, standard: str = "quality-2017") -> Evaluation:
    spec = load_standard(standard)
    return evaluate(validate(read_school_table([path], ReadOptions()), spec), spec)


@pytest.fixture(scope="module")
def two(periods) -> Comparison:
    return compare([("2026Q1", evaluated(periods[0])), ("2026Q2", evaluated(periods[1]))])


@pytest.fixture(scope="module")
def three(periods) -> Comparison:
    return compare([(p.stem, evaluated(p)) for p in periods])


def trend(comparison: Comparison, level: Level, indicator: str):
    found = next(lv for lv in comparison.levels if lv.level == level)
    if indicator == COMPOSITE:
        return found.composite
    return next(t for t in found.indicators if t.indicator == indicator)


def by_name(step, name: str):
    return next(c for c in step.changes if c.after.name == name)


# -- difference coefficients -------------------------------------------------------------------
def test_backbone_cv_in_both_periods_and_its_change(two):
    points = trend(two, Level.PRIMARY, BACKBONE).points
    assert [p.cv for p in points] == pytest.approx([CV1, CV2])
    assert [p.cv for p in points] == pytest.approx([0.222222, 0.316228], abs=1e-6)
    assert points[0].from_previous is None and points[0].from_first is None
    # 0.316228 − 0.222222 = 0.094006
    assert points[1].from_previous == pytest.approx(CV2 - CV1)
    assert points[1].from_previous == pytest.approx(0.094006, abs=1e-6)
    assert points[1].from_first == pytest.approx(CV2 - CV1)
    assert [p.limit for p in points] == [0.5, 0.5]  # 小学 limit, every single CV judged
    assert [p.passed for p in points] == [True, True]


def test_the_composite_is_reported_and_moves_with_the_mean_of_seven(two):
    composite = trend(two, Level.PRIMARY, COMPOSITE)
    # six CVs of 0 and the backbone CV: 0.222222/7 = 0.031746, 0.316228/7 = 0.045175
    assert [p.cv for p in composite.points] == pytest.approx([CV1 / 7, CV2 / 7], abs=1e-12)
    assert composite.points[1].from_previous == pytest.approx((CV2 - CV1) / 7, abs=1e-12)
    assert [p.limit for p in composite.points] == [None, None]  # 2017: only reported
    flat = trend(two, Level.PRIMARY, "teaching_area_per_student")
    assert [p.cv for p in flat.points] == pytest.approx([0, 0], abs=1e-12)


def test_level_verdicts_follow_the_failing_school(three):
    primary = next(lv for lv in three.levels if lv.level == Level.PRIMARY)
    # P1: B fails; P2: C fails; P3: every school passes and every CV ≤ 0.50
    assert [v.schools_failed for v in primary.verdicts] == [1, 1, 0]
    assert [v.passed for v in primary.verdicts] == [False, False, True]
    assert [p.passed for p in three.periods] == [False, False, True]
    junior = next(lv for lv in three.levels if lv.level == Level.JUNIOR)
    assert [v.schools for v in junior.verdicts] == [0, 0, 0]
    assert all(p.cv is None and p.from_previous is None for p in junior.composite.points[1:])


def test_three_periods_build_the_trend_with_changes_from_previous_and_first(three):
    points = trend(three, Level.PRIMARY, BACKBONE).points
    assert [p.period for p in points] == ["2026Q1", "2026Q2", "2026Q3"]
    assert [p.cv for p in points] == pytest.approx([CV1, CV2, CV3])
    # P3 against P2: 0.181818 − 0.316228 = −0.134410; against P1: 0.181818 − 0.222222 = −0.040404
    assert points[2].from_previous == pytest.approx(-0.134410, abs=1e-6)
    assert points[2].from_first == pytest.approx(-0.040404, abs=1e-6)
    # the changes from the previous period add up to the change from the first
    assert points[1].from_previous + points[2].from_previous == pytest.approx(points[2].from_first)
    assert [s.before + "→" + s.after for s in three.steps] == ["2026Q1→2026Q2", "2026Q2→2026Q3"]
    frame = cv_frame(three)
    row = frame[(frame["学段"] == "小学") & (frame["指标"] == "每百名学生拥有县级以上骨干教师数")]
    assert row[["2026Q1", "2026Q2", "2026Q3"]].iloc[0].tolist() == pytest.approx([CV1, CV2, CV3])
    assert row["2026Q3较首期"].iloc[0] == pytest.approx(CV3 - CV1)
    assert "2026Q2较首期" not in frame.columns  # the same as 较上期 for the second period


def test_county_gap_totals_per_period(three):
    backbone = next(t for t in three.gap_totals if t.indicator == BACKBONE)
    # P1: B needs 4 − 2 = 2; P2: C needs 2; P3: nobody
    assert backbone.amounts == [2, 2, 0]
    assert backbone.schools == [1, 1, 0]
    assert backbone.unit == "名"


# -- schools -----------------------------------------------------------------------------------
def test_newly_passing_and_newly_failing(two, three):
    step = two.steps[0]
    assert [c.after.name for c in step.newly_passing] == ["B小学"]
    assert [c.after.name for c in step.newly_failing] == ["C小学"]
    assert by_name(step, "A小学").verdict is Verdict.STILL_PASSING
    later = three.steps[1]
    assert [c.after.name for c in later.newly_passing] == ["C小学"]
    assert later.newly_failing == []


def test_value_and_gap_deltas_of_the_schools_that_moved(two):
    step = two.steps[0]
    b = by_name(step, "B小学")
    value = next(v for v in b.values if v.indicator == BACKBONE)
    # 2/400 × 100 = 0.5 → 4/400 × 100 = 1.0: +0.5
    assert (value.before, value.after, value.delta) == pytest.approx((0.5, 1.0, 0.5))
    gap = next(g for g in b.gaps if g.indicator == BACKBONE)
    # needs 1.0 × 400/100 = 4 teachers: lacks 2, then 0
    assert (gap.before, gap.after, gap.delta) == (2, 0, -2)
    assert (gap.status_before, gap.status_after, gap.unit) == ("below", "met", "名")
    c = by_name(step, "C小学")
    value = next(v for v in c.values if v.indicator == BACKBONE)
    assert (value.before, value.after, value.delta) == pytest.approx((1.0, 0.5, -0.5))
    gap = next(g for g in c.gaps if g.indicator == BACKBONE)
    assert (gap.before, gap.after, gap.delta) == (0, 2, 2)
    unchanged = next(v for v in c.values if v.indicator == "teaching_area_per_student")
    assert (unchanged.before, unchanged.after, unchanged.delta) == (4.5, 4.5, 0.0)


def test_a_school_matched_by_name_only_is_a_warning_naming_both_rows(two, periods):
    step = two.steps[0]
    (matched,) = step.name_matches
    assert matched.matched_by is MatchedBy.NAME
    assert (matched.before.code, matched.after.code) == ("D001", "D999")
    assert matched.before.origin == Origin(str(periods[0]), "学校", 5)
    assert matched.after.origin == Origin(str(periods[1]), "学校", 5)
    document = comparison_document(two)
    (warning,) = document["steps"][0]["warnings"]
    assert "东山小学" in warning and "只按学校名称对应" in warning
    assert "2026Q1" in warning and "D001" in warning and "第 5 行" in warning
    assert "2026Q2" in warning and "D999" in warning
    assert all(c.matched_by is MatchedBy.CODE for c in step.changes if c.after.name != "东山小学")


def test_added_and_removed_schools(two):
    step = two.steps[0]
    assert [(u.name, u.code, u.passed) for u in step.added] == [("F小学", "F001", True)]
    assert [(u.name, u.code) for u in step.removed] == [("E小学", "E001")]
    assert len(step.changes) == 4  # A, B, C and 东山 (by name)
    frame = membership_frame(two)
    assert frame[["情况", "学校名称", "学校标识码"]].values.tolist() == [
        ["新增", "F小学", "F001"],
        ["减少", "E小学", "E001"],
        ["仅按名称对应", "东山小学", "D999"],
    ]
    assert "D001" in frame["说明"].iloc[2]


def test_school_changes_sheet_rows(two):
    frame = school_changes_frame(two)
    # of 4 matched units × 7 indicators only B's and C's backbone teachers moved
    assert frame[["学校名称", "指标"]].values.tolist() == [
        ["B小学", "骨干教师"],
        ["C小学", "骨干教师"],
    ]
    row = frame.iloc[0]
    assert row["达标变化"] == "新达标"
    assert (row["前一期值"], row["本期值"], row["变化"]) == pytest.approx((0.5, 1.0, 0.5))
    assert (row["前一期还差"], row["本期还差"], row["还差变化"]) == (2, 0, -2)
    assert frame["达标变化"].tolist() == ["新达标", "新未达标"]


def test_basic_2012_compares_coefficients_and_values_only(periods):
    comparison = compare(
        [("P1", evaluated(periods[0], "basic-2012")), ("P2", evaluated(periods[1], "basic-2012"))]
    )
    step = comparison.steps[0]
    assert not comparison.judges_schools
    assert step.newly_passing == [] and step.newly_failing == []
    assert {c.verdict for c in step.changes} == {Verdict.NOT_JUDGED}
    assert all(c.gaps == [] for c in step.changes)
    composite = trend(comparison, Level.PRIMARY, COMPOSITE)
    assert [p.limit for p in composite.points] == [0.65, 0.65]  # 2012 judges the composite
    # 2012 has no backbone indicator and the eight it has are equal in every school: the eight
    # CVs are 0 in both periods, and so is their mean
    assert [p.cv for p in composite.points] == pytest.approx([0, 0], abs=1e-12)
    assert [p.passed for p in composite.points] == [True, True]


def test_a_period_compared_with_itself_changes_nothing(periods):
    same = evaluated(periods[1])
    step = compare([("a", same), ("b", same)]).steps[0]
    assert step.added == [] and step.removed == [] and step.name_matches == []
    assert {c.verdict for c in step.changes} <= {Verdict.STILL_PASSING, Verdict.STILL_FAILING}
    assert all(v.delta == 0 for c in step.changes for v in c.values)
    assert all(g.delta == 0 for c in step.changes for g in c.gaps)


def test_periods_must_be_two_with_distinct_labels_and_one_standard(periods):
    q = evaluated(periods[0])
    with pytest.raises(CompareError, match="至少需要两期"):
        compare([("a", q)])
    with pytest.raises(CompareError, match="期别名称重复"):
        compare([("a", q), ("a", q)])
    with pytest.raises(CompareError, match="同一标准"):
        compare([("a", q), ("b", evaluated(periods[1], "basic-2012"))])


# -- matching laws -----------------------------------------------------------------------------
def unit(code: str, name: str, level: Level) -> UnitResult:
    return UnitResult(code, name, "小学", level, 100, 1.0, {}, {}, Origin("f", "s", 2))


units_strategy = st.lists(
    st.tuples(
        st.sampled_from(["", "c1", "c2", "c3", "c4"]),
        st.sampled_from(["甲", "乙", "丙", "丁"]),
        st.sampled_from([Level.PRIMARY, Level.JUNIOR]),
    ),
    max_size=8,
).map(lambda rows: [unit(*row) for row in rows])


@given(units_strategy, units_strategy)
def test_matching_is_one_to_one_by_key_and_symmetric(before, after):
    pairs, named = match_units(before, after)
    lefts, rights = [i for i, _ in pairs], [j for _, j in pairs]
    assert len(set(lefts)) == len(lefts) and len(set(rights)) == len(rights)
    assert rights == sorted(rights)
    for i, j in pairs:
        a, b = before[i], after[j]
        assert a.level == b.level
        if (i, j) in named:
            assert a.name == b.name
        else:
            assert a.code and a.code == b.code
    backwards, named_backwards = match_units(after, before)
    assert sorted((j, i) for i, j in backwards) == sorted(pairs)
    assert {(j, i) for i, j in named_backwards} == named


def test_two_schools_of_one_name_are_never_matched_by_name():
    before = [unit("", "甲", Level.PRIMARY), unit("", "甲", Level.PRIMARY)]
    after = [unit("", "甲", Level.PRIMARY)]
    assert match_units(before, after) == ([], set())


# -- the command -------------------------------------------------------------------------------
def run(*args: str):
    return CliRunner().invoke(app, ["compare", *args])


def test_cli_json_is_byte_identical_and_holds_the_numbers(periods):
    args = [str(periods[0]), str(periods[1]), *QUALITY, "--labels", "一季度,二季度", "-f", "json"]
    first, second = run(*args), run(*args)
    assert first.exit_code == 0, first.output
    assert first.stdout == second.stdout
    document = json.loads(first.stdout)
    assert [p["label"] for p in document["periods"]] == ["一季度", "二季度"]
    step = document["steps"][0]
    assert [s["name"] for s in step["newly_passing"]] == ["B小学"]
    assert [s["name"] for s in step["newly_failing"]] == ["C小学"]
    assert [s["name"] for s in step["added"]] == ["F小学"]
    assert [s["name"] for s in step["removed"]] == ["E小学"]
    primary = document["levels"][0]
    backbone = next(i for i in primary["indicators"] if i["id"] == BACKBONE)
    assert backbone["points"][1]["from_previous"] == pytest.approx(CV2 - CV1)


def test_cli_table_shows_changes_and_warning(periods):
    result = run(*map(str, periods[:2]), *QUALITY)
    assert result.exit_code == 0, result.output
    out = result.stdout
    assert "2026Q1 → 2026Q2" in out
    assert "0.2222" in out and "0.3162" in out and "+0.0940" in out
    assert "新达标的学校" in out and "B小学" in out
    assert "新未达标的学校" in out and "C小学" in out
    assert "骨干教师 0.50 → 1.00（+0.50，低于85% → 达标）；还差 2 → 0 名" in out
    assert "只按学校名称对应" in out and "D999" in out
    assert "新增的学校：F小学（小学，达标）" in out
    assert "减少的学校：E小学（小学，达标）" in out


def test_cli_basic_2012_says_there_is_no_school_rule(periods):
    result = run(*map(str, periods[:2]))
    assert result.exit_code == 0, result.output
    assert "没有逐校达标规则" in result.stdout
    assert "新达标的学校" not in result.stdout and "新未达标的学校" not in result.stdout
    assert "新增的学校：F小学（小学）" in result.stdout  # no verdict to show


def test_cli_writes_the_workbook_with_a_trend_chart(periods, tmp_path):
    target = tmp_path / "对比.xlsx"
    result = run(*map(str, periods), *QUALITY, "-o", str(target))
    assert result.exit_code == 0, result.output
    assert f"已写入 {target}" in result.stdout
    workbook = openpyxl.load_workbook(target)
    assert workbook.sheetnames[:2] == ["汇总", "趋势图"]
    assert {"差异系数", "学校变化", "新增减少", "补短板合计"} <= set(workbook.sheetnames)
    (chart,) = workbook["趋势图"]._charts  # only 小学 has schools
    assert len(chart.series) == 7 + 2  # seven indicators, the composite, the limit
    data = workbook["图表数据"]
    header = [c.value for c in data[1]]
    assert header[0] == "期别" and header[-1] == "限值"
    column = header.index("骨干教师") + 1
    rows = [[data.cell(r, c).value for c in (1, column, len(header))] for r in (2, 3, 4)]
    assert [r[0] for r in rows] == ["2026Q1", "2026Q2", "2026Q3"]
    assert [r[1] for r in rows] == pytest.approx([CV1, CV2, CV3])
    assert [r[2] for r in rows] == [0.5, 0.5, 0.5]
    again = run(*map(str, periods), *QUALITY, "-o", str(target))
    assert again.exit_code == 2 and "已存在" in again.output
    assert run(*map(str, periods), *QUALITY, "-o", str(target), "--force").exit_code == 0


def test_cli_json_output_file_equals_stdout(periods, tmp_path):
    target = tmp_path / "对比.json"
    result = run(*map(str, periods[:2]), *QUALITY, "-f", "json", "-o", str(target))
    assert result.exit_code == 0, result.output
    assert target.read_text(encoding="utf-8") == result.stdout


def test_cli_period_with_data_errors_stops_with_exit_1(periods, tmp_path):
    broken = write_county_file(tmp_path / "坏.xlsx", [*P2[:4], full("F001", "F小学", backbone=-1)])
    result = run(str(periods[0]), str(broken), *QUALITY)
    assert result.exit_code == 1
    assert "第 2 期" in result.output and "坏.xlsx" in result.output
    assert "数据有错误 1 个" in result.output and "未做比较" in result.output


def test_cli_usage_errors_exit_2(periods, tmp_path):
    assert run(str(periods[0]), *QUALITY).exit_code == 2
    wrong = run(*map(str, periods[:2]), "--labels", "只有一个")
    assert wrong.exit_code == 2 and "--labels" in wrong.output
    twin = tmp_path / "二" / periods[0].name
    twin.parent.mkdir()
    twin.write_bytes(periods[1].read_bytes())  # another period under the same file name
    same_stem = run(str(periods[0]), str(twin), "-f", "json")
    assert same_stem.exit_code == 0, same_stem.output
    labels = [p["label"] for p in json.loads(same_stem.stdout)["periods"]]
    assert labels == [f"{periods[0].parent.name}/2026Q1", "二/2026Q1"]
    assert run(*map(str, periods[:2]), "-o", str(tmp_path / "x.csv")).exit_code == 2


# -- the same period twice, periods out of order, matching by id, no limit, 万元 -----------------
def test_cli_refuses_the_same_file_twice_and_a_byte_identical_copy(periods, tmp_path):
    first = str(periods[0])
    same = run(first, first, "--labels", "a,b", *QUALITY)
    assert same.exit_code == 2
    assert "第 1 期" in same.output and "第 2 期" in same.output and "是同一个文件" in same.output
    copy = tmp_path / "副本.xlsx"
    copy.write_bytes(periods[0].read_bytes())
    twin = run(first, str(copy), *QUALITY)
    assert twin.exit_code == 2
    assert "内容完全相同" in twin.output and "副本.xlsx" in twin.output


def test_cli_warns_when_files_were_modified_backwards(periods, tmp_path):
    import os

    older, newer = tmp_path / "一季度.xlsx", tmp_path / "二季度.xlsx"
    older.write_bytes(periods[0].read_bytes())
    newer.write_bytes(periods[1].read_bytes())
    os.utime(older, (2_000_000_000, 2_000_000_000))
    two_days_earlier = 2_000_000_000 - 2 * 86_400
    os.utime(newer, (two_days_earlier, two_days_earlier))
    backwards = run(str(older), str(newer), *QUALITY)
    assert backwards.exit_code == 0  # a warning, not an error
    assert "提醒" in backwards.output and "更早" in backwards.output
    os.utime(newer, (2_000_000_000 + 60, 2_000_000_000 + 60))
    in_order = run(str(older), str(newer), *QUALITY)
    assert "更早" not in in_order.output


def _reordered(evaluation: Evaluation) -> Evaluation:
    """The same evaluation with every level's indicators in reverse order."""
    levels = [replace(lv, indicators=lv.indicators[::-1]) for lv in evaluation.levels]
    return replace(evaluation, levels=levels)


def test_indicators_are_matched_by_id_not_by_position(periods):
    # Period 2 lists its indicators in reverse order; the backbone trend must still read
    # CV1 → CV2 (0.222222 → 0.316228), not period 2's value of another indicator (0).
    comparison = compare([("Q1", evaluated(periods[0])), ("Q2", _reordered(evaluated(periods[1])))])
    backbone = trend(comparison, Level.PRIMARY, BACKBONE)
    assert [p.cv for p in backbone.points] == pytest.approx([CV1, CV2])
    assert backbone.points[1].from_previous == pytest.approx(CV2 - CV1)  # +0.094006


def test_periods_evaluated_under_another_version_are_refused(periods):
    first = evaluated(periods[0])
    later = evaluated(periods[1])
    bumped = replace(later, standard=later.standard.model_copy(update={"version": "9"}))
    with pytest.raises(CompareError, match="同一版本"):
        compare([("Q1", first), ("Q2", bumped)])


def test_a_missing_limit_is_no_limit_not_zero(periods, tmp_path):
    def unlimited(evaluation: Evaluation) -> Evaluation:
        levels = [replace(lv, composite_limit=None) for lv in evaluation.levels]
        return replace(evaluation, levels=levels)

    comparison = compare(
        [("Q1", unlimited(evaluated(periods[0]))), ("Q2", unlimited(evaluated(periods[1])))]
    )
    primary = next(lv for lv in comparison.levels if lv.level == Level.PRIMARY)
    assert primary.limit is None
    target = tmp_path / "无限值.xlsx"
    write_comparison_xlsx(comparison, target)
    data = openpyxl.load_workbook(target)["图表数据"]
    header = [c.value for c in data[1] if c.value is not None]
    # 期别, the 7 indicators and 综合: no 限值 column, so no line drawn at 0
    assert header[0] == "期别" and len(header) == 1 + 7 + 1
    assert "限值" not in header and "综合差异系数限值" not in header


def test_gap_totals_sheet_shows_money_in_wan_yuan(two):
    # 125,000 元 then 30,000 元 → 12.5 and 3 万元 (÷ 10,000), as in the terminal
    money = GapTotalTrend(
        "equipment", "生均教学仪器设备值", "教学仪器设备", "元", [125_000.0, 30_000.0], [2, 1]
    )
    frame = gap_totals_frame(replace(two, gap_totals=[money]))
    row = frame.iloc[0]
    assert row["单位"] == "万元"
    assert row["2026Q1"] == pytest.approx(12.5) and row["2026Q2"] == pytest.approx(3.0)
    assert row["2026Q1涉及学校"] == 2
