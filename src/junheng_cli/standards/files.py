"""Where standard files are found, and which file a ``--standard`` name means.

Search order (the first definition of an id wins):

1. a path given to ``--standard`` (``path/to/file.yaml``);
2. the folders listed in ``JUNHENG_STANDARDS`` (separated by ``os.pathsep``);
3. a ``standards/`` folder in the current directory (where a province keeps its files);
4. the built-in standards shipped inside the package (``junheng_cli/data/standards``).

A user file (2 or 3) with the id of a built-in standard overrides it on purpose; two user
files with one id are a duplicate, reported wherever the id is used. A name given to
``--standard`` is an id, an alias declared in a standard file (``aliases: [优质均衡]``) or a path.
"""

from __future__ import annotations

import copy
import difflib
import os
import re
import unicodedata
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any, Literal

from junheng_cli.errors import JunhengError
from junheng_cli.io.yaml_safe import READ_ERRORS, load_yaml, read_failure

ENV_STANDARDS_DIR = "JUNHENG_STANDARDS"
STANDARD_SUFFIXES = (".yaml", ".yml")
LOCAL_DIR_NAME = "standards"

Origin = Literal["path", "env", "cwd", "builtin"]
ORIGIN_LABELS: dict[str, str] = {
    "path": "命令行指定的文件",
    "env": f"环境变量 {ENV_STANDARDS_DIR}",
    "cwd": "当前目录的 standards/",
    "builtin": "内置",
}


class StandardError(JunhengError):
    """A standard cannot be found or its file is malformed."""


@dataclass(frozen=True)
class SearchDir:
    path: Path
    origin: Origin


@dataclass(frozen=True)
class StandardFile:
    """One standard file found on the search path, with the id and aliases it declares."""

    path: Path
    origin: Origin
    id: str
    aliases: tuple[str, ...] = ()

    @property
    def origin_label(self) -> str:
        return ORIGIN_LABELS[self.origin]

    @property
    def is_user_file(self) -> bool:
        return self.origin != "builtin"


@dataclass(frozen=True)
class Resolution:
    """The file a name resolved to, and what the user should be told about the choice."""

    file: StandardFile
    note: str | None = None


# Parsed standard files by (path, size, modification time): every lookup reads the whole
# search path, and a notebook or a test session looks standards up many times.
_PARSED: dict[tuple[str, int, int], dict[str, Any]] = {}


def read_yaml_mapping(path: Path) -> dict[str, Any]:
    """A standard file's top-level mapping (a fresh copy), or a StandardError naming the file."""
    try:
        stat = path.stat()
    except OSError as exc:
        raise StandardError(f"无法读取标准文件 {path}：{exc.strerror or exc}") from exc
    key = (str(path.resolve()), stat.st_size, stat.st_mtime_ns)
    if key not in _PARSED:
        _PARSED[key] = _parse_mapping(path)
    return copy.deepcopy(_PARSED[key])


def _parse_mapping(path: Path) -> dict[str, Any]:
    try:
        data = load_yaml(path, "标准文件")
    except READ_ERRORS as exc:
        raise StandardError(read_failure(exc, "标准文件", path)) from exc
    if not isinstance(data, dict):
        raise StandardError(f"标准文件 {path} 的顶层应为键值映射（id、name、indicators …）")
    return data


def builtin_standards_dir() -> Path | None:
    """The standards shipped in the package; in a source checkout (an editable install, which
    does not carry the build's copy), the checkout's top-level ``standards/`` folder."""
    packaged = resources.files("junheng_cli") / "data" / "standards"
    if isinstance(packaged, Path) and packaged.is_dir():
        return packaged
    checkout = Path(__file__).resolve().parents[3] / LOCAL_DIR_NAME
    return checkout if (checkout.parent / "pyproject.toml").is_file() else None


def env_dirs() -> list[str]:
    return [p for p in os.environ.get(ENV_STANDARDS_DIR, "").split(os.pathsep) if p.strip()]


def search_dirs() -> list[SearchDir]:
    """The folders searched, in order, each once (by resolved path)."""
    candidates = [SearchDir(Path(p), "env") for p in env_dirs()]
    candidates.append(SearchDir(Path.cwd() / LOCAL_DIR_NAME, "cwd"))
    builtin = builtin_standards_dir()
    if builtin is not None:
        candidates.append(SearchDir(builtin, "builtin"))
    seen: dict[Path, int] = {}
    result: list[SearchDir] = []
    for candidate in candidates:
        if not candidate.path.is_dir():
            continue
        key = candidate.path.resolve()
        if key in seen:
            if candidate.origin == "builtin":  # ./standards is the checkout's own folder
                result[seen[key]] = candidate
            continue
        seen[key] = len(result)
        result.append(candidate)
    return result


def describe_file(path: Path, origin: Origin) -> StandardFile:
    """The id and aliases a file declares; its file name when it cannot be read."""
    try:
        data = read_yaml_mapping(path)
    except StandardError:
        return StandardFile(path, origin, path.stem)
    declared = data.get("id")
    aliases = data.get("aliases") or []
    return StandardFile(
        path,
        origin,
        declared if isinstance(declared, str) and declared else path.stem,
        tuple(a for a in aliases if isinstance(a, str)) if isinstance(aliases, list) else (),
    )


def discover() -> list[StandardFile]:
    """Every standard file on the search path, in search order."""
    found: list[StandardFile] = []
    for directory in search_dirs():
        for path in sorted(directory.path.iterdir()):
            if path.suffix.lower() in STANDARD_SUFFIXES and path.is_file():
                found.append(describe_file(path, directory.origin))
    return found


def definitions(found: list[StandardFile], standard_id: str) -> list[StandardFile]:
    return [f for f in found if f.id == standard_id]


def choice_note(defined: list[StandardFile]) -> str | None:
    """What to tell the user when an id is defined more than once (``defined[0]`` is used)."""
    if len(defined) < 2:
        return None
    used, others = defined[0], defined[1:]
    if used.is_user_file and all(not f.is_user_file for f in others):
        return (
            f"标准 {used.id!r} 使用 {used.path}（{used.origin_label}），覆盖内置的同名标准 "
            f"{others[0].path}"
        )
    ignored = "；".join(f"{f.path}（{f.origin_label}）" for f in others)
    return (
        f"标准 {used.id!r} 有 {len(defined)} 处定义：采用 {used.path}（{used.origin_label}），"
        f"未采用 {ignored}"
    )


def looks_like_path(ref: str) -> bool:
    return ref.lower().endswith(STANDARD_SUFFIXES) or "/" in ref or os.sep in ref


def resolve(ref: str, found: list[StandardFile] | None = None) -> Resolution:
    """The file a ``--standard`` value names: a path, an id or an alias."""
    if looks_like_path(ref):
        path = Path(ref).expanduser()
        if not path.is_file():
            raise StandardError(f"找不到标准文件 {path}")
        return Resolution(describe_file(path, "path"))
    found = discover() if found is None else found
    wanted = _normal(ref)
    by_id = [f for f in found if _normal(f.id) == wanted]
    if by_id:
        return Resolution(by_id[0], choice_note(definitions(found, by_id[0].id)))
    by_alias = [f for f in found if wanted in {_normal(a) for a in f.aliases}]
    if by_alias:
        chosen = by_alias[0]
        note = choice_note(definitions(found, chosen.id))
        other_ids = sorted({f.id for f in by_alias} - {chosen.id})
        if other_ids:
            note = f"别名 {ref!r} 有多个标准使用：采用 {chosen.id!r}，未采用 {other_ids}"
        return Resolution(chosen, note)
    raise StandardError(unknown_message(ref, found))


def unknown_message(ref: str, found: list[StandardFile]) -> str:
    names = _known_names(found)
    lines = [f"未知的评估标准 {ref!r}。"]
    guess = closest_name(ref, list(names))
    if guess is not None:
        lines[0] += f"是否要用 {names[guess]!r}？"
    listing = "、".join(_with_aliases(f) for f in _winners(found)) or "（无）"
    lines.append(f"可用的标准：{listing}")
    lines.append("也可以给出标准文件的路径（.yaml）；用 junheng standards 查看全部。")
    return "\n".join(lines)


def closest_name(ref: str, names: list[str]) -> str | None:
    """The known name closest to ``ref``: equal but for case, spaces, '-' and '_', or
    similar enough by difflib's ratio."""
    compact = _compact(ref)
    for name in names:
        if _compact(name) == compact:
            return name
    matches = difflib.get_close_matches(compact, [_compact(n) for n in names], n=1, cutoff=0.6)
    if not matches:
        return None
    return next(n for n in names if _compact(n) == matches[0])


def _known_names(found: list[StandardFile]) -> dict[str, str]:
    """Every name (id or alias) mapped to the id it stands for."""
    names: dict[str, str] = {}
    for file in found:
        names.setdefault(file.id, file.id)
        for alias in file.aliases:
            names.setdefault(alias, file.id)
    return names


def _winners(found: list[StandardFile]) -> list[StandardFile]:
    first: dict[str, StandardFile] = {}
    for file in found:
        first.setdefault(file.id, file)
    return list(first.values())


def _with_aliases(file: StandardFile) -> str:
    return f"{file.id}（{'、'.join(file.aliases)}）" if file.aliases else file.id


def _normal(text: str) -> str:
    return unicodedata.normalize("NFKC", text).strip().casefold()


def _compact(text: str) -> str:
    return re.sub(r"[\s_\-]+", "", _normal(text))
