"""The JSON document: the contract scripts depend on. Later versions only add keys."""

from __future__ import annotations

import json
from dataclasses import asdict
from typing import Any

from junheng_cli import __version__
from junheng_cli.compute.headline import Headline, headline_of
from junheng_cli.model.findings import Finding
from junheng_cli.model.results import (
    AllowanceUse,
    ClassSizeCount,
    Evaluation,
    GovernmentResult,
    IndicatorResult,
    LevelInequality,
    LevelResult,
    Origin,
    SchoolGap,
    SheetInfo,
    UnitResult,
)
from junheng_cli.standards.model import ListedStandard, Standard


def envelope(kind: str, standard: Standard | dict[str, Any] | None, **body: Any) -> dict[str, Any]:
    """Every JSON document junheng writes opens with what it is, which junheng wrote it and the
    standard it applies (null where none does, as for ``standards``)."""
    if isinstance(standard, Standard):
        standard = _standard(standard)
    return {"kind": kind, "junheng_version": __version__, "standard": standard, **body}


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
        "schools": [_unit(unit) for unit in evaluation.units],
        "excluded": [
            {
                "code": e.code,
                "name": e.name,
                "type": e.type,
                "reason": e.reason,
                **_at(e.origin),
            }
            for e in evaluation.excluded
        ],
        "skipped": [
            {
                "code": s.code,
                "name": s.name,
                **_at(s.origin),
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
        "gaps": [_gap(g) for g in evaluation.gaps],
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
        "government": _government(evaluation.government),
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
        "allowances": [_allowance(a) for a in evaluation.allowance_uses],
        "issues": findings_list(evaluation.findings, lang),
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


def _allowance(use: AllowanceUse) -> dict[str, Any]:
    """按规程: a figure a 2019 规程 allowance changed, strict and allowed."""
    return {
        "code": use.code,
        "name": use.name,
        "level": use.level.value if use.level else None,
        "item": use.item,
        "rule": use.rule,
        "label": "按规程",
        "value": use.value,
        "strict_value": use.strict_value,
        "threshold": use.threshold,
        "strict_threshold": use.strict_threshold,
        "comparison": use.comparison,
        "passed": use.passed,
        "strict_passed": use.strict_passed,
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


def _government(result: GovernmentResult | None) -> dict[str, Any] | None:
    """None: the standard has no such items. Inside, None: 未提供 (no data)."""
    if result is None:
        return None
    return {
        "school_size": None
        if result.school_size is None
        else [
            {
                "code": c.code,
                "name": c.name,
                "type": c.type,
                "students": c.students,
                "limit": c.limit,
                "passed": c.passed,
                **_at(c.origin),
                **(
                    {"strict_limit": c.strict_limit, "allowance": c.allowance}
                    if c.allowance is not None
                    else {}
                ),
            }
            for c in result.school_size
        ],
        "class_size": None
        if result.class_levels is None
        else {
            "source": result.class_source,
            "levels": [_class_count(c) for c in result.class_levels],
            "schools": [_class_count(c) for c in result.class_schools],
        },
        "special_rooms": None
        if result.rooms is None
        else [
            {
                "code": r.code,
                "name": r.name,
                "classes": r.classes,
                "required": r.required,
                "rooms": r.rooms,
                "passed": r.passed,
            }
            for r in result.rooms
        ],
        "room_areas": None
        if result.room_areas is None
        else [
            {
                "code": r.code,
                "name": r.name,
                "field": r.field,
                "area": r.area,
                "min_area": r.min_area,
                "strict_min_area": r.strict_min_area,
                "passed": r.passed,
                "strict_passed": r.strict_passed,
                "allowance": r.allowance,
            }
            for r in result.room_areas
        ],
    }


def _class_count(c: ClassSizeCount) -> dict[str, Any]:
    return {
        **({"code": c.code, "name": c.name} if c.name else {}),
        "level": c.level.value,
        "classes": c.classes,
        "large": c.large,
        "huge": c.huge,
        "large_share": c.large_share,
        "huge_share": c.huge_share,
        "over_limit": c.over_limit,
        "limit": c.limit,
    }


def _standard(standard: Standard) -> dict[str, Any]:
    return {
        "id": standard.id,
        "name": standard.name,
        "version": standard.version,
        "extends": standard.extends,
        "example": standard.example,
    }


def _gap(gap: SchoolGap) -> dict[str, Any]:
    return {
        "code": gap.code,
        "name": gap.name,
        "type": gap.type,
        "indicator": gap.indicator,
        "level": gap.level.value if gap.level else None,
        "amount": gap.amount,
        "unit": gap.unit,
        "what": gap.what,
        **_at(gap.origin),
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


def _at(origin: Origin) -> dict[str, Any]:
    return {"file": origin.file, "sheet": origin.sheet, "row": origin.row}


def findings_list(findings: list[Finding], lang: str = "zh") -> list[dict[str, Any]]:
    return [f.to_dict(lang) for f in findings]


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


def _unit(unit: UnitResult) -> dict[str, Any]:
    return {
        "code": unit.code,
        "name": unit.name,
        "type": unit.type,
        "level": unit.level.value,
        "students": unit.students,
        "share": unit.share,
        "values": unit.values,
        "quantities": unit.quantities,
        **_at(unit.origin),
        "passed": unit.passed,
        "met": unit.met,
        "checks": [
            {
                "indicator": c.indicator,
                "value": c.value,
                "threshold": c.threshold,
                "floor": c.floor,
                "status": c.status,
                "gap": c.gap,
                "gap_unit": c.gap_unit,
                **(
                    {
                        "strict_value": c.strict_value,
                        "strict_status": c.strict_status,
                        "allowance": c.allowance,
                    }
                    if c.allowance is not None
                    else {}
                ),
            }
            for c in unit.checks
        ],
    }


def to_json(document: dict[str, Any]) -> str:
    return json.dumps(document, ensure_ascii=False, indent=2, allow_nan=False) + "\n"


def standards_document(listed: list[ListedStandard]) -> dict[str, Any]:
    """``junheng standards --format json``: every standard file on the search path."""
    entries = []
    for entry in listed:
        loaded = entry.loaded
        ok = not isinstance(loaded, Exception)
        entries.append(
            {
                "id": entry.file.id,
                "aliases": list(loaded.aliases) if ok else list(entry.file.aliases),
                "name": loaded.name if ok else None,
                "version": loaded.version if ok else None,
                "example": loaded.example if ok else None,
                "origin": entry.file.origin,
                "path": str(entry.file.path),
                "used": entry.used,
                "note": entry.note,
                "error": None if ok else str(loaded),
            }
        )
    return envelope("standards", None, standards=entries)
