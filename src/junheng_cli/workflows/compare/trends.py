"""The coefficients over the periods: per level every CV and the composite, against its limit,
with the change from the previous and the first period; and the county's gap totals."""

from __future__ import annotations

from dataclasses import replace

from junheng_cli.model.fields import Level
from junheng_cli.model.results import Evaluation, LevelResult
from junheng_cli.standards.model import Standard
from junheng_cli.workflows.compare.model import (
    COMPOSITE,
    CompareError,
    CvPoint,
    CvTrend,
    GapTotalTrend,
    LevelPoint,
    LevelTrend,
)


def level_trends(
    labels: list[str], evaluations: list[Evaluation], standard: Standard
) -> list[LevelTrend]:
    """Levels and indicators are matched by id in every period, never by position: an
    indicator a period does not have is a missing point, not another indicator's value."""
    each = standard.judgement.mode == "each"
    trends = []
    for level in evaluations[0].levels:
        per_period = [
            _level_of(ev, level.level, label) for label, ev in zip(labels, evaluations, strict=True)
        ]
        indicators = [
            _cv_trend(
                CvTrend(ind.id, ind.name, ind.label, []),
                labels,
                [_cv_of(lv, ind.id) for lv in per_period],
                ind.limit if each else None,
            )
            for ind in level.indicators
        ]
        composite = _cv_trend(
            CvTrend(COMPOSITE, "综合差异系数", "综合", []),
            labels,
            [lv.composite_cv for lv in per_period],
            None if each else level.composite_limit,
        )
        trends.append(
            LevelTrend(
                level=level.level,
                name=level.name,
                limit=level.composite_limit,
                indicators=indicators,
                composite=composite,
                verdicts=[
                    _level_point(label, lv) for label, lv in zip(labels, per_period, strict=True)
                ],
            )
        )
    return trends


def _level_of(evaluation: Evaluation, level: Level, label: str) -> LevelResult:
    found = next((lv for lv in evaluation.levels if lv.level == level), None)
    if found is None:
        raise CompareError(f"{label} 的评估结果中没有{level.chinese}学段，无法与其他各期比较")
    return found


def _cv_of(level: LevelResult, indicator: str) -> float | None:
    return next((ind.cv for ind in level.indicators if ind.id == indicator), None)


def _cv_trend(
    what: CvTrend, labels: list[str], cvs: list[float | None], limit: float | None
) -> CvTrend:
    """``what`` names the coefficient; its points are built here."""
    first = cvs[0]
    points = []
    for k, (label, cv) in enumerate(zip(labels, cvs, strict=True)):
        previous = cvs[k - 1] if k else None
        points.append(
            CvPoint(
                period=label,
                cv=cv,
                limit=limit,
                passed=None if limit is None or cv is None else cv <= limit,
                from_previous=_difference(cv, previous) if k else None,
                from_first=_difference(cv, first) if k else None,
            )
        )
    return replace(what, points=points)


def _difference(after: float | None, before: float | None) -> float | None:
    return None if after is None or before is None else after - before


def _level_point(label: str, level: LevelResult) -> LevelPoint:
    return LevelPoint(
        period=label,
        schools=level.schools,
        passed=level.passed if level.schools else None,
        cv_passed=level.cv_passed,
        schools_passed=level.schools_passed,
        schools_failed=level.schools_failed,
    )


def gap_total_trends(evaluations: list[Evaluation]) -> list[GapTotalTrend]:
    by_period = [{t.indicator: t for t in ev.gap_totals} for ev in evaluations]
    known = {t.indicator: t for totals in reversed(by_period) for t in totals.values()}
    order = [i.id for i in evaluations[0].standard.indicators if i.id in known]
    return [
        GapTotalTrend(
            indicator=ind,
            name=known[ind].name,
            what=known[ind].what,
            unit=known[ind].unit,
            amounts=[totals[ind].amount if ind in totals else None for totals in by_period],
            schools=[totals[ind].schools if ind in totals else None for totals in by_period],
        )
        for ind in order
    ]
