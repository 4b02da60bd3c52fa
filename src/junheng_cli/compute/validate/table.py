"""The validated table, and the run that checks a school table against the schema and a standard."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from junheng_cli.compute.validate.cleaning import Cleaning
from junheng_cli.compute.validate.headers import HeaderChecks
from junheng_cli.compute.validate.plausibility import PlausibilityChecks
from junheng_cli.compute.validate.rows import RowChecks
from junheng_cli.io.cells import column_index
from junheng_cli.io.sheet_table.tables import ROWS_PER_SOURCE, SchoolTable, row_keys
from junheng_cli.model.findings import Finding
from junheng_cli.standards.model import Standard


@dataclass
class ValidatedTable:
    table: SchoolTable
    frame: pd.DataFrame  # identity as text, quantities as float64 (NaN = empty), ROW, SOURCE
    findings: list[Finding]

    @property
    def invalid_keys(self) -> set[tuple[int, int]]:
        """(source, row) of every row with an error."""
        return {k for f in self.findings if f.severity == "error" and (k := _key_of(f)) is not None}

    @property
    def invalid_mask(self) -> pd.Series:
        if self.frame.empty:
            return pd.Series(dtype=bool)
        wanted = [source * ROWS_PER_SOURCE + row for source, row in self.invalid_keys]
        invalid = np.isin(row_keys(self.frame), np.array(wanted, dtype=np.int64))
        return pd.Series(invalid, index=self.frame.index)


def _key_of(finding: Finding) -> tuple[int, int] | None:
    source = dict(finding.params).get("_source")
    if source is None or finding.row is None:
        return None
    return int(source), finding.row


class Checker(HeaderChecks, Cleaning, RowChecks, PlausibilityChecks):
    """All the checks, run in order by ``validate``."""


def validate(
    table: SchoolTable, standard: Standard, county: pd.Series | None = None
) -> ValidatedTable:
    """``county`` (aligned with ``table.frame``) when several counties are checked at once:
    school names need only be unique within a county, and medians are the county's."""
    checker = Checker(table, standard, county)
    checker.check_headers()
    if checker.broken and county is None:  # a header error stops the run: no row is checked
        return ValidatedTable(table, pd.DataFrame(), sorted(checker.findings, key=_reading_order))
    # Several counties: the rows of a sheet with a header error stay in the frame, unchecked
    # (their county is blocked by that error), so that the other counties go on.
    frame = checker.clean()
    checker.check_values(frame)
    checker.check_plausibility(frame)
    checker.check_totals(frame)
    checker.drop_row_findings_of_broken_sheets()
    return ValidatedTable(table, frame, sorted(checker.findings, key=_reading_order))


def _reading_order(finding: Finding) -> tuple[int, int, int, int]:
    """Sheet by sheet, row by row, left to right: the order an analyst fixes them in."""
    source = int(dict(finding.params).get("_source", 0))
    column = column_index(finding.column) if finding.column else -1
    return source, finding.row or 0, column, 0 if finding.severity == "error" else 1
