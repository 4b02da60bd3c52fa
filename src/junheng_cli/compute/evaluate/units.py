"""One result object per level unit (a school, or one level of a mixed school)."""

from __future__ import annotations

import numpy as np
import pandas as pd

from junheng_cli.compute.indicators import LEVEL, SHARE, STUDENTS
from junheng_cli.compute.school_checks import SchoolJudgement
from junheng_cli.io.sheet_table.tables import ROW, SOURCE
from junheng_cli.model.fields import FIELDS, Level
from junheng_cli.model.results import UnitResult
from junheng_cli.model.sources import Origin

# what a level unit keeps of its school row
IDENTITY = ["code", "name", "type", "township", "area_type", ROW, SOURCE]


def build_unit_results(
    units: pd.DataFrame,
    values: pd.DataFrame,
    origins: list[Origin],
    judged: SchoolJudgement | None,
) -> list[UnitResult]:
    quantities = [
        q for q in FIELDS if q in units.columns and q != STUDENTS and FIELDS[q].kind != "text"
    ]
    value_rows = _float_rows(values)
    quantity_rows = _float_rows(units[quantities])
    codes, names, types = (units[c].astype(object).tolist() for c in ("code", "name", "type"))
    levels = [Level(v) for v in units[LEVEL].tolist()]
    students = units[STUDENTS].astype(int).tolist()
    shares = units[SHARE].astype(float).tolist()
    met = judged.met.astype(int).tolist() if judged is not None else None
    passed = judged.passed.astype(bool).tolist() if judged is not None else None
    results = []
    for i, (vals, qty) in enumerate(zip(value_rows, quantity_rows, strict=True)):
        extra = {}
        if judged is not None and met is not None and passed is not None:
            extra = {"checks": judged.checks[i], "met": met[i], "passed": passed[i]}
        results.append(
            UnitResult(
                code=codes[i],
                name=names[i],
                type=types[i],
                level=levels[i],
                students=students[i],
                share=shares[i],
                values=dict(zip(values.columns, vals, strict=True)),
                quantities={k: v for k, v in zip(quantities, qty, strict=True) if v is not None},
                origin=origins[i],
                **extra,
            )
        )
    return results


def _float_rows(frame: pd.DataFrame) -> list[list[float | None]]:
    """Rows as lists of Python floats, None for NaN."""
    return [
        [None if v != v else v for v in row]
        for row in frame.to_numpy(dtype=float, na_value=np.nan).tolist()
    ]
