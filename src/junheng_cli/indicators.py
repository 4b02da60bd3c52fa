"""Pure, vectorised computations on school tables: no I/O, no printing.

- ``split_units``: one row per (school, level), splitting whole-school quantities of
  mixed schools by weighted enrollment;
- ``indicator_values``: each unit's indicator values;
- ``weighted_stats``: per group and indicator the mean, SD and CV. This is the one place
  the difference coefficient is computed;
- ``variance_shares``: each unit's share of its group's (weighted) variance.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Literal

import numpy as np
import pandas as pd

from junheng_cli.schema import FIELDS, Level
from junheng_cli.standards import Indicator, Standard

LEVEL = "level"
STUDENTS = "students"
SHARE = "share"
WEIGHT = "weight"

Weighting = Literal["enrollment", "unweighted"]
SdForm = Literal["population", "sample"]


def split_weights(types: pd.Series, weights: Mapping[str, Mapping[Level, float]]) -> pd.DataFrame:
    """Per school, the splitting weight of each level (0 where the type lacks the level)."""
    columns = {
        lv.value: types.map({t: w.get(lv, 0.0) for t, w in weights.items()}).fillna(0.0)
        for lv in Level
    }
    return pd.DataFrame(columns, index=types.index).astype("float64")


def level_shares(schools: pd.DataFrame, weights: pd.DataFrame) -> pd.DataFrame:
    """Share of the whole-school quantities that each level receives: w_L·n_L / Σ w_k·n_k."""
    students = pd.DataFrame(
        {lv.value: schools.get(f"students_{lv.value}", 0.0) for lv in Level}, index=schools.index
    ).fillna(0.0)
    weighted = weights * students
    total = weighted.sum(axis=1)
    return weighted.div(total.where(total > 0), axis=0).fillna(0.0)


def split_units(
    schools: pd.DataFrame, standard: Standard, keep: Sequence[str] = ()
) -> pd.DataFrame:
    """One row per school and evaluated level, with quantities resolved for that level.

    Per-level fields (teachers …) are taken from that level's column; whole-school fields
    (areas, books …) are multiplied by the level's share. ``keep`` columns are carried.
    """
    type_weights = {name: t.levels for name, t in standard.school_types.items() if t.levels}
    weights = split_weights(schools["type"], type_weights)
    shares = level_shares(schools, weights)
    quantities = [q for q in FIELDS if FIELDS[q].kind != "text" and q != STUDENTS]
    parts: list[pd.DataFrame] = []
    for level in standard.evaluated_levels:
        present = weights[level.value] > 0
        block = schools.loc[present, list(keep)].copy()
        block[LEVEL] = level.value
        block[STUDENTS] = schools.loc[present, f"students_{level.value}"]
        block[SHARE] = shares.loc[present, level.value]
        for quantity in quantities:
            field = FIELDS[quantity]
            if field.per_level:
                column = field.column(level)
                if column in schools:
                    block[quantity] = schools.loc[present, column]
            elif quantity in schools:
                block[quantity] = schools.loc[present, quantity] * block[SHARE]
        parts.append(block)
    return pd.concat(parts, ignore_index=True)


def indicator_values(units: pd.DataFrame, indicators: Sequence[Indicator]) -> pd.DataFrame:
    """Each unit's value of each indicator: Σ numerator fields / students × scale."""
    students = units[STUDENTS].where(units[STUDENTS] > 0)
    return pd.DataFrame(
        {
            ind.id: units[ind.numerator].sum(axis=1, min_count=len(ind.numerator))
            / students
            * ind.scale
            for ind in indicators
        },
        index=units.index,
    )


def stat_weights(students: pd.Series, weighting: Weighting) -> pd.Series:
    """The weight of each unit in the statistics: its students, or 1 when unweighted."""
    if weighting == "enrollment":
        return students.astype("float64").rename(WEIGHT)
    return pd.Series(1.0, index=students.index, name=WEIGHT)


def weighted_stats(
    values: pd.DataFrame,
    students: pd.Series,
    groups: pd.Series,
    weighting: Weighting = "enrollment",
    sd_form: SdForm = "population",
) -> pd.DataFrame:
    """Mean, SD and CV of every indicator column within each group.

    With enrollment weighting (the official method) the mean is the ratio of totals,
    X̄ = Σ P_i X_i / Σ P_i, and S = sqrt(Σ (P_i/P)(X_i − X̄)²), the population form.
    Two passes (mean first, then squared deviations) keep it exact for large, nearly
    equal values. Returns a frame indexed by (group, indicator).
    """
    weights = stat_weights(students, weighting)
    total_weight = weights.groupby(groups).sum()
    means = values.mul(weights, axis=0).groupby(groups).sum().div(total_weight, axis=0)
    deviations = values - means.reindex(groups.to_numpy()).to_numpy()
    variance = (
        (deviations.pow(2).mul(weights, axis=0)).groupby(groups).sum().div(total_weight, axis=0)
    )
    counts = values.notna().groupby(groups).sum()
    if sd_form == "sample":
        variance = variance * counts / (counts - 1).where(counts > 1)
    sd = np.sqrt(variance)
    cv = sd / means.where(means != 0)
    stacked = {
        name: frame.stack(future_stack=True)
        for name, frame in (("mean", means), ("sd", sd), ("cv", cv), ("n", counts))
    }
    result = pd.DataFrame(stacked)
    result.index.names = [groups.name or "group", "indicator"]
    return result


def variance_shares(
    values: pd.DataFrame, weights: pd.Series, groups: pd.Series, means: pd.DataFrame
) -> pd.DataFrame:
    """Each unit's share of its group's enrollment-weighted variance, per indicator.

    ``means`` is indexed by group with one column per indicator. Shares within a group
    add up to 1; the sign of (X_i − X̄) says whether the unit pulls from above or below.
    """
    deviations = values - means.reindex(groups.to_numpy()).to_numpy()
    weighted = deviations.pow(2).mul(weights, axis=0)
    totals = weighted.groupby(groups).transform("sum")
    return weighted / totals.where(totals > 0)
