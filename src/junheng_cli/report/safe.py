"""Text from the input must never become a formula in a report (CSV or spreadsheet)."""

from __future__ import annotations

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def is_formula_like(value: object) -> bool:
    return isinstance(value, str) and value.startswith(FORMULA_STARTS)


def csv_safe(value: object) -> object:
    """Prefix text that a spreadsheet would run as a formula with a quote (OWASP advice)."""
    return f"'{value}" if is_formula_like(value) else value
