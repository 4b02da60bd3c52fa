"""Score many counties in one run (``run``): the files given (``paths``), read in a process
pool (``read``), each county's ranking line (``score``), its report (``reports``) and the
whole result (``result``)."""

from junheng_cli.workflows.batch.paths import expand_paths, folder_advice, shell_word
from junheng_cli.workflows.batch.read import StatsRead, read_all, read_stats_county
from junheng_cli.workflows.batch.reports import ReportFolder, ReportWriter
from junheng_cli.workflows.batch.result import BatchResult, CountyOutcome
from junheng_cli.workflows.batch.run import run_batch
from junheng_cli.workflows.batch.score import (
    BIGGEST_GAP_RULE,
    biggest_gap,
    county_summary,
    gap_needs,
)

__all__ = [
    "BIGGEST_GAP_RULE",
    "BatchResult",
    "CountyOutcome",
    "ReportFolder",
    "ReportWriter",
    "StatsRead",
    "biggest_gap",
    "county_summary",
    "expand_paths",
    "folder_advice",
    "gap_needs",
    "read_all",
    "read_stats_county",
    "run_batch",
    "shell_word",
]
