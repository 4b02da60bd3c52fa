"""The pace: a least-squares line through the periods' values, and the grid period in which
the line reaches a limit.

    slope = Σ (x − x̄)(y − ȳ) / Σ (x − x̄)²,   intercept = ȳ − slope × x̄

with x each period's position in grid steps (quarters, months, years or periods from the
first) and y its value; periods without a value are left out. The line passes a limit L at
x* = (L − intercept) / slope; the projected period is the first grid period after the last
one at or past x* (a crossing within 1e-9 step of a period is that period).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from junheng_cli.workflows.trajectory.dates import steps_after
from junheng_cli.workflows.trajectory.model import MIN_PERIODS, Fit, Outlook, Projection

STILL = 1e-9  # a slope smaller than this per step is no movement (rounding of equal values)


def fit_line(positions: Sequence[float], values: Sequence[float | None]) -> Fit | None:
    """The least-squares line through the periods with a value; None below three of them."""
    pairs = [(x, y) for x, y in zip(positions, values, strict=True) if y is not None]
    if len(pairs) < MIN_PERIODS:
        return None
    n = len(pairs)
    mean_x = sum(x for x, _ in pairs) / n
    mean_y = sum(y for _, y in pairs) / n
    sxx = sum((x - mean_x) ** 2 for x, _ in pairs)
    sxy = sum((x - mean_x) * (y - mean_y) for x, y in pairs)
    slope = sxy / sxx
    return Fit(slope=slope, intercept=mean_y - slope * mean_x, points=n)


def project(
    fit: Fit | None,
    last_value: float | None,
    limit: float,
    *,
    lower_is_better: bool,
    last: float,
    horizon: int,
    target: float | None,
    label_at: Callable[[float], str],
) -> Projection:
    """Where the line brings a value against ``limit``: a coefficient must come down to its
    limit (``lower_is_better``), a school's value up to its threshold. ``last``: the last
    period's position; ``horizon``: how many steps past it a projection may reach;
    ``target``: the target date's position (None: none); ``label_at``: names a position."""
    if fit is None or last_value is None:
        return Projection(Outlook.TOO_FEW)
    sign = 1.0 if lower_is_better else -1.0
    good = sign * fit.slope < -STILL  # moving toward "better"
    bad = sign * fit.slope > STILL
    not_by = None if target is None else False
    if sign * (last_value - limit) <= 0:  # within the limit now
        exceeds = None
        if bad:
            steps = steps_after((limit - fit.intercept) / fit.slope, last)
            exceeds = label_at(last + steps) if steps <= horizon else None
        return Projection(
            Outlook.PASSING, by_target=None if target is None else True, exceeds_at=exceeds
        )
    if not good:
        return Projection(Outlook.WORSENING if bad else Outlook.FLAT, by_target=not_by)
    steps = steps_after((limit - fit.intercept) / fit.slope, last)
    if steps > horizon:
        return Projection(Outlook.BEYOND, by_target=not_by)
    position = last + steps
    return Projection(
        Outlook.PROJECTED,
        position=position,
        period=label_at(position),
        by_target=None if target is None else position <= target + 1e-9,
    )
