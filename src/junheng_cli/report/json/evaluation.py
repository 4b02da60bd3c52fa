"""The evaluation's JSON document: the contract scripts depend on. Later versions only add
keys."""

from __future__ import annotations

from dataclasses import asdict
from typing import Any

from junheng_cli.compute.headline import Headline, headline_of
from junheng_cli.model.findings import Finding
from junheng_cli.model.inequality_results import LevelInequality
from junheng_cli.model.results import Evaluation, IndicatorResult, LevelResult
from junheng_cli.model.sources import SheetInfo
from junheng_cli.report.json.envelope import envelope
from junheng_cli.report.json.schools import (
    allowance_record,
    gap_record,
    government_record,
    origin_fields,
    unit_record,
)
from junheng_cli.standards.model import Standard


def evaluation_document(evaluation: Evaluation, lang: str = "zh") -> dict[str, Any]:
    standard = evaluation.standard
    account = evaluation.account
    return {
        **envelope("evaluation", standard),
        "sources": sources_list(evaluation.sources),
        "unused_sheets": [{"file": f, "sheet": n} for f, n in evaluation.unused_sheets],
        "passed": evaluation.passed,
        "summary": summary_document(headline_of(evaluation)),
        "partial": evaluation.partial,
        # --indicators: the indicators evaluated (no verdict); null: the standard's full set
        "indicators_evaluated": evaluation.indicator_subset,
        "scope_notes": evaluation.scope_notes,
        "levels": [_level(level) for level in evaluation.levels],
        "schools": [unit_record(unit) for unit in evaluation.units],
        "excluded": [
            {
                "code": e.code,
                "name": e.name,
                "type": e.type,
                "reason": e.reason,
                **origin_fields(e.origin),
            }
            for e in evaluation.excluded
        ],
        "skipped": [
            {
                "code": s.code,
                "name": s.name,
                **origin_fields(s.origin),
                "errors": [f.message(lang) for f in s.findings],
            }
            for s in evaluation.skipped
        ],
        "rows": {
            "read": account.rows_read,
            "evaluated": account.evaluated,
            "excluded": account.excluded,
            "skipped": account.skipped,
            "blank": account.blank,
            "total": account.total,
            "notes": account.notes,
        },
        "gaps": [gap_record(g) for g in evaluation.gaps],
        "gap_totals": [
            {
                "indicator": t.indicator,
                "name": t.name,
                "what": t.what,
                "unit": t.unit,
                "amount": t.amount,
                "schools": t.schools,
            }
            for t in evaluation.gap_totals
        ],
        "government": government_record(evaluation.government),
        "county_items": [
            {
                "id": i.id,
                "name": i.name,
                "unit": i.unit,
                "min": i.min,
                "max": i.max,
                "value": i.value,
                "passed": i.passed,
                "source": i.source,
            }
            for i in evaluation.county_items
        ],
        "inequality": [_inequality(level) for level in evaluation.inequality],
        "allowances": [allowance_record(a) for a in evaluation.allowance_uses],
        "issues": findings_list(evaluation.findings, lang),
    }


def error_document(
    standard: Standard,
    sources: list[SheetInfo],
    findings: list[Finding],
    lang: str = "zh",
    evaluable: list[str] | None = None,
) -> dict[str, Any]:
    """The document when data errors stop the evaluation: same keys, no verdict.
    ``evaluable``: with columns missing, the indicators whose columns are all there."""
    return {
        **envelope("evaluation", standard),
        "sources": sources_list(sources),
        "passed": None,
        "partial": False,
        "indicators_evaluated": None,
        "scope_notes": [],
        "levels": [],
        "schools": [],
        "excluded": [],
        "skipped": [],
        "rows": None,
        "gaps": [],
        "gap_totals": [],
        "government": None,
        "county_items": [],
        "inequality": [],
        "allowances": [],
        "evaluable_indicators": evaluable,
        "issues": findings_list(findings, lang),
    }


def summary_document(headline: Headline) -> dict[str, Any]:
    """The headline and the bill as data: the same figures the reports print first."""
    return {
        "headline": headline.sentences,
        "verdict": headline.verdict,
        "bill_text": headline.bill_text,
        "passed": headline.passed,
        "levels": [
            {
                "level": line.level,
                "name": line.name,
                "units": line.units,
                "passed": line.passed,
                "schools_failed": line.schools_failed,
                "cv_over": [asdict(c) for c in line.cv_over],
            }
            for line in headline.levels
        ],
        "other_failing": headline.other_failing,
        "bill": [asdict(b) for b in headline.bill],
        "worst_schools": [asdict(w) for w in headline.worst],
        "worst_rule": headline.worst_rule,
    }


def sources_list(sources: list[SheetInfo]) -> list[dict[str, Any]]:
    return [
        {
            "file": s.file,
            "sheet": s.sheet,
            "header_rows": list(s.header_rows),
            "rows_read": s.rows_read,
            "ignored_headers": [{"column": c, "header": h} for c, h in s.ignored_headers],
        }
        for s in sources
    ]


def findings_list(findings: list[Finding], lang: str = "zh") -> list[dict[str, Any]]:
    return [f.to_dict(lang) for f in findings]


def _level(level: LevelResult) -> dict[str, Any]:
    return {
        "level": level.level.value,
        "name": level.name,
        "schools": level.schools,
        "students": level.students,
        "indicators": [_indicator(i) for i in level.indicators],
        "composite_cv": level.composite_cv,
        "composite_limit": level.composite_limit,
        "passed": level.passed,
        "cv_passed": level.cv_passed,
        "schools_passed": level.schools_passed,
        "schools_failed": level.schools_failed,
    }


def _indicator(indicator: IndicatorResult) -> dict[str, Any]:
    return {
        "id": indicator.id,
        "name": indicator.name,
        "unit": indicator.unit,
        "mean": indicator.mean,
        "sd": indicator.sd,
        "cv": indicator.cv,
        "limit": indicator.limit,
        "passed": indicator.passed,
        "top_contributors": [
            {
                "code": c.code,
                "name": c.name,
                "value": c.value,
                "variance_share": c.variance_share,
                "above_mean": c.above_mean,
            }
            for c in indicator.contributors
        ],
        "fix_first": [
            {
                "code": f.code,
                "name": f.name,
                "before": f.before,
                "after": f.after,
                "amount": f.amount,
                "unit": f.unit,
                "cv_after": f.cv_after,
            }
            for f in indicator.fix_first
        ],
    }


def _inequality(level: LevelInequality) -> dict[str, Any]:
    """Theil decomposition per grouping; ``available`` False: 未提供 (no such column)."""
    return {
        "level": level.level.value,
        "name": level.name,
        "groupings": [
            {
                "field": g.field,
                "name": g.name,
                "available": g.available,
                "unfilled": g.unfilled,
                "indicators": [
                    {
                        "id": s.indicator,
                        "name": s.name,
                        "theil": s.theil,
                        "between": s.between,
                        "within": s.within,
                        "between_share": s.between_share,
                        "mainly_between": s.mainly_between,
                        "groups": [
                            {
                                "name": group.name,
                                "units": group.units,
                                "students": group.students,
                                "mean": group.mean,
                                "theil": group.theil,
                            }
                            for group in s.groups
                        ],
                    }
                    for s in g.indicators
                ],
            }
            for g in level.groupings
        ],
    }
