"""``junheng standards --format json``."""

from __future__ import annotations

from typing import Any

from junheng_cli.report.json.envelope import envelope
from junheng_cli.standards.model import ListedStandard


def standards_document(listed: list[ListedStandard]) -> dict[str, Any]:
    """``junheng standards --format json``: every standard file on the search path."""
    entries = []
    for entry in listed:
        loaded = entry.loaded
        ok = not isinstance(loaded, Exception)
        entries.append(
            {
                "id": entry.file.id,
                "aliases": list(loaded.aliases) if ok else list(entry.file.aliases),
                "name": loaded.name if ok else None,
                "version": loaded.version if ok else None,
                "example": loaded.example if ok else None,
                "origin": entry.file.origin,
                "path": str(entry.file.path),
                "used": entry.used,
                "note": entry.note,
                "error": None if ok else str(loaded),
            }
        )
    return envelope("standards", None, standards=entries)
