"""Where a county is heading: from three or more periods, each difference coefficient's and
each failing school's pace (a least-squares line over the periods' dates) and the period in
which each passes at that pace (``build``); the dates (``dates``), the line (``fit``), the
failing schools (``schools``) and the result objects (``model``)."""

from junheng_cli.workflows.trajectory.build import check_dates, trajectory
from junheng_cli.workflows.trajectory.dates import Grid, Timeline, read_date, timeline
from junheng_cli.workflows.trajectory.fit import fit_line
from junheng_cli.workflows.trajectory.model import (
    MIN_PERIODS,
    CvTrajectory,
    Fit,
    IndicatorTrack,
    Outlook,
    PeriodPoint,
    Projection,
    SchoolTrajectory,
    Trajectory,
    TrajectoryError,
    check_count,
)

__all__ = [
    "MIN_PERIODS",
    "CvTrajectory",
    "Fit",
    "Grid",
    "IndicatorTrack",
    "Outlook",
    "PeriodPoint",
    "Projection",
    "SchoolTrajectory",
    "Timeline",
    "Trajectory",
    "TrajectoryError",
    "check_count",
    "check_dates",
    "fit_line",
    "read_date",
    "timeline",
    "trajectory",
]
