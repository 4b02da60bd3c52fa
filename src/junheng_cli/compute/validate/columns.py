"""The columns a standard needs, and which indicators a table's columns allow."""

from __future__ import annotations

import pandas as pd

from junheng_cli.compute.validate.coercion import as_text
from junheng_cli.io.sheet_table.tables import SchoolTable
from junheng_cli.model.fields import FIELDS, Column, Level
from junheng_cli.standards.model import Standard

IDENTITY = ("code", "name", "type", "township", "area_type", "ownership", "sponsor")
# categories and codes; names are kept as written
NORMALISED = ("code", "type", "area_type", "ownership", "sponsor")


def required_columns(standard: Standard, types: set[str] | None = None) -> list[Column]:
    """Columns the standard cannot do without. Students of a level are required only when a
    school type present (``types``; all of the standard's when unknown) has that level."""
    columns = [Column(FIELDS["name"]), Column(FIELDS["type"])]
    kinds = [t for n, t in standard.school_types.items() if types is None or n in types]
    levels = {lv for t in kinds if t.excluded is None for lv in t.levels}
    columns += [Column(FIELDS["students"], lv) for lv in Level if lv in levels]
    for quantity in standard.quantities():
        field = FIELDS[quantity]
        if field.per_level:
            columns += [Column(field, lv) for lv in standard.evaluated_levels]
        else:
            columns.append(Column(field))
    return columns


def evaluable_indicators(table: SchoolTable, standard: Standard) -> list[str]:
    """The ids of the indicators whose columns (with 学校名称, 学校类型 and the students) every
    sheet read has: what ``--indicators`` could evaluate when other columns are missing."""
    if not table.sheets:
        return []
    present = set.intersection(*(set(sheet.sources) for sheet in table.sheets))
    types = types_present(table, standard)
    return [
        ind.id
        for ind in standard.indicators
        if all(c.name in present for c in required_columns(standard.select([ind.id]), types))
    ]


def types_present(table: SchoolTable, standard: Standard) -> set[str] | None:
    if "type" not in table.frame:
        return None
    lookup = standard.type_lookup()
    kinds = pd.Series(pd.unique(table.frame["type"].to_numpy(dtype=object)), dtype=object)
    return {lookup.get(t, t) for t in as_text(kinds, normalise=True)}
