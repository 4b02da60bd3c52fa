"""The per-school table as CSV: UTF-8 with BOM (so Excel shows Chinese), no timestamps."""

from __future__ import annotations

from pathlib import Path

from junheng_cli.io.write import write_atomic
from junheng_cli.model.results import Evaluation
from junheng_cli.report.frames.evaluation import school_frame
from junheng_cli.report.safe import csv_safe


def write_csv(evaluation: Evaluation, target: Path) -> None:
    frame = school_frame(evaluation)
    text_columns = frame.select_dtypes(include=["object", "string"]).columns
    frame[text_columns] = frame[text_columns].map(csv_safe)
    write_atomic(
        target,
        lambda tmp: frame.to_csv(tmp, index=False, encoding="utf-8-sig", lineterminator="\n"),
    )
