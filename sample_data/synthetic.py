"""Synthetic counties in the input template, for the sample data, tests and benchmarks.

Every figure is invented by a seeded random generator; no real school is described.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from junheng_cli.model.fields import ALLOWANCE_FIELDS, SCOPE_FIELDS, Column, template_columns

NOT_GENERATED = (*SCOPE_FIELDS, *ALLOWANCE_FIELDS)

TOWNSHIPS: tuple[tuple[str, str], ...] = (
    ("城关镇", "城区"),
    ("东城街道", "城区"),
    ("青山镇", "镇区"),
    ("柳河镇", "镇区"),
    ("桃源镇", "镇区"),
    ("石桥镇", "镇区"),
    ("金塘镇", "镇区"),
    ("白石乡", "乡村"),
    ("松岭乡", "乡村"),
    ("清水乡", "乡村"),
    ("云溪乡", "乡村"),
    ("龙湾乡", "乡村"),
)
VILLAGES = (
    "红旗",
    "前进",
    "新华",
    "杨柳",
    "高岭",
    "双河",
    "黄土",
    "马庄",
    "李湾",
    "张桥",
    "枫林",
    "竹园",
    "白沙",
    "三岔",
    "南塘",
    "北山",
    "西岗",
    "东湖",
    "花园",
    "长岭",
    "梅林",
    "古城",
)
# (type, how many) in a county of the default size
TYPE_COUNTS: tuple[tuple[str, int], ...] = (
    ("小学", 70),
    ("初中", 22),
    ("九年一贯制学校", 12),
    ("完全中学", 4),
    ("十二年一贯制学校", 2),
    ("教学点", 12),
    ("特殊教育学校", 1),
)
TYPE_LEVELS: dict[str, tuple[str, ...]] = {
    "小学": ("primary",),
    "初中": ("junior",),
    "九年一贯制学校": ("primary", "junior"),
    "完全中学": ("junior", "senior"),
    "十二年一贯制学校": ("primary", "junior", "senior"),
    "教学点": ("primary",),
    "特殊教育学校": ("primary", "junior"),
}
# Typical students of one level by 城乡类型: (low, high)
STUDENT_RANGES = {
    "城区": {"primary": (900, 2400), "junior": (900, 2000), "senior": (600, 1500)},
    "镇区": {"primary": (300, 1200), "junior": (400, 1300), "senior": (400, 1000)},
    "乡村": {"primary": (60, 420), "junior": (150, 520), "senior": (200, 500)},
}
# Per-student medians by level: (primary, junior)
PER_STUDENT = {
    "teaching_area": (5.9, 7.4),
    "gym_area": (0.3, 0.5),
    "sports_ground_area": (9.8, 13.2),
    "equipment_value": (2700.0, 3400.0),
    "books": (28.0, 38.0),
    "computers": (0.13, 0.16),
    "multimedia_rooms": (0.030, 0.031),
}
TEACHERS_PER_STUDENT = {"primary": 0.058, "junior": 0.078}


@dataclass(frozen=True)
class CountySpec:
    name: str = "示例县"
    seed: int = 2026
    scale: float = 1.0  # multiplies the number of schools of every type
    spread: float = 0.30  # log-normal spread of per-student resources between schools
    code_prefix: str = "2134"


def generated_columns() -> list[Column]:
    """The template's columns the generator fills: all but the optional scope and 规程
    columns (who runs the school, 建校年份 …), which a synthetic county leaves out."""
    return [c for c in template_columns() if c.field not in NOT_GENERATED]


def generate_county(spec: CountySpec = CountySpec()) -> pd.DataFrame:
    """A county's schools in the template layout (Chinese headers, one row per school)."""
    rng = np.random.default_rng(spec.seed)
    kinds = [k for k, n in TYPE_COUNTS for _ in range(max(1, round(n * spec.scale)))]
    n = len(kinds)
    towns = rng.integers(0, len(TOWNSHIPS), size=n)
    rows = [
        _school(rng, i, kind, TOWNSHIPS[t], spec)
        for i, (kind, t) in enumerate(zip(kinds, towns, strict=True))
    ]
    frame = pd.DataFrame(rows).reindex(columns=[c.header for c in generated_columns()])
    seen: dict[str, int] = {}
    names = []
    for name in frame["学校名称"]:
        seen[name] = seen.get(name, 0) + 1
        names.append(name if seen[name] == 1 else f"{name}（{seen[name]}）")
    frame["学校名称"] = names
    return frame


def _school(
    rng: np.random.Generator, index: int, kind: str, town: tuple[str, str], spec: CountySpec
) -> dict[str, object]:
    township, area = town
    levels = TYPE_LEVELS[kind]
    row: dict[str, object] = {
        "学校标识码": f"{spec.code_prefix}{index + 1:06d}",
        "学校名称": _school_name(rng, index, kind, township),
        "学校类型": kind,
        "所在乡镇": township,
        "城乡类型": area,
    }
    if kind == "教学点":
        area = "乡村"
        row["城乡类型"] = area
    students: dict[str, int] = {}
    for level in ("primary", "junior", "senior"):
        if level in levels:
            low, high = STUDENT_RANGES[area][level]
            if kind == "教学点":
                low, high = 8, 60
            if kind == "特殊教育学校":
                low, high = 30, 120
            students[level] = int(rng.integers(low, high + 1))
        row[f"{_CN[level]}在校生数"] = students.get(level, 0) if level in levels else None
    mood = rng.lognormal(0.0, spec.spread)  # a well or poorly resourced school
    if kind == "教学点":
        mood *= 0.6  # teaching points are the weakest
    rural_boost = 1.25 if area == "乡村" else 1.0
    for level in ("primary", "junior"):
        cn = _CN[level]
        if level not in levels:
            continue
        p = students[level]
        teachers = max(
            1, round(p * TEACHERS_PER_STUDENT[level] * rural_boost * rng.lognormal(0, 0.15))
        )
        row[f"{cn}专任教师数"] = teachers
        row[f"{cn}高于规定学历教师数"] = int(rng.binomial(teachers, min(0.98, 0.86 * mood**0.3)))
        row[f"{cn}中级及以上职称教师数"] = int(rng.binomial(teachers, min(0.95, 0.45 * mood**0.5)))
        row[f"{cn}县级以上骨干教师数"] = int(rng.binomial(teachers, min(0.5, 0.23 * mood)))
        row[f"{cn}体育艺术专任教师数"] = int(rng.binomial(teachers, 0.19))
    _classes(rng, row, students, levels, area)
    everyone = sum(students.values())
    level_mix = sum(students[lv] for lv in levels if lv == "primary") / max(
        1, sum(students.values())
    )
    for field, (primary, junior) in PER_STUDENT.items():
        per_student = level_mix * primary + (1 - level_mix) * junior
        noise = mood * rng.lognormal(0, spec.spread * 0.8)
        row[_WHOLE[field]] = _round_quantity(field, everyone * per_student * noise)
    return row


# Typical class size by 城乡类型 (low, high) and the chance a class is 56–65 / 66+.
CLASS_SIZE = {"城区": (44, 56), "镇区": (38, 50), "乡村": (22, 42)}
LARGE_CLASS_CHANCE = {"城区": (0.12, 0.02), "镇区": (0.04, 0.0), "乡村": (0.0, 0.0)}


def _classes(
    rng: np.random.Generator,
    row: dict[str, object],
    students: dict[str, int],
    levels: tuple[str, ...],
    area: str,
) -> None:
    total = 0
    for level in ("primary", "junior"):
        if level not in levels:
            continue
        low, high = CLASS_SIZE[area]
        classes = max(1, int(np.ceil(students[level] / rng.uniform(low, high))))
        large, huge = LARGE_CLASS_CHANCE[area]
        row[f"{_CN[level]}班级数"] = classes
        row[f"{_CN[level]}大班额班级数"] = int(rng.binomial(classes, large))
        row[f"{_CN[level]}超大班额班级数"] = int(rng.binomial(classes, huge))
        total += classes
    for room in ("音乐专用教室数", "美术专用教室数"):
        row[room] = int(np.ceil(total / 12 * rng.uniform(0.75, 1.3)))


def _round_quantity(field: str, value: float) -> float | int:
    if field in ("teaching_area", "gym_area", "sports_ground_area"):
        return round(value, 1)
    if field == "equipment_value":
        return round(value, 2)
    return round(value)


def _school_name(rng: np.random.Generator, index: int, kind: str, township: str) -> str:
    village = VILLAGES[index % len(VILLAGES)]
    base = township.removesuffix("街道").removesuffix("镇").removesuffix("乡")
    suffix = {
        "小学": f"{village}小学",
        "初中": f"第{index % 9 + 1}初级中学",
        "九年一贯制学校": f"{village}九年一贯制学校",
        "完全中学": f"{village}中学",
        "十二年一贯制学校": f"{village}实验学校",
        "教学点": f"{village}村教学点",
        "特殊教育学校": "特殊教育学校",
    }[kind]
    return f"{base}{suffix}" if kind != "特殊教育学校" else f"示例县{suffix}"


_CN = {"primary": "小学", "junior": "初中", "senior": "高中"}
_WHOLE = {
    "teaching_area": "教学及辅助用房面积",
    "gym_area": "体育馆面积",
    "sports_ground_area": "运动场地面积",
    "equipment_value": "教学仪器设备值",
    "books": "图书册数",
    "computers": "计算机台数",
    "multimedia_rooms": "网络多媒体教室数",
}
