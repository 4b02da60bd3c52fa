"""What the plan and the transfers share: the evaluated schools as level units, where a
school's row is, and how an addition to an indicator is counted."""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from junheng_cli.compute.indicators import indicator_values, split_units
from junheng_cli.compute.validate import ValidatedTable
from junheng_cli.io.sheet_table import ROW, SOURCE
from junheng_cli.model.fields import FIELDS
from junheng_cli.model.results import Evaluation
from junheng_cli.model.sources import Origin
from junheng_cli.standards.indicators import Indicator
from junheng_cli.standards.model import Standard
from junheng_cli.workflows.scenario import MEASURE, short_name, target_field

LABEL = "_label"  # the row label of the school in the validated frame
KEEP = ["code", "name", "type", ROW, SOURCE, LABEL]


def evaluated_rows(validated: ValidatedTable, evaluation: Evaluation) -> pd.Series:
    """Which rows of the validated frame are evaluated units (not excluded, not skipped)."""
    frame = validated.frame
    sheets = validated.table.sheets
    files = np.array([s.file for s in sheets], dtype=object)
    names = np.array([s.sheet for s in sheets], dtype=object)
    source = frame[SOURCE].to_numpy(dtype=int)
    keys = pd.Series(
        list(zip(files[source], names[source], frame[ROW].astype(int), strict=True)),
        index=frame.index,
    )
    evaluated = {(u.origin.file, u.origin.sheet, u.origin.row) for u in evaluation.units}
    return keys.isin(evaluated)


def origin_of(validated: ValidatedTable, label: Any) -> Origin:
    sheet = validated.table.sheets[int(validated.frame.at[label, SOURCE])]
    return Origin(sheet.file, sheet.sheet, int(validated.frame.at[label, ROW]))


def level_units(schools: pd.DataFrame, standard: Standard) -> tuple[pd.DataFrame, pd.DataFrame]:
    keyed = schools.assign(**{LABEL: schools.index})
    units = split_units(keyed, standard, keep=KEEP)
    return units, indicator_values(units, standard.indicators)


def gap_spec(indicator: Indicator) -> tuple[str, float, str]:
    """(unit, step, what) of an addition: 名 / 1 / 县级以上骨干教师. Without a gap spec in the
    standard: whole units of the field (㎡, 元, 册, 台 …)."""
    if indicator.gap is not None:
        return indicator.gap.unit, indicator.gap.step, indicator.gap.what
    field = FIELDS[target_field(indicator)]
    return MEASURE.get(field.unit, field.unit), 1.0, short_name(field)


def text_or_blank(value: object) -> str:
    return value if isinstance(value, str) else ""
