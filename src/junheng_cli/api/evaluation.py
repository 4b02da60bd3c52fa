"""Evaluate a county: ``jh.evaluate(...)`` and the result a notebook works with."""

from __future__ import annotations

import os
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from junheng_cli.api.errors import InputError, boundary
from junheng_cli.api.sources import (
    as_paths,
    county_items_sheet,
    is_frame,
    read_options,
    read_table,
    user_mapping,
    validate_table,
)
from junheng_cli.api.standards import load_standard, select_indicators
from junheng_cli.api.stats import InputKind, StatsChoice

if TYPE_CHECKING:
    import pandas as pd

    from junheng_cli.compute.explain import Explanation
    from junheng_cli.compute.validate import ValidatedTable
    from junheng_cli.model.findings import Finding
    from junheng_cli.model.results import Evaluation
    from junheng_cli.report.output import OutputFormat
    from junheng_cli.standards.model import Standard

CountyItems = Mapping[str, Any] | str | os.PathLike[str] | None


@dataclass
class Evaluated:
    """One county evaluated against a standard.

    ``passed`` and ``summary`` are plain values; ``frames()`` gives DataFrames; ``to_dict()`` is
    exactly the document of ``junheng evaluate --format json``. ``evaluation`` is the full
    result object, ``validated`` the school table it was computed from (``jh.plan`` uses it).
    """

    evaluation: Evaluation
    validated: ValidatedTable
    lang: str = "zh"
    files: list[Path] = field(default_factory=list)

    @property
    def standard(self) -> Standard:
        return self.evaluation.standard

    @property
    def passed(self) -> bool | None:
        """True / False; None without a verdict (some indicators only, or cannot be judged)."""
        return self.evaluation.passed

    @property
    def partial(self) -> bool:
        return self.evaluation.partial

    @property
    def summary(self) -> dict[str, Any]:
        """The headline and the bill: the document's ``summary``."""
        from junheng_cli.compute.headline import headline_of
        from junheng_cli.report.json import summary_document

        return summary_document(headline_of(self.evaluation))

    @property
    def findings(self) -> list[Finding]:
        return self.evaluation.findings

    def to_dict(self) -> dict[str, Any]:
        """The JSON document of ``junheng evaluate --format json``."""
        from junheng_cli.report.output import evaluation_dict

        return evaluation_dict(self.evaluation, self.lang, self.validated.table)

    def frames(self) -> dict[str, pd.DataFrame]:
        """levels, indicators, schools, checks, gaps, excluded, findings."""
        from junheng_cli.api.frames import evaluation_frames

        return evaluation_frames(self.evaluation, self.lang)

    @boundary
    def write(self, path: str | os.PathLike[str], format: str | None = None) -> Path:
        """The report as a file (.xlsx, .csv, .html or .json by the suffix, or ``format``),
        written atomically; an existing file is replaced, an input never."""
        from junheng_cli.io.guard import Inputs
        from junheng_cli.io.outputs import check_output
        from junheng_cli.report.output import OutputFormat, report_format, write_evaluation

        target = Path(path)
        chosen: OutputFormat = report_format(OutputFormat(format) if format else None, target)
        check_output(target, Inputs().add_files("工作簿", *self.files), force=True)
        write_evaluation(
            self.evaluation, chosen, target, self.files, self.lang, self.validated.table
        )
        return target

    @boundary
    def explain(self, school: str, indicator: str) -> Explanation:
        """One school's value of one indicator, step by step, and the county's CV."""
        from junheng_cli.compute.explain import explain

        return explain(self.evaluation, school, indicator)

    def __repr__(self) -> str:
        verdict = {True: "达标", False: "未达标", None: "无结论"}[self.passed]
        return f"<Evaluated {self.standard.id}: {verdict}, {len(self.evaluation.units)} 个单位>"


def check_county_items_apply(standard: Standard, given: bool) -> None:
    if given and not standard.county_items:
        raise InputError(
            f"标准 {standard.id} 没有县级指标：--county-items 只用于带县级指标的标准"
            "（如 quality-2017）"
        )


def run(
    validated: ValidatedTable,
    standard: Standard,
    *,
    skip_invalid: bool = False,
    county_items: CountyItems = None,
    partial: bool = False,
    lang: str = "zh",
    files: Sequence[Path] = (),
) -> Evaluated:
    """Evaluate a validated table. ``DataErrors`` (with the findings where the user sees
    them) when errors leave no verdict; ``partial``: ``standard`` holds only some indicators."""
    from junheng_cli.compute.evaluate import DataErrors
    from junheng_cli.compute.evaluate import evaluate as evaluate_table
    from junheng_cli.io.stats.importer import relocate

    items_file = None
    computed = validated
    if isinstance(county_items, Mapping):
        table = validated.table
        sheets = [*table.county_sheets, county_items_sheet(county_items, standard)]
        computed = replace(validated, table=replace(table, county_sheets=sheets))
    elif county_items is not None:
        items_file = Path(county_items)
    try:
        result = evaluate_table(computed, standard, skip_invalid, items_file, partial)
    except DataErrors as exc:
        exc.findings = relocate(exc.findings, validated.table)
        raise
    result.findings = relocate(result.findings, validated.table)
    return Evaluated(result, computed, lang, list(files))


def evaluable(
    validated: ValidatedTable, standard: Standard, findings: list[Finding], partial: bool
) -> list[str] | None:
    """With columns missing (and all indicators asked for): the indicators that could be
    evaluated."""
    from junheng_cli.compute.validate import evaluable_indicators

    if partial or not any(f.code == "E_MISSING_COLUMN" for f in findings):
        return None
    return evaluable_indicators(validated.table, standard)


def read_validated(
    source: Any,
    standard: Standard,
    sheet: Sequence[str] | str | None = None,
    header_rows: str | None = None,
    columns: str | os.PathLike[str] | Mapping[str, str] | None = None,
    input_kind: InputKind | str = InputKind.auto,
    forms: str | os.PathLike[str] | None = None,
    supplement: str | os.PathLike[str] | None = None,
) -> ValidatedTable:
    """Read the county (paths, statistics exports or a DataFrame) and check it."""
    options = read_options(sheet, header_rows, None if is_frame(source) else columns)
    stats = StatsChoice(
        InputKind(input_kind),
        None if forms is None else Path(forms),
        None if supplement is None else Path(supplement),
    )
    mapping = user_mapping(columns) if is_frame(source) else None
    return validate_table(read_table(source, options, stats, mapping), standard)


@boundary
def evaluate(
    source: Any,
    standard: str | os.PathLike[str] | Standard = "basic-2012",
    *,
    county_items: CountyItems = None,
    skip_invalid: bool = False,
    indicators: str | Sequence[str] | None = None,
    lang: str = "zh",
    sheet: Sequence[str] | str | None = None,
    header_rows: str | None = None,
    columns: str | os.PathLike[str] | Mapping[str, str] | None = None,
    input_kind: str = "auto",
    forms: str | os.PathLike[str] | None = None,
    supplement: str | os.PathLike[str] | None = None,
) -> Evaluated:
    """Evaluate a county: a workbook path, several (combined), a folder or .zip of statistics
    exports, or a DataFrame (template headers or canonical names). Raises ``DataErrors``
    (``.findings``) when data errors leave no verdict (``skip_invalid`` evaluates the rest)."""
    from junheng_cli.compute.evaluate import DataErrors

    spec = select_indicators(load_standard(standard), indicators)
    check_county_items_apply(spec, county_items is not None)
    validated = read_validated(
        source, spec, sheet, header_rows, columns, input_kind, forms, supplement
    )
    try:
        return run(
            validated,
            spec,
            skip_invalid=skip_invalid,
            county_items=county_items,
            partial=indicators is not None,
            lang=lang,
            files=[] if is_frame(source) else as_paths(source),
        )
    except DataErrors as exc:
        errors = sum(1 for f in exc.findings if f.severity == "error")
        exc.args = (
            f"数据有错误 {errors} 个，未给出结论（见 .findings；skip_invalid=True 评估其余行）",
        )
        raise
