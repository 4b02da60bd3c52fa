"""Score many counties in one run: a folder of county workbooks, or one big workbook split
by a county column. Each county goes through everything the single-county path does; a
county that cannot be read or has data errors is listed with its error and the rest go on."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from junheng_cli.compute.evaluate import (
    CountyScores,
    DataErrors,
    NothingToEvaluate,
    evaluate_groups,
    score_groups,
)
from junheng_cli.compute.grouping import distinct_cells
from junheng_cli.compute.validate import validate
from junheng_cli.io.cells import ReadError, Sheet
from junheng_cli.io.collector import collector_on_new_objects, collector_paused
from junheng_cli.io.guard import Inputs
from junheng_cli.io.sheet_table import GROUP, SOURCE, ReadOptions, SheetTable, combine
from junheng_cli.model.results import Evaluation
from junheng_cli.standards.model import Standard
from junheng_cli.workflows.batch.read import StatsRead, read_all
from junheng_cli.workflows.batch.reports import ReportFolder, ReportWriter, write_county_report
from junheng_cli.workflows.batch.result import BatchResult, CountyOutcome
from junheng_cli.workflows.batch.score import county_summary, error_summary, first_error

if TYPE_CHECKING:
    from junheng_cli.io.stats.result import StatsImport


def run_batch(
    files: list[Path],
    standard: Standard,
    options: ReadOptions,
    skip_invalid: bool = False,
    reports_dir: Path | None = None,
    jobs: int | None = None,
    progress: Callable[[], None] | None = None,
    detail: bool = True,
    protected: Sequence[Path] = (),
    stats: StatsRead | None = None,
    write_report: ReportWriter | None = None,
) -> BatchResult:
    """Read every county, check them all at once, evaluate them all at once (grouped by
    county and level), then cut the results per county. One county per file, or with
    ``options.group_by`` the counties named in that column. Without ``detail`` (and without
    ``reports_dir``) only what the ranking needs is computed: no per-school objects.
    No report replaces one of ``files`` or ``protected`` (the mapping, the summary …).
    With ``stats``, each of ``files`` is a county folder (or .zip) of statistics exports, and
    its findings point at the exports' own sheets and cells. ``write_report`` writes one
    county's report (the xlsx writer of ``report``); it is needed with ``reports_dir``."""
    if reports_dir is not None and write_report is None:
        raise ValueError("reports_dir needs write_report")
    result = BatchResult(standard)
    sheets: list[SheetTable] = []
    sheet_county: list[str | None] = []
    sheet_file: list[str] = []
    county_sheets: dict[str, list[Sheet]] = {}  # 县级指标 sheets of one-county files
    class_sheets: dict[str, list[Sheet]] = {}  # 班级 sheets of one-county files
    imports: dict[str, StatsImport] = {}  # county → its statistics import
    for path, table in read_all(files, options, jobs, stats):
        if progress is not None:
            progress()
        if isinstance(table, ReadError):
            summary = {
                "county": path.stem,
                "files": [str(path)],
                "status": "unreadable",
                "error": str(table),
            }
            result.counties.append(
                CountyOutcome(path.stem, [str(path)], "unreadable", summary, None, str(table))
            )
            continue
        if stats is not None:  # the statistics reader only for statistics exports
            from junheng_cli.io.stats.importer import StatsSchoolTable

            if isinstance(table, StatsSchoolTable) and table.imported is not None:
                imports[path.stem] = table.imported
        if options.group_by:
            result.file_rows[str(path)] = table.blank_rows + table.total_rows + table.note_rows
        else:
            county_sheets.setdefault(path.stem, []).extend(table.county_sheets)
            class_sheets.setdefault(path.stem, []).extend(table.class_sheets)
        for sheet in table.sheets:
            sheets.append(sheet)
            sheet_county.append(None if options.group_by else path.stem)
            sheet_file.append(str(path))
    if not sheets:
        return result
    combined = combine(sheets)
    if options.group_by:
        county = group_counties(combined.frame[GROUP])
    else:
        names = np.array(sheet_county, dtype=object)
        at = combined.frame[SOURCE].to_numpy()
        county = pd.Series(names[at], index=combined.frame.index, dtype=object)
    files_of = county_files(county, combined.frame[SOURCE], sheet_file)
    with collector_paused():
        validated = validate(combined, standard, county)
        if detail or reports_dir is not None:
            outcomes = evaluate_groups(
                validated, standard, county, skip_invalid, county_sheets, class_sheets
            )
        else:
            outcomes = score_groups(validated, standard, county, skip_invalid)
    reports = None
    if reports_dir is not None:
        inputs = Inputs().add_files("输入文件", *files, *protected)
        reports = ReportFolder(reports_dir, inputs, write_report)
    # thousands of small summaries: no collection over the tables read (a county's report,
    # written by openpyxl, makes reference cycles: the collector stays on for those). Set
    # aside once here, not per report (write_xlsx's own is then a no-op): freezing before
    # each report would also freeze the last report's uncollected cycles (peak 0.21 -> 0.34 GB
    # for 20 counties)
    with collector_paused() if reports is None else collector_on_new_objects():
        for name, outcome in outcomes.items():
            if name in imports and isinstance(outcome, Evaluation | DataErrors):
                outcome.findings = imports[name].relocate(outcome.findings)
            result.counties.append(_outcome(name, files_of[name], outcome, standard, reports))
    return result


NO_GROUP = "（未填分组）"  # the county of a row whose --group-by cell is blank


def group_counties(cells: pd.Series) -> pd.Series:
    """Each row's county from its --group-by cell, as text (``NO_GROUP`` when blank); the
    text of each distinct cell is made once."""
    found = distinct_cells(cells)
    if found is None:  # numbers among the text: each made text on its own
        texts = ["" if pd.isna(v) else str(v) for v in cells.to_numpy(dtype=object)]
        found = distinct_cells(pd.Series(texts, index=cells.index, dtype=object))
        assert found is not None
    codes, distinct = found
    texts = [str(v) or NO_GROUP for v in distinct] + [NO_GROUP]  # code -1: a missing cell
    name_codes, names = pd.factorize(np.array(texts, dtype=object))
    labels = np.asarray(names, dtype=object)[name_codes]
    return pd.Series(labels[codes], index=cells.index, dtype=object)


def county_files(
    county: pd.Series, sources: pd.Series, sheet_file: list[str]
) -> dict[str, list[str]]:
    """Each county's files, counties and files in reading order."""
    codes, names = pd.factorize(county.to_numpy(dtype=object))
    pairs = pd.unique(codes.astype(np.int64) * (len(sheet_file) + 1) + sources.to_numpy())
    files_of: dict[str, list[str]] = {}
    for pair in pairs.tolist():
        code, source = divmod(pair, len(sheet_file) + 1)
        files = files_of.setdefault(names[code], [])
        if sheet_file[source] not in files:
            files.append(sheet_file[source])
    return files_of


def _outcome(
    name: str,
    files: list[str],
    outcome: Evaluation | CountyScores | DataErrors | NothingToEvaluate,
    standard: Standard,
    reports: ReportFolder | None,
) -> CountyOutcome:
    if isinstance(outcome, NothingToEvaluate):
        summary = {"county": name, "files": files, "status": "unreadable", "error": outcome.message}
        return CountyOutcome(name, files, "unreadable", summary, None, outcome.message)
    if isinstance(outcome, DataErrors):
        document = outcome.findings
        return CountyOutcome(
            name,
            files,
            "data_errors",
            error_summary(name, files, outcome.findings),
            document,
            first_error(outcome.findings),
        )
    scored = CountyOutcome(
        name,
        files,
        "scored",
        county_summary(name, files, outcome, standard),
        outcome if isinstance(outcome, Evaluation) else None,
    )
    if reports is not None and isinstance(outcome, Evaluation):
        write_county_report(reports, scored, outcome)
    return scored
