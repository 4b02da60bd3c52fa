"""The periods of a comparison: at least two, each its own data, each with a name, given
oldest first."""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from junheng_cli.errors import JunhengError

MIN_PERIODS = 2
ORDER_TOLERANCE = 3600  # seconds: periods' files modified backwards by more get a warning


class PeriodError(JunhengError, ValueError):
    """The periods cannot be compared as given. The message is for the user (Chinese)."""


def check_count(count: int) -> None:
    if count < MIN_PERIODS:
        raise PeriodError("比较至少需要两期数据：每期一个工作簿，按时间由早到晚给出")


def _digest(path: Path) -> str:
    with path.open("rb") as handle:
        return hashlib.file_digest(handle, "sha256").hexdigest()


def refuse_repeated(files: Sequence[Path]) -> None:
    """One file given for two periods (the same path, or a byte-identical copy under another
    name) would compare a period with itself and report no progress."""
    seen: dict[object, tuple[int, Path]] = {}
    for number, file in enumerate(files, start=1):
        if not file.is_file():
            continue  # reported when the period is read
        for key, why in ((file.resolve(), "是同一个文件"), (_digest(file), "内容完全相同")):
            if key in seen:
                first, earlier = seen[key]
                raise PeriodError(
                    f"第 {first} 期（{earlier}）与第 {number} 期（{file}）{why}：同一期数据不能"
                    "比较两次。请给出各期各自的工作簿，按时间由早到晚排列"
                )
            seen[key] = (number, file)


def labels_of(files: Sequence[Path], labels: str | Sequence[str] | None) -> list[str]:
    """The periods' names: ``labels`` (comma-separated text or a list), or the file names;
    two files of one name are told apart by their folders."""
    if labels is not None:
        parts = labels.replace("，", ",").split(",") if isinstance(labels, str) else labels
        names = [str(part).strip() for part in parts]
        if len(names) != len(files) or not all(names):
            raise PeriodError(
                f"--labels 给了 {len(names)} 个名称，而有 {len(files)} 期：每期一个，逗号分隔"
            )
    else:
        stems = [f.stem for f in files]
        names = [f"{f.parent.name}/{f.stem}" if stems.count(f.stem) > 1 else f.stem for f in files]
    repeated = sorted({n for n in names if names.count(n) > 1})
    if repeated:
        raise PeriodError(f"期别名称重复：{'、'.join(repeated)}。请用 --labels 给每期一个名称")
    return names


@dataclass(frozen=True)
class OutOfOrder:
    """A period's file modified before the one of the period given before it."""

    earlier: Path
    earlier_time: float
    later: Path
    later_time: float


def out_of_order(files: Sequence[Path]) -> list[OutOfOrder]:
    """Periods are taken oldest first; files modified in the reverse order are worth a word
    (not an error: a copied file gets a new modification time). Files written within
    ``ORDER_TOLERANCE`` of each other (generated or copied together) say nothing about it."""
    present = [f for f in files if f.is_file()]
    times = [f.stat().st_mtime for f in present]
    return [
        OutOfOrder(present[k - 1], times[k - 1], present[k], times[k])
        for k in range(1, len(present))
        if times[k] < times[k - 1] - ORDER_TOLERANCE
    ]
