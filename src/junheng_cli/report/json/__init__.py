"""The JSON documents: the contract scripts depend on. Later versions only add keys. Every
document opens with the envelope ``{kind, junheng_version, standard, …}``; one module per
command's document."""

from junheng_cli.report.json.envelope import envelope, to_json
from junheng_cli.report.json.evaluation import (
    error_document,
    evaluation_document,
    findings_list,
    sources_list,
    summary_document,
)
from junheng_cli.report.json.standards import standards_document

__all__ = [
    "envelope",
    "error_document",
    "evaluation_document",
    "findings_list",
    "sources_list",
    "standards_document",
    "summary_document",
    "to_json",
]
