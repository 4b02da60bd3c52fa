"""School size: each school's compulsory-education students against the standard's largest size."""

from __future__ import annotations

import pandas as pd

from junheng_cli.compute.origins import origin_of
from junheng_cli.io.sheet_table.tables import ROW, SOURCE, SchoolTable
from junheng_cli.model.fields import TEACHER_LEVELS
from junheng_cli.model.government_results import SchoolSizeCheck
from junheng_cli.standards.government import Government


def _compulsory_students(schools: pd.DataFrame) -> pd.Series:
    columns = [f"students_{lv.value}" for lv in TEACHER_LEVELS if f"students_{lv.value}" in schools]
    return schools[columns].fillna(0).sum(axis=1)


def school_sizes(
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
            origin_of(table, s, r),
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
