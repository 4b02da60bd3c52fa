"""政府保障程度 items computable from school data (school size, class size, music and art
rooms) and the county-level figures an analyst enters. Data not given is 未提供, never a
failure."""

from __future__ import annotations

import math
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from junheng_cli.io.read import Sheet
from junheng_cli.io.sheet_table import ROW, SOURCE, SchoolTable
from junheng_cli.io.side_tables import (
    CountyValue,
    read_classes,
    read_county_sheet,
    read_county_yaml,
)
from junheng_cli.model.fields import FIELDS, TEACHER_LEVELS, Level
from junheng_cli.model.findings import Finding
from junheng_cli.model.results import (
    ClassSizeCount,
    CountyItemResult,
    GovernmentResult,
    Origin,
    RoomAreaCheck,
    RoomCheck,
    SchoolSizeCheck,
)
from junheng_cli.standards.model import ClassSizeRule, Government, SpecialRoomsRule, Standard


def government_items(
    schools: pd.DataFrame,
    table: SchoolTable,
    rules: Government,
    known: pd.DataFrame | None = None,
) -> tuple[GovernmentResult, list[Finding]]:
    """``schools``: the validated rows of schools within the standard's scope; ``known``:
    every school row read (a class of an excluded school is not an unknown school)."""
    classes, findings = _class_rows(schools, table, schools if known is None else known)
    levels, per_school, source = (None, [], None)
    if rules.class_size is not None:
        levels, per_school, source = _class_sizes(schools, classes, rules.class_size)
    rooms = None
    names = {}
    if rules.special_rooms is not None:
        names = {f: FIELDS[f].header.removesuffix("数") for f in rules.special_rooms.fields}
        rooms = _rooms(
            schools, classes, rules.special_rooms.classes_per_room, rules.special_rooms.fields
        )
    sizes = _school_sizes(schools, table, rules) if rules.school_size is not None else None
    areas = None
    if rules.special_rooms is not None:
        areas = _room_areas(schools, rules.special_rooms)[0]
    return GovernmentResult(sizes, source, levels, per_school, rooms, names, areas), findings


def _origin(table: SchoolTable, source: int, row: int) -> Origin:
    sheet = table.sheets[int(source)]
    return Origin(sheet.file, sheet.sheet, int(row))


def _compulsory_students(schools: pd.DataFrame) -> pd.Series:
    columns = [f"students_{lv.value}" for lv in TEACHER_LEVELS if f"students_{lv.value}" in schools]
    return schools[columns].fillna(0).sum(axis=1)


def _school_sizes(
    schools: pd.DataFrame, table: SchoolTable, rules: Government
) -> list[SchoolSizeCheck]:
    rule = rules.school_size
    assert rule is not None
    students = _compulsory_students(schools)
    strict = schools["type"].map(rule.by_type).fillna(rule.max_students).astype(int)
    limits, allowed = strict, pd.Series(False, index=schools.index)
    extra = rule.allowance
    if extra is not None and extra.enabled:
        # only a school whose row carries 建校年份 or 随迁子女数 can qualify
        if extra.built_by is not None and "build_year" in schools:
            allowed |= schools["build_year"].le(extra.built_by)
        if extra.migrant_share_above is not None and "migrant_students" in schools:
            share = schools["migrant_students"] / students.where(students > 0)
            allowed |= share.gt(extra.migrant_share_above)
        higher = schools["type"].map(extra.by_type).fillna(extra.max_students).astype(int)
        allowed &= higher.ne(strict)
        limits = higher.where(allowed, strict)
    text = extra.text if extra is not None else None
    return [
        SchoolSizeCheck(
            code,
            name,
            kind,
            int(n),
            int(limit),
            bool(n <= limit),
            _origin(table, s, r),
            int(strict_limit) if qualifies else None,
            text if qualifies else None,
        )
        for code, name, kind, n, limit, s, r, strict_limit, qualifies in zip(
            schools["code"],
            schools["name"],
            schools["type"],
            students,
            limits,
            schools[SOURCE],
            schools[ROW],
            strict,
            allowed,
            strict=True,
        )
    ]


def _room_areas(
    schools: pd.DataFrame, rule: SpecialRoomsRule
) -> tuple[list[RoomAreaCheck] | None, list[Any]]:
    """Each school's smallest 音乐 / 美术 room against the least area (None: no school gives
    an area), and the index label of each check's school. A school built by the 规程's
    year (its row carries 建校年份) is judged at the allowed area."""
    fields = [f for f in rule.min_area if f in schools and schools[f].notna().any()]
    if not fields:
        return None, []
    extra = rule.allowance
    older = pd.Series(False, index=schools.index)
    if extra is not None and extra.enabled and "build_year" in schools:
        older = schools["build_year"].le(extra.built_by)
    checks, labels = [], []
    for field in fields:
        strict = rule.min_area[field]
        allowed = extra.min_area.get(field, strict) if extra is not None else strict
        given = schools[field].notna()
        qualifies = older[given] & (allowed != strict)
        header = FIELDS[field].header
        for label, code, name, area, uses in zip(
            schools.index[given],
            schools.loc[given, "code"],
            schools.loc[given, "name"],
            schools.loc[given, field],
            qualifies,
            strict=True,
        ):
            limit = allowed if uses else strict
            checks.append(
                RoomAreaCheck(
                    code,
                    name,
                    field,
                    header,
                    float(area),
                    float(limit),
                    float(strict),
                    bool(area >= limit),
                    bool(area >= strict),
                    extra.text if uses and extra is not None else None,
                )
            )
            labels.append(label)
    return checks, labels


def _class_rows(
    schools: pd.DataFrame, table: SchoolTable, known: pd.DataFrame
) -> tuple[pd.DataFrame | None, list[Finding]]:
    """Rows of every 班级 sheet, matched to schools by code, then by name. Classes of schools
    out of the standard's scope are left out quietly; of unknown schools, with a warning."""
    if not table.class_sheets:
        return None, []
    frames, findings = [], []
    for sheet in table.class_sheets:
        parsed = read_classes(sheet)
        frames.append(parsed.frame)
        findings += parsed.findings
    rows = pd.concat(frames, ignore_index=True)
    by_code = {c: i for i, c in zip(schools.index, schools["code"], strict=True) if c}
    by_name = {n: i for i, n in zip(schools.index, schools["name"], strict=True)}
    matched = [
        by_code.get(c) if c else by_name.get(n)
        for c, n in zip(rows["code"], rows["name"], strict=True)
    ]
    rows["school"] = matched
    known_codes = set(known["code"]) - {""}
    known_names = set(known["name"])
    unknown = rows["school"].isna() & ~(
        rows["code"].isin(known_codes) | (rows["code"].eq("") & rows["name"].isin(known_names))
    )
    for _, r in rows[unknown].iterrows():
        findings.append(
            Finding(
                "W_CLASS_UNKNOWN_SCHOOL",
                r["file"],
                r["sheet"],
                int(r["row"]),
                None,
                "学校",
                None,
                r["code"] or r["name"],
                "学校表中的学校",
            )
        )
    return rows[rows["school"].notna()], findings


def _class_sizes(
    schools: pd.DataFrame, classes: pd.DataFrame | None, rule: ClassSizeRule
) -> tuple[list[ClassSizeCount] | None, list[ClassSizeCount], str | None]:
    columns = [f"classes_{lv.value}" for lv in rule.limits]
    has_bands = any(c in schools and schools[c].notna().any() for c in columns)
    if classes is None:
        return (None, [], None) if not has_bands else _from_band_counts(schools, rule)
    listed = schools.index.isin(set(classes["school"]))
    levels, per_school, source = _from_class_rows(schools, classes, rule)
    if not has_bands or listed.all():
        return levels, per_school, source
    # schools the 班级 sheet does not list keep their own band counts
    rest_levels, rest_schools, _ = _from_band_counts(schools[~listed], rule)
    if not rest_levels:
        return levels, per_school, source
    merged = _merge_counts(levels, rest_levels)
    return merged, per_school + rest_schools, "班级表（所列学校）和学校表（其余学校的班额分档）"


def _from_class_rows(
    schools: pd.DataFrame, classes: pd.DataFrame, rule: ClassSizeRule
) -> tuple[list[ClassSizeCount], list[ClassSizeCount], str]:
    size = classes["students"]
    limit = classes["level"].map({lv.value: n for lv, n in rule.limits.items()})
    flags = pd.DataFrame(
        {
            "classes": 1,
            "large": ((size >= rule.large_from) & (size < rule.huge_from)).astype(int),
            "huge": (size >= rule.huge_from).astype(int),
            "over": (size > limit).astype(int),
            "school": classes["school"],
            "level": classes["level"],
        }
    )
    county = flags.groupby("level")[["classes", "large", "huge", "over"]].sum()
    levels = [
        _count(lv, county.loc[lv.value], rule) for lv in rule.limits if lv.value in county.index
    ]
    per_school = flags.groupby(["school", "level"], sort=False)[
        ["classes", "large", "huge", "over"]
    ].sum()
    schools_out = [
        _count(Level(level), row, rule, schools.at[school, "code"], schools.at[school, "name"])
        for (school, level), row in per_school.iterrows()
    ]
    return levels, schools_out, "班级表"


def _band_frame(schools: pd.DataFrame, level: Level) -> pd.DataFrame | None:
    """classes / large / huge of the schools that report classes of ``level``; None if none."""
    columns = [f"{f}_{level.value}" for f in ("classes", "large_classes", "huge_classes")]
    if columns[0] not in schools:
        return None
    data = schools.reindex(columns=columns).fillna(0)
    data.columns = ["classes", "large", "huge"]
    has = data["classes"] > 0
    return data[has] if has.any() else None


def _from_band_counts(
    schools: pd.DataFrame, rule: ClassSizeRule
) -> tuple[list[ClassSizeCount], list[ClassSizeCount], str]:
    levels, per_school = [], []
    for level in rule.limits:
        data = _band_frame(schools, level)
        if data is None:
            continue
        totals = data.sum()
        levels.append(_count(level, {**totals, "over": None}, rule))
        records = data.assign(code=schools["code"], name=schools["name"]).to_dict("records")
        per_school += [
            _count(level, {**r, "over": None}, rule, r["code"], r["name"]) for r in records
        ]
    return levels, per_school, "学校表（班额分档）"


def _merge_counts(
    first: list[ClassSizeCount], second: list[ClassSizeCount]
) -> list[ClassSizeCount]:
    """County counts from two sources; classes over the limit are known only if both know."""
    by_level: dict[Level, ClassSizeCount] = {}
    for count in first + second:
        seen = by_level.get(count.level)
        if seen is None:
            by_level[count.level] = count
            continue
        over = (
            None
            if seen.over_limit is None or count.over_limit is None
            else seen.over_limit + count.over_limit
        )
        by_level[count.level] = ClassSizeCount(
            count.level,
            seen.classes + count.classes,
            seen.large + count.large,
            seen.huge + count.huge,
            over,
            count.limit,
        )
    return [by_level[lv] for lv in Level if lv in by_level]


def _count(
    level: Level, row: object, rule: ClassSizeRule, code: str = "", name: str = ""
) -> ClassSizeCount:
    get = row.get if isinstance(row, dict) else row.__getitem__  # type: ignore[union-attr]
    over = get("over")
    return ClassSizeCount(
        level=level,
        classes=int(get("classes")),
        large=int(get("large")),
        huge=int(get("huge")),
        over_limit=None if over is None else int(over),
        limit=rule.limits[level],
        code=code,
        name=name,
    )


def _rooms(
    schools: pd.DataFrame, classes: pd.DataFrame | None, per_room: int, fields: list[str]
) -> list[RoomCheck] | None:
    if not any(f in schools and schools[f].notna().any() for f in fields):
        return None
    counts = _classes_total(schools)
    if classes is not None:  # a school the 班级 sheet lists is counted from it
        listed = classes.groupby("school").size()
        counts = listed.reindex(schools.index).fillna(counts)
    table = schools.reindex(columns=["code", "name", *fields]).assign(_classes=counts)
    checks = []
    for r in table[counts > 0].to_dict("records"):
        required = math.ceil(r["_classes"] / per_room)
        rooms = {f: _int_or_none(r[f]) for f in fields}
        known = [n for n in rooms.values() if n is not None]
        passed = None if len(known) < len(fields) else all(n >= required for n in known)
        checks.append(RoomCheck(r["code"], r["name"], int(r["_classes"]), required, rooms, passed))
    return checks


def _int_or_none(value: object) -> int | None:
    return None if value is None or (isinstance(value, float) and np.isnan(value)) else int(value)  # type: ignore[arg-type]


def _percent_finding(name: str, given: CountyValue) -> Finding:
    return Finding(
        "W_COUNTY_PERCENT",
        given.file,
        given.sheet,
        given.row,
        given.column,
        name,
        None,
        given.value,
        "百分数",
    )


def county_items(
    standard: Standard, sheets: Sequence[Sheet], extra_file: Path | None = None
) -> tuple[list[CountyItemResult], list[Finding]]:
    """The county-level items from 县级指标 sheets and, on top, an extra YAML file."""
    values: dict[str, CountyValue] = {}
    findings: list[Finding] = []
    if not standard.county_items:
        return [], []
    for sheet in sheets:
        found, problems = read_county_sheet(sheet, standard.county_items)
        values.update(found)
        findings += problems
    if extra_file is not None:
        values.update(read_county_yaml(extra_file, standard.county_items))
    results = []
    for item in standard.county_items:
        given = values.get(item.id)
        value = None if given is None else given.value
        if value is not None and item.unit == "%" and 0 < value <= 1:
            # Excel stores 96.2% as 0.962; no percentage item has a threshold of 1% or less
            value *= 100
            findings.append(_percent_finding(item.name, given))
        passed = None
        if value is not None:
            passed = (item.min is None or value >= item.min) and (
                item.max is None or value <= item.max
            )
        results.append(
            CountyItemResult(
                item.id,
                item.name,
                item.unit,
                item.min,
                item.max,
                value,
                passed,
                None if given is None else given.where,
            )
        )
    return results, findings


def government_by_county(
    schools: pd.DataFrame, county: pd.Series, table: SchoolTable, rules: Government
) -> dict[str, GovernmentResult]:
    """The same items for many counties at once (school sheets only: 班级 sheets are read
    by single-county runs). ``county`` is aligned with ``schools``."""
    names = (
        {f: FIELDS[f].header.removesuffix("数") for f in rules.special_rooms.fields}
        if (rules.special_rooms is not None)
        else {}
    )
    keys = county.astype(str).tolist()
    sizes = group_list(_school_sizes(schools, table, rules), keys) if rules.school_size else None
    rooms = None
    if rules.special_rooms is not None:
        checks = _rooms(
            schools, None, rules.special_rooms.classes_per_room, rules.special_rooms.fields
        )
        if checks is not None:
            with_classes = _classes_total(schools) > 0
            rooms = group_list(
                checks, [k for k, keep in zip(keys, with_classes, strict=True) if keep]
            )
    areas = None
    if rules.special_rooms is not None:
        area_checks, labels = _room_areas(schools, rules.special_rooms)
        if area_checks is not None:
            areas = group_list(area_checks, county.astype(str).loc[labels].tolist())
    level_counts: dict[str, list[ClassSizeCount]] = {}
    school_counts: dict[str, list[ClassSizeCount]] = {}
    source = None
    if rules.class_size is not None:
        source = _grouped_band_counts(
            schools, county, rules.class_size, level_counts, school_counts
        )
    results = {}
    for name in dict.fromkeys(keys):
        results[name] = GovernmentResult(
            school_size=None if sizes is None else sizes.get(name, []),
            class_source=source if name in level_counts else None,
            class_levels=level_counts.get(name),
            class_schools=school_counts.get(name, []),
            rooms=None if rooms is None else rooms.get(name, []),
            room_names=names,
            room_areas=None if areas is None else areas.get(name, []),
        )
    return results


def group_list(items: list[Any], keys: list[str]) -> dict[str, list[Any]]:
    """Items by key, in order."""
    grouped: dict[str, list[Any]] = {}
    for item, key in zip(items, keys, strict=True):
        grouped.setdefault(key, []).append(item)
    return grouped


def _classes_total(schools: pd.DataFrame) -> pd.Series:
    columns = [f"classes_{lv.value}" for lv in TEACHER_LEVELS if f"classes_{lv.value}" in schools]
    return schools[columns].fillna(0).sum(axis=1) if columns else pd.Series(0, index=schools.index)


def _grouped_band_counts(
    schools: pd.DataFrame,
    county: pd.Series,
    rule: ClassSizeRule,
    level_counts: dict[str, list[ClassSizeCount]],
    school_counts: dict[str, list[ClassSizeCount]],
) -> str | None:
    found = False
    for level in rule.limits:
        data = _band_frame(schools, level)
        if data is None:
            continue
        found = True
        data = data.assign(_county=county[data.index].astype(str))
        for name, totals in (
            data.groupby("_county", sort=False)[["classes", "large", "huge"]].sum().iterrows()
        ):
            level_counts.setdefault(str(name), []).append(
                _count(level, {**totals.to_dict(), "over": None}, rule)
            )
        records = data.assign(code=schools["code"], name=schools["name"]).to_dict("records")
        for r in records:
            school_counts.setdefault(r["_county"], []).append(
                _count(level, {**r, "over": None}, rule, r["code"], r["name"])
            )
    return "学校表（班额分档）" if found else None
