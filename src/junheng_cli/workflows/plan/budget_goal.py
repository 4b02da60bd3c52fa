"""The county as arrays, for scoring many sets of steps at once: how many level units pass the
school rule, and how far the failing CVs are over their limits.

An indicator's value is Σ numerator / students × scale, linear in the quantities, so a step
changes the values by a fixed amount (its *delta*) whatever else is bought: the values after a
set of steps are the values before plus the sum of their deltas. The deltas are worked out by
applying each step to a copy of its school's row (``add_quantities``: new teachers of a kind
count as 专任教师 too) and splitting it into level units as the evaluation does.

The school rule and the CVs are those of the evaluation: ``statuses`` with the same tolerance
on the values with the 规程 allowances counted, and the CV of ``weighted_stats`` (the
standard's weighting and SD form) per level. *Excess* is the CV goal's measure: Σ over the
level's CVs of max(0, CV − limit) (``judgement.mode: each``), or max(0, composite − limit)
per level (``composite``), summed over the levels.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from junheng_cli.compute.indicators import LEVEL, STUDENTS, TOLERANCE, stat_weights, unit_thresholds
from junheng_cli.compute.school_checks import allowance_extras, allowed_values
from junheng_cli.compute.validate import ValidatedTable
from junheng_cli.model.fields import Level
from junheng_cli.model.results import Evaluation
from junheng_cli.standards.model import Standard
from junheng_cli.workflows.plan.budget_steps import Step, step_additions
from junheng_cli.workflows.plan.common import LABEL, evaluated_rows, level_units
from junheng_cli.workflows.scenario import add_quantities


class GoalModel:
    """Values (units × indicators) before any step, each step's delta, and the scoring."""

    def __init__(
        self, validated: ValidatedTable, standard: Standard, before: Evaluation, steps: list[Step]
    ) -> None:
        self.standard = standard
        schools = validated.frame[evaluated_rows(validated, before)]
        units, values = level_units(schools, standard)
        self.units = units
        self.indicators = [ind.id for ind in standard.indicators]
        self.values = values.to_numpy(dtype=float)
        extra = allowance_extras(units, standard.indicators)
        allowed = allowed_values(units, values, extra, standard.indicators)
        self.allowance = np.nan_to_num(allowed.to_numpy(dtype=float) - self.values)
        self.thresholds = unit_thresholds(units, standard.indicators).to_numpy(dtype=float)
        self.weights = stat_weights(units[STUDENTS], standard.cv.weighting).to_numpy(float)
        self.level_of = units[LEVEL].to_numpy()
        self.levels = [lv for lv in standard.evaluated_levels if (self.level_of == lv.value).any()]
        self.deltas = self._deltas(schools, units, steps)

    def _deltas(self, schools: pd.DataFrame, units: pd.DataFrame, steps: list[Step]) -> np.ndarray:
        """Per step, the change of every unit's values (steps × units × indicators)."""
        found = np.zeros((len(steps), *self.values.shape))
        if not steps:
            return found
        copies = schools.loc[[s.row for s in steps]].set_axis(pd.RangeIndex(len(steps)))
        additions = step_additions(steps).assign(label=lambda t: t["step"])
        after_units, after_values = level_units(add_quantities(copies, additions), self.standard)
        position = {
            (label, level): n
            for n, (label, level) in enumerate(zip(units[LABEL], units[LEVEL], strict=True))
        }
        before = {label: s.row for label, s in enumerate(steps)}
        after = after_values.to_numpy(dtype=float)
        for n, (step_no, level) in enumerate(
            zip(after_units[LABEL], after_units[LEVEL], strict=True)
        ):
            at = position.get((before[int(step_no)], level))
            if at is not None:
                found[int(step_no), at] = np.nan_to_num(after[n] - self.values[at])
        return found

    # -- scoring ------------------------------------------------------------------------------

    def passing(self, values: np.ndarray) -> np.ndarray | None:
        """Level units passing the school rule, for each of a batch of value arrays (…×n×m);
        None without a school rule."""
        rule = self.standard.school_rule
        if rule is None:
            return None
        allowed = values + self.allowance
        t = self.thresholds
        slack = 1 - TOLERANCE
        with np.errstate(invalid="ignore"):
            met = allowed >= t * slack
            near = ~met & (allowed >= t * rule.floor * slack)
        judged = ~np.isnan(t)
        below = judged & ~met & ~near
        met_count = (met & judged).sum(axis=-1)
        ok = (met_count >= rule.min_met) & (below.sum(axis=-1) == 0)
        return ok.sum(axis=-1)

    def cvs(self, values: np.ndarray) -> dict[Level, np.ndarray]:
        """Per level, the CVs (…×m) of a batch of value arrays (…×n×m); NaN where undefined."""
        result = {}
        for level in self.levels:
            at = self.level_of == level.value
            x = values[..., at, :]
            valid = ~np.isnan(x)
            w = np.where(valid, self.weights[at][:, None], 0.0)
            total = w.sum(axis=-2)
            with np.errstate(invalid="ignore", divide="ignore"):
                mean = np.where(valid, x * w, 0.0).sum(axis=-2) / np.where(total > 0, total, np.nan)
                dev = np.where(valid, x - mean[..., None, :], 0.0)
                variance = (dev**2 * w).sum(axis=-2) / np.where(total > 0, total, np.nan)
                if self.standard.cv.sd == "sample":
                    count = valid.sum(axis=-2)
                    variance = np.where(count > 1, variance * count / (count - 1), np.nan)
                cv = np.where(mean != 0, np.sqrt(variance) / mean, np.nan)
            result[level] = cv
        return result

    def excess(self, values: np.ndarray) -> np.ndarray:
        """Σ over the levels of how far the CVs are over their limits (see the module)."""
        judgement = self.standard.judgement
        total: Any = 0.0
        for level, cv in self.cvs(values).items():
            limit = judgement.limits[level]
            if judgement.mode == "each":
                total = total + np.nansum(np.maximum(cv - limit, 0.0), axis=-1)
            else:
                composite = cv.mean(axis=-1)
                total = total + np.nan_to_num(np.maximum(composite - limit, 0.0))
        return np.asarray(total, dtype=float)

    def after(self, chosen: list[int]) -> np.ndarray:
        """The values after a set of steps."""
        return self.values + self.deltas[chosen].sum(axis=0)
