"""Reading the counties of a batch: one file (or one folder of statistics exports) per
county, in a process pool when there are many, and a file that fails in any way comes back
as its error."""

from __future__ import annotations

import contextlib
import os
from collections.abc import Iterator
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass
from pathlib import Path

from junheng_cli.io.cells import ReadError
from junheng_cli.io.collector import collector_paused
from junheng_cli.io.sheet_table import ReadOptions, SchoolTable, read_school_table

MIN_FILES_FOR_POOL = 8  # below this, starting worker processes costs more than it saves
# Without --jobs, a pool only where it pays: each table read in a worker is pickled back
# (about as long as reading it again with the Arrow reader), so with two cores one process
# is faster, and small files are read faster than a pool starts.
MIN_CORES_FOR_POOL = 3
MIN_BYTES_FOR_POOL = 64 * 2**20


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
        with collector_paused():  # a Python object per cell: no cycles, many collections
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
    workers = jobs if jobs is not None else _default_workers(files, stats)
    enough = 2 if stats is not None else MIN_FILES_FOR_POOL
    if workers <= 1 or len(files) < enough:
        for path in files:
            yield path, _read_file(str(path), options, stats)
        return
    yield from _read_in_pool(files, options, workers, stats)


def _default_workers(files: list[Path], stats: StatsRead | None) -> int:
    """Worker processes when --jobs is not given: one per core where a pool pays (county
    folders of statistics exports always: each is hundreds of workbooks), else one."""
    cores = os.cpu_count() or 1
    if stats is not None:
        return min(cores, len(files))
    if cores < MIN_CORES_FOR_POOL or len(files) < MIN_FILES_FOR_POOL:
        return 1
    size = 0
    for path in files:
        with contextlib.suppress(OSError):  # a file that cannot be opened fails when read
            size += path.stat().st_size
    return min(cores, len(files)) if size >= MIN_BYTES_FOR_POOL else 1


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
