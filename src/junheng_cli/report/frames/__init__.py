"""The reports' tables as DataFrames, shared by the xlsx, CSV and HTML writers: an
evaluation's (``evaluation``, ``inequality``), a comparison's, a plan's and a batch ranking's.
Numbers stay numbers here; formats are the writers' business."""

# The names this module had as report/frames.py (``*_table``), kept for code outside report/.
from junheng_cli.report.frames.evaluation import allowance_frame as allowance_table
from junheng_cli.report.frames.evaluation import cv_frame as cv_table
from junheng_cli.report.frames.evaluation import excluded_frame as excluded_table
from junheng_cli.report.frames.evaluation import findings_frame as findings_table
from junheng_cli.report.frames.evaluation import gap_frame as gap_table
from junheng_cli.report.frames.evaluation import gap_totals_frame as gap_totals_table
from junheng_cli.report.frames.evaluation import school_frame as school_table
from junheng_cli.report.frames.evaluation import summary_rows
from junheng_cli.report.frames.inequality import (
    BETWEEN_PLACE,
    WITHIN_PLACE,
    indicator_split,
    theil_notes,
    theil_sentence,
    where_sentence,
)
from junheng_cli.report.frames.inequality import theil_frame as theil_table
from junheng_cli.report.frames.inequality import theil_groups_frame as theil_groups_table

__all__ = [
    "BETWEEN_PLACE",
    "WITHIN_PLACE",
    "allowance_table",
    "cv_table",
    "excluded_table",
    "findings_table",
    "gap_table",
    "gap_totals_table",
    "indicator_split",
    "school_table",
    "summary_rows",
    "theil_groups_table",
    "theil_notes",
    "theil_sentence",
    "theil_table",
    "where_sentence",
]
