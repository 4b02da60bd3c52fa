"""Templates pre-filled from last period's county workbook: one file per school, each with its
own row, named by 学校标识码 and 学校名称."""

from __future__ import annotations

import math
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from junheng_cli.compute.validate import ValidatedTable, validate
from junheng_cli.io.guard import safe_file_stem as guarded_stem
from junheng_cli.io.sheet_table import ReadOptions, read_school_table
from junheng_cli.model.fields import Column
from junheng_cli.model.findings import Finding
from junheng_cli.standards.model import Standard, load_standard
from junheng_cli.workflows.files import numbered_stem
from junheng_cli.workflows.template.build import DEFAULT_BLANK_ROWS, Template, build_template
from junheng_cli.workflows.template.columns import (
    STRUCTURAL_STANDARD,
    standard_columns,
    standard_for_columns,
)

MAX_FILE_NAME = 80  # characters; keeps paths well inside Windows' limits
# Errors that leave no way to write one file per school.
PREFILL_BLOCKING = frozenset(
    {"E_MISSING_COLUMN", "E_DUPLICATE_COLUMN", "E_MISSING_NAME", "E_DUPLICATE_SCHOOL"}
)


@dataclass
class LastPeriod:
    """Last period's county workbook, read and checked, with clean values in template units."""

    path: Path
    validated: ValidatedTable
    absent: list[Column]  # template columns last period's workbook does not have

    @property
    def findings(self) -> list[Finding]:
        return self.validated.findings

    @property
    def blocking(self) -> list[Finding]:
        return [f for f in self.findings if f.code in PREFILL_BLOCKING]


def read_last_period(path: Path, standard: Standard | None, options: ReadOptions) -> LastPeriod:
    """Read last period's workbook with the normal reader and check it like ``validate``
    (against the standard's indicators its columns allow). Raises ``ReadError``."""
    table = read_school_table([path], options)
    base = standard or load_standard(STRUCTURAL_STANDARD)
    validated = validate(table, standard_for_columns(base, table.columns))
    absent = [c for c in standard_columns(standard) if c.name not in table.columns]
    return LastPeriod(path, validated, absent)


def prefill_rows(last: LastPeriod, template: Template) -> list[dict[str, Any]]:
    """One row per school of last period, limited to the template's columns. Values are the
    checked ones in the template's units (a 万元 column arrives in 元); a cell that was not a
    valid number is left empty for the school to fill."""
    frame = last.validated.frame  # in reading order
    names = [c.name for c in template.columns if c.name in frame]
    records = frame[names].astype(object).where(frame[names].notna(), None)
    return [{k: _cell_value(v) for k, v in r.items()} for r in records.to_dict("records")]


def _cell_value(value: Any) -> Any:
    if value is None or value == "":
        return None
    if isinstance(value, float):
        if math.isnan(value):
            return None
        return int(value) if value.is_integer() else value
    return value


def safe_file_stem(text: str) -> str:
    """A school's file name made safe on Windows, macOS and Linux (``io.guard``), at most
    ``MAX_FILE_NAME`` characters, never empty."""
    return guarded_stem(text, "学校", MAX_FILE_NAME)


def school_file_names(rows: list[dict[str, Any]]) -> list[str]:
    """``学校标识码_学校名称.xlsx`` per row (the name alone without a code), made safe and
    unique: a name already taken gets ``-2``, ``-3`` …"""
    names: list[str] = []
    taken: set[str] = set()
    for row in rows:
        parts = [str(row[k]) for k in ("code", "name") if row.get(k) not in (None, "")]
        stem = safe_file_stem("_".join(parts))
        candidate = numbered_stem(stem, lambda c: c.casefold() not in taken)
        taken.add(candidate.casefold())
        names.append(f"{candidate}.xlsx")
    return names


def prefilled_templates(
    last: LastPeriod, standard: Standard | None, blank_rows: int = DEFAULT_BLANK_ROWS
) -> list[tuple[str, Template]]:
    """(file name, template) per school of last period, each pre-filled with its own row."""
    base = build_template(standard, blank_rows, source=last.path)
    rows = prefill_rows(last, base)
    return [
        (name, replace(base, rows=[row]))
        for name, row in zip(school_file_names(rows), rows, strict=True)
    ]
