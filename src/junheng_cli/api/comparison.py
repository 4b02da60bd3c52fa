"""Compare periods (quarters, months) of one county: ``jh.compare([...])``."""

from __future__ import annotations

import os
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from junheng_cli.api.errors import boundary
from junheng_cli.api.evaluation import read_validated, run
from junheng_cli.api.sources import is_frame
from junheng_cli.api.standards import load_standard
from junheng_cli.compute.evaluate import DataErrors
from junheng_cli.workflows.periods import PeriodError, check_count, labels_of, refuse_repeated

if TYPE_CHECKING:
    from junheng_cli.compute.validate import ValidatedTable
    from junheng_cli.model.findings import Finding
    from junheng_cli.model.results import Evaluation
    from junheng_cli.standards.model import Standard
    from junheng_cli.workflows.compare import Comparison


class PeriodDataErrors(DataErrors):
    """One period's data has errors: the periods are not compared (``findings``)."""

    def __init__(self, findings: list[Finding], number: int, label: str, source: str) -> None:
        super().__init__(findings)
        self.number, self.label, self.source = number, label, source
        errors = sum(1 for f in findings if f.severity == "error")
        self.args = (f"第 {number} 期（{label}，{source}）数据有错误 {errors} 个，未做比较",)


@dataclass
class Compared:
    """The periods compared: ``to_dict()`` is exactly ``junheng compare --format json``."""

    comparison: Comparison

    @property
    def labels(self) -> list[str]:
        return [p.label for p in self.comparison.periods]

    def to_dict(self) -> dict[str, Any]:
        from junheng_cli.report.json.compare import comparison_document

        return comparison_document(self.comparison)

    def __repr__(self) -> str:
        return f"<Compared {'、'.join(self.labels)}>"


def period_labels(sources: Sequence[Any], labels: str | Sequence[str] | None) -> list[str]:
    """The periods' names (files: their names; DataFrames: 第 1 期 …); the same file twice is
    refused."""
    check_count(len(sources))
    if any(is_frame(s) for s in sources):
        return labels_of([Path(f"第{n}期") for n in range(1, len(sources) + 1)], labels)
    files = [Path(s) for s in sources]
    refuse_repeated(files)
    return labels_of(files, labels)


def evaluate_period(
    number: int, label: str, source: Any, validated: ValidatedTable, standard: Standard
) -> Evaluation:
    """One period evaluated as ``evaluate`` does; a period with data errors stops the
    comparison rather than comparing half of the county."""
    from junheng_cli.compute.evaluate import NothingToEvaluate
    from junheng_cli.io.cells import ReadError

    shown = "DataFrame" if is_frame(source) else str(source)
    try:
        return run(validated, standard).evaluation
    except (ReadError, NothingToEvaluate) as exc:
        raise PeriodError(f"第 {number} 期（{label}，{shown}）：{exc}") from exc
    except DataErrors as exc:
        raise PeriodDataErrors(exc.findings, number, label, shown) from None


def compare_periods(periods: Sequence[tuple[str, Evaluation]]) -> Compared:
    from junheng_cli.workflows.compare import compare as build

    return Compared(build(periods))


@boundary
def compare(
    sources: Sequence[Any],
    standard: str | os.PathLike[str] | Standard = "basic-2012",
    *,
    labels: str | Sequence[str] | None = None,
    sheet: Sequence[str] | str | None = None,
    header_rows: str | None = None,
    columns: str | os.PathLike[str] | Mapping[str, str] | None = None,
    input_kind: str = "auto",
    forms: str | os.PathLike[str] | None = None,
) -> Compared:
    """Compare the periods, oldest first: workbook paths (or statistics folders) or
    DataFrames, one per period; ``labels`` name them (default: the file names)."""
    names = period_labels(sources, labels)
    spec = load_standard(standard)
    periods = []
    for number, (label, source) in enumerate(zip(names, sources, strict=True), start=1):
        validated = read_validated(source, spec, sheet, header_rows, columns, input_kind, forms)
        periods.append((label, evaluate_period(number, label, source, validated, spec)))
    return compare_periods(periods)
