"""A trajectory as a JSON document (``kind: "trajectory"``): every number at full precision."""

from __future__ import annotations

from typing import Any

from junheng_cli.report.json.envelope import envelope, standard_summary, to_json
from junheng_cli.workflows.trajectory import (
    MIN_PERIODS,
    Fit,
    IndicatorTrack,
    Projection,
    SchoolTrajectory,
    Trajectory,
)


def trajectory_document(trajectory: Trajectory) -> dict[str, Any]:
    standard = trajectory.standard
    line = trajectory.timeline
    return envelope(
        "trajectory",
        {
            **standard_summary(standard),
            "judgement": standard.judgement.mode,
            "judges_schools": standard.judges_schools,
        },
        method={
            "fit": "least_squares_line",
            "grid": line.grid.value,
            "dated": line.dated,
            "undated_periods": line.undated,
            "min_periods": MIN_PERIODS,
            "horizon_steps": line.horizon,
        },
        target_date=trajectory.target,
        target_position=trajectory.target_position,
        periods=[
            {
                "label": p.label,
                "position": p.position,
                "date": line.label_at(p.position) if line.dated else None,
                "files": p.files,
                "passed": p.passed,
            }
            for p in trajectory.periods
        ],
        cvs=[
            {
                "level": c.level.value,
                "indicator": c.indicator,
                "name": c.name,
                "limit": c.limit,
                "values": c.values,
                **_fit(c.fit),
                **_projection(c.projection),
            }
            for c in trajectory.cvs
        ],
        schools=[_school(s) for s in trajectory.schools],
    )


def _fit(fit: Fit | None) -> dict[str, Any]:
    return {
        "slope": None if fit is None else fit.slope,
        "intercept": None if fit is None else fit.intercept,
    }


def _projection(projection: Projection) -> dict[str, Any]:
    return {
        "outlook": projection.outlook.value,
        "projected_period": projection.period,
        "projected_position": projection.position,
        "by_target": projection.by_target,
        "exceeds_at": projection.exceeds_at,
    }


def _school(school: SchoolTrajectory) -> dict[str, Any]:
    return {
        "code": school.code,
        "name": school.name,
        "level": school.level.value,
        "file": school.origin.file,
        "sheet": school.origin.sheet,
        "row": school.origin.row,
        "met": school.met,
        "indicators": school.indicators,
        "min_met": school.min_met,
        **_projection(school.projection),
        "tracks": [_track(t) for t in school.tracks],
    }


def _track(track: IndicatorTrack) -> dict[str, Any]:
    return {
        "indicator": track.indicator,
        "unit": track.unit,
        "threshold": track.threshold,
        "floor": track.floor,
        "status": track.status,
        "values": track.values,
        **_fit(track.fit),
        **_projection(track.met),
        "floor_position": track.near_at,
    }


def trajectory_json(trajectory: Trajectory) -> str:
    return to_json(trajectory_document(trajectory))
