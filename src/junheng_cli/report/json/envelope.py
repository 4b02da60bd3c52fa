"""What every JSON document junheng writes has in common: the envelope, and the bytes."""

from __future__ import annotations

import json
from typing import Any

from junheng_cli import __version__
from junheng_cli.standards.model import Standard


def envelope(kind: str, standard: Standard | dict[str, Any] | None, **body: Any) -> dict[str, Any]:
    """Every JSON document junheng writes opens with what it is, which junheng wrote it and the
    standard it applies (null where none does, as for ``standards``)."""
    if isinstance(standard, Standard):
        standard = standard_summary(standard)
    return {"kind": kind, "junheng_version": __version__, "standard": standard, **body}


def standard_summary(standard: Standard) -> dict[str, Any]:
    return {
        "id": standard.id,
        "name": standard.name,
        "version": standard.version,
        "extends": standard.extends,
        "example": standard.example,
    }


def to_json(document: dict[str, Any]) -> str:
    return json.dumps(document, ensure_ascii=False, indent=2, allow_nan=False) + "\n"
