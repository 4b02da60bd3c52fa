"""A failing school's pace. What an analyst follows for a school unit that does not pass in
the last period: each indicator it does not meet, its value per period (the value judged,
after any 2019 规程 allowance) against its threshold, the line through them and the period
in which it reaches the threshold, and the floor (85%) for one left short. The indicators it
meets are taken to stay met. The school passes at the first period in which, at those paces,
at least ``min_met`` indicators are met and none is below its floor."""

from __future__ import annotations

import math

from junheng_cli.model.results import Check, Evaluation, UnitResult
from junheng_cli.standards.model import Standard
from junheng_cli.workflows.compare import match_units
from junheng_cli.workflows.trajectory.model import (
    IndicatorTrack,
    Outlook,
    Projection,
    SchoolTrajectory,
)
from junheng_cli.workflows.trajectory.project import Projector

NEVER = math.inf


def failing_schools(
    evaluations: list[Evaluation], standard: Standard, projector: Projector
) -> list[SchoolTrajectory]:
    """Every unit failing in the last period, soonest to pass first."""
    schools = [
        _school(units, standard, projector)
        for units in chains(evaluations)
        if units[-1] is not None and units[-1].passed is False
    ]
    order = list(Outlook)
    return sorted(
        schools,
        key=lambda s: (
            NEVER if s.projection.position is None else s.projection.position,
            order.index(s.projection.outlook),
        ),
    )


def chains(evaluations: list[Evaluation]) -> list[list[UnitResult | None]]:
    """Each unit of the last period and, per earlier period, the unit it was (None: absent),
    matched from each period to the one before as ``compare`` matches them."""
    n = len(evaluations)
    positions: list[list[int | None]] = [
        [None] * (n - 1) + [j] for j in range(len(evaluations[-1].units))
    ]
    for k in range(n - 1, 0, -1):
        pairs, _ = match_units(evaluations[k - 1].units, evaluations[k].units)
        back = {after: before for before, after in pairs}
        for chain in positions:
            here = chain[k]
            chain[k - 1] = None if here is None else back.get(here)
    return [
        [None if p is None else evaluations[k].units[p] for k, p in enumerate(chain)]
        for chain in positions
    ]


def _check(unit: UnitResult | None, indicator: str) -> Check | None:
    if unit is None:
        return None
    return next((c for c in unit.checks if c.indicator == indicator), None)


def _school(
    units: list[UnitResult | None], standard: Standard, projector: Projector
) -> SchoolTrajectory:
    unit = units[-1]
    assert unit is not None and standard.school_rule is not None
    indicators = {i.id: i for i in standard.indicators}
    tracks = []
    for check in unit.checks:
        if check.status == "met":
            continue
        values = [getattr(_check(u, check.indicator), "value", None) for u in units]
        fit, met = projector.towards(values, check.threshold, lower_is_better=False)
        spec = indicators[check.indicator]
        tracks.append(
            IndicatorTrack(
                indicator=check.indicator,
                label=spec.label,
                unit=spec.unit,
                decimals=spec.decimals,
                values=values,
                threshold=check.threshold,
                floor=check.floor,
                status=check.status,
                fit=fit,
                met=met,
                near_at=projector.rising_to(fit, check.floor, values[-1]),
            )
        )
    min_met = standard.school_rule.min_met
    return SchoolTrajectory(
        code=unit.code,
        name=unit.name,
        level=unit.level,
        origin=unit.origin,
        met=[None if u is None else u.met for u in units],
        indicators=len(unit.checks),
        min_met=min_met,
        tracks=tracks,
        projection=_when(tracks, len(unit.checks), min_met, projector),
    )


def _met_at(track: IndicatorTrack, last: float) -> float:
    if track.met.outlook is Outlook.PASSING:  # at its threshold up to rounding
        return last
    return NEVER if track.met.position is None else track.met.position


def _when(
    tracks: list[IndicatorTrack], indicators: int, min_met: int, projector: Projector
) -> Projection:
    """The first period in which ``min_met`` indicators are met and none is below its floor,
    each unmet indicator at its own pace (the met ones stay met)."""
    last = projector.last
    met_at = [last] * (indicators - len(tracks)) + [_met_at(t, last) for t in tracks]
    floor_at = [NEVER if t.near_at is None else t.near_at for t in tracks]
    when = max(sorted(met_at)[min_met - 1], max(floor_at, default=last))
    target = projector.target
    if when != NEVER:
        return Projection(
            Outlook.PROJECTED,
            position=when,
            period=projector.line.label_at(when),
            by_target=None if target is None else when <= target + 1e-9,
        )
    blocking = [
        t.met.outlook
        for t, met, floor in zip(tracks, met_at[indicators - len(tracks) :], floor_at, strict=True)
        if met == NEVER or floor == NEVER
    ]
    for outlook in (Outlook.TOO_FEW, Outlook.WORSENING, Outlook.FLAT, Outlook.BEYOND):
        if outlook in blocking:
            return Projection(outlook, by_target=None if target is None else False)
    return Projection(Outlook.BEYOND, by_target=None if target is None else False)
