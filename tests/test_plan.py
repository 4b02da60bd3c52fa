"""What-if plans (``junheng plan``): the least-additions plan, scenarios, teacher transfers.

Thresholds (quality-2017, 小学): 高学历教师 4.2 /100, 骨干教师 1.0 /100, 体艺教师 0.9 /100,
教学用房 4.5 ㎡, 体育场馆 7.5 ㎡, 仪器设备 2000 元, 多媒体教室 2.3 /100; CV limit 0.50 (初中:
5.3, 1.0, 0.9, 5.8, 10.2, 2500, 2.4; 0.45). ``school(name)`` is a 400-pupil 小学 meeting all
seven with the same value as every other such school (so its CVs are 0):
  高学历 17 → 4.25, 骨干 4 → 1.00, 体艺 4 → 1.00, 用房 1800 → 4.5, 场馆 3000 → 7.5,
  设备 800000 → 2000, 多媒体 10 → 2.5.
With equal enrollments the weighted CV is the plain population CV of the values.
"""

from __future__ import annotations

import hashlib
import json
import math
import tempfile
from dataclasses import replace
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from helpers import examples, write_county_file
from junheng_cli.cli.app import app
from junheng_cli.compute.evaluate import evaluate
from junheng_cli.compute.validate import validate
from junheng_cli.io.sheet_table import read_school_table
from junheng_cli.model.fields import Level
from junheng_cli.standards.indicators import CVMethod
from junheng_cli.standards.model import load_standard
from junheng_cli.workflows.plan import (
    NO_DONOR,
    REACHED,
    WITHIN,
    flatten_ceiling,
    make_plan,
    run_scenario,
    suggest_transfers,
    water_level,
)
from junheng_cli.workflows.scenario import (
    AddChange,
    MoveChange,
    Scenario,
    ScenarioError,
    apply_scenario,
    load_scenario,
    resolve_quantity,
)

QUALITY = load_standard("quality-2017")
BASIC = load_standard("basic-2012")
BACKBONE = "backbone_teachers_per_100"
ROOMS = "multimedia_rooms_per_100"


def school(name: str, students: int = 400, **quantities: Any) -> dict[str, Any]:
    """A 小学 meeting all seven thresholds (400 pupils: see the module docstring)."""
    k = students / 400
    row = {
        "code": name,
        "name": name,
        "type": "小学",
        "students_primary": students,
        "teachers_primary": round(22 * k),
        "qualified_teachers_primary": round(17 * k),
        "senior_title_teachers_primary": round(8 * k),
        "backbone_teachers_primary": round(4 * k),
        "pe_arts_teachers_primary": round(4 * k),
        "teaching_area": 1800.0 * k,
        "gym_area": 0.0,
        "sports_ground_area": 3000.0 * k,
        "equipment_value": 800000.0 * k,
        "books": 12000 * k,
        "computers": round(60 * k),
        "multimedia_rooms": round(10 * k),
    }
    return row | quantities


def nine_year(name: str, **quantities: Any) -> dict[str, Any]:
    """A 九年一贯制学校, 小学 300 + 初中 200 pupils (shares 300/520 and 220/520)."""
    row = {
        "code": name,
        "name": name,
        "type": "九年一贯制学校",
        "students_primary": 300,
        "students_junior": 200,
        "teachers_primary": 20,
        "qualified_teachers_primary": 13,
        "senior_title_teachers_primary": 6,
        "backbone_teachers_primary": 3,
        "pe_arts_teachers_primary": 3,
        "teachers_junior": 15,
        "qualified_teachers_junior": 11,
        "senior_title_teachers_junior": 5,
        "backbone_teachers_junior": 2,
        "pe_arts_teachers_junior": 2,
        "teaching_area": 2000.0,
        "gym_area": 0.0,
        "sports_ground_area": 5000.0,
        "equipment_value": 1200000.0,
        "books": 15000,
        "computers": 70,
        "multimedia_rooms": 12,
    }
    return row | quantities


def junior(name: str, **quantities: Any) -> dict[str, Any]:
    """An 初中 of 400 pupils meeting the 初中 thresholds."""
    row = {
        "code": name,
        "name": name,
        "type": "初中",
        "students_junior": 400,
        "teachers_junior": 30,
        "qualified_teachers_junior": 22,  # 5.5 ≥ 5.3
        "senior_title_teachers_junior": 10,
        "backbone_teachers_junior": 4,
        "pe_arts_teachers_junior": 4,
        "teaching_area": 2400.0,  # 6.0 ≥ 5.8
        "gym_area": 0.0,
        "sports_ground_area": 4200.0,  # 10.5 ≥ 10.2
        "equipment_value": 1000000.0,  # 2500
        "books": 14000,
        "computers": 70,
        "multimedia_rooms": 10,  # 2.5 ≥ 2.4
    }
    return row | quantities


def load(path: Path, standard=QUALITY):
    validated = validate(read_school_table([path]), standard)
    return validated, evaluate(validated, standard)


def county(tmp: Path, schools: list[dict[str, Any]], standard=QUALITY):
    return load(write_county_file(tmp / "county.xlsx", schools), standard)


def cv_of(evaluation, level: Level, ind_id: str) -> float:
    lv = next(lv for lv in evaluation.levels if lv.level == level)
    return next(i.cv for i in lv.indicators if i.id == ind_id)


def unit_value(evaluation, name: str, ind_id: str, level: Level = Level.PRIMARY) -> float:
    found = next(u for u in evaluation.units if u.name == name and u.level == level)
    return found.values[ind_id]


def every_cv_within(evaluation) -> bool:
    return all(i.cv <= lv.composite_limit for lv in evaluation.levels for i in lv.indicators)


# -- 1. the least-additions plan, by hand ------------------------------------------------------


def hand_county() -> list[dict[str, Any]]:
    """A, B, C: three 400-pupil 小学, equal weights. Only 骨干教师 and C's rooms differ:
    骨干教师 A 40 → 10.0, B 4 → 1.0, C 3 → 0.75 (below 1.0: C lacks 1 teacher)
    多媒体教室 C 8 → 2.0 < 2.3: needs 2.3 × 4 = 9.2 → 10 rooms, +2
    """
    return [
        school("A", teachers_primary=45, backbone_teachers_primary=40),
        school("B"),
        school("C", backbone_teachers_primary=3, multimedia_rooms=8),
    ]


def test_water_level_is_the_lowest_common_floor_meeting_the_limit() -> None:
    # values 10, L, L with equal weights: mean (10+2L)/3, SD √2(10−L)/3, so
    # CV(L) = √2(10−L)/(10+2L) = 0.5  ⇔  L = (20√2 − 10)/(2 + 2√2) = 25 − 15√2 = 3.786797…
    method = CVMethod()
    level = water_level(np.array([10.0, 1.0, 1.0]), np.full(3, 400.0), 0.5, method)
    assert level == pytest.approx(25 - 15 * math.sqrt(2), rel=1e-9)
    # values already within the aim: no raise (the lowest value comes back)
    assert water_level(np.array([2.0, 2.1, 1.9]), np.full(3, 400.0), 0.5, method) == 1.9


def test_flatten_ceiling_cuts_the_highest_cvs_to_one_level() -> None:
    # (0.2 + 0.4 + t)/3 = 0.4 → t = 0.6 (and 0.4 ≤ 0.6 ≤ 0.9: only the 0.9 is cut)
    assert flatten_ceiling(np.array([0.9, 0.2, 0.4]), 0.4) == pytest.approx(0.6)
    # all three above: t = the limit itself
    assert flatten_ceiling(np.array([0.5, 0.6, 0.7]), 0.3) == pytest.approx(0.3)


def test_three_school_plan_worked_out_by_hand(tmp_path: Path) -> None:
    validated, before = county(tmp_path, hand_county())
    # 骨干教师 CV before: values 10, 1, 0.75, mean 11.75/3 = 3.916667,
    # deviations 6.083333, −2.916667, −3.166667, squares 37.006944 + 8.506944 + 10.027778
    # = 55.541667, /3 = 18.513889, SD 4.302777, CV 1.098581
    assert cv_of(before, Level.PRIMARY, BACKBONE) == pytest.approx(1.098581, rel=1e-6)
    plan = make_plan(validated, QUALITY, before)
    got = {(a.name, a.indicator): (a.to_threshold, a.for_cv) for a in plan.additions}
    # Step 1, the school rule: C fails (骨干 0.75 < 85 % × 1.0 = 0.85; rooms 2.0 ≥ 0.85 × 2.3
    #   = 1.955 is near; 5 met). (a) 骨干 to the floor: 0.85 × 400/100 = 3.4 → 4 teachers, +1,
    #   which makes 1.0: met. Now 6 met and none below: C passes, its rooms get nothing.
    # Step 2: values now 10, 1, 1 → CV 1.0607 > 0.5; floor L = 3.786797 (above):
    #   each of B and C needs L × 400/100 = 15.147 骨干 teachers, has 4 → 11.147 → 12.
    assert got == {("C", BACKBONE): (1.0, 12.0), ("B", BACKBONE): (0.0, 12.0)}
    totals = {t.indicator: (t.to_threshold, t.for_cv, t.schools) for t in plan.totals}
    assert totals[BACKBONE] == (1.0, 24.0, 2)
    assert all(t.total == 0 for t in plan.totals if t.indicator != BACKBONE)
    assert not plan.full
    # After: 骨干 10, 4, 4 (16/400): mean 6, deviations 4, −2, −2, variance 24/3 = 8,
    # SD 2√2, CV 2√2/6 = 0.471405 ≤ 0.5; every school meets every threshold.
    after = plan.outcome.after
    assert cv_of(after, Level.PRIMARY, BACKBONE) == pytest.approx(math.sqrt(8) / 6, rel=1e-12)
    assert unit_value(after, "B", BACKBONE) == 4.0
    assert unit_value(after, "C", ROOMS) == 2.0  # 8 / 400 × 100: near, and that is allowed
    assert all(u.passed for u in after.units) and after.passed is True and plan.reached
    # The scenario: one entry per school and quantity, teachers new (专任教师数 rises too).
    entries = {(c.school, c.quantity): c.amount for c in plan.scenario.changes}
    assert entries == {("C", "县级以上骨干教师数"): 13.0, ("B", "县级以上骨干教师数"): 12.0}
    # --full raises every unit to every threshold: C's rooms too, 2.3 × 4 = 9.2 → 10, +2.
    full = make_plan(validated, QUALITY, before, full=True)
    assert full.full
    assert {(a.name, a.indicator): a.to_threshold for a in full.additions if a.to_threshold} == {
        ("C", BACKBONE): 1.0,
        ("C", ROOMS): 2.0,
    }
    frame = plan.outcome.applied.frame
    assert frame.loc[frame["name"] == "B", "teachers_primary"].item() == 22 + 12
    assert validated.frame.loc[validated.frame["name"] == "B", "teachers_primary"].item() == 22


def test_full_threshold_step_equals_the_gap_list_of_evaluate(tmp_path: Path) -> None:
    validated, before = county(tmp_path, round_trip_county())
    plan = make_plan(validated, QUALITY, before, full=True)
    gaps = {g.indicator: g.amount for g in before.gap_totals}
    assert {t.indicator: t.to_threshold for t in plan.totals} == gaps
    assert sum(gaps.values()) > 0


# -- 2. the required round trip ----------------------------------------------------------------


def round_trip_county() -> list[dict[str, Any]]:
    """Thresholds fail (E, F, J), and 骨干教师 stays over its CV limit after step 1 (A's 40)."""
    return [
        *hand_county(),
        school("D", students=120, teaching_area=400.0, sports_ground_area=700.0),
        school("E", students=900, equipment_value=1_200_000.0, qualified_teachers_primary=30),
        school("F", students=60, multimedia_rooms=1, pe_arts_teachers_primary=0),
        nine_year("J"),  # 教学用房 2000 ㎡ is short for both parts (742 ㎡ whole-school)
        junior("K", sports_ground_area=2500.0, backbone_teachers_junior=1),
        junior("L", backbone_teachers_junior=14, teachers_junior=34),
    ]


def test_plan_saved_as_scenario_then_applied_makes_everything_pass(tmp_path: Path) -> None:
    path = write_county_file(tmp_path / "county.xlsx", round_trip_county())
    digest = hashlib.sha256(path.read_bytes()).hexdigest()
    saved = tmp_path / "方案.yaml"
    result = CliRunner().invoke(
        app,
        ["plan", str(path), "-s", "quality-2017", "-f", "json", "--save-plan", str(saved)],
    )
    assert result.exit_code == 0, result.output
    doc = json.loads(result.stdout)
    assert doc["reached"] is True
    # the county failed before: schools below thresholds and a CV over its limit
    levels = {lv["level"]: lv for lv in doc["levels"]}
    assert levels["primary"]["failed_before"] > 0 and levels["junior"]["failed_before"] > 0
    assert levels["primary"]["cv_passed_before"] is False
    # step 2 was needed: additions that only serve the CV
    assert sum(t["for_cv"] for t in doc["totals"]) > 0
    # Re-evaluate from the saved file, as an analyst would
    scenario = load_scenario(saved)
    validated, before = load(path)
    applied = apply_scenario(validated.frame, scenario, QUALITY, str(saved))
    after = evaluate(replace(validated, frame=applied.frame), QUALITY)
    assert before.passed is False
    assert all(u.passed for u in after.units)
    assert every_cv_within(after)
    assert after.passed is True
    assert hashlib.sha256(path.read_bytes()).hexdigest() == digest  # input untouched
    # the CLI agrees, and --strict is satisfied
    checked = CliRunner().invoke(
        app,
        ["plan", str(path), "--standard", "quality-2017", "--scenario", str(saved), "--strict"],
    )
    assert checked.exit_code == 0, checked.output
    assert "未达标学校" in checked.stdout


small_counties = st.lists(
    st.tuples(
        st.integers(30, 900),  # pupils
        st.integers(0, 25),  # 骨干教师
        st.floats(1.0, 9.0),  # ㎡ of 教学用房 per pupil
        st.integers(0, 20),  # 多媒体教室
    ),
    min_size=3,
    max_size=7,
)


@pytest.mark.slow
@settings(
    max_examples=examples(10),
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
@given(rows=small_counties)
def test_any_plan_brings_every_school_and_cv_to_the_standard(rows) -> None:
    schools = [
        school(
            f"S{n}",
            students=pupils,
            teachers_primary=round(22 * pupils / 400) + backbone,
            backbone_teachers_primary=backbone,
            teaching_area=round(area * pupils, 1),
            multimedia_rooms=rooms,
        )
        for n, (pupils, backbone, area, rooms) in enumerate(rows)
    ]
    with tempfile.TemporaryDirectory() as tmp:
        validated, before = county(Path(tmp), [*schools, nine_year("J")])
        plan = make_plan(validated, QUALITY, before)
    after = plan.outcome.after
    assert all(u.passed for u in after.units)
    assert every_cv_within(after)
    # rounding only adds: every addition is a whole number of teachers, rooms, ㎡ or 元
    assert all(a.total == int(a.total) and a.total > 0 for a in plan.additions)


def test_step_one_follows_the_school_rule_by_hand(tmp_path: Path) -> None:
    """P: a 400-pupil 小学 below the floor on 骨干 (0 < 0.85) and 多媒体教室 (4 → 1.0 < 1.955),
    near on 教学用房 (1700 → 4.25 ≥ 3.825) and 仪器设备 (760,000 → 1,900 ≥ 1,700); 3 met.
    (a) floors: 骨干 0.85 × 4 = 3.4 → 4 teachers (1.0: met); rooms 1.955 × 4 = 7.82 → 8, +4
        (2.0: not met). Met: 高学历, 体艺, 场馆, 骨干 = 4 of 6 needed, so 2 more.
    (b) relative shortfalls of the not-met: 设备 (2000 − 1900)/2000 = 0.05, 用房
        (4.5 − 4.25)/4.5 = 0.0556, rooms (2.3 − 2.0)/2.3 = 0.1304: 设备 and 用房 to the
        threshold: 设备 2000 × 400 − 760,000 = 40,000 元, 用房 4.5 × 400 − 1700 = 100 ㎡.
    Rooms stay at 2.0 (near): --full would add 2 more."""
    schools = [
        school(
            "P",
            backbone_teachers_primary=0,
            multimedia_rooms=4,
            teaching_area=1700.0,
            equipment_value=760_000.0,
        ),
        # Q: 多媒体教室 9 → 2.25 ≥ 1.955 (near), the other six met: Q passes and gets nothing.
        school("Q", multimedia_rooms=9),
        school("R"),
        school("S"),
    ]
    validated, before = county(tmp_path, schools)
    plan = make_plan(validated, QUALITY, before)
    got = {(a.name, a.indicator): a.to_threshold for a in plan.additions if a.to_threshold}
    assert got == {
        ("P", BACKBONE): 4.0,
        ("P", ROOMS): 4.0,
        ("P", "equipment_value_per_student"): 40_000.0,
        ("P", "teaching_area_per_student"): 100.0,
    }
    after = plan.outcome.after
    assert unit_value(after, "P", ROOMS) == 2.0  # 8 / 400 × 100: near, allowed by the rule
    assert all(u.passed for u in after.units)


def step_one_scenario(plan) -> list[AddChange]:
    """The step-1 part of a plan as 增加 entries (one per school, quantity and level)."""
    return [
        AddChange(
            school=a.name, quantity=a.field, amount=a.to_threshold, level=a.level, note=a.indicator
        )
        for a in plan.additions
        if a.to_threshold > 0
    ]


def failing_units(validated, standard, changes: list[AddChange]) -> set[tuple[str, Level]]:
    frame = validated.frame
    if changes:
        frame = apply_scenario(frame, Scenario(changes=changes), standard).frame
    after = evaluate(replace(validated, frame=frame), standard)
    return {(u.name, u.level) for u in after.units if not u.passed}


def test_removing_any_step_one_entry_makes_a_school_fail(tmp_path: Path) -> None:
    """Minimality of step 1 (default mode): its entries alone make every unit pass the school
    rule, and without any one of them some unit fails it again."""
    validated, before = county(tmp_path, round_trip_county())
    plan = make_plan(validated, QUALITY, before)
    entries = step_one_scenario(plan)
    assert len(entries) >= 5
    assert failing_units(validated, QUALITY, []), "the county must fail to begin with"
    assert failing_units(validated, QUALITY, entries) == set()
    for n in range(len(entries)):
        rest = entries[:n] + entries[n + 1 :]
        assert failing_units(validated, QUALITY, rest), f"entry {entries[n]} is not needed"
    # schools whose every level unit passes before get nothing in step 1 (J's 初中 part
    # passes, its 小学 part does not)
    failing = {u.name for u in before.units if not u.passed}
    passing = {u.name for u in before.units} - failing
    assert passing == {"A", "B", "L"} and not passing & {e.school for e in entries}


def test_new_teachers_of_a_kind_count_for_the_teacher_ratio(tmp_path: Path) -> None:
    """basic-2012 judged on each CV (limit 0.5 here). A, B, C: 400 pupils; 专任教师 40, 10, 10
    and 高学历 40, 10, 10, so both 师生比 and 高学历 are 0.1, 0.025, 0.025: CV of (4, 1, 1) =
    √2/2 = 0.707107. Water level for 高学历: L/0.1 = 25 − 15√2 = 0.378680 (values 10, L, L):
    0.0378680 × 400 = 15.147 → 16 teachers, +6 each at B and C. Those 6 are new hires, so
    专任教师 become 40, 16, 16: 师生比 CV: mean 24, deviations 16, −8, −8, variance 384/3 =
    128, CV √128/24 = 0.471405 ≤ 0.5. So 师生比 needs nothing: no 专任教师 entry at all."""
    each = BASIC.model_copy(
        update={
            "judgement": BASIC.judgement.model_copy(
                update={"mode": "each", "limits": {Level.PRIMARY: 0.5, Level.JUNIOR: 0.5}}
            )
        }
    )
    schools = [
        school("A", teachers_primary=40, qualified_teachers_primary=40),
        school("B", teachers_primary=10, qualified_teachers_primary=10),
        school("C", teachers_primary=10, qualified_teachers_primary=10),
    ]
    validated, before = county(
        tmp_path, [{**s, "senior_title_teachers_primary": 5} for s in schools], each
    )
    assert cv_of(before, Level.PRIMARY, "teachers_per_student") == pytest.approx(
        math.sqrt(2) / 2, rel=1e-12
    )
    plan = make_plan(validated, each, before)
    got = {(a.name, a.indicator): a.total for a in plan.additions}
    assert got == {
        ("B", "qualified_teachers_per_student"): 6.0,
        ("C", "qualified_teachers_per_student"): 6.0,
    }
    after = plan.outcome.after
    assert cv_of(after, Level.PRIMARY, "teachers_per_student") == pytest.approx(
        math.sqrt(128) / 24, rel=1e-12
    )
    assert after.passed is True


def test_composite_standard_plans_for_the_composite(tmp_path: Path) -> None:
    """basic-2012 judges only the composite (小学 ≤ 0.65). A has ten times B's and C's
    rooms, grounds, equipment, books and computers: each of those 5 CVs is that of 10, 1, 1,
    i.e. √18/4 = 1.060660; the 3 teacher CVs are 0, so the composite is 5 × 1.060660 / 8 =
    0.662913 > 0.65. The flattening ceiling t: 5t/8 = 0.65 → t = 1.04."""
    ten = {
        "teaching_area": 18000.0,
        "sports_ground_area": 30000.0,
        "equipment_value": 8_000_000.0,
        "books": 120000,
        "computers": 600,
    }
    validated, before = county(tmp_path, [school("A", **ten), school("B"), school("C")], BASIC)
    primary = before.levels[0]
    assert primary.composite_cv == pytest.approx(5 * math.sqrt(18) / 4 / 8, rel=1e-9)
    plan = make_plan(validated, BASIC, before)
    after = plan.outcome.after.levels[0]
    assert after.composite_cv <= 0.65 and after.passed is True
    for ind in after.indicators:
        assert ind.cv <= 1.04 + 1e-9, ind.id
    # only B and C are raised, each by the same amount per indicator (they are alike)
    assert {a.name for a in plan.additions} == {"B", "C"}
    assert all(a.to_threshold == 0 for a in plan.additions)


# -- 3. scenarios --------------------------------------------------------------------------------


def write_scenario(tmp: Path, text: str) -> Path:
    path = tmp / "方案.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def test_a_move_changes_both_schools_exactly(tmp_path: Path) -> None:
    # A: 8 骨干 of 400 pupils = 2.0; B: 2 = 0.5. Move 2: A 6 → 1.5, B 4 → 1.0.
    # CV before: values 2.0, 0.5 (equal weights): mean 1.25, SD 0.75, CV 0.6.
    # CV after: 1.5, 1.0: mean 1.25, SD 0.25, CV 0.2.
    validated, before = county(
        tmp_path,
        [school("A", backbone_teachers_primary=8), school("B", backbone_teachers_primary=2)],
    )
    path = write_scenario(
        tmp_path, "变化:\n  - 调出: A\n    调入: B\n    教师: 县级以上骨干教师\n    数量: 2\n"
    )
    outcome = run_scenario(validated, QUALITY, load_scenario(path), before, "方案文件")
    after = outcome.after
    assert unit_value(before, "A", BACKBONE) == 2.0 and unit_value(after, "A", BACKBONE) == 1.5
    assert unit_value(before, "B", BACKBONE) == 0.5 and unit_value(after, "B", BACKBONE) == 1.0
    assert cv_of(before, Level.PRIMARY, BACKBONE) == pytest.approx(0.6, rel=1e-12)
    assert cv_of(after, Level.PRIMARY, BACKBONE) == pytest.approx(0.2, rel=1e-12)
    cells = {(c.school, c.column): (c.before, c.after) for c in outcome.applied.changes[0].cells}
    assert cells == {
        ("A", "backbone_teachers_primary"): (8.0, 6.0),
        ("A", "teachers_primary"): (22.0, 20.0),  # a teacher moves with her title
        ("B", "backbone_teachers_primary"): (2.0, 4.0),
        ("B", "teachers_primary"): (22.0, 24.0),
    }
    # the everything else stays: B's qualified teachers 17, A's rooms
    assert outcome.applied.frame["qualified_teachers_primary"].tolist() == [17.0, 17.0]
    assert validated.frame["backbone_teachers_primary"].tolist() == [8.0, 2.0]  # untouched


def test_a_move_takes_along_the_kinds_every_remaining_teacher_could_not_hold(
    tmp_path: Path,
) -> None:
    # A has 10 teachers, all 10 高于规定学历, 4 骨干. Two 骨干 leave: 8 teachers remain, who
    # can hold at most 8 高学历, so both movers are 高学历 too: A 10 → 8, B 17 → 19.
    validated, _ = county(
        tmp_path,
        [
            school("A", students=200, teachers_primary=10, qualified_teachers_primary=10),
            school("B"),
        ],
    )
    scenario = Scenario(changes=[MoveChange(source="A", target="B", kinds=["骨干教师"], amount=2)])
    applied = apply_scenario(validated.frame, scenario, QUALITY)
    frame = applied.frame.set_index("name")
    assert frame.loc["A", "qualified_teachers_primary"] == 8
    assert frame.loc["B", "qualified_teachers_primary"] == 19
    assert frame.loc["A", "teachers_primary"] == 8
    assert "2 名必然也是高于规定学历教师" in applied.changes[0].carried[0]


def test_additions_in_chinese_names_and_ids(tmp_path: Path) -> None:
    validated, _ = county(tmp_path, [school("A"), nine_year("J")])
    text = (
        "名称: 试算\n变化:\n"
        "  - {学校: A, 增加: 县级以上骨干教师, 数量: 3}\n"  # new teachers: 专任 22 → 25
        "  - {学校: A, 增加: 高于规定学历教师, 数量: 2, 新增教师: 否}\n"  # existing: 专任 stays
        "  - {学校: J, 增加: 初中体育艺术专任教师数, 数量: 1}\n"  # the level in the name
        "  - {学校: J, 增加: 教学及辅助用房面积（㎡）, 数量: 800}\n"
        "  - {学校: A, 增加: equipment_value, 数量: -50000}\n"  # a reduction
    )
    applied = apply_scenario(
        validated.frame, load_scenario(write_scenario(tmp_path, text)), QUALITY
    )
    frame = applied.frame.set_index("name")
    assert frame.loc["A", "backbone_teachers_primary"] == 4 + 3
    assert frame.loc["A", "qualified_teachers_primary"] == 17 + 2
    assert frame.loc["A", "teachers_primary"] == 22 + 3
    assert frame.loc["J", "pe_arts_teachers_junior"] == 2 + 1
    assert frame.loc["J", "teachers_junior"] == 15 + 1
    assert frame.loc["J", "teaching_area"] == 2800.0
    assert frame.loc["A", "equipment_value"] == 750000.0
    assert [c.entry for c in applied.changes] == [1, 2, 3, 4, 5]


@pytest.mark.parametrize(
    ("text", "quantity", "level"),
    [
        ("小学县级以上骨干教师数", "backbone_teachers", Level.PRIMARY),
        ("backbone_teachers_junior", "backbone_teachers", Level.JUNIOR),
        ("教学及辅助用房面积（㎡）", "teaching_area", None),
        ("体育场馆", "sports_ground_area", None),  # an indicator's name → its last field
        ("多媒体教室", "multimedia_rooms", None),
        ("专任教师", "teachers", None),
    ],
)
def test_quantities_are_found_by_chinese_name_or_id(text, quantity, level) -> None:
    assert resolve_quantity(text, QUALITY) == (quantity, level)


SCENARIO_ERRORS = [
    # (entries, what the message must say)
    ("  - {学校: 无此校, 增加: 骨干教师, 数量: 1}\n", "第 1 项变化（无此校）：找不到学校“无此校”"),
    ("  - {学校: A, 增加: 校车, 数量: 1}\n", "不认识的数量“校车”"),
    (
        "  - {调出: B, 调入: A, 教师: 骨干教师, 数量: 5}\n",
        "B 只有 4 名县级以上骨干教师，不够调出 5 名",
    ),
    ("  - {学校: A, 增加: 教学及辅助用房, 数量: -2000}\n", "变化后教学及辅助用房面积为负数"),
    ("  - {学校: A, 增加: 骨干教师, 数量: 1.5}\n", "县级以上骨干教师须为整数"),
    ("  - {学校: J, 增加: 骨干教师, 数量: 1}\n", "请写“学段: 小学”或“学段: 初中”"),
    (
        "  - {学校: A, 增加: 骨干教师, 数量: 19, 新增教师: 否}\n",
        # entry 1 added a new 骨干 (5 of 23 teachers); 19 more existing ones make 24 > 23
        "变化后小学县级以上骨干教师数（24）超过小学专任教师数（23）",
    ),
    ("  - {学校: A, 增加: 骨干教师, 数目: 1}\n", "不认识的键“数目”"),
    ("  - {学校: A, 增加: 骨干教师}\n", "第 1 项变化（A）：缺少“数量”"),
    ("  - {调出: A, 调入: A, 教师: 骨干教师, 数量: 1}\n", "调出和调入是同一所学校"),
    ("  - {调出: A, 调入: B, 教师: 教学仪器设备, 数量: 1}\n", "只能调动教师"),
    ("  - {某某: 1}\n", "无法判断是哪种变化"),
]


@pytest.mark.parametrize(("entries", "message"), SCENARIO_ERRORS)
def test_scenario_errors_name_the_file_and_the_entry(tmp_path: Path, entries, message) -> None:
    validated, _ = county(tmp_path, [school("A"), school("B"), nine_year("J")])
    path = write_scenario(tmp_path, "变化:\n  - {学校: A, 增加: 骨干教师, 数量: 1}\n" + entries)
    with pytest.raises(ScenarioError) as caught:
        apply_scenario(validated.frame, load_scenario(path), QUALITY, f"方案文件 {path}")
    text = str(caught.value)
    assert str(path) in text
    assert "第 2 项变化" in text  # the first entry is fine; the second is named
    assert message.replace("第 1 项", "第 2 项") in text


def test_the_cli_refuses_a_bad_scenario_with_exit_2(tmp_path: Path) -> None:
    path = write_county_file(tmp_path / "county.xlsx", [school("A"), school("B")])
    bad = write_scenario(tmp_path, "变化:\n  - {学校: A, 增加: 骨干教师, 数量: 1}\n  - 1\n")
    result = CliRunner().invoke(
        app, ["plan", str(path), "--standard", "quality-2017", "--scenario", str(bad)]
    )
    assert result.exit_code == 2
    assert f"方案文件 {bad}" in result.stderr and "第 2 项变化" in result.stderr
    missing = CliRunner().invoke(app, ["plan", str(path), "--scenario", str(tmp_path / "无.yaml")])
    assert missing.exit_code == 2 and "找不到方案文件" in missing.stderr
    both = CliRunner().invoke(app, ["plan", str(path), "--scenario", str(bad), "--transfers"])
    assert both.exit_code == 2


# -- 4. teacher transfers ----------------------------------------------------------------------


def test_transfers_by_hand(tmp_path: Path) -> None:
    """Four 400-pupil 小学, 骨干 12, 8, 2, 2 → 3.0, 2.0, 0.5, 0.5 (one teacher = 0.25).
    Mean 1.5, variance (2.25 + 0.25 + 1 + 1)/4 = 1.125, CV √1.125/1.5 = 0.707107 > 0.5.
      1. A → C: 2.75, 2.0, 0.75, 0.5: variance (1.5625 + 0.25 + 0.5625 + 1)/4 = 0.84375
      2. A → D: 2.5, 2.0, 0.75, 0.75: variance (1 + 0.25 + 0.5625 + 0.5625)/4 = 0.59375,
         CV 0.513743, still over
      3. A → C: 2.25, 2.0, 1.0, 0.75: variance (0.5625 + 0.25 + 0.25 + 0.5625)/4 = 0.40625
         (B → C would give 0.46875), CV √0.40625/1.5 = 0.424918 ≤ 0.5: stop.
    """
    schools = [
        school("A", backbone_teachers_primary=12),
        school("B", backbone_teachers_primary=8),
        school("C", backbone_teachers_primary=2),
        school("D", backbone_teachers_primary=2),
    ]
    validated, before = county(tmp_path, schools)
    found = suggest_transfers(validated, QUALITY, before)
    backbone = next(t for t in found.lists if t.indicator == BACKBONE and t.level == Level.PRIMARY)
    assert backbone.cv_before == pytest.approx(math.sqrt(1.125) / 1.5, rel=1e-12)
    assert backbone.cv_after == pytest.approx(math.sqrt(0.40625) / 1.5, rel=1e-12)
    assert backbone.stop == REACHED and backbone.teachers == 3
    moves = [
        (m.source_name, m.target_name, m.count, m.source_before, m.source_after, *m_target(m))
        for m in backbone.moves
    ]
    assert moves == [
        ("A", "C", 2, 3.0, 2.25, 0.5, 1.0),  # A's value before its first and after its last
        ("A", "D", 1, 2.75, 2.5, 0.5, 0.75),
    ]
    others = [t for t in found.lists if t.indicator != BACKBONE]
    assert all(t.stop == WITHIN and not t.moves for t in others)
    # applied as a scenario and re-evaluated, the CV is the same
    assert cv_of(found.outcome.after, Level.PRIMARY, BACKBONE) == pytest.approx(
        backbone.cv_after, rel=1e-12
    )


def m_target(move) -> tuple[float, float]:
    return move.target_before, move.target_after


def test_a_donor_is_never_taken_below_its_threshold(tmp_path: Path) -> None:
    """A: 5 骨干 of 400 = 1.25, B: 0. Mean 0.625, CV 1.0. One move: A 1.0 (= its threshold),
    B 0.25: CV 0.375/0.625 = 0.6, still over; A cannot give again (0.75 < 1.0)."""
    validated, before = county(
        tmp_path,
        [school("A", backbone_teachers_primary=5), school("B", backbone_teachers_primary=0)],
    )
    found = suggest_transfers(validated, QUALITY, before)
    backbone = next(t for t in found.lists if t.indicator == BACKBONE)
    assert [(m.source_after, m.target_after, m.count) for m in backbone.moves] == [(1.0, 0.25, 1)]
    assert backbone.stop == NO_DONOR
    assert backbone.cv_after == pytest.approx(0.6, rel=1e-12)


transfer_counties = st.lists(
    st.tuples(st.integers(40, 1200), st.integers(0, 30)), min_size=3, max_size=9
)


@pytest.mark.slow
@settings(
    max_examples=examples(12),
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
@given(rows=transfer_counties, cap=st.integers(1, 40))
def test_transfers_lower_the_cv_and_keep_donors_at_their_threshold(rows, cap) -> None:
    schools = [
        school(
            f"S{n}",
            students=pupils,
            teachers_primary=round(22 * pupils / 400) + backbone,
            backbone_teachers_primary=backbone,
        )
        for n, (pupils, backbone) in enumerate(rows)
    ]
    with tempfile.TemporaryDirectory() as tmp:
        validated, before = county(Path(tmp), schools)
        found = suggest_transfers(validated, QUALITY, before, max_moves=cap)
    backbone = next(t for t in found.lists if t.indicator == BACKBONE)
    before_met = {u.name for u in before.units if u.values[BACKBONE] >= 1.0 - 1e-9}
    if backbone.moves:
        assert backbone.cv_after < backbone.cv_before
        assert backbone.teachers <= cap
        after = found.outcome.after
        assert cv_of(after, Level.PRIMARY, BACKBONE) == pytest.approx(backbone.cv_after)
        after_met = {u.name for u in after.units if u.values[BACKBONE] >= 1.0 - 1e-9}
        assert before_met <= after_met  # nobody who met the threshold falls below it
        donors = {m.source_name for m in backbone.moves}
        assert all(unit_value(after, d, BACKBONE) >= 1.0 - 1e-9 for d in donors)
        total_before = sum(s["backbone_teachers_primary"] for s in schools)
        total_after = found.outcome.applied.frame["backbone_teachers_primary"].sum()
        assert total_after == total_before  # no new hires
    else:
        assert backbone.stop != REACHED or backbone.cv_before <= 0.5


# -- 5. the command ------------------------------------------------------------------------------


def test_plan_command_table_xlsx_and_refusals(tmp_path: Path) -> None:
    path = write_county_file(tmp_path / "county.xlsx", hand_county())
    runner = CliRunner()
    shown = runner.invoke(app, ["plan", str(path), "--standard", "quality-2017"])
    assert shown.exit_code == 0, shown.output
    assert "全县合计" in shown.stdout and "结论：按此方案补充后，小学 达标" in shown.stdout
    assert "降低差异系数 12 名" in shown.stdout  # B's line
    book = tmp_path / "方案.xlsx"
    written = runner.invoke(app, ["plan", str(path), "-s", "quality-2017", "-o", str(book)])
    assert written.exit_code == 0, written.output
    from openpyxl import load_workbook

    sheets = load_workbook(book).sheetnames
    assert sheets == ["说明", "差异系数", "全县合计", "各校补充"]
    again = runner.invoke(app, ["plan", str(path), "-s", "quality-2017", "-o", str(book)])
    assert again.exit_code == 2 and "已存在" in again.stderr
    over_input = runner.invoke(app, ["plan", str(path), "--save-plan", str(path)])
    assert over_input.exit_code == 2
    moved = runner.invoke(
        app, ["plan", str(path), "-s", "quality-2017", "--transfers", "--format", "json"]
    )
    assert moved.exit_code == 0, moved.output
    doc = json.loads(moved.stdout)
    assert doc["kind"] == "transfers" and doc["teachers_moved"] > 0
    # 14 骨干 move from A (40) to C and B: C reaches 2.5 and, with its rooms at 87 % (near),
    # passes; the CV falls from 1.0986 to 0.4671, so the county passes without new hires
    assert doc["teachers_moved"] == 14 and doc["levels"][0]["passed_after"] is True
    strict = runner.invoke(
        app, ["plan", str(path), "-s", "quality-2017", "--transfers", "--strict"]
    )
    assert strict.exit_code == 0
    small = write_scenario(tmp_path, "变化:\n  - {学校: B, 增加: 教学及辅助用房, 数量: 1}\n")
    unchanged = runner.invoke(
        app, ["plan", str(path), "-s", "quality-2017", "--scenario", str(small), "--strict"]
    )
    assert unchanged.exit_code == 3  # evaluated after the change, still not compliant


def test_a_county_that_already_passes_needs_nothing(tmp_path: Path) -> None:
    validated, before = county(tmp_path, [school("A"), school("B")])
    plan = make_plan(validated, QUALITY, before)
    assert plan.scenario is None and plan.additions == [] and plan.reached
    result = CliRunner().invoke(
        app,
        ["plan", str(tmp_path / "county.xlsx"), "-s", "quality-2017", "--save-plan", "p.yaml"],
    )
    assert result.exit_code == 0 and "无需补充" in result.stdout
    assert not (tmp_path / "p.yaml").exists()


def test_plan_scenario_entries_round_trip_through_yaml(tmp_path: Path) -> None:
    scenario = Scenario(
        title="t",
        changes=[
            AddChange(school="0123", quantity="县级以上骨干教师数", amount=2, level=Level.JUNIOR),
            MoveChange(source="A", target="B", kinds=["专任教师"], amount=1),
        ],
    )
    from junheng_cli.workflows.scenario import scenario_yaml

    path = write_scenario(tmp_path, scenario_yaml(scenario, ["注释"]))
    assert load_scenario(path) == scenario  # "0123" stays text, 学段 is written in Chinese
    assert "学段: 初中" in path.read_text(encoding="utf-8")


# -- 6. review fixes: CVs under other standards, formatting, messages ---------------------------


def test_transfers_stop_on_the_cv_the_standard_reports(tmp_path: Path) -> None:
    """An unweighted, sample-SD standard with a 小学 limit of 0.45, on the county of
    test_transfers_by_hand (骨干 3.0, 2.0, 0.5, 0.5; equal enrollments). Sample variance =
    population × 4/3. After 3 moves (2.25, 2.0, 1.0, 0.75): population CV 0.424918 would stop
    (≤ 0.45), but the sample CV is √(0.40625 × 4/3)/1.5 = 0.490653 > 0.45: go on.
    4th move A → D (2.0, 2.0, 1.0, 1.0): population variance 0.25, sample 1/3,
    CV √(1/3)/1.5 = 0.384900 ≤ 0.45 (B → D would leave 0.28125 × 4/3: worse)."""
    sample = QUALITY.model_copy(
        update={
            "cv": CVMethod(weighting="unweighted", sd="sample"),
            "judgement": QUALITY.judgement.model_copy(
                update={"limits": {Level.PRIMARY: 0.45, Level.JUNIOR: 0.45}}
            ),
        }
    )
    schools = [
        school("A", backbone_teachers_primary=12),
        school("B", backbone_teachers_primary=8),
        school("C", backbone_teachers_primary=2),
        school("D", backbone_teachers_primary=2),
    ]
    validated, before = county(tmp_path, schools, sample)
    found = suggest_transfers(validated, sample, before)
    backbone = next(t for t in found.lists if t.indicator == BACKBONE)
    # before: population 1.125 × 4/3 = 1.5, CV √1.5/1.5 = 0.816497
    assert backbone.cv_before == pytest.approx(math.sqrt(1.5) / 1.5, rel=1e-12)
    assert backbone.stop == REACHED and backbone.teachers == 4
    assert backbone.cv_after == pytest.approx(math.sqrt(1 / 3) / 1.5, rel=1e-12)
    assert backbone.cv_after <= 0.45
    assert cv_of(found.outcome.after, Level.PRIMARY, BACKBONE) == pytest.approx(
        backbone.cv_after, rel=1e-12
    )


def test_amounts_of_a_million_and_more_are_never_in_scientific_notation(tmp_path: Path) -> None:
    from junheng_cli.model.fields import number_text, quantity_text
    from junheng_cli.report.terminal.plan import _cells_text

    assert number_text(2_080_810.0) == "2,080,810" and number_text(2.5) == "2.50"
    assert quantity_text(563_190.0, "元") == "56.32 万元"  # 563,190 / 10,000
    assert quantity_text(1_250_000.0, "㎡") == "1,250,000 ㎡"
    validated, before = county(tmp_path, [school("A", equipment_value=2_080_810.0), school("B")])
    text = "变化:\n  - {学校: A, 增加: 教学仪器设备值, 数量: 563190}\n"
    outcome = run_scenario(
        validated, QUALITY, load_scenario(write_scenario(tmp_path, text)), before
    )
    # 2,080,810 → 2,644,000 元: 208.08 → 264.40 万元
    assert (
        str(_cells_text(outcome.applied.changes[0])) == "A 教学仪器设备值 208.08 万元 → 264.40 万元"
    )
    assert "56.32 万元教学仪器设备" in outcome.applied.changes[0].description
    too_much = "变化:\n  - {学校: B, 增加: 教学仪器设备值, 数量: -2000000}\n"
    with pytest.raises(ScenarioError, match="现有 800,000，变化 −2,000,000"):
        run_scenario(validated, QUALITY, load_scenario(write_scenario(tmp_path, too_much)), before)


@pytest.mark.parametrize(
    ("text", "where", "why"),
    [
        ("变化:\n  - 学校: A\n   增加: 骨干教师\n", "第 3 行第 4 列", "缩进不一致"),
        ("变化:\n  - 学校: A: B\n", "第 2 行第 10 列", "这里不能有冒号"),
        ("变化:\n\t- 学校: A\n", "第 2 行第 1 列", "不能用 Tab 缩进"),
    ],
)
def test_yaml_mistakes_are_explained_in_chinese_with_line_and_column(
    tmp_path: Path, text: str, where: str, why: str
) -> None:
    path = write_scenario(tmp_path, text)
    with pytest.raises(ScenarioError) as caught:
        load_scenario(path)
    message = str(caught.value)
    assert message.startswith(f"方案文件 {path} {where}有 YAML 格式错误")
    assert why in message and "expected" not in message and "while" not in message


def test_messages_say_what_really_happened(tmp_path: Path) -> None:
    point = school("红旗村教学点", students=30, type="教学点")
    validated, before = county(tmp_path, [school("A"), school("B", students=40), point], BASIC)
    cases = {
        # basic-2012 leaves 教学点 out: say so, not "没有小学学段"
        "  - {学校: 红旗村教学点, 增加: 高于规定学历教师, 数量: 1}\n": "不在标准 basic-2012 的评",
        # a reduction of more teachers than there are is 减少, not 调出
        "  - {学校: A, 增加: 专任教师, 数量: -30}\n": "A 只有 22 名小学专任教师，不够减少 30 名",
    }
    for entry, message in cases.items():
        path = write_scenario(tmp_path, "变化:\n" + entry)
        with pytest.raises(ScenarioError, match=message):
            run_scenario(validated, BASIC, load_scenario(path), before)
    # B (40 pupils, 2 teachers: round(22 × 0.1)) gives all its teachers away: a warning
    path = write_scenario(tmp_path, "变化:\n  - {调出: B, 调入: A, 教师: 专任教师, 数量: 2}\n")
    outcome = run_scenario(validated, BASIC, load_scenario(path), before)
    warning = outcome.applied.changes[0].carried[-1]
    assert warning == "注意：变化后B小学专任教师为 0，而在校生有 40 名"
    # a compliant county under basic-2012 (no per-school standard) is not told about schools
    fine = tmp_path / "fine"
    fine.mkdir()
    path = write_county_file(fine / "county.xlsx", [school("A"), school("B")])
    result = CliRunner().invoke(app, ["plan", str(path), "--standard", "basic-2012"])
    assert result.exit_code == 0, result.output
    assert "各项差异系数都在限值以内：无需补充" in result.stdout
    assert "每所学校" not in result.stdout


def test_scenario_output_starts_with_the_trial_heading(tmp_path: Path) -> None:
    path = write_county_file(tmp_path / "county.xlsx", hand_county())
    plan_file = write_scenario(tmp_path, "变化:\n  - {学校: C, 增加: 骨干教师, 数量: 1}\n")
    result = CliRunner().invoke(
        app, ["plan", str(path), "-s", "quality-2017", "--scenario", str(plan_file)]
    )
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert lines[0].startswith(f"junheng · 试算：方案文件 {plan_file}")
    assert "中的变化执行后的评估，原工作簿未改动" in lines[1]
    # the full evaluation comes after the summary, under its own heading
    summary = result.stdout.index("方案中的变化")
    full = result.stdout.index("方案变化后的完整评估（非原数据）")
    assert summary < full < result.stdout.index("以上是方案文件")


def test_plan_xlsx_holds_values_and_thresholds_as_numbers(tmp_path: Path) -> None:
    from openpyxl import load_workbook

    path = write_county_file(tmp_path / "county.xlsx", hand_county())
    book = tmp_path / "方案.xlsx"
    result = CliRunner().invoke(app, ["plan", str(path), "-s", "quality-2017", "-o", str(book)])
    assert result.exit_code == 0, result.output
    ws = load_workbook(book)["各校补充"]
    header = [c.value for c in ws[1]]
    rows = [dict(zip(header, (c.value for c in row), strict=True)) for row in ws.iter_rows(2)]
    c_row = next(r for r in rows if r["学校名称"] == "C")
    # C: 骨干 3 → 3 + 1 + 12 = 16 of 400 pupils: 0.75 → 4.00, threshold 1.00
    assert (c_row["小学本校值（前）"], c_row["小学本校值（后）"], c_row["小学标准值"]) == (
        0.75,
        4.0,
        1.0,
    )
    assert (c_row["达到学校达标规则"], c_row["缩小校际差距再补"], c_row["合计"]) == (1, 12, 13)


# -- 7. transfers go the way 交流轮岗 goes (issue 15) ------------------------------------------
TIGHT = """id: tight
extends: quality-2017
name: 收紧限值（测试）
version: "t.1"
judgement:
  mode: each
  limits: {primary: 0.20, junior: 0.20}
school_types:
  教学点:
    aliases: [小学教学点]
    levels: {primary: 1}
    small_school: {enabled: false, below: 50, reason: 全部教学点参评}
"""
TIER = {"城区": 0, "镇区": 1, "乡村": 2}


def transfers_json(path: Path, standard: str, *extra: str) -> dict[str, Any]:
    result = CliRunner().invoke(
        app, ["plan", str(path), "-s", standard, "--transfers", "-f", "json", *extra]
    )
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def test_transfers_on_the_sample_never_go_from_a_teaching_point_or_village_to_town(
    tmp_path: Path,
) -> None:
    """On the sample county, with quality-2017 and with a standard that counts every 教学点
    and tightens both limits to 0.20 (so that some 240 teachers move), no move leaves a 教学点
    and none goes to a more urban school than the one it leaves (checked against the input's
    own 学校类型 and 城乡类型 by 学校标识码), every donor keeps its threshold, and the plan
    states the rule. Allowed to (--allow-rural-to-urban), the tight run moves teachers from 乡村
    into 城区 schools: the rule, not the data, is what kept them out. Still no 教学点 gives."""
    import pandas as pd

    from helpers import SAMPLE

    schools = pd.read_excel(SAMPLE, "学校", dtype={"学校标识码": str}, engine="openpyxl")
    by_code = {
        code: (kind, area)
        for code, kind, area in zip(
            schools["学校标识码"], schools["学校类型"], schools["城乡类型"], strict=True
        )
    }
    tight = tmp_path / "tight.yaml"
    tight.write_text(TIGHT, encoding="utf-8")
    runs = {
        "quality": transfers_json(SAMPLE, "quality-2017"),
        "tight": transfers_json(SAMPLE, str(tight)),
        "allowed": transfers_json(SAMPLE, str(tight), "--allow-rural-to-urban"),
    }
    urbanward = {}
    for name, doc in runs.items():
        moves = [m for t in doc["lists"] for m in t["moves"]]
        assert moves, name
        for m in moves:
            source, target = by_code[m["source_code"]], by_code[m["target_code"]]
            assert (m["source_type"], m["source_area"]) == source
            assert (m["target_type"], m["target_area"]) == target
            assert source[0] != "教学点", (name, m)  # never out of a 教学点
            assert m["source_after"] >= m["source_threshold"] - 1e-9  # the donor keeps it
        urbanward[name] = sum(
            m["count"]
            for m in moves
            if TIER[by_code[m["target_code"]][1]] < TIER[by_code[m["source_code"]][1]]
        )
        rural_to_city = [
            m
            for m in moves
            if by_code[m["source_code"]][1] == "乡村" and by_code[m["target_code"]][1] == "城区"
        ]
        if name != "allowed":
            assert not rural_to_city and urbanward[name] == 0, name
            assert doc["rule"]["text"].startswith("调动方向（交流轮岗）：城区 → 城区、镇区或乡村")
            assert doc["rule"]["allow_rural_to_urban"] is False
        else:
            assert rural_to_city
    assert runs["tight"]["teachers_moved"] > 200 and urbanward["allowed"] > 0
    assert "已允许从乡村、镇区学校调往更靠城区的学校" in runs["allowed"]["rule"]["text"]
    assert all("不从教学点调出教师" in doc["rule"]["text"] for doc in runs.values())
    shown = CliRunner().invoke(app, ["plan", str(SAMPLE), "-s", "quality-2017", "--transfers"])
    assert shown.exit_code == 0, shown.output
    assert "调动方向（交流轮岗）：城区 → 城区、镇区或乡村" in shown.stdout
    assert "城关黄土小学（城区）" in shown.stdout  # each school's 城乡类型 beside its name
    book = tmp_path / "交流轮岗.xlsx"
    written = CliRunner().invoke(
        app, ["plan", str(SAMPLE), "-s", "quality-2017", "--transfers", "-o", str(book)]
    )
    assert written.exit_code == 0, written.output
    from openpyxl import load_workbook

    workbook = load_workbook(book)
    about = [r for r in workbook["说明"].iter_rows(values_only=True) if r and r[0] == "调动方向"]
    assert about and str(about[0][1]).startswith("调动方向（交流轮岗）")
    header = [c.value for c in workbook["调动清单"][1]]
    assert {"调出学校城乡类型", "调出学校类型", "调入学校城乡类型", "调入学校类型"} <= set(header)


def test_a_village_school_gives_to_a_city_school_only_when_allowed(tmp_path: Path) -> None:
    """A 乡村 小学 with 骨干 12 of 400 (3.0) and a 城区 one with 2 (0.5): mean 1.75, CV
    1.25/1.75 = 5/7 = 0.714286 > 0.5. The only donor is the village school and the only
    receiver the city one: no move (the CV stays 5/7, the list says why). Allowed: A → B
    (2.75, 0.75: CV 1.0/1.75 = 0.571429), A → B again (2.5, 1.0: CV 0.75/1.75 = 3/7 =
    0.428571 ≤ 0.5): 2 teachers. A 教学点 (乡村, 80 pupils, 骨干 3 → 3.75) never gives, even
    when allowed. A school with a blank 城乡类型 gives to a 乡村 school (the direction is
    certain)."""
    from junheng_cli.workflows.plan import BLOCKED, TransferRule

    village = school("A", backbone_teachers_primary=12, area_type="乡村")
    city = school("B", backbone_teachers_primary=2, area_type="城区")
    validated, before = county(tmp_path, [village, city])
    kept = suggest_transfers(validated, QUALITY, before)
    backbone = next(t for t in kept.lists if t.indicator == BACKBONE)
    assert backbone.moves == [] and backbone.stop == BLOCKED
    assert backbone.cv_before == pytest.approx(5 / 7, rel=1e-12)
    assert backbone.cv_after == pytest.approx(5 / 7, rel=1e-12)
    assert kept.scenario is None and not kept.direction.allow_rural_to_urban
    allowed = suggest_transfers(validated, QUALITY, before, rule=TransferRule(True))
    backbone = next(t for t in allowed.lists if t.indicator == BACKBONE)
    assert [(m.source_name, m.target_name, m.count) for m in backbone.moves] == [("A", "B", 2)]
    assert (backbone.moves[0].source_area, backbone.moves[0].target_area) == ("乡村", "城区")
    assert backbone.cv_after == pytest.approx(3 / 7, rel=1e-12) and backbone.stop == REACHED

    runner = CliRunner()
    path = tmp_path / "county.xlsx"
    shown = runner.invoke(app, ["plan", str(path), "-s", "quality-2017", "--transfers"])
    assert shown.exit_code == 0, shown.output
    assert "不从乡村、镇区学校调往更靠城区的学校" in shown.stdout
    assert "小学骨干教师：差异系数 0.7143，按调动方向（见上）没有可行的调动" in shown.stdout
    moved = transfers_json(path, "quality-2017", "--allow-rural-to-urban")
    assert moved["teachers_moved"] == 2 and moved["rule"]["allow_rural_to_urban"] is True
    alone = runner.invoke(app, ["plan", str(path), "-s", "quality-2017", "--allow-rural-to-urban"])
    assert alone.exit_code == 2 and "只用于 --transfers" in alone.stderr

    point = school("P", students=80, backbone_teachers_primary=3, type="教学点", area_type="乡村")
    other = school("Q", backbone_teachers_primary=2, area_type="乡村")
    validated, before = county(tmp_path, [point, other])
    for rule in (TransferRule(False), TransferRule(True)):
        found = suggest_transfers(validated, QUALITY, before, rule=rule)
        backbone = next(t for t in found.lists if t.indicator == BACKBONE)
        assert backbone.moves == [] and backbone.stop == BLOCKED

    unknown = school("A", backbone_teachers_primary=12, area_type="")
    rural = school("B", backbone_teachers_primary=2, area_type="乡村")
    validated, before = county(tmp_path, [unknown, rural])
    found = suggest_transfers(validated, QUALITY, before)
    backbone = next(t for t in found.lists if t.indicator == BACKBONE)
    assert [(m.source_name, m.target_name, m.count) for m in backbone.moves] == [("A", "B", 2)]
    assert found.direction.without_area == ("A",)
