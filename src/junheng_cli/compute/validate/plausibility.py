"""Warnings: values far from the county's median, teachers without pupils, 合计 rows that do not
add up.
"""

from __future__ import annotations

import re

import numpy as np
import pandas as pd

from junheng_cli.compute.grouping import group_codes, text_labels
from junheng_cli.compute.validate.base import CheckerBase
from junheng_cli.compute.validate.coercion import (
    plain_value,
    short_number,
    split_column,
    to_numbers,
)
from junheng_cli.compute.validate.columns import IDENTITY
from junheng_cli.io.sheet_table.tables import ROW, SOURCE, TOTAL_ROW, SheetTable
from junheng_cli.model.fields import FIELDS, Level

OUTLIER_FACTOR = 10.0


TOTAL_TOLERANCE = 0.5  # absolute, after rounding of the sheet's own figures


class PlausibilityChecks(CheckerBase):
    def check_plausibility(self, frame: pd.DataFrame) -> None:
        """Per-student values ≥ 10× or ≤ 1/10 of the county median; teachers without pupils."""
        scored = self.scored_rows(frame)  # the medians are of the scored schools only
        levels = [lv for lv in Level if f"students_{lv.value}" in frame]
        all_students = frame[[f"students_{lv.value}" for lv in levels]].fillna(0).sum(axis=1)
        quantities = set(self.standard.quantities())
        ratios = {}
        for name in [c for c in frame.columns if c not in IDENTITY and c not in (ROW, SOURCE)]:
            field_id, level = split_column(name)
            if field_id not in quantities:
                continue
            if level is not None and f"students_{level.value}" not in frame:
                continue  # no school type present has that level
            students = all_students if level is None else frame[f"students_{level.value}"]
            ratios[name] = frame[name] / students.where(students > 0)
        if ratios:
            per_student = pd.DataFrame(ratios)
            medians = self._county_medians(per_student, scored, self._county_groups(frame))
            for name in per_student.columns:
                self._outliers(frame, name, per_student[name], medians[name], scored)
        for level in (Level.PRIMARY, Level.JUNIOR):
            teachers, students = f"teachers_{level.value}", f"students_{level.value}"
            if teachers in frame and students in frame:
                alone = (frame[teachers] > 0) & ~(frame[students] > 0)
                for source, row, value in self.rows_of(frame, alone, teachers):
                    self.add(
                        "W_TEACHERS_NO_STUDENTS",
                        source,
                        teachers,
                        row,
                        plain_value(value),
                        f"有{level.chinese}在校生",
                        level=level.chinese,
                    )

    def _county_groups(self, frame: pd.DataFrame) -> np.ndarray:
        """Each row's county as a group number (all 0 with one county)."""
        if self.county is None:
            return np.zeros(len(frame), dtype=np.int64)
        return group_codes(text_labels(self.county.reindex(frame.index)))[0]

    @staticmethod
    def _county_medians(
        per_student: pd.DataFrame, scored: np.ndarray, groups: np.ndarray
    ) -> pd.DataFrame:
        """Each row's county median of every per-student value, of the scored schools that
        have some (NaN where fewer than 3 have); all columns in one group-by."""
        positive = per_student.where(scored[:, None] & (per_student > 0))
        grouped = positive.groupby(groups, sort=False)
        return grouped.transform("median").where(grouped.transform("count") >= 3)

    def _outliers(
        self,
        frame: pd.DataFrame,
        name: str,
        per_student: pd.Series,
        medians: pd.Series,
        scored: np.ndarray,
    ) -> None:
        """Against the median of the school's own county; only scored schools are checked."""
        ratios, middles = per_student.to_numpy(), medians.to_numpy()
        high = ratios >= OUTLIER_FACTOR * middles
        low = (ratios > 0) & (ratios <= middles / OUTLIER_FACTOR)
        found = scored & (high | low)
        if not found.any():
            return
        unit = FIELDS[split_column(name)[0]].unit
        picked = frame.loc[found, [SOURCE, ROW, name]]
        picked = picked.assign(_ratio=ratios[found], _median=middles[found])
        for source, row, value, ratio, median in picked.itertuples(index=False, name=None):
            if (source, row, name) in self.unreadable:
                continue
            times = ratio / median
            ratio_text = f"{times:.0f} 倍" if times >= 1 else f"1/{1 / times:.0f}"
            self.add(
                "W_OUTLIER",
                source,
                name,
                row,
                plain_value(value),
                f"约 {short_number(median)} {unit}/生",
                per_student=f"{short_number(ratio)} {unit}",
                median=f"{short_number(median)} {unit}",
                ratio=ratio_text,
            )

    def check_totals(self, frame: pd.DataFrame) -> None:
        """A 合计/总计 row should equal the sum of the school rows of its sheet."""
        for source, sheet in enumerate(self.table.sheets):
            totals = sheet.total_rows
            if totals.empty:
                continue
            schools = frame[frame[SOURCE] == source]
            for _, total in totals.iterrows():
                if not _is_grand_total(total, sheet):
                    continue
                self._check_total_row(source, sheet, total, schools)

    def _check_total_row(
        self, source: int, sheet: SheetTable, total: pd.Series, schools: pd.DataFrame
    ) -> None:
        for name, src in sheet.sources.items():
            if src.match.column.field.kind == "text" or name not in schools:
                continue
            stated = to_numbers(pd.Series([total[name]], dtype=object)).iloc[0]
            if np.isnan(stated):
                continue
            factor = src.match.factor
            expected = float(schools[name].sum()) / factor  # in the sheet's own unit
            if abs(stated - expected) > max(TOTAL_TOLERANCE, 1e-9 * expected):
                self.add(
                    "W_TOTAL_MISMATCH",
                    source,
                    name,
                    int(total[ROW]),
                    plain_value(stated),
                    short_number(expected),
                    expected_sum=short_number(expected),
                )


def _is_grand_total(total: pd.Series, sheet: SheetTable) -> bool:
    """合计/总计 rows are checked; 小计 (a township's subtotal) rows are not."""
    for name, src in sheet.sources.items():
        if src.match.column.field.kind == "text" and isinstance(total[name], str):
            found = TOTAL_ROW.match(re.sub(r"\s+", "", total[name]))
            if found:
                return found.group(2) != "小计"
    return False
