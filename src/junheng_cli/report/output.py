"""What a command writes: the format an output's suffix names, and the writer for it.

Cheap to import (the writers are imported when used), so that the command line's option types
can come from here without loading pandas.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Any

from junheng_cli.errors import JunhengError

if TYPE_CHECKING:
    import pandas as pd

    from junheng_cli.io.sheet_table import SchoolTable
    from junheng_cli.model.results import Evaluation
    from junheng_cli.workflows.batch import BatchResult
    from junheng_cli.workflows.compare import Comparison


class OutputFormat(StrEnum):
    table = "table"
    json = "json"
    xlsx = "xlsx"
    csv = "csv"
    html = "html"


FILE_FORMATS = (OutputFormat.json, OutputFormat.xlsx, OutputFormat.csv, OutputFormat.html)
BATCH_SUFFIXES = (".xlsx", ".json", ".csv")
COMPARE_SUFFIXES = (".xlsx", ".json")
PLAN_SUFFIXES = (".xlsx", ".json")
SCENARIO_SUFFIXES = (".yaml", ".yml")


class FormatError(JunhengError, ValueError):
    """The format asked for cannot be written where asked. The message is for the user."""


def report_format(chosen: OutputFormat | None, output: Path | None) -> OutputFormat:
    """The format asked for, or the one the output's suffix names (table without an output)."""
    if chosen is None:
        suffix = output.suffix.lower().lstrip(".") if output else ""
        chosen = OutputFormat(suffix) if suffix in {f.value for f in FILE_FORMATS} else None
        if chosen is None and output is not None:
            raise FormatError(
                f"无法从 {output.name} 判断报告格式：请用 --format xlsx|csv|html|json"
            )
        chosen = chosen or OutputFormat.table
    if chosen in FILE_FORMATS[1:] and output is None:
        raise FormatError(f"--format {chosen.value} 需要 --output 指定文件")
    if output is not None and chosen is OutputFormat.table:
        raise FormatError("table 格式只输出到终端；写文件请用 --format xlsx|csv|html|json")
    return chosen


def is_json(path: Path | None) -> bool:
    return path is not None and path.suffix.lower() == ".json"


def with_import(document: dict[str, Any], table: SchoolTable | None) -> dict[str, Any]:
    """A JSON document of a county read from statistics exports carries the import
    (``stats_import``: counts, skipped workbooks and why, missing figures)."""
    from junheng_cli.io.stats.importer import StatsSchoolTable

    if isinstance(table, StatsSchoolTable) and table.imported is not None:
        from junheng_cli.report.json.stats import import_document

        document["stats_import"] = import_document(table.imported)
    return document


def evaluation_dict(result: Evaluation, lang: str, table: SchoolTable | None) -> dict[str, Any]:
    """``junheng evaluate --format json``."""
    from junheng_cli.report.json import evaluation_document

    return with_import(evaluation_document(result, lang), table)


def write_json(output: Path, document: dict[str, Any]) -> None:
    from junheng_cli.io.write import write_text_atomic
    from junheng_cli.report.json import to_json

    write_text_atomic(output, to_json(document))


def write_evaluation(
    result: Evaluation,
    output_format: OutputFormat,
    output: Path,
    inputs: Sequence[Path],
    lang: str,
    table: SchoolTable | None = None,
) -> None:
    """The evaluation report as ``output_format`` (json, csv, html; xlsx otherwise)."""
    if output_format is OutputFormat.json:
        write_json(output, evaluation_dict(result, lang, table))
    elif output_format is OutputFormat.csv:
        from junheng_cli.report.csv import write_csv

        write_csv(result, output)
    elif output_format is OutputFormat.html:
        from junheng_cli.report.html import write_html

        write_html(result, output)
    else:
        from junheng_cli.report.xlsx.evaluation import write_xlsx

        write_xlsx(result, output, list(inputs))


def write_batch(result: BatchResult, output: Path) -> None:
    """The batch summary by suffix: .json (the document), .csv (the ranking), else .xlsx."""
    from junheng_cli.io.write import write_atomic
    from junheng_cli.report.frames.batch import ranking_frame
    from junheng_cli.report.json.batch import batch_document
    from junheng_cli.report.xlsx.batch import write_batch_xlsx

    suffix = output.suffix.lower()
    if suffix == ".json":
        write_json(output, batch_document(result))
    elif suffix == ".csv":
        frame = ranking_frame(result)
        write_atomic(output, lambda tmp: frame.to_csv(tmp, index=False, encoding="utf-8-sig"))
    else:
        write_batch_xlsx(result, output)


def write_comparison(comparison: Comparison, output: Path) -> None:
    """The comparison by suffix: .json (the document), else .xlsx with the trend charts."""
    from junheng_cli.report.json.compare import comparison_document
    from junheng_cli.report.xlsx.compare import write_comparison_xlsx

    if is_json(output):
        write_json(output, comparison_document(comparison))
    else:
        write_comparison_xlsx(comparison, output)


def write_document_or_frames(
    output: Path,
    document: Callable[[], dict[str, Any]],
    frames: Callable[[], dict[str, pd.DataFrame]],
) -> None:
    """A plan, transfers or scenario: .json (the document), else its tables as .xlsx."""
    if is_json(output):
        write_json(output, document())
    else:
        from junheng_cli.report.xlsx.plan import write_plan_xlsx

        write_plan_xlsx(frames(), output)
