"""The rows that are not evaluated: schools outside the standard's scope, rows skipped for
errors.
"""

from __future__ import annotations

import pandas as pd

from junheng_cli.compute.grouping import map_distinct
from junheng_cli.compute.origins import origin_of
from junheng_cli.io.sheet_table.tables import ROW, SOURCE, SchoolTable
from junheng_cli.model.findings import Finding
from junheng_cli.model.results import ExcludedSchool, SkippedRow
from junheng_cli.standards.model import Standard
from junheng_cli.standards.scope import scope_reasons


def exclusion_reasons(schools: pd.DataFrame, standard: Standard) -> pd.Series:
    """Why each school is out of the standard's scope (NaN when it is evaluated): its type,
    a small 教学点, then who runs it (``scope.exclude``)."""
    reasons = map_distinct(
        schools["type"],
        {name: t.excluded for name, t in standard.school_types.items() if t.excluded},
    )
    students = schools[[c for c in schools if c.startswith("students_")]].fillna(0).sum(axis=1)
    for name, school_type in standard.school_types.items():
        rule = school_type.small_school
        if rule is not None and rule.enabled:
            small = schools["type"].eq(name) & (students < rule.below)
            reasons = reasons.mask(small, rule.reason)
    return reasons.fillna(scope_reasons(schools, standard))


def skipped_records(
    rows: pd.DataFrame, findings: list[Finding], table: SchoolTable
) -> list[SkippedRow]:
    by_row: dict[tuple[str, str, int], list[Finding]] = {}
    for f in findings:
        if f.severity == "error" and f.row is not None:
            by_row.setdefault((f.file, f.sheet, f.row), []).append(f)
    skipped = []
    for code, name, source, row in zip(
        rows["code"], rows["name"], rows[SOURCE], rows[ROW], strict=True
    ):
        origin = origin_of(table, source, row)
        errors = by_row.get((origin.file, origin.sheet, origin.row), [])
        skipped.append(SkippedRow(code, name, origin, errors))
    return skipped


def excluded_schools(
    rows: pd.DataFrame, reasons: pd.Series, table: SchoolTable
) -> list[ExcludedSchool]:
    return [
        ExcludedSchool(code, name, kind, reason, origin_of(table, source, row))
        for code, name, kind, reason, source, row in zip(
            rows["code"], rows["name"], rows["type"], reasons, rows[SOURCE], rows[ROW], strict=True
        )
    ]
