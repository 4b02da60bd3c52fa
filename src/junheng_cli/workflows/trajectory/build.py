"""A county's trajectory over three or more periods. The coefficients come from ``compare``
(each period evaluated as ``evaluate`` does, levels and indicators matched by id), the failing
schools are followed back through the periods by ``compare``'s matching (学校标识码 and 学段,
then a unique 学校名称), and every pace is a least-squares line (``fit``) on the periods'
dates (``dates``)."""

from __future__ import annotations

from collections.abc import Sequence

from junheng_cli.model.results import Evaluation
from junheng_cli.workflows.compare import compare
from junheng_cli.workflows.trajectory.dates import (
    PeriodDate,
    Timeline,
    format_date,
    read_target,
    timeline,
)
from junheng_cli.workflows.trajectory.model import (
    CvTrajectory,
    PeriodPoint,
    Trajectory,
    TrajectoryError,
    check_count,
)
from junheng_cli.workflows.trajectory.project import Projector
from junheng_cli.workflows.trajectory.schools import failing_schools


def check_dates(
    labels: Sequence[str], target_date: str | None
) -> tuple[Timeline, PeriodDate | None, float | None]:
    """The periods' timeline, the target date and its position; refused early (before any
    period is read) when the dates are out of order or the target cannot be placed."""
    line = timeline(labels)
    target = None if target_date is None else read_target(target_date)
    target_at = None if target is None else line.position_of(target)
    if target_at is not None and target_at <= line.positions[-1] + 1e-9:
        raise TrajectoryError(
            f"目标日期 {target_date} 不晚于最后一期（{labels[-1]}）：请给出以后的日期"
        )
    return line, target, target_at


def trajectory(
    periods: Sequence[tuple[str, Evaluation]], *, target_date: str | None = None
) -> Trajectory:
    """Every coefficient with a limit and every failing school: its pace and the period in
    which it passes at that pace; oldest period first, named as ``compare`` names them."""
    check_count(len(periods))
    comparison = compare(periods)
    line, target, target_at = check_dates(comparison.labels, target_date)
    projector = Projector(line, target_at)
    cvs = []
    for level in comparison.levels:
        if not any(v.schools for v in level.verdicts):  # a level the county does not have
            continue
        for trend in [*level.indicators, level.composite]:
            limit = trend.points[-1].limit
            if limit is None:  # only reported under this standard's rule: nothing to reach
                continue
            values = [p.cv for p in trend.points]
            fit, projection = projector.towards(values, limit, lower_is_better=True)
            names = (level.level, level.name, trend.indicator, trend.name, trend.label)
            cvs.append(CvTrajectory(*names, limit, values, fit, projection))
    evaluations = [evaluation for _, evaluation in periods]
    schools = (
        failing_schools(evaluations, comparison.standard, projector)
        if comparison.judges_schools
        else []
    )
    return Trajectory(
        standard=comparison.standard,
        timeline=line,
        periods=[
            PeriodPoint(p.label, x, p.files, p.passed)
            for p, x in zip(comparison.periods, line.positions, strict=True)
        ],
        target=None if target is None else format_date(target),
        target_position=target_at,
        cvs=cvs,
        schools=schools,
    )
