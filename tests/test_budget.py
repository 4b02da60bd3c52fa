"""Budget plans (``junheng plan --budget``): unit costs as data, the steps bought within a
budget and the teachers available, and the reports.

The hand-worked county (quality-2017, 小学, school rule: 6 of 7 indicators met, the rest at
least 85 % of the threshold) is four 400-pupil 小学 (see ``test_plan.school``), each failing
the rule on exactly one indicator, below its floor; the plan raises it to the floor (6 met +
1 near = pass):
  A 骨干教师 3 → 0.75 < 0.85:     floor 0.85 × 400 / 100 = 3.4 → +0.4 → whole: +1 名
  B 多媒体教室 7 → 1.75 < 1.955:  floor 1.955 × 400 / 100 = 7.82 → +0.82 → +1 间
  C 教学用房 1500 → 3.75 < 3.825: floor 3.825 × 400 = 1530 → +30 ㎡
  D 体艺教师 2 → 0.5 < 0.765:     floor 0.765 × 4 = 3.06 → +1.06 → +2 名
Costs (``HAND_COSTS``): 骨干 10,000 元/名 by training (no teacher place), 多媒体 50,000 元/间,
教学用房 3,000 元/㎡, 体艺 100,000 元/名 new hires (2 teacher places):
  A 10,000  B 50,000  C 30 × 3,000 = 90,000  D 2 × 100,000 = 200,000; full plan 350,000 元.
Each step brings one unit to pass, so greedy by units per 万元 takes A (1 per 1 万), B (1 per
5 万), C (1 per 9 万), D (1 per 20 万).
"""

from __future__ import annotations

import json
import tempfile
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import load_workbook
from typer.testing import CliRunner

from helpers import SAMPLE, examples
from junheng_cli.cli.app import app
from junheng_cli.compute.evaluate import evaluate
from junheng_cli.compute.validate import validate
from junheng_cli.io.sheet_table import read_school_table
from junheng_cli.model.costs import CostError, load_costs, parse_amount
from junheng_cli.standards.model import load_standard
from junheng_cli.workflows.plan import make_plan
from junheng_cli.workflows.plan.budget import BudgetGoalError, make_budget_plan
from junheng_cli.workflows.plan.budget_goal import GoalModel
from junheng_cli.workflows.plan.budget_search import Search
from junheng_cli.workflows.plan.budget_steps import plan_steps
from test_plan import QUALITY, county, nine_year, school

HAND_COSTS = """\
name: 测试成本
costs:
  县级以上骨干教师: {unit_cost: 10000, teacher: false}
  multimedia_rooms_per_100: {unit_cost: 50000}
  教学及辅助用房: {unit_cost: 3000}
  体育运动场馆: {unit_cost: 400}
  教学仪器设备: {unit_cost: 1}
  高于规定学历教师: {unit_cost: 100000}
  体育、艺术专任教师: {unit_cost: 100000}
"""


def costs_file(tmp: Path, text: str = HAND_COSTS) -> Path:
    path = tmp / "costs.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def hand_schools() -> list[dict[str, Any]]:
    return [
        school("A", backbone_teachers_primary=3),
        school("B", multimedia_rooms=7),
        school("C", teaching_area=1500.0),
        school("D", pe_arts_teachers_primary=2),
    ]


def names(plan) -> list[str]:
    return [b.step.name for b in plan.steps]


def test_hand_county_bought_in_order_of_units_per_wan(tmp_path: Path) -> None:
    """Budget 150,000 元: A, B, C (10,000 + 50,000 + 90,000 = 150,000), D does not fit; the
    rest of the bill is D's 200,000 元 and 2 teachers."""
    validated, before = county(tmp_path, hand_schools())
    costs = load_costs(costs_file(tmp_path))
    plan = make_budget_plan(validated, QUALITY, before, costs, 150_000)
    assert names(plan) == ["A", "B", "C"]
    assert [b.step.cost for b in plan.steps] == [10_000, 50_000, 90_000]
    assert [(i.label, i.amount) for b in plan.steps for i in b.step.items] == [
        ("骨干教师", 1.0),
        ("多媒体教室", 1.0),
        ("教学用房", 30.0),
    ]
    assert [b.passing_after for b in plan.steps] == [1, 2, 3]
    assert [b.spent_after for b in plan.steps] == [10_000, 60_000, 150_000]
    assert plan.spent == 150_000 and plan.teachers == 0
    assert (plan.passing_before, plan.passing_after, plan.units) == (0, 3, 4)
    assert [s.name for s in plan.remaining] == ["D"]
    assert plan.remaining_cost == 200_000 and plan.remaining_teachers == 2
    assert plan.full_cost == 350_000
    # the re-evaluation agrees: 4 failing schools → 1
    level = plan.outcome.levels[0]
    assert (level.failed_before, level.failed_after) == (4, 1)


def test_hand_county_teachers_and_the_whole_plan(tmp_path: Path) -> None:
    """Budget 400,000 元 covers the 350,000 of the full plan: all four, in the order A, B, C, D,
    with the plan's amounts. With --teachers 1, D (2 new 体艺 teachers) cannot be bought."""
    validated, before = county(tmp_path, hand_schools())
    costs = load_costs(costs_file(tmp_path))
    whole = make_budget_plan(validated, QUALITY, before, costs, 400_000)
    assert names(whole) == ["A", "B", "C", "D"] and whole.whole
    assert whole.spent == 350_000 and whole.teachers == 2 and whole.reached
    assert not whole.remaining
    limited = make_budget_plan(
        validated, QUALITY, before, costs, 400_000, teachers=1, plan=whole.plan
    )
    assert names(limited) == ["A", "B", "C"] and limited.teachers == 0


def test_a_transfer_is_used_when_cheaper_and_counts_as_a_teacher(tmp_path: Path) -> None:
    """体艺 by 交流轮岗 at 20,000 元 (cheaper than hiring at 100,000): D costs 2 × 20,000 =
    40,000 and places 2 teachers, so with 100,000 元 the order is A (1 per 1 万), D (1 per 4
    万), B (1 per 5 万): 10,000 + 40,000 + 50,000 = 100,000."""
    text = HAND_COSTS.replace(
        "体育、艺术专任教师: {unit_cost: 100000}",
        "体育、艺术专任教师: {unit_cost: 100000, transfer: 20000}",
    )
    validated, before = county(tmp_path, hand_schools())
    plan = make_budget_plan(
        validated, QUALITY, before, load_costs(costs_file(tmp_path, text)), 100_000
    )
    assert names(plan) == ["A", "D", "B"]
    assert plan.steps[1].step.items[0].way == "transfer"
    assert plan.spent == 100_000 and plan.teachers == 2


def full_amounts(plan) -> dict[tuple[Any, ...], float]:
    return {(a.origin, a.indicator, a.level): a.total for a in plan.additions}


def bought_amounts(budget_plan) -> dict[tuple[Any, ...], float]:
    found: dict[tuple[Any, ...], float] = {}
    for b in budget_plan.steps:
        for i in b.step.items:
            key = (b.step.origin, i.indicator, i.level)
            found[key] = found.get(key, 0.0) + i.amount
    return found


def no_single_swap_improves(validated, before, budget_plan, costs) -> None:
    """The claim of the method: within the budget and the teachers, no unchosen step added to
    the plan, and no swap of one chosen step for one unchosen, does strictly better."""
    plan = budget_plan.plan
    steps, _ = plan_steps(plan, validated, costs, budget_plan.by_indicator)
    model = GoalModel(validated, plan.standard, before, steps)
    search = Search(model, steps, budget_plan.budget, budget_plan.teacher_limit, budget_plan.goal)
    chosen = [b.step.key for b in budget_plan.steps]
    assert search.costs[chosen].sum() <= budget_plan.budget + 1e-6
    if budget_plan.teacher_limit is not None:
        assert search.teachers[chosen].sum() <= budget_plan.teacher_limit
    current = search.score(chosen)
    outside = [s.key for s in steps if s.key not in chosen]
    for j in outside:
        if search.fits(chosen, np.array([j]))[0]:
            assert not search.better(search.score([*chosen, j]), current)
    for i in chosen:
        rest = [k for k in chosen if k != i]
        for j in outside:
            if search.fits(rest, np.array([j]))[0]:
                assert not search.better(search.score([*rest, j]), current), (i, j)


random_counties = st.lists(
    st.tuples(
        st.integers(60, 900),  # pupils
        st.integers(0, 12),  # 骨干教师
        st.floats(2.5, 6.0),  # ㎡ of 教学用房 per pupil
        st.integers(2, 20),  # 多媒体教室
        st.integers(0, 8),  # 体艺教师
    ),
    min_size=3,
    max_size=6,
)


@pytest.mark.slow
@settings(
    max_examples=examples(40),
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
@given(
    rows=random_counties,
    share=st.floats(0.0, 1.2),
    teachers=st.one_of(st.none(), st.integers(0, 6)),
    goal=st.sampled_from(["schools", "cv", "both"]),
)
def test_no_single_swap_improves_and_a_full_budget_is_the_full_plan(
    rows, share, teachers, goal
) -> None:
    schools = [
        school(
            f"S{n}",
            students=pupils,
            teachers_primary=round(22 * pupils / 400) + backbone + arts,
            backbone_teachers_primary=backbone,
            teaching_area=round(area * pupils, 1),
            multimedia_rooms=rooms,
            pe_arts_teachers_primary=arts,
        )
        for n, (pupils, backbone, area, rooms, arts) in enumerate(rows)
    ]
    with tempfile.TemporaryDirectory() as tmp:
        validated, before = county(Path(tmp), [*schools, nine_year("J")])
        costs = load_costs(costs_file(Path(tmp)))
    full = make_plan(validated, QUALITY, before)
    whole = make_budget_plan(validated, QUALITY, before, costs, 1e9, None, goal, plan=full)
    assert whole.whole and not whole.remaining
    assert bought_amounts(whole) == full_amounts(full)
    assert whole.reached == full.reached
    budget = whole.full_cost * share
    plan = make_budget_plan(validated, QUALITY, before, costs, budget, teachers, goal, plan=full)
    assert plan.spent <= budget + 1e-6
    assert plan.spent + plan.remaining_cost == pytest.approx(whole.full_cost)
    no_single_swap_improves(validated, before, plan, costs)


@pytest.fixture(scope="module")
def sample():
    validated = validate(read_school_table([SAMPLE]), QUALITY)
    before = evaluate(validated, QUALITY)
    return validated, before, make_plan(validated, QUALITY, before)


@pytest.fixture(scope="module")
def sample_500(sample):
    validated, before, full = sample
    return make_budget_plan(
        validated, QUALITY, before, load_costs(), parse_amount("500万"), plan=full
    )


def test_sample_500_wan_for_schools(sample, sample_500) -> None:
    """The sample county with the example costs: 500 万元 buys 38 steps (494.80 万元) that
    bring 38 of the 69 failing level units to the school rule; the re-evaluation agrees (48 →
    18 小学 and 21 → 13 初中 failing), and no single swap does better."""
    validated, before, _ = sample
    costs = load_costs()
    plan = sample_500
    assert len(plan.steps) == 38 and plan.spent == 4_947_986
    assert (plan.passing_before, plan.passing_after, plan.units) == (57, 95, 126)
    failed = [(lv.failed_before, lv.failed_after) for lv in plan.outcome.levels]
    assert failed == [(48, 18), (21, 13)]
    # the CVs of the array model are those the evaluation reports
    after = {(c.level, c.indicator): c.cv for c in plan.steps[-1].cvs_after}
    for lv in plan.outcome.levels:
        for cv in lv.cvs:
            if (lv.level, cv.indicator) in after:
                assert after[(lv.level, cv.indicator)] == pytest.approx(cv.after, abs=1e-12)
    no_single_swap_improves(validated, before, plan, costs)


def test_sample_goal_cv_brings_every_cv_under_its_limit(sample) -> None:
    """Goal cv on the sample: 80.52 万元 of single-indicator steps bring the three 小学 CVs
    over 0.50 (骨干 0.5296, 体育场馆 0.5017, 多媒体 0.5041) under it; the excess
    Σ max(0, CV − 0.50) = 0.0296 + 0.0017 + 0.0041 = 0.0354 falls to 0."""
    validated, before, full = sample
    plan = make_budget_plan(validated, QUALITY, before, load_costs(), 5e6, None, "cv", plan=full)
    assert plan.excess_before == pytest.approx(0.0354, abs=5e-5)
    assert plan.excess_after == 0 and plan.spent == 805_200
    primary = plan.outcome.levels[0]
    assert all(cv.after < 0.5 for cv in primary.cvs) and primary.cv_passed_after


def test_amounts_of_money() -> None:
    assert parse_amount("500万") == 5_000_000
    assert parse_amount("5000000") == 5_000_000
    assert parse_amount("500万元") == 5_000_000
    assert parse_amount("0.5亿") == 50_000_000
    assert parse_amount("5,000,000元") == 5_000_000
    assert parse_amount(" 1.5 万 ") == 15_000
    for wrong in ("abc", "-5万", "500千", "万", "5e6", ""):
        with pytest.raises(CostError, match="无法识别预算金额"):
            parse_amount(wrong)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("name: x\ncosts:\n  教学及辅助用房: {unit_cost: -1}\n", "第 3 行.*unit_cost.*不小于 0"),
        ("name: x\ncosts:\n  教学及辅助用房: {unit_cost: 1, price: 2}\n", "price.*不认识的键"),
        ("name: x\ncosts:\n  教学及辅助用房: {cost: 1}\n", "unit_cost.*缺少此项"),
        ("costs: {}\n", "name.*缺少此项"),
        ("- 1\n", "顶层应为键值映射"),
    ],
)
def test_cost_file_errors_name_the_file_line_and_key(tmp_path: Path, text, message) -> None:
    path = costs_file(tmp_path, text)
    with pytest.raises(CostError, match=message) as caught:
        load_costs(path)
    assert str(path) in str(caught.value)


def test_an_indicator_the_plan_needs_without_a_price_is_named(tmp_path: Path) -> None:
    validated, before = county(tmp_path, hand_schools())
    text = HAND_COSTS.replace("  教学及辅助用房: {unit_cost: 3000}\n", "")
    costs = load_costs(costs_file(tmp_path, text))
    with pytest.raises(CostError, match=r"生均教学及辅助用房面积.*teaching_area_per_student"):
        make_budget_plan(validated, QUALITY, before, costs, 1e6)
    twice = HAND_COSTS + "  teaching_area_per_student: {unit_cost: 1}\n"
    with pytest.raises(CostError, match="只能留一项"):
        make_budget_plan(validated, QUALITY, before, load_costs(costs_file(tmp_path, twice)), 1)


def test_a_standard_without_a_school_rule_plans_only_for_the_cvs(tmp_path: Path) -> None:
    basic = load_standard("basic-2012")
    validated, before = county(tmp_path, hand_schools(), basic)
    with pytest.raises(BudgetGoalError, match="--goal cv"):
        make_budget_plan(validated, basic, before, load_costs(), 1e6, None, "schools")


def test_the_example_costs_price_every_built_in_standard() -> None:
    from junheng_cli.workflows.plan.budget_steps import prices

    costs = load_costs()
    assert costs.example
    for ref in ("basic-2012", "quality-2017", "example-province-quality"):
        standard = load_standard(ref)
        priced, _ = prices(standard, costs)
        assert set(priced) == {ind.id for ind in standard.indicators}, ref


def test_the_reports_of_the_sample_plan(sample_500, tmp_path: Path) -> None:
    """Headline first; the JSON document in the common envelope; three sheets and more."""
    from rich.console import Console

    from junheng_cli.report.frames.budget import budget_frames
    from junheng_cli.report.json.budget import budget_document
    from junheng_cli.report.json.envelope import to_json
    from junheng_cli.report.terminal.budget import render_budget
    from junheng_cli.report.xlsx.budget import write_budget_xlsx

    console = Console(width=140, record=True)
    render_budget(console, sample_500)
    text = console.export_text()
    first = text.splitlines()[0]
    assert first.startswith("500.00 万元 可使 38 个学段单位达到学校达标规则（未达标 69 → 31 个）")
    assert "实施顺序（38 步）" in text and "余下补齐" in text
    document = json.loads(to_json(budget_document(sample_500)))
    assert document["kind"] == "budget_plan" and document["standard"]["id"] == "quality-2017"
    assert len(document["steps"]) == 38 and document["spent"] == 4_947_986
    assert document["full_cost"] == document["spent"] + document["remaining_cost"]
    target = tmp_path / "预算方案.xlsx"
    write_budget_xlsx(budget_frames(sample_500), target)
    assert load_workbook(target).sheetnames == ["说明", "步骤", "差异系数", "成本", "余下"]


def test_the_command_on_the_sample(tmp_path: Path) -> None:
    target = tmp_path / "预算方案.json"
    args = ["plan", str(SAMPLE), "--standard", "quality-2017", "--budget", "500万"]
    written = CliRunner().invoke(app, [*args, "--teachers", "20", "-o", str(target)])
    assert written.exit_code == 0, written.output
    document = json.loads(target.read_text(encoding="utf-8"))
    assert document["kind"] == "budget_plan" and document["teacher_limit"] == 20
    assert document["teachers"] <= 20


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        (["--budget", "五百万"], "无法识别预算金额"),
        (["--budget", "500万", "--goal", "money"], "--goal 应为"),
        (["--teachers", "3"], "须与 --budget 一起使用"),
        (["--budget", "500万", "--transfers"], "不能与 --scenario 或 --transfers"),
        (["--budget", "500万", "--costs", "nowhere.yaml"], "找不到单位成本文件"),
    ],
)
def test_usage_errors_exit_2(extra, message) -> None:
    result = CliRunner().invoke(app, ["plan", str(SAMPLE), "--standard", "quality-2017", *extra])
    assert result.exit_code == 2
    assert message in result.output


def test_docs_show_the_example_cost_file_as_shipped() -> None:
    from helpers import REPO
    from junheng_cli.model.costs import EXAMPLE_COSTS

    page = (REPO / "docs" / "budget.md").read_text(encoding="utf-8")
    shipped = EXAMPLE_COSTS.read_text(encoding="utf-8")
    assert f"```yaml\n{shipped}```" in page
