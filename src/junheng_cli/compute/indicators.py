"""Pure, vectorised computations on school tables: no I/O, no printing.

- ``split_units``: one row per (school, level), splitting whole-school quantities of
  mixed schools by weighted enrollment;
- ``indicator_values``: each unit's indicator values;
- ``weighted_stats``: per group and indicator the mean, SD and CV. This is the one place
  the difference coefficient is computed;
- ``variance_shares``: each unit's share of its group's (weighted) variance.
"""

from __future__ import annotations

import math
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass
from typing import Literal

import numpy as np
import pandas as pd

from junheng_cli.model.fields import FIELDS, Level
from junheng_cli.standards.indicators import Indicator
from junheng_cli.standards.model import Standard

LEVEL = "level"
STUDENTS = "students"
SHARE = "share"
WEIGHT = "weight"

Weighting = Literal["enrollment", "unweighted"]
SdForm = Literal["population", "sample"]


def split_weights(types: pd.Series, weights: Mapping[str, Mapping[Level, float]]) -> pd.DataFrame:
    """Per school, the splitting weight of each level (0 where the type lacks the level)."""
    codes, kinds = pd.factorize(types)  # a handful of types: look each up once
    columns = {}
    for lv in Level:
        per_kind = np.array([weights.get(k, {}).get(lv, 0.0) for k in kinds] + [0.0])
        columns[lv.value] = per_kind[codes]  # code -1 (missing) takes the trailing 0
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
    schools: pd.DataFrame,
    standard: Standard,
    keep: Sequence[str] = (),
    fields: Collection[str] | None = None,
) -> pd.DataFrame:
    """One row per school and evaluated level, with quantities resolved for that level.

    Per-level fields (teachers …) are taken from that level's column; whole-school fields
    (areas, books …) are multiplied by the level's share. ``keep`` columns are carried;
    ``fields``: only these quantities (all when None).
    """
    type_weights = {name: t.levels for name, t in standard.school_types.items() if t.levels}
    weights = split_weights(schools["type"], type_weights)
    shares = level_shares(schools, weights)
    quantities = [
        q
        for q in FIELDS
        if FIELDS[q].kind != "text"
        and q != STUDENTS
        and FIELDS[q].splits
        and (fields is None or q in fields)
    ]
    parts: list[pd.DataFrame] = []
    for level in standard.evaluated_levels:
        at = np.flatnonzero(weights[level.value].to_numpy() > 0)
        block: dict[str, object] = {name: schools[name].iloc[at] for name in keep}  # as typed
        block[LEVEL] = level.value
        students = f"students_{level.value}"  # absent when no school type present has it
        block[STUDENTS] = schools[students].to_numpy()[at] if students in schools else np.nan
        share = shares[level.value].to_numpy()[at]
        block[SHARE] = share
        for quantity in quantities:
            field = FIELDS[quantity]
            column = field.column(level) if field.per_level else quantity
            if column not in schools:
                continue
            values = schools[column].to_numpy()[at]
            block[quantity] = values if field.per_level else values * share
        parts.append(pd.DataFrame(block, index=schools.index[at]))
    return pd.concat(parts, ignore_index=True)


def scored_fields(standard: Standard) -> set[str]:
    """The quantities the standard's indicators are computed from (numerators, and what an
    allowance counts on top of one)."""
    fields = {field for ind in standard.indicators for field in ind.numerator}
    return fields | {ind.allowance.add for ind in standard.indicators if ind.allowance}


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
    weights = stat_weights(students, weighting).to_numpy(dtype="float64")
    codes, keys = pd.factorize(groups, sort=True)  # the groups in sorted order, as groupby
    x = values.to_numpy(dtype="float64")
    kept = codes >= 0  # a unit without a group is in no group's statistics
    means, sd, cv, counts = group_stats(x[kept], weights[kept], codes[kept], len(keys), sd_form)
    index = pd.MultiIndex.from_product(
        [pd.Index(keys), values.columns], names=[groups.name or "group", "indicator"]
    )
    return pd.DataFrame(
        {
            "mean": means.ravel(),
            "sd": sd.ravel(),
            "cv": cv.ravel(),
            "n": counts.ravel().astype("int64"),
        },
        index=index,
    )


def group_stats(
    x: np.ndarray, weights: np.ndarray, codes: np.ndarray, groups: int, sd_form: SdForm
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """``weighted_stats`` on arrays: units × indicators values, each unit's weight and group
    number (0 … ``groups`` − 1); per group and indicator the mean, SD, CV and count (NaN
    where a group has no unit with a value)."""
    valid = ~np.isnan(x)
    # a unit without a value of an indicator carries no weight in that indicator's statistics
    w = np.where(valid, weights[:, None], 0.0)
    total_weight = _group_sums(codes, w, groups)
    total_weight[total_weight <= 0] = np.nan
    means = _group_sums(codes, np.where(valid, x * w, 0.0), groups) / total_weight
    deviations = np.where(valid, x - means[codes], 0.0)
    variance = _group_sums(codes, deviations**2 * w, groups) / total_weight
    counts = _group_sums(codes, valid.astype("float64"), groups)
    if sd_form == "sample":
        with np.errstate(divide="ignore", invalid="ignore"):
            variance = np.where(counts > 1, variance * counts / (counts - 1), np.nan)
    sd = np.sqrt(variance)
    with np.errstate(divide="ignore", invalid="ignore"):
        cv = np.where(means != 0, sd / means, np.nan)
    return means, sd, cv, counts


def _group_sums(codes: np.ndarray, columns: np.ndarray, groups: int) -> np.ndarray:
    """Column sums per group (rows of ``columns`` labelled by ``codes``)."""
    if columns.shape[1] == 0:
        return np.zeros((groups, 0))
    return np.stack(
        [np.bincount(codes, weights=column, minlength=groups) for column in columns.T], axis=1
    ).reshape(groups, columns.shape[1])


def variance_shares(
    values: pd.DataFrame, weights: pd.Series, groups: pd.Series, means: pd.DataFrame
) -> pd.DataFrame:
    """Each unit's share of its group's enrollment-weighted variance, per indicator.

    ``means`` is indexed by group with one column per indicator. Shares within a group
    add up to 1; the sign of (X_i − X̄) says whether the unit pulls from above or below.
    """
    # Aligned by name: group statistics arrive with their indicators in another order
    # (alphabetical, from unstack) than the value columns.
    aligned = means.reindex(index=groups.to_numpy(), columns=values.columns)
    deviations = values - aligned.to_numpy()
    weighted = deviations.pow(2).mul(weights, axis=0)
    totals = weighted.groupby(groups).transform("sum")
    return weighted / totals.where(totals > 0)


# -- per-school thresholds (2017) ------------------------------------------------------------
MET, NEAR, BELOW = "met", "near", "below"
TOLERANCE = 1e-9  # relative: a value equal to its threshold up to rounding meets it


def unit_thresholds(units: pd.DataFrame, indicators: Sequence[Indicator]) -> pd.DataFrame:
    """Each unit's threshold per indicator, by the unit's level (NaN where none is set)."""
    masks = {lv: units[LEVEL].eq(lv.value).to_numpy(dtype=bool) for lv in Level}
    columns = {}
    for ind in indicators:
        column = np.full(len(units), np.nan)
        for level, threshold in ind.thresholds.items():
            column[masks[level]] = threshold
        columns[ind.id] = column
    return pd.DataFrame(columns, index=units.index)


STATUS_WORDS = (BELOW, NEAR, MET)  # status codes 0, 1, 2; −1 where no threshold is set
NO_STATUS = -1


def status_codes(values: pd.DataFrame, thresholds: pd.DataFrame, floor: float) -> np.ndarray:
    """``statuses`` as small integers (units × the columns of ``values``): 2 met, 1 near,
    0 below, −1 where the unit has no threshold."""
    slack = 1 - TOLERANCE
    x = values.to_numpy(dtype="float64")
    limits = thresholds.reindex(columns=values.columns).to_numpy(dtype="float64")
    with np.errstate(invalid="ignore"):
        met = x >= limits * slack
        near = x >= limits * floor * slack
    codes = np.where(met, 2, np.where(near, 1, 0)).astype(np.int8)
    codes[np.isnan(limits)] = NO_STATUS
    return codes


def statuses(values: pd.DataFrame, thresholds: pd.DataFrame, floor: float) -> pd.DataFrame:
    """met: value ≥ threshold; near: below it but ≥ floor × threshold; below: under that
    (NaN where no threshold is set)."""
    return statuses_of(status_codes(values, thresholds, floor), values)


def statuses_of(codes: np.ndarray, like: pd.DataFrame) -> pd.DataFrame:
    """``status_codes`` as words, labelled as ``like`` (the values they judge)."""
    words = np.array([*STATUS_WORDS, np.nan], dtype=object)  # code −1 takes the NaN
    return pd.DataFrame(words[codes], index=like.index, columns=like.columns, dtype=object)


def school_verdicts(status: pd.DataFrame, min_met: int) -> pd.DataFrame:
    """Per unit: how many indicators are met, and whether the school rule is satisfied."""
    met = status.eq(MET).sum(axis=1)
    below = status.eq(BELOW).sum(axis=1)
    return pd.DataFrame({"met": met, "passed": (met >= min_met) & (below == 0)})


def code_verdicts(codes: np.ndarray, min_met: int, index: pd.Index) -> pd.DataFrame:
    """``school_verdicts`` of ``status_codes``."""
    met = (codes == 2).sum(axis=1).astype(np.int64)
    below = (codes == 0).sum(axis=1)
    return pd.DataFrame({"met": met, "passed": (met >= min_met) & (below == 0)}, index=index)


def quantity_gaps(
    units: pd.DataFrame,
    values: pd.DataFrame,
    thresholds: pd.DataFrame,
    indicators: Sequence[Indicator],
    extra: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """How much of each indicator's numerator a unit lacks to reach its threshold (unrounded).

    value = Σ numerator / students × scale ≥ T  ⇔  Σ numerator ≥ T × students / scale.
    ``extra``: what an allowance counts on top of the numerator, by indicator id.
    """
    gaps = {}
    for ind in indicators:
        have = units[ind.numerator].sum(axis=1)
        if extra is not None and ind.id in extra:
            have = have + extra[ind.id]
        need = thresholds[ind.id] * units[STUDENTS] / ind.scale
        gap = (need - have).clip(lower=0)
        gaps[ind.id] = gap.where(gap > need * TOLERANCE, 0.0).where(thresholds[ind.id].notna())
    return pd.DataFrame(gaps, index=units.index)


def round_up(amounts: pd.Series | pd.DataFrame, step: float) -> pd.Series | pd.DataFrame:
    """Up to the next multiple of ``step`` (whole teachers, whole rooms …)."""
    return np.maximum(np.ceil(amounts / step - TOLERANCE), 0.0) * step + 0.0


def weighted_mean_sd(values: np.ndarray, weights: np.ndarray) -> tuple[float, float]:
    """The same two-pass formula as ``weighted_stats``, on plain arrays (one group)."""
    total = weights.sum()
    mean = float((values * weights).sum() / total)
    variance = float((weights * (values - mean) ** 2).sum() / total)
    return mean, variance**0.5


@dataclass(frozen=True)
class FixStep:
    position: int  # index into the arrays given
    before: float
    after: float
    cv_after: float


def fix_first(
    values: np.ndarray,
    weights: np.ndarray,
    limit: float,
    threshold: float | None = None,
    max_steps: int | None = None,
) -> list[FixStep]:
    """Raise schools one at a time, each at most once, choosing each time the one whose raise
    lowers the CV most, until the CV is at or under ``limit``. A school is raised to the
    threshold or to the county mean at that moment, whichever is higher. Stops when nobody is
    left to raise (the CV may then still be over the limit: the high side dominates)."""
    x = values.astype("float64").copy()
    w = weights.astype("float64")
    raised = np.zeros(len(x), dtype=bool)
    steps: list[FixStep] = []
    for _ in range(max_steps or len(x)):
        mean, sd = weighted_mean_sd(x, w)
        if mean <= 0 or sd / mean <= limit:
            break
        target = mean if threshold is None else max(threshold, mean)
        candidates = np.flatnonzero(~raised & (x < target * (1 - TOLERANCE)))
        if candidates.size == 0:
            break
        targets = np.full(candidates.size, target)
        best = candidates[np.argmin(_cvs_if_raised(x, w, candidates, targets))]
        before = x[best]
        x[best] = target
        raised[best] = True
        mean, sd = weighted_mean_sd(x, w)
        steps.append(FixStep(int(best), float(before), float(target), sd / mean))
    return steps


def _cvs_if_raised(
    x: np.ndarray, w: np.ndarray, candidates: np.ndarray, targets: np.ndarray
) -> np.ndarray:
    """The CV after raising each candidate alone to its target, all candidates at once.
    (Only used to rank candidates; the CV reported after each step is computed exactly.)"""
    total = w.sum()
    s1 = (w * x).sum() + w[candidates] * (targets - x[candidates])
    s2 = (w * x * x).sum() + w[candidates] * (targets**2 - x[candidates] ** 2)
    mean = s1 / total
    variance = np.maximum(s2 / total - mean**2, 0.0)
    return np.sqrt(variance) / mean


def optional_float(value: object) -> float | None:
    """A statistic as a plain float, None when missing or NaN."""
    if value is None:
        return None
    number = float(value)  # type: ignore[arg-type]
    return None if math.isnan(number) else number


def optional_floats(values: Sequence[float] | np.ndarray | pd.Series) -> list[float | None]:
    """Plain floats, None for NaN (for result objects and documents)."""
    return [None if v != v else v for v in np.asarray(values, dtype=float).tolist()]
