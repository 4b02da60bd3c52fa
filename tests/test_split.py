"""Splitting mixed schools into level units (reference §1.1)."""

from __future__ import annotations

import pandas as pd
import pytest

from junheng_cli.compute.indicators import split_units
from junheng_cli.standards.model import load_standard

BASIC = load_standard("basic-2012")


def schools(*rows: dict) -> pd.DataFrame:
    frame = pd.DataFrame(list(rows))
    for column in ("students_primary", "students_junior", "students_senior"):
        if column not in frame:
            frame[column] = float("nan")
    return frame


def units_of(frame: pd.DataFrame) -> pd.DataFrame:
    return split_units(frame, BASIC, keep=["name", "type"]).set_index("level")


def test_nine_year_school_worked_example() -> None:
    # A = 166, B = 210, books = 23226 → 9711.63 / 13514.37
    frame = schools(
        {
            "name": "一贯制",
            "type": "九年一贯制学校",
            "students_primary": 166,
            "students_junior": 210,
            "books": 23226.0,
            "teachers_primary": 12,
            "teachers_junior": 20,
        }
    )
    units = units_of(frame)
    assert units.loc["primary", "books"] == pytest.approx(9711.63, abs=0.005)
    assert units.loc["junior", "books"] == pytest.approx(13514.37, abs=0.005)
    assert units.loc["primary", "share"] == pytest.approx(166 / (166 + 1.1 * 210), rel=1e-12)
    # teachers are taken per level as reported, never split
    assert units.loc["primary", "teachers"] == 12
    assert units.loc["junior", "teachers"] == 20
    assert units.loc["primary", "students"] == 166
    assert units.loc["junior", "students"] == 210


def test_complete_middle_school_keeps_only_its_junior_part() -> None:
    # B = 500, C = 400: junior gets B / (B + 1.2C) = 500 / 980
    frame = schools(
        {
            "name": "完中",
            "type": "完全中学",
            "students_junior": 500,
            "students_senior": 400,
            "teaching_area": 9800.0,
        }
    )
    units = units_of(frame)
    assert list(units.index) == ["junior"]
    assert units.loc["junior", "teaching_area"] == pytest.approx(5000.0, rel=1e-12)


def test_twelve_year_school_weights() -> None:
    # A = 100, B = 100, C = 100: weights 100 : 110 : 132 of 342
    frame = schools(
        {
            "name": "十二年",
            "type": "十二年一贯制学校",
            "students_primary": 100,
            "students_junior": 100,
            "students_senior": 100,
            "equipment_value": 342_000.0,
        }
    )
    units = units_of(frame)
    assert units.loc["primary", "equipment_value"] == pytest.approx(100_000.0, rel=1e-12)
    assert units.loc["junior", "equipment_value"] == pytest.approx(110_000.0, rel=1e-12)


def test_single_level_schools_keep_everything() -> None:
    frame = schools(
        {"name": "小学", "type": "小学", "students_primary": 300, "books": 9000.0},
        {"name": "初中", "type": "初中", "students_junior": 600, "books": 24000.0},
    )
    units = split_units(frame, BASIC, keep=["name"])
    assert units["share"].tolist() == [1.0, 1.0]
    assert units["books"].tolist() == [9000.0, 24000.0]
    assert units["level"].tolist() == ["primary", "junior"]
