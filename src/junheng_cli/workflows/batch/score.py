"""One county's line of the batch ranking: per level the composite and worst CV, the verdict,
and the county's biggest gap (最大短板); or its first data error."""

from __future__ import annotations

from typing import Any

from junheng_cli.compute.evaluate import CountyScores
from junheng_cli.compute.evaluate.ranking import LevelScore
from junheng_cli.model.findings import Finding
from junheng_cli.model.results import Evaluation, LevelResult
from junheng_cli.standards.model import Standard


def first_error(findings: list[Finding]) -> str:
    errors = [f for f in findings if f.severity == "error"]
    first = errors[0]
    more = f"（共 {len(errors)} 个错误）" if len(errors) > 1 else ""
    return f"{first.location()}：{first.message()}{more}"


def error_summary(name: str, files: list[str], findings: list[Finding]) -> dict[str, Any]:
    return {
        "county": name,
        "files": files,
        "status": "data_errors",
        "error": first_error(findings),
    }


BIGGEST_GAP_RULE = (
    "最大短板＝全县缺口占达标所需比例（缺口率）最大的一项校际达标指标。全县缺口：每所学校在该项上"
    "低于达标值时补到达标值所缺的数量（名、㎡、元、间）之和；达标所需：各学段 达标值 × 在校生数 "
    "之和，即每名学生都达到达标值时全县应有的量；缺口率相同时取缺口学校多的一项。"
    "括号内为该项有缺口的学校数"
)


def county_summary(
    name: str, files: list[str], result: Evaluation | CountyScores, standard: Standard
) -> dict[str, Any]:
    """One line of the ranking: per level the composite, the worst single CV, the verdict,
    the failing schools; and the county's biggest gap (``BIGGEST_GAP_RULE``)."""
    levels = {}
    for level in result.levels:
        if not level.schools:
            continue
        worst_name, worst_cv = _worst(level)
        levels[level.level.value] = {
            "name": level.name,
            "schools": level.schools,
            "composite_cv": level.composite_cv,
            "worst_indicator": worst_name,
            "worst_cv": worst_cv,
            "limit": level.composite_limit,
            "passed": level.passed,
            "schools_failed": level.schools_failed,
        }
    return {
        "county": name,
        "files": files,
        "status": "scored",
        "passed": result.passed,
        "partial": result.partial,
        "levels": levels,
        "biggest_gap": biggest_gap(result, standard),
        "pressure": _pressure(levels),
    }


def _worst(level: LevelResult | LevelScore) -> tuple[str, float | None]:
    """The level's indicator with the highest CV (the first when tied): name and CV."""
    if isinstance(level, LevelScore):
        return level.worst_indicator, level.worst_cv
    worst = max(level.indicators, key=lambda i: -1.0 if i.cv is None else i.cv)
    return worst.name, worst.cv


def gap_needs(result: Evaluation | CountyScores, standard: Standard) -> dict[str, float]:
    """Per indicator with per-school thresholds, what the whole county needs to hold for every
    pupil to be at the threshold: Σ over the levels of threshold × students / scale, in the
    unit of the gap (the indicator's numerator: teachers, ㎡, 元, rooms)."""
    students = {level.level: level.students for level in result.levels if level.schools}
    needs = {}
    for ind in standard.indicators:
        need = sum(
            threshold * students[level] / ind.scale
            for level, threshold in ind.thresholds.items()
            if level in students
        )
        if need > 0:
            needs[ind.id] = need
    return needs


def biggest_gap(result: Evaluation | CountyScores, standard: Standard) -> dict[str, Any] | None:
    """The county's 最大短板 by ``BIGGEST_GAP_RULE``: of the indicators some school falls
    short of, the one whose county-wide gap is the largest share of the county's whole need
    (ties: more schools short, then the standard's order). None when no school falls short
    (or the standard sets no per-school thresholds)."""
    needs = gap_needs(result, standard)
    candidates = [
        (total.amount / needs[total.indicator], position, total)
        for position, total in enumerate(result.gap_totals)
        if total.schools and total.amount > 0 and total.indicator in needs
    ]
    if not candidates:
        return None
    share, _, total = max(candidates, key=lambda c: (c[0], c[2].schools, -c[1]))
    return {
        "indicator": total.indicator,
        "what": total.what,
        "amount": total.amount,
        "unit": total.unit,
        "schools": total.schools,
        "need": needs[total.indicator],
        "share": share,
    }


def _pressure(levels: dict[str, dict[str, Any]]) -> float | None:
    """The worst single CV relative to its level's limit: under 1 is within the limit."""
    ratios = [lv["worst_cv"] / lv["limit"] for lv in levels.values() if lv["worst_cv"] is not None]
    return max(ratios) if ratios else None
