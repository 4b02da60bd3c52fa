"""A three-school county worked out by hand, through the whole CLI.

Schools (whole-school quantities per unit of books; the other quantities are the same
pattern scaled, so every CV of a level is equal — a CV does not depend on scale):

  A 小学            P = 100            books 5000  → X = 50
  C 九年一贯制学校  P = 300 + 200      books 15600 → shares 300/520 and 220/520
                                        primary 9000 (X = 30), junior 6600 (X = 33)
  B 初中            P = 200            books 2200·r → X = 11·r

小学: mean = 14000/400 = 35, S² = ¼·15² + ¾·5² = 75, CV = √75/35 = √0.75/3.5
初中: mean = (11r + 33)/2, |X − mean| = |33 − 11r|/2, CV = |3 − r|/(3 + r)
Teachers follow the same pattern per level (A 5, C 9 | 12, B 4·r).
"""

from __future__ import annotations

import json
import math

import pytest
from typer.testing import CliRunner

from junheng_cli.cli.app import app

SCALE = {
    "teaching_area": 0.1,
    "sports_ground_area": 0.2,
    "equipment_value": 60.0,
    "computers": 0.005,
    "books": 1.0,
}
PRIMARY_CV = math.sqrt(0.75) / 3.5


def whole(books: float) -> dict[str, float]:
    q = {k: books * f for k, f in SCALE.items()}
    q["gym_area"] = 0.0
    q["multimedia_rooms"] = 1.0
    return q


def teachers(level: str, n: float) -> dict[str, float]:
    return {f"{k}_{level}": n for k in ("teachers", "qualified_teachers", "senior_title_teachers")}


def county(r: float) -> list[dict]:
    return [
        {
            "code": "A",
            "name": "甲小学",
            "type": "小学",
            "students_primary": 100,
            **teachers("primary", 5),
            **whole(5000),
        },
        {
            "code": "C",
            "name": "丙学校",
            "type": "九年一贯制学校",
            "students_primary": 300,
            "students_junior": 200,
            **teachers("primary", 9),
            **teachers("junior", 12),
            **whole(15600),
        },
        {
            "code": "B",
            "name": "乙中学",
            "type": "初中",
            "students_junior": 200,
            **teachers("junior", 4 * r),
            **whole(2200 * r),
        },
        {"code": "D", "name": "丁村教学点", "type": "教学点", "students_primary": 12},
    ]


def run_json(path, *extra: str):
    result = CliRunner().invoke(app, ["evaluate", str(path), "--format", "json", *extra])
    return result, (json.loads(result.stdout) if result.stdout.strip() else None)


def test_hand_computed_county_passes(write_county) -> None:
    result, doc = run_json(write_county(county(1.0)))
    assert result.exit_code == 0, result.output
    primary, junior = doc["levels"]
    assert (primary["level"], junior["level"]) == ("primary", "junior")
    assert primary["schools"] == 2 and primary["students"] == 400
    assert junior["schools"] == 2 and junior["students"] == 400
    assert len(primary["indicators"]) == 8
    for ind in primary["indicators"]:
        assert ind["cv"] == pytest.approx(PRIMARY_CV, rel=1e-12), ind["id"]
        assert ind["limit"] is None and ind["passed"] is None  # 2012 judges the composite only
    for ind in junior["indicators"]:
        assert ind["cv"] == pytest.approx(0.5, rel=1e-12), ind["id"]
    books = next(i for i in primary["indicators"] if i["id"] == "books_per_student")
    assert books["mean"] == pytest.approx(35.0, rel=1e-12)
    assert books["sd"] == pytest.approx(math.sqrt(75), rel=1e-12)
    computers = next(i for i in primary["indicators"] if i["id"] == "computers_per_100")
    assert computers["mean"] == pytest.approx(35.0 * 0.005 * 100, rel=1e-12)  # × 100 scale
    assert primary["composite_cv"] == pytest.approx(PRIMARY_CV, rel=1e-12)
    assert primary["composite_limit"] == 0.65 and primary["passed"] is True
    assert junior["composite_cv"] == pytest.approx(0.5, rel=1e-12)
    assert junior["composite_limit"] == 0.55 and junior["passed"] is True
    assert doc["passed"] is True


def test_split_school_appears_in_both_levels(write_county) -> None:
    _, doc = run_json(write_county(county(1.0)))
    parts = {s["level"]: s for s in doc["schools"] if s["code"] == "C"}
    assert set(parts) == {"primary", "junior"}
    assert parts["primary"]["share"] == pytest.approx(300 / 520, rel=1e-12)
    assert parts["primary"]["quantities"]["books"] == pytest.approx(9000.0, rel=1e-12)
    assert parts["junior"]["quantities"]["books"] == pytest.approx(6600.0, rel=1e-12)
    assert parts["junior"]["values"]["books_per_student"] == pytest.approx(33.0, rel=1e-12)
    assert parts["junior"]["quantities"]["teachers"] == 12


def test_excluded_and_every_row_accounted(write_county) -> None:
    _, doc = run_json(write_county(county(1.0)))
    (excluded,) = doc["excluded"]
    assert (excluded["code"], excluded["name"], excluded["type"]) == ("D", "丁村教学点", "教学点")
    assert (excluded["sheet"], excluded["row"]) == ("学校", 5)
    assert "教学点" in doc["excluded"][0]["reason"]
    rows = doc["rows"]
    assert rows["read"] == 4
    assert (
        rows["evaluated"] + rows["excluded"] + rows["skipped"] + rows["blank"] + rows["total"] == 4
    )


def test_failing_junior_level_and_strict_exit_code(write_county) -> None:
    path = write_county(county(18.0))  # CV |3 − 18|/(3 + 18) = 2.5/3.5; r = 0.5 gave 5.5 计算机
    result, doc = run_json(path)
    assert result.exit_code == 0
    junior = doc["levels"][1]
    assert junior["composite_cv"] == pytest.approx(2.5 / 3.5, rel=1e-12)
    assert junior["passed"] is False and doc["passed"] is False
    strict, _ = run_json(path, "--strict")
    assert strict.exit_code == 3
    table = CliRunner().invoke(app, ["evaluate", str(path)])
    assert table.exit_code == 0
    assert "未达标" in table.stdout and "0.7143" in table.stdout
