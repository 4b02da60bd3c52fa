"""Cells into clean columns: identity as text, quantities as numbers in the template's units;
unreadable, negative and fractional counts are findings.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from junheng_cli.compute.validate.base import CheckerBase
from junheng_cli.compute.validate.coercion import (
    as_text,
    is_empty_cell,
    plain_numbers,
    plain_value,
    split_column,
    to_numbers,
)
from junheng_cli.compute.validate.columns import IDENTITY, NORMALISED
from junheng_cli.io.sheet_table.tables import ROW, SOURCE
from junheng_cli.model.fields import FIELDS

# A count is whole when it is within a few units in the last place of a whole number: exact
# for anything typed (0.5 and 1e-320 are not whole), while the float noise of a unit
# conversion (1.2345 万册 × 10000) or of a formula's stored result is not an error.
WHOLE_SLACK = 4 * np.finfo(np.float64).eps


class Cleaning(CheckerBase):
    def clean(self) -> pd.DataFrame:
        raw = self._with_required_columns(self.table.frame)
        columns: dict[str, pd.Series] = {ROW: raw[ROW], SOURCE: raw[SOURCE]}
        for name in IDENTITY:
            if name in raw:
                columns[name] = as_text(
                    raw[name], normalise=name in NORMALISED, distinct=name == "code"
                )
            else:
                columns[name] = pd.Series("", index=raw.index, dtype=object)
        columns["type"] = self._type_names(columns["type"])
        for name in raw.columns:
            if name not in IDENTITY and not name.startswith("_"):  # _row, _source, _group
                columns[name] = self._numbers(raw, name)
        self._formulas()
        return pd.concat(columns, axis=1)  # side by side: no copy into one block

    def _type_names(self, types: pd.Series) -> pd.Series:
        """A school type's other names (aliases) → its name, looked up once per distinct text."""
        lookup = self.standard.type_lookup()
        codes, distinct = pd.factorize(types.to_numpy(dtype=object))
        names = np.array([*(lookup.get(t, t) for t in distinct), ""], dtype=object)
        return pd.Series(names[codes], index=types.index, dtype=object)

    def _with_required_columns(self, raw: pd.DataFrame) -> pd.DataFrame:
        """Every required column, empty where no sheet has it (only when every sheet that
        lacks it is broken and left unchecked)."""
        absent = [c.name for c in self.required if c.name not in raw and c.name not in IDENTITY]
        return raw.assign(**dict.fromkeys(absent, None)) if absent else raw

    def _factor(self, raw: pd.DataFrame, name: str) -> np.ndarray | None:
        """Each row's unit factor for the column (万册 → 册 …); None when every sheet's header
        is in the template's unit."""
        factors = [
            s.sources[name].match.factor if name in s.sources else 1.0 for s in self.table.sheets
        ]
        if all(f == 1.0 for f in factors):
            return None
        return np.array(factors, dtype="float64")[raw[SOURCE].to_numpy()]

    def _numbers(self, raw: pd.DataFrame, name: str) -> pd.Series:
        cells = raw[name]
        values = plain_numbers(cells)
        if values is None:
            values = to_numbers(cells)
            missing = values.isna()
            bad = missing.copy()
            bad[missing] = ~is_empty_cell(cells[missing])  # only the cells that did not parse
            for source, row, cell in self.rows_of(raw, bad, name):
                self.add("E_NOT_NUMBER", source, name, row, cell, "数字")
                self.unreadable.add((source, row, name))
        typed = values.to_numpy(dtype="float64")
        negative = typed < 0
        converted = typed
        if negative.any():
            for source, row, value in self.rows_of(raw.assign(**{name: values}), negative, name):
                self.add("E_NEGATIVE", source, name, row, plain_value(value), "≥ 0")
                self.unreadable.add((source, row, name))
            converted = np.where(negative, np.nan, typed)
        factor = self._factor(raw, name)
        if factor is not None:  # × 1.0 changes nothing: only other units are multiplied
            converted = converted * factor
        if FIELDS[split_column(name)[0]].kind == "count":
            return self._whole_numbers(raw, name, typed, factor, converted)
        return pd.Series(converted, index=raw.index)

    def _whole_numbers(
        self,
        raw: pd.DataFrame,
        name: str,
        typed: np.ndarray,
        factor: np.ndarray | None,
        converted: np.ndarray,
    ) -> pd.Series:
        """People, books, computers, rooms and classes are whole numbers: any other value is
        E_NOT_INTEGER at its cell (after the header's unit is applied: 1.23456 万册 is
        12,345.6 册). Whole values are returned exactly whole (conversion noise removed)."""
        rounded = np.round(converted)
        with np.errstate(invalid="ignore"):
            fraction = np.abs(converted - rounded) > WHOLE_SLACK * np.abs(converted)
        if not fraction.any():
            return pd.Series(rounded, index=raw.index)
        picked = raw.assign(
            _typed=typed, _factor=1.0 if factor is None else factor, _count=converted
        )
        unit = FIELDS[split_column(name)[0]].unit
        for source, row, value, by, count in self.rows_of(
            picked, fraction, "_typed", "_factor", "_count"
        ):
            converted_zh = converted_en = ""
            if by != 1.0:
                header_unit = self.table.sheets[source].sources[name].match.unit
                converted_zh = f"（表头单位为{header_unit}，换算为 {count:,} {unit}）"
                converted_en = f" (in {header_unit}: {count:,} {unit})"
            self.add(
                "E_NOT_INTEGER",
                source,
                name,
                row,
                plain_value(value),
                "整数",
                converted_zh=converted_zh,
                converted_en=converted_en,
            )
            self.unreadable.add((source, row, name))
        return pd.Series(np.where(fraction, converted, rounded), index=raw.index)

    def _formulas(self) -> None:
        for source, sheet in enumerate(self.table.sheets):
            for row, name in sorted(sheet.uncached_formulas):
                self.add("E_FORMULA_NO_VALUE", source, name, row, None, "公式的计算结果")
                self.unreadable.add((source, row, name))
            for (row, name), error in sorted(sheet.error_cells.items()):
                self.add("E_ERROR_VALUE", source, name, row, error, "数字")
                self.unreadable.add((source, row, name))
