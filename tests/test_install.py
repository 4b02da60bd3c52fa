"""Installs and runs like any Python tool: where standards are found, friendly standard names,
usage errors in Chinese, never a traceback. (The built wheel itself is checked by .ci/run.)"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from helpers import REPO
from junheng_cli.cli import evaluate as cli
from junheng_cli.cli.app import app
from junheng_cli.standards.files import StandardError, builtin_standards_dir, resolve
from junheng_cli.standards.model import list_standards, load_resolved, load_standard

SAMPLE = str(REPO / "sample_data" / "示例县2026.xlsx")
QUALITY_FILE = REPO / "standards" / "quality-2017.yaml"


def run(*args: str, **kwargs):
    return CliRunner().invoke(app, list(args), **kwargs)


@pytest.fixture
def elsewhere(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """An unrelated working folder, with no standards/ and no JUNHENG_STANDARDS."""
    folder = tmp_path / "elsewhere"
    folder.mkdir()
    monkeypatch.chdir(folder)
    monkeypatch.delenv("JUNHENG_STANDARDS", raising=False)
    return folder


def province_copy(folder: Path, limit: float, name: str = "quality-2017.yaml") -> Path:
    """A province's copy of quality-2017 that judges 小学 against ``limit``."""
    folder.mkdir(parents=True, exist_ok=True)
    text = QUALITY_FILE.read_text(encoding="utf-8").replace("primary: 0.50", f"primary: {limit}")
    assert f"primary: {limit}" in text
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


def test_built_in_standards_are_found_from_any_folder(elsewhere: Path) -> None:
    assert builtin_standards_dir() is not None
    ids = {entry.file.id for entry in list_standards()}
    assert {"basic-2012", "quality-2017", "example-province-quality"} <= ids
    assert all(entry.file.origin == "builtin" for entry in list_standards())
    result = run("standards")
    assert result.exit_code == 0
    assert "basic-2012" in result.stdout and "内置" in result.stdout


def test_chinese_short_names_are_aliases_declared_in_the_files(elsewhere: Path) -> None:
    assert load_standard("优质均衡").id == "quality-2017"
    assert load_standard("基本均衡").id == "basic-2012"
    assert load_standard("Quality-2017").id == "quality-2017"  # ids ignore case
    # a province file built on quality-2017 does not inherit its alias
    assert load_standard("example-province-quality").aliases == []
    by_alias = run("evaluate", SAMPLE, "--standard", "优质均衡", "--format", "json")
    by_id = run("evaluate", SAMPLE, "--standard", "quality-2017", "--format", "json")
    assert by_alias.exit_code == by_id.exit_code == 0
    assert json.loads(by_alias.stdout) == json.loads(by_id.stdout)


@pytest.mark.parametrize(
    ("typed", "meant"),
    [
        ("quality2017", "quality-2017"),
        ("basic_2012", "basic-2012"),
        ("qualty-2017", "quality-2017"),
    ],
)
def test_an_unknown_name_suggests_the_closest_and_lists_the_rest(
    elsewhere: Path, typed: str, meant: str
) -> None:
    with pytest.raises(StandardError) as caught:
        load_standard(typed)
    message = str(caught.value)
    assert f"是否要用 {meant!r}" in message
    assert "basic-2012（基本均衡）" in message and "quality-2017（优质均衡）" in message
    result = run("evaluate", SAMPLE, "--standard", typed)
    assert result.exit_code == 2
    assert f"是否要用 {meant!r}" in result.stderr


def test_search_order_env_then_current_folder_then_built_in(
    elsewhere: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    local = province_copy(elsewhere / "standards", 0.61)
    standard, note = load_resolved("quality-2017")
    assert standard.judgement.limits["primary"] == 0.61
    assert note is not None and str(local) in note and "覆盖内置" in note

    env_file = province_copy(tmp_path / "env", 0.62)
    monkeypatch.setenv("JUNHENG_STANDARDS", str(env_file.parent))
    standard, note = load_resolved("优质均衡")  # the alias follows the id's winner
    assert standard.judgement.limits["primary"] == 0.62
    # two user files define the id: reported, naming the one used and the one ignored
    assert note is not None and "3 处定义" in note
    assert note.index(str(env_file)) < note.index(str(local))

    listing = run("standards")
    assert listing.exit_code == 0
    assert "未采用" in listing.stdout and "3 处定义" in listing.stdout


def test_a_province_file_may_extend_the_built_in_standard_of_the_same_id(elsewhere: Path) -> None:
    folder = elsewhere / "standards"
    folder.mkdir()
    (folder / "quality-2017.yaml").write_text(
        "id: quality-2017\nextends: quality-2017\nname: 本省优质均衡\nversion: p.1\n"
        "source: 本省文件\njudgement:\n  limits:\n    primary: 0.55\n",
        encoding="utf-8",
    )
    standard = load_standard("quality-2017")
    assert standard.name == "本省优质均衡"
    assert standard.judgement.limits["primary"] == 0.55
    assert standard.judgement.limits["junior"] == 0.45  # inherited from the built-in file
    assert len(standard.indicators) == 7


def test_a_path_is_a_path(elsewhere: Path) -> None:
    assert resolve(str(QUALITY_FILE)).file.origin == "path"
    with pytest.raises(StandardError, match="找不到标准文件"):
        resolve("no/such/file.yaml")


def test_usage_errors_are_in_chinese_with_the_usage_line() -> None:
    missing = run("evaluate")
    assert missing.exit_code == 2
    assert "缺少参数" in missing.stderr and "用法：junheng evaluate" in missing.stderr
    unknown = run("evaluate", SAMPLE, "--bogus")
    assert unknown.exit_code == 2 and "没有选项 --bogus" in unknown.stderr
    no_value = run("evaluate", SAMPLE, "--standard")
    assert no_value.exit_code == 2 and "选项 --standard 后面需要一个值" in no_value.stderr
    bad_choice = run("evaluate", SAMPLE, "--format", "pdf")
    assert bad_choice.exit_code == 2
    assert "--format 的值 'pdf' 无效：应为 table、json、xlsx、csv、html 之一" in bad_choice.stderr
    typo = run("evalute", SAMPLE)
    assert typo.exit_code == 2 and "是否要用 evaluate" in typo.stderr
    gone = run("evaluate", "没有这个文件.xlsx")
    assert gone.exit_code == 2 and "文件不存在" in gone.stderr
    for result in (missing, unknown, no_value, bad_choice, typo, gone):
        assert "Usage:" not in result.stderr and "Traceback" not in result.output
        assert "Missing" not in result.stderr and "No such" not in result.stderr


def test_an_unexpected_failure_is_a_message_and_exit_2(monkeypatch: pytest.MonkeyPatch) -> None:
    def broken(*_args, **_kwargs):
        raise RuntimeError("故意的故障")

    monkeypatch.setattr(cli, "_read_and_validate", broken)
    monkeypatch.delenv("JUNHENG_DEBUG", raising=False)
    quiet = run("evaluate", SAMPLE)
    assert quiet.exit_code == 2
    assert "内部错误（RuntimeError：故意的故障）" in quiet.stderr and "--debug" in quiet.stderr
    assert "Traceback" not in quiet.output
    loud = run("evaluate", SAMPLE, "--debug")
    assert loud.exit_code == 2 and "Traceback" in loud.stderr


def test_memory_error_is_a_message(monkeypatch: pytest.MonkeyPatch) -> None:
    def exhausted(*_args, **_kwargs):
        raise MemoryError

    monkeypatch.setattr(cli, "_read_and_validate", exhausted)
    result = run("evaluate", SAMPLE)
    assert result.exit_code == 2 and "内存不足" in result.stderr


@pytest.mark.parametrize(
    "command",
    [[], ["evaluate"], ["validate"], ["batch"], ["plan"], ["compare"], ["template"], ["collect"]],
)
def test_help_is_not_cut_at_80_columns(command: list[str]) -> None:
    result = run(*command, "--help", env={"COLUMNS": "80"})
    assert result.exit_code == 0
    assert "…" not in result.stdout
    assert "用法：" in result.stdout and "显示本帮助并退出" in result.stdout


def test_standards_as_json_say_where_each_came_from(elsewhere: Path) -> None:
    province_copy(elsewhere / "standards", 0.61)
    result = run("standards", "--format", "json")
    assert result.exit_code == 0
    listed = json.loads(result.stdout)["standards"]
    quality = [s for s in listed if s["id"] == "quality-2017"]
    assert [(s["origin"], s["used"]) for s in quality] == [("cwd", True), ("builtin", False)]
    assert "覆盖内置" in quality[0]["note"]
    basic = next(s for s in listed if s["id"] == "basic-2012")
    assert basic["aliases"] == ["基本均衡"] and basic["error"] is None


OVERVIEW_PROBE = """
import sys
sys.argv = ["junheng", *sys.argv[1:]]
from junheng_cli.cli.entry import main
try:
    main()
except SystemExit as stop:
    heavy = sorted(m for m in ("typer", "rich", "pandas", "pydantic") if m in sys.modules)
    print("@@", stop.code, ",".join(heavy) or "-")
"""


@pytest.mark.parametrize(("args", "code"), [(["--help"], 0), ([], 2)])
def test_the_overview_answers_without_typer_or_pandas(args: list[str], code: int) -> None:
    """`junheng --help` and bare `junheng` print the generated overview, imported nothing heavy
    (issue 17: the help is the first thing a newcomer runs), and name every command."""
    import subprocess
    import sys

    from junheng_cli.cli.entry import OVERVIEW

    done = subprocess.run(
        [sys.executable, "-c", OVERVIEW_PROBE, *args],
        capture_output=True,
        text=True,
        encoding="utf-8",
        check=True,
        env={"PYTHONIOENCODING": "utf-8", "PATH": ""},
    )
    printed, _, probe = done.stdout.rpartition("@@ ")
    assert probe.split() == [str(code), "-"]
    assert printed == OVERVIEW.read_text(encoding="utf-8")
    assert "用法：" in printed and "显示本帮助并退出" in printed
    for name in app.registered_commands:
        command = name.name or name.callback.__name__  # type: ignore[union-attr]
        assert f"\n  {command} " in printed, command


def test_the_overview_fits_80_columns() -> None:
    from junheng_cli.cli.entry import OVERVIEW
    from junheng_cli.io.write import display_width

    lines = OVERVIEW.read_text(encoding="utf-8").splitlines()
    assert len(lines) > 20 and max(display_width(line) for line in lines) <= 80
