"""The county-level items an analyst enters (县级指标 sheets or a YAML file), against their
thresholds.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from junheng_cli.io.cells import Sheet
from junheng_cli.io.side_tables import CountyValue, read_county_sheet, read_county_yaml
from junheng_cli.model.findings import Finding
from junheng_cli.model.government_results import CountyItemResult
from junheng_cli.standards.model import Standard


def _percent_finding(name: str, given: CountyValue) -> Finding:
    return Finding(
        "W_COUNTY_PERCENT",
        given.file,
        given.sheet,
        given.row,
        given.column,
        name,
        None,
        given.value,
        "百分数",
    )


def county_items(
    standard: Standard, sheets: Sequence[Sheet], extra_file: Path | None = None
) -> tuple[list[CountyItemResult], list[Finding]]:
    """The county-level items from 县级指标 sheets and, on top, an extra YAML file."""
    values: dict[str, CountyValue] = {}
    findings: list[Finding] = []
    if not standard.county_items:
        return [], []
    for sheet in sheets:
        found, problems = read_county_sheet(sheet, standard.county_items)
        values.update(found)
        findings += problems
    if extra_file is not None:
        values.update(read_county_yaml(extra_file, standard.county_items))
    results = []
    for item in standard.county_items:
        given = values.get(item.id)
        value = None if given is None else given.value
        if value is not None and item.unit == "%" and 0 < value <= 1:
            # Excel stores 96.2% as 0.962; no percentage item has a threshold of 1% or less
            value *= 100
            findings.append(_percent_finding(item.name, given))
        passed = None
        if value is not None:
            passed = (item.min is None or value >= item.min) and (
                item.max is None or value <= item.max
            )
        results.append(
            CountyItemResult(
                item.id,
                item.name,
                item.unit,
                item.min,
                item.max,
                value,
                passed,
                None if given is None else given.where,
            )
        )
    return results, findings
