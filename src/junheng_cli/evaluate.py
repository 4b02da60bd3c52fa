"""Apply a standard to a validated school table and produce result objects.

The numbers here never depend on how they are printed: ``report`` only reads these.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from junheng_cli.findings import Finding, has_errors
from junheng_cli.government import county_items, government_items
from junheng_cli.indicators import (
    LEVEL,
    SHARE,
    STUDENTS,
    indicator_values,
    split_units,
    stat_weights,
    variance_shares,
    weighted_stats,
)
from junheng_cli.results import (
    Contributor,
    Evaluation,
    ExcludedSchool,
    IndicatorResult,
    LevelResult,
    Origin,
    RowAccount,
    SheetInfo,
    SkippedRow,
    UnitResult,
)
from junheng_cli.schema import FIELDS, Level
from junheng_cli.school_checks import SchoolJudgement, fix_first_steps, judge_schools
from junheng_cli.standards import Indicator, Standard
from junheng_cli.table import ROW, SOURCE, SchoolTable
from junheng_cli.validate import ValidatedTable

TOP_CONTRIBUTORS = 3
IDENTITY = ["code", "name", "type", "township", "area_type", ROW, SOURCE]


class NothingToEvaluate(Exception):
    """No school is within the standard's scope: no verdict, but no data error either."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class DataErrors(Exception):
    """The data has errors and no verdict can be given."""

    def __init__(self, findings: list[Finding]) -> None:
        super().__init__(f"{len(findings)} data findings")
        self.findings = findings


def evaluate(
    validated: ValidatedTable,
    standard: Standard,
    skip_invalid: bool = False,
    county_items_file: Path | None = None,
) -> Evaluation:
    """Evaluate the valid rows. Raises ``DataErrors`` when there are errors and not skipping."""
    findings = validated.findings
    column_errors = any(
        (f.severity == "error" and f.row is None) or _is_header_error(f) for f in findings
    )
    if has_errors(findings) and (not skip_invalid or validated.frame.empty or column_errors):
        raise DataErrors(findings)
    frame = validated.frame
    invalid = validated.invalid_mask
    valid = frame[~invalid]
    reasons = _exclusion_reasons(valid, standard)
    out_of_scope = reasons.notna()
    table = validated.table
    excluded = _excluded(valid[out_of_scope], reasons[out_of_scope], table)
    units = split_units(valid[~out_of_scope], standard, keep=IDENTITY)
    if units.empty:
        if has_errors(findings):
            raise DataErrors(findings)
        kinds = "、".join(sorted({e.type for e in excluded})) or "无"
        raise NothingToEvaluate(
            f"没有可评估的学校：学校行 {len(frame)} 行，其中按标准排除 {len(excluded)} 所"
            f"（{kinds}）"
        )
    values = indicator_values(units, standard.indicators)
    origins = [_origin(table, s, r) for s, r in zip(units[SOURCE], units[ROW], strict=True)]
    judged = judge_schools(units, values, standard, origins) if standard.judges_schools else None
    government = None
    if standard.government is not None:
        government, side_findings = government_items(
            valid[~out_of_scope], table, standard.government
        )
        findings = [*findings, *side_findings]
    items, item_findings = county_items(standard, table, county_items_file)
    findings = [*findings, *item_findings]
    account = RowAccount(
        rows_read=table.rows_read,
        evaluated=int((~out_of_scope).sum()),
        excluded=len(excluded),
        skipped=int(invalid.sum()),
        blank=table.blank_rows,
        total=table.total_rows,
        notes=table.note_rows,
    )
    return Evaluation(
        standard=standard,
        sources=sheet_infos(table),
        levels=_level_results(units, values, standard, judged),
        units=_unit_results(units, values, origins, judged),
        excluded=excluded,
        findings=findings,
        account=account,
        skipped=_skipped(frame[invalid], findings, table),
        unused_sheets=list(table.unused_sheets),
        gaps=judged.gaps if judged else [],
        gap_totals=judged.totals if judged else [],
        government=government,
        county_items=items,
    )


HEADER_ERRORS = ("E_MISSING_COLUMN", "E_BAD_UNIT")


def _is_header_error(finding: Finding) -> bool:
    """An error about a whole column: skipping rows cannot get around it."""
    return finding.code in HEADER_ERRORS


def _exclusion_reasons(schools: pd.DataFrame, standard: Standard) -> pd.Series:
    """Why each school is out of the standard's scope (NaN when it is evaluated)."""
    reasons = schools["type"].map(
        {name: t.excluded for name, t in standard.school_types.items() if t.excluded}
    )
    students = schools[[c for c in schools if c.startswith("students_")]].fillna(0).sum(axis=1)
    for name, school_type in standard.school_types.items():
        rule = school_type.small_school
        if rule is not None and rule.enabled:
            small = schools["type"].eq(name) & (students < rule.below)
            reasons = reasons.mask(small, rule.reason)
    return reasons


def sheet_infos(table: SchoolTable) -> list[SheetInfo]:
    return [
        SheetInfo(s.file, s.sheet, s.header.excel_rows, s.rows_read, s.ignored_headers)
        for s in table.sheets
    ]


def _origin(table: SchoolTable, source: int, row: int) -> Origin:
    sheet = table.sheets[int(source)]
    return Origin(sheet.file, sheet.sheet, int(row))


def _skipped(rows: pd.DataFrame, findings: list[Finding], table: SchoolTable) -> list[SkippedRow]:
    by_row: dict[tuple[str, str, int], list[Finding]] = {}
    for f in findings:
        if f.severity == "error" and f.row is not None:
            by_row.setdefault((f.file, f.sheet, f.row), []).append(f)
    skipped = []
    for code, name, source, row in zip(
        rows["code"], rows["name"], rows[SOURCE], rows[ROW], strict=True
    ):
        origin = _origin(table, source, row)
        errors = by_row.get((origin.file, origin.sheet, origin.row), [])
        skipped.append(SkippedRow(code, name, origin, errors))
    return skipped


def _excluded(rows: pd.DataFrame, reasons: pd.Series, table: SchoolTable) -> list[ExcludedSchool]:
    return [
        ExcludedSchool(code, name, kind, reason, _origin(table, source, row))
        for code, name, kind, reason, source, row in zip(
            rows["code"], rows["name"], rows["type"], reasons, rows[SOURCE], rows[ROW], strict=True
        )
    ]


def _level_results(
    units: pd.DataFrame,
    values: pd.DataFrame,
    standard: Standard,
    judged: SchoolJudgement | None,
) -> list[LevelResult]:
    groups = units[LEVEL].rename(LEVEL)
    method = standard.cv
    stats = weighted_stats(values, units[STUDENTS], groups, method.weighting, method.sd)
    weights = stat_weights(units[STUDENTS], method.weighting)
    means = stats["mean"].unstack("indicator")
    shares = variance_shares(values, weights, groups, means)
    results = []
    for level, level_name in standard.levels.items():
        in_level = groups.eq(level.value)
        limit = standard.judgement.limits[level]
        scope = _LevelScope(level, limit, units[in_level], values[in_level], weights[in_level])
        indicators = [
            _indicator_result(ind, stats, scope, standard, shares[in_level])
            for ind in standard.indicators
        ]
        cvs = [i.cv for i in indicators]
        composite = None if any(c is None for c in cvs) else sum(cvs) / len(cvs)
        cv_passed = _cv_passed(standard, indicators, composite, limit)
        passed_count = failed_count = None
        passed = cv_passed
        if judged is not None:
            passed_count = int(judged.passed[in_level].sum())
            failed_count = int(in_level.sum()) - passed_count
            passed = None if cv_passed is None else cv_passed and failed_count == 0
        results.append(
            LevelResult(
                level=level,
                name=level_name,
                schools=int(in_level.sum()),
                students=int(units.loc[in_level, STUDENTS].sum()),
                indicators=indicators,
                composite_cv=composite,
                composite_limit=limit,
                passed=passed,
                cv_passed=cv_passed,
                schools_passed=passed_count,
                schools_failed=failed_count,
            )
        )
    return results


def _cv_passed(
    standard: Standard, indicators: list[IndicatorResult], composite: float | None, limit: float
) -> bool | None:
    if standard.judgement.mode == "each":
        verdicts = [i.passed for i in indicators]
        return None if any(v is None for v in verdicts) else all(verdicts)
    return None if composite is None else composite <= limit


@dataclass(frozen=True)
class _LevelScope:
    level: Level
    limit: float
    units: pd.DataFrame
    values: pd.DataFrame
    weights: pd.Series


def _indicator_result(
    ind: Indicator,
    stats: pd.DataFrame,
    scope: _LevelScope,
    standard: Standard,
    shares: pd.DataFrame,
) -> IndicatorResult:
    key = (scope.level.value, ind.id)
    row = stats.loc[key] if key in stats.index else None
    mean, sd, cv = (
        (None, None, None) if row is None else (_num(row[k]) for k in ("mean", "sd", "cv"))
    )
    judged = standard.judgement.mode == "each"
    passed = (None if cv is None else cv <= scope.limit) if judged else None
    steps = []
    if passed is False:
        steps = fix_first_steps(
            scope.units, scope.values[ind.id], scope.weights, ind, scope.level, scope.limit
        )
    return IndicatorResult(
        id=ind.id,
        name=ind.name,
        unit=ind.unit,
        decimals=ind.decimals,
        mean=mean,
        sd=sd,
        cv=cv,
        limit=scope.limit if judged else None,
        passed=passed,
        contributors=_top_contributors(scope.units, scope.values[ind.id], shares[ind.id], mean),
        fix_first=steps,
        short_name=ind.short_name,
    )


def _top_contributors(
    units: pd.DataFrame, values: pd.Series, shares: pd.Series, mean: float | None
) -> list[Contributor]:
    if mean is None:
        return []
    top = shares.nlargest(TOP_CONTRIBUTORS)
    return [
        Contributor(
            name=units.at[i, "name"],
            code=units.at[i, "code"],
            value=float(values[i]),
            variance_share=float(top[i]),
            above_mean=bool(values[i] > mean),
        )
        for i in top.index
        if top[i] > 0
    ]


def _unit_results(
    units: pd.DataFrame,
    values: pd.DataFrame,
    origins: list[Origin],
    judged: SchoolJudgement | None,
) -> list[UnitResult]:
    quantities = [
        q for q in FIELDS if q in units.columns and q != STUDENTS and FIELDS[q].kind != "text"
    ]
    value_records = values.astype(object).where(values.notna(), None).to_dict("records")
    quantity_records = units[quantities].to_dict("records")
    identity = units[["code", "name", "type", LEVEL, STUDENTS, SHARE]].to_dict("records")
    results = []
    for i, (u, vals, qty) in enumerate(zip(identity, value_records, quantity_records, strict=True)):
        extra = {}
        if judged is not None:
            extra = {
                "checks": judged.checks[i],
                "met": int(judged.met.iloc[i]),
                "passed": bool(judged.passed.iloc[i]),
            }
        results.append(
            UnitResult(
                code=u["code"],
                name=u["name"],
                type=u["type"],
                level=Level(u[LEVEL]),
                students=int(u[STUDENTS]),
                share=float(u[SHARE]),
                values=vals,
                quantities={k: float(v) for k, v in qty.items() if not pd.isna(v)},
                origin=origins[i],
                **extra,
            )
        )
    return results


def _num(value: object) -> float | None:
    if value is None:
        return None
    number = float(value)  # type: ignore[arg-type]
    return None if math.isnan(number) else number
