"""The values the least-additions plan raises units to: the school rule's floors and thresholds
(step 1) and the common level that brings a CV under its aim (step 2, see ``additions``)."""

from __future__ import annotations

import numpy as np
import pandas as pd

from junheng_cli.compute.indicators import (
    BELOW,
    MET,
    school_verdicts,
    statuses,
    unit_thresholds,
    weighted_stats,
)
from junheng_cli.model.fields import Level
from junheng_cli.standards.indicators import CVMethod
from junheng_cli.standards.model import Standard

CANDIDATES = 64  # candidate levels evaluated per round of the search for L
SEARCH_ROUNDS = 12
AIM_MARGIN = 1e-9  # aim a hair under the limit, so that float noise never lands just above it


def _rule_status(
    units: pd.DataFrame, values: pd.DataFrame, standard: Standard
) -> tuple[pd.DataFrame, pd.DataFrame, pd.Series] | None:
    """(thresholds, statuses, passed) of every unit under the school rule; None without one."""
    rule = standard.school_rule
    if rule is None:
        return None
    thresholds = unit_thresholds(units, standard.indicators)
    status = statuses(values, thresholds, rule.floor)
    return thresholds, status, school_verdicts(status, rule.min_met)["passed"]


def floor_targets(units: pd.DataFrame, values: pd.DataFrame, standard: Standard) -> pd.DataFrame:
    """Step 1 (a): a unit failing the school rule raises every indicator under the floor to
    the floor (floor × threshold). NaN: no target."""
    judged = _rule_status(units, values, standard)
    if judged is None:
        return pd.DataFrame(np.nan, index=values.index, columns=values.columns)
    thresholds, status, passed = judged
    floor = standard.school_rule.floor if standard.school_rule else 1.0
    return (thresholds * floor).where(status.eq(BELOW)).where(~passed, axis=0)


def met_targets(units: pd.DataFrame, values: pd.DataFrame, standard: Standard) -> pd.DataFrame:
    """Step 1 (b): a unit failing the school rule with fewer than ``min_met`` indicators met
    raises the not-met indicators with the smallest relative shortfall, (threshold − value) /
    threshold, to the threshold, as many as it lacks. NaN: no target."""
    judged = _rule_status(units, values, standard)
    if judged is None or standard.school_rule is None:
        return pd.DataFrame(np.nan, index=values.index, columns=values.columns)
    thresholds, status, passed = judged
    met = status.eq(MET)
    lacking = (standard.school_rule.min_met - met.sum(axis=1)).clip(lower=0)
    shortfall = ((thresholds - values) / thresholds).where(~met & thresholds.notna())
    chosen = shortfall.rank(axis=1, method="first").le(lacking, axis=0)
    return thresholds.where(chosen).where(~passed, axis=0)


def cv_aims(cvs: dict[str, float], standard: Standard, level: Level) -> dict[str, float]:
    """The CV each over-limit indicator must come down to: its limit (``each``), or a common
    ceiling that brings the composite to its limit (``composite``)."""
    limit = standard.judgement.limits[level]
    if standard.judgement.mode == "each":
        return {k: limit * (1 - AIM_MARGIN) for k, cv in cvs.items() if cv > limit}
    values = np.array(list(cvs.values()), dtype=float)
    if np.isnan(values).any() or values.mean() <= limit:
        return {}
    ceiling = flatten_ceiling(values, limit)
    return {k: ceiling * (1 - AIM_MARGIN) for k, cv in cvs.items() if cv > ceiling}


def flatten_ceiling(cvs: np.ndarray, limit: float) -> float:
    """The t with mean(min(cvs, t)) = limit (the highest CVs cut down to one level)."""
    ordered = np.sort(cvs)
    m = len(ordered)
    for kept in range(m):  # the ``kept`` lowest stay as they are, the rest come down to t
        t = (limit * m - ordered[:kept].sum()) / (m - kept)
        if t <= ordered[kept] and (kept == 0 or t >= ordered[kept - 1]):
            return float(t)
    return float(limit)


def water_level(values: np.ndarray, students: np.ndarray, aim: float, method: CVMethod) -> float:
    """The smallest L with CV(max(values, L)) ≤ aim. CV(L) falls as L rises, and at L = the
    highest value every unit is equal (CV 0), so the search keeps ``hi`` meeting the aim."""
    lo, hi = float(values.min()), float(values.max())
    for _ in range(SEARCH_ROUNDS):
        grid = np.linspace(lo, hi, CANDIDATES)
        meets = filled_cvs(values, students, grid, method) <= aim
        meets[-1] = True  # ``hi``: met in the previous round (or all equal)
        first = int(np.argmax(meets))
        if first == 0:
            return float(grid[0])
        lo, hi = float(grid[first - 1]), float(grid[first])
        if hi - lo <= 1e-12 * max(abs(hi), 1.0):
            break
    return hi


def filled_cvs(
    values: np.ndarray, students: np.ndarray, levels: np.ndarray, method: CVMethod
) -> np.ndarray:
    """The CV of max(values, L) for every candidate L at once (one column per candidate)."""
    filled = pd.DataFrame(np.maximum(values[:, None], levels[None, :]))
    group = pd.Series(0, index=filled.index, name="group")
    stats = weighted_stats(
        filled, pd.Series(students, index=filled.index), group, method.weighting, method.sd
    )
    return stats["cv"].to_numpy(dtype=float)
