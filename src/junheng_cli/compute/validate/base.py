"""What every check shares: the findings found so far and how a finding is added."""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from junheng_cli.compute.validate.coercion import template_header
from junheng_cli.io.sheet_table.tables import ROW, SOURCE, SchoolTable
from junheng_cli.model.fields import Column
from junheng_cli.model.findings import Finding
from junheng_cli.standards.model import Standard
from junheng_cli.standards.scope import scope_reasons


class CheckerBase:
    """The state the checks share; each group of checks is a subclass, ``table.Checker`` all."""

    def __init__(
        self, table: SchoolTable, standard: Standard, county: pd.Series | None = None
    ) -> None:
        self.table = table
        self.standard = standard
        self.county = county
        self.findings: list[Finding] = []
        self.unreadable: set[tuple[int, int, str]] = set()  # (source, row, column) reported
        self.required: list[Column] = []
        self.broken: set[int] = set()  # sheets whose header stops them: a column missing, twice
        self.suggested: dict[int, set[str]] = {}  # per sheet, headers offered for missing columns
        self.header_findings = 0  # how many findings are about headers (they come first)
        self._scored: tuple[pd.DataFrame, np.ndarray] | None = None

    def add(
        self,
        code: str,
        source: int,
        column: str | None,
        row: int | None,
        value: Any,
        expected: str,
        **params: Any,
    ) -> None:
        sheet = self.table.sheets[source]
        header = sheet.header_of(column) if column else None
        if column and header is None:
            header = template_header(column)
        self.findings.append(
            Finding(
                code=code,
                file=sheet.file,
                sheet=sheet.sheet,
                row=row,
                column=sheet.letter_of(column) if column else None,
                header=header,
                field=column,
                value=value,
                expected=expected,
                params=(*params.items(), ("_source", source)),
            )
        )

    def scored_rows(self, frame: pd.DataFrame) -> np.ndarray:
        """Which rows the standard scores: a known type in its scope, not left out by who runs
        the school (worked out once per frame)."""
        cached = self._scored
        if cached is None or cached[0] is not frame:
            in_scope = [n for n, t in self.standard.school_types.items() if t.excluded is None]
            scored = frame["type"].isin(in_scope) & scope_reasons(frame, self.standard).isna()
            cached = self._scored = (frame, scored.to_numpy(dtype=bool))
        return cached[1]

    def rows_of(self, frame: pd.DataFrame, mask: pd.Series, *columns: str) -> list[tuple]:
        """(source, row, *values) of the rows picked by ``mask``: only findings loop in Python."""
        if not mask.any():
            return []
        picked = frame.loc[mask, [SOURCE, ROW, *columns]]
        return list(picked.itertuples(index=False, name=None))
