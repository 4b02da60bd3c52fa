"""Level results: each indicator's mean, SD and CV, the composite, the verdict, the contributors
and the fix-first lists, for all (county, level) groups in one vectorised pass.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from junheng_cli.compute.grouping import group_codes, group_sizes
from junheng_cli.compute.indicators import (
    LEVEL,
    STUDENTS,
    SdForm,
    group_stats,
    optional_floats,
    stat_weights,
    variance_shares,
)
from junheng_cli.compute.school_checks import fix_first_steps
from junheng_cli.model.fields import Level
from junheng_cli.model.results import Contributor, IndicatorResult, LevelResult
from junheng_cli.standards.indicators import Indicator
from junheng_cli.standards.model import Standard

TOP_CONTRIBUTORS = 3


LEVELS = list(Level)  # a (county, level) group is numbered county × len(LEVELS) + level
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
    (county, level) groups are computed at once, in one vectorised pass over integer group
    numbers. ``passed``: each unit's school-rule verdict, when the standard judges schools.
    Without ``detail`` there are no contributors and no fix-first lists (a ranking does not
    show them)."""
    group, counties = level_groups(units, county)
    groups = len(counties) * len(LEVELS)
    method = standard.cv
    weights = stat_weights(units[STUDENTS], method.weighting)
    stats = _Stats.of(values, weights, group, groups, method.sd)
    students_of = group_sizes(group, groups, units[STUDENTS].fillna(0).to_numpy(dtype="float64"))
    sizes = group_sizes(group, groups)
    passed_of = None
    if passed is not None:
        passed_of = group_sizes(group, groups, passed.to_numpy(dtype="float64"))
    tops = positions = None
    labels = [
        f"{c}{GROUP_SEP}{lv.value}" if county is not None else lv.value
        for c in counties
        for lv in LEVELS
    ]
    if detail:
        # The contributors' variance shares, grouped by the text labels (pandas' group sums
        # in this order are the ones the golden files hold, to the last place).
        key = pd.Series(np.array(labels, dtype=object)[group], index=units.index, name=LEVEL)
        means = pd.DataFrame(stats.means, columns=values.columns, index=labels)
        shares = variance_shares(values, weights, key, means)
        tops = _Tops.find(units, values, shares, key)
        positions = key.groupby(key, sort=False).indices
    column = {c: n for n, c in enumerate(values.columns)}
    empty = np.array([], dtype=int)
    results: dict[str | None, list[LevelResult]] = {}
    for number, name in enumerate(counties):
        levels = []
        for level, level_name in standard.levels.items():
            at = number * len(LEVELS) + LEVELS.index(level)
            limit = standard.judgement.limits[level]
            where = empty if positions is None else positions.get(labels[at], empty)
            scope = _LevelScope(
                level, limit, units, values, weights, labels[at], where, int(sizes[at])
            )
            indicators = [
                _indicator_result(ind, stats.row(at, column[ind.id]), scope, standard, tops)
                for ind in standard.indicators
            ]
            passed_count = None if passed_of is None else int(passed_of[at])
            students = int(students_of[at])
            levels.append(
                _level_result(
                    level, level_name, scope, indicators, standard, passed_count, students
                )
            )
        results[name] = levels
    return results


def level_groups(
    units: pd.DataFrame, county: pd.Series | None
) -> tuple[np.ndarray, list[str | None]]:
    """Each unit's (county, level) group number, county × len(LEVELS) + level, and the
    counties in the order they first appear ([None] when there is one county)."""
    counties: list[str | None]
    if county is None:
        county_code, counties = np.zeros(len(units), dtype=np.int64), [None]
    else:
        county_code, names = group_codes(county)
        counties = list(names)
    level_codes, level_values = pd.factorize(units[LEVEL])
    position = np.array([LEVELS.index(Level(v)) for v in level_values] + [0], dtype=np.int64)
    return county_code * len(LEVELS) + position[level_codes], counties


@dataclass(frozen=True)
class _Stats:
    """Mean, SD and CV of every (group, indicator), as plain floats (None when missing)."""

    means: np.ndarray
    table: list[list[tuple[float | None, float | None, float | None]]]

    @classmethod
    def of(
        cls, values: pd.DataFrame, weights: pd.Series, group: np.ndarray, groups: int, sd: SdForm
    ) -> _Stats:
        x = values.to_numpy(dtype="float64")
        means, sds, cvs, _ = group_stats(x, weights.to_numpy(dtype="float64"), group, groups, sd)
        plain = [optional_floats(a.ravel()) for a in (means, sds, cvs)]
        width = x.shape[1]
        rows = [
            list(zip(*(p[g * width : (g + 1) * width] for p in plain), strict=True))
            for g in range(groups)
        ]
        return cls(means, rows)

    def row(self, group: int, indicator: int) -> tuple[float | None, float | None, float | None]:
        return self.table[group][indicator]


def _level_result(
    level: Level,
    name: str,
    scope: _LevelScope,
    indicators: list[IndicatorResult],
    standard: Standard,
    passed_count: int | None,
    students: int,
) -> LevelResult:
    schools = scope.size
    failed_count = None if passed_count is None else schools - passed_count
    composite, cv_passed, passed = level_verdict(
        standard, [i.cv for i in indicators], scope.limit, failed_count
    )
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


def level_verdict(
    standard: Standard, cvs: list[float | None], limit: float, failed: int | None
) -> tuple[float | None, bool | None, bool | None]:
    """(composite, cv_passed, passed) of a level: the composite is the mean of the CVs (none
    when one is missing); the CVs pass by the composite (or, judged each, by every CV) against
    the limit; the level passes when they do and, with the school rule (``failed`` not None),
    no school fails it."""
    present = [c for c in cvs if c is not None]
    composite = sum(present) / len(present) if len(present) == len(cvs) else None
    cv_passed: bool | None = None
    if composite is not None:
        each = standard.judgement.mode == "each"
        cv_passed = all(c <= limit for c in present) if each else composite <= limit
    if failed is None or cv_passed is None:
        return composite, cv_passed, cv_passed
    return composite, cv_passed, cv_passed and failed == 0


@dataclass(frozen=True)
class _LevelScope:
    """One level (of one county): the full frames and this group's positions in them (with
    ``detail``); the slices are taken only when a fix-first list needs them."""

    level: Level
    limit: float
    all_units: pd.DataFrame
    all_values: pd.DataFrame
    all_weights: pd.Series
    group: str  # the group's label: the level, or county + GROUP_SEP + level
    at: np.ndarray
    size: int  # units in the group

    @property
    def units(self) -> pd.DataFrame:
        return self.all_units.iloc[self.at]

    @property
    def values(self) -> pd.DataFrame:
        return self.all_values.iloc[self.at]

    @property
    def weights(self) -> pd.Series:
        return self.all_weights.iloc[self.at]


def _indicator_result(
    ind: Indicator,
    row: tuple[float | None, float | None, float | None],
    scope: _LevelScope,
    standard: Standard,
    tops: _Tops | None,
) -> IndicatorResult:
    mean, sd, cv = row
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
