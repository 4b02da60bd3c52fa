"""An .xlsx's shared strings, read forward once, only as far as asked and keeping only the
strings asked for.

Each sheet's first rows need a few shared strings to find its header. In a workbook of many
large sheets (ten years of a country, one sheet a year) a later sheet's first rows use strings
far into the table: reading from the start for every sheet, and decoding every string on the
way, made reading grow with the square of the workbook (2M rows: 30 s of 83 s). Reading goes
on from where the last request stopped; only the strings asked for are decoded and kept.
"""

from __future__ import annotations

import re
import zipfile
from collections.abc import Collection
from typing import IO

from junheng_cli.io.xlsx_extras import XML_BLANKS

_SI = re.compile(rb"<(?:[\w.-]+:)?si\b[^>]*?(?:/>|>(.*?)</(?:[\w.-]+:)?si>)", re.S)
_T = re.compile(rb"<(?:[\w.-]+:)?t\b([^>]*?)(?:/>|>([^<]*)</(?:[\w.-]+:)?t>)")
_ENTITY = re.compile(r"&(#x[0-9A-Fa-f]+|#\d+|lt|gt|amp|quot|apos);")
_NAMED = {"lt": "<", "gt": ">", "amp": "&", "quot": '"', "apos": "'"}
_READ_BYTES = 1 << 20


class SharedStrings:
    """The shared strings part of an open archive, read on demand."""

    def __init__(self, archive: zipfile.ZipFile, part: str) -> None:
        self.archive, self.part = archive, part
        self.found: dict[int, str] = {}
        self._stream: IO[bytes] | None = None
        self._carry = b""
        self._next = 0  # index of the next string in the stream
        self._ended = False
        self._faithless_from: int | None = None  # first string only the cell reader reads
        self.passes = 0  # readings begun at the first string

    def get(self, indices: Collection[int]) -> dict[int, str] | None:
        """The strings at ``indices``; None when one of the strings up to the last of them
        is written in a way only the cell reader reads faithfully (phonetic runs, _x000D_
        escapes, line ends), or is not in the table."""
        if not indices:
            return self.found
        last = max(indices)
        missing = {i for i in indices if i not in self.found}
        if missing and min(missing) < self._next:  # passed over earlier: from the start again
            self._restart()
        try:
            while missing and self._next <= last and not self._ended:
                self._read_piece(missing)
        except (KeyError, zipfile.BadZipFile, OSError, EOFError, ValueError):
            self._close()
            return None
        faithless = self._faithless_from is not None and self._faithless_from <= last
        if faithless or any(i not in self.found for i in indices):
            return None
        return self.found

    def close(self) -> None:
        self._close()

    def _read_piece(self, wanted: set[int]) -> None:
        """The next piece of the part, up to the last string wanted (the rest is carried
        to the next request); at the end of the part, all that is left."""
        if self._stream is None:
            self._stream = self.archive.open(self.part)
            self.passes += 1
        chunk = self._stream.read(_READ_BYTES)
        if not chunk:
            self._ended = True
            self._close()
        data = self._carry + chunk
        last = 0
        for match in _SI.finditer(data):
            index = self._next
            self._next += 1
            last = match.end()
            body = match.group(1) or b""
            if b"rPh" in body or b"_x" in body or b"\r" in body:
                if self._faithless_from is None:
                    self._faithless_from = index
            elif index in wanted:
                self.found[index] = _si_text(body)
                wanted.discard(index)
            if not wanted and chunk:
                break
        self._carry = data[last:]

    def _restart(self) -> None:
        self._close()
        self._carry, self._next, self._ended = b"", 0, False

    def _close(self) -> None:
        if self._stream is not None:
            self._stream.close()
            self._stream = None


def _si_text(body: bytes) -> str:
    if body.startswith(b"<t>") and body.find(b"<", 3) == len(body) - 4:  # <t>…</t>
        return _shared_text(b"", body[3:-4])
    return "".join(_shared_text(attrs, text) for attrs, text in _T.findall(body))


def _shared_text(attrs: bytes, raw: bytes) -> str:
    text = _unescape(raw.decode())
    return text if b'xml:space="preserve"' in attrs else text.strip(XML_BLANKS)


def _unescape(text: str) -> str:
    def one(match: re.Match[str]) -> str:
        name = match.group(1)
        if name.startswith("#x"):
            return chr(int(name[2:], 16))
        if name.startswith("#"):
            return chr(int(name[1:]))
        return _NAMED[name]

    return _ENTITY.sub(one, text) if "&" in text else text
