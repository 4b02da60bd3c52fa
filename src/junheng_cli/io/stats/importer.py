"""From the statistics system's per-school exports to one county table in our template.

``import_stats`` reads a folder (sub-folders too), files, or a .zip of per-school workbooks
(one sheet per form), recognises each workbook's form generation by the maps of
``forms``, reads the school's identity and every field through the map (fixed cells
checked against their labels, level blocks located by their labels), applies the map's
arithmetic (sums, differences, 万元 → 元) in decimal, and gives one row per school with the
provenance of every figure. Every file ends as 已导入 or 已跳过 with the reason. What the forms
lack is merged from a supplementary workbook in our template; nothing is guessed.
"""

from __future__ import annotations

import functools
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import pandas as pd

from junheng_cli.io.cells import ReadError
from junheng_cli.io.read import EXCEL_SUFFIXES, open_workbook
from junheng_cli.io.sheet_table.tables import SchoolTable
from junheng_cli.io.stats.files import input_files
from junheng_cli.io.stats.forms import IDENTITY_KEYS, load_maps
from junheng_cli.io.stats.outcomes import IMPORTED, SKIPPED, Missing, Outcome, Provenance, Skip
from junheng_cli.io.stats.reader import School, SchoolReader
from junheng_cli.io.stats.recognise import recognise
from junheng_cli.io.stats.result import StatsImport, optional_columns
from junheng_cli.io.stats.supplement import merge_supplement
from junheng_cli.model.fields import Column, template_columns
from junheng_cli.model.findings import Finding


def import_stats(
    paths: Sequence[Path],
    forms_dir: Path | None = None,
    supplement: Path | None = None,
    exclude: Sequence[Path] = (),
) -> StatsImport:
    """Read every workbook of the folders, files or zips. Raises ``FormError`` for a bad
    map, ``ReadError`` for an unreadable zip or supplement."""
    maps = load_maps(forms_dir)
    columns = [c.name for c in template_columns() if c.field.kind != "text"]
    outcomes: list[Outcome] = []
    schools: list[tuple[School, str]] = []
    codes: dict[str, str] = {}
    with tempfile.TemporaryDirectory(prefix="junheng-stats-") as scratch:
        for item in input_files(paths, exclude, Path(scratch)):
            outcome = Outcome(item.shown, SKIPPED)
            outcomes.append(outcome)
            if Path(item.shown.split(":")[-1]).name.startswith("~$"):
                outcome.reason = "Excel 的临时文件（~$ 开头），不是报表"
                continue
            if item.path.suffix.lower() not in EXCEL_SUFFIXES:
                outcome.reason = f"不是工作簿（{item.path.suffix or '无扩展名'}）"
                continue
            try:
                with open_workbook(item.path) as workbook:
                    loaded = recognise(workbook, maps)
                    outcome.generation = loaded.form.id
                    school = SchoolReader(workbook, item.shown, loaded.form).read(columns)
            except ReadError as exc:
                outcome.reason, outcome.problem = f"无法读取：{exc.message}", True
                continue
            except Skip as exc:
                outcome.reason, outcome.problem = str(exc), exc.problem
                continue
            code = school.identity.get("code", "")
            outcome.code, outcome.name = code, school.identity["name"]
            outcome.school_type = school.identity["type"]
            outcome.ownership = school.identity.get("ownership", "")
            outcome.notes = school.notes
            if code and code in codes:
                outcome.reason = (
                    f"学校标识码 {code} 重复：与 {codes[code]} 相同（保留先读到的 {codes[code]}）"
                )
                continue
            if code:
                codes[code] = item.shown
            outcome.status = IMPORTED
            schools.append((school, item.shown))
    frame, provenance, expected = _frame(schools)
    result = StatsImport(
        frame=frame,
        provenance=provenance,
        outcomes=outcomes,
        maps=maps,
        source=" ".join(str(p) for p in paths),
        school_files=[shown for _, shown in schools],
        expected_places=expected,
    )
    if supplement is not None:
        result.supplement = str(supplement)
        merge_supplement(result, supplement)
    result.missing = _missing(result, schools)
    return result


def _frame(
    schools: list[tuple[School, str]],
) -> tuple[pd.DataFrame, dict[tuple[int, str], Provenance], dict[tuple[int, str], tuple[str, str]]]:
    names = [c.name for c in template_columns()]
    records = []
    provenance: dict[tuple[int, str], Provenance] = {}
    expected: dict[tuple[int, str], tuple[str, str]] = {}
    for i, (school, _) in enumerate(schools):
        record: dict[str, Any] = dict.fromkeys(names)
        for key in IDENTITY_KEYS:
            record[key] = school.identity.get(key) or None
        record.update(school.values)
        records.append(record)
        for key, place in school.provenance.items():
            if record.get(key) is not None:
                provenance[(i, key)] = replace(place, row=i)
        for key, where in school.expected.items():
            expected[(i, key)] = where
    frame = pd.DataFrame(records, columns=names)
    return frame.astype(object), provenance, expected


@functools.cache
def _needed(levels: tuple[str, ...]) -> list[Column]:
    """The template columns a school of these levels should have a figure for (the optional
    音乐/美术专用教室, scope and allowance columns only come from the supplementary workbook and
    are not listed)."""
    needed = []
    optional = optional_columns()
    for column in template_columns():
        if column.field.kind == "text" or column.field.id in ("music_rooms", "art_rooms"):
            continue
        if column.name in optional:
            continue
        if column.level is not None and column.level.value not in levels:
            continue
        needed.append(column)
    return needed


def _missing(result: StatsImport, schools: list[tuple[School, str]]) -> list[Missing]:
    found = []
    records = result.frame.to_dict("records")
    for i, (school, shown) in enumerate(schools):
        why = dict(school.missing)
        for column in _needed(tuple(school.levels)):
            value = records[i][column.name]
            if value is None or (isinstance(value, float) and pd.isna(value)):
                found.append(
                    Missing(
                        i,
                        school.identity["name"],
                        school.identity.get("code", ""),
                        shown,
                        column.name,
                        column.header,
                        why.get(column.name, "统计报表中没有此项")
                        + ("；补充表中也没有" if result.supplement else "；可用 --supplement 补充"),
                    )
                )
    return found


@dataclass
class StatsSchoolTable(SchoolTable):
    """The template reader's table of the imported schools, with the import it came from
    (for relocating findings to the statistics workbooks' cells)."""

    imported: StatsImport | None = None


def school_table(imported: StatsImport) -> StatsSchoolTable:
    """The imported schools as the template reader's SchoolTable (``evaluate`` on a folder)."""
    from junheng_cli.io.headers import HeaderLookup
    from junheng_cli.io.sheet_table.files import combine
    from junheng_cli.io.sheet_table.rows import build_sheet_table

    if imported.frame.empty:
        raise ReadError("没有导入任何学校（各文件的跳过原因见上）", imported.source)
    table = combine([build_sheet_table(imported.school_sheet(), HeaderLookup())])
    return StatsSchoolTable(table.sheets, table.frame, table.unused_sheets, imported=imported)


def relocate(findings: list[Finding], table: SchoolTable) -> list[Finding]:
    """Findings as the user should see them: on a statistics import, at the workbooks' cells."""
    if isinstance(table, StatsSchoolTable) and table.imported is not None:
        return table.imported.relocate(findings)
    return findings
