"""Where the imbalance lies: the Theil index decomposed between and within 城乡类型 / 所在乡镇."""

from __future__ import annotations

import json
import math
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st
from openpyxl import load_workbook
from typer.testing import CliRunner

from helpers import SAMPLE, examples, primary_school
from junheng_cli.cli.app import app
from junheng_cli.compute.inequality import decompose, level_inequality, phi
from junheng_cli.standards.model import load_standard

runner = CliRunner()


def theil_of(x: list[float], n: list[float], groups: list[str]) -> dict[str, float]:
    """T, T_B, T_W of one level and one indicator, through ``decompose``."""
    index = pd.RangeIndex(len(x))
    split = decompose(
        pd.DataFrame({"v": x}, index=index, dtype="float64"),
        pd.Series(n, index=index, dtype="float64"),
        pd.Series("primary", index=index),
        pd.Series(groups, index=index),
    )
    return split.totals.loc[("primary", "v")].to_dict()


# -- a hand-computed example ---------------------------------------------------------------------
def test_four_units_in_two_groups_by_hand() -> None:
    # 城区: A (200 students, x = 3), B (200, x = 6); 乡村: C (100, x = 1), D (100, x = 3).
    # N = 600, s = 1/3, 1/3, 1/6, 1/6; μ = 3/3 + 6/3 + 1/6 + 3/6 = 11/3 = 3.666667.
    # T = Σ s (x/μ) ln(x/μ):
    #   1/3 · 0.818182 · ln 0.818182 = 1/3 · 0.818182 · −0.200671 = −0.054728
    #   1/3 · 1.636364 · ln 1.636364 = 1/3 · 1.636364 ·  0.492476 =  0.268624
    #   1/6 · 0.272727 · ln 0.272727 = 1/6 · 0.272727 · −1.299283 = −0.059058
    #   1/6 · 0.818182 · ln 0.818182 = 1/6 · 0.818182 · −0.200671 = −0.027364
    #   T = 0.127473 (0.127474 from the rounded terms)
    # Groups: s_城区 = 2/3, μ_城区 = (1 + 2) / (2/3) = 4.5;
    #         s_乡村 = 1/3, μ_乡村 = (1/6 + 3/6) / (1/3) = 2.
    # T_B = 2/3 · (4.5/μ) ln(4.5/μ) + 1/3 · (2/μ) ln(2/μ)
    #     = 2/3 · 1.227273 · 0.204794 + 1/3 · 0.545455 · −0.606136 = 0.167559 − 0.110207
    #     = 0.057353
    # T_城区 = ½ (2/3 ln 2/3 + 4/3 ln 4/3) = ½ (−0.270310 + 0.383576) = 0.056633
    # T_乡村 = ½ (½ ln ½ + 3/2 ln 3/2)     = ½ (−0.346574 + 0.608198) = 0.130812
    # T_W = 2/3 · 1.227273 · 0.056633 + 1/3 · 0.545455 · 0.130812 = 0.046336 + 0.023784
    #     = 0.070120  (weighting T_g by s_g alone would give 0.081359: wrong)
    # T_B + T_W = 0.057353 + 0.070120 = 0.127473 = T; between share 0.057353 / 0.127473 = 45.0%.
    got = theil_of([3, 6, 1, 3], [200, 200, 100, 100], ["城区", "城区", "乡村", "乡村"])
    assert got["mean"] == pytest.approx(11 / 3, rel=1e-15)
    assert got["theil"] == pytest.approx(0.127473, abs=5e-7)
    assert got["between"] == pytest.approx(0.057353, abs=5e-7)
    assert got["within"] == pytest.approx(0.070120, abs=5e-7)
    assert got["between"] / got["theil"] == pytest.approx(0.449920, abs=5e-7)


def test_groups_carry_students_mean_and_own_theil() -> None:
    index = pd.RangeIndex(4)
    split = decompose(
        pd.DataFrame({"v": [3.0, 6.0, 1.0, 3.0]}, index=index),
        pd.Series([200, 200, 100, 100], index=index),
        pd.Series("primary", index=index),
        pd.Series(["城区", "城区", "乡村", "乡村"], index=index),
    )
    urban = split.groups.loc[("primary", "v", "城区")]
    rural = split.groups.loc[("primary", "v", "乡村")]
    # the hand example above: μ_城区 = 4.5, T_城区 = 0.056633; μ_乡村 = 2, T_乡村 = 0.130812
    assert (urban["units"], urban["students"], urban["mean"]) == (2, 400, pytest.approx(4.5))
    assert (rural["units"], rural["students"], rural["mean"]) == (2, 200, pytest.approx(2.0))
    assert urban["theil"] == pytest.approx(0.056633, abs=5e-7)
    assert rural["theil"] == pytest.approx(0.130812, abs=5e-7)


def test_phi_is_exact_near_one_and_at_zero() -> None:
    # φ(r) = r ln r − r + 1. φ(0) = 1 (0 · ln 0 = 0). φ(1 + d) ≈ d²/2 − d³/6: for d = 1e-6,
    # 5e-13 − 1.7e-19; the plain form would lose half of its digits here.
    mean = np.array([1.0, 2.0, 4.0])
    got = phi(np.array([0.0, 2.0 * (1 + 1e-6), 8.0]), mean)
    assert got[0] == 1.0
    assert got[1] == pytest.approx(0.5e-12 - 1e-18 / 6, rel=1e-9)
    assert got[2] == pytest.approx(2 * math.log(2) - 1, rel=1e-15)  # r = 2: 2 ln 2 − 2 + 1
    assert np.isnan(phi(np.array([1.0]), np.array([0.0]))[0])


# -- laws -----------------------------------------------------------------------------------------
value = st.one_of(st.just(0.0), st.floats(min_value=1e-3, max_value=1e4))
unit = st.tuples(value, st.integers(min_value=1, max_value=3000), st.sampled_from("甲乙丙丁"))
units = st.lists(unit, min_size=1, max_size=30)


def _columns(drawn: list[tuple[float, int, str]]) -> tuple[list[float], list[int], list[str]]:
    x, n, g = (list(c) for c in zip(*drawn, strict=True))
    return x, n, g


def plain_theil(x: np.ndarray, n: np.ndarray) -> float:
    """The textbook form Σ s (x/μ) ln(x/μ), 0 · ln 0 = 0, in plain numpy."""
    s = n / n.sum()
    r = x / (s * x).sum()
    return float((s * np.where(r > 0, r * np.log(np.where(r > 0, r, 1.0)), 0.0)).sum())


@pytest.mark.slow
@settings(max_examples=examples(300), deadline=None)
@given(units)
def test_between_plus_within_is_the_total(drawn: list[tuple[float, int, str]]) -> None:
    x, n, g = _columns(drawn)
    assume(sum(x) > 0)
    got = theil_of(x, n, g)
    t, tb, tw = got["theil"], got["between"], got["within"]
    assert t >= 0 and tb >= 0 and tw >= 0
    # + 1e-18 absolute: when the values agree to 8–9 digits T itself is ~1e-18, and the last
    # bits of the group means (about 1e-16 · |μ_g/μ − 1|) are all that T_B is made of
    assert abs(tb + tw - t) <= 1e-12 * t + 1e-18
    assert t == pytest.approx(
        plain_theil(np.array(x), np.array(n, dtype=float)), rel=1e-9, abs=1e-12
    )


@pytest.mark.slow
@settings(max_examples=examples(200), deadline=None)
@given(units, st.floats(min_value=1e-3, max_value=1e3))
def test_scale_invariance(drawn: list[tuple[float, int, str]], c: float) -> None:
    x, n, g = _columns(drawn)
    assume(sum(x) > 0)
    before = theil_of(x, n, g)
    after = theil_of([c * v for v in x], n, g)
    for key in ("theil", "between", "within"):
        assert after[key] == pytest.approx(before[key], rel=1e-9, abs=1e-15)


@pytest.mark.slow
@settings(max_examples=examples(100), deadline=None)
@given(
    st.floats(min_value=1e-3, max_value=1e4),
    st.lists(st.tuples(st.integers(1, 3000), st.sampled_from("甲乙丙")), min_size=1, max_size=20),
)
def test_equal_values_have_no_inequality(x: float, drawn: list[tuple[int, str]]) -> None:
    n, g = (list(c) for c in zip(*drawn, strict=True))
    got = theil_of([x] * len(n), n, g)
    # μ = Σ n x / Σ n may differ from x in its last bit: T is then ~1e-32, not exactly 0
    assert got["theil"] <= 1e-24 and got["between"] <= 1e-24 and got["within"] <= 1e-24


@pytest.mark.slow
@settings(max_examples=examples(100), deadline=None)
@given(units)
def test_one_group_has_nothing_between(drawn: list[tuple[float, int, str]]) -> None:
    x, n, _ = _columns(drawn)
    assume(sum(x) > 0)
    got = theil_of(x, n, ["甲"] * len(x))
    assert got["between"] <= 1e-24
    assert got["within"] == pytest.approx(got["theil"], rel=1e-12, abs=1e-15)


def test_nobody_has_any_leaves_theil_undefined() -> None:
    got = theil_of([0.0, 0.0, 0.0], [100, 200, 300], ["甲", "乙", "乙"])
    assert all(math.isnan(got[k]) for k in ("theil", "between", "within"))


# -- result objects: 未填写, 未提供, μ = 0 --------------------------------------------------------
def _units(rows: list[dict[str, object]]) -> pd.DataFrame:
    frame = pd.DataFrame(rows)
    frame["level"] = "primary"
    return frame


def test_missing_group_values_form_the_group_unfilled_and_an_absent_column_is_not_given() -> None:
    standard = load_standard("quality-2017")
    ind = standard.indicators[0]
    units = _units(
        [
            {"students": 200, "area_type": "城区"},
            {"students": 200, "area_type": "城区"},
            {"students": 100, "area_type": ""},
            {"students": 100, "area_type": None},
        ]
    )
    values = pd.DataFrame({i.id: [3.0, 6.0, 1.0, 2.0] for i in standard.indicators})
    (level,) = level_inequality(units, values, standard)
    area, township = level.groupings
    assert (area.name, area.available, area.unfilled) == ("城乡类型", True, 2)
    split = area.indicators[0]
    assert split.indicator == ind.id
    assert [g.name for g in split.groups] == ["城区", "未填写"]
    # x = 3, 6, 1, 2 (乡村 unfilled). μ = 3.5, μ_城区 = 4.5, μ_未填写 = 1.5:
    # T_B = 2/3 · (9/7) ln(9/7) + 1/3 · (3/7) ln(3/7) = 0.215412 − 0.121043 = 0.094370;
    # inside both groups the values are (2/3, 4/3) × the mean: T_g = 0.056633 = T_W,
    # T = 0.151003, share 0.094370 / 0.151003 = 62.5% ≥ 50%
    assert split.between == pytest.approx(0.094370, abs=5e-7)
    assert split.mainly_between is True
    # no township column at all: 未提供, no numbers, not an error
    assert (township.name, township.available, township.indicators) == ("所在乡镇", False, [])


def test_zero_everywhere_reports_none_and_equal_values_report_no_share() -> None:
    standard = load_standard("quality-2017")
    units = _units([{"students": 100, "township": "甲镇"}, {"students": 300, "township": "乙乡"}])
    zeros = pd.DataFrame({i.id: [0.0, 0.0] for i in standard.indicators})
    (level,) = level_inequality(units, zeros, standard)
    split = level.groupings[1].indicators[0]
    assert (split.theil, split.between, split.within, split.between_share) == (
        None,
        None,
        None,
        None,
    )
    assert split.mainly_between is None
    assert [g.theil for g in split.groups] == [None, None]  # μ_g = 0 too
    same = pd.DataFrame({i.id: [2.5, 2.5] for i in standard.indicators})
    (level,) = level_inequality(units, same, standard)
    split = level.groupings[1].indicators[0]
    assert split.theil is not None and split.theil <= 1e-24
    assert split.between_share is None and split.mainly_between is None


# -- what the analyst sees ----------------------------------------------------------------------
def _county(write_county, area: list[str], township: list[str]) -> Path:
    # four 小学 with per-100 backbone teachers 3, 6, 1, 2 (students 200, 200, 100, 100)
    schools = [
        primary_school(
            f"校{i}", n, teachers_primary=20, backbone_teachers_primary=b, area_type=a, township=t
        )
        for i, (n, b, a, t) in enumerate(
            zip([200, 200, 100, 100], [6, 12, 1, 2], area, township, strict=True)
        )
    ]
    return write_county(schools)


def test_terminal_says_where_the_gap_lies(write_county) -> None:
    path = _county(write_county, ["城区", "城区", "乡村", "乡村"], ["甲镇", "乙镇", "甲镇", ""])
    result = runner.invoke(app, ["evaluate", str(path), "--standard", "quality-2017", "--detail"])
    assert result.exit_code == 0, result.output
    out = result.output
    assert "差距来源" in out
    # backbone teachers per 100 students 3, 6, 1, 2: T = 0.151003, 62% between 城乡 (worked out
    # in test_missing_group_values_form_the_group_unfilled_and_an_absent_column_is_not_given)
    line = next(row for row in out.splitlines() if "骨干教师" in row and "差距主要" in row)
    assert "0.1510" in line and "差距主要在城乡之间（组间 62%）" in line
    assert "小学：1 个学段单位未填写所在乡镇，作为“未填写”一组计算" in out


def test_json_with_an_empty_township_column_says_not_given(write_county) -> None:
    path = _county(write_county, ["城区", "城区", "乡村", "乡村"], ["", "", "", ""])
    result = runner.invoke(
        app, ["evaluate", str(path), "--standard", "quality-2017", "--format", "json"]
    )
    assert result.exit_code == 0, result.output
    (level,) = json.loads(result.stdout)["inequality"]
    area, township = level["groupings"]
    assert township == {
        "field": "township",
        "name": "所在乡镇",
        "available": False,
        "unfilled": 4,
        "indicators": [],
    }
    backbone = next(i for i in area["indicators"] if i["id"] == "backbone_teachers_per_100")
    assert backbone["theil"] == pytest.approx(0.151003, abs=5e-7)
    assert backbone["between_share"] == pytest.approx(0.624954, abs=5e-7)
    assert [g["name"] for g in backbone["groups"]] == ["城区", "乡村"]
    assert [g["students"] for g in backbone["groups"]] == [400, 200]


def _numpy_decomposition(x: np.ndarray, n: np.ndarray, groups: np.ndarray) -> tuple[float, ...]:
    """T, T_B, T_W straight from the definitions, with plain numpy."""
    s = n / n.sum()
    mu = (s * x).sum()
    t = plain_theil(x, n)
    tb = tw = 0.0
    for g in np.unique(groups):
        inside = groups == g
        s_g = s[inside].sum()
        mu_g = (s[inside] * x[inside]).sum() / s_g
        tb += s_g * (mu_g / mu) * math.log(mu_g / mu)
        tw += s_g * (mu_g / mu) * plain_theil(x[inside], n[inside])
    return t, tb, tw


@pytest.fixture(scope="module")
def sample_reports(tmp_path_factory) -> tuple[dict, Path]:
    out = tmp_path_factory.mktemp("sample") / "报告.xlsx"
    result = runner.invoke(
        app, ["evaluate", str(SAMPLE), "--standard", "quality-2017", "--format", "json"]
    )
    assert result.exit_code == 0, result.output
    written = runner.invoke(
        app, ["evaluate", str(SAMPLE), "--standard", "quality-2017", "-o", str(out)]
    )
    assert written.exit_code == 0, written.output
    return json.loads(result.stdout), out


def test_sample_json_and_xlsx_carry_the_decomposition(sample_reports: tuple[dict, Path]) -> None:
    doc, xlsx = sample_reports
    sheet = pd.read_excel(SAMPLE, sheet_name="学校", dtype={"学校标识码": str}, engine="openpyxl")
    where = sheet.set_index("学校标识码")[["城乡类型", "所在乡镇"]]
    schools = pd.DataFrame(doc["schools"])
    names = {i["id"]: i["short_name"] or i["name"] for i in _indicators()}
    by_key = {(r[0], r[1], r[2]): r for r in _first_table(xlsx)}
    checked = 0
    for level in doc["inequality"]:
        mine = schools[schools["level"] == level["level"]]
        n = mine["students"].to_numpy(dtype=float)
        for grouping in level["groupings"]:
            assert grouping["available"] and grouping["unfilled"] == 0
            column = {"area_type": "城乡类型", "township": "所在乡镇"}[grouping["field"]]
            groups = where.loc[mine["code"], column].to_numpy()
            for ind in grouping["indicators"]:
                x = np.array([v[ind["id"]] for v in mine["values"]], dtype=float)
                t, tb, tw = _numpy_decomposition(x, n, groups)
                assert ind["theil"] == pytest.approx(t, rel=1e-9)
                assert ind["between"] == pytest.approx(tb, rel=1e-9)
                assert ind["within"] == pytest.approx(tw, rel=1e-9)
                assert ind["between_share"] == pytest.approx(tb / t, rel=1e-9)
                assert sum(g["students"] for g in ind["groups"]) == int(n.sum())
                row = by_key[(level["name"], grouping["name"], names[ind["id"]])]
                # 学段 分组 指标 判断 泰尔指数 组间 组内 组间占比
                assert row[4:8] == pytest.approx((t, tb, tw, tb / t), rel=1e-9)
                assert row[3].startswith("差距主要在")
                checked += 1
    assert checked == 2 * 2 * 7  # levels × groupings × indicators


def _first_table(xlsx: Path) -> list[tuple]:
    """The rows of the sheet's first table: below its 学段 header, down to the blank row."""
    rows = list(load_workbook(xlsx, data_only=True)["差距来源"].iter_rows(values_only=True))
    start = next(i for i, r in enumerate(rows) if r[0] == "学段") + 1
    end = next(i for i in range(start, len(rows)) if rows[i][0] is None)
    return rows[start:end]


def _indicators() -> list[dict[str, str | None]]:
    standard = load_standard("quality-2017")
    return [{"id": i.id, "name": i.name, "short_name": i.short_name} for i in standard.indicators]
