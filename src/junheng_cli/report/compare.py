"""Re-exports of a comparison's report, which lives by format: ``terminal/compare.py``,
``json/compare.py``, ``frames/compare.py`` and ``xlsx/compare.py``. Kept for the imports of
the CLI and the tests; new code imports from those modules."""

from junheng_cli.report.frames.compare import (
    cv_frame,
    gap_totals_frame,
    membership_frame,
    school_changes_frame,
)
from junheng_cli.report.json.compare import comparison_document, comparison_json
from junheng_cli.report.terminal.compare import render_comparison
from junheng_cli.report.xlsx.compare import write_comparison_xlsx

__all__ = [
    "comparison_document",
    "comparison_json",
    "cv_frame",
    "gap_totals_frame",
    "membership_frame",
    "render_comparison",
    "school_changes_frame",
    "write_comparison_xlsx",
]
