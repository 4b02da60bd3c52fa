"""The statistics import as the ``stats_import`` part of evaluate's and validate's documents."""

from __future__ import annotations

from collections import Counter
from typing import Any

from junheng_cli.io.stats.result import StatsImport


def import_document(imported: StatsImport) -> dict[str, Any]:
    """The import in a JSON document (``stats_import`` of evaluate's and validate's): how many
    files were read and imported, every skipped file with its reason, every figure a school
    still lacks, the supplement's differences and notes, and the form maps used. ``files`` =
    ``imported`` + the skipped ones."""
    return {
        "source": imported.source,
        "files": len(imported.outcomes),
        "imported": len(imported.imported),
        "generations": dict(sorted(Counter(o.generation for o in imported.imported).items())),
        "skipped": [
            {
                "file": o.file,
                "reason": o.reason,
                "problem": o.problem,  # a school of the county may be lost by it
                "generation": o.generation or None,
            }
            for o in imported.skipped
        ],
        "missing": [
            {
                "school": m.name,
                "code": m.code or None,
                "file": m.file,
                "field": m.column,
                "figure": m.header,
                "why": m.why,
            }
            for m in imported.missing
        ],
        "supplement": imported.supplement or None,
        "differences": [
            {
                "school": d.name,
                "code": d.code or None,
                "figure": d.header,
                "form_value": d.form_value,
                "form_place": d.form_place,
                "supplement_value": d.supplement_value,
                "supplement_place": d.supplement_place,
            }
            for d in imported.differences
        ],
        "supplement_notes": list(imported.supplement_notes),
        "maps": [
            {
                "id": m.form.id,
                "file": m.path,
                "builtin": m.builtin,
                "replaces": m.replaces,
            }
            for m in imported.maps
        ],
    }
