"""Where the imbalance lies: the Theil index of each indicator, decomposed between and within
groups of schools (城乡类型, 所在乡镇). Pure and vectorised: no I/O, no printing.

Within a level (小学 or 初中), unit i has the per-student value x_i and the weight n_i of the
difference coefficient (its students, see ``indicators.stat_weights``; a mixed school's level
unit has its own students). With shares s_i = n_i / N and mean μ = Σ s_i x_i:

    T   = Σ s_i (x_i/μ) ln(x_i/μ)                     (0 · ln 0 = 0)

For groups g: s_g = Σ_{i∈g} s_i, μ_g = Σ_{i∈g} s_i x_i / s_g, T_g the same T among g's units,

    T_B = Σ_g s_g (μ_g/μ) ln(μ_g/μ)                   between the groups
    T_W = Σ_g s_g (μ_g/μ) T_g                         within them

and T = T_B + T_W exactly. T is 0 when every unit has the same value and does not change when
every value is multiplied by the same number; for small differences T ≈ CV² / 2. T_B / T says
how much of the inequality is between the groups (城乡之间, 乡镇之间) rather than inside them.
μ = 0 (nobody has any) leaves T undefined: None. T_g is None for a group whose mean is 0 (it
then adds nothing to T_W). Units with no value for a grouping form the group 未填写; when no
unit of a level has a value, the grouping is not available there (未提供).

Each sum is computed as Σ s_i φ(x_i/μ) with φ(r) = r ln r − r + 1 ≥ 0: equal to T because
Σ s_i x_i/μ = 1, but a sum of non-negative terms, so T ≥ 0 and T_B + T_W = T hold to rounding
even when the values are nearly equal (the plain form cancels to noise there).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from junheng_cli.compute.indicators import LEVEL, STUDENTS, Weighting, optional_float, stat_weights
from junheng_cli.model.inequality_results import (
    LevelInequality,
    TheilGroup,
    TheilGrouping,
    TheilSplit,
)
from junheng_cli.standards.model import Standard

GROUPINGS: dict[str, str] = {"area_type": "城乡类型", "township": "所在乡镇"}
AREA_ORDER = ("城区", "镇区", "乡村")
UNFILLED = "未填写"
MAINLY_BETWEEN = 0.5  # between share from which the gap is said to lie between the groups
NO_GAP = 1e-12  # a T this small is rounding: every unit has the same value
SERIES_BELOW = 0.01  # |x/μ − 1| under which φ is summed as its series (exact to ~1e-16)
# φ(1 + d) = d²/2 − d³/6 + d⁴/12 − … = d² Σ_{k≥2} (−d)^(k−2) / (k(k−1)): for small d the direct
# form r ln r − r + 1 loses its digits to cancellation. Highest power first, for np.polyval.
PHI_SERIES = [(-1) ** k / (k * (k - 1)) for k in range(8, 1, -1)]


@dataclass(frozen=True)
class Decomposition:
    """``totals``: index (level, indicator); columns theil, between, within, mean.
    ``groups``: index (level, indicator, group); columns units, students, mean, theil."""

    totals: pd.DataFrame
    groups: pd.DataFrame


def phi(x: np.ndarray, mean: np.ndarray) -> np.ndarray:
    """φ(x/μ) = (x/μ) ln(x/μ) − x/μ + 1, elementwise; NaN where μ is not positive."""
    with np.errstate(divide="ignore", invalid="ignore"):
        ratio = x / mean
        d = (x - mean) / mean
        logs = np.log(np.where(ratio > 0, ratio, 1.0))
        direct = np.where(ratio > 0, ratio * logs, 0.0) - d
        series = d * d * np.polyval(PHI_SERIES, d)
        result = np.where(np.abs(d) < SERIES_BELOW, series, direct)
    return np.where(mean > 0, result, np.nan)


def decompose(
    values: pd.DataFrame,
    students: pd.Series,
    levels: pd.Series,
    groups: pd.Series,
    weighting: Weighting = "enrollment",
) -> Decomposition:
    """Theil T, T_B and T_W of every indicator column within each level, for one grouping
    (``groups``: each unit's group label, no NaN). Units without a value (or weight) for an
    indicator are left out of that indicator."""
    weights = stat_weights(students, weighting)
    valid = values.notna() & (weights > 0).to_numpy()[:, None]
    w = valid.mul(weights, axis=0)
    x = values.where(valid, 0.0)
    levels = levels.rename("level")
    keys = [levels, groups.rename("group")]
    level_w = w.groupby(levels).sum()
    level_mean = (w * x).groupby(levels).sum() / level_w.where(level_w > 0)
    group_w = w.groupby(keys).sum()
    group_mean = (w * x).groupby(keys).sum() / group_w.where(group_w > 0)

    at_level = level_mean.reindex(levels.to_numpy()).to_numpy()
    at_group = group_mean.reindex(pd.MultiIndex.from_arrays(keys)).to_numpy()
    theil = _weighted_phi(w, x, at_level).groupby(levels).sum() / level_w
    group_theil = _weighted_phi(w, x, at_group).groupby(keys).sum() / group_w
    group_theil = group_theil.where(group_mean > 0)

    group_level = group_w.index.get_level_values("level")
    mean_of_level = level_mean.reindex(group_level).to_numpy()
    between_terms = _weighted_phi(group_w, group_mean.fillna(0.0), mean_of_level)
    within_terms = (group_w * group_mean / mean_of_level * group_theil).where(group_theil.notna())
    between = between_terms.groupby(level="level").sum() / level_w
    within = within_terms.fillna(0.0).groupby(level="level").sum() / level_w

    defined = level_mean > 0
    totals = _stacked(
        ["level", "indicator"],
        theil=theil.where(defined),
        between=between.where(defined),
        within=within.where(defined),
        mean=level_mean.where(defined),
    )
    per_group = _stacked(
        ["level", "group", "indicator"],
        units=valid.groupby(keys).sum(),
        students=valid.mul(students.astype("float64"), axis=0).groupby(keys).sum(),
        mean=group_mean,
        theil=group_theil,
    )
    per_group = per_group[per_group["units"] > 0].reorder_levels(["level", "indicator", "group"])
    return Decomposition(totals, per_group)


def _stacked(names: list[str], **frames: pd.DataFrame) -> pd.DataFrame:
    """Frames indexed by group with one column per indicator → one column each, long."""
    stacked = pd.DataFrame({k: f.stack(future_stack=True) for k, f in frames.items()})
    stacked.index.names = names
    return stacked


def _weighted_phi(w: pd.DataFrame, x: pd.DataFrame, mean: np.ndarray) -> pd.DataFrame:
    """w · φ(x/μ), 0 where the weight is 0 or φ undefined (μ = 0: masked by the caller)."""
    terms = w * phi(x.to_numpy(), mean)
    return terms.where((w > 0) & terms.notna(), 0.0)


def group_labels(column: pd.Series) -> pd.Series:
    """The group of each unit: its text, or 未填写 when empty."""
    text = column.fillna("").astype(str).str.strip()
    return text.mask(text.eq(""), UNFILLED)


def level_inequality(
    units: pd.DataFrame, values: pd.DataFrame, standard: Standard
) -> list[LevelInequality]:
    """Per level with units, per grouping, per indicator: the Theil decomposition."""
    one = pd.Series("", index=units.index)
    return inequality_by_county(units, values, standard, one)[""]


COUNTY_SEP = "\x1f"  # between a county's name and a level in a decomposition's level key


def inequality_by_county(
    units: pd.DataFrame, values: pd.DataFrame, standard: Standard, county: pd.Series
) -> dict[str, list[LevelInequality]]:
    """``level_inequality`` of every county (``county``: each unit's county), decomposed for
    all counties at once, grouped by county and level: pandas' cost per operation, not the
    rows, was the time of a hundred counties decomposed one by one."""
    levels = county.astype(str) + COUNTY_SEP + units[LEVEL].astype(str)
    unit_counts = levels.value_counts().to_dict()
    per_grouping = []
    for field, label in GROUPINGS.items():
        column = units[field] if field in units else pd.Series("", index=units.index)
        labels = group_labels(column)
        unfilled = labels.eq(UNFILLED).groupby(levels).sum().to_dict()
        split = decompose(values, units[STUDENTS], levels, labels, standard.cv.weighting)
        totals = split.totals.to_dict("index")
        groups = _groups_by_indicator(split.groups, field)
        per_grouping.append((field, label, unfilled, totals, groups))
    found: dict[str, list[LevelInequality]] = {}
    for name in dict.fromkeys(county.astype(str)):
        results: list[LevelInequality] = []
        for level, level_name in standard.levels.items():
            key = f"{name}{COUNTY_SEP}{level.value}"
            if key not in unit_counts:
                continue
            groupings = []
            for field, label, unfilled, totals, groups in per_grouping:
                count = int(unfilled.get(key, 0))
                available = count < int(unit_counts[key])
                indicators = [
                    _split(ind.id, ind.name, ind.label, totals, groups, key)
                    for ind in (standard.indicators if available else [])
                ]
                groupings.append(TheilGrouping(field, label, available, count, indicators))
            results.append(LevelInequality(level, level_name, groupings))
        found[name] = results
    return found


def _groups_by_indicator(
    frame: pd.DataFrame, field: str
) -> dict[tuple[str, str], list[TheilGroup]]:
    found: dict[tuple[str, str], list[TheilGroup]] = {}
    for (level, indicator, name), row in frame.to_dict("index").items():
        found.setdefault((level, indicator), []).append(
            TheilGroup(
                name=str(name),
                units=int(row["units"]),
                students=round(row["students"]),
                mean=float(row["mean"]),
                theil=optional_float(row["theil"]),
            )
        )
    for key, items in found.items():
        found[key] = sorted(items, key=lambda g: _group_order(g.name, field))
    return found


def _group_order(name: str, field: str) -> tuple[int, int, str]:
    """城区, 镇区, 乡村 first for 城乡类型; then by name; 未填写 last."""
    if name == UNFILLED:
        return (2, 0, name)
    if field == "area_type" and name in AREA_ORDER:
        return (0, AREA_ORDER.index(name), name)
    return (1, 0, name)


def _split(
    indicator: str,
    name: str,
    label: str,
    totals: dict[tuple[str, str], dict[str, float]],
    groups: dict[tuple[str, str], list[TheilGroup]],
    level: str,
) -> TheilSplit:
    row = totals.get((level, indicator), {})
    theil, between, within = (optional_float(row.get(k)) for k in ("theil", "between", "within"))
    share = None
    if theil is not None and between is not None and theil > NO_GAP:
        share = between / theil
    return TheilSplit(
        indicator=indicator,
        name=name,
        label=label,
        theil=theil,
        between=between,
        within=within,
        between_share=share,
        mainly_between=None if share is None else share >= MAINLY_BETWEEN,
        groups=groups.get((level, indicator), []),
    )
