"""Each county's report in the batch's report folder, under a safe and unique file name."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from junheng_cli.io.guard import Inputs, safe_file_stem
from junheng_cli.model.results import Evaluation
from junheng_cli.workflows.batch.result import CountyOutcome
from junheng_cli.workflows.files import numbered_stem

UNNAMED_COUNTY = "未命名县"  # the report's name for a county whose name leaves nothing safe

# writes one county's report: (evaluation, target, the county's input files)
ReportWriter = Callable[[Evaluation, Path, list[Path]], None]


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
        candidate = numbered_stem(stem, self._free)
        self._taken.add(candidate.casefold())
        target = self.folder / f"{candidate}.xlsx"
        if target.parent != self.folder:  # cannot happen with a safe stem; never write outside
            raise ValueError(f"报告文件名 {target.name!r} 不在 {self.folder} 中")
        return target

    def _free(self, stem: str) -> bool:
        if stem.casefold() in self._taken:
            return False
        return self.inputs.find(self.folder / f"{stem}.xlsx") is None


def write_county_report(reports: ReportFolder, county: CountyOutcome, result: Evaluation) -> None:
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
