"""From one period to the next, school by school: level units matched by (学校标识码, 学段),
then by (学校名称, 学段) when the name is unique on both sides, and how each one's values,
gaps and verdict changed."""

from __future__ import annotations

from collections.abc import Callable, Sequence

import numpy as np
import pandas as pd

from junheng_cli.compute.indicators import optional_floats
from junheng_cli.model.results import Evaluation, UnitResult
from junheng_cli.standards.model import Standard
from junheng_cli.workflows.compare.model import (
    GapChange,
    MatchedBy,
    PeriodStep,
    UnitChange,
    UnitRef,
    ValueChange,
)


def period_step(
    earlier: tuple[str, Evaluation], later: tuple[str, Evaluation], standard: Standard
) -> PeriodStep:
    (before_label, before), (after_label, after) = earlier, later
    pairs, by_name = match_units(before.units, after.units)
    matched_before = {i for i, _ in pairs}
    matched_after = {j for _, j in pairs}
    ids = [ind.id for ind in standard.indicators]
    values = _deltas(_value_frame(before.units, ids), _value_frame(after.units, ids), pairs)
    gaps = _deltas(_gap_frame(before.units, ids), _gap_frame(after.units, ids), pairs)
    specs = _gap_specs(before.units, after.units)
    changes = [
        _unit_change(
            _ref(before_label, before.units[i]),
            _ref(after_label, after.units[j]),
            MatchedBy.NAME if (i, j) in by_name else MatchedBy.CODE,
            [ValueChange(ind, *values[ind][n]) for ind in ids],
            [(ind, *specs[ind], *gaps[ind][n]) for ind in ids if ind in specs],
            (_statuses(before.units[i]), _statuses(after.units[j])),
        )
        for n, (i, j) in enumerate(pairs)
    ]
    return PeriodStep(
        before=before_label,
        after=after_label,
        changes=changes,
        added=[_ref(after_label, u) for j, u in enumerate(after.units) if j not in matched_after],
        removed=[
            _ref(before_label, u) for i, u in enumerate(before.units) if i not in matched_before
        ],
    )


def match_units(
    before: Sequence[UnitResult], after: Sequence[UnitResult]
) -> tuple[list[tuple[int, int]], set[tuple[int, int]]]:
    """Pairs (position before, position after), ordered as ``after``, and the pairs matched by
    name only. First by (code, level); then, among the units left, by (name, level). A key
    matches only when it is unique on both sides: two schools of one code or one name are
    never guessed at (they are listed as added and removed)."""
    pairs = _match_by(before, after, _code_key, set(), set())
    by_name = _match_by(before, after, _name_key, set(pairs.values()), set(pairs))
    pairs.update(by_name)
    return [(i, j) for j, i in sorted(pairs.items())], {(i, j) for j, i in by_name.items()}


def _code_key(unit: UnitResult) -> tuple | None:
    return (unit.code, unit.level) if unit.code else None


def _name_key(unit: UnitResult) -> tuple | None:
    return (unit.name, unit.level)


def _match_by(
    before: Sequence[UnitResult],
    after: Sequence[UnitResult],
    key: Callable[[UnitResult], tuple | None],
    taken_before: set[int],
    taken_after: set[int],
) -> dict[int, int]:
    """Position after → position before, for keys unique on both sides among units not taken."""
    left = _unique_keys(before, key, taken_before)
    right = _unique_keys(after, key, taken_after)
    return {j: left[k] for k, j in right.items() if k in left}


def _unique_keys(
    units: Sequence[UnitResult], key: Callable[[UnitResult], tuple | None], skip: set[int]
) -> dict[tuple, int]:
    """key → position, for keys that occur once among the units not skipped."""
    found: dict[tuple, int] = {}
    repeated: set[tuple] = set()
    for position, unit in enumerate(units):
        k = key(unit)
        if k is None or position in skip:
            continue
        if k in found:
            repeated.add(k)
        found[k] = position
    return {k: p for k, p in found.items() if k not in repeated}


def _value_frame(units: Sequence[UnitResult], ids: list[str]) -> pd.DataFrame:
    return pd.DataFrame.from_records([u.values for u in units], columns=ids).astype(float)


def _gap_frame(units: Sequence[UnitResult], ids: list[str]) -> pd.DataFrame:
    records = [{c.indicator: c.gap for c in u.checks} for u in units]
    return pd.DataFrame.from_records(records, columns=ids).astype(float)


def _deltas(
    before: pd.DataFrame, after: pd.DataFrame, pairs: list[tuple[int, int]]
) -> dict[str, list[tuple[float | None, float | None, float | None]]]:
    """Per indicator, for each pair: (before, after, after − before), None for missing."""
    rows_before = np.array([i for i, _ in pairs], dtype=int)
    rows_after = np.array([j for _, j in pairs], dtype=int)
    was = before.to_numpy(dtype=float)[rows_before] if len(before) else _empty(pairs, before)
    now = after.to_numpy(dtype=float)[rows_after] if len(after) else _empty(pairs, after)
    delta = now - was
    return {
        ind: list(
            zip(
                optional_floats(was[:, k]),
                optional_floats(now[:, k]),
                optional_floats(delta[:, k]),
                strict=True,
            )
        )
        for k, ind in enumerate(before.columns)
    }


def _empty(pairs: list[tuple[int, int]], frame: pd.DataFrame) -> np.ndarray:
    return np.full((len(pairs), frame.shape[1]), np.nan)


def _gap_specs(*unit_lists: Sequence[UnitResult]) -> dict[str, tuple[str, str]]:
    """Indicator → (gap unit, what), from the first unit that has checks (every unit is
    checked against the same indicators); empty when the standard judges no school."""
    for units in unit_lists:
        for unit in units:
            if unit.checks:
                return {c.indicator: (c.gap_unit, c.what) for c in unit.checks}
    return {}


def _statuses(unit: UnitResult) -> dict[str, str]:
    return {c.indicator: c.status for c in unit.checks}


def _unit_change(
    before: UnitRef,
    after: UnitRef,
    matched_by: MatchedBy,
    values: list[ValueChange],
    gaps: list[tuple[str, str, str, float | None, float | None, float | None]],
    statuses: tuple[dict[str, str], dict[str, str]],
) -> UnitChange:
    was, now = statuses
    return UnitChange(
        before=before,
        after=after,
        matched_by=matched_by,
        values=values,
        gaps=[GapChange(*gap, was.get(gap[0]), now.get(gap[0])) for gap in gaps],
    )


def _ref(label: str, unit: UnitResult) -> UnitRef:
    return UnitRef(
        period=label,
        code=unit.code,
        name=unit.name,
        type=unit.type,
        level=unit.level,
        origin=unit.origin,
        passed=unit.passed,
    )
