"""The JSON documents of a check without a verdict: ``junheng validate --format json``, an
evaluation stopped by data errors, and a county whose statistics exports could not be imported.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from junheng_cli.compute.origins import sheet_infos
from junheng_cli.report.json import envelope, error_document, findings_list, sources_list
from junheng_cli.report.output import with_import

if TYPE_CHECKING:
    from junheng_cli.compute.validate import ValidatedTable
    from junheng_cli.io.stats.result import StatsImport
    from junheng_cli.model.findings import Finding
    from junheng_cli.standards.model import Standard


def validation_document(
    standard: Standard, validated: ValidatedTable, lang: str = "zh"
) -> dict[str, Any]:
    """``junheng validate --format json``: where the rows came from, how many of each kind,
    and every finding."""
    table = validated.table
    document = envelope(
        "validation",
        standard,
        sources=sources_list(sheet_infos(table)),
        rows={
            "read": table.rows_read,
            "schools": len(table.frame),
            "blank": table.blank_rows,
            "total": table.total_rows,
            "notes": table.note_rows,
        },
        issues=findings_list(validated.findings, lang),
    )
    return with_import(document, table)


def data_errors_document(
    standard: Standard,
    validated: ValidatedTable,
    findings: list[Finding],
    lang: str = "zh",
    evaluable: list[str] | None = None,
) -> dict[str, Any]:
    """``junheng evaluate --format json`` when data errors stop the evaluation."""
    sources = sheet_infos(validated.table)
    document = error_document(standard, sources, findings, lang, evaluable)
    return with_import(document, validated.table)


def failed_import_document(
    kind: str, standard: Standard, imported: StatsImport, lang: str = "zh"
) -> dict[str, Any]:
    """A county whose statistics exports could not all be imported: the document of ``kind``
    (evaluation or validation) with nothing evaluated, and the import."""
    from junheng_cli.report.json.stats import import_document

    if kind == "validation":
        document = envelope("validation", standard, sources=[], rows=None, issues=[])
    else:
        document = error_document(standard, [], [], lang)
    return {**document, "stats_import": import_document(imported)}
