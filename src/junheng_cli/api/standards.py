"""Standards for the API: by id (basic-2012, quality-2017), alias (基本均衡, 优质均衡) or file."""

from __future__ import annotations

import warnings
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from junheng_cli.api.errors import InputError

if TYPE_CHECKING:
    from junheng_cli.standards.model import Standard


def resolve_standard(ref: str | Path) -> tuple[Standard, str | None]:
    """The standard ``ref`` names, and a note when the choice needs saying (an id defined more
    than once, a user file overriding a built-in one)."""
    from junheng_cli.standards.model import load_resolved

    return load_resolved(str(ref))


def load_standard(ref: str | Path | Standard) -> Standard:
    """A standard by id, alias or ``.yaml`` path (a ``Standard`` is returned as is). The note
    the command line prints (e.g. a user file overriding a built-in one) is a warning."""
    from junheng_cli.standards.model import Standard

    if isinstance(ref, Standard):
        return ref
    standard, note = resolve_standard(ref)
    if note:
        warnings.warn(note, UserWarning, stacklevel=2)
    return standard


def indicator_refs(indicators: str | Sequence[str]) -> list[str]:
    """``books_per_student,图书`` or a list: the indicator ids or names."""
    if isinstance(indicators, str):
        indicators = indicators.replace("，", ",").split(",")
    return [r.strip() for r in indicators if r.strip()]


def select_indicators(standard: Standard, indicators: str | Sequence[str] | None) -> Standard:
    """The standard with only the indicators named (ids or Chinese names); all without."""
    if indicators is None:
        return standard
    from junheng_cli.standards.files import StandardError

    try:
        return standard.select(indicator_refs(indicators))
    except StandardError as exc:
        raise InputError(f"--indicators：{exc}") from exc


def standard_files() -> list[Path]:
    """The files of the folders a standard is looked up in (an id, an ``extends`` base): a
    command reads them, so no output may replace one."""
    from junheng_cli.standards.files import STANDARD_SUFFIXES, search_dirs

    return [
        path
        for folder in search_dirs()
        for path in folder.path.iterdir()
        if path.suffix.lower() in STANDARD_SUFFIXES
    ]
