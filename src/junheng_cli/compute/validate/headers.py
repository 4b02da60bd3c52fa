"""The checks of a sheet's header: missing, doubled columns and units."""

from __future__ import annotations

import difflib
from typing import Any

from junheng_cli.compute.validate.base import CheckerBase
from junheng_cli.compute.validate.coercion import template_header
from junheng_cli.compute.validate.columns import required_columns, types_present
from junheng_cli.io.headers import mapping_line
from junheng_cli.io.sheet_table.tables import SheetTable, SourceColumn
from junheng_cli.model.fields import Column
from junheng_cli.model.findings import Finding


class HeaderChecks(CheckerBase):
    def check_headers(self) -> None:
        self.required = required_columns(self.standard, types_present(self.table, self.standard))
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
                expected=f"只有一列对应“{template_header(name)}”",
                params=(
                    ("cell", f"{extra.letter}{row}"),
                    ("first_cell", f"{first.letter}{row}"),
                    ("first_header", first.header),
                    ("field_header", template_header(name)),
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
