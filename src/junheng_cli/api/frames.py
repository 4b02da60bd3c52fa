"""An evaluation as pandas DataFrames for analysis: snake_case column names (the JSON
document's keys), one row per level, coefficient, school, check, gap, left-out school and
finding. ``name`` columns hold the Chinese names."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from junheng_cli.report.json.schools import check_fields, origin_fields

if TYPE_CHECKING:
    import pandas as pd

    from junheng_cli.model.findings import Finding
    from junheng_cli.model.results import Evaluation

LEVEL_COLUMNS = [
    "level",
    "name",
    "schools",
    "students",
    "composite_cv",
    "composite_limit",
    "cv_passed",
    "schools_passed",
    "schools_failed",
    "passed",
]
INDICATOR_COLUMNS = ["level", "indicator", "name", "unit", "mean", "sd", "cv", "limit", "passed"]
SCHOOL_COLUMNS = ["code", "name", "type", "level", "students", "share", "met", "passed"]
CHECK_COLUMNS = [
    "code",
    "name",
    "level",
    "indicator",
    "indicator_name",
    "value",
    "threshold",
    "floor",
    "status",
    "gap",
    "gap_unit",
    "what",
    "strict_value",
    "strict_status",
    "allowance",
]
GAP_COLUMNS = [
    "code",
    "name",
    "type",
    "level",
    "indicator",
    "indicator_name",
    "amount",
    "unit",
    "what",
]
EXCLUDED_COLUMNS = ["code", "name", "type", "reason"]
FINDING_COLUMNS = [
    "severity",
    "code",
    "file",
    "sheet",
    "row",
    "column",
    "header",
    "field",
    "value",
    "expected",
    "message",
    "hint",
]
AT = ["file", "sheet", "row"]


def _frame(rows: Iterable[dict[str, Any]], columns: list[str]) -> pd.DataFrame:
    import pandas as pd

    return pd.DataFrame(list(rows), columns=columns)


def levels_frame(evaluation: Evaluation) -> pd.DataFrame:
    return _frame(
        (
            {
                "level": lv.level.value,
                "name": lv.name,
                "schools": lv.schools,
                "students": lv.students,
                "composite_cv": lv.composite_cv,
                "composite_limit": lv.composite_limit,
                "cv_passed": lv.cv_passed,
                "schools_passed": lv.schools_passed,
                "schools_failed": lv.schools_failed,
                "passed": lv.passed,
            }
            for lv in evaluation.levels
        ),
        LEVEL_COLUMNS,
    )


def indicators_frame(evaluation: Evaluation) -> pd.DataFrame:
    """The difference coefficients (CV) with their limits: one row per level and indicator."""
    return _frame(
        (
            {
                "level": lv.level.value,
                "indicator": i.id,
                "name": i.name,
                "unit": i.unit,
                "mean": i.mean,
                "sd": i.sd,
                "cv": i.cv,
                "limit": i.limit,
                "passed": i.passed,
            }
            for lv in evaluation.levels
            for i in lv.indicators
        ),
        INDICATOR_COLUMNS,
    )


def schools_frame(evaluation: Evaluation) -> pd.DataFrame:
    """One row per school and level (a 九年一贯制 school is two units), with each indicator's
    value in a column named by the indicator's id."""
    ids = list(dict.fromkeys(k for unit in evaluation.units for k in unit.values))
    return _frame(
        (
            {
                "code": u.code,
                "name": u.name,
                "type": u.type,
                "level": u.level.value,
                "students": u.students,
                "share": u.share,
                "met": u.met,
                "passed": u.passed,
                **{k: u.values.get(k) for k in ids},
                **origin_fields(u.origin),
            }
            for u in evaluation.units
        ),
        SCHOOL_COLUMNS + ids + AT,
    )


def checks_frame(evaluation: Evaluation) -> pd.DataFrame:
    """Every school's value against each per-school threshold (standards that judge
    schools)."""
    return _frame(
        (
            {
                "code": u.code,
                "name": u.name,
                "level": u.level.value,
                "indicator": c.indicator,
                "indicator_name": c.name,
                **check_fields(c),
                "what": c.what,
                "strict_value": c.strict_value,
                "strict_status": c.strict_status,
                "allowance": c.allowance,
            }
            for u in evaluation.units
            for c in u.checks
        ),
        CHECK_COLUMNS,
    )


def gaps_frame(evaluation: Evaluation) -> pd.DataFrame:
    """What each school must add, per indicator."""
    return _frame(
        (
            {
                "code": g.code,
                "name": g.name,
                "type": g.type,
                "level": g.level.value if g.level else None,
                "indicator": g.indicator,
                "indicator_name": g.indicator_name,
                "amount": g.amount,
                "unit": g.unit,
                "what": g.what,
                **origin_fields(g.origin),
            }
            for g in evaluation.gaps
        ),
        GAP_COLUMNS + AT,
    )


def excluded_frame(evaluation: Evaluation) -> pd.DataFrame:
    """Schools the standard's scope leaves out, and why."""
    return _frame(
        (
            {
                "code": e.code,
                "name": e.name,
                "type": e.type,
                "reason": e.reason,
                **origin_fields(e.origin),
            }
            for e in evaluation.excluded
        ),
        EXCLUDED_COLUMNS + AT,
    )


def findings_frame(findings: list[Finding], lang: str = "zh") -> pd.DataFrame:
    """Data findings: code, severity, position (file, sheet, row, column letter, header)."""
    return _frame((f.to_dict(lang) for f in findings), FINDING_COLUMNS)


def evaluation_frames(evaluation: Evaluation, lang: str = "zh") -> dict[str, pd.DataFrame]:
    return {
        "levels": levels_frame(evaluation),
        "indicators": indicators_frame(evaluation),
        "schools": schools_frame(evaluation),
        "checks": checks_frame(evaluation),
        "gaps": gaps_frame(evaluation),
        "excluded": excluded_frame(evaluation),
        "findings": findings_frame(evaluation.findings, lang),
    }
