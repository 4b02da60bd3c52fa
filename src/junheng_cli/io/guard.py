"""No output may replace an input, whatever the flags, and no output lands outside the place
the user named.

Every command collects the files it reads (workbooks, the files of a folder it reads, the
mapping, county-item, scenario, roster and standard files) into one ``Inputs`` and asks it
before writing. A path is the same file as an input when both resolve to one path, or (for
hard links and symlinks) when both exist and are one file on disk. File names made from data
(a county's report) go through ``safe_file_stem``: no separators, never dot-only, bounded in
characters and in UTF-8 bytes.
"""

from __future__ import annotations

import os
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from junheng_cli.errors import JunhengError

# A temporary file beside the output is ".{stem}.{8 random}{suffix}": 10 bytes more than the
# name, and most file systems allow 255 bytes per name.
MAX_NAME_BYTES = 240
MAX_STEM_CHARS = 100
MAX_STEM_BYTES = 200  # leaves room for "-2", the suffix and the temporary file's extra bytes
_RESERVED_CHARS = re.compile(r'[\\/:*?"<>|]')  # separators and what Windows forbids
_DEVICE_NAMES = re.compile(r"^(con|prn|aux|nul|com\d|lpt\d)$", re.IGNORECASE)


class OutputRefused(JunhengError):
    """An output that must not be written. The message is for the user (Chinese)."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


@dataclass(frozen=True)
class Input:
    path: Path
    role: str  # what the file is to the command: 工作簿, 列名映射文件 …


def exists(path: Path) -> bool:
    """``Path.exists`` without its OSError on a name the system cannot take (too long …)."""
    return os.path.exists(path)


def is_folder(path: Path) -> bool:
    return os.path.isdir(path)


def _identity(path: Path) -> tuple[int, int] | None:
    try:
        stat = os.stat(path)
    except (OSError, ValueError):
        return None
    return (stat.st_dev, stat.st_ino) if stat.st_ino else None


def _resolved(path: Path) -> Path:
    try:
        return path.resolve()
    except (OSError, RuntimeError):  # a symlink loop: compare the path as written
        return Path(os.path.abspath(path))


def same_file(a: Path, b: Path) -> bool:
    """One file under two paths: the same resolved path, or the same file on disk."""
    if _resolved(a) == _resolved(b):
        return True
    first, second = _identity(a), _identity(b)
    return first is not None and first == second


def folder_files(folder: Path) -> list[Path]:
    """Every file under a folder (sub-folders too) that a command reading the folder reads."""
    try:
        return sorted(p for p in folder.rglob("*") if p.is_file())
    except OSError:
        return []


class Inputs:
    """The files a command reads, looked up by resolved path and by file identity."""

    def __init__(self, inputs: Iterable[Input] = ()) -> None:
        self._by_path: dict[Path, Input] = {}
        self._by_identity: dict[tuple[int, int], Input] = {}
        for item in inputs:
            self.add(item)

    def paths(self) -> list[Path]:
        return [item.path for item in self._by_path.values()]

    def add(self, item: Input) -> None:
        self._by_path.setdefault(_resolved(item.path), item)
        identity = _identity(item.path)
        if identity is not None:
            self._by_identity.setdefault(identity, item)

    def add_files(self, role: str, *paths: Path | None) -> Inputs:
        for path in paths:
            if path is not None:
                self.add(Input(path, role))
        return self

    def find(self, path: Path) -> Input | None:
        """The input that ``path`` is, if it is one."""
        found = self._by_path.get(_resolved(path))
        if found is None and self._by_identity:
            identity = _identity(path)
            found = self._by_identity.get(identity) if identity is not None else None
        return found


def check_name(path: Path, what: str) -> None:
    """A name the file system can take, with room for the temporary file beside it."""
    for part in path.parts:
        size = len(part.encode("utf-8", "surrogateescape"))
        if size > MAX_NAME_BYTES:
            shown = part if len(part) <= 40 else f"{part[:20]}…{part[-12:]}"
            raise OutputRefused(
                f"{what} {shown} 的名称太长（{len(part)} 个字符，{size} 字节）：文件或文件夹名"
                f"最多 {MAX_NAME_BYTES} 字节（约 {MAX_NAME_BYTES // 3} 个汉字），请取一个短些的名称"
            )


def refuse_input_as_output(output: Path, inputs: Inputs, what: str = "输出文件") -> None:
    """Refuse an output that would replace one of the inputs: ``--force`` does not change it."""
    check_name(output, what)
    found = inputs.find(output)
    if found is not None:
        raise OutputRefused(
            f"拒绝覆盖输入文件 {found.path}：它是本次读取的{found.role}，{what} {output} 指向的"
            "就是它。请另取一个文件名；输入文件无论是否加 --force 都不会被覆盖"
        )


def check_output_folder(folder: Path, what: str) -> None:
    """A folder outputs go into: not an existing file, a name the system can take."""
    check_name(folder, what)
    if exists(folder) and not is_folder(folder):
        raise OutputRefused(f"{what} {folder} 是一个已存在的文件，不是文件夹：请给出一个文件夹")


def safe_file_stem(text: str, fallback: str, max_chars: int = MAX_STEM_CHARS) -> str:
    """A file name (without suffix) made from data: control and format characters removed,
    separators and characters Windows forbids replaced by ``_``, no leading or trailing dots
    and spaces (never ``.`` or ``..``), not a device name, at most ``MAX_STEM_CHARS``
    characters (or ``max_chars``) and ``MAX_STEM_BYTES`` UTF-8 bytes; ``fallback`` when nothing
    is left."""
    text = unicodedata.normalize("NFC", text)
    text = "".join(" " if ch.isspace() else ch for ch in text if ch.isspace() or ch.isprintable())
    stem = re.sub(" +", " ", _RESERVED_CHARS.sub("_", text)).strip(" .")
    stem = _truncate(stem, max_chars).strip(" .")
    if not stem:
        return fallback
    return f"_{stem}" if _DEVICE_NAMES.match(stem.split(".")[0]) else stem


def _truncate(text: str, max_chars: int) -> str:
    text = text[:max_chars]
    while len(text.encode("utf-8")) > MAX_STEM_BYTES:
        text = text[:-1]
    return text
