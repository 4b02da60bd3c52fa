"""Hostile YAML (issue 12, item 5): every YAML file junheng reads (a standard, a column mapping,
county items, a statistics form map, a scenario) is bounded in size, nesting and alias
is refused with a Chinese message naming the file and exit 2, quickly and without a traceback.
The inputs are built here, a few KB each (the 2 MB file is a run of one character)."""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path

import pytest
from typer.testing import CliRunner

from helpers import primary_school, write_county_file
from junheng_cli.cli.app import app

runner = CliRunner()

# kind of file → (the word junheng names it by, the command line that reads it)
KINDS: dict[str, tuple[str, Callable[[Path, Path], list[str]]]] = {
    "standard": ("标准文件", lambda county, bad: ["evaluate", str(county), "--standard", str(bad)]),
    "columns": (
        "列名映射文件",
        lambda county, bad: ["evaluate", str(county), "--columns", str(bad)],
    ),
    "county-items": (
        "县级指标文件",
        lambda county, bad: [
            "evaluate",
            str(county),
            "--standard",
            "quality-2017",
            "--county-items",
            str(bad),
        ],
    ),
    "forms": (
        "报表映射文件",
        lambda county, bad: [
            "import-stats",
            str(county),
            "-o",
            str(county.parent / "全县.xlsx"),
            "--forms",
            str(bad.parent),
        ],
    ),
    "scenario": (
        "方案文件",
        lambda county, bad: [
            "plan",
            str(county),
            "--standard",
            "quality-2017",
            "--scenario",
            str(bad),
        ],
    ),
}


def county(tmp_path: Path) -> Path:
    schools = [primary_school("甲小学", 400), primary_school("乙小学", 300)]
    return write_county_file(tmp_path / "county.xlsx", schools)


def billion_laughs() -> str:
    """Ten values, each level ten aliases of the one before: 10⁹ values once expanded, in
    under 1 KB. Every kind of file gets the bomb where its values go."""
    lines = ["a0: &a0 [哈, 哈, 哈, 哈, 哈, 哈, 哈, 哈, 哈, 哈]"]
    for n in range(1, 10):
        lines.append(f"a{n}: &a{n} [{', '.join([f'*a{n - 1}'] * 10)}]")
    lines.append("id: *a9")
    lines.append("columns: {小学生人数: *a9}")
    lines.append("变化: *a9")
    return "\n".join(lines) + "\n"


def invoke(kind: str, tmp_path: Path, text: str) -> tuple[object, str, Path]:
    word, command = KINDS[kind]
    bad = tmp_path / "bad.yaml"
    bad.write_text(text, encoding="utf-8")
    result = runner.invoke(app, command(county(tmp_path), bad))
    return result, word, bad


def assert_refused(result, word: str, bad: Path, *parts: str) -> None:
    assert result.exit_code == 2, result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)
    message = result.stderr
    assert f"{word} {bad}" in message or (str(bad) in message and word in message)
    for part in parts:
        assert part in message, message
    assert "Traceback" not in result.output and "Error" not in message


@pytest.mark.parametrize("kind", KINDS)
def test_nested_aliases_are_refused(kind: str, tmp_path: Path) -> None:
    result, word, bad = invoke(kind, tmp_path, billion_laughs())
    assert_refused(result, word, bad, "别名（*）展开后超过", "第 7 行")  # a6: 10⁷ values


def test_nested_aliases_are_refused_in_well_under_a_second(tmp_path: Path) -> None:
    from junheng_cli.io.yaml_safe import YamlRefused, load_yaml

    bad = tmp_path / "bad.yaml"
    bad.write_text(billion_laughs(), encoding="utf-8")
    start = time.perf_counter()
    with pytest.raises(YamlRefused):
        load_yaml(bad, "列名映射文件")
    assert time.perf_counter() - start < 0.5


@pytest.mark.parametrize("kind", KINDS)
def test_twenty_thousand_nested_brackets_are_refused_with_line_and_column(
    kind: str, tmp_path: Path
) -> None:
    text = "变化: " + "[" * 20_000 + "]" * 20_000 + "\n"
    result, word, bad = invoke(kind, tmp_path, text)
    # the mapping is level 1, so the 50th bracket (after 变化, colon and space) is level 51
    assert_refused(result, word, bad, "第 1 行第 54 列", "嵌套超过 50 层")


@pytest.mark.parametrize("kind", KINDS)
def test_a_two_megabyte_file_is_refused_unread(kind: str, tmp_path: Path) -> None:
    text = "# " + "填" * 700_000 + "\n"  # 2.1 MB of UTF-8
    result, word, bad = invoke(kind, tmp_path, text)
    assert_refused(result, word, bad, "文件太大（超过 1 MB）")


def test_an_alias_inside_itself_is_refused(tmp_path: Path) -> None:
    result, word, bad = invoke("columns", tmp_path, "columns: &loop {小学生人数: *loop}\n")
    assert_refused(result, word, bad, "第 1 行", "形成循环")


def test_deep_nesting_through_aliases_is_refused(tmp_path: Path) -> None:
    # each anchor nests 40 deep around the one before: 200 levels once expanded, though no
    # line of the file nests beyond 41
    lines = ["a0: &a0 " + "[" * 40 + "1" + "]" * 40]
    lines += [f"a{n}: &a{n} " + "[" * 40 + f"*a{n - 1}" + "]" * 40 for n in range(1, 5)]
    result, word, bad = invoke("scenario", tmp_path, "\n".join(lines) + "\n变化: *a4\n")
    assert_refused(result, word, bad, "嵌套超过 50 层")


def test_memory_exhausted_while_loading_becomes_the_limit_message(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A MemoryError (or RecursionError) inside PyYAML is the file's fault, not a crash."""
    from junheng_cli.io import yaml_safe

    construct = yaml_safe._BoundedLoader.construct_document

    def exhausted(loader: yaml_safe._BoundedLoader, node: object) -> object:
        if loader.path.name == "bad.yaml":
            raise MemoryError
        return construct(loader, node)

    monkeypatch.setattr(yaml_safe._BoundedLoader, "construct_document", exhausted)
    result, word, bad = invoke("columns", tmp_path, "columns: {小学生人数: students_primary}\n")
    assert_refused(result, word, bad, "内容过于复杂")
