"""Check the canonical school table against the schema and a standard.

Produces clean numeric columns (units converted) and a located finding for every
problem: errors block the verdict, warnings flag what is plausible but suspicious. Each
finding names file, sheet, Excel row, column letter and header.

- ``table``: ``validate`` and the ``ValidatedTable`` it returns;
- ``columns``: the columns a standard needs;
- ``headers``, ``cleaning``, ``rows``, ``plausibility``: the checks, in the order they run;
- ``coercion``: cells read as text and numbers.
"""

from __future__ import annotations

from junheng_cli.compute.validate.coercion import EMPTY_MARKERS
from junheng_cli.compute.validate.columns import IDENTITY, evaluable_indicators
from junheng_cli.compute.validate.table import ValidatedTable, validate

__all__ = [
    "EMPTY_MARKERS",
    "IDENTITY",
    "ValidatedTable",
    "evaluable_indicators",
    "validate",
]
