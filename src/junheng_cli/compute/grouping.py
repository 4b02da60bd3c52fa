"""Rows grouped by a label (a county's name): labels kept as Python text, groups numbered in
the order they first appear, so that group-bys run on integers in one pass."""

from __future__ import annotations

import numpy as np
import pandas as pd


def text_labels(labels: pd.Series) -> pd.Series:
    """The labels as text in an object column (pandas' own text columns are iterated one
    element at a time wherever Python touches them)."""
    array = labels.to_numpy(dtype=object)
    if pd.api.types.infer_dtype(array, skipna=False) != "string":
        array = labels.astype(str).to_numpy(dtype=object)
    return pd.Series(array, index=labels.index, dtype=object)


def group_codes(labels: pd.Series) -> tuple[np.ndarray, list[str]]:
    """Each row's group number (0, 1 … in order of first appearance) and each group's label."""
    codes, names = pd.factorize(labels)
    return codes.astype(np.int64), [str(n) for n in names]


def group_sizes(codes: np.ndarray, groups: int, weights: np.ndarray | None = None) -> np.ndarray:
    """Rows (or the sum of ``weights``) per group number."""
    return np.bincount(codes, weights=weights, minlength=groups)


def group_max(values: np.ndarray, codes: np.ndarray, groups: int) -> np.ndarray:
    """The largest of ``values`` in each group number (NaN ignored; NaN for a group that has
    only NaN or no rows): ``groupby(codes).max()`` on arrays, without sorting."""
    most = np.full(groups, np.nan)
    np.fmax.at(most, codes, values)
    return most


def map_distinct(labels: pd.Series, mapping: dict[object, object]) -> pd.Series:
    """``labels.map(mapping)`` (NaN where a label is not in it) in an object column, each
    distinct label looked up once."""
    codes, distinct = pd.factorize(labels.to_numpy(dtype=object))
    found = np.array([*(mapping.get(v, np.nan) for v in distinct), np.nan], dtype=object)
    return pd.Series(found[codes], index=labels.index, dtype=object)


def distinct_cells(cells: pd.Series) -> tuple[np.ndarray, list[object]] | None:
    """Each cell's number among the column's distinct values (−1 for an empty cell) and
    those values, when equal cells are one value: a typed column, or text only. None for
    a mix of Python values, where 1, 1.0 and True would count as one."""
    if cells.dtype != object:
        codes, distinct = pd.factorize(cells)
        return codes, distinct.tolist()  # one conversion (Arrow text is slow to iterate)
    array = cells.to_numpy(dtype=object)
    if pd.api.types.infer_dtype(array, skipna=True) not in ("string", "empty"):
        return None
    codes, distinct = pd.factorize(array)
    return codes, distinct.tolist()
