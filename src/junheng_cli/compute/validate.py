"""Check the canonical school table against the schema and a standard.

Produces clean numeric columns (units converted) and a located finding for every
problem: errors block the verdict, warnings flag what is plausible but suspicious. Each
finding names file, sheet, Excel row, column letter and header.
"""

from __future__ import annotations

import difflib
import re
import unicodedata
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from junheng_cli.io.headers import mapping_line
from junheng_cli.io.read import column_index
from junheng_cli.io.sheet_table import ROW, SOURCE, TOTAL_ROW, SchoolTable, SheetTable, SourceColumn
from junheng_cli.model.fields import FIELDS, MAX_VALUE, TEACHER_PARTS, Column, Level
from junheng_cli.model.findings import Finding
from junheng_cli.standards.model import Standard
from junheng_cli.standards.scope import scope_reasons

EMPTY_MARKERS = frozenset({"", "—", "——", "-", "--", "–", "/", "无", "空"})
IDENTITY = ("code", "name", "type", "township", "area_type", "ownership", "sponsor")
# categories and codes; names are kept as written
NORMALISED = ("code", "type", "area_type", "ownership", "sponsor")
OUTLIER_FACTOR = 10.0
# A count is whole when it is within a few units in the last place of a whole number: exact
# for anything typed (0.5 and 1e-320 are not whole), while the float noise of a unit
# conversion (1.2345 万册 × 10000) or of a formula's stored result is not an error.
WHOLE_SLACK = 4 * np.finfo(np.float64).eps
TOTAL_TOLERANCE = 0.5  # absolute, after rounding of the sheet's own figures


@dataclass
class ValidatedTable:
    table: SchoolTable
    frame: pd.DataFrame  # identity as text, quantities as float64 (NaN = empty), ROW, SOURCE
    findings: list[Finding]

    @property
    def invalid_keys(self) -> set[tuple[int, int]]:
        """(source, row) of every row with an error."""
        return {k for f in self.findings if f.severity == "error" and (k := _key_of(f)) is not None}

    @property
    def invalid_mask(self) -> pd.Series:
        keys = self.invalid_keys
        if self.frame.empty:
            return pd.Series(dtype=bool)
        pairs = zip(self.frame[SOURCE], self.frame[ROW], strict=True)
        return pd.Series([p in keys for p in pairs], index=self.frame.index)


def _key_of(finding: Finding) -> tuple[int, int] | None:
    source = dict(finding.params).get("_source")
    if source is None or finding.row is None:
        return None
    return int(source), finding.row


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
    types = _types_present(table, standard)
    return [
        ind.id
        for ind in standard.indicators
        if all(c.name in present for c in required_columns(standard.select([ind.id]), types))
    ]


def _types_present(table: SchoolTable, standard: Standard) -> set[str] | None:
    if "type" not in table.frame:
        return None
    lookup = standard.type_lookup()
    kinds = pd.Series(pd.unique(table.frame["type"].to_numpy(dtype=object)), dtype=object)
    return {lookup.get(t, t) for t in _as_text(kinds, normalise=True)}


def validate(
    table: SchoolTable, standard: Standard, county: pd.Series | None = None
) -> ValidatedTable:
    """``county`` (aligned with ``table.frame``) when several counties are checked at once:
    school names need only be unique within a county, and medians are the county's."""
    checker = _Checker(table, standard, county)
    checker.check_headers()
    if checker.broken and county is None:  # a header error stops the run: no row is checked
        return ValidatedTable(table, pd.DataFrame(), sorted(checker.findings, key=_reading_order))
    # Several counties: the rows of a sheet with a header error stay in the frame, unchecked
    # (their county is blocked by that error), so that the other counties go on.
    frame = checker.clean()
    checker.check_values(frame)
    checker.check_plausibility(frame)
    checker.check_totals(frame)
    checker.drop_row_findings_of_broken_sheets()
    return ValidatedTable(table, frame, sorted(checker.findings, key=_reading_order))


def _reading_order(finding: Finding) -> tuple[int, int, int, int]:
    """Sheet by sheet, row by row, left to right: the order an analyst fixes them in."""
    source = int(dict(finding.params).get("_source", 0))
    column = column_index(finding.column) if finding.column else -1
    return source, finding.row or 0, column, 0 if finding.severity == "error" else 1


class _Checker:
    def __init__(
        self, table: SchoolTable, standard: Standard, county: pd.Series | None = None
    ) -> None:
        self.table = table
        self.standard = standard
        self.county = county
        self.findings: list[Finding] = []
        self.unreadable: set[tuple[int, int, str]] = set()  # (source, row, column) reported
        self.required: list[Column] = []
        self.broken: set[int] = set()  # sheets whose header stops them: a column missing, twice
        self.suggested: dict[int, set[str]] = {}  # per sheet, headers offered for missing columns
        self.header_findings = 0  # how many findings are about headers (they come first)

    # -- helpers -------------------------------------------------------------------------
    def add(
        self,
        code: str,
        source: int,
        column: str | None,
        row: int | None,
        value: Any,
        expected: str,
        **params: Any,
    ) -> None:
        sheet = self.table.sheets[source]
        header = sheet.header_of(column) if column else None
        if column and header is None:
            header = _template_header(column)
        self.findings.append(
            Finding(
                code=code,
                file=sheet.file,
                sheet=sheet.sheet,
                row=row,
                column=sheet.letter_of(column) if column else None,
                header=header,
                field=column,
                value=value,
                expected=expected,
                params=(*params.items(), ("_source", source)),
            )
        )

    def rows_of(self, frame: pd.DataFrame, mask: pd.Series, *columns: str) -> list[tuple]:
        """(source, row, *values) of the rows picked by ``mask``: only findings loop in Python."""
        if not mask.any():
            return []
        picked = frame.loc[mask, [SOURCE, ROW, *columns]]
        return list(picked.itertuples(index=False, name=None))

    # -- headers -------------------------------------------------------------------------
    def check_headers(self) -> None:
        self.required = required_columns(self.standard, _types_present(self.table, self.standard))
        for source, sheet in enumerate(self.table.sheets):
            for column in self.required:
                if column.name not in sheet.sources:
                    self._missing_column(source, sheet, column)
            for name, src in sheet.sources.items():
                self._check_unit(source, sheet, name, src.match)
            for name, extra in sheet.duplicate_columns:
                self._duplicate_column(source, sheet, name, extra)
        self.header_findings = len(self.findings)

    def drop_row_findings_of_broken_sheets(self) -> None:
        """A sheet whose header is in error gets that error only, not one per row."""
        if self.broken:
            rows = self.findings[self.header_findings :]
            kept = [f for f in rows if int(dict(f.params)["_source"]) not in self.broken]
            self.findings = self.findings[: self.header_findings] + kept

    def _missing_column(self, source: int, sheet: SheetTable, column: Column) -> None:
        """The column is missing; when a header the reader passed over is close to it, the
        hint names it and gives the ``--columns`` mapping line that reads it as this column
        (a header already suggested for another missing column of the sheet is not offered
        again: one header cannot be two columns)."""
        self.broken.add(source)
        taken = self.suggested.setdefault(source, set())
        ignored = [h for _, h in sheet.ignored_headers if h not in taken]
        close = difflib.get_close_matches(column.header, ignored, n=1, cutoff=0.5)
        suggestion_zh = suggestion_en = ""
        if close:
            taken.add(close[0])
            line = mapping_line(close[0], column)
            suggestion_zh = (
                f"（表中最接近的列名是“{close[0]}”；若就是这一列，可在列映射文件中写：{line}，"
                "再用 --columns 指定该文件）"
            )
            suggestion_en = (
                f" (closest header found: '{close[0]}'; if that is the column, put the line "
                f"'{line}' in a mapping file and pass it with --columns)"
            )
        self.add(
            "E_MISSING_COLUMN",
            source,
            column.name,
            sheet.header.excel_rows[1],
            None,
            f"表头“{column.header}”",
            suggestion_zh=suggestion_zh,
            suggestion_en=suggestion_en,
        )

    def _duplicate_column(
        self, source: int, sheet: SheetTable, name: str, extra: SourceColumn
    ) -> None:
        """Two columns for one field (two 小学在校生数, or 小学学生数 and 小学在校生数): which
        one holds the figures is a guess, so the sheet is not read."""
        self.broken.add(source)
        first = sheet.sources[name]
        row = sheet.header.excel_rows[1]
        self.findings.append(
            Finding(
                code="E_DUPLICATE_COLUMN",
                file=sheet.file,
                sheet=sheet.sheet,
                row=row,
                column=extra.letter,
                header=extra.header,
                field=name,
                value=extra.header,
                expected=f"只有一列对应“{_template_header(name)}”",
                params=(
                    ("cell", f"{extra.letter}{row}"),
                    ("first_cell", f"{first.letter}{row}"),
                    ("first_header", first.header),
                    ("field_header", _template_header(name)),
                    ("_source", source),
                ),
            )
        )

    def _check_unit(self, source: int, sheet: SheetTable, name: str, match: Any) -> None:
        if match.unit_problem is None:
            return
        code = "E_BAD_UNIT" if match.unit_problem == "mismatch" else "W_UNKNOWN_UNIT"
        unit = match.column.field.unit
        self.add(
            code,
            source,
            name,
            sheet.header.excel_rows[1],
            match.unit,
            unit,
            unit=match.unit,
            expected_unit=unit,
        )

    # -- values --------------------------------------------------------------------------
    def clean(self) -> pd.DataFrame:
        raw = self._with_required_columns(self.table.frame)
        frame = pd.DataFrame({ROW: raw[ROW], SOURCE: raw[SOURCE]})
        for name in IDENTITY:
            if name in raw:
                frame[name] = _as_text(raw[name], normalise=name in NORMALISED)
            else:
                frame[name] = pd.Series("", index=raw.index, dtype=object)
        lookup = self.standard.type_lookup()
        frame["type"] = frame["type"].map(lambda t: lookup.get(t, t))
        for name in raw.columns:
            if name not in IDENTITY and not name.startswith("_"):  # _row, _source, _group
                frame[name] = self._numbers(raw, name)
        self._formulas()
        return frame

    def _with_required_columns(self, raw: pd.DataFrame) -> pd.DataFrame:
        """Every required column, empty where no sheet has it (only when every sheet that
        lacks it is broken and left unchecked)."""
        absent = [c.name for c in self.required if c.name not in raw and c.name not in IDENTITY]
        return raw.assign(**dict.fromkeys(absent, None)) if absent else raw

    def _factor(self, raw: pd.DataFrame, name: str) -> pd.Series:
        factors = {
            i: (s.sources[name].match.factor if name in s.sources else 1.0)
            for i, s in enumerate(self.table.sheets)
        }
        return raw[SOURCE].map(factors).astype("float64")

    def _numbers(self, raw: pd.DataFrame, name: str) -> pd.Series:
        cells = raw[name]
        values = _plain_numbers(cells)
        if values is not None:
            bad = pd.Series(False, index=cells.index)
        else:
            values = _to_numbers(cells)
            missing = values.isna()
            bad = missing.copy()
            bad[missing] = ~_is_empty_cell(cells[missing])  # only the cells that did not parse
        for source, row, cell in self.rows_of(raw, bad, name):
            self.add("E_NOT_NUMBER", source, name, row, cell, "数字")
            self.unreadable.add((source, row, name))
        negative = values < 0
        for source, row, value in self.rows_of(raw.assign(**{name: values}), negative, name):
            self.add("E_NEGATIVE", source, name, row, _plain(value), "≥ 0")
            self.unreadable.add((source, row, name))
        factor = self._factor(raw, name)
        converted = values.where(~negative) * factor
        if FIELDS[_split_column(name)[0]].kind == "count":
            return self._whole_numbers(raw, name, values, factor, converted)
        return converted

    def _whole_numbers(
        self,
        raw: pd.DataFrame,
        name: str,
        typed: pd.Series,
        factor: pd.Series,
        converted: pd.Series,
    ) -> pd.Series:
        """People, books, computers, rooms and classes are whole numbers: any other value is
        E_NOT_INTEGER at its cell (after the header's unit is applied: 1.23456 万册 is
        12,345.6 册). Whole values are returned exactly whole (conversion noise removed)."""
        rounded = converted.round()
        fraction = (converted - rounded).abs() > WHOLE_SLACK * converted.abs()
        if not fraction.any():
            return rounded
        picked = raw.assign(_typed=typed, _factor=factor, _count=converted)
        unit = FIELDS[_split_column(name)[0]].unit
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
                _plain(value),
                "整数",
                converted_zh=converted_zh,
                converted_en=converted_en,
            )
            self.unreadable.add((source, row, name))
        return rounded.where(~fraction, converted)

    def _formulas(self) -> None:
        for source, sheet in enumerate(self.table.sheets):
            for row, name in sorted(sheet.uncached_formulas):
                self.add("E_FORMULA_NO_VALUE", source, name, row, None, "公式的计算结果")
                self.unreadable.add((source, row, name))
            for (row, name), error in sorted(sheet.error_cells.items()):
                self.add("E_ERROR_VALUE", source, name, row, error, "数字")
                self.unreadable.add((source, row, name))

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
        in_scope = [name for name, t in types.items() if t.excluded is None]
        scored = frame[frame["type"].isin(in_scope) & scope_reasons(frame, self.standard).isna()]
        for type_name, group in scored.groupby("type", sort=False):
            self._check_school_type(group, str(type_name))

    def _check_school_type(self, group: pd.DataFrame, type_name: str) -> None:
        school_type = self.standard.school_types[type_name]
        evaluated = [lv for lv in school_type.levels if lv in self.standard.levels]
        for level in school_type.levels:
            students = f"students_{level.value}"
            lacking = ~(group[students] > 0)
            for source, row, value, name in self.rows_of(group, lacking, students, "name"):
                if (source, row, students) not in self.unreadable:
                    self.add(
                        "E_NO_STUDENTS",
                        source,
                        students,
                        row,
                        _plain(value),
                        "大于 0 的人数",
                        type=type_name,
                        name=name,
                    )
        for quantity in self.standard.quantities():
            field = FIELDS[quantity]
            columns = [field.column(lv) for lv in evaluated] if field.per_level else [field.id]
            for column in columns:
                for source, row in self.rows_of(group, group[column].isna()):
                    if (source, row, column) not in self.unreadable:
                        self.add(
                            "E_MISSING_VALUE", source, column, row, None, "数值", type=type_name
                        )
        for level in evaluated:
            self._check_parts(group, level)

    def _check_parts(self, group: pd.DataFrame, level: Level) -> None:
        whole = f"teachers_{level.value}"
        if whole not in group:
            return
        for part in TEACHER_PARTS:
            column = f"{part}_{level.value}"
            if column not in group:
                continue
            exceeds = group[column] > group[whole]
            for source, row, value, total in self.rows_of(group, exceeds, column, whole):
                whole_header = self.table.sheets[source].header_of(whole) or whole
                self.add(
                    "E_PART_EXCEEDS_WHOLE",
                    source,
                    column,
                    row,
                    _plain(value),
                    f"≤ {whole_header}",
                    whole_header=whole_header,
                    whole=_plain(total),
                )

    def _check_duplicates(self, frame: pd.DataFrame) -> None:
        named = frame["name"].ne("")
        if self.county is not None:  # a name is unique within its county only
            frame = frame.assign(name=self.county.astype(str) + "\x1f" + frame["name"])
        has_code = frame["code"].ne("")
        for key, mask in (("code", has_code), ("name", ~has_code & named)):
            subset = frame[mask]
            first = subset.drop_duplicates(key).set_index(key)[[SOURCE, ROW]]
            dup = subset[key].duplicated(keep="first")
            for source, row, value in self.rows_of(subset, dup, key):
                other_source, other_row = first.loc[value]
                zh, en = self._describe_row(int(other_source), int(other_row), source)
                self.add(
                    "E_DUPLICATE_SCHOOL",
                    source,
                    key,
                    row,
                    str(value).rsplit("\x1f", 1)[-1],
                    "唯一",
                    other_zh=zh,
                    other_en=en,
                    other_row=int(other_row),
                )

    def _describe_row(self, source: int, row: int, here: int) -> tuple[str, str]:
        if source == here:
            return f"第 {row} 行", f"row {row}"
        sheet = self.table.sheets[source]
        return (
            f"{sheet.file}［{sheet.sheet}］第 {row} 行",
            f"{sheet.file} [{sheet.sheet}] row {row}",
        )

    # -- warnings ------------------------------------------------------------------------
    def check_plausibility(self, frame: pd.DataFrame) -> None:
        """Per-student values ≥ 10× or ≤ 1/10 of the county median; teachers without pupils."""
        in_scope = [n for n, t in self.standard.school_types.items() if t.excluded is None]
        scored = frame[frame["type"].isin(in_scope) & scope_reasons(frame, self.standard).isna()]
        levels = [lv for lv in Level if f"students_{lv.value}" in scored]
        all_students = scored[[f"students_{lv.value}" for lv in levels]].fillna(0).sum(axis=1)
        quantities = set(self.standard.quantities())
        for name in [c for c in scored.columns if c not in IDENTITY and c not in (ROW, SOURCE)]:
            field_id, level = _split_column(name)
            if field_id not in quantities:
                continue
            if level is not None and f"students_{level.value}" not in scored:
                continue  # no school type present has that level
            students = all_students if level is None else scored[f"students_{level.value}"]
            self._outliers(scored, name, scored[name] / students.where(students > 0))
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
                        _plain(value),
                        f"有{level.chinese}在校生",
                        level=level.chinese,
                    )

    def _outliers(self, frame: pd.DataFrame, name: str, per_student: pd.Series) -> None:
        """Against the median of the school's own county (of at least 3 schools with some)."""
        positive = per_student.where(per_student > 0)
        county = (
            pd.Series("", index=frame.index)
            if self.county is None
            else self.county.reindex(frame.index).astype(str)
        )
        grouped = positive.groupby(county, sort=False)
        medians = grouped.transform("median").where(grouped.transform("count") >= 3)
        high = per_student >= OUTLIER_FACTOR * medians
        low = (per_student > 0) & (per_student <= medians / OUTLIER_FACTOR)
        unit = FIELDS[_split_column(name)[0]].unit
        for source, row, value, ratio, median in self.rows_of(
            frame.assign(_ratio=per_student, _median=medians), high | low, name, "_ratio", "_median"
        ):
            if (source, row, name) in self.unreadable:
                continue
            times = ratio / median
            ratio_text = f"{times:.0f} 倍" if times >= 1 else f"1/{1 / times:.0f}"
            self.add(
                "W_OUTLIER",
                source,
                name,
                row,
                _plain(value),
                f"约 {_short_number(median)} {unit}/生",
                per_student=f"{_short_number(ratio)} {unit}",
                median=f"{_short_number(median)} {unit}",
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
            stated = _to_numbers(pd.Series([total[name]], dtype=object)).iloc[0]
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
                    _plain(stated),
                    _short_number(expected),
                    expected_sum=_short_number(expected),
                )


def _is_grand_total(total: pd.Series, sheet: SheetTable) -> bool:
    """合计/总计 rows are checked; 小计 (a township's subtotal) rows are not."""
    for name, src in sheet.sources.items():
        if src.match.column.field.kind == "text" and isinstance(total[name], str):
            found = TOTAL_ROW.match(re.sub(r"\s+", "", total[name]))
            if found:
                return found.group(2) != "小计"
    return False


def _split_column(name: str) -> tuple[str, Level | None]:
    for level in Level:
        suffix = f"_{level.value}"
        if name.endswith(suffix) and name.removesuffix(suffix) in FIELDS:
            return name.removesuffix(suffix), level
    return name, None


def _template_header(column: str) -> str:
    field_id, level = _split_column(column)
    return FIELDS[field_id].header_for(level) if field_id in FIELDS else column


# Python's \s with the Unicode spaces NFKC leaves, spelled out so that pyarrow's regex
# engine (ASCII \s) removes the same characters.
WHITESPACE = r"[\s\x1c-\x1f\x85\u2028\u2029]+"


def _as_text(cells: pd.Series, normalise: bool = False) -> pd.Series:
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


def _plain_numbers(cells: pd.Series) -> pd.Series | None:
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


def _to_numbers(cells: pd.Series) -> pd.Series:
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


def _is_empty_cell(cells: pd.Series) -> pd.Series:
    """None, NaN, blank text or an empty marker (—, -, /, 无)."""
    return cells.map(
        lambda c: (
            c is None
            or (isinstance(c, float) and np.isnan(c))
            or (isinstance(c, str) and _clean_number_text(c) is None)
        )
    )


def _plain(value: Any) -> float | int | None:
    if value is None or pd.isna(value):
        return None
    return int(value) if float(value).is_integer() else float(value)


def _short_number(value: float) -> str:
    if value == 0 or abs(value) >= 100:
        return f"{value:,.0f}"
    if abs(value) >= 1:
        return f"{value:,.2f}"
    return f"{value:.4g}"
