"""One check of a piece of a large sheet's XML for anything the streaming pass looks for,
off the interpreter lock: a cell not plainly inside the bounds (``xlsx_scan``), TRUE/FALSE
or an error value, a formula, a namespace prefix (``xlsx_extras``). Most pieces of a large
sheet hold none of these; for them the pass's regular expressions are skipped.

The check is Arrow's regular-expression kernel (RE2, a DFA: every alternative in one scan
of the bytes, in C++ without the interpreter lock, so the chunk parsers and this thread run
side by side). RE2 has no look-ahead, so the pattern spells out what is *not* inside, and it
is a superset of what the pass's own expressions match: a piece it finds something in is
read by them as before (tests/test_xlsx_quick.py holds them to that).
"""

from __future__ import annotations

import functools

from junheng_cli.io.cells import column_letter

_WS = r"[ \t\n\r\f\v]"  # what Python's \s matches in bytes


def row_bound(columns: int, limit: int) -> tuple[int, int, int]:
    """Rows a cell may be in for ``columns`` columns to stay under ``limit`` cells, as the
    quick checks compare them: by digit count and first digit. Returns (first digit, digit
    count, the last row a cell passing the check can be in)."""
    allowed = str(max(limit // columns, 1))
    first, digits = int(allowed[0]), len(allowed)
    return first, digits, first * 10 ** (digits - 1) - 1


@functools.lru_cache(maxsize=64)
def marker_pattern(columns: int, limit: int) -> str:
    """RE2 syntax: a cell of an unprefixed sheet that ``xlsx_scan._beyond`` would stop at
    for ``columns`` and ``limit``, or anything ``SheetScan._colons`` or ``SheetExtras._flags``
    would stop at."""
    first, digits, _ = row_bound(columns, limit)
    letters = column_letter(columns - 1)
    far_columns = [f"[A-Za-z]{{{len(letters) + 1}}}"]
    for i, letter in enumerate(letters):
        if letter == "Z":
            continue
        same = "".join(f"[{c}{c.lower()}]" for c in letters[:i])
        above = chr(ord(letter) + 1)
        rest = "[A-Za-z]" * (len(letters) - i - 1)
        far_columns.append(f"{same}[{above}-Z{above.lower()}-z]{rest}")
    far_row = f"[{first}-9]" if first > 1 else r"\d"
    bad_rows = [
        "[^A-Za-z0-9]",  # letters and no digits
        rf"\d{{{digits + 1}}}",  # more digits than allowed
        far_row + rf"\d{{{digits - 1}}}",  # as many digits, from too high a first digit
        r'\d+[^0-9"]',  # digits not followed by the closing quote
    ]
    cell = (
        '<c(?:[/>]|[\\t\\n\\r\\f\\v]| [^r]| r[^=]| r=[^"])'  # no leading r attribute
        "|<c[^<>]*$"  # a cell tag the piece ends in
        '|<c r="(?:[^A-Za-z]|' + "|".join(far_columns) + ")"
        '|<c r="[A-Za-z]+(?:' + "|".join(bad_rows) + ")"
    )
    flags = "|t=[\"'][eb]|<f|:(?:c" + _WS + "|c[/>]|f)"
    return cell + flags


def has_markers(data: bytes, start: int, end: int, pattern: str) -> bool:
    """Whether ``pattern`` (RE2) matches somewhere in data[start:end]: the piece is handed
    to Arrow as a one-value binary array over the same memory, not copied."""
    import pyarrow as pa
    import pyarrow.compute as pc

    bounds = pa.array([start, end], pa.int64()).buffers()[1]
    piece = pa.Array.from_buffers(pa.large_binary(), 1, [None, bounds, pa.py_buffer(data)])
    return bool(pc.match_substring_regex(piece, pattern)[0].as_py())
