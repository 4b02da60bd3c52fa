"""The statistics system's per-school exports as input: telling them from a county workbook,
finding the counties of a batch, importing a county."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING

from junheng_cli.api.errors import InputError
from junheng_cli.errors import JunhengError

if TYPE_CHECKING:
    from junheng_cli.io.sheet_table import SchoolTable
    from junheng_cli.io.stats.result import StatsImport


class StatsImportFailed(JunhengError):
    """Some statistics exports of the county could not be imported: no verdict."""

    def __init__(self, imported: StatsImport, problems: int) -> None:
        super().__init__(f"{problems} 个统计报表未能导入，未给出结论")
        self.imported = imported
        self.problems = problems


class InputKind(StrEnum):
    auto = "auto"
    template = "template"
    stats = "stats"


@dataclass(frozen=True)
class StatsChoice:
    """How to tell statistics exports from a county workbook, and what to read them with."""

    kind: InputKind = InputKind.auto
    forms: Path | None = None
    supplement: Path | None = None
    evaluate_standard: str | None = None  # evaluate's --standard: a refused folder suggests batch

    def applies(self, files: Sequence[Path]) -> bool:
        """Whether ``files`` are read as statistics exports; a folder that holds neither is
        refused."""
        from junheng_cli.io.stats.recognise import looks_like_stats

        if self.kind is not InputKind.auto:
            return self.kind is InputKind.stats
        if not any(f.is_dir() or f.suffix.lower() == ".zip" for f in files):
            return False
        if looks_like_stats(files):
            return True
        if self.evaluate_standard is not None and all(f.is_dir() for f in files):
            from junheng_cli.workflows.batch import folder_advice

            raise InputError(folder_advice(files, self.evaluate_standard))
        raise InputError(
            f"{'、'.join(str(f) for f in files)} 是文件夹或压缩包，但其中的工作簿多数不是教育统计"
            "报表：evaluate 读的是全县工作簿（给出文件），各校统计报表请用 --input-kind stats"
        )


def _books(folder: Path) -> list[Path]:
    from junheng_cli.io.read import EXCEL_SUFFIXES

    return sorted(f for f in folder.iterdir() if f.is_file() and f.suffix.lower() in EXCEL_SUFFIXES)


def _county_folders(folder: Path) -> list[Path]:
    return sorted(
        c
        for c in folder.iterdir()
        if not c.name.startswith((".", "~$"))
        and (c.is_dir() or (c.is_file() and c.suffix.lower() == ".zip"))
    )


def stats_counties(paths: Sequence[str | Path], kind: InputKind) -> list[Path] | None:
    """``batch`` on statistics exports: the county folders (or .zip), or None to read county
    workbooks. A folder whose own workbooks are statistics exports is one county; any other
    folder holds the counties, one sub-folder (or .zip) each. ``auto`` reads exports only when
    every path is a folder or .zip and the first county's workbooks are mostly exports."""
    if kind is InputKind.template:
        return None
    given = [Path(p) for p in paths]
    if not all(p.is_dir() or (p.is_file() and p.suffix.lower() == ".zip") for p in given):
        if kind is InputKind.stats:
            raise InputError(
                "--input-kind stats：每个县应是一个文件夹或 .zip（内为各校的统计报表），"
                "或给出放各县文件夹的文件夹"
            )
        return None
    from junheng_cli.io.stats.recognise import is_stats_workbook, looks_like_stats

    counties: list[Path] = []
    for path in given:
        books = _books(path) if path.is_dir() else []
        if not path.is_dir() or (books and is_stats_workbook(books[0])):
            counties.append(path)
        else:
            counties += _county_folders(path)
    if kind is InputKind.stats:
        if not counties:
            raise InputError(f"{'、'.join(str(p) for p in paths)} 中没有各县的统计报表文件夹")
        return counties
    return counties if counties and looks_like_stats([counties[0]]) else None


def check_forms(forms: Path | None) -> None:
    """A bad ``--forms`` map stops the run before any county is read."""
    from junheng_cli.io.stats.forms import load_maps

    load_maps(forms)


def import_county(
    paths: Sequence[Path], choice: StatsChoice, exclude: Sequence[Path] = ()
) -> StatsImport:
    """Every statistics export under ``paths``, imported (some may be skipped: see outcomes)."""
    from junheng_cli.io.stats.importer import import_stats

    missing = [p for p in paths if not p.exists()]
    if missing:
        raise InputError(f"找不到 {'、'.join(str(p) for p in missing)}")
    if choice.supplement is not None and not choice.supplement.is_file():
        raise InputError(f"补充工作簿 {choice.supplement} 不存在")
    return import_stats(list(paths), choice.forms, choice.supplement, tuple(exclude))


def county_table(imported: StatsImport) -> SchoolTable:
    """The imported county as a school table; a workbook that could not be imported stops it
    (``StatsImportFailed``)."""
    from junheng_cli.io.stats.importer import school_table

    problems = [o for o in imported.outcomes if o.problem]
    if problems:
        raise StatsImportFailed(imported, len(problems))
    return school_table(imported)
