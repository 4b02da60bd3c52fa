"""Cells as the validator reads them: text stripped and folded, numbers parsed column-wise (plain
decimals only, empty markers such as — or 无), and the short forms a finding prints.
"""

from __future__ import annotations

import re
import unicodedata
from typing import Any

import numpy as np
import pandas as pd

from junheng_cli.model.fields import FIELDS, MAX_VALUE, Level

EMPTY_MARKERS = frozenset({"", "—", "——", "-", "--", "–", "/", "无", "空"})


def split_column(name: str) -> tuple[str, Level | None]:
    for level in Level:
        suffix = f"_{level.value}"
        if name.endswith(suffix) and name.removesuffix(suffix) in FIELDS:
            return name.removesuffix(suffix), level
    return name, None


def template_header(column: str) -> str:
    field_id, level = split_column(column)
    return FIELDS[field_id].header_for(level) if field_id in FIELDS else column


# Python's \s with the Unicode spaces NFKC leaves, spelled out so that pyarrow's regex
# engine (ASCII \s) removes the same characters.
WHITESPACE = r"[\s\x1c-\x1f\x85\u2028\u2029]+"


def as_text(cells: pd.Series, normalise: bool = False) -> pd.Series:
    """Cells as stripped text ('' when empty); ``normalise`` also folds full-width forms."""
    array = cells.to_numpy(dtype=object)
    if pd.api.types.infer_dtype(array, skipna=True) == "string":  # text only: column-wise
        text = pd.Series(array, index=cells.index, dtype="string").str.strip()
        if normalise:
            text = text.str.normalize("NFKC").str.replace(WHITESPACE, "", regex=True)
        return text.fillna("").astype(object)

    def one(cell: object) -> str:
        if cell is None or (isinstance(cell, float) and np.isnan(cell)):
            return ""
        if isinstance(cell, float) and cell.is_integer():
            return str(int(cell))
        text = str(cell).strip()
        return re.sub(WHITESPACE, "", unicodedata.normalize("NFKC", text)) if normalise else text

    return cells.map(one).astype(object)


_cell_kind = np.frompyfunc(
    lambda c: 2 if c is True or c is False else 1 if c.__class__ is str else 0, 1, 1
)


NUMBER_KINDS = frozenset({"empty", "floating", "integer", "mixed-integer-float"})


def plain_numbers(cells: pd.Series) -> pd.Series | None:
    """The cells as float64 when they are only numbers and empty cells, the common case;
    None when some cell needs a closer look (text, TRUE/FALSE, a value out of range)."""
    array = cells.to_numpy(dtype=object)
    if pd.api.types.infer_dtype(array, skipna=True) not in NUMBER_KINDS:
        return None
    numbers = pd.to_numeric(array).astype("float64")
    present = numbers[~np.isnan(numbers)]
    if not (np.isfinite(present).all() and (np.abs(present) < MAX_VALUE).all()):
        return None
    return pd.Series(numbers, index=cells.index)


def to_numbers(cells: pd.Series) -> pd.Series:
    """Cells as float64; NaN where empty or unreadable. Number cells go through in one
    vectorised pass; text cells are read as plain decimals only ("1,234.5", full-width
    digits), column-wise: "1e5", "inf" or "0x10" typed as text are not numbers."""
    array = cells.to_numpy(dtype=object)
    kinds = _cell_kind(array).astype(np.int8)
    plain = np.where(kinds == 0, array, None)
    values = pd.Series(pd.to_numeric(plain, errors="coerce"), index=cells.index, dtype="float64")
    text = (kinds == 1) & (array != "")
    if text.any():
        values[text] = _text_numbers(pd.Series(array[text], dtype=object)).to_numpy()
    return values.where(np.isfinite(values) & (values.abs() < MAX_VALUE))


def _text_numbers(texts: pd.Series) -> pd.Series:
    """The vectorised form of ``_clean_number_text``: NaN for empty markers and non-numbers."""
    cleaned = (
        texts.str.normalize("NFKC")
        .str.strip()
        .str.replace(",", "", regex=False)
        .str.replace(" ", "", regex=False)
    )
    decimal = cleaned.str.fullmatch(PLAIN_DECIMAL).fillna(False).astype(bool)
    return pd.to_numeric(cleaned.where(decimal), errors="coerce").astype("float64")


PLAIN_DECIMAL = r"[+-]?(?:\d+\.?\d*|\.\d+)"


def _clean_number_text(text: str) -> str | None:
    cleaned = unicodedata.normalize("NFKC", text).strip().replace(",", "").replace(" ", "")
    if cleaned in EMPTY_MARKERS:
        return None
    # plain decimal numbers only ("nan", "inf", hex are not numbers)
    return cleaned if re.fullmatch(PLAIN_DECIMAL, cleaned) else "x"


def is_empty_cell(cells: pd.Series) -> pd.Series:
    """None, NaN, blank text or an empty marker (—, -, /, 无)."""
    return cells.map(
        lambda c: (
            c is None
            or (isinstance(c, float) and np.isnan(c))
            or (isinstance(c, str) and _clean_number_text(c) is None)
        )
    )


def plain_value(value: Any) -> float | int | None:
    if value is None or pd.isna(value):
        return None
    return int(value) if float(value).is_integer() else float(value)


def short_number(value: float) -> str:
    if value == 0 or abs(value) >= 100:
        return f"{value:,.0f}"
    if abs(value) >= 1:
        return f"{value:,.2f}"
    return f"{value:.4g}"
