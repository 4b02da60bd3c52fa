"""The sample county: junheng's JSON against an independent, plain-Python calculation."""

from __future__ import annotations

import json
import math
import re

import pytest
from openpyxl import load_workbook
from synthetic import CountySpec, generate_county, generated_columns
from typer.testing import CliRunner

from helpers import SAMPLE
from junheng_cli.cli.app import app

# The eight 2012 indicators, written out again here on purpose (not read from the standard).
INDICATORS = {
    "teaching_area_per_student": (["教学及辅助用房面积"], 1),
    "sports_area_per_student": (["体育馆面积", "运动场地面积"], 1),
    "equipment_value_per_student": (["教学仪器设备值"], 1),
    "computers_per_100": (["计算机台数"], 100),
    "books_per_student": (["图书册数"], 1),
    "teachers_per_student": (["{L}专任教师数"], 1),
    "qualified_teachers_per_student": (["{L}高于规定学历教师数"], 1),
    "senior_title_teachers_per_student": (["{L}中级及以上职称教师数"], 1),
}
LEVELS = {"primary": "小学", "junior": "初中"}
WEIGHTS = {
    "小学": {"小学": 1.0},
    "初中": {"初中": 1.0},
    "九年一贯制学校": {"小学": 1.0, "初中": 1.1},
    "完全中学": {"初中": 1.0, "高中": 1.2},
    "十二年一贯制学校": {"小学": 1.0, "初中": 1.1, "高中": 1.32},
}


def read_sample_rows() -> list[dict]:
    ws = load_workbook(SAMPLE, read_only=True)["学校"]
    rows = list(ws.iter_rows(values_only=True))
    headers = [re.sub(r"（.*）$", "", h) for h in rows[0]]
    return [dict(zip(headers, r, strict=True)) for r in rows[1:]]


def independent_units() -> dict[str, list[tuple[float, dict[str, float]]]]:
    """level → list of (students, {indicator: value}) computed school by school."""
    units: dict[str, list] = {"小学": [], "初中": []}
    for row in read_sample_rows():
        weights = WEIGHTS.get(row["学校类型"])
        if weights is None:
            continue
        weighted = sum(w * (row[f"{lv}在校生数"] or 0) for lv, w in weights.items())
        for level in ("小学", "初中"):
            if level not in weights:
                continue
            students = row[f"{level}在校生数"]
            share = weights[level] * students / weighted
            values = {}
            for ind, (fields, scale) in INDICATORS.items():
                total = 0.0
                for f in fields:
                    total += row[f.format(L=level)] if "{L}" in f else row[f] * share
                values[ind] = total / students * scale
            units[level].append((students, values))
    return units


def independent_cv(units: list[tuple[float, dict[str, float]]], ind: str) -> tuple[float, ...]:
    total = sum(p for p, _ in units)
    mean = sum(p * v[ind] for p, v in units) / total
    variance = sum(p / total * (v[ind] - mean) ** 2 for p, v in units)
    return mean, math.sqrt(variance), math.sqrt(variance) / mean


@pytest.fixture(scope="module")
def document() -> dict:
    result = CliRunner().invoke(
        app, ["evaluate", str(SAMPLE), "--standard", "basic-2012", "--format", "json"]
    )
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def test_sample_numbers_agree_with_an_independent_calculation(document) -> None:
    units = independent_units()
    for level in document["levels"]:
        mine = units[LEVELS[level["level"]]]
        assert level["schools"] == len(mine)
        assert level["students"] == sum(p for p, _ in mine)
        cvs = []
        for ind in level["indicators"]:
            mean, sd, cv = independent_cv(mine, ind["id"])
            assert ind["mean"] == pytest.approx(mean, rel=1e-9), ind["id"]
            assert ind["sd"] == pytest.approx(sd, rel=1e-9), ind["id"]
            assert ind["cv"] == pytest.approx(cv, rel=1e-9), ind["id"]
            cvs.append(cv)
        assert level["composite_cv"] == pytest.approx(sum(cvs) / 8, rel=1e-9)
        assert level["passed"] is (sum(cvs) / 8 <= level["composite_limit"])


def test_sample_is_a_county_of_every_type(document) -> None:
    rows = read_sample_rows()
    assert len(rows) >= 120
    types = {r["学校类型"] for r in rows}
    assert types == {
        "小学",
        "初中",
        "九年一贯制学校",
        "十二年一贯制学校",
        "完全中学",
        "教学点",
        "特殊教育学校",
    }
    assert len({r["所在乡镇"] for r in rows}) >= 5
    assert {r["城乡类型"] for r in rows} == {"城区", "镇区", "乡村"}
    excluded = {e["type"] for e in document["excluded"]}
    assert excluded == {"教学点", "特殊教育学校"}
    assert document["rows"]["read"] == len(rows)


def test_a_nine_year_school_appears_in_both_levels_with_split_quantities(document) -> None:
    nine = [s for s in document["schools"] if s["type"] == "九年一贯制学校"]
    code = nine[0]["code"]
    parts = {s["level"]: s for s in nine if s["code"] == code}
    assert set(parts) == {"primary", "junior"}
    row = next(r for r in read_sample_rows() if r["学校标识码"] == code)
    a, b = row["小学在校生数"], row["初中在校生数"]
    assert parts["primary"]["quantities"]["books"] == pytest.approx(
        row["图书册数"] * a / (a + 1.1 * b), rel=1e-12
    )
    assert parts["primary"]["quantities"]["books"] + parts["junior"]["quantities"][
        "books"
    ] == pytest.approx(row["图书册数"], rel=1e-12)


def test_sample_file_is_what_the_generator_makes() -> None:
    expected = generate_county(CountySpec())
    rows = read_sample_rows()
    headers = [c.header for c in generated_columns()]
    assert list(expected.columns) == headers
    for got, (_, want) in zip(rows, expected.iterrows(), strict=True):
        for h in headers:
            w = want[h]
            if isinstance(w, float) and math.isnan(w):
                assert got[h] is None, h
            else:
                assert got[h] == w, h
