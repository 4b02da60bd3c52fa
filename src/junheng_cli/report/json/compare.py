"""A comparison of periods as a JSON document: every number at full precision."""

from __future__ import annotations

from typing import Any

from junheng_cli.report.json.envelope import envelope, standard_summary, to_json
from junheng_cli.workflows.compare import (
    Comparison,
    CvTrend,
    LevelTrend,
    PeriodStep,
    UnitChange,
    UnitRef,
    name_match_warning,
)


def comparison_document(comparison: Comparison) -> dict[str, Any]:
    """Every number at full precision, in a fixed order: the same input gives the same bytes."""
    standard = comparison.standard
    return envelope(
        "comparison",
        {
            **standard_summary(standard),
            "judgement": standard.judgement.mode,
            "judges_schools": comparison.judges_schools,
        },
        periods=[
            {
                "label": p.label,
                "files": p.files,
                "units": p.units,
                "passed": p.passed,
                "warnings": p.warnings,
            }
            for p in comparison.periods
        ],
        levels=[_level_document(level) for level in comparison.levels],
        gap_totals=[
            {
                "indicator": t.indicator,
                "name": t.name,
                "what": t.what,
                "unit": t.unit,
                "amounts": t.amounts,
                "schools": t.schools,
            }
            for t in comparison.gap_totals
        ],
        steps=[_step_document(step) for step in comparison.steps],
    )


def _level_document(level: LevelTrend) -> dict[str, Any]:
    return {
        "level": level.level.value,
        "name": level.name,
        "limit": level.limit,
        "indicators": [_trend_document(t) for t in level.indicators],
        "composite": _trend_document(level.composite),
        "verdicts": [
            {
                "period": v.period,
                "schools": v.schools,
                "passed": v.passed,
                "cv_passed": v.cv_passed,
                "schools_passed": v.schools_passed,
                "schools_failed": v.schools_failed,
            }
            for v in level.verdicts
        ],
    }


def _trend_document(trend: CvTrend) -> dict[str, Any]:
    return {
        "id": trend.indicator,
        "name": trend.name,
        "points": [
            {
                "period": p.period,
                "cv": p.cv,
                "limit": p.limit,
                "passed": p.passed,
                "from_previous": p.from_previous,
                "from_first": p.from_first,
            }
            for p in trend.points
        ],
    }


def _step_document(step: PeriodStep) -> dict[str, Any]:
    return {
        "before": step.before,
        "after": step.after,
        "newly_passing": [_key(c.after) for c in step.newly_passing],
        "newly_failing": [_key(c.after) for c in step.newly_failing],
        "added": [_ref_document(u) for u in step.added],
        "removed": [_ref_document(u) for u in step.removed],
        "warnings": [name_match_warning(c) for c in step.name_matches],
        "schools": [_change_document(c) for c in step.changes],
    }


def _key(unit: UnitRef) -> dict[str, Any]:
    return {"code": unit.code, "name": unit.name, "level": unit.level.value}


def _ref_document(unit: UnitRef) -> dict[str, Any]:
    return {
        **_key(unit),
        "type": unit.type,
        "passed": unit.passed,
        "file": unit.origin.file,
        "sheet": unit.origin.sheet,
        "row": unit.origin.row,
    }


def _change_document(change: UnitChange) -> dict[str, Any]:
    return {
        **_key(change.after),
        "matched_by": change.matched_by.value,
        "verdict": change.verdict.value,
        "before": _ref_document(change.before),
        "after": _ref_document(change.after),
        "values": [
            {"indicator": v.indicator, "before": v.before, "after": v.after, "delta": v.delta}
            for v in change.values
        ],
        "gaps": [
            {
                "indicator": g.indicator,
                "unit": g.unit,
                "before": g.before,
                "after": g.after,
                "delta": g.delta,
                "status_before": g.status_before,
                "status_after": g.status_after,
            }
            for g in change.gaps
        ],
    }


def comparison_json(comparison: Comparison) -> str:
    return to_json(comparison_document(comparison))
