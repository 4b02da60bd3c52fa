"""Apply a standard to a validated school table and produce result objects.

The numbers here never depend on how they are printed: ``report`` only reads these.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import pandas as pd

from junheng_cli.findings import Finding, has_errors
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
from junheng_cli.schema import FIELDS, Level
from junheng_cli.standards import Indicator, Standard
from junheng_cli.table import ROW, SOURCE, SchoolTable
from junheng_cli.validate import ValidatedTable

TOP_CONTRIBUTORS = 3
IDENTITY = ["code", "name", "type", "township", "area_type", ROW, SOURCE]


@dataclass(frozen=True)
class Origin:
    """Where a row was read: file, sheet and Excel row number."""

    file: str
    sheet: str
    row: int


@dataclass(frozen=True)
class SheetInfo:
    file: str
    sheet: str
    header_rows: tuple[int, int]
    rows_read: int
    ignored_headers: list[tuple[str, str]]


@dataclass(frozen=True)
class Contributor:
    name: str
    code: str
    value: float
    variance_share: float
    above_mean: bool


@dataclass(frozen=True)
class IndicatorResult:
    id: str
    name: str
    unit: str
    decimals: int
    mean: float | None
    sd: float | None
    cv: float | None
    limit: float | None
    passed: bool | None
    contributors: list[Contributor]


@dataclass(frozen=True)
class LevelResult:
    level: Level
    name: str
    schools: int
    students: int
    indicators: list[IndicatorResult]
    composite_cv: float | None
    composite_limit: float | None
    passed: bool | None


@dataclass(frozen=True)
class UnitResult:
    code: str
    name: str
    type: str
    level: Level
    students: int
    share: float
    values: dict[str, float | None]
    quantities: dict[str, float]
    origin: Origin

    @property
    def is_split(self) -> bool:
        return self.share < 1.0 or self.type not in ("小学", "初中")


@dataclass(frozen=True)
class ExcludedSchool:
    code: str
    name: str
    type: str
    reason: str
    origin: Origin


@dataclass(frozen=True)
class SkippedRow:
    """A row left out because of data errors (only with --skip-invalid)."""

    code: str
    name: str
    origin: Origin
    findings: list[Finding]


@dataclass(frozen=True)
class RowAccount:
    """Where every row read went. The four buckets add up to ``rows_read``."""

    rows_read: int
    evaluated: int
    excluded: int
    skipped: int
    blank: int
    total: int

    @property
    def balanced(self) -> bool:
        parts = self.evaluated + self.excluded + self.skipped + self.blank + self.total
        return parts == self.rows_read


@dataclass
class Evaluation:
    standard: Standard
    sources: list[SheetInfo]
    levels: list[LevelResult]
    units: list[UnitResult]
    excluded: list[ExcludedSchool]
    findings: list[Finding]
    account: RowAccount
    skipped: list[SkippedRow] = field(default_factory=list)

    @property
    def partial(self) -> bool:
        return bool(self.skipped)

    @property
    def passed(self) -> bool | None:
        """All levels that have schools pass; None when one cannot be judged (or none has)."""
        verdicts = [lv.passed for lv in self.levels if lv.schools > 0]
        if not verdicts or any(v is None for v in verdicts):
            return None
        return all(verdicts)


class DataErrors(Exception):
    """The data has errors and no verdict can be given."""

    def __init__(self, findings: list[Finding]) -> None:
        super().__init__(f"{len(findings)} data findings")
        self.findings = findings


def evaluate(
    validated: ValidatedTable, standard: Standard, skip_invalid: bool = False
) -> Evaluation:
    """Evaluate the valid rows. Raises ``DataErrors`` when there are errors and not skipping."""
    findings = validated.findings
    if has_errors(findings) and (not skip_invalid or validated.frame.empty):
        raise DataErrors(findings)
    frame = validated.frame
    invalid = validated.invalid_mask
    valid = frame[~invalid]
    reasons = {name: t.excluded for name, t in standard.school_types.items() if t.excluded}
    out_of_scope = valid["type"].isin(list(reasons))
    table = validated.table
    excluded = _excluded(valid[out_of_scope], reasons, table)
    units = split_units(valid[~out_of_scope], standard, keep=IDENTITY)
    if units.empty:
        raise DataErrors(findings)
    values = indicator_values(units, standard.indicators)
    account = RowAccount(
        rows_read=table.rows_read,
        evaluated=int((~out_of_scope).sum()),
        excluded=len(excluded),
        skipped=int(invalid.sum()),
        blank=table.blank_rows,
        total=table.total_rows,
    )
    return Evaluation(
        standard=standard,
        sources=sheet_infos(table),
        levels=_level_results(units, values, standard),
        units=_unit_results(units, values, table),
        excluded=excluded,
        findings=findings,
        account=account,
        skipped=_skipped(frame[invalid], findings, table),
    )


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


def _excluded(
    rows: pd.DataFrame, reasons: dict[str, str], table: SchoolTable
) -> list[ExcludedSchool]:
    return [
        ExcludedSchool(code, name, kind, reasons[kind], _origin(table, source, row))
        for code, name, kind, source, row in zip(
            rows["code"], rows["name"], rows["type"], rows[SOURCE], rows[ROW], strict=True
        )
    ]


def _level_results(
    units: pd.DataFrame, values: pd.DataFrame, standard: Standard
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
        indicators = [
            _indicator_result(
                ind,
                stats,
                level,
                limit,
                standard,
                units[in_level],
                values[in_level],
                shares[in_level],
            )
            for ind in standard.indicators
        ]
        cvs = [i.cv for i in indicators]
        composite = None if any(c is None for c in cvs) else sum(cvs) / len(cvs)
        results.append(
            LevelResult(
                level=level,
                name=level_name,
                schools=int(in_level.sum()),
                students=int(units.loc[in_level, STUDENTS].sum()),
                indicators=indicators,
                composite_cv=composite,
                composite_limit=limit,
                passed=_level_passed(standard, indicators, composite, limit),
            )
        )
    return results


def _level_passed(
    standard: Standard, indicators: list[IndicatorResult], composite: float | None, limit: float
) -> bool | None:
    if standard.judgement.mode == "each":
        verdicts = [i.passed for i in indicators]
        return None if any(v is None for v in verdicts) else all(verdicts)
    return None if composite is None else composite <= limit


def _indicator_result(
    ind: Indicator,
    stats: pd.DataFrame,
    level: Level,
    limit: float,
    standard: Standard,
    units: pd.DataFrame,
    values: pd.DataFrame,
    shares: pd.DataFrame,
) -> IndicatorResult:
    key = (level.value, ind.id)
    row = stats.loc[key] if key in stats.index else None
    mean, sd, cv = (
        (None, None, None) if row is None else (_num(row[k]) for k in ("mean", "sd", "cv"))
    )
    judged = standard.judgement.mode == "each"
    return IndicatorResult(
        id=ind.id,
        name=ind.name,
        unit=ind.unit,
        decimals=ind.decimals,
        mean=mean,
        sd=sd,
        cv=cv,
        limit=limit if judged else None,
        passed=(None if cv is None else cv <= limit) if judged else None,
        contributors=_top_contributors(units, values[ind.id], shares[ind.id], mean),
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
    units: pd.DataFrame, values: pd.DataFrame, table: SchoolTable
) -> list[UnitResult]:
    quantities = [
        q for q in FIELDS if q in units.columns and q != STUDENTS and FIELDS[q].kind != "text"
    ]
    value_records = values.astype(object).where(values.notna(), None).to_dict("records")
    quantity_records = units[quantities].to_dict("records")
    identity = units[["code", "name", "type", LEVEL, STUDENTS, SHARE, ROW, SOURCE]].to_dict(
        "records"
    )
    return [
        UnitResult(
            code=u["code"],
            name=u["name"],
            type=u["type"],
            level=Level(u[LEVEL]),
            students=int(u[STUDENTS]),
            share=float(u[SHARE]),
            values=vals,
            quantities={k: float(v) for k, v in qty.items() if not pd.isna(v)},
            origin=_origin(table, u[SOURCE], u[ROW]),
        )
        for u, vals, qty in zip(identity, value_records, quantity_records, strict=True)
    ]


def _num(value: object) -> float | None:
    if value is None:
        return None
    number = float(value)  # type: ignore[arg-type]
    return None if math.isnan(number) else number
