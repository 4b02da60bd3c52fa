"""Level results: each indicator's mean, SD and CV, the composite, the verdict, the contributors
and the fix-first lists, for all (county, level) groups in one vectorised pass.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from junheng_cli.compute.indicators import (
    LEVEL,
    STUDENTS,
    optional_float,
    stat_weights,
    variance_shares,
    weighted_stats,
)
from junheng_cli.compute.school_checks import fix_first_steps
from junheng_cli.model.fields import Level
from junheng_cli.model.results import Contributor, IndicatorResult, LevelResult
from junheng_cli.standards.indicators import Indicator
from junheng_cli.standards.model import Standard

TOP_CONTRIBUTORS = 3


GROUP_SEP = "\x1f"


def build_level_results(
    units: pd.DataFrame,
    values: pd.DataFrame,
    standard: Standard,
    passed: pd.Series | None,
    county: pd.Series | None = None,
    detail: bool = True,
) -> dict[str | None, list[LevelResult]]:
    """Level results per county (key None when there is one county). The statistics of all
    (county, level) groups are computed at once, in one vectorised pass. ``passed``: each
    unit's school-rule verdict, when the standard judges schools. Without ``detail`` there
    are no contributors and no fix-first lists (a ranking does not show them)."""
    key = units[LEVEL] if county is None else county.astype(str) + GROUP_SEP + units[LEVEL]
    key = key.rename(LEVEL)
    method = standard.cv
    stats = weighted_stats(values, units[STUDENTS], key, method.weighting, method.sd)
    weights = stat_weights(units[STUDENTS], method.weighting)
    tops = None
    if detail:
        shares = variance_shares(values, weights, key, stats["mean"].unstack("indicator"))
        tops = _Tops.find(units, values, shares, key)
    table = {
        (group, indicator): (row["mean"], row["sd"], row["cv"])
        for (group, indicator), row in stats.to_dict("index").items()
    }
    positions = key.groupby(key, sort=False).indices
    students_of = units[STUDENTS].groupby(key, sort=False).sum().to_dict()
    passed_of = {} if passed is None else passed.groupby(key, sort=False).sum().to_dict()
    counties: list[str | None] = [None] if county is None else list(dict.fromkeys(county))
    empty = np.array([], dtype=int)
    results: dict[str | None, list[LevelResult]] = {}
    for name in counties:
        levels = []
        for level, level_name in standard.levels.items():
            group = level.value if name is None else f"{name}{GROUP_SEP}{level.value}"
            at = positions.get(group, empty)
            limit = standard.judgement.limits[level]
            scope = _LevelScope(level, limit, units, values, weights, group, at)
            indicators = [
                _indicator_result(ind, table, scope, standard, tops) for ind in standard.indicators
            ]
            passed_count = None if passed is None else int(passed_of.get(group, 0))
            students = int(students_of.get(group, 0))
            levels.append(
                _level_result(
                    level, level_name, scope, indicators, standard, passed_count, students
                )
            )
        results[name] = levels
    return results


def _level_result(
    level: Level,
    name: str,
    scope: _LevelScope,
    indicators: list[IndicatorResult],
    standard: Standard,
    passed_count: int | None,
    students: int,
) -> LevelResult:
    cvs = [i.cv for i in indicators]
    composite = None if any(c is None for c in cvs) else sum(cvs) / len(cvs)
    cv_passed = _cv_passed(standard, indicators, composite, scope.limit)
    schools = scope.size
    failed_count = None if passed_count is None else schools - passed_count
    passed = cv_passed
    if failed_count is not None:
        passed = None if cv_passed is None else cv_passed and failed_count == 0
    return LevelResult(
        level=level,
        name=name,
        schools=schools,
        students=students,
        indicators=indicators,
        composite_cv=composite,
        composite_limit=scope.limit,
        passed=passed,
        cv_passed=cv_passed,
        schools_passed=passed_count,
        schools_failed=failed_count,
    )


def _cv_passed(
    standard: Standard, indicators: list[IndicatorResult], composite: float | None, limit: float
) -> bool | None:
    if standard.judgement.mode == "each":
        verdicts = [i.passed for i in indicators]
        return None if any(v is None for v in verdicts) else all(verdicts)
    return None if composite is None else composite <= limit


@dataclass(frozen=True)
class _LevelScope:
    """One level (of one county): the full frames and this group's positions in them; the
    slices are taken only when a fix-first list needs them."""

    level: Level
    limit: float
    all_units: pd.DataFrame
    all_values: pd.DataFrame
    all_weights: pd.Series
    group: str  # the statistics' group key: the level, or county + level
    at: np.ndarray

    @property
    def units(self) -> pd.DataFrame:
        return self.all_units.iloc[self.at]

    @property
    def values(self) -> pd.DataFrame:
        return self.all_values.iloc[self.at]

    @property
    def weights(self) -> pd.Series:
        return self.all_weights.iloc[self.at]

    @property
    def size(self) -> int:
        return len(self.at)


def _indicator_result(
    ind: Indicator,
    table: dict[tuple[str, str], tuple[float, float, float]],
    scope: _LevelScope,
    standard: Standard,
    tops: _Tops | None,
) -> IndicatorResult:
    row = table.get((scope.group, ind.id))
    mean, sd, cv = (None, None, None) if row is None else (optional_float(v) for v in row)
    judged = standard.judgement.mode == "each"
    passed = (None if cv is None else cv <= scope.limit) if judged else None
    steps = []
    if passed is False and tops is not None:
        steps = fix_first_steps(
            scope.units, scope.values[ind.id], scope.weights, ind, scope.level, scope.limit
        )
    return IndicatorResult(
        id=ind.id,
        name=ind.name,
        unit=ind.unit,
        decimals=ind.decimals,
        mean=mean,
        sd=sd,
        cv=cv,
        limit=scope.limit if judged else None,
        passed=passed,
        contributors=[] if tops is None else tops.contributors(ind.id, scope.group, mean),
        fix_first=steps,
        short_name=ind.short_name,
    )


@dataclass(frozen=True)
class _Tops:
    """The largest shares of the weighted variance, per indicator and group, found for all
    groups at once, and the unit facts a contributor line needs."""

    labels: dict[str, dict[str, list[int]]]  # indicator → group → unit labels, largest first
    shares: pd.DataFrame
    values: pd.DataFrame
    names: dict[int, str]
    codes: dict[int, str]

    @property
    def _columns(self) -> dict[str, tuple[np.ndarray, np.ndarray]]:
        """Per indicator, values and shares as arrays (units are numbered 0…n−1)."""
        cached = self.__dict__.get("_arrays")
        if cached is None:
            cached = {
                c: (self.values[c].to_numpy(), self.shares[c].to_numpy())
                for c in self.values.columns
            }
            object.__setattr__(self, "_arrays", cached)
        return cached

    @classmethod
    def find(
        cls, units: pd.DataFrame, values: pd.DataFrame, shares: pd.DataFrame, key: pd.Series
    ) -> _Tops:
        labels: dict[str, dict[str, list[int]]] = {}
        for column in shares.columns:
            ranked = pd.DataFrame({"group": key, "share": shares[column]})
            ranked = ranked[ranked["share"] > 0].sort_values(
                ["group", "share"], ascending=[True, False], kind="stable"
            )
            top = ranked.groupby("group", sort=False).head(TOP_CONTRIBUTORS)
            per_group: dict[str, list[int]] = {}
            for group, label in zip(top["group"], top.index, strict=True):
                per_group.setdefault(group, []).append(label)
            labels[column] = per_group
        return cls(labels, shares, values, units["name"].to_dict(), units["code"].to_dict())

    def contributors(self, indicator: str, group: str, mean: float | None) -> list[Contributor]:
        if mean is None:
            return []
        chosen = self.labels[indicator].get(group, [])
        if not chosen:
            return []
        values = self._columns[indicator][0][chosen].tolist()
        shares = self._columns[indicator][1][chosen].tolist()
        return [
            Contributor(
                name=self.names[i],
                code=self.codes[i],
                value=float(value),
                variance_share=float(share),
                above_mean=bool(value > mean),
            )
            for i, value, share in zip(chosen, values, shares, strict=True)
        ]
