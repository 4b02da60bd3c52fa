"""The projector shared by coefficients and schools: the periods' timeline and the target."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from junheng_cli.workflows.trajectory.dates import Timeline, steps_after
from junheng_cli.workflows.trajectory.fit import STILL, fit_line, project
from junheng_cli.workflows.trajectory.model import Fit, Projection


@dataclass(frozen=True)
class Projector:
    line: Timeline
    target: float | None  # the target date's position, None: none

    @property
    def last(self) -> float:
        return self.line.positions[-1]

    def towards(
        self, values: Sequence[float | None], limit: float, *, lower_is_better: bool
    ) -> tuple[Fit | None, Projection]:
        """The line through ``values`` and where it brings the last one against ``limit``."""
        fit = fit_line(self.line.positions, values)
        return fit, project(
            fit,
            values[-1],
            limit,
            lower_is_better=lower_is_better,
            last=self.last,
            horizon=self.line.horizon,
            target=self.target,
            label_at=self.line.label_at,
        )

    def rising_to(self, fit: Fit | None, level: float, now: float | None) -> float | None:
        """The first grid position (the last period's, when ``now`` is there already) at which
        a rising line reaches ``level``; None: not within the horizon, or not rising."""
        if now is not None and now >= level:
            return self.last
        if fit is None or fit.slope <= STILL:
            return None
        steps = steps_after((level - fit.intercept) / fit.slope, self.last)
        return None if steps > self.line.horizon else self.last + steps
