"""Which schools a standard leaves out by who runs them (``scope.exclude``: 办学性质, 举办者).

A school without the column, or with the cell blank, counts as 公办 and run by the county:
no rule leaves it out, and the report says so once.
"""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np
import pandas as pd

from junheng_cli.model.fields import FIELDS
from junheng_cli.standards.model import Standard

# what a school without the figure counts as
ASSUMED = {"ownership": "公办", "sponsor": "县（区）举办（非省市直属、高校附属、企业办）"}


def scope_reasons(schools: pd.DataFrame, standard: Standard) -> pd.Series:
    """Why each school is left out by the standard's ``scope.exclude`` rules (NaN when it is
    not), with the value that decided it: ``…（办学性质：民办）``. The first rule that
    matches gives the reason."""
    reasons = pd.Series(np.nan, index=schools.index, dtype=object)
    for rule in standard.scope.rules:
        if rule.field not in schools:
            continue
        codes, texts = _distinct_texts(schools[rule.field])
        header = FIELDS[rule.field].header
        # each distinct text once (公办, 民办 …): the reason it gives, or None
        given = [_reason(text, rule.values, rule.contains, rule.reason, header) for text in texts]
        found = np.array([*given, None], dtype=object)[codes]  # code −1: a missing cell
        hit = pd.notna(found) & reasons.isna().to_numpy()
        if hit.any():
            reasons[hit] = found[hit]
    return reasons


def _distinct_texts(cells: pd.Series) -> tuple[np.ndarray, list[str]]:
    """Each cell's number among the distinct texts of the column, and those texts."""
    array = cells.to_numpy(dtype=object)
    if pd.api.types.infer_dtype(array, skipna=True) not in ("string", "empty"):
        array = cells.astype(str).to_numpy(dtype=object)  # 1, 1.0 and True stay apart
    codes, distinct = pd.factorize(array)
    return codes, [str(text) for text in distinct]


def _reason(
    text: str, values: Iterable[str], contains: Iterable[str], reason: str, header: str
) -> str | None:
    hit = text in values or any(c in text for c in contains)
    return f"{reason}（{header}：{text}）" if hit and text != "" else None


def scope_notes(schools: pd.DataFrame, standard: Standard, present: Iterable[str]) -> list[str]:
    """What the scope rules assumed, said once: a column the rules need that the workbook
    lacks (every school then counts as 公办 / 县办), or cells left blank."""
    present = set(present)
    notes = []
    for field in dict.fromkeys(r.field for r in standard.scope.rules):
        header = FIELDS[field].header
        if field not in present:
            notes.append(
                f"未提供“{header}”列：所有学校按{ASSUMED[field]}计（标准 {standard.id} 按"
                f"{header}排除部分学校，见标准文件 scope）"
            )
            continue
        blank = int(schools[field].eq("").sum()) if field in schools else 0
        if blank:
            notes.append(f"{blank} 所学校未填“{header}”：按{ASSUMED[field]}计")
    return notes
