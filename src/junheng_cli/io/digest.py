"""The sha256 of an input, as a report's run information records it: a file's, or a folder's
(statistics exports: one workbook per school) over every file in it."""

from __future__ import annotations

import hashlib
from pathlib import Path

from junheng_cli.io.guard import folder_files


def sha256_of(path: Path) -> str:
    """A file's sha256; a folder's over every file in it, each as its path inside the folder
    and then its bytes, in order."""
    digest = hashlib.sha256()
    for file in folder_files(path) if path.is_dir() else [path]:
        if file != path:
            digest.update(file.relative_to(path).as_posix().encode("utf-8", "replace") + b"\0")
        with file.open("rb") as handle:
            for block in iter(lambda handle=handle: handle.read(1 << 20), b""):
                digest.update(block)
    return digest.hexdigest()
