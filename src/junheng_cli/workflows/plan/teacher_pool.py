"""The greedy search of the teacher transfers: one teacher at a time, the move that lowers
the CV most among the pairs the rules allow (see ``transfers``)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from junheng_cli.compute.indicators import STUDENTS, TOLERANCE, stat_weights, weighted_stats
from junheng_cli.compute.validate import ValidatedTable
from junheng_cli.model.fields import TEACHER_PARTS, Level
from junheng_cli.standards.indicators import Indicator
from junheng_cli.standards.model import Standard
from junheng_cli.workflows.plan.common import LABEL, gap_spec, origin_of, text_or_blank
from junheng_cli.workflows.plan.direction import AREA, TransferDirection, allowed_pairs, area_text
from junheng_cli.workflows.plan.transfer_lists import (
    BLOCKED,
    CAP,
    NO_DONOR,
    NO_GAIN,
    REACHED,
    WITHIN,
    TransferList,
    TransferMove,
    teacher_indicators,
)
from junheng_cli.workflows.scenario import TEACHERS, target_field


class TeacherPool:
    """The teachers of every unit of one level, as arrays that the greedy moves update."""

    def __init__(
        self,
        units: pd.DataFrame,
        standard: Standard,
        level: Level,
        validated: ValidatedTable,
        direction: TransferDirection,
    ) -> None:
        self.units = units
        self.allowed = allowed_pairs(units, direction)
        self.standard = standard
        self.level = level
        self.validated = validated
        self.students = units[STUDENTS].to_numpy(dtype=float)
        self.weights = stat_weights(units[STUDENTS], standard.cv.weighting).to_numpy(dtype=float)
        kinds = [f for f in (TEACHERS, *TEACHER_PARTS) if f in units]
        self.counts = {f: units[f].to_numpy(dtype=float).copy() for f in kinds}
        self.checked = [  # indicators with per-school thresholds a donor must keep meeting
            (ind, ind.thresholds[level])
            for ind in teacher_indicators(standard)
            if level in ind.thresholds and all(f in self.counts for f in ind.numerator)
        ]

    def values(self, ind: Indicator, counts: dict[str, np.ndarray] | None = None) -> np.ndarray:
        counts = self.counts if counts is None else counts
        total = sum(counts[f] for f in ind.numerator)
        return np.asarray(total, dtype=float) / self.students * ind.scale

    def _carried(self, field: str) -> dict[str, np.ndarray]:
        """Per unit, how many teachers of each other kind must go along with one teacher of
        ``field``: 1 where the remaining teachers could not hold all of that kind."""
        teachers = self.counts.get(TEACHERS)
        if teachers is None:
            return {}
        return {
            f: np.nan_to_num(np.clip(self.counts[f] - (teachers - 1), 0.0, 1.0))
            for f in TEACHER_PARTS
            if f in self.counts and f != field
        }

    def _donors(self, ind: Indicator, field: str, mean: float) -> np.ndarray:
        """Units that can give one teacher of ``field``: they have one, and afterwards they
        still meet every per-school threshold the move touches and stay above the mean."""
        ones = np.ones_like(self.students)
        lost = {field: ones, **self._carried(field)}
        if field != TEACHERS and TEACHERS in self.counts:
            lost[TEACHERS] = ones
        after = {f: self.counts[f] - lost.get(f, 0.0) for f in self.counts}
        ok = self.counts[field] >= 1 - TOLERANCE
        for checked, threshold in self.checked:
            now, then = self.values(checked), self.values(checked, after)
            ok &= (then >= now) | (then >= threshold * (1 - TOLERANCE))
        return np.flatnonzero(ok & (self.values(ind, after) > mean))

    def _move(self, field: str, source: int, target: int) -> None:
        moved = {field: 1.0, **{f: c[source] for f, c in self._carried(field).items()}}
        if field != TEACHERS:
            moved[TEACHERS] = 1.0
        for f, amount in moved.items():
            if f in self.counts and amount > 0 and not np.isnan(self.counts[f][source]):
                self.counts[f][source] -= amount
                self.counts[f][target] += amount

    def _stats(self, values: np.ndarray) -> tuple[float, float]:
        """(mean, CV) by ``weighted_stats`` with the standard's weighting and SD form: the
        numbers the report shows. NaN when there is no mean."""
        method = self.standard.cv
        frame = pd.DataFrame({"x": values})
        group = pd.Series(0, index=frame.index, name="group")
        students = pd.Series(self.students, index=frame.index)
        row = weighted_stats(frame, students, group, method.weighting, method.sd).iloc[0]
        return float(row["mean"]), float(row["cv"])

    def transfer(
        self, ind: Indicator, cvs: dict[str, float | None], level_name: str, max_moves: int
    ) -> tuple[TransferList, list[tuple[Any, Any, int]]]:
        """The moves for one indicator, and the same as (from label, to label, count)."""
        field = target_field(ind)
        aim = self._aim(ind, cvs)
        cv_before = cvs.get(ind.id)
        steps: list[_Step] = []
        stop = WITHIN
        if cv_before is not None and aim is not None and cv_before > aim:
            stop = self._greedy(ind, field, aim, max_moves, steps)
        grouped: dict[tuple[int, int], list[_Step]] = {}
        for step in steps:
            grouped.setdefault((step.source, step.target), []).append(step)
        found = TransferList(
            level=self.level,
            level_name=level_name,
            indicator=ind.id,
            name=ind.name,
            label=ind.label,
            field=field,
            what=gap_spec(ind)[2],
            cv_before=cv_before,
            cv_after=self._exact_cv(self.values(ind)) if steps else cv_before,
            aim=aim,
            limit=self.standard.judgement.limits[self.level],
            moves=[self._transfer_move(group, ind) for group in grouped.values()],
            stop=stop,
        )
        labels = self.units[LABEL].to_numpy()
        pairs = [(labels[s], labels[t], len(group)) for (s, t), group in grouped.items()]
        return found, pairs

    def _greedy(
        self, ind: Indicator, field: str, aim: float, max_moves: int, steps: list[_Step]
    ) -> str:
        """Move one teacher at a time (appending to ``steps``); returns why it stopped."""
        for _ in range(max_moves):
            x = self.values(ind)
            mean, current = self._stats(x)
            if current <= aim:
                return REACHED
            if np.isnan(current):
                return NO_GAIN
            donors = self._donors(ind, field, mean)
            receivers = np.flatnonzero(x < mean * (1 - TOLERANCE))
            if donors.size == 0 or receivers.size == 0:
                return NO_DONOR
            change = ind.scale / self.students
            ranks = pair_cvs(x, self.weights, donors, receivers, change)
            if np.isnan(ranks).all():
                return NO_GAIN
            ranks[~self.allowed[np.ix_(donors, receivers)]] = np.nan
            if np.isnan(ranks).all():
                return BLOCKED
            d, r = np.unravel_index(int(np.nanargmin(ranks)), ranks.shape)
            source, target = int(donors[d]), int(receivers[r])
            trial = x.copy()
            trial[source] -= change[source]
            trial[target] += change[target]
            if not self._stats(trial)[1] < current:
                return NO_GAIN
            self._move(field, source, target)
            after = self.values(ind)
            steps.append(_Step(source, target, x[source], after[source], x[target], after[target]))
        return REACHED if self._stats(self.values(ind))[1] <= aim else CAP

    def _aim(self, ind: Indicator, cvs: dict[str, float | None]) -> float | None:
        """The limit (``each``); under ``composite``, the CV this indicator must reach for the
        composite to meet its limit with the others as they are (None when it already does)."""
        limit = self.standard.judgement.limits[self.level]
        if self.standard.judgement.mode == "each":
            return limit
        known = [v for v in cvs.values() if v is not None]
        if len(known) < len(cvs) or sum(known) / len(known) <= limit:
            return None
        others = sum(v for k, v in cvs.items() if k != ind.id and v is not None)
        return max(limit * len(cvs) - others, 0.0)

    def _exact_cv(self, values: np.ndarray) -> float | None:
        cv = self._stats(values)[1]
        return None if np.isnan(cv) else cv

    def _transfer_move(self, steps: list[_Step], ind: Indicator) -> TransferMove:
        """One line of the list: the moves between one pair of units, with each unit's value
        before the first of them and after the last."""
        first, last = steps[0], steps[-1]
        source, target = self.units.iloc[first.source], self.units.iloc[first.target]
        return TransferMove(
            source_code=text_or_blank(source["code"]),
            source_name=str(source["name"]),
            source_origin=origin_of(self.validated, source[LABEL]),
            target_code=text_or_blank(target["code"]),
            target_name=str(target["name"]),
            target_origin=origin_of(self.validated, target[LABEL]),
            count=len(steps),
            source_before=float(first.source_before),
            source_after=float(last.source_after),
            target_before=float(first.target_before),
            target_after=float(last.target_after),
            source_threshold=ind.thresholds.get(self.level),
            source_type=str(source["type"]),
            source_area=area_text(source[AREA]),
            target_type=str(target["type"]),
            target_area=area_text(target[AREA]),
        )


@dataclass(frozen=True)
class _Step:
    source: int
    target: int
    source_before: float
    source_after: float
    target_before: float
    target_after: float


def pair_cvs(
    x: np.ndarray, w: np.ndarray, donors: np.ndarray, receivers: np.ndarray, step: np.ndarray
) -> np.ndarray:
    """The CV after moving one teacher from each donor to each receiver (donors × receivers).
    Only used to rank the moves (the sample SD form is the population one times a constant, so
    it ranks alike); the CV of the move taken is recomputed by ``weighted_stats``. Sums are
    taken around the current mean, so nothing cancels catastrophically. A unit without a value
    (NaN) has no weight."""
    known = ~np.isnan(x)
    w = np.where(known, w, 0.0)
    x = np.where(known, x, 0.0)
    total = w.sum()
    centre = (w * x).sum() / total
    y = x - centre
    s1, s2 = (w * y).sum(), (w * y * y).sum()
    give = y[donors] - step[donors]
    take = y[receivers] + step[receivers]
    d1 = w[donors] * (give - y[donors])
    d2 = w[donors] * (give**2 - y[donors] ** 2)
    r1 = w[receivers] * (take - y[receivers])
    r2 = w[receivers] * (take**2 - y[receivers] ** 2)
    m1 = (s1 + d1[:, None] + r1[None, :]) / total
    m2 = (s2 + d2[:, None] + r2[None, :]) / total
    ranks = np.sqrt(np.maximum(m2 - m1**2, 0.0)) / (centre + m1)
    ranks[donors[:, None] == receivers[None, :]] = np.nan
    return ranks
