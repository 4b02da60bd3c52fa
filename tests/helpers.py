"""Test helpers: small template workbooks built from canonical column names."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pandas as pd

from junheng_cli.io.write import write_sheet_xlsx
from junheng_cli.model.fields import ALLOWANCE_FIELDS, SCOPE_FIELDS, template_columns

THOROUGH = os.environ.get("JUNHENG_THOROUGH", "") not in ("", "0")


def examples(full: int) -> int:
    """Hypothesis examples for a heavy property test (marked ``slow``): all of them with
    ``JUNHENG_THOROUGH=1`` (CI's second run, ``pytest -m slow``), a twentieth (at least 2) in the
    everyday ``pytest``."""
    return full if THOROUGH else max(2, full // 20)


REPO = Path(__file__).resolve().parents[1]
SAMPLE = REPO / "sample_data" / "示例县2026.xlsx"


def template_frame(schools: list[dict[str, Any]]) -> pd.DataFrame:
    """Schools given by canonical names (``students_primary``, ``books`` …) → template headers.
    The optional scope and 规程 columns (办学性质, 建校年份 …) only when a school names them."""
    named = {key for school in schools for key in school}
    columns = [
        c
        for c in template_columns()
        if c.field not in (*SCOPE_FIELDS, *ALLOWANCE_FIELDS) or c.name in named
    ]
    rows = [{c.header: school.get(c.name) for c in columns} for school in schools]
    return pd.DataFrame(rows, columns=[c.header for c in columns])


def primary_school(name: str, students: int, **quantities: float) -> dict[str, Any]:
    """A 小学 whose every required quantity defaults to a plausible value."""
    school: dict[str, Any] = {
        "name": name,
        "type": "小学",
        "students_primary": students,
        "teachers_primary": students // 18,
        "qualified_teachers_primary": students // 20,
        "senior_title_teachers_primary": students // 40,
        "backbone_teachers_primary": students // 100,
        "pe_arts_teachers_primary": students // 100,
        "teaching_area": students * 5.0,
        "gym_area": 0.0,
        "sports_ground_area": students * 8.0,
        "equipment_value": students * 2000.0,
        "books": students * 30,
        "computers": students // 8,
        "multimedia_rooms": students // 40,
    }
    school.update(quantities)
    return school


def write_county_file(path: Path, schools: list[dict[str, Any]]) -> Path:
    write_sheet_xlsx(template_frame(schools), path, "学校")
    return path
