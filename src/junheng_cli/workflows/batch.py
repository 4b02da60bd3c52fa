"""Score many counties in one run: a folder of county workbooks, or one big workbook split
by a county column. Each county goes through everything the single-county path does; a
county that cannot be read or has data errors is listed with its error and the rest go on."""

from __future__ import annotations

import gc
import glob
import os
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from junheng_cli.compute.evaluate import (
    CountyScores,
    DataErrors,
    NothingToEvaluate,
    evaluate_groups,
    score_groups,
)
from junheng_cli.compute.validate import validate
from junheng_cli.io.guard import Inputs, safe_file_stem
from junheng_cli.io.read import CSV_SUFFIXES, EXCEL_SUFFIXES, ReadError, Sheet
from junheng_cli.io.sheet_table import (
    GROUP,
    SOURCE,
    ReadOptions,
    SchoolTable,
    SheetTable,
    combine,
    read_school_table,
)
from junheng_cli.io.stats.importer import StatsImport, StatsSchoolTable
from junheng_cli.model.findings import Finding
from junheng_cli.model.results import Evaluation
from junheng_cli.standards.model import Standard

WORKBOOK_SUFFIXES = tuple(s for s in EXCEL_SUFFIXES + CSV_SUFFIXES if s != ".txt")
MIN_FILES_FOR_POOL = 8  # below this, starting worker processes costs more than it saves
UNNAMED_COUNTY = "未命名县"  # the report's name for a county whose name leaves nothing safe

# writes one county's report: (evaluation, target, the county's input files)
ReportWriter = Callable[[Evaluation, Path, list[Path]], None]


@dataclass
class CountyOutcome:
    """One county of a batch: its summary row, its result (an ``Evaluation``, or the data
    findings that stopped it), and what went wrong."""

    county: str
    files: list[str]
    status: str  # scored / data_errors / unreadable
    summary: dict[str, Any]
    result: Evaluation | list[Finding] | None  # None when scored for the ranking only
    error: str | None = None
    report: str | None = None
    report_error: str | None = None  # the county's report could not be written


@dataclass
class BatchResult:
    standard: Standard
    counties: list[CountyOutcome] = field(default_factory=list)
    file_rows: dict[str, int] = field(default_factory=dict)  # blank/total rows of group-by files

    @property
    def failed(self) -> list[CountyOutcome]:
        return [c for c in self.counties if c.status != "scored"]

    @property
    def reports_failed(self) -> list[CountyOutcome]:
        return [c for c in self.counties if c.report_error is not None]

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


BIGGEST_GAP_RULE = (
    "最大短板＝全县缺口占达标所需比例（缺口率）最大的一项校际达标指标。全县缺口：每所学校在该项上"
    "低于达标值时补到达标值所缺的数量（名、㎡、元、间）之和；达标所需：各学段 达标值 × 在校生数 "
    "之和，即每名学生都达到达标值时全县应有的量；缺口率相同时取缺口学校多的一项。"
    "括号内为该项有缺口的学校数"
)


def county_summary(
    name: str, files: list[str], result: Evaluation | CountyScores, standard: Standard
) -> dict[str, Any]:
    """One line of the ranking: per level the composite, the worst single CV, the verdict,
    the failing schools; and the county's biggest gap (``BIGGEST_GAP_RULE``)."""
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
    return {
        "county": name,
        "files": files,
        "status": "scored",
        "passed": result.passed,
        "partial": result.partial,
        "levels": levels,
        "biggest_gap": biggest_gap(result, standard),
        "pressure": _pressure(levels),
    }


def gap_needs(result: Evaluation | CountyScores, standard: Standard) -> dict[str, float]:
    """Per indicator with per-school thresholds, what the whole county needs to hold for every
    pupil to be at the threshold: Σ over the levels of threshold × students / scale, in the
    unit of the gap (the indicator's numerator: teachers, ㎡, 元, rooms)."""
    students = {level.level: level.students for level in result.levels if level.schools}
    needs = {}
    for ind in standard.indicators:
        need = sum(
            threshold * students[level] / ind.scale
            for level, threshold in ind.thresholds.items()
            if level in students
        )
        if need > 0:
            needs[ind.id] = need
    return needs


def biggest_gap(result: Evaluation | CountyScores, standard: Standard) -> dict[str, Any] | None:
    """The county's 最大短板 by ``BIGGEST_GAP_RULE``: of the indicators some school falls
    short of, the one whose county-wide gap is the largest share of the county's whole need
    (ties: more schools short, then the standard's order). None when no school falls short
    (or the standard sets no per-school thresholds)."""
    needs = gap_needs(result, standard)
    candidates = [
        (total.amount / needs[total.indicator], position, total)
        for position, total in enumerate(result.gap_totals)
        if total.schools and total.amount > 0 and total.indicator in needs
    ]
    if not candidates:
        return None
    share, _, total = max(candidates, key=lambda c: (c[0], c[2].schools, -c[1]))
    return {
        "indicator": total.indicator,
        "what": total.what,
        "amount": total.amount,
        "unit": total.unit,
        "schools": total.schools,
        "need": needs[total.indicator],
        "share": share,
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


# -- evaluate on a folder -----------------------------------------------------------------------
def folder_advice(folders: Sequence[Path], standard: str) -> str:
    """What to run instead of ``evaluate`` on folders of ordinary workbooks (not statistics
    exports): ``batch`` when each workbook is a county, ``evaluate`` on the files when they are
    parts of one county, ``--input-kind stats`` when they are exports after all. ``standard``
    is the ``--standard`` given, repeated in the commands so that they run as shown."""
    from junheng_cli.io.stats.importer import is_stats_workbook

    books = [b for folder in folders for b in expand_paths([str(folder)])]
    where = "、".join(str(f) for f in folders)
    if not books:
        suffixes = " ".join(WORKBOOK_SUFFIXES)
        return f"{where} 是文件夹，其中没有工作簿（{suffixes}）：evaluate 要给出工作簿文件"
    exports = sum(1 for b in books[:200] if is_stats_workbook(b))
    quoted = " ".join(shell_word(str(f)) for f in folders)
    option = f"--standard {shell_word(standard)}"
    kinds = {b.suffix.lower() for b in books}
    parts = (
        " ".join(shell_word(str(f)) + f"/*{next(iter(kinds))}" for f in folders)
        if len(kinds) == 1 and all(b.parent in folders for b in books)
        else "（逐个列出这些工作簿）"
    )
    which = f"只有 {exports} 个是教育事业统计报表" if exports else "都不是教育事业统计报表"
    lines = [
        f"{where} 是文件夹，其中的 {len(books)} 个工作簿{which}；"
        "evaluate 评估一个县，要给出这个县的工作簿文件。",
        f"  各县一个工作簿（逐县评估并排名）：junheng batch {quoted} {option}",
        f"  同一个县分在几个工作簿里（合为一个县评估）：junheng evaluate {parts} {option}",
    ]
    if exports:
        lines.append(
            f"  只读其中 {exports} 个教育事业统计报表（其余跳过）：junheng evaluate {quoted} "
            f"--input-kind stats {option}"
        )
    return "\n".join(lines)


_SHELL_SPECIAL = frozenset(" \t\n'\"\\$`*?[]{}()<>|&;#~!=")


def shell_word(text: str) -> str:
    """A path as typed in a shell: as it is (Chinese included), or in single quotes when it
    holds a character the shell would act on."""
    if text and not _SHELL_SPECIAL & set(text):
        return text
    return "'" + text.replace("'", "'\\''") + "'"


# -- running ----------------------------------------------------------------------------------
WORKER_DIED = (
    "读取这个文件时，读取它的进程意外终止（文件过大、内容异常或内存不足）："
    "已跳过此文件，其余文件照常计算；请用 junheng validate 单独检查它"
)


@dataclass(frozen=True)
class StatsRead:
    """Counties given as folders (or .zip) of per-school statistics exports, each read as
    ``evaluate <folder>`` reads it: through the form maps (``--forms``)."""

    forms: Path | None = None


def read_stats_county(folder: Path, stats: StatsRead) -> SchoolTable | ReadError:
    """One county's statistics exports as a school table. A workbook of the county that could
    not be imported (a label that does not match, a missing sheet …) makes the county
    unreadable, naming the workbook and why, as ``evaluate`` stops on it."""
    from junheng_cli.io.stats.importer import import_stats, school_table

    imported = import_stats([folder], stats.forms)
    problems = [o for o in imported.outcomes if o.problem]
    if problems:
        more = f"（共 {len(problems)} 个统计报表未能导入）" if len(problems) > 1 else ""
        first = problems[0]
        return ReadError(f"统计报表未能导入：{first.file}：{first.reason}{more}", str(folder))
    return school_table(imported)


def _read_file(
    path: str, options: ReadOptions, stats: StatsRead | None = None
) -> SchoolTable | ReadError:
    """One file's school sheets (or one county folder of statistics exports); runs in a
    worker process when there are many. A file that fails in any way comes back as its
    error: the batch lists it and goes on."""
    try:
        with _collector_paused():  # a Python object per cell: no cycles, many collections
            if stats is not None:
                return read_stats_county(Path(path), stats)
            return read_school_table([Path(path)], options)
    except ReadError as exc:
        return exc
    except MemoryError:
        return ReadError("内存不足，无法读取：文件过大或内容异常", path)
    except Exception as exc:  # one county's odd file must not stop the others
        text = f"{type(exc).__name__}: {exc}"[:160]
        return ReadError(f"读取时出错（{text}）：文件可能已损坏，请重新导出后重试", path)


def _read_files(
    paths: list[str], options: ReadOptions, stats: StatsRead | None = None
) -> list[SchoolTable | ReadError]:
    return [_read_file(path, options, stats) for path in paths]


def read_all(
    files: list[Path],
    options: ReadOptions,
    jobs: int | None = None,
    stats: StatsRead | None = None,
) -> Iterator[tuple[Path, SchoolTable | ReadError]]:
    """Every file's tables (with ``stats``: every county folder's), in order; in a process
    pool when there are enough files and cores (a county folder of exports is many
    workbooks: two are enough)."""
    workers = jobs if jobs is not None else min(os.cpu_count() or 1, len(files))
    enough = 2 if stats is not None else MIN_FILES_FOR_POOL
    if workers <= 1 or len(files) < enough:
        for path in files:
            yield path, _read_file(str(path), options, stats)
        return
    yield from _read_in_pool(files, options, workers, stats)


def _read_in_pool(
    files: list[Path], options: ReadOptions, workers: int, stats: StatsRead | None = None
) -> Iterator[tuple[Path, SchoolTable | ReadError]]:
    """Files over a process pool, in chunks, yielded in order. A worker process that dies
    (aborted by the cell reader, killed for memory) breaks the whole pool: the files whose
    results did not come back go to a fresh pool, one by one, except the first few of them
    (among which is the one that was being read when the process died), which are each read
    in a process of their own. A file that kills even its own process is listed as such."""
    results: dict[int, SchoolTable | ReadError] = {}
    emitted = 0
    todo = list(range(len(files)))
    size = max(1, len(files) // (workers * 4))
    while todo:
        lost: list[int] = []
        with ProcessPoolExecutor(max_workers=workers) as pool:
            groups = [todo[i : i + size] for i in range(0, len(todo), size)]
            futures = [
                pool.submit(_read_files, [str(files[i]) for i in group], options, stats)
                for group in groups
            ]
            for group, future in zip(groups, futures, strict=True):
                try:
                    results.update(zip(group, future.result(), strict=True))
                except BrokenProcessPool:
                    lost += group
                while emitted in results:
                    yield files[emitted], results.pop(emitted)
                    emitted += 1
        in_flight = 2 * workers + 1  # running, or queued for a worker, when the pool broke
        for i in lost[:in_flight]:
            results[i] = _read_alone(files[i], options, stats)
        todo, size = lost[in_flight:], 1
        while emitted in results:
            yield files[emitted], results.pop(emitted)
            emitted += 1


def _read_alone(
    path: Path, options: ReadOptions, stats: StatsRead | None = None
) -> SchoolTable | ReadError:
    """One file in a process of its own: if the process dies, only this file is lost."""
    with ProcessPoolExecutor(max_workers=1) as pool:
        try:
            return pool.submit(_read_file, str(path), options, stats).result()
        except BrokenProcessPool:
            return ReadError(WORKER_DIED, str(path))


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
        county = combined.frame[GROUP].astype(str).replace("", "（未填分组）")
    else:
        county = combined.frame[SOURCE].map(dict(enumerate(sheet_county))).astype(str)
    files_of: dict[str, list[str]] = {}
    for source, name in zip(combined.frame[SOURCE], county, strict=True):
        files_of.setdefault(name, [])
        if sheet_file[source] not in files_of[name]:
            files_of[name].append(sheet_file[source])
    with _collector_paused():
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
    for name, outcome in outcomes.items():
        if name in imports and isinstance(outcome, Evaluation | DataErrors):
            outcome.findings = imports[name].relocate(outcome.findings)
        result.counties.append(_outcome(name, files_of[name], outcome, standard, reports))
    return result


@contextmanager
def _collector_paused() -> Iterator[None]:
    """Reading millions of cells and building hundreds of thousands of result objects sets
    off the cyclic garbage collector over and over (a fifth of the time); nothing here
    makes cycles worth collecting."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


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
            _error_summary(name, files, outcome.findings),
            document,
            _first_error(outcome.findings),
        )
    scored = CountyOutcome(
        name,
        files,
        "scored",
        county_summary(name, files, outcome, standard),
        outcome if isinstance(outcome, Evaluation) else None,
    )
    if reports is not None and isinstance(outcome, Evaluation):
        _write_report(reports, scored, outcome)
    return scored


class ReportFolder:
    """Where each county's report goes: a file name made safely from the county's name
    (``safe_file_stem``), always directly inside the folder given, unique within the run,
    and never the name of one of the run's inputs: a name already taken gets ``-2``, ``-3`` …
    so that every input keeps its bytes."""

    def __init__(self, folder: Path, inputs: Inputs, writer: ReportWriter | None) -> None:
        self.folder = folder
        self.inputs = inputs
        self.writer = writer
        self._taken: set[str] = set()

    def target(self, county: str) -> Path:
        stem = safe_file_stem(county, UNNAMED_COUNTY)
        candidate, n = stem, 1
        while not self._free(candidate):
            n += 1
            candidate = f"{stem}-{n}"
        self._taken.add(candidate.casefold())
        target = self.folder / f"{candidate}.xlsx"
        if target.parent != self.folder:  # cannot happen with a safe stem; never write outside
            raise ValueError(f"报告文件名 {target.name!r} 不在 {self.folder} 中")
        return target

    def _free(self, stem: str) -> bool:
        if stem.casefold() in self._taken:
            return False
        return self.inputs.find(self.folder / f"{stem}.xlsx") is None


def _write_report(reports: ReportFolder, county: CountyOutcome, result: Evaluation) -> None:
    """Write the county's report and record where it went (or why it could not be written)
    in its outcome and summary; one report failing stops nothing."""
    assert reports.writer is not None
    target = reports.target(county.county)
    try:
        reports.writer(result, target, [Path(f) for f in county.files])
    except OSError as exc:
        county.report_error = f"报告未能写入 {target}：{exc.strerror or exc}"
        county.summary["report_error"] = county.report_error
        return
    county.report = str(target)
    county.summary["report"] = county.report
