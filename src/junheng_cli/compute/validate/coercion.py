"""Cells as the validator reads them: text stripped and folded, numbers parsed column-wise (plain
decimals only, empty markers such as — or 无), and the short forms a finding prints.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from typing import Any

import numpy as np
import pandas as pd

from junheng_cli.compute.grouping import distinct_cells
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


_WHITESPACE = re.compile(WHITESPACE)
# what WHITESPACE matches in ASCII text (where NFKC changes nothing): deleted by translate
_ASCII_SPACES = str.maketrans(dict.fromkeys(" \t\n\r\x0b\x0c\x1c\x1d\x1e\x1f"))


def _text_of(cell: object, normalise: bool) -> str:
    if cell is None or cell is pd.NA or (isinstance(cell, float) and np.isnan(cell)):
        return ""
    if isinstance(cell, float) and cell.is_integer():
        return str(int(cell))
    text = str(cell)
    if not normalise:
        return text.strip()
    if text.isascii():
        return text.translate(_ASCII_SPACES)
    return _WHITESPACE.sub("", unicodedata.normalize("NFKC", text.strip()))


def as_text(cells: pd.Series, normalise: bool = False, distinct: bool = False) -> pd.Series:
    """Cells as stripped text ('' when empty); ``normalise`` also folds full-width forms and
    removes every space. A text column is done once per distinct value (a school type, a
    township or an area repeats on every row). ``distinct``: the cells are mostly different
    (school codes), and a column of text already as it should be is taken as it is, without
    numbering its values first."""
    if distinct:
        array = cells.to_numpy(dtype=object)
        if _text_as_it_is(array, normalise):
            return pd.Series(array, index=cells.index, dtype=object)
    found = distinct_cells(cells)
    if found is None:  # numbers among the text: each cell on its own
        return pd.Series(
            [_text_of(cell, normalise) for cell in cells.to_numpy(dtype=object)],
            index=cells.index,
            dtype=object,
        )
    codes, distinct = found
    if _all_as_they_are(distinct, normalise):  # codes, names: one check over all the text
        texts = np.array([*distinct, ""], dtype=object)
    else:
        texts = np.array([*(_text_of(v, normalise) for v in distinct), ""], dtype=object)
    return pd.Series(texts[codes], index=cells.index, dtype=object)  # code -1 (empty) → ''


def _text_as_it_is(array: np.ndarray, normalise: bool) -> bool:
    """Whether every cell is text (no empty cell, no number) that ``_text_of`` leaves as
    it is."""
    if pd.api.types.infer_dtype(array, skipna=False) != "string":
        return False
    return _all_as_they_are(array.tolist(), normalise)


_ASCII_SPACE = re.compile("[ \t\n\r\x0b\x0c\x1c-\x1f]")
_EDGE_SPACE = re.compile(r"(?:\A|\x00)\s|\s(?:\x00|\Z)")  # \s: what str.strip removes


def _all_as_they_are(texts: Iterable[str], normalise: bool) -> bool:
    """Whether ``_text_of`` leaves every one of ``texts`` as it is, found in one pass over
    them all joined (a NUL inside a text can only make this say no, never wrongly yes)."""
    try:
        joined = "\x00".join(texts)
    except TypeError:  # numbers (a column the reader typed): each is made text
        return False
    if normalise:  # ASCII without spaces: NFKC changes nothing, and nothing is removed
        return joined.isascii() and _ASCII_SPACE.search(joined) is None
    return _EDGE_SPACE.search(joined) is None


_cell_kind = np.frompyfunc(
    lambda c: 2 if c is True or c is False else 1 if c.__class__ is str else 0, 1, 1
)


def plain_numbers(cells: pd.Series) -> pd.Series | None:
    """The cells as float64 when they are only numbers and empty cells, the common case (a
    column the reader typed as numbers is taken as it is); None when some cell needs a
    closer look (text, TRUE/FALSE, a value out of range)."""
    dtype = cells.dtype
    if pd.api.types.is_numeric_dtype(dtype) and not pd.api.types.is_bool_dtype(dtype):
        numbers = cells.to_numpy(dtype="float64", na_value=np.nan)
    else:
        # one pass that both checks and converts: numbers and empty cells only become float64
        # (or int64); text, TRUE/FALSE, dates or an integer beyond int64 leave it object
        typed = pd.Series(cells.to_numpy(dtype=object), copy=False).infer_objects()
        kind = typed.dtype.kind
        if kind == "O" and pd.api.types.infer_dtype(typed.to_numpy(), skipna=True) == "empty":
            numbers = np.full(len(cells), np.nan)
        elif kind in "fiu":
            numbers = typed.to_numpy(dtype="float64")
        else:
            return None
    with np.errstate(invalid="ignore"):
        out_of_range = ~(np.abs(numbers) < MAX_VALUE) & ~np.isnan(numbers)  # ±inf too
    if out_of_range.any():
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
