"""The batch run as a JSON document: the ranking's summaries and every county's document."""

from __future__ import annotations

from typing import Any

from junheng_cli.report.json.envelope import envelope
from junheng_cli.report.json.evaluation import error_document, evaluation_document
from junheng_cli.workflows.batch import BIGGEST_GAP_RULE, BatchResult, CountyOutcome


def batch_document(result: BatchResult) -> dict[str, Any]:
    return envelope(
        "batch",
        result.standard,
        summary=[
            {"rank": rank if o.status == "scored" else None, **o.summary}
            for rank, o in enumerate(result.ranked(), start=1)
        ],
        biggest_gap_rule=BIGGEST_GAP_RULE,
        counties=[_document(o, result) for o in result.counties if o.result is not None],
        file_rows=result.file_rows,
    )


def _document(outcome: CountyOutcome, result: BatchResult) -> dict[str, Any]:
    if isinstance(outcome.result, list):
        return {"county": outcome.county, **error_document(result.standard, [], outcome.result)}
    assert outcome.result is not None
    return {"county": outcome.county, **evaluation_document(outcome.result)}
