"""The workbooks to import: folders (sub-folders too), files, and .zip archives extracted safely."""

from __future__ import annotations

import contextlib
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from junheng_cli.io.cells import ReadError
from junheng_cli.io.stats.outcomes import Skip

MAX_ZIP_BYTES = 2 * 1024**3


@dataclass(frozen=True)
class InputFile:
    path: Path  # where it can be read
    shown: str  # how it is named to the user


def input_files(paths: Sequence[Path], exclude: Sequence[Path], scratch: Path) -> list[InputFile]:
    from junheng_cli.io.guard import folder_files, same_file

    found: list[InputFile] = []
    for path in paths:
        if path.is_dir():
            found += [InputFile(p, str(p)) for p in folder_files(path)]
        elif path.suffix.lower() == ".zip":
            found += _zip_members(path, scratch / f"{len(found)}")
        else:
            found.append(InputFile(path, str(path)))
    return [f for f in found if not any(same_file(f.path, e) for e in exclude)]


def _zip_members(archive: Path, target: Path) -> list[InputFile]:
    """Every file of a .zip, extracted under ``target`` by position (never by the member's
    own path: no zip-slip), named to the user as archive:member."""
    try:
        with zipfile.ZipFile(archive) as zf:
            infos = [i for i in zf.infolist() if not i.is_dir()]
            if sum(i.file_size for i in infos) > MAX_ZIP_BYTES:
                raise Skip(f"压缩包解压后超过 {MAX_ZIP_BYTES / 1024**3:.0f} GB")
            target.mkdir(parents=True)
            found = []
            for n, info in enumerate(sorted(infos, key=lambda i: i.filename)):
                name = _member_name(info)
                out = target / f"{n:05d}{Path(name).suffix.lower()[:8]}"
                with zf.open(info) as src, out.open("wb") as dst:
                    dst.write(src.read())
                found.append(InputFile(out, f"{archive}:{name}"))
            return found
    except (zipfile.BadZipFile, OSError) as exc:
        raise ReadError(f"压缩包无法解压（{exc}）", str(archive)) from exc


def _member_name(info: zipfile.ZipInfo) -> str:
    name = info.filename
    if not info.flag_bits & 0x800:  # not flagged UTF-8: Chinese Windows zips are GBK
        with contextlib.suppress(UnicodeEncodeError, UnicodeDecodeError):
            name = name.encode("cp437").decode("gb18030")
    return name
