"""What a batch ranking needs of each level of each county, for all counties at once: the
composite and the worst single CV, the verdict, the schools failing the school rule. The same
numbers as ``levels.build_level_results`` without a result object per indicator."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from junheng_cli.compute.evaluate.levels import LEVELS, level_groups, level_verdict
from junheng_cli.compute.grouping import group_sizes
from junheng_cli.compute.indicators import STUDENTS, group_stats, stat_weights
from junheng_cli.model.fields import Level
from junheng_cli.standards.model import Standard


@dataclass(frozen=True, slots=True)
class LevelScore:
    """One level of one county in the ranking (a ``LevelResult`` without its indicators)."""

    level: Level
    name: str
    schools: int
    students: int
    composite_cv: float | None
    composite_limit: float
    passed: bool | None
    schools_failed: int | None
    worst_indicator: str  # the indicator with the highest CV (the first when tied)
    worst_cv: float | None


def score_levels(
    units: pd.DataFrame,
    values: pd.DataFrame,
    standard: Standard,
    passed: pd.Series | None,
    county: pd.Series,
) -> dict[str, list[LevelScore]]:
    """Per county (those with units), its levels in the standard's order. ``passed``: each
    unit's school-rule verdict, when the standard judges schools."""
    group, counties = level_groups(units, county)
    groups = len(counties) * len(LEVELS)
    ids = [ind.id for ind in standard.indicators]
    weights = stat_weights(units[STUDENTS], standard.cv.weighting).to_numpy(dtype="float64")
    x = values[ids].to_numpy(dtype="float64")
    cvs = group_stats(x, weights, group, groups, standard.cv.sd)[2]
    worst = np.where(np.isnan(cvs), -1.0, cvs).argmax(axis=1)  # the first highest CV
    cv_rows = cvs.tolist()
    sizes = group_sizes(group, groups).astype(np.int64).tolist()
    students = group_sizes(group, groups, units[STUDENTS].fillna(0).to_numpy(dtype="float64"))
    passing = None
    if passed is not None:
        passing = group_sizes(group, groups, passed.to_numpy(dtype="float64")).tolist()
    names = [ind.name for ind in standard.indicators]
    results: dict[str, list[LevelScore]] = {}
    for number, name in enumerate(counties):
        levels = []
        for level, level_name in standard.levels.items():
            at = number * len(LEVELS) + LEVELS.index(level)
            failed = None if passing is None else sizes[at] - int(passing[at])
            levels.append(
                _level_score(
                    level,
                    level_name,
                    cv_rows[at],
                    int(worst[at]),
                    names,
                    sizes[at],
                    failed,
                    int(students[at]),
                    standard,
                )
            )
        results[str(name)] = levels
    return results


def _level_score(
    level: Level,
    name: str,
    cvs: list[float],
    worst: int,
    indicators: list[str],
    schools: int,
    failed: int | None,
    students: int,
    standard: Standard,
) -> LevelScore:
    """As ``levels._level_result``, judged by ``levels.level_verdict``."""
    limit = standard.judgement.limits[level]
    row: list[float | None] = [None if cv != cv else cv for cv in cvs]  # NaN → None
    composite, _, passed = level_verdict(standard, row, limit, failed)
    return LevelScore(
        level=level,
        name=name,
        schools=schools,
        students=students,
        composite_cv=composite,
        composite_limit=limit,
        passed=passed,
        schools_failed=failed,
        worst_indicator=indicators[worst],
        worst_cv=row[worst],
    )
