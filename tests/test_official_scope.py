"""Issue 14: which schools and which figures the official texts put into the calculation.

1. 教学点 under 2017: under 50 students left out (河北 具体办法), 50 or more a 小学 unit.
2. 办学性质 / 举办者: basic-2012 leaves out 民办, 省市直属, 高校附属, 企业办; quality-2017 keeps
   them.
3. The 2019 规程's allowances, each only where the school's row carries its figure.
4. ``--indicators``: a partial indicator set, no overall verdict.
5. explain numbers the county sections 二、三、.

Every figure is worked by hand in the comments.
"""

from __future__ import annotations

import json
from pathlib import Path

import openpyxl
import pandas as pd
import pytest
from typer.testing import CliRunner

from helpers import primary_school, template_frame
from junheng_cli.cli.app import app
from junheng_cli.io.write import write_sheet_xlsx

QUALITY = ["--standard", "quality-2017"]
BASIC = ["--standard", "basic-2012"]


def run(*args: str):
    return CliRunner().invoke(app, [str(a) for a in args])


def run_json(path: Path, *args: str) -> dict:
    result = run("evaluate", path, "--format", "json", *args)
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def write(path: Path, schools: list[dict], drop: tuple[str, ...] = ()) -> Path:
    """A county workbook in the template layout; ``drop``: headers left out entirely."""
    frame = template_frame(schools).drop(columns=list(drop))
    write_sheet_xlsx(frame, path, "学校")
    return path


def full(name: str, **quantities) -> dict:
    """A 400-pupil 小学 meeting all seven 2017 thresholds exactly or just above:
    17/400×100 = 4.25 ≥ 4.2; 4/400×100 = 1.0; 4/400×100 = 1.0 ≥ 0.9; 1800/400 = 4.5;
    3000/400 = 7.5; 800000/400 = 2000; 10/400×100 = 2.5 ≥ 2.3."""
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


def point(name: str, students: int) -> dict:
    """A 教学点 meeting the seven thresholds: per pupil 4.5 ㎡, 7.5 ㎡, 2000 元; 3 高学历
    (3/62×100 = 4.84 ≥ 4.2), 1 骨干 and 1 体艺 (1/62×100 = 1.61), 2 多媒体 (3.23 ≥ 2.3)."""
    return {
        "code": name,
        "name": name,
        "type": "教学点",
        "students_primary": students,
        "teachers_primary": 4,
        "qualified_teachers_primary": 3,
        "backbone_teachers_primary": 1,
        "pe_arts_teachers_primary": 1,
        "teaching_area": 4.5 * students,
        "gym_area": 0.0,
        "sports_ground_area": 7.5 * students,
        "equipment_value": 2000.0 * students,
        "multimedia_rooms": 2,
    }


def unit(doc: dict, code: str) -> dict:
    return next(s for s in doc["schools"] if s["code"] == code)


def check(school: dict, indicator: str) -> dict:
    return next(c for c in school["checks"] if c["indicator"] == indicator)


def primary(doc: dict) -> dict:
    return next(lv for lv in doc["levels"] if lv["level"] == "primary")


def indicator(level: dict, ind_id: str) -> dict:
    return next(i for i in level["indicators"] if i["id"] == ind_id)


# -- 1. 教学点 under 2017 -----------------------------------------------------------------------


def test_quality_2017_counts_a_teaching_point_of_62_and_lists_49_and_12(tmp_path: Path) -> None:
    path = write(
        tmp_path / "点.xlsx",
        [
            full("甲"),
            full("乙"),
            point("红旗村教学点", 62),
            point("前进村教学点", 49),
            point("李湾村教学点", 12),
        ],
    )
    doc = run_json(path, *QUALITY)
    assert {s["code"] for s in doc["schools"]} == {"甲", "乙", "红旗村教学点"}
    assert unit(doc, "红旗村教学点")["level"] == "primary"
    excluded = {e["code"]: e for e in doc["excluded"]}
    assert set(excluded) == {"前进村教学点", "李湾村教学点"}
    for e in excluded.values():
        assert e["type"] == "教学点"
        assert "不足 50 人" in e["reason"] and "河北" in e["reason"]
    assert (doc["rows"]["evaluated"], doc["rows"]["excluded"]) == (3, 2)
    # 小学 高学历教师 over 甲, 乙 and the 62-pupil point: (17 + 17 + 3)/(400 + 400 + 62) × 100
    # = 3700/862 = 4.292343…
    level = primary(doc)
    assert level["schools"] == 3 and level["students"] == 862
    assert indicator(level, "qualified_teachers_per_100")["mean"] == pytest.approx(
        3700 / 862, rel=1e-12
    )
    # the point itself: 3/62×100 = 4.838710 ≥ 4.2, and it passes all seven
    assert check(unit(doc, "红旗村教学点"), "qualified_teachers_per_100")["value"] == (
        pytest.approx(300 / 62, rel=1e-12)
    )
    assert unit(doc, "红旗村教学点")["passed"] is True
    # the terminal says why, once for the two
    out = run("evaluate", path, *QUALITY).stdout
    assert out.count("在校生不足 50 人的教学点不纳入资源配置评估") == 1
    assert "前进村教学点" in out and "李湾村教学点" in out


def test_basic_2012_still_leaves_every_teaching_point_out(tmp_path: Path) -> None:
    path = write(
        tmp_path / "点.xlsx",
        [primary_school("甲", 400), {**primary_school("红旗村教学点", 62), "type": "教学点"}],
    )
    doc = run_json(path, *BASIC)
    ((e),) = doc["excluded"]
    assert e["code"] == "" and e["name"] == "红旗村教学点"
    assert e["reason"].startswith("教学点不纳入校际差异系数计算")


def test_a_province_file_can_turn_the_small_point_rule_off(tmp_path: Path) -> None:
    province = tmp_path / "本省.yaml"
    province.write_text(
        "id: my-province\nextends: quality-2017\nname: 本省\nversion: '1'\nsource: 测试\n"
        "school_types:\n  教学点:\n    small_school: {enabled: false}\n",
        encoding="utf-8",
    )
    path = write(tmp_path / "点.xlsx", [full("甲"), point("李湾村教学点", 12)])
    doc = run_json(path, "--standard", str(province))
    assert doc["excluded"] == []
    assert {s["code"] for s in doc["schools"]} == {"甲", "李湾村教学点"}


# -- 2. who runs the school ----------------------------------------------------------------------


def owned_county() -> list[dict]:
    """Books per pupil (basic-2012): 甲 12000/400 = 30 (公办), 丙 8000/200 = 40 (办学性质
    blank: 公办), 乙 3000/300 = 10 (民办), 丁 9000/300 = 30 (举办者 企业办), 戊 6000/200 = 30
    (举办者 县级教育部门)."""
    return [
        primary_school("甲", 400, books=12000, ownership="公办", sponsor="县级教育部门"),
        primary_school("乙", 300, books=3000, ownership="民办", sponsor="个人"),
        primary_school("丙", 200, books=8000),
        primary_school("丁", 300, books=9000, ownership="公办", sponsor="企业办"),
        primary_school("戊", 200, books=6000, ownership="公办", sponsor="县级教育部门"),
    ]


def test_basic_2012_leaves_out_private_and_enterprise_schools_quality_2017_keeps_them(
    tmp_path: Path,
) -> None:
    path = write(tmp_path / "性质.xlsx", owned_county())
    basic = run_json(path, *BASIC)
    excluded = {e["name"]: e["reason"] for e in basic["excluded"]}
    assert set(excluded) == {"乙", "丁"}
    assert "民办学校不纳入" in excluded["乙"] and excluded["乙"].endswith("（办学性质：民办）")
    assert "企业办" in excluded["丁"] and excluded["丁"].endswith("（举办者：企业办）")
    assert {s["name"] for s in basic["schools"]} == {"甲", "丙", "戊"}
    # 生均图书 over 甲, 丙, 戊: (12000 + 8000 + 6000)/(400 + 200 + 200) = 26000/800 = 32.5
    books = indicator(primary(basic), "books_per_student")
    assert books["mean"] == pytest.approx(32.5, rel=1e-12)
    # S² = (400/800)(30 − 32.5)² + (200/800)(40 − 32.5)² + (200/800)(30 − 32.5)²
    #    = 3.125 + 14.0625 + 1.5625 = 18.75; CV = √18.75 / 32.5 = 0.133235…
    assert books["cv"] == pytest.approx(18.75**0.5 / 32.5, rel=1e-12)
    # 丙 left 办学性质 and 举办者 blank: counted as 公办, run by the county, said once each
    assert basic["scope_notes"] == [
        "1 所学校未填“办学性质”：按公办计",
        "1 所学校未填“举办者”：按县（区）举办（非省市直属、高校附属、企业办）计",
    ]
    quality = run_json(path, *QUALITY)
    assert quality["excluded"] == [] and len(quality["schools"]) == 5
    assert quality["scope_notes"] == []


def test_without_the_columns_every_school_is_public_and_the_report_says_so_once(
    tmp_path: Path,
) -> None:
    path = write(tmp_path / "无列.xlsx", owned_county(), drop=("办学性质", "举办者"))
    doc = run_json(path, *BASIC)
    assert doc["excluded"] == [] and len(doc["schools"]) == 5
    first, second = doc["scope_notes"]
    assert first.startswith("未提供“办学性质”列：所有学校按公办计")
    assert second.startswith("未提供“举办者”列：所有学校按县（区）举办")
    assert "按公办计" in doc["scope_notes"][0]
    out = run("evaluate", path, *BASIC).stdout
    assert out.count("未提供“办学性质”列") == 1 and out.count("未提供“举办者”列") == 1


# -- 3. the 2019 规程's allowances ----------------------------------------------------------------


def allowance_county() -> list[dict]:
    """甲: 400 pupils, meets all seven.
    小: 60 pupils (50–99), no 体艺 teacher of its own, 1 走教: 0/60 → 0 < 0.765 (85% of
       0.9), below; with the 走教 teacher 1/60×100 = 1.6667 ≥ 0.9. Its other six are met:
       3/60×100 = 5 ≥ 4.2, 1/60×100 = 1.67 ≥ 1, 270/60 = 4.5, 450/60 = 7.5, 120000/60 = 2000,
       2/60×100 = 3.33 ≥ 2.3.
    百: 100 pupils (not 50–99) with 1 交流 teacher: not counted, 0/100 stays below.
    城: 城区, 400 pupils, 2000 ㎡ ground: 2000/400 = 5.0 < 6.375 (85% of 7.5), below; with
       1200 ㎡ leased 3200/400 = 8.0 ≥ 7.5.
    乡: 乡村, the same ground and lease: not counted (not 城区), 5.0 stays below.
    大: 2300 pupils, built 2008: ≤ 2400 instead of ≤ 2000.
    迁: 2300 pupils, built 2015, 1200 随迁子女 (1200/2300 = 52% > 50%): ≤ 2400.
    新: 2300 pupils, built 2015, 500 随迁子女: ≤ 2000, over it.
    老: built 1998, 音乐教室 75 ㎡ (≥ 73, < 96), 美术教室 70 ㎡ (≥ 67, < 90).
    晚: built 2018, 音乐教室 80 ㎡ < 96 (no allowance)."""
    small = dict(
        students_primary=60,
        teachers_primary=5,
        qualified_teachers_primary=3,
        backbone_teachers_primary=1,
        pe_arts_teachers_primary=0,
        teaching_area=270.0,
        sports_ground_area=450.0,
        equipment_value=120000.0,
        multimedia_rooms=2,
    )
    return [
        full("甲"),
        full("小", **small, shared_pe_arts_teachers_primary=1),
        full("百", **{**small, "students_primary": 100}, shared_pe_arts_teachers_primary=1),
        full("城", area_type="城区", sports_ground_area=2000.0, leased_sports_area=1200.0),
        full("乡", area_type="乡村", sports_ground_area=2000.0, leased_sports_area=1200.0),
        full("大", students_primary=2300, build_year=2008),
        full("迁", students_primary=2300, build_year=2015, migrant_students=1200),
        full("新", students_primary=2300, build_year=2015, migrant_students=500),
        full("老", build_year=1998, music_room_area=75.0, art_room_area=70.0),
        full("晚", build_year=2018, music_room_area=80.0),
    ]


ALLOWANCE_HEADERS = (
    "小学交流兼职体育艺术教师数",
    "租借或屋顶运动场地面积",
    "建校年份",
    "随迁子女数",
)


@pytest.fixture(scope="module")
def allowed(tmp_path_factory) -> tuple[Path, dict, dict]:
    folder = tmp_path_factory.mktemp("allowances")
    schools = allowance_county()
    with_columns = write(folder / "规程.xlsx", schools)
    without = write(folder / "严格.xlsx", schools, drop=ALLOWANCE_HEADERS)
    return with_columns, run_json(with_columns, *QUALITY), run_json(without, *QUALITY)


def test_a_60_pupil_school_passes_pe_arts_only_with_its_visiting_teacher(allowed) -> None:
    _, eased, strict = allowed
    pe = check(unit(eased, "小"), "pe_arts_teachers_per_100")
    assert pe["value"] == pytest.approx(100 / 60, rel=1e-12) and pe["status"] == "met"
    assert pe["strict_value"] == 0.0 and pe["strict_status"] == "below"
    assert "走教" in pe["allowance"]
    assert unit(eased, "小")["met"] == 7 and unit(eased, "小")["passed"] is True
    # without the column: 0/60 below 85 % of 0.9, so the school fails; 1 teacher short
    # (0.9 × 60 / 100 = 0.54 → 1)
    alone = check(unit(strict, "小"), "pe_arts_teachers_per_100")
    assert alone["value"] == 0.0 and alone["status"] == "below" and "allowance" not in alone
    assert alone["gap"] == 1.0
    assert unit(strict, "小")["passed"] is False
    # 100 pupils is not 50–99: its 交流 teacher is not counted
    hundred = check(unit(eased, "百"), "pe_arts_teachers_per_100")
    assert hundred["value"] == 0.0 and "allowance" not in hundred
    # the CV keeps the strict figures: the same in both runs
    assert indicator(primary(eased), "pe_arts_teachers_per_100")["cv"] == pytest.approx(
        indicator(primary(strict), "pe_arts_teachers_per_100")["cv"], rel=1e-12
    )


def test_a_city_school_passes_sports_grounds_with_leased_ground(allowed) -> None:
    _, eased, strict = allowed
    ground = check(unit(eased, "城"), "sports_area_per_student")
    # (0 + 2000 + 1200)/400 = 8.0 ≥ 7.5; strictly 2000/400 = 5.0 < 6.375
    assert ground["value"] == pytest.approx(8.0, rel=1e-12) and ground["status"] == "met"
    assert ground["strict_value"] == pytest.approx(5.0) and ground["strict_status"] == "below"
    assert unit(eased, "城")["passed"] is True
    assert unit(strict, "城")["passed"] is False
    # 3000 ㎡ needed strictly (7.5 × 400), 2000 there: 1000 ㎡ short without the lease
    assert check(unit(strict, "城"), "sports_area_per_student")["gap"] == 1000.0
    # a 乡村 school's lease does not count
    rural = check(unit(eased, "乡"), "sports_area_per_student")
    assert rural["value"] == pytest.approx(5.0) and rural["status"] == "below"
    assert unit(eased, "乡")["passed"] is False


def test_a_2300_pupil_school_built_in_2008_is_within_the_size_limit(allowed) -> None:
    _, eased, strict = allowed
    sizes = {c["name"]: c for c in eased["government"]["school_size"]}
    assert (sizes["大"]["students"], sizes["大"]["limit"], sizes["大"]["passed"]) == (
        2300,
        2400,
        True,
    )
    assert sizes["大"]["strict_limit"] == 2000 and "2010" in sizes["大"]["allowance"]
    # 1200/2300 = 52% 随迁子女 > 50%: the higher limit too
    assert (sizes["迁"]["limit"], sizes["迁"]["passed"]) == (2400, True)
    # built 2015, 500/2300 = 22%: the strict 2000
    assert (sizes["新"]["limit"], sizes["新"]["passed"]) == (2000, False)
    assert "allowance" not in sizes["新"]
    plain = {c["name"]: c for c in strict["government"]["school_size"]}
    assert (plain["大"]["limit"], plain["大"]["passed"]) == (2000, False)
    assert (plain["迁"]["limit"], plain["迁"]["passed"]) == (2000, False)


def test_a_1998_school_75_square_metre_music_room_is_accepted(allowed) -> None:
    _, eased, _ = allowed
    rooms = {(r["name"], r["field"]): r for r in eased["government"]["room_areas"]}
    music = rooms[("老", "music_room_area")]
    assert (music["area"], music["min_area"], music["strict_min_area"]) == (75.0, 73.0, 96.0)
    assert music["passed"] is True and music["strict_passed"] is False
    art = rooms[("老", "art_room_area")]
    assert (art["min_area"], art["passed"], art["strict_passed"]) == (67.0, True, False)
    late = rooms[("晚", "music_room_area")]  # built 2018: 80 < 96
    assert (late["min_area"], late["passed"], late["allowance"]) == (96.0, False, None)


def test_the_1998_music_room_fails_without_the_build_year(tmp_path: Path) -> None:
    path = write(
        tmp_path / "无年份.xlsx",
        [full("甲"), full("老", build_year=1998, music_room_area=75.0)],
        drop=("建校年份",),
    )
    doc = run_json(path, *QUALITY)
    (music,) = doc["government"]["room_areas"]
    assert (music["min_area"], music["passed"], music["allowance"]) == (96.0, False, None)
    assert doc["allowances"] == []


def test_allowances_are_listed_with_the_strict_and_the_allowed_figure(allowed) -> None:
    path, eased, strict = allowed
    uses = {(u["name"], u["item"]): u for u in eased["allowances"]}
    # 小, 城 (values), 大, 迁 (size over 2000), 老 ×2 (rooms under 96 / 90); not 晚, not 新
    assert sorted(uses) == sorted(
        [
            ("小", "每百名学生拥有体育、艺术（美术、音乐）专任教师数"),
            ("城", "生均体育运动场馆面积"),
            ("大", "学校规模（人）"),
            ("迁", "学校规模（人）"),
            ("老", "音乐专用教室单间面积（㎡）"),
            ("老", "美术专用教室单间面积（㎡）"),
        ]
    )
    size = uses[("大", "学校规模（人）")]
    assert (size["value"], size["threshold"], size["strict_threshold"]) == (2300, 2400, 2000)
    assert (size["passed"], size["strict_passed"], size["label"]) == (True, False, "按规程")
    assert strict["allowances"] == []
    # terminal
    out = run("evaluate", path, *QUALITY, "--detail").stdout
    assert "按规程（2019 年督导评估规程）放宽的项目：6 项" in out
    assert "2,300 > 2,000 未达标" in out and "2,300 ≤ 2,400 达标" in out
    assert "75 < 96 未达标" in out and "75 ≥ 73 达标" in out
    assert "0 < 0.90 未达标" in out and "1.67 ≥ 0.90 达标" in out


def test_allowances_in_the_xlsx_html_and_explain(allowed, tmp_path: Path) -> None:
    path, _, _ = allowed
    xlsx = tmp_path / "报告.xlsx"
    assert run("evaluate", path, *QUALITY, "-o", xlsx).exit_code == 0
    sheet = openpyxl.load_workbook(xlsx)["按规程"]
    rows = {(r[1], r[3]): r for r in sheet.iter_rows(min_row=2, values_only=True)}
    music = rows[("老", "音乐专用教室单间面积（㎡）")]
    assert music[4:10] == (75, "≥ 96", "未达标", 75, "≥ 73", "达标")
    pe = rows[("小", "每百名学生拥有体育、艺术（美术、音乐）专任教师数")]
    assert pe[4] == 0 and pe[7] == pytest.approx(100 / 60)
    schools = pd.read_excel(xlsx, sheet_name="学校达标", engine="openpyxl")
    small = schools[schools["学校名称"] == "小"].iloc[0]
    assert small["体艺教师"] == 0 and small["体艺教师按规程值"] == pytest.approx(100 / 60)
    html = tmp_path / "报告.html"
    assert run("evaluate", path, *QUALITY, "-o", html).exit_code == 0
    page = html.read_text(encoding="utf-8")
    assert "按规程（2019 年督导评估规程）放宽的项目" in page and "≥ 73" in page
    explained = run(
        "explain", path, *QUALITY, "--school", "小", "--indicator", "pe_arts_teachers_per_100"
    )
    assert explained.exit_code == 0, explained.output
    # strict 0/60 = 0; allowed (0 + 1)/60 × 100 = 1.666667
    assert "按规程：规模 50–99 人的学校计入交流、兼职、走教体育艺术教师" in explained.stdout
    assert "1.666667" in explained.stdout and "严格口径 0.000000 → 低于85%" in explained.stdout


# -- 4. partial indicator sets -------------------------------------------------------------------

HANDOUT = [
    ("小学1", 45, 279),
    ("小学2", 37, 137),
    ("小学3", 89, 935),
    ("小学4", 76, 160),
    ("小学5", 55, 402),
]


def handout_workbook(path: Path) -> Path:
    frame = pd.DataFrame(
        [
            {"学校名称": n, "学校类型": "小学", "小学在校生数": p, "图书册数": b}
            for n, p, b in HANDOUT
        ]
    )
    write_sheet_xlsx(frame, path, "学校")
    return path


def test_books_only_with_indicators_gives_the_handout_cv_and_no_verdict(tmp_path: Path) -> None:
    path = handout_workbook(tmp_path / "讲义.xlsx")
    doc = run_json(path, "--indicators", "books_per_student")
    # X̄ = 1913/302 = 6.334437, S = 3.263861, CV = 0.515257 (the handout's 0.52)
    books = indicator(primary(doc), "books_per_student")
    assert books["mean"] == pytest.approx(1913 / 302, rel=1e-12)
    assert books["cv"] == pytest.approx(0.515257, abs=5e-7)
    assert [i["id"] for i in primary(doc)["indicators"]] == ["books_per_student"]
    assert doc["passed"] is None and doc["partial"] is True
    assert doc["indicators_evaluated"] == ["books_per_student"]
    assert primary(doc)["passed"] is None and primary(doc)["composite_cv"] is None
    # by the Chinese short name too, and the terminal says there is no overall verdict
    out = run("evaluate", path, "--indicators", "图书")
    assert out.exit_code == 0, out.output
    assert "0.5153" in out.stdout and "不给总体结论" in out.stdout
    assert "全县校际差异系数" not in out.stdout


def test_a_partial_2017_run_reports_checks_but_no_school_verdict(tmp_path: Path) -> None:
    frame = pd.DataFrame(
        [
            # only 高学历 is asked for: 学校名称, 学校类型, 在校生, 高于规定学历教师
            {
                "学校名称": "甲",
                "学校类型": "小学",
                "小学在校生数": 400,
                "小学专任教师数": 22,
                "小学高于规定学历教师数": 17,
                "初中高于规定学历教师数": None,  # every evaluated level's column, empty here
            },
            {
                "学校名称": "乙",
                "学校类型": "小学",
                "小学在校生数": 200,
                "小学专任教师数": 10,
                "小学高于规定学历教师数": 6,
                "初中高于规定学历教师数": None,
            },
        ]
    )
    path = tmp_path / "部分.xlsx"
    write_sheet_xlsx(frame, path, "学校")
    doc = run_json(path, *QUALITY, "--indicators", "高学历教师")
    # 甲 17/400 × 100 = 4.25 ≥ 4.2 met; 乙 6/200 × 100 = 3.0 < 3.57 (85 %) below
    assert check(unit_by_name(doc, "甲"), "qualified_teachers_per_100")["status"] == "met"
    yi = check(unit_by_name(doc, "乙"), "qualified_teachers_per_100")
    assert yi["status"] == "below" and yi["gap"] == 3.0  # 4.2 × 200 / 100 = 8.4 → 9 − 6
    assert unit_by_name(doc, "乙")["passed"] is None and doc["passed"] is None
    # mean (17 + 6)/600 × 100 = 3.833333; each CV still against its limit 0.50
    qualified = indicator(primary(doc), "qualified_teachers_per_100")
    assert qualified["mean"] == pytest.approx(2300 / 600, rel=1e-12)
    assert qualified["limit"] == 0.5 and qualified["passed"] is not None


def unit_by_name(doc: dict, name: str) -> dict:
    return next(s for s in doc["schools"] if s["name"] == name)


def test_missing_columns_name_the_indicators_that_could_be_evaluated(tmp_path: Path) -> None:
    path = handout_workbook(tmp_path / "讲义.xlsx")
    result = run("evaluate", path)
    assert result.exit_code == 1
    assert "图书（books_per_student）" in result.stdout
    assert "--indicators books_per_student" in result.stdout
    document = json.loads(run("evaluate", path, "--format", "json").stdout)
    assert document["evaluable_indicators"] == ["books_per_student"]
    checked = run("validate", path)
    assert checked.exit_code == 1 and "--indicators books_per_student" in checked.stdout
    assert run("validate", path, "--indicators", "books_per_student").exit_code == 0


def test_explain_works_on_a_books_only_workbook_with_indicators(tmp_path: Path) -> None:
    path = handout_workbook(tmp_path / "讲义.xlsx")
    args = ["explain", path, "--school", "小学3", "--indicator", "图书"]
    assert run(*args).exit_code == 1  # the other seven indicators' columns are missing
    result = run(*args, "--indicators", "books_per_student")
    assert result.exit_code == 0, result.output
    # 935/89 = 10.505618; X̄ = 1913/302 = 6.334437; CV = 3.263861/6.334437 = 0.515257
    for figure in ("10.505618", "6.334437", "3.263861", "0.515257"):
        assert figure in result.stdout


def test_an_unknown_indicator_is_a_usage_error(tmp_path: Path) -> None:
    path = handout_workbook(tmp_path / "讲义.xlsx")
    result = run("evaluate", path, "--indicators", "books,图书")
    assert result.exit_code == 2
    assert "没有指标 'books'" in result.stderr and "books_per_student（图书）" in result.stderr


# -- 5. explain numbers its sections -------------------------------------------------------------


def test_explain_numbers_the_primary_and_junior_sections(tmp_path: Path) -> None:
    nine = {
        **primary_school("九年", 300),
        "type": "九年一贯制学校",
        "students_junior": 200,
        "teachers_junior": 15,
        "qualified_teachers_junior": 12,
        "senior_title_teachers_junior": 6,
    }
    path = write(
        tmp_path / "九年.xlsx",
        [
            primary_school("甲", 400),
            nine,
            {
                **primary_school("初", 300),
                "type": "初中",
                "students_primary": None,
                "students_junior": 300,
                "teachers_junior": 18,
                "qualified_teachers_junior": 15,
                "senior_title_teachers_junior": 8,
            },
        ],
    )
    result = run("explain", path, "--school", "九年", "--indicator", "books_per_student")
    assert result.exit_code == 0, result.output
    out = result.stdout
    assert "一、本校" in out
    assert "二、全县小学差异系数" in out and "三、全县初中差异系数" in out
    assert out.count("二、") == 1


# -- the template carries the new optional columns ----------------------------------------------


def test_templates_offer_the_scope_and_allowance_columns() -> None:
    from junheng_cli.standards.model import load_standard
    from junheng_cli.workflows.template import build_template

    quality = {c.header: c.need for c in build_template(load_standard("quality-2017")).columns}
    basic = {c.header: c.need for c in build_template(load_standard("basic-2012")).columns}
    assert quality["办学性质"] == basic["举办者"] == "建议填写"
    for header in (
        "小学交流兼职体育艺术教师数",
        "租借或屋顶运动场地面积（㎡）",
        "建校年份",
        "随迁子女数",
    ):
        assert quality[header] == "选填（按规程放宽时用）"
    assert "音乐专用教室单间面积（㎡）" in quality
    assert "建校年份" not in basic and "随迁子女数" not in basic
