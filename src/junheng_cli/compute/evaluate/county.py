"""Evaluate one county: apply a standard to a validated school table."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from junheng_cli.compute.evaluate.exclusion import (
    excluded_schools,
    exclusion_reasons,
    skipped_records,
)
from junheng_cli.compute.evaluate.levels import build_level_results
from junheng_cli.compute.evaluate.stops import (
    DataErrors,
    NothingToEvaluate,
    is_header_error,
    nothing_message,
)
from junheng_cli.compute.evaluate.units import IDENTITY, build_unit_results
from junheng_cli.compute.government.county_items import county_items
from junheng_cli.compute.government.items import government_items
from junheng_cli.compute.indicators import indicator_values, split_units
from junheng_cli.compute.inequality import level_inequality
from junheng_cli.compute.origins import origins_of, sheet_infos
from junheng_cli.compute.school_checks import judge_schools
from junheng_cli.compute.validate.table import ValidatedTable
from junheng_cli.model.findings import has_errors
from junheng_cli.model.results import Evaluation, LevelResult, RowAccount, UnitResult
from junheng_cli.standards.model import Standard
from junheng_cli.standards.scope import scope_notes


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
        (f.severity == "error" and f.row is None) or is_header_error(f) for f in findings
    )
    if has_errors(findings) and (not skip_invalid or validated.frame.empty or column_errors):
        raise DataErrors(findings)
    frame = validated.frame
    invalid = validated.invalid_mask
    valid = frame[~invalid]
    reasons = exclusion_reasons(valid, standard)
    out_of_scope = reasons.notna()
    table = validated.table
    excluded = excluded_schools(valid[out_of_scope], reasons[out_of_scope], table)
    units = split_units(valid[~out_of_scope], standard, keep=IDENTITY)
    if units.empty:
        if has_errors(findings):
            raise DataErrors(findings)
        raise NothingToEvaluate(nothing_message(table, len(frame), excluded))
    values = indicator_values(units, standard.indicators)
    origins = origins_of(table, units)
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
    levels = build_level_results(units, values, standard, judged.passed if judged else None)[None]
    unit_results = build_unit_results(units, values, origins, judged)
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
        skipped=skipped_records(frame[invalid], findings, table),
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
