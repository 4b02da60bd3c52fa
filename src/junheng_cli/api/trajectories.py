"""Where a county is heading, from three or more periods: ``jh.trajectory([...])`` (the module is
not ``api/trajectory.py``: a submodule of that name would hide the function ``trajectory``
from ``junheng_cli.api``, as ``compare`` lives in ``comparison``)."""

from __future__ import annotations

import os
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from junheng_cli.api.comparison import evaluate_period, period_labels
from junheng_cli.api.errors import InputError, boundary
from junheng_cli.api.evaluation import read_validated
from junheng_cli.api.standards import load_standard

if TYPE_CHECKING:
    import pandas as pd

    from junheng_cli.model.results import Evaluation
    from junheng_cli.standards.model import Standard
    from junheng_cli.workflows.trajectory import Trajectory

TRAJECTORY_SUFFIXES = (".xlsx", ".json", ".html")


@dataclass
class Projected:
    """A trajectory: ``to_dict()`` is exactly ``junheng trajectory --format json``."""

    trajectory: Trajectory

    @property
    def labels(self) -> list[str]:
        return self.trajectory.labels

    @property
    def all_pass(self) -> bool:
        """Every coefficient and failing school passes at its pace (by the target date, when
        one is given)."""
        projections = [c.projection for c in self.trajectory.cvs]
        projections += [s.projection for s in self.trajectory.schools]
        if self.trajectory.target is not None:
            return all(p.by_target for p in projections)
        return all(p.will_pass for p in projections)

    def to_dict(self) -> dict[str, Any]:
        from junheng_cli.report.json.trajectory import trajectory_document

        return trajectory_document(self.trajectory)

    def frames(self) -> dict[str, pd.DataFrame]:
        """cvs (each coefficient's pace and projection), schools (each failing school's
        indicators), periods — with Chinese headers, as the workbook shows them."""
        from junheng_cli.report.frames.trajectory import cv_frame, periods_frame, schools_frame

        return {
            "cvs": cv_frame(self.trajectory),
            "schools": schools_frame(self.trajectory),
            "periods": periods_frame(self.trajectory),
        }

    @boundary
    def write(self, path: str | os.PathLike[str]) -> Path:
        """The trajectory as .xlsx (with charts), .html or .json by the suffix, written
        atomically; an existing file is replaced, an input never."""
        from junheng_cli.io.guard import Inputs
        from junheng_cli.io.outputs import check_output

        target = Path(path)
        files = [Path(f) for p in self.trajectory.periods for f in p.files]
        check_output(target, Inputs().add_files("工作簿", *files), True, TRAJECTORY_SUFFIXES)
        write_trajectory(self.trajectory, target)
        return target

    def __repr__(self) -> str:
        return f"<Projected {'、'.join(self.labels)}>"


def write_trajectory(trajectory: Trajectory, target: Path) -> None:
    """By the suffix: .json (the document), .html (the page), else .xlsx (with charts)."""
    suffix = target.suffix.lower()
    if suffix == ".json":
        from junheng_cli.report.json.trajectory import trajectory_document
        from junheng_cli.report.output import write_json

        write_json(target, trajectory_document(trajectory))
    elif suffix == ".html":
        from junheng_cli.report.html.trajectory import write_trajectory_html

        write_trajectory_html(trajectory, target)
    else:
        from junheng_cli.report.xlsx.trajectory import write_trajectory_xlsx

        write_trajectory_xlsx(trajectory, target)


def trajectory_labels(
    sources: Sequence[Any], labels: str | Sequence[str] | None, target_date: str | None
) -> list[str]:
    """The periods' names (as ``compare`` names them); fewer than three, dates out of order
    or a target date that cannot be placed are refused before any period is read."""
    from junheng_cli.workflows.trajectory import check_count, check_dates

    check_count(len(sources))
    names = period_labels(sources, labels)
    check_dates(names, target_date)
    return names


def project_periods(
    periods: Sequence[tuple[str, Evaluation]], target_date: str | None
) -> Projected:
    from junheng_cli.workflows.trajectory import trajectory as build

    return Projected(build(periods, target_date=target_date))


@boundary
def trajectory(
    sources: Sequence[Any],
    standard: str | os.PathLike[str] | Standard = "basic-2012",
    *,
    target_date: str | None = None,
    labels: str | Sequence[str] | None = None,
    sheet: Sequence[str] | str | None = None,
    header_rows: str | None = None,
    columns: str | os.PathLike[str] | Mapping[str, str] | None = None,
    input_kind: str = "auto",
    forms: str | os.PathLike[str] | None = None,
) -> Projected:
    """From three or more periods, oldest first (workbook paths, statistics folders or
    DataFrames): each coefficient's and failing school's pace and the period in which it
    passes; ``labels`` name the periods and carry their dates (2026Q1, 2026-03, 2026年3月),
    default the file names; ``target_date`` (2027-09) says which will not pass by then."""
    if isinstance(sources, str | os.PathLike):
        raise InputError("trajectory 需要各期的列表：[第一期, 第二期, 第三期, …]")
    names = trajectory_labels(sources, labels, target_date)
    spec = load_standard(standard)
    periods = []
    for number, (label, source) in enumerate(zip(names, sources, strict=True), start=1):
        validated = read_validated(source, spec, sheet, header_rows, columns, input_kind, forms)
        periods.append((label, evaluate_period(number, label, source, validated, spec)))
    return project_periods(periods, target_date)
