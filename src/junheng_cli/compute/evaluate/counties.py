"""Many counties validated together: the arithmetic runs once over all counties, the results are
cut per county (``evaluate_groups``), or only the verdicts a ranking needs (``score_groups``).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace

import numpy as np
import pandas as pd

from junheng_cli.compute.evaluate.exclusion import (
    excluded_schools,
    exclusion_reasons,
    skipped_records,
)
from junheng_cli.compute.evaluate.levels import build_level_results
from junheng_cli.compute.evaluate.ranking import LevelScore, score_levels
from junheng_cli.compute.evaluate.stops import (
    DataErrors,
    NothingToEvaluate,
    is_header_error,
    nothing_scored,
)
from junheng_cli.compute.evaluate.units import IDENTITY, build_unit_results
from junheng_cli.compute.government.county_items import county_items
from junheng_cli.compute.government.items import government_by_county, government_items, group_list
from junheng_cli.compute.grouping import group_codes, text_labels
from junheng_cli.compute.indicators import indicator_values, scored_fields, split_units
from junheng_cli.compute.inequality import inequality_by_county
from junheng_cli.compute.origins import origins_of, sheet_infos
from junheng_cli.compute.school_checks import gap_totals as _gap_totals
from junheng_cli.compute.school_checks import judge_counts, judge_schools
from junheng_cli.compute.validate.coercion import split_column
from junheng_cli.compute.validate.table import ValidatedTable
from junheng_cli.io.cells import Sheet
from junheng_cli.io.sheet_table.tables import ROW, ROWS_PER_SOURCE, SOURCE, SchoolTable, row_keys
from junheng_cli.model.findings import Finding, has_errors
from junheng_cli.model.government_results import GovernmentResult
from junheng_cli.model.results import Evaluation, GapTotal, RowAccount, levels_passed
from junheng_cli.model.sources import SheetInfo
from junheng_cli.standards.model import Standard

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


# the unit columns the ranking needs besides the figures (allowances look at area_type)
RANKING_KEEP = ("area_type", ROW, SOURCE, COUNTY)


def _prepare_groups(
    validated: ValidatedTable,
    standard: Standard,
    county: pd.Series,
    skip_invalid: bool,
    ranking: bool = False,
) -> _Groups:
    """The rows cut into counties stopped by errors, rows skipped, rows out of scope and the
    level units scored. For a ranking (``ranking``) the units carry only what it uses."""
    frame = validated.frame
    county = text_labels(county)
    codes, names = group_codes(county)
    findings = _findings_by_county(validated, county)
    blocked = {
        name
        for name, found in findings.items()
        if has_errors(found) and (not skip_invalid or any(is_header_error(f) for f in found))
    }
    invalid = validated.invalid_mask
    stopped = np.isin(codes, [n for n, name in enumerate(names) if name in blocked])
    keep = ~stopped & ~invalid.to_numpy(dtype=bool)
    valid, valid_county = (frame, county) if keep.all() else (frame[keep], county[keep])
    reasons = exclusion_reasons(valid, standard)
    out = reasons.notna()
    if ranking:  # only the figures the indicators use
        fields = scored_fields(standard)
        columns = [c for c in valid.columns if _ranked(c, fields)]
        scored = valid.loc[~out, columns].assign(**{COUNTY: valid_county[~out]})
        units = split_units(scored, standard, keep=RANKING_KEEP, fields=fields)
    else:
        scored = valid[~out].assign(**{COUNTY: valid_county[~out]})
        units = split_units(scored, standard, keep=[*IDENTITY, COUNTY])
    del scored
    return _Groups(
        frame=frame,
        county=county,
        names=names,
        findings=findings,
        blocked=blocked,
        invalid=invalid,
        valid=valid,
        valid_county=valid_county,
        reasons=reasons,
        units=units,
        values=indicator_values(units, standard.indicators),
    )


def _ranked(column: str, fields: set[str]) -> bool:
    """Whether a ranking's units need the column: a school's type, area and origin, its
    students, and the figures the indicators use."""
    if column in ("type", "area_type", ROW, SOURCE) or column.startswith("students_"):
        return True
    return split_column(column)[0] in fields


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
    origins = origins_of(table, units)
    judged = judge_schools(units, values, standard, origins) if standard.judges_schools else None
    passed = judged.passed if judged else None
    levels = (
        build_level_results(units, values, standard, passed, units[COUNTY]) if len(units) else {}
    )
    unit_results = build_unit_results(units, values, origins, judged)
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
    inequality = inequality_by_county(units, values, standard, units[COUNTY]) if len(units) else {}
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
        excluded = excluded_schools(rows[row_out], groups.reasons.iloc[at][row_out], table)
        own_units = units_of.get(name, [])
        if not own_units:
            results[name] = nothing_scored(mine, len(excluded))
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
            skipped=skipped_records(skipped_rows, mine, table),
            gaps=gaps,
            gap_totals=_gap_totals(gaps, standard) if judged else [],
            government=governments.get(name),
            county_items=items,
            inequality=inequality[str(name)],
        )
    return results


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

    levels: list[LevelScore]
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
    groups = _prepare_groups(validated, standard, county, skip_invalid, ranking=True)
    units, values = groups.units, groups.values
    passed = None
    totals: dict[str, list[GapTotal]] = {}
    if standard.judges_schools and len(units):
        judged = judge_counts(units, values, standard, units[COUNTY])
        passed, totals = judged.passed, judged.totals
    levels = score_levels(units, values, standard, passed, units[COUNTY]) if len(units) else {}
    skipped = groups.county[groups.invalid].value_counts().to_dict()
    excluded = groups.valid_county[groups.out].value_counts().to_dict()
    results: dict[str, CountyScores | DataErrors | NothingToEvaluate] = {}
    for name in groups.names:
        mine = groups.findings.get(name, [])
        if name in groups.blocked:
            results[name] = DataErrors(mine)
        elif name not in levels:
            results[name] = nothing_scored(mine, int(excluded.get(name, 0)))
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
