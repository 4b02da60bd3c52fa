"""The evaluation document's records of single schools: each unit with its checks, its gaps,
the 按规程 allowances it used, and the 政府保障程度 items counted per school."""

from __future__ import annotations

from typing import Any

from junheng_cli.model.government_results import ClassSizeCount, GovernmentResult
from junheng_cli.model.results import AllowanceUse, Check, SchoolGap, UnitResult
from junheng_cli.model.sources import Origin


def origin_fields(origin: Origin) -> dict[str, Any]:
    return {"file": origin.file, "sheet": origin.sheet, "row": origin.row}


def check_fields(check: Check) -> dict[str, Any]:
    """A school's value against one threshold, as the document and the API's frames name it."""
    return {
        "value": check.value,
        "threshold": check.threshold,
        "floor": check.floor,
        "status": check.status,
        "gap": check.gap,
        "gap_unit": check.gap_unit,
    }


def unit_record(unit: UnitResult) -> dict[str, Any]:
    return {
        "code": unit.code,
        "name": unit.name,
        "type": unit.type,
        "level": unit.level.value,
        "students": unit.students,
        "share": unit.share,
        "values": unit.values,
        "quantities": unit.quantities,
        **origin_fields(unit.origin),
        "passed": unit.passed,
        "met": unit.met,
        "checks": [
            {
                "indicator": c.indicator,
                **check_fields(c),
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


def gap_record(gap: SchoolGap) -> dict[str, Any]:
    return {
        "code": gap.code,
        "name": gap.name,
        "type": gap.type,
        "indicator": gap.indicator,
        "level": gap.level.value if gap.level else None,
        "amount": gap.amount,
        "unit": gap.unit,
        "what": gap.what,
        **origin_fields(gap.origin),
    }


def allowance_record(use: AllowanceUse) -> dict[str, Any]:
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


def government_record(result: GovernmentResult | None) -> dict[str, Any] | None:
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
                **origin_fields(c.origin),
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
