"""Collecting school returns: find the returned workbooks (``folder``), read them
(``returns``), check every row (``check``), settle duplicates (``duplicates``) and schools the
roster names that never came back (``roster``), all accounted for in ``account``."""

from junheng_cli.workflows.collect.account import (
    ACCOUNT_SHEET,
    ATTENTION,
    FILE,
    FILE_ROW,
    MERGED_STATUSES,
    SHEET,
    SOURCE_COLUMNS,
    Collection,
    Entry,
    Status,
)
from junheng_cli.workflows.collect.duplicates import mark_duplicates, school_keys
from junheng_cli.workflows.collect.folder import files_to_collect, find_returns, is_collection
from junheng_cli.workflows.collect.returns import collect
from junheng_cli.workflows.collect.roster import missing_from_roster

__all__ = [
    "ACCOUNT_SHEET",
    "ATTENTION",
    "FILE",
    "FILE_ROW",
    "MERGED_STATUSES",
    "SHEET",
    "SOURCE_COLUMNS",
    "Collection",
    "Entry",
    "Status",
    "collect",
    "files_to_collect",
    "find_returns",
    "is_collection",
    "mark_duplicates",
    "missing_from_roster",
    "school_keys",
]
