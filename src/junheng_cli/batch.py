"""Score many counties in one run: a folder of county workbooks, or one big workbook split
by a county column. Each county goes through everything the single-county path does; a
county that cannot be read or has data errors is listed with its error and the rest go on."""

from __future__ import annotations

import glob
import os
from collections.abc import Callable, Iterator
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from junheng_cli.evaluate import DataErrors, NothingToEvaluate, evaluate, sheet_infos
from junheng_cli.findings import Finding
from junheng_cli.io.read import CSV_SUFFIXES, EXCEL_SUFFIXES, ReadError
from junheng_cli.report.document import error_document, evaluation_document
from junheng_cli.results import Evaluation
from junheng_cli.standards import Standard
from junheng_cli.table import ReadOptions, SchoolTable, read_school_table, split_by_group
from junheng_cli.validate import validate

WORKBOOK_SUFFIXES = tuple(s for s in EXCEL_SUFFIXES + CSV_SUFFIXES if s != ".txt")
MIN_FILES_FOR_POOL = 8  # below this, starting worker processes costs more than it saves


@dataclass
class CountyOutcome:
    """One county of a batch: its summary row, its JSON document, and what went wrong."""

    county: str
    files: list[str]
    status: str  # scored / data_errors / unreadable
    summary: dict[str, Any]
    document: dict[str, Any] | None
    error: str | None = None
    report: str | None = None


@dataclass
class BatchResult:
    standard: Standard
    counties: list[CountyOutcome] = field(default_factory=list)
    file_rows: dict[str, int] = field(default_factory=dict)  # blank/total rows of group-by files

    @property
    def failed(self) -> list[CountyOutcome]:
        return [c for c in self.counties if c.status != "scored"]

    def ranked(self) -> list[CountyOutcome]:
        """Scored counties first, compliant before not, the most balanced first."""
        return sorted(self.counties, key=_rank_key)


def expand_paths(paths: list[str]) -> list[Path]:
    """Folders (their workbooks, recursively), glob patterns and files, in a stable order."""
    found: list[Path] = []
    for text in paths:
        path = Path(text)
        if path.is_dir():
            found += sorted(
                p
                for p in path.rglob("*")
                if p.suffix.lower() in WORKBOOK_SUFFIXES and not p.name.startswith((".", "~$"))
            )
        elif any(ch in text for ch in "*?["):
            found += sorted(Path(p) for p in glob.glob(text, recursive=True) if Path(p).is_file())
        else:
            found.append(path)
    unique: dict[Path, None] = {}
    for path in found:
        unique.setdefault(path, None)
    return list(unique)


def score_county(
    name: str,
    table: SchoolTable | None,
    files: list[str],
    standard: Standard,
    skip_invalid: bool,
    report: Callable[[Evaluation], str | None] | None = None,
) -> CountyOutcome:
    assert table is not None
    validated = validate(table, standard)
    try:
        result = evaluate(validated, standard, skip_invalid)
    except NothingToEvaluate as exc:
        summary = {"county": name, "files": files, "status": "unreadable", "error": exc.message}
        return CountyOutcome(name, files, "unreadable", summary, None, exc.message)
    except DataErrors as exc:
        document = error_document(standard, sheet_infos(table), exc.findings)
        return CountyOutcome(
            name,
            files,
            "data_errors",
            _error_summary(name, files, exc.findings),
            document,
            _first_error(exc.findings),
        )
    written = report(result) if report is not None else None
    return CountyOutcome(
        name,
        files,
        "scored",
        county_summary(name, files, result),
        evaluation_document(result),
        report=written,
    )


def _first_error(findings: list[Finding]) -> str:
    errors = [f for f in findings if f.severity == "error"]
    first = errors[0]
    more = f"（共 {len(errors)} 个错误）" if len(errors) > 1 else ""
    return f"{first.location()}：{first.message()}{more}"


def _error_summary(name: str, files: list[str], findings: list[Finding]) -> dict[str, Any]:
    return {
        "county": name,
        "files": files,
        "status": "data_errors",
        "error": _first_error(findings),
    }


def county_summary(name: str, files: list[str], result: Evaluation) -> dict[str, Any]:
    """One line of the ranking: per level the composite, the worst single CV, the verdict,
    the failing schools; and the county's biggest gap."""
    levels = {}
    for level in result.levels:
        if not level.schools:
            continue
        worst = max(level.indicators, key=lambda i: -1.0 if i.cv is None else i.cv)
        levels[level.level.value] = {
            "name": level.name,
            "schools": level.schools,
            "composite_cv": level.composite_cv,
            "worst_indicator": worst.name,
            "worst_cv": worst.cv,
            "limit": level.composite_limit,
            "passed": level.passed,
            "schools_failed": level.schools_failed,
        }
    biggest = max(result.gap_totals, key=lambda t: t.schools, default=None)
    return {
        "county": name,
        "files": files,
        "status": "scored",
        "passed": result.passed,
        "partial": result.partial,
        "levels": levels,
        "biggest_gap": None
        if biggest is None or not biggest.schools
        else {
            "what": biggest.what,
            "amount": biggest.amount,
            "unit": biggest.unit,
            "schools": biggest.schools,
        },
        "pressure": _pressure(levels),
    }


def _pressure(levels: dict[str, dict[str, Any]]) -> float | None:
    """The worst single CV relative to its level's limit: under 1 is within the limit."""
    ratios = [lv["worst_cv"] / lv["limit"] for lv in levels.values() if lv["worst_cv"] is not None]
    return max(ratios) if ratios else None


def _rank_key(outcome: CountyOutcome) -> tuple[int, int, float, str]:
    summary = outcome.summary
    if outcome.status != "scored":
        return (1, 0, 0.0, outcome.county)
    pressure = summary.get("pressure")
    return (
        0,
        0 if summary.get("passed") else 1,
        pressure if pressure is not None else 9e9,
        outcome.county,
    )


# -- running ----------------------------------------------------------------------------------
def _score_file(
    path: str, standard: Standard, options: ReadOptions, skip_invalid: bool, reports_dir: str | None
) -> CountyOutcome:
    """Everything for one county file; runs in a worker process."""
    name = Path(path).stem
    try:
        table = read_school_table([Path(path)], options)
    except ReadError as exc:
        summary = {"county": name, "files": [path], "status": "unreadable", "error": str(exc)}
        return CountyOutcome(name, [path], "unreadable", summary, None, str(exc))
    writer = _report_writer(reports_dir, name, [Path(path)]) if reports_dir else None
    return score_county(name, table, [path], standard, skip_invalid, writer)


def _report_writer(
    reports_dir: str, name: str, inputs: list[Path]
) -> Callable[[Evaluation], str | None]:
    def write(result: Evaluation) -> str:
        from junheng_cli.report.xlsx import write_xlsx

        target = Path(reports_dir) / f"{name}.xlsx"
        write_xlsx(result, target, inputs)
        return str(target)

    return write


def run_files(
    files: list[Path],
    standard: Standard,
    options: ReadOptions,
    skip_invalid: bool = False,
    reports_dir: Path | None = None,
    jobs: int | None = None,
) -> Iterator[CountyOutcome]:
    """One county per file, in a process pool when there are enough files and cores."""
    args = (standard, options, skip_invalid, str(reports_dir) if reports_dir else None)
    workers = jobs if jobs is not None else min(os.cpu_count() or 1, len(files))
    if workers <= 1 or len(files) < MIN_FILES_FOR_POOL:
        for path in files:
            yield _score_file(str(path), *args)
        return
    with ProcessPoolExecutor(max_workers=workers) as pool:
        chunk = max(1, len(files) // (workers * 4))
        yield from pool.map(
            _score_file, [str(p) for p in files], *[[a] * len(files) for a in args], chunksize=chunk
        )


def run_grouped(
    files: list[Path],
    standard: Standard,
    options: ReadOptions,
    skip_invalid: bool = False,
    reports_dir: Path | None = None,
) -> tuple[list[CountyOutcome], dict[str, int]]:
    """One big workbook (or several) split into counties by the --group-by column."""
    outcomes: list[CountyOutcome] = []
    file_rows: dict[str, int] = {}
    for path in files:
        try:
            table = read_school_table([path], options)
        except ReadError as exc:
            summary = {
                "county": path.stem,
                "files": [str(path)],
                "status": "unreadable",
                "error": str(exc),
            }
            outcomes.append(
                CountyOutcome(path.stem, [str(path)], "unreadable", summary, None, str(exc))
            )
            continue
        file_rows[str(path)] = table.blank_rows + table.total_rows + table.note_rows
        for name, part in split_by_group(table).items():
            writer = _report_writer(str(reports_dir), name, [path]) if reports_dir else None
            outcomes.append(score_county(name, part, [str(path)], standard, skip_invalid, writer))
    return outcomes, file_rows
