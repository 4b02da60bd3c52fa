"""The 政府保障程度 items of one county, or of many counties at once."""

from __future__ import annotations

from typing import Any

import pandas as pd

from junheng_cli.compute.government.class_size import class_rows, class_sizes, grouped_band_counts
from junheng_cli.compute.government.rooms import classes_total, room_areas, room_checks
from junheng_cli.compute.government.school_size import school_sizes
from junheng_cli.io.sheet_table.tables import SchoolTable
from junheng_cli.model.fields import FIELDS
from junheng_cli.model.findings import Finding
from junheng_cli.model.government_results import ClassSizeCount, GovernmentResult
from junheng_cli.standards.government import Government


def government_items(
    schools: pd.DataFrame,
    table: SchoolTable,
    rules: Government,
    known: pd.DataFrame | None = None,
) -> tuple[GovernmentResult, list[Finding]]:
    """``schools``: the validated rows of schools within the standard's scope; ``known``:
    every school row read (a class of an excluded school is not an unknown school)."""
    classes, findings = class_rows(schools, table, schools if known is None else known)
    levels, per_school, source = (None, [], None)
    if rules.class_size is not None:
        levels, per_school, source = class_sizes(schools, classes, rules.class_size)
    rooms = None
    names = _room_names(rules)
    if rules.special_rooms is not None:
        rooms = room_checks(
            schools, classes, rules.special_rooms.classes_per_room, rules.special_rooms.fields
        )
    sizes = school_sizes(schools, table, rules) if rules.school_size is not None else None
    areas = None
    if rules.special_rooms is not None:
        areas = room_areas(schools, rules.special_rooms)[0]
    return GovernmentResult(sizes, source, levels, per_school, rooms, names, areas), findings


def government_by_county(
    schools: pd.DataFrame, county: pd.Series, table: SchoolTable, rules: Government
) -> dict[str, GovernmentResult]:
    """The same items for many counties at once (school sheets only: 班级 sheets are read
    by single-county runs). ``county`` is aligned with ``schools``."""
    names = _room_names(rules)
    keys = county.astype(str).tolist()
    sizes = group_list(school_sizes(schools, table, rules), keys) if rules.school_size else None
    rooms = None
    if rules.special_rooms is not None:
        checks = room_checks(
            schools, None, rules.special_rooms.classes_per_room, rules.special_rooms.fields
        )
        if checks is not None:
            with_classes = classes_total(schools) > 0
            rooms = group_list(
                checks, [k for k, keep in zip(keys, with_classes, strict=True) if keep]
            )
    areas = None
    if rules.special_rooms is not None:
        area_checks, labels = room_areas(schools, rules.special_rooms)
        if area_checks is not None:
            areas = group_list(area_checks, county.astype(str).loc[labels].tolist())
    level_counts: dict[str, list[ClassSizeCount]] = {}
    school_counts: dict[str, list[ClassSizeCount]] = {}
    source = None
    if rules.class_size is not None:
        source = grouped_band_counts(schools, county, rules.class_size, level_counts, school_counts)
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


def _room_names(rules: Government) -> dict[str, str]:
    """The rooms' names as the report prints them: each field's header without its 数."""
    if rules.special_rooms is None:
        return {}
    return {f: FIELDS[f].header.removesuffix("数") for f in rules.special_rooms.fields}


def group_list(items: list[Any], keys: list[str]) -> dict[str, list[Any]]:
    """Items by key, in order."""
    grouped: dict[str, list[Any]] = {}
    for item, key in zip(items, keys, strict=True):
        grouped.setdefault(key, []).append(item)
    return grouped
