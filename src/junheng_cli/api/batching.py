"""Many counties at once: ``jh.batch([...])``."""

from __future__ import annotations

import os
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from junheng_cli.api.errors import InputError, boundary
from junheng_cli.api.sources import read_options
from junheng_cli.api.standards import load_standard
from junheng_cli.api.stats import InputKind, check_forms, stats_counties

if TYPE_CHECKING:
    import pandas as pd

    from junheng_cli.io.sheet_table import ReadOptions
    from junheng_cli.model.results import Evaluation
    from junheng_cli.standards.model import Standard
    from junheng_cli.workflows.batch import BatchResult, StatsRead


@dataclass
class Batched:
    """Every county evaluated: ``to_dict()`` is exactly ``junheng batch --format json``;
    ``frames()["ranking"]`` the ranking (Chinese headers, as the summary workbook shows)."""

    result: BatchResult

    @property
    def counties(self) -> list[dict[str, Any]]:
        """One summary per county (as in the document)."""
        return [c.summary for c in self.result.counties]

    def to_dict(self) -> dict[str, Any]:
        from junheng_cli.report.json.batch import batch_document

        return batch_document(self.result)

    def frames(self) -> dict[str, pd.DataFrame]:
        from junheng_cli.report.frames.batch import ranking_frame

        return {"ranking": ranking_frame(self.result)}

    def __repr__(self) -> str:
        return f"<Batched {len(self.result.counties)} 个县>"


@dataclass(frozen=True)
class Counties:
    """What a batch reads: county workbooks, or county folders of statistics exports."""

    files: list[Path]
    stats: StatsRead | None


def find_counties(
    paths: Sequence[str | os.PathLike[str]],
    kind: InputKind,
    forms: Path | None = None,
    group_by: str | None = None,
) -> Counties:
    """The counties of ``paths`` (folders, wildcards, files; or statistics folders)."""
    from junheng_cli.workflows.batch import StatsRead, expand_paths

    counties = stats_counties(list(paths), kind)
    if counties is not None:
        if group_by:
            raise InputError(
                "--group-by 用于按县分组的一个大工作簿，不能与各县的统计报表文件夹一起用"
            )
        check_forms(forms)
        return Counties(counties, StatsRead(forms))
    files = expand_paths([str(p) for p in paths])
    if not files:
        raise InputError("没有找到任何工作簿（.xlsx .xlsm .xls .ods .csv）")
    return Counties(files, None)


def run_counties(
    counties: Counties,
    standard: Standard,
    options: ReadOptions,
    *,
    skip_invalid: bool = False,
    reports_dir: Path | None = None,
    jobs: int | None = None,
    progress: Callable[[], None] | None = None,
    detail: bool = True,
    protected: Sequence[Path] = (),
) -> Batched:
    """Evaluate every county; ``reports_dir``: one xlsx report per county there."""
    from junheng_cli.workflows.batch import run_batch

    result = run_batch(
        counties.files,
        standard,
        options,
        skip_invalid,
        reports_dir,
        jobs,
        progress,
        detail=detail,
        protected=protected,
        stats=counties.stats,
        write_report=_write_report,
    )
    return Batched(result)


def _write_report(evaluation: Evaluation, target: Path, files: list[Path]) -> None:
    """One county's xlsx report (openpyxl is loaded only when a report is written)."""
    from junheng_cli.report.xlsx.evaluation import write_xlsx

    write_xlsx(evaluation, target, files)


@boundary
def batch(
    paths: Sequence[str | os.PathLike[str]],
    standard: str | os.PathLike[str] | Standard = "basic-2012",
    *,
    group_by: str | None = None,
    skip_invalid: bool = False,
    jobs: int | None = None,
    reports_dir: str | os.PathLike[str] | None = None,
    sheet: Sequence[str] | str | None = None,
    header_rows: str | None = None,
    columns: str | os.PathLike[str] | None = None,
    input_kind: str = "auto",
    forms: str | os.PathLike[str] | None = None,
) -> Batched:
    """Evaluate many counties: one workbook per county (folders and wildcards are expanded),
    one workbook split by the ``group_by`` column, or statistics folders (one per county)."""
    from junheng_cli.io.outputs import prepare_output_folder

    if isinstance(paths, str | os.PathLike):
        paths = [paths]
    forms_dir = None if forms is None else Path(forms)
    counties = find_counties(paths, InputKind(input_kind), forms_dir, group_by)
    spec = load_standard(standard)
    options = read_options(sheet, header_rows, columns)
    if group_by:
        options = replace(options, group_by=group_by)
    folder = None if reports_dir is None else Path(reports_dir)
    if folder is not None:
        prepare_output_folder(folder, "--reports-dir 报告文件夹")
    return run_counties(
        counties, spec, options, skip_invalid=skip_invalid, reports_dir=folder, jobs=jobs
    )
