"""Check a county's data without computing: ``jh.validate(...)``."""

from __future__ import annotations

import os
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from junheng_cli.api.errors import boundary
from junheng_cli.api.evaluation import read_validated
from junheng_cli.api.sources import shown
from junheng_cli.api.standards import load_standard, select_indicators

if TYPE_CHECKING:
    import pandas as pd

    from junheng_cli.compute.validate import ValidatedTable
    from junheng_cli.io.annotate import CellNote
    from junheng_cli.model.findings import Finding
    from junheng_cli.standards.model import Standard


@dataclass
class Validated:
    """The findings of a check: ``findings`` as a DataFrame, ``issues`` as objects,
    ``to_dict()`` exactly the document of ``junheng validate --format json``."""

    validated: ValidatedTable
    standard: Standard
    lang: str = "zh"

    @property
    def issues(self) -> list[Finding]:
        return self.validated.findings

    @property
    def has_errors(self) -> bool:
        """Errors that stop an evaluation (warnings do not)."""
        from junheng_cli.model.findings import has_errors

        return has_errors(self.issues)

    @property
    def findings(self) -> pd.DataFrame:
        from junheng_cli.api.frames import findings_frame

        return findings_frame(self.issues, self.lang)

    def frames(self) -> dict[str, pd.DataFrame]:
        return {"findings": self.findings}

    def to_dict(self) -> dict[str, Any]:
        from junheng_cli.report.validation_json import validation_document

        return validation_document(self.standard, self.validated, self.lang)

    @boundary
    def write_annotated(self, targets: Mapping[Path, Path]) -> list[Path]:
        """Annotated copies (input workbook → copy): every problem cell coloured and
        commented, and a 问题清单 sheet; the inputs are not touched."""
        from junheng_cli.io.annotate import write_annotated
        from junheng_cli.io.read import open_workbook

        written = []
        for file, out in targets.items():
            mine = [f for f in self.issues if f.file == str(file)]
            rows = None
            if file.suffix.lower() not in (".xlsx", ".xlsm"):
                used = [s.sheet for s in self.validated.table.sheets if s.file == str(file)]
                with open_workbook(file) as workbook:
                    rows = {name: workbook.sheet(name).rows for name in used}
            write_annotated(file, out, _cell_notes(mine, self.lang), rows, self.lang)
            written.append(out)
        return written

    def __repr__(self) -> str:
        return f"<Validated {self.standard.id}: {len(self.issues)} 个问题>"


def _cell_notes(findings: list[Finding], lang: str) -> list[CellNote]:
    from junheng_cli.io.annotate import CellNote

    return [
        CellNote(
            sheet=f.sheet,
            row=f.row,
            column=f.column,
            severity=f.severity,
            code=f.code,
            message=f.message(lang),
            hint=f.hint(lang),
            header=f.header,
            value=f.value,
        )
        for f in findings
    ]


def check(validated: ValidatedTable, standard: Standard, lang: str = "zh") -> Validated:
    """The findings where the user sees them; a county with nothing to evaluate (a header
    without rows, every school out of scope) is ``NothingToEvaluate``, not a clean county."""
    from junheng_cli.compute.evaluate import nothing_to_evaluate
    from junheng_cli.model.findings import has_errors

    validated = shown(validated)
    if not has_errors(validated.findings) and (nothing := nothing_to_evaluate(validated, standard)):
        raise nothing
    return Validated(validated, standard, lang)


@boundary
def validate(
    source: Any,
    standard: str | os.PathLike[str] | Standard = "basic-2012",
    *,
    indicators: str | Sequence[str] | None = None,
    lang: str = "zh",
    sheet: Sequence[str] | str | None = None,
    header_rows: str | None = None,
    columns: str | os.PathLike[str] | Mapping[str, str] | None = None,
    input_kind: str = "auto",
    forms: str | os.PathLike[str] | None = None,
    supplement: str | os.PathLike[str] | None = None,
) -> Validated:
    """Read and check a county (paths, statistics exports or a DataFrame) without computing."""
    spec = select_indicators(load_standard(standard), indicators)
    validated = read_validated(
        source, spec, sheet, header_rows, columns, input_kind, forms, supplement
    )
    return check(validated, spec, lang)
