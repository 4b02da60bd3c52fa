"""Which steps to buy within the budget and the teachers available, and in what order.

The goal of a set of steps, higher is better:
- ``schools``: the level units passing the school rule;
- ``cv``: minus the excess of the CVs over their limits (``budget_goal``);
- ``both``: the two lexicographically, schools first, then the CVs.

Method: greedy by effect per 万元 — of the steps that still fit (cost within what is left of
the budget, teachers within what is left of ``--teachers``), the one with the largest gain in
the goal per 万元, worked out on the county as the steps already bought left it, until no
step that fits gains anything. Then a local search: while some step that fits gains, it is
added; while swapping one bought step for one not bought (the result within the budget and
the teachers) does strictly better on the goal, the best such swap is made. At the end no
single swap and no single addition improves the goal. When the budget and the teachers cover
every step, every step is bought: that is the full plan.

The order in which to do it: the steps bought, taken greedily again by gain per 万元 among
themselves (steps that gain nothing on the goal come last, in the workbook's order).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from junheng_cli.workflows.plan.budget_goal import GoalModel
from junheng_cli.workflows.plan.budget_steps import Step

GOALS = ("schools", "cv", "both")
EPSILON = 1e-12  # CV excess: changes smaller than this are float noise, not a gain
MAX_SWAPS = 10_000


@dataclass
class Choice:
    chosen: list[int]  # step keys, in the order to do them
    swaps: int  # improving swaps the local search made
    additions: int  # steps the local search added after the greedy pass


class Search:
    def __init__(
        self,
        model: GoalModel,
        steps: list[Step],
        budget: float,
        teachers: float | None,
        goal: str,
    ) -> None:
        self.model = model
        self.costs = np.array([s.cost for s in steps], dtype=float)
        self.teachers = np.array([s.teachers for s in steps], dtype=float)
        self.budget = budget
        self.teacher_limit = np.inf if teachers is None else float(teachers)
        self.goal = goal

    # -- the goal ---------------------------------------------------------------------------

    def scores(self, values: np.ndarray) -> np.ndarray:
        """(schools, −excess) for a batch of value arrays (…×n×m) → …×2; a component the goal
        does not use is 0."""
        passing = self.model.passing(values) if self.goal != "cv" else None
        shape = values.shape[:-2]
        schools = np.zeros(shape) if passing is None else passing.astype(float)
        excess = self.model.excess(values) if self.goal != "schools" else np.zeros(shape)
        return np.stack([schools, -np.broadcast_to(excess, shape)], axis=-1)

    def score(self, chosen: list[int]) -> np.ndarray:
        return self.scores(self.model.after(chosen))

    @staticmethod
    def better(a: np.ndarray, b: np.ndarray) -> bool:
        """Lexicographically better by more than float noise."""
        if a[0] != b[0]:
            return bool(a[0] > b[0])
        return bool(a[1] > b[1] + EPSILON * max(1.0, abs(b[1])))

    def fits(self, chosen: list[int], candidates: np.ndarray) -> np.ndarray:
        spent = self.costs[chosen].sum()
        placed = self.teachers[chosen].sum()
        ok = self.costs[candidates] <= self.budget - spent + 1e-6
        return ok & (self.teachers[candidates] <= self.teacher_limit - placed + 1e-9)

    # -- greedy -----------------------------------------------------------------------------

    def best_addition(self, chosen: list[int], pool: list[int]) -> int | None:
        """The step of ``pool`` that fits and gains most per 万元 (None when none gains)."""
        candidates = np.array([k for k in pool if k not in chosen], dtype=int)
        if candidates.size == 0:
            return None
        candidates = candidates[self.fits(chosen, candidates)]
        if candidates.size == 0:
            return None
        now = self.model.after(chosen)
        trial = self.scores(now[None] + self.model.deltas[candidates])
        gains = trial - self.score(chosen)
        gains[np.abs(gains) < EPSILON] = 0.0
        useful = (gains[:, 0] > 0) | ((gains[:, 0] == 0) & (gains[:, 1] > 0))
        if not useful.any():
            return None
        per = gains / np.maximum(self.costs[candidates], 1.0)[:, None] * 1e4
        # lexicographic: the most schools per 万元, then the most CV per 万元
        order = np.lexsort((-per[:, 1], -per[:, 0]))
        return int(next(candidates[i] for i in order if useful[i]))

    def greedy(self, chosen: list[int], pool: list[int]) -> list[int]:
        chosen = list(chosen)
        while (k := self.best_addition(chosen, pool)) is not None:
            chosen.append(k)
        return chosen

    def best_swap(self, chosen: list[int], every: list[int]) -> tuple[int, int] | None:
        """The single swap (out, in) that does best, if it beats ``chosen``."""
        current = self.score(chosen)
        best, found = current, None
        outside = np.array([k for k in every if k not in chosen], dtype=int)
        if outside.size == 0:
            return None
        for out in chosen:
            rest = [k for k in chosen if k != out]
            candidates = outside[self.fits(rest, outside)]
            if candidates.size == 0:
                continue
            trial = self.scores(self.model.after(rest)[None] + self.model.deltas[candidates])
            for n in np.lexsort((-trial[:, 1], -trial[:, 0]))[:1]:
                if self.better(trial[n], best):
                    best, found = trial[n], (out, int(candidates[n]))
        return found

    def run(self, every: list[int]) -> Choice:
        if self.costs.sum() <= self.budget + 1e-6 and self.teachers.sum() <= self.teacher_limit:
            return Choice(self.order(list(every)), 0, 0)
        chosen = self.greedy([], every)
        first = len(chosen)
        swaps = 0
        while swaps < MAX_SWAPS:
            chosen = self.greedy(chosen, every)
            swap = self.best_swap(chosen, every)
            if swap is None:
                break
            chosen = [swap[1] if k == swap[0] else k for k in chosen]
            swaps += 1
        return Choice(self.order(chosen), swaps, max(len(chosen) - first, 0))

    def order(self, chosen: list[int]) -> list[int]:
        """The steps bought, greedily by gain per 万元 among themselves, the rest after."""
        saved = self.budget, self.teacher_limit
        self.budget, self.teacher_limit = np.inf, np.inf
        try:
            ordered = self.greedy([], chosen)
        finally:
            self.budget, self.teacher_limit = saved
        return ordered + sorted(k for k in chosen if k not in ordered)
