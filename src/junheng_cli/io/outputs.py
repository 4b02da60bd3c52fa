"""The one check before a command writes a file: never one of its inputs (whatever ``--force``
says), not a folder, a suffix the command writes, and not an existing file without ``--force``.
Every refusal is an ``OutputRefused`` whose message is the Chinese text the command prints."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from junheng_cli.io.guard import (
    Inputs,
    OutputRefused,
    check_output_folder,
    exists,
    is_folder,
    refuse_input_as_output,
)


def check_output(
    output: Path,
    inputs: Inputs,
    force: bool,
    suffixes: Sequence[str] | None = None,
    what: str = "输出文件",
) -> None:
    """An output path that can be written: never one of the command's inputs, not a folder,
    one of ``suffixes`` (when given), and not an existing file without ``force``."""
    refuse_input_as_output(output, inputs, what)
    if is_folder(output):
        raise OutputRefused(
            f"{what} {output} 是一个已存在的文件夹：请给出文件名（如 {output / '报告.xlsx'}）"
        )
    if suffixes is not None and output.suffix.lower() not in suffixes:
        raise OutputRefused(f"{what}应为 {'、'.join(suffixes)} 文件，而不是 {output.name}")
    if exists(output) and not force:
        raise OutputRefused(f"{what} {output} 已存在：加 --force 覆盖")


def check_outputs(targets: Sequence[Path], inputs: Inputs, force: bool, what: str) -> None:
    """Many files written into one folder: none an input; the ones already there are listed
    together (the first three) unless ``force``."""
    for path in targets:
        refuse_input_as_output(path, inputs, what)
    taken = [str(path) for path in targets if exists(path)]
    if taken and not force:
        shown = "、".join(taken[:3]) + (f" 等 {len(taken)} 个" if len(taken) > 3 else "")
        raise OutputRefused(f"文件已存在：{shown}；加 --force 覆盖")


def prepare_output_folder(folder: Path, what: str) -> None:
    """A folder that outputs go into: created when missing; an existing file is refused."""
    check_output_folder(folder, what)
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise OutputRefused(f"无法创建报告文件夹 {folder}：{exc.strerror or exc}") from exc


def annotation_targets(target: Path, files: Sequence[Path]) -> dict[Path, Path]:
    """One annotated copy per input: ``target`` itself, or ``target-文件名.xlsx`` (with the
    folder's name too when two inputs share a file name)."""
    if len(files) == 1:
        return {files[0]: target}
    stems = [f.stem for f in files]
    names = {f: f"{f.parent.name}-{f.stem}" if stems.count(f.stem) > 1 else f.stem for f in files}
    return {f: target.with_name(f"{target.stem}-{names[f]}.xlsx") for f in files}


def check_annotation_target(
    annotate: Path, files: Sequence[Path], inputs: Inputs, force: bool
) -> dict[Path, Path]:
    """``--annotate`` and every copy it stands for (one per input file): input → copy."""
    if is_folder(annotate):
        raise OutputRefused(
            f"标注副本 {annotate} 是一个已存在的文件夹，不是文件：请给出 .xlsx 文件名"
            f"（如 {annotate / '标注.xlsx'}）"
        )
    if annotate.suffix.lower() != ".xlsx":
        raise OutputRefused(f"标注副本应为 .xlsx 文件，而不是 {annotate.name}")
    targets = annotation_targets(annotate, files)
    for target in targets.values():
        check_output(target, inputs, force, (".xlsx",), "标注副本")
    return targets
