"""优质均衡 (quality-2017): per-school thresholds, gaps in real units, the level verdict,
``each`` vs ``composite`` judgement, fix-first lists, ``explain`` and a province file.

Every number below is worked out by hand in the comments (reference: ../shared/reference/
standards.md §3 and §5). Thresholds for 小学: 高学历教师 4.2 /100, 骨干教师 1.0 /100,
体艺教师 0.9 /100, 教学用房 4.5 ㎡, 体育场馆 7.5 ㎡, 仪器设备 2000 元, 多媒体教室 2.3 /100;
初中: 5.3, 1.0, 0.9, 5.8, 10.2, 2500, 2.4. A school passes with ≥ 6 of 7 met and the
seventh ≥ 85 % of its threshold.

The reference school ``full(name)`` has 400 pupils and meets all seven, each value exact:
  高学历教师 17 → 17/400×100 = 4.25 ≥ 4.2 (16.8 are needed: 17 is the least that meets)
  骨干教师    4 → 1.00 = 1.0 (exactly the threshold: meets)
  体艺教师    4 → 1.00 ≥ 0.9 (3.6 needed)
  教学用房 1800 ㎡ → 4.5 = 4.5
  体育场馆 3000 ㎡ → 7.5 = 7.5
  仪器设备 800000 元 → 2000 = 2000
  多媒体教室 10 → 2.5 ≥ 2.3 (9.2 needed)
"""

from __future__ import annotations

import itertools
import json
import math

import numpy as np
import pandas as pd
import pytest
from typer.testing import CliRunner

from helpers import primary_school, write_county_file
from junheng_cli.cli.app import app
from junheng_cli.compute.indicators import fix_first, round_up, weighted_mean_sd

QUALITY = ["--standard", "quality-2017"]
IDS = [
    "qualified_teachers_per_100",
    "backbone_teachers_per_100",
    "pe_arts_teachers_per_100",
    "teaching_area_per_student",
    "sports_area_per_student",
    "equipment_value_per_student",
    "multimedia_rooms_per_100",
]


def full(name: str, **quantities) -> dict:
    """A 400-pupil 小学 meeting all seven 2017 thresholds (see the module docstring)."""
    school = {
        "code": name,
        "name": name,
        "type": "小学",
        "students_primary": 400,
        "teachers_primary": 22,
        "qualified_teachers_primary": 17,
        "backbone_teachers_primary": 4,
        "pe_arts_teachers_primary": 4,
        "teaching_area": 1800.0,
        "gym_area": 0.0,
        "sports_ground_area": 3000.0,
        "equipment_value": 800000.0,
        "multimedia_rooms": 10,
    }
    school.update(quantities)
    return school


def run_json(path, *args: str) -> dict:
    result = CliRunner().invoke(app, ["evaluate", str(path), "--format", "json", *args])
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


@pytest.fixture(scope="module")
def evaluated(tmp_path_factory):
    """Evaluate a county once per module (each CLI run costs a quarter of a second)."""
    cache: dict[tuple, dict] = {}

    def run(key: str, schools: list[dict], *args: str) -> dict:
        if (key, args) not in cache:
            path = write_county_file(tmp_path_factory.mktemp(key) / "county.xlsx", schools)
            cache[key, args] = run_json(path, *args)
        return cache[key, args]

    return run


def level(doc: dict, name: str = "primary") -> dict:
    return next(lv for lv in doc["levels"] if lv["level"] == name)


def indicator(lv: dict, ind_id: str) -> dict:
    return next(i for i in lv["indicators"] if i["id"] == ind_id)


def unit(doc: dict, code: str, lv: str = "primary") -> dict:
    return next(s for s in doc["schools"] if s["code"] == code and s["level"] == lv)


def check(school: dict, ind_id: str) -> dict:
    return next(c for c in school["checks"] if c["indicator"] == ind_id)


# -- 1. the school rule: 6 of 7 met, the seventh ≥ 85 % --------------------------------------


RULE_CASES = [  # code, 教学用房 ㎡, value = area/400, status, passed
    ("甲", 1620.0, 4.05, "near", True),  # 1620/400 = 4.05 = 90 % of 4.5
    ("乙", 1530.0, 3.825, "near", True),  # 1530/400 = 3.825 = exactly 85 % of 4.5: still near
    ("丙", 1529.0, 3.8225, "below", False),  # 1529/400 = 3.8225 < 3.825
    ("丁", 1440.0, 3.6, "below", False),  # 1440/400 = 3.6 = 80 % of 4.5
]


def rule_doc(evaluated) -> dict:
    # 戊: 骨干教师 3 → 0.75 < 0.85 and 教学用房 1440 → 3.6 < 3.825: two below, five met
    schools = [full(code, teaching_area=area) for code, area, *_ in RULE_CASES]
    schools.append(full("戊", backbone_teachers_primary=3, teaching_area=1440.0))
    return evaluated("rule", schools, *QUALITY)


@pytest.mark.parametrize(("code", "area", "value", "status", "passed"), RULE_CASES)
def test_school_rule_six_met_and_the_seventh_near_or_below(
    evaluated, code, area, value, status, passed
) -> None:
    school = unit(rule_doc(evaluated), code)
    assert school["quantities"]["teaching_area"] == area
    assert school["met"] == 6 and school["passed"] is passed
    assert [c["indicator"] for c in school["checks"]] == IDS
    area_check = check(school, "teaching_area_per_student")
    assert area_check["status"] == status
    assert area_check["threshold"] == 4.5
    assert area_check["floor"] == pytest.approx(3.825, rel=1e-12)  # 0.85 × 4.5
    assert area_check["value"] == pytest.approx(value, rel=1e-12)
    # the six others are met, with their exact values and floors
    expected = {
        "qualified_teachers_per_100": (4.25, 4.2, 3.57),  # 0.85 × 4.2 = 3.57
        "backbone_teachers_per_100": (1.0, 1.0, 0.85),
        "pe_arts_teachers_per_100": (1.0, 0.9, 0.765),
        "sports_area_per_student": (7.5, 7.5, 6.375),
        "equipment_value_per_student": (2000.0, 2000.0, 1700.0),
        "multimedia_rooms_per_100": (2.5, 2.3, 1.955),
    }
    for ind_id, (v, threshold, floor) in expected.items():
        c = check(school, ind_id)
        assert c["status"] == "met", ind_id
        assert c["value"] == pytest.approx(v, rel=1e-12), ind_id
        assert c["threshold"] == pytest.approx(threshold, rel=1e-12), ind_id
        assert c["floor"] == pytest.approx(floor, rel=1e-12), ind_id
        assert c["gap"] == 0.0, ind_id


def test_two_below_85_percent_fails_even_with_five_met(evaluated) -> None:
    doc = rule_doc(evaluated)
    school = unit(doc, "戊")
    assert school["met"] == 5 and school["passed"] is False
    assert check(school, "backbone_teachers_per_100")["status"] == "below"
    assert check(school, "teaching_area_per_student")["status"] == "below"
    # 丙, 丁 and 戊 fail; the CVs are small (教学用房 4.05 … 3.6), so only schools decide
    primary = level(doc)
    assert (primary["schools_passed"], primary["schools_failed"]) == (2, 3)
    assert primary["cv_passed"] is True and primary["passed"] is False


# -- 2. gaps in real units, rounded up ---------------------------------------------------------


def gap_county() -> list[dict]:
    """G and H are 小学; J is a 九年一贯制学校 with 300 + 200 pupils.

    G (400 pupils):
      骨干教师 3     → need 1.0×400/100 = 4      → lacks 1       → 1 名
      多媒体教室 7   → need 2.3×400/100 = 9.2    → lacks 2.2     → 3 间
      教学用房 1700.5 ㎡ → need 4.5×400 = 1800   → lacks 99.5    → 100 ㎡
      仪器设备 750000.4 元 → need 2000×400 = 800000 → lacks 49999.6 → 50000 元
    H (200 pupils):
      骨干教师 1     → need 2                    → 1 名
      多媒体教室 4   → need 4.6                  → lacks 0.6 → 1 间
      教学用房 850 ㎡ → need 900                 → 50 ㎡
    J (小学 300, 初中 200; shares 300/520 and 1.1×200/520 = 220/520), 教学用房 2000 ㎡:
      小学 part 2000×300/520 = 1153.846, needs 4.5×300 = 1350 → lacks 196.154 → 197 ㎡
      初中 part 2000×220/520 =  846.154, needs 5.8×200 = 1160 → lacks 313.846 → 314 ㎡
      whole school: 小学 needs the school to have 1350×520/300 = 2340 (+340);
                    初中 needs 1160×520/220 = 2741.818 (+741.818) → max → 742 ㎡
      (check: 2742×220/520/200 = 5.8008 ≥ 5.8, while 2741 would give 5.7979 < 5.8)
    J's other whole-school quantities meet both levels:
      体育场馆 5000: 小学 5000×300/520/300 = 9.62 ≥ 7.5, 初中 5000×220/520/200 = 10.58 ≥ 10.2
      仪器设备 1200000: 小学 2307.7 ≥ 2000, 初中 2538.5 ≥ 2500
      多媒体教室 12: 小学 12×300/520 = 6.923 ≥ 6.9, 初中 12×220/520 = 5.077 ≥ 4.8
    and its teachers by level: 小学 13 (4.33), 3, 3; 初中 11 (5.5 ≥ 5.3), 2, 2.
    """
    return [
        full("G", backbone_teachers_primary=3, multimedia_rooms=7)
        | {"teaching_area": 1700.5, "equipment_value": 750000.4},
        {
            "code": "H",
            "name": "H",
            "type": "小学",
            "students_primary": 200,
            "teachers_primary": 11,
            "qualified_teachers_primary": 9,  # 4.5 ≥ 4.2
            "backbone_teachers_primary": 1,
            "pe_arts_teachers_primary": 2,
            "teaching_area": 850.0,
            "gym_area": 0.0,
            "sports_ground_area": 1500.0,
            "equipment_value": 400000.0,
            "multimedia_rooms": 4,
        },
        {
            "code": "J",
            "name": "J",
            "type": "九年一贯制学校",
            "students_primary": 300,
            "students_junior": 200,
            "teachers_primary": 20,
            "qualified_teachers_primary": 13,
            "backbone_teachers_primary": 3,
            "pe_arts_teachers_primary": 3,
            "teachers_junior": 15,
            "qualified_teachers_junior": 11,
            "backbone_teachers_junior": 2,
            "pe_arts_teachers_junior": 2,
            "teaching_area": 2000.0,
            "gym_area": 0.0,
            "sports_ground_area": 5000.0,
            "equipment_value": 1200000.0,
            "multimedia_rooms": 12,
        },
    ]


def test_unit_gaps_are_rounded_up_in_real_units(evaluated) -> None:
    doc = evaluated("gaps", gap_county(), *QUALITY)
    g = unit(doc, "G")
    backbone = check(g, "backbone_teachers_per_100")
    assert (backbone["value"], backbone["status"]) == (0.75, "below")  # 3/400×100 < 0.85
    assert (backbone["gap"], backbone["gap_unit"]) == (1.0, "名")
    rooms = check(g, "multimedia_rooms_per_100")
    assert (rooms["value"], rooms["gap"], rooms["gap_unit"]) == (pytest.approx(1.75), 3.0, "间")
    area = check(g, "teaching_area_per_student")
    assert (area["gap"], area["gap_unit"], area["status"]) == (100.0, "㎡", "near")
    money = check(g, "equipment_value_per_student")
    assert (money["gap"], money["gap_unit"], money["status"]) == (50000.0, "元", "near")
    assert g["met"] == 3 and g["passed"] is False
    h = unit(doc, "H")
    assert check(h, "backbone_teachers_per_100")["gap"] == 1.0
    assert check(h, "multimedia_rooms_per_100")["gap"] == 1.0  # 0.6 of a room → 1 间
    assert check(h, "multimedia_rooms_per_100")["status"] == "near"  # 2.0 ≥ 1.955
    assert check(h, "teaching_area_per_student")["gap"] == 50.0
    # J (九年一贯制): teaching rooms are a whole-school quantity, so each part that falls short
    # shows what the WHOLE school must build: the parts lack 196.2 and 313.8 ㎡ of their
    # shares, i.e. 196.2 / (300/520) = 340 and 313.8 / (220/520) = 741.8 ㎡ of new building;
    # the larger, rounded up, is 742 ㎡ — the same number as in the gap list.
    j_primary, j_junior = unit(doc, "J", "primary"), unit(doc, "J", "junior")
    assert j_primary["share"] == pytest.approx(300 / 520, rel=1e-12)
    assert check(j_primary, "teaching_area_per_student")["gap"] == 742.0
    assert check(j_junior, "teaching_area_per_student")["gap"] == 742.0
    assert check(j_junior, "teaching_area_per_student")["threshold"] == 5.8
    assert check(j_junior, "teaching_area_per_student")["value"] == pytest.approx(
        2000 * 220 / 520 / 200, rel=1e-12
    )
    assert j_primary["met"] == 6 and j_primary["passed"] is True  # 3.846 ≥ 3.825: near
    assert j_junior["met"] == 6 and j_junior["passed"] is False  # 4.231 < 0.85 × 5.8 = 4.93


def test_school_gaps_and_county_totals(evaluated) -> None:
    doc = evaluated("gaps", gap_county(), *QUALITY)
    gaps = {(g["code"], g["indicator"]): g for g in doc["gaps"]}
    # teachers are per level; rooms, areas and money are for the whole school
    assert gaps["G", "backbone_teachers_per_100"]["level"] == "primary"
    assert gaps["G", "backbone_teachers_per_100"]["amount"] == 1.0
    assert gaps["G", "backbone_teachers_per_100"]["unit"] == "名"
    assert gaps["G", "multimedia_rooms_per_100"]["amount"] == 3.0
    assert gaps["G", "multimedia_rooms_per_100"]["level"] is None
    assert gaps["G", "teaching_area_per_student"]["amount"] == 100.0
    assert gaps["G", "equipment_value_per_student"]["amount"] == 50000.0
    assert gaps["G", "equipment_value_per_student"]["unit"] == "元"
    assert gaps["H", "multimedia_rooms_per_100"]["amount"] == 1.0
    # J: what the WHOLE school must add so both parts reach their thresholds: 742 ㎡, not
    # 197 + 314 = 511 (each part only receives its share of an addition)
    j_area = [g for g in doc["gaps"] if g["code"] == "J"]
    assert [(g["indicator"], g["level"], g["amount"], g["unit"]) for g in j_area] == [
        ("teaching_area_per_student", None, 742.0, "㎡")
    ]
    # biggest first within an indicator: J 742, G 100, H 50
    area_rows = [g["code"] for g in doc["gaps"] if g["indicator"] == "teaching_area_per_student"]
    assert area_rows == ["J", "G", "H"]
    totals = {t["indicator"]: (t["amount"], t["unit"], t["schools"]) for t in doc["gap_totals"]}
    assert totals == {
        "qualified_teachers_per_100": (0.0, "名", 0),
        "backbone_teachers_per_100": (2.0, "名", 2),  # G 1 + H 1
        "pe_arts_teachers_per_100": (0.0, "名", 0),
        "teaching_area_per_student": (892.0, "㎡", 3),  # 100 + 50 + 742
        "sports_area_per_student": (0.0, "㎡", 0),
        "equipment_value_per_student": (50000.0, "元", 1),
        "multimedia_rooms_per_100": (4.0, "间", 2),  # 3 + 1
    }


def test_round_up_to_whole_steps() -> None:
    # 9.2 − 7 is 2.1999999999999993 in floating point; 1800 − 1700.5 = 99.5; exact stays
    amounts = pd.Series([2.3 * 400 / 100 - 7, 99.5, 4.0, 0.0, 1e-12])
    assert round_up(amounts, 1).tolist() == [3.0, 100.0, 4.0, 0.0, 0.0]
    assert round_up(pd.Series([0.123]), 0.01).iloc[0] == pytest.approx(0.13, abs=1e-12)


# -- 3. the level verdict --------------------------------------------------------------------


def test_all_cvs_under_limit_but_one_school_fails(write_county) -> None:
    # five 400-pupil schools; E has 教学用房 1440 ㎡ → 3.6 ㎡ (80 %), the rest 4.5 ㎡.
    # mean = (4×4.5 + 3.6)/5 = 4.32; deviations 0.18 (×4) and −0.72
    # S² = (4×0.0324 + 0.5184)/5 = 0.1296, S = 0.36, CV = 0.36/4.32 = 1/12 ≤ 0.50
    schools = [full(n) for n in "ABCD"] + [full("E", teaching_area=1440.0)]
    doc = run_json(write_county(schools), *QUALITY)
    primary = level(doc)
    area = indicator(primary, "teaching_area_per_student")
    assert area["mean"] == pytest.approx(4.32, rel=1e-12)
    assert area["sd"] == pytest.approx(0.36, rel=1e-12)
    assert area["cv"] == pytest.approx(1 / 12, rel=1e-12)
    assert all(i["passed"] is True and i["limit"] == 0.5 for i in primary["indicators"])
    assert primary["cv_passed"] is True
    assert (primary["schools_passed"], primary["schools_failed"]) == (4, 1)
    assert primary["passed"] is False
    assert doc["passed"] is False  # the 初中 level has no schools and does not count
    assert level(doc, "junior")["schools"] == 0 and level(doc, "junior")["passed"] is None
    assert unit(doc, "E")["passed"] is False


# -- 4. each vs composite; 6. fix-first --------------------------------------------------------


def spread_county() -> list[dict]:
    """Five 400-pupil schools that all meet every threshold; 仪器设备 per pupil
    2000, 2000, 2000, 2000, 6000:
      mean = 14000/5 = 2800; deviations −800 (×4), 3200
      S² = (4×640000 + 10240000)/5 = 2560000, S = 1600, CV = 1600/2800 = 4/7 = 0.571429 > 0.50
    教学用房 per pupil 4.5, 5, 5.5, 6, 4.5 (1800 … 2400 ㎡):
      mean = 25.5/5 = 5.1; squares 0.36, 0.01, 0.16, 0.81, 0.36 → S² = 1.7/5 = 0.34
      CV = √0.34/5.1 = 0.114332
    高学历教师 17, 18, 19, 20, 17 and 多媒体教室 10, 10, 11, 12, 10 spread a little too;
    the other three indicators are equal (CV 0). Composite ≈ (0.571 + 0.114 + …)/7 < 0.50.
    """
    return [
        full("A", teaching_area=1800.0),
        full("B", teaching_area=2000.0, qualified_teachers_primary=18),
        full("C", teaching_area=2200.0, qualified_teachers_primary=19, multimedia_rooms=11),
        full("D", teaching_area=2400.0, qualified_teachers_primary=20, multimedia_rooms=12),
        full("E", teaching_area=1800.0, equipment_value=2400000.0),
    ]


def test_each_indicator_judged_fails_on_one_cv(evaluated) -> None:
    doc = evaluated("spread", spread_county(), *QUALITY)
    primary = level(doc)
    money = indicator(primary, "equipment_value_per_student")
    assert money["mean"] == pytest.approx(2800.0, rel=1e-12)
    assert money["sd"] == pytest.approx(1600.0, rel=1e-12)
    assert money["cv"] == pytest.approx(4 / 7, rel=1e-12)
    assert money["limit"] == 0.5 and money["passed"] is False
    area = indicator(primary, "teaching_area_per_student")
    assert area["cv"] == pytest.approx(math.sqrt(0.34) / 5.1, rel=1e-12)
    assert [i["id"] for i in primary["indicators"] if i["passed"] is False] == [
        "equipment_value_per_student"
    ]
    assert primary["schools_failed"] == 0  # every school meets every threshold
    assert primary["cv_passed"] is False and primary["passed"] is False
    # the composite is reported (mean of the seven JSON cvs) but does not decide here
    cvs = [i["cv"] for i in primary["indicators"]]
    assert len(cvs) == 7
    assert primary["composite_cv"] == pytest.approx(sum(cvs) / 7, rel=1e-12)
    assert primary["composite_cv"] < 0.5


def test_composite_mode_by_a_file_that_extends_quality(write_county, tmp_path) -> None:
    standard = tmp_path / "composite-quality.yaml"
    standard.write_text(
        "id: composite-quality\n"
        "extends: quality-2017\n"
        "name: 按综合差异系数判定的优质均衡（测试）\n"
        "judgement:\n"
        "  mode: composite\n",
        encoding="utf-8",
    )
    doc = run_json(write_county(spread_county()), "--standard", str(standard))
    assert doc["standard"]["id"] == "composite-quality"
    assert doc["standard"]["extends"] == "quality-2017"
    primary = level(doc)
    # limits and thresholds inherited: 0.50, seven checks per school
    assert primary["composite_limit"] == 0.5
    assert len(unit(doc, "A")["checks"]) == 7
    money = indicator(primary, "equipment_value_per_student")
    assert money["cv"] == pytest.approx(4 / 7, rel=1e-12)  # the same number ...
    assert money["passed"] is None and money["limit"] is None  # ... not judged on its own
    assert money["fix_first"] == []
    assert primary["composite_cv"] < 0.5
    assert primary["cv_passed"] is True and primary["passed"] is True
    assert doc["passed"] is True


def test_fix_first_in_the_json(evaluated) -> None:
    doc = evaluated("spread", spread_county(), *QUALITY)
    money = indicator(level(doc), "equipment_value_per_student")
    steps = money["fix_first"]
    # step 1: mean 2800 → one 2000 school raised to max(2000, 2800) = 2800:
    #   2800, 2000, 2000, 2000, 6000: mean 2960; squares 25600, 921600 (×3), 9241600
    #   S² = 12032000/5 = 2406400, CV = √2406400/2960 = 0.524073; adds 800 × 400 = 320000 元
    # step 2: another 2000 school raised to the new mean 2960:
    #   2800, 2960, 2000, 2000, 6000: mean 3152; squares 123904, 36864, 1327104 (×2), 8111104
    #   S² = 10926080/5 = 2185216, CV = √2185216/3152 = 0.468987 ≤ 0.50: stop
    assert len(steps) == 2
    assert {s["code"] for s in steps} <= {"A", "B", "C", "D"}
    assert len({s["code"] for s in steps}) == 2
    assert (steps[0]["before"], steps[0]["after"]) == (2000.0, pytest.approx(2800.0))
    assert steps[0]["amount"] == 320000.0 and steps[0]["unit"] == "元"
    assert steps[0]["cv_after"] == pytest.approx(math.sqrt(2406400) / 2960, rel=1e-9)
    assert (steps[1]["before"], steps[1]["after"]) == (2000.0, pytest.approx(2960.0))
    assert steps[1]["amount"] == 384000.0  # 960 × 400
    assert steps[1]["cv_after"] == pytest.approx(math.sqrt(2185216) / 3152, rel=1e-9)
    # the general properties, replaying the steps on the schools' values
    values = {s["code"]: s["values"]["equipment_value_per_student"] for s in doc["schools"]}
    cvs = [money["cv"]] + [s["cv_after"] for s in steps]
    assert all(a > b for a, b in itertools.pairwise(cvs))
    assert cvs[-1] <= money["limit"]
    for s in steps:
        x = np.array(list(values.values()))
        mean, _ = weighted_mean_sd(x, np.full(len(x), 400.0))
        assert s["before"] == pytest.approx(values[s["code"]], rel=1e-12)
        targets = (2000.0, max(2000.0, mean))  # the threshold, or the mean when higher
        assert any(s["after"] == pytest.approx(t, rel=1e-12) for t in targets)
        values[s["code"]] = s["after"]
        x = np.array(list(values.values()))
        mean, sd = weighted_mean_sd(x, np.full(len(x), 400.0))
        assert s["cv_after"] == pytest.approx(sd / mean, rel=1e-12)


def test_fix_first_direct_first_step_by_hand() -> None:
    # x = 1, 3, 8, equal weights, no threshold: mean 4, candidates 1 and 3 (below the mean).
    #   raise 1 → 4: 4, 3, 8, mean 5, S² = (1 + 4 + 9)/3 = 14/3, CV = √(14/3)/5 = 0.432049
    #   raise 3 → 4: 1, 4, 8, mean 13/3, S² = (100 + 1 + 121)/27, CV = 0.6617 (worse)
    # so position 0 goes first. Then mean 5, candidates 4 and 3:
    #   raise 3 → 5: 4, 5, 8, mean 17/3, S² = (25 + 4 + 49)/27 = 26/9, CV = √26/17 = 0.299942
    #   raise 4 → 5: 5, 3, 8, mean 16/3, S² = (1 + 49 + 64)/27, CV = 0.3853 (worse)
    steps = fix_first(np.array([1.0, 3.0, 8.0]), np.ones(3), limit=0.35)
    assert [(s.position, s.before, s.after) for s in steps] == [(0, 1.0, 4.0), (1, 3.0, 5.0)]
    assert steps[0].cv_after == pytest.approx(math.sqrt(14 / 3) / 5, rel=1e-12)
    assert steps[1].cv_after == pytest.approx(math.sqrt(26) / 17, rel=1e-12)
    # already under the limit: nothing to do
    assert fix_first(np.array([1.0, 3.0, 8.0]), np.ones(3), limit=0.8) == []
    # max_steps stops early
    assert len(fix_first(np.array([1.0, 3.0, 8.0]), np.ones(3), limit=0.1, max_steps=1)) == 1


def test_fix_first_direct_threshold_above_the_mean() -> None:
    # threshold 5, x = 1, 3, 8 (mean 4): a school is raised to max(5, 4) = 5, the threshold.
    #   1 → 5: 5, 3, 8, mean 16/3, S² = (1 + 49 + 64)/27 = 114/27, CV = √(114/27)/(16/3) = 0.3853
    #   3 → 5: 1, 5, 8, mean 14/3, S² = (121 + 1 + 100)/27 = 222/27, CV = 0.6144 (worse)
    x, w = np.array([1.0, 3.0, 8.0]), np.ones(3)
    steps = fix_first(x, w, limit=0.35, threshold=5.0)
    first = steps[0]
    assert (first.position, first.before, first.after) == (0, 1.0, 5.0)
    assert first.cv_after == pytest.approx(math.sqrt(114 / 27) / (16 / 3), rel=1e-12)
    # replay: every step goes to the threshold or to max(threshold, mean at that time),
    # the CV falls at every step and ends at or under the limit
    cvs = [s.cv_after for s in steps]
    assert all(a > b for a, b in itertools.pairwise(cvs)) and cvs[-1] <= 0.35
    for step in steps:
        mean, _ = weighted_mean_sd(x, w)
        assert step.before == x[step.position]
        assert step.after == pytest.approx(5.0) or step.after == pytest.approx(max(5.0, mean))
        x[step.position] = step.after
        mean, sd = weighted_mean_sd(x, w)
        assert step.cv_after == pytest.approx(sd / mean, rel=1e-12)


def test_fix_first_direct_weighted_and_unreachable() -> None:
    # enrollment weights matter: weights 1, 3, 1 → mean (1 + 9 + 8)/5 = 3.6, no threshold
    #   1 → 3.6: 3.6, 3, 8: mean 20.6/5 = 4.12, deviations −0.52, −1.12, 3.88
    #            S² = (0.2704 + 3×1.2544 + 15.0544)/5 = 3.8176, CV = 1.953868/4.12 = 0.4742
    #   3 → 3.6: 1, 3.6, 8: mean 19.8/5 = 3.96, deviations −2.96, −0.36, 4.04
    #            S² = (8.7616 + 3×0.1296 + 16.3216)/5 = 5.0944, CV = 2.257078/3.96 = 0.5700
    # so position 0 goes first, to 3.6
    weighted = fix_first(np.array([1.0, 3.0, 8.0]), np.array([1.0, 3.0, 1.0]), limit=0.1)
    assert (weighted[0].position, weighted[0].after) == (0, pytest.approx(3.6))
    assert weighted[0].cv_after == pytest.approx(
        math.sqrt((0.52**2 + 3 * 1.12**2 + 3.88**2) / 5) / 4.12, rel=1e-12
    )
    # each school is raised at most once (fix_first's docstring): with limit 0.25 the list
    # 1 → 4 (CV 0.4320), 3 → 5 (CV √26/17 = 0.2999) stops there, over the limit, because
    # the only school left, 8, is above the mean; the report then says so in a caption
    steps = fix_first(np.array([1.0, 3.0, 8.0]), np.ones(3), limit=0.25)
    assert [(s.position, s.after) for s in steps] == [(0, 4.0), (1, 5.0)]
    assert steps[-1].cv_after == pytest.approx(math.sqrt(26) / 17, rel=1e-12)
    assert steps[-1].cv_after > 0.25


# -- 5. the published 鸠江区 figures ----------------------------------------------------------

JIUJIANG_2023_PRIMARY = [  # mean, SD, CV of indicators 1–7 (reference §5(c))
    (5.515273, 1.643162, 0.297929),
    (0.887611, 0.445392, 0.501787),
    (0.879277, 0.353427, 0.401952),
    (4.563288, 1.316139, 0.288419),
    (7.925946, 2.975795, 0.375450),
    (2496.674864, 780.914372, 0.312782),
    (2.784743, 1.097759, 0.394205),
]


def test_jiujiang_published_figures_are_consistent() -> None:
    for mean, sd, cv in JIUJIANG_2023_PRIMARY:
        assert sd / mean == pytest.approx(cv, abs=1e-6), (mean, sd, cv)
    composite = sum(cv for _, _, cv in JIUJIANG_2023_PRIMARY) / 7
    assert composite == pytest.approx(0.367503, abs=1e-6)
    # (a composite over the seven is NOT the same as any one CV being under 0.50: the
    # second indicator, 骨干教师, is 0.501787 > 0.50 while the composite passes)
    assert JIUJIANG_2023_PRIMARY[1][2] > 0.50 > composite


# -- 7. explain on the five-school books example (reference §5(a)) ---------------------------


BOOKS_EXAMPLE = [("小学1", 45, 279), ("小学2", 37, 137), ("小学3", 89, 935), ("小学4", 76, 160)]
BOOKS_EXAMPLE += [("小学5", 55, 402)]


def test_explain_reproduces_the_books_handout(write_county) -> None:
    # X̄ = 1913/302 = 6.334437, S² = 10.652787, S = 3.263861, CV = 0.515257
    path = write_county(
        [primary_school(name, students, books=books) for name, students, books in BOOKS_EXAMPLE]
    )
    args = ["explain", str(path), "--school", "小学3", "--indicator", "books_per_student"]
    result = CliRunner().invoke(app, [*args, "--standard", "basic-2012"])
    assert result.exit_code == 0, result.output
    out = result.stdout
    for number in ("6.334437", "10.652787", "3.263861", "0.515257", "1,913", "302"):
        assert number in out, number
    assert "与评估结果一致" in out and "不一致" not in out
    # 小学3 itself: 935/89 = 10.505618; its term (89/302)(10.505618 − 6.334437)² = 5.127446
    assert "10.505618" in out and "5.127446" in out
    # "与评估结果一致": the CV evaluate computed agrees with this arithmetic to 1e-9
    unknown = CliRunner().invoke(app, [*args[:3], "小学9", *args[4:], "--standard", "basic-2012"])
    assert unknown.exit_code == 2
    assert "小学9" in unknown.stderr


# -- 8. a province file changes the result without code ---------------------------------------


def province_county() -> list[dict]:
    """甲 meets everything and has 30 books per pupil (12000/400 ≥ 25).
    乙 meets the seven national thresholds but has 8000/400 = 20 books per pupil = 80 % of 25.
    丙 is a 教学点 of 30 pupils (under 50); 丁 a 教学点 of exactly 50 (not under 50).
    Both the national standard and the province file leave 丙 out."""

    def point(name: str, students: int) -> dict:
        # per pupil: 4.5 ㎡, 7.5 ㎡, 2000 元, 30 books; teachers 3 of 3, 1, 1 (≥ thresholds)
        return {
            "code": name,
            "name": name,
            "type": "教学点",
            "students_primary": students,
            "teachers_primary": 4,
            "qualified_teachers_primary": 3,  # 3/30×100 = 10, 3/50×100 = 6 ≥ 4.2
            "backbone_teachers_primary": 1,
            "pe_arts_teachers_primary": 1,
            "teaching_area": 4.5 * students,
            "gym_area": 0.0,
            "sports_ground_area": 7.5 * students,
            "equipment_value": 2000.0 * students,
            "multimedia_rooms": 2,  # 2/30×100 = 6.7, 2/50×100 = 4 ≥ 2.3
            "books": 30 * students,
        }

    return [
        full("甲", books=12000),
        full("乙", books=8000),
        point("丙", 30),
        point("丁", 50),
    ]


def test_example_province_file_adds_an_indicator_and_leaves_out_small_points(
    write_county,
) -> None:
    path = write_county(province_county())
    national = run_json(path, *QUALITY)
    province = run_json(path, "--standard", "example-province-quality")
    # the national standard leaves out 教学点 under 50 too (issue 14: on by default, as the
    # 河北 具体办法 reads) and does not look at books
    (left_out,) = national["excluded"]
    assert (left_out["code"], left_out["type"]) == ("丙", "教学点")
    assert {s["code"] for s in national["schools"]} == {"甲", "乙", "丁"}
    assert [i["id"] for i in level(national)["indicators"]] == IDS
    assert unit(national, "乙")["passed"] is True and unit(national, "乙")["met"] == 7
    assert level(national)["passed"] is True
    # the province file: extends quality-2017, flagged as an example
    meta = province["standard"]
    assert (meta["id"], meta["version"]) == ("example-province-quality", "example.1")
    assert meta["extends"] == "quality-2017" and meta["example"] is True
    for lv in province["levels"]:
        assert [i["id"] for i in lv["indicators"]] == [*IDS, "books_per_student"]
    # 丙 (30 < 50) is left out with the province's reason; 丁 (50) is evaluated
    (excluded,) = province["excluded"]
    assert (excluded["code"], excluded["type"]) == ("丙", "教学点")
    assert "50" in excluded["reason"] and "教学点" in excluded["reason"]
    assert {s["code"] for s in province["schools"]} == {"甲", "乙", "丁"}
    assert province["rows"]["evaluated"] == 3 and province["rows"]["excluded"] == 1
    # eight checks per school, the eighth against 25 books (floor 21.25), min_met 7
    yi = unit(province, "乙")
    books = check(yi, "books_per_student")
    assert len(yi["checks"]) == 8
    assert books["threshold"] == 25.0 and books["floor"] == pytest.approx(21.25, rel=1e-12)
    assert books["value"] == pytest.approx(20.0, rel=1e-12) and books["status"] == "below"
    assert books["gap"] == 2000.0 and books["gap_unit"] == "册"  # 25×400 − 8000
    assert yi["met"] == 7 and yi["passed"] is False
    assert unit(province, "甲")["met"] == 8 and unit(province, "甲")["passed"] is True
    primary = level(province)
    assert (primary["schools_passed"], primary["schools_failed"]) == (2, 1)
    assert primary["passed"] is False and province["passed"] is False
    # 小学 books per pupil over 甲, 乙, 丁: (12000 + 8000 + 1500)/(400 + 400 + 50) = 21500/850
    assert indicator(primary, "books_per_student")["mean"] == pytest.approx(21500 / 850)


# -- 9. rich markup in school names is shown as written -----------------------------------------


def test_markup_in_a_school_name_is_printed_literally(write_county) -> None:
    name = "[bold red]坏名字[/]"
    path = write_county([full("A"), full("B"), full(name, teaching_area=1440.0) | {"code": "X"}])
    result = CliRunner().invoke(app, ["evaluate", str(path), *QUALITY, "--detail"])
    assert result.exit_code == 0, result.output
    # in the table of failing schools (3.60 / 4.50 → 还差 360 ㎡) and among the contributors
    failing = [line for line in result.stdout.splitlines() if name in line]
    assert any("3.60" in line and "4.50" in line for line in failing), result.stdout
    assert any("↓" in line for line in failing), result.stdout


def test_contributors_measure_each_indicator_against_its_own_mean(evaluated) -> None:
    """Three 400-pupil schools, equal weights. 用房 per pupil 3.0 / 4.5 / 4.5: mean 4.0,
    squared deviations 1, 0.25, 0.25, so A holds 2/3 of the variance and B, C 1/6 each.
    多媒体教室 per 100 pupils 2.5 / 2.5 / 5.0: C holds 2/3, A and B 1/6. Indicators with no
    variance have no contributors. (A contributor list once measured each indicator
    against another indicator's mean, the means being in alphabetical order.)"""
    schools = [full("A", teaching_area=1200.0), full("B"), full("C", multimedia_rooms=20)]
    primary = level(evaluated("contributors", schools, *QUALITY))
    area = indicator(primary, "teaching_area_per_student")["top_contributors"]
    rooms = indicator(primary, "multimedia_rooms_per_100")["top_contributors"]
    assert [c["code"] for c in area] == ["A", "B", "C"]
    assert [c["variance_share"] for c in area] == pytest.approx([2 / 3, 1 / 6, 1 / 6])
    assert [c["above_mean"] for c in area] == [False, True, True]
    assert [c["code"] for c in rooms] == ["C", "A", "B"]
    assert [c["variance_share"] for c in rooms] == pytest.approx([2 / 3, 1 / 6, 1 / 6])
    flat = indicator(primary, "qualified_teachers_per_100")["top_contributors"]
    assert flat == []
