"""The checks of each school row: type, name, students, the standard's quantities, duplicates."""

from __future__ import annotations

import numpy as np
import pandas as pd

from junheng_cli.compute.grouping import group_codes, text_labels
from junheng_cli.compute.validate.base import CheckerBase
from junheng_cli.compute.validate.coercion import plain_value
from junheng_cli.io.sheet_table.tables import ROW, SOURCE
from junheng_cli.model.fields import FIELDS, TEACHER_PARTS, Level


class RowChecks(CheckerBase):
    def check_values(self, frame: pd.DataFrame) -> None:
        types = self.standard.school_types
        known = frame["type"].isin(list(types))
        missing = frame["type"].eq("")
        names = "、".join(types)
        for source, row, value in self.rows_of(frame, ~known & ~missing, "type"):
            self.add("E_UNKNOWN_TYPE", source, "type", row, value, "模板中的学校类型", known=names)
        for source, row in self.rows_of(frame, missing):
            self.add("E_MISSING_TYPE", source, "type", row, None, "学校类型", known=names)
        for source, row in self.rows_of(frame, frame["name"].eq("")):
            self.add("E_MISSING_NAME", source, "name", row, None, "学校名称")
        self._check_duplicates(frame)
        scored = self.scored_rows(frame)
        kinds = frame["type"].to_numpy(dtype=object)
        for type_name in pd.unique(kinds[scored]):  # the types in the order they first appear
            self._check_school_type(frame, scored & (kinds == type_name), str(type_name))

    def _check_school_type(self, frame: pd.DataFrame, rows: np.ndarray, type_name: str) -> None:
        """The rows of one school type (``rows``): its students, quantities and teachers."""
        school_type = self.standard.school_types[type_name]
        evaluated = [lv for lv in school_type.levels if lv in self.standard.levels]
        for level in school_type.levels:
            students = f"students_{level.value}"
            lacking = rows & ~(frame[students] > 0).to_numpy()
            for source, row, value, name in self.rows_of(frame, lacking, students, "name"):
                if (source, row, students) not in self.unreadable:
                    self.add(
                        "E_NO_STUDENTS",
                        source,
                        students,
                        row,
                        plain_value(value),
                        "大于 0 的人数",
                        type=type_name,
                        name=name,
                    )
        for quantity in self.standard.quantities():
            field = FIELDS[quantity]
            columns = [field.column(lv) for lv in evaluated] if field.per_level else [field.id]
            for column in columns:
                for source, row in self.rows_of(frame, rows & frame[column].isna().to_numpy()):
                    if (source, row, column) not in self.unreadable:
                        self.add(
                            "E_MISSING_VALUE", source, column, row, None, "数值", type=type_name
                        )
        for level in evaluated:
            self._check_parts(frame, rows, level)

    def _check_parts(self, frame: pd.DataFrame, rows: np.ndarray, level: Level) -> None:
        whole = f"teachers_{level.value}"
        if whole not in frame:
            return
        for part in TEACHER_PARTS:
            column = f"{part}_{level.value}"
            if column not in frame:
                continue
            exceeds = rows & (frame[column] > frame[whole]).to_numpy()
            for source, row, value, total in self.rows_of(frame, exceeds, column, whole):
                whole_header = self.table.sheets[source].header_of(whole) or whole
                self.add(
                    "E_PART_EXCEEDS_WHOLE",
                    source,
                    column,
                    row,
                    plain_value(value),
                    f"≤ {whole_header}",
                    whole_header=whole_header,
                    whole=plain_value(total),
                )

    def _check_duplicates(self, frame: pd.DataFrame) -> None:
        """A school code is unique; a school without one, its name (within its county when
        several counties are checked together). Keys are integers: only duplicates loop."""
        codes = frame["code"].to_numpy(dtype=object)
        names = frame["name"].to_numpy(dtype=object)
        has_code, named = codes != "", names != ""
        name_key = pd.factorize(names)[0].astype(np.int64)
        if self.county is not None:  # a name is unique within its county only
            county = group_codes(text_labels(self.county.reindex(frame.index)))[0]
            name_key = county * (int(name_key.max(initial=0)) + 1) + name_key
        sources, rows = frame[SOURCE].to_numpy(), frame[ROW].to_numpy()
        for key, keys, texts, mask in (
            ("code", pd.factorize(codes)[0], codes, has_code),
            ("name", name_key, names, ~has_code & named),
        ):
            at = np.flatnonzero(mask)
            repeated = pd.Series(keys[at]).duplicated(keep="first").to_numpy()
            if not repeated.any():
                continue
            first = dict(zip(keys[at][~repeated].tolist(), at[~repeated].tolist(), strict=True))
            for i in at[repeated].tolist():
                other = first[int(keys[i])]
                source, other_source, other_row = (
                    int(sources[i]),
                    int(sources[other]),
                    int(rows[other]),
                )
                zh, en = self._describe_row(other_source, other_row, source)
                self.add(
                    "E_DUPLICATE_SCHOOL",
                    source,
                    key,
                    int(rows[i]),
                    str(texts[i]).rsplit("\x1f", 1)[-1],
                    "唯一",
                    other_zh=zh,
                    other_en=en,
                    other_row=other_row,
                )

    def _describe_row(self, source: int, row: int, here: int) -> tuple[str, str]:
        if source == here:
            return f"第 {row} 行", f"row {row}"
        sheet = self.table.sheets[source]
        return (
            f"{sheet.file}［{sheet.sheet}］第 {row} 行",
            f"{sheet.file} [{sheet.sheet}] row {row}",
        )
