"""音乐 and 美术 rooms: enough rooms for the classes, and rooms large enough."""

from __future__ import annotations

import math
from typing import Any

import numpy as np
import pandas as pd

from junheng_cli.model.fields import FIELDS, TEACHER_LEVELS
from junheng_cli.model.government_results import RoomAreaCheck, RoomCheck
from junheng_cli.standards.government import SpecialRoomsRule


def room_areas(
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


def room_checks(
    schools: pd.DataFrame, classes: pd.DataFrame | None, per_room: int, fields: list[str]
) -> list[RoomCheck] | None:
    if not any(f in schools and schools[f].notna().any() for f in fields):
        return None
    counts = classes_total(schools)
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


def classes_total(schools: pd.DataFrame) -> pd.Series:
    columns = [f"classes_{lv.value}" for lv in TEACHER_LEVELS if f"classes_{lv.value}" in schools]
    return schools[columns].fillna(0).sum(axis=1) if columns else pd.Series(0, index=schools.index)
