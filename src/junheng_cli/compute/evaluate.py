"""Apply a standard to a validated school table and produce result objects.

The numbers here never depend on how they are printed: ``report`` only reads these.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from pathlib import Path

import numpy as np
import pandas as pd

from junheng_cli.compute.government import (
    county_items,
    government_by_county,
    government_items,
    group_list,
)
from junheng_cli.compute.indicators import (
    LEVEL,
    SHARE,
    STUDENTS,
    indicator_values,
    optional_float,
    split_units,
    stat_weights,
    variance_shares,
    weighted_stats,
)
from junheng_cli.compute.inequality import level_inequality
from junheng_cli.compute.school_checks import (
    SchoolJudgement,
    fix_first_steps,
    judge_counts,
    judge_schools,
)
from junheng_cli.compute.school_checks import gap_totals as _gap_totals
from junheng_cli.compute.validate import ValidatedTable
from junheng_cli.errors import JunhengError
from junheng_cli.io.read import Sheet
from junheng_cli.io.sheet_table import ROW, ROWS_PER_SOURCE, SOURCE, SchoolTable, row_keys
from junheng_cli.model.fields import FIELDS, Level
from junheng_cli.model.findings import Finding, has_errors
from junheng_cli.model.results import (
    Contributor,
    Evaluation,
    ExcludedSchool,
    GapTotal,
    GovernmentResult,
    IndicatorResult,
    LevelResult,
    Origin,
    RowAccount,
    SheetInfo,
    SkippedRow,
    UnitResult,
    levels_passed,
)
from junheng_cli.standards.model import Indicator, Standard
from junheng_cli.standards.scope import scope_notes, scope_reasons

TOP_CONTRIBUTORS = 3
IDENTITY = ["code", "name", "type", "township", "area_type", ROW, SOURCE]


class NothingToEvaluate(JunhengError):
    """No school is within the standard's scope: no verdict, but no data error either."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class DataErrors(JunhengError):
    """The data has errors and no verdict can be given."""

    def __init__(self, findings: list[Finding]) -> None:
        super().__init__(f"{len(findings)} data findings")
        self.findings = findings


def evaluate(
    validated: ValidatedTable,
    standard: Standard,
    skip_invalid: bool = False,
    county_items_file: Path | None = None,
    partial_indicators: bool = False,
) -> Evaluation:
    """Evaluate the valid rows. Raises ``DataErrors`` when there are errors and not skipping.
    ``partial_indicators``: ``standard`` holds only some of its indicators (``--indicators``);
    CVs and school checks are given, no verdict."""
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
        raise NothingToEvaluate(_nothing_message(table, len(frame), excluded))
    values = indicator_values(units, standard.indicators)
    origins = [_origin(table, s, r) for s, r in zip(units[SOURCE], units[ROW], strict=True)]
    judged = judge_schools(units, values, standard, origins) if standard.judges_schools else None
    government = None
    if standard.government is not None:
        government, side_findings = government_items(
            valid[~out_of_scope], table, standard.government, frame
        )
        findings = [*findings, *side_findings]
    items, item_findings = county_items(standard, table.county_sheets, county_items_file)
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
    levels = _level_results(units, values, standard, judged.passed if judged else None)[None]
    unit_results = _unit_results(units, values, origins, judged)
    if partial_indicators:
        levels, unit_results = _without_verdicts(levels, unit_results)
    present = {name for sheet in table.sheets for name in sheet.sources}
    return Evaluation(
        standard=standard,
        sources=sheet_infos(table),
        levels=levels,
        units=unit_results,
        excluded=excluded,
        findings=findings,
        account=account,
        skipped=_skipped(frame[invalid], findings, table),
        unused_sheets=list(table.unused_sheets),
        gaps=judged.gaps if judged else [],
        gap_totals=judged.totals if judged else [],
        government=government,
        county_items=items,
        inequality=level_inequality(units, values, standard),
        scope_notes=scope_notes(valid[~out_of_scope], standard, present),
        indicator_subset=[i.id for i in standard.indicators] if partial_indicators else None,
    )


def _without_verdicts(
    levels: list[LevelResult], units: list[UnitResult]
) -> tuple[list[LevelResult], list[UnitResult]]:
    """A partial indicator set: each indicator's CV against its limit and each check stay;
    the verdicts that need every indicator (the composite, the level, the school rule) go."""
    levels = [
        replace(
            lv,
            composite_cv=None,
            passed=None,
            cv_passed=None,
            schools_passed=None,
            schools_failed=None,
        )
        for lv in levels
    ]
    return levels, [replace(u, passed=None) for u in units]


HEADER_ERRORS = ("E_MISSING_COLUMN", "E_BAD_UNIT", "E_DUPLICATE_COLUMN")


def nothing_to_evaluate(validated: ValidatedTable, standard: Standard) -> NothingToEvaluate | None:
    """Why no school of a table without errors would be evaluated (None when some would):
    no school row under the header, or every school outside the standard's scope. The
    ``validate`` command stops with the same message as ``evaluate``."""
    frame = validated.frame
    if frame.empty:
        return NothingToEvaluate(_nothing_message(validated.table, 0, []))
    reasons = _exclusion_reasons(frame, standard)
    if reasons.isna().any():
        return None
    excluded = _excluded(frame, reasons, validated.table)
    return NothingToEvaluate(_nothing_message(validated.table, len(frame), excluded))


def _nothing_message(table: SchoolTable, rows: int, excluded: list[ExcludedSchool]) -> str:
    names = [f"{s.file}［{s.sheet}］" for s in table.sheets]
    where = "、".join(names[:3]) + (f" 等 {len(names)} 个工作表" if len(names) > 3 else "")
    if rows == 0:
        other = f"（读到的 {table.rows_read} 行是空行、合计行或表注）" if table.rows_read else ""
        return f"没有可评估的学校：{where or '输入文件'}的表头下没有学校行{other}"
    kinds = "、".join(sorted({e.type for e in excluded})) or "无"
    return (
        f"没有可评估的学校：{where}的学校行 {rows} 行，其中按标准排除 {len(excluded)} 所（{kinds}）"
    )


def _is_header_error(finding: Finding) -> bool:
    """An error about a whole column: skipping rows cannot get around it."""
    return finding.code in HEADER_ERRORS


def _exclusion_reasons(schools: pd.DataFrame, standard: Standard) -> pd.Series:
    """Why each school is out of the standard's scope (NaN when it is evaluated): its type,
    a small 教学点, then who runs it (``scope.exclude``)."""
    reasons = schools["type"].map(
        {name: t.excluded for name, t in standard.school_types.items() if t.excluded}
    )
    students = schools[[c for c in schools if c.startswith("students_")]].fillna(0).sum(axis=1)
    for name, school_type in standard.school_types.items():
        rule = school_type.small_school
        if rule is not None and rule.enabled:
            small = schools["type"].eq(name) & (students < rule.below)
            reasons = reasons.mask(small, rule.reason)
    return reasons.fillna(scope_reasons(schools, standard))


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


GROUP_SEP = "\x1f"


def _level_results(
    units: pd.DataFrame,
    values: pd.DataFrame,
    standard: Standard,
    passed: pd.Series | None,
    county: pd.Series | None = None,
    detail: bool = True,
) -> dict[str | None, list[LevelResult]]:
    """Level results per county (key None when there is one county). The statistics of all
    (county, level) groups are computed at once, in one vectorised pass. ``passed``: each
    unit's school-rule verdict, when the standard judges schools. Without ``detail`` there
    are no contributors and no fix-first lists (a ranking does not show them)."""
    key = units[LEVEL] if county is None else county.astype(str) + GROUP_SEP + units[LEVEL]
    key = key.rename(LEVEL)
    method = standard.cv
    stats = weighted_stats(values, units[STUDENTS], key, method.weighting, method.sd)
    weights = stat_weights(units[STUDENTS], method.weighting)
    tops = None
    if detail:
        shares = variance_shares(values, weights, key, stats["mean"].unstack("indicator"))
        tops = _Tops.find(units, values, shares, key)
    table = {
        (group, indicator): (row["mean"], row["sd"], row["cv"])
        for (group, indicator), row in stats.to_dict("index").items()
    }
    positions = key.groupby(key, sort=False).indices
    students_of = units[STUDENTS].groupby(key, sort=False).sum().to_dict()
    passed_of = {} if passed is None else passed.groupby(key, sort=False).sum().to_dict()
    counties: list[str | None] = [None] if county is None else list(dict.fromkeys(county))
    empty = np.array([], dtype=int)
    results: dict[str | None, list[LevelResult]] = {}
    for name in counties:
        levels = []
        for level, level_name in standard.levels.items():
            group = level.value if name is None else f"{name}{GROUP_SEP}{level.value}"
            at = positions.get(group, empty)
            limit = standard.judgement.limits[level]
            scope = _LevelScope(level, limit, units, values, weights, group, at)
            indicators = [
                _indicator_result(ind, table, scope, standard, tops) for ind in standard.indicators
            ]
            passed_count = None if passed is None else int(passed_of.get(group, 0))
            students = int(students_of.get(group, 0))
            levels.append(
                _level_result(
                    level, level_name, scope, indicators, standard, passed_count, students
                )
            )
        results[name] = levels
    return results


def _level_result(
    level: Level,
    name: str,
    scope: _LevelScope,
    indicators: list[IndicatorResult],
    standard: Standard,
    passed_count: int | None,
    students: int,
) -> LevelResult:
    cvs = [i.cv for i in indicators]
    composite = None if any(c is None for c in cvs) else sum(cvs) / len(cvs)
    cv_passed = _cv_passed(standard, indicators, composite, scope.limit)
    schools = scope.size
    failed_count = None if passed_count is None else schools - passed_count
    passed = cv_passed
    if failed_count is not None:
        passed = None if cv_passed is None else cv_passed and failed_count == 0
    return LevelResult(
        level=level,
        name=name,
        schools=schools,
        students=students,
        indicators=indicators,
        composite_cv=composite,
        composite_limit=scope.limit,
        passed=passed,
        cv_passed=cv_passed,
        schools_passed=passed_count,
        schools_failed=failed_count,
    )


def _cv_passed(
    standard: Standard, indicators: list[IndicatorResult], composite: float | None, limit: float
) -> bool | None:
    if standard.judgement.mode == "each":
        verdicts = [i.passed for i in indicators]
        return None if any(v is None for v in verdicts) else all(verdicts)
    return None if composite is None else composite <= limit


@dataclass(frozen=True)
class _LevelScope:
    """One level (of one county): the full frames and this group's positions in them; the
    slices are taken only when a fix-first list needs them."""

    level: Level
    limit: float
    all_units: pd.DataFrame
    all_values: pd.DataFrame
    all_weights: pd.Series
    group: str  # the statistics' group key: the level, or county + level
    at: np.ndarray

    @property
    def units(self) -> pd.DataFrame:
        return self.all_units.iloc[self.at]

    @property
    def values(self) -> pd.DataFrame:
        return self.all_values.iloc[self.at]

    @property
    def weights(self) -> pd.Series:
        return self.all_weights.iloc[self.at]

    @property
    def size(self) -> int:
        return len(self.at)


def _indicator_result(
    ind: Indicator,
    table: dict[tuple[str, str], tuple[float, float, float]],
    scope: _LevelScope,
    standard: Standard,
    tops: _Tops | None,
) -> IndicatorResult:
    row = table.get((scope.group, ind.id))
    mean, sd, cv = (None, None, None) if row is None else (optional_float(v) for v in row)
    judged = standard.judgement.mode == "each"
    passed = (None if cv is None else cv <= scope.limit) if judged else None
    steps = []
    if passed is False and tops is not None:
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
        contributors=[] if tops is None else tops.contributors(ind.id, scope.group, mean),
        fix_first=steps,
        short_name=ind.short_name,
    )


@dataclass(frozen=True)
class _Tops:
    """The largest shares of the weighted variance, per indicator and group, found for all
    groups at once, and the unit facts a contributor line needs."""

    labels: dict[str, dict[str, list[int]]]  # indicator → group → unit labels, largest first
    shares: pd.DataFrame
    values: pd.DataFrame
    names: dict[int, str]
    codes: dict[int, str]

    @property
    def _columns(self) -> dict[str, tuple[np.ndarray, np.ndarray]]:
        """Per indicator, values and shares as arrays (units are numbered 0…n−1)."""
        cached = self.__dict__.get("_arrays")
        if cached is None:
            cached = {
                c: (self.values[c].to_numpy(), self.shares[c].to_numpy())
                for c in self.values.columns
            }
            object.__setattr__(self, "_arrays", cached)
        return cached

    @classmethod
    def find(
        cls, units: pd.DataFrame, values: pd.DataFrame, shares: pd.DataFrame, key: pd.Series
    ) -> _Tops:
        labels: dict[str, dict[str, list[int]]] = {}
        for column in shares.columns:
            ranked = pd.DataFrame({"group": key, "share": shares[column]})
            ranked = ranked[ranked["share"] > 0].sort_values(
                ["group", "share"], ascending=[True, False], kind="stable"
            )
            top = ranked.groupby("group", sort=False).head(TOP_CONTRIBUTORS)
            per_group: dict[str, list[int]] = {}
            for group, label in zip(top["group"], top.index, strict=True):
                per_group.setdefault(group, []).append(label)
            labels[column] = per_group
        return cls(labels, shares, values, units["name"].to_dict(), units["code"].to_dict())

    def contributors(self, indicator: str, group: str, mean: float | None) -> list[Contributor]:
        if mean is None:
            return []
        chosen = self.labels[indicator].get(group, [])
        if not chosen:
            return []
        values = self._columns[indicator][0][chosen].tolist()
        shares = self._columns[indicator][1][chosen].tolist()
        return [
            Contributor(
                name=self.names[i],
                code=self.codes[i],
                value=float(value),
                variance_share=float(share),
                above_mean=bool(value > mean),
            )
            for i, value, share in zip(chosen, values, shares, strict=True)
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
    value_rows = _float_rows(values)
    quantity_rows = _float_rows(units[quantities])
    codes, names, types = (units[c].astype(object).tolist() for c in ("code", "name", "type"))
    levels = [Level(v) for v in units[LEVEL].tolist()]
    students = units[STUDENTS].astype(int).tolist()
    shares = units[SHARE].astype(float).tolist()
    met = judged.met.astype(int).tolist() if judged is not None else None
    passed = judged.passed.astype(bool).tolist() if judged is not None else None
    results = []
    for i, (vals, qty) in enumerate(zip(value_rows, quantity_rows, strict=True)):
        extra = {}
        if judged is not None and met is not None and passed is not None:
            extra = {"checks": judged.checks[i], "met": met[i], "passed": passed[i]}
        results.append(
            UnitResult(
                code=codes[i],
                name=names[i],
                type=types[i],
                level=levels[i],
                students=students[i],
                share=shares[i],
                values=dict(zip(values.columns, vals, strict=True)),
                quantities={k: v for k, v in zip(quantities, qty, strict=True) if v is not None},
                origin=origins[i],
                **extra,
            )
        )
    return results


def _float_rows(frame: pd.DataFrame) -> list[list[float | None]]:
    """Rows as lists of Python floats, None for NaN."""
    return [
        [None if v != v else v for v in row]
        for row in frame.to_numpy(dtype=float, na_value=np.nan).tolist()
    ]


# -- many counties at once ---------------------------------------------------------------------
COUNTY = "_county"


@dataclass(frozen=True)
class _Groups:
    """Many counties validated together, cut into what is scored and what is not."""

    frame: pd.DataFrame
    county: pd.Series  # every row's county
    names: list[str]  # counties in reading order
    findings: dict[str, list[Finding]]
    blocked: set[str]  # counties stopped by data errors
    invalid: pd.Series
    valid: pd.DataFrame
    valid_county: pd.Series
    reasons: pd.Series  # exclusion reason of each valid row (NaN when in scope)
    units: pd.DataFrame  # level units of the scored rows, with their county in COUNTY
    values: pd.DataFrame

    @property
    def out(self) -> pd.Series:
        return self.reasons.notna()

    @property
    def scored(self) -> pd.DataFrame:
        return self.valid[~self.out].assign(**{COUNTY: self.valid_county[~self.out]})


def _prepare_groups(
    validated: ValidatedTable, standard: Standard, county: pd.Series, skip_invalid: bool
) -> _Groups:
    frame = validated.frame
    county = county.astype(str)
    findings = _findings_by_county(validated, county)
    blocked = {
        name
        for name, found in findings.items()
        if has_errors(found) and (not skip_invalid or any(_is_header_error(f) for f in found))
    }
    invalid = validated.invalid_mask
    keep = ~county.isin(blocked) & ~invalid
    valid, valid_county = frame[keep], county[keep]
    reasons = _exclusion_reasons(valid, standard)
    out = reasons.notna()
    scored = valid[~out].assign(**{COUNTY: valid_county[~out]})
    units = split_units(scored, standard, keep=[*IDENTITY, COUNTY])
    return _Groups(
        frame=frame,
        county=county,
        names=list(dict.fromkeys(county)),
        findings=findings,
        blocked=blocked,
        invalid=invalid,
        valid=valid,
        valid_county=valid_county,
        reasons=reasons,
        units=units,
        values=indicator_values(units, standard.indicators),
    )


def evaluate_groups(
    validated: ValidatedTable,
    standard: Standard,
    county: pd.Series,
    skip_invalid: bool = False,
    county_sheets: Mapping[str, Sequence[Sheet]] | None = None,
    class_sheets: Mapping[str, Sequence[Sheet]] | None = None,
) -> dict[str, Evaluation | DataErrors | NothingToEvaluate]:
    """Evaluate many counties validated together: ``county`` names each row's county. The
    arithmetic runs once over all counties (grouped by county and level); the results are
    then cut per county. A county with data errors gets its ``DataErrors`` and the others go
    on. ``county_sheets`` and ``class_sheets``: each county's 县级指标 and 班级 sheets."""
    groups = _prepare_groups(validated, standard, county, skip_invalid)
    table, units, values = validated.table, groups.units, groups.values
    frame, county, valid, out = groups.frame, groups.county, groups.valid, groups.out
    origins = [_origin(table, s, r) for s, r in zip(units[SOURCE], units[ROW], strict=True)]
    judged = judge_schools(units, values, standard, origins) if standard.judges_schools else None
    passed = judged.passed if judged else None
    levels = _level_results(units, values, standard, passed, units[COUNTY]) if len(units) else {}
    unit_results = _unit_results(units, values, origins, judged)
    unit_county = units[COUNTY].tolist()
    origin_county = dict(zip(origins, unit_county, strict=True))
    governments: dict[str, GovernmentResult] = {}
    class_findings: dict[str, list[Finding]] = {}
    if standard.government is not None:
        scored = groups.scored
        governments = government_by_county(scored, scored[COUNTY], table, standard.government)
        for name, sheets in (class_sheets or {}).items():
            if sheets and name in governments:  # a 班级 sheet: the single-county way
                mine = scored[scored[COUNTY] == name]
                known = frame[county == name]
                view = replace(table, class_sheets=list(sheets))
                governments[name], class_findings[name] = government_items(
                    mine, view, standard.government, known
                )
    units_of = group_list(unit_results, unit_county)
    unit_positions = units[COUNTY].groupby(units[COUNTY], sort=False).indices
    gaps_of = group_list(
        judged.gaps if judged else [],
        [origin_county[g.origin] for g in (judged.gaps if judged else [])],
    )
    valid_at = groups.valid_county.groupby(groups.valid_county, sort=False).indices
    invalid_rows = frame[groups.invalid]
    invalid_county = county[groups.invalid]
    invalid_at = invalid_county.groupby(invalid_county, sort=False).indices
    account_of = _county_accounts(table, frame, county)
    infos = sheet_infos(table)
    none = np.array([], dtype=int)
    results: dict[str, Evaluation | DataErrors | NothingToEvaluate] = {}
    for name in groups.names:
        mine = groups.findings.get(name, [])
        if name in groups.blocked:
            results[name] = DataErrors(mine)
            continue
        at = valid_at.get(name, none)
        rows, row_out = valid.iloc[at], out.iloc[at]
        excluded = _excluded(rows[row_out], groups.reasons.iloc[at][row_out], table)
        own_units = units_of.get(name, [])
        if not own_units:
            results[name] = _nothing_scored(mine, len(excluded))
            continue
        gaps = gaps_of.get(name, [])
        skipped_rows = invalid_rows.iloc[invalid_at.get(name, none)]
        items, item_findings = county_items(standard, (county_sheets or {}).get(name, []))
        results[name] = Evaluation(
            standard=standard,
            sources=_county_sources(infos, rows, skipped_rows),
            levels=levels[name],
            units=own_units,
            excluded=excluded,
            findings=[*mine, *class_findings.get(name, []), *item_findings],
            account=_county_account(
                int((~row_out).sum()), len(excluded), len(skipped_rows), account_of.get(name)
            ),
            skipped=_skipped(skipped_rows, mine, table),
            gaps=gaps,
            gap_totals=_gap_totals(gaps, standard) if judged else [],
            government=governments.get(name),
            county_items=items,
            inequality=level_inequality(
                units.iloc[unit_positions[name]], values.iloc[unit_positions[name]], standard
            ),
        )
    return results


def _nothing_scored(findings: list[Finding], excluded: int) -> DataErrors | NothingToEvaluate:
    if has_errors(findings):
        return DataErrors(findings)
    return NothingToEvaluate(f"没有可评估的学校：按标准排除 {excluded} 所")


def _county_account(
    evaluated: int, excluded: int, skipped: int, sheet_rows: tuple[int, int, int] | None
) -> RowAccount:
    blank, total, notes = sheet_rows or (0, 0, 0)
    return RowAccount(
        rows_read=evaluated + excluded + skipped + blank + total + notes,
        evaluated=evaluated,
        excluded=excluded,
        skipped=skipped,
        blank=blank,
        total=total,
        notes=notes,
    )


@dataclass(frozen=True)
class CountyScores:
    """What a batch ranking needs of one county, without the per-school result objects."""

    levels: list[LevelResult]
    gap_totals: list[GapTotal]
    partial: bool  # rows were skipped (--skip-invalid)

    @property
    def passed(self) -> bool | None:
        return levels_passed(self.levels)


def score_groups(
    validated: ValidatedTable,
    standard: Standard,
    county: pd.Series,
    skip_invalid: bool = False,
) -> dict[str, CountyScores | DataErrors | NothingToEvaluate]:
    """The same verdicts as ``evaluate_groups`` for a ranking: level statistics, schools
    passing, gap totals, all vectorised over every county at once. No per-school objects,
    no fix-first lists, no contributors: those are built only for the counties whose own
    report is asked for."""
    groups = _prepare_groups(validated, standard, county, skip_invalid)
    units, values = groups.units, groups.values
    passed = None
    totals: dict[str, list[GapTotal]] = {}
    if standard.judges_schools and len(units):
        judged = judge_counts(units, values, standard, units[COUNTY])
        passed, totals = judged.passed, judged.totals
    levels = (
        _level_results(units, values, standard, passed, units[COUNTY], detail=False)
        if len(units)
        else {}
    )
    skipped = groups.county[groups.invalid].value_counts().to_dict()
    excluded = groups.valid_county[groups.out].value_counts().to_dict()
    results: dict[str, CountyScores | DataErrors | NothingToEvaluate] = {}
    for name in groups.names:
        mine = groups.findings.get(name, [])
        if name in groups.blocked:
            results[name] = DataErrors(mine)
        elif name not in levels:
            results[name] = _nothing_scored(mine, int(excluded.get(name, 0)))
        else:
            results[name] = CountyScores(
                levels[name], totals.get(name, []), bool(skipped.get(name, 0))
            )
    return results


def _findings_by_county(validated: ValidatedTable, county: pd.Series) -> dict[str, list[Finding]]:
    """A finding on a row belongs to that row's county; one on a header belongs to every
    county read from that sheet."""
    frame = validated.frame
    sheet_counties: dict[int, list[str]] = {}
    row_county = pd.Series(dtype=object)
    if not frame.empty:
        row_county = pd.Series(county.to_numpy(dtype=object), index=row_keys(frame))
        sheet_counties = {
            int(source): sorted(set(names))
            for source, names in county.groupby(frame[SOURCE].to_numpy()).unique().items()
        }
    wanted = [
        int(dict(f.params).get("_source", -1)) * ROWS_PER_SOURCE + f.row
        for f in validated.findings
        if f.row is not None
    ]
    owner = row_county[~row_county.index.duplicated()].reindex(wanted).to_numpy()
    owners = iter(owner.tolist())
    found: dict[str, list[Finding]] = {}
    for finding in validated.findings:
        source = int(dict(finding.params).get("_source", -1))
        name = next(owners) if finding.row is not None else None
        if name is not None and name != name:  # NaN: a row that is not a school row
            name = None
        for target in [name] if name is not None else sheet_counties.get(source, []):
            found.setdefault(target, []).append(finding)
    return found


def _county_sources(
    infos: list[SheetInfo], rows: pd.DataFrame, skipped: pd.DataFrame
) -> list[SheetInfo]:
    sources = set(rows[SOURCE]) | set(skipped[SOURCE])
    return [info for i, info in enumerate(infos) if i in sources]


def _county_accounts(
    table: SchoolTable, frame: pd.DataFrame, county: pd.Series
) -> dict[str, tuple[int, int, int]]:
    """Blank, total and note rows of the sheets that hold one county only (a sheet shared by
    several counties keeps them: the batch reports them per file)."""
    counties_of = county.groupby(frame[SOURCE]).unique()
    accounts: dict[str, tuple[int, int, int]] = {}
    for source, names in counties_of.items():
        if len(names) != 1:
            continue
        sheet = table.sheets[int(source)]
        blank, total, notes = accounts.get(names[0], (0, 0, 0))
        accounts[names[0]] = (
            blank + len(sheet.blank_rows),
            total + len(sheet.total_rows),
            notes + len(sheet.note_rows),
        )
    return accounts
