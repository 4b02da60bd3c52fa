"""The Python API as users call it (``import junheng_cli as jh``): the same documents as the
command line, byte for byte; DataFrames in; every error a JunhengError; a cheap import; and
docs/api.md runs."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pandas as pd
import pytest

import junheng_cli as jh
from golden_cases import GOLDEN, ROOT
from junheng_cli.model.fields import template_columns
from junheng_cli.report.json import to_json

SAMPLE = ROOT / "sample_data" / "示例县2026.xlsx"
QUARTERS = [SAMPLE, ROOT / "sample_data/示例县2026Q2.xlsx", ROOT / "sample_data/示例县2026Q3.xlsx"]


@pytest.fixture(autouse=True)
def _at_root(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)  # the documents name the files as given: relative, as the CLI's


def _quality() -> Any:
    return jh.evaluate("sample_data/示例县2026.xlsx", standard="quality-2017")


def _quarters() -> Any:
    return jh.compare([str(p.relative_to(ROOT)) for p in QUARTERS], standard="quality-2017")


API: dict[str, Callable[[], Any]] = {
    "evaluate-basic": lambda: jh.evaluate("sample_data/示例县2026.xlsx"),
    "evaluate-quality": _quality,
    "validate": lambda: jh.validate("sample_data/示例县2026.xlsx", standard="quality-2017"),
    "compare": _quarters,
    "plan": lambda: jh.plan(_quality()),
    "plan-transfers": lambda: jh.plan(_quality(), transfers=True),
    "batch": lambda: jh.batch(["sample_data/示例县2026.xlsx"], standard="quality-2017"),
}


@pytest.mark.parametrize("name", list(API))
def test_to_dict_is_the_commands_json_byte_for_byte(name: str) -> None:
    """Against the golden files, which test_golden holds equal to the commands' output."""
    assert to_json(API[name]().to_dict()).encode() == (GOLDEN / f"{name}.json").read_bytes()


def test_evaluation_gives_plain_values_and_frames() -> None:
    ev = _quality()
    document = ev.to_dict()
    assert ev.passed is document["passed"] is False
    assert ev.summary == document["summary"]
    frames = ev.frames()
    assert list(frames) == [
        "levels",
        "indicators",
        "schools",
        "checks",
        "gaps",
        "excluded",
        "findings",
    ]
    indicators = frames["indicators"]
    cvs = [(i["id"], i["cv"]) for level in document["levels"] for i in level["indicators"]]
    assert list(zip(indicators["indicator"], indicators["cv"], strict=True)) == cvs
    assert len(frames["schools"]) == len(document["schools"])
    assert len(frames["gaps"]) == len(document["gaps"])
    assert all(re.fullmatch(r"[a-z_0-9]+", str(c)) for f in frames.values() for c in f.columns)


def _cvs(document: dict[str, Any]) -> list[tuple[str, str, float | None]]:
    return [(lv["level"], i["id"], i["cv"]) for lv in document["levels"] for i in lv["indicators"]]


def _schools() -> pd.DataFrame:
    return pd.read_excel(SAMPLE, sheet_name="学校", engine="calamine")


def test_a_dataframe_with_chinese_headers_or_canonical_names_gives_the_files_cvs() -> None:
    expected = _cvs(_quality().to_dict())
    chinese = _schools()
    assert "小学在校生数" in chinese.columns
    assert _cvs(jh.evaluate(chinese, standard="quality-2017").to_dict()) == expected
    names = {c.header_with_unit: c.name for c in template_columns()}
    canonical = chinese.rename(columns=names)
    assert "students_primary" in canonical.columns
    assert _cvs(jh.evaluate(canonical, standard="优质均衡").to_dict()) == expected


def test_a_bad_dataframe_cell_is_a_finding_at_the_dataframes_row() -> None:
    frame = _schools()
    frame.index = range(100, 100 + len(frame))
    frame.loc[105, "小学在校生数"] = -3
    checked = jh.validate(frame, standard="quality-2017")
    assert checked.has_errors
    found = checked.findings.query("code == 'E_NEGATIVE'")
    assert found[["file", "sheet", "row", "column", "header"]].values.tolist() == [
        ["DataFrame", "DataFrame", 105, "F", "小学在校生数"]
    ]
    with pytest.raises(jh.DataErrors) as stopped:
        jh.evaluate(frame, standard="quality-2017")
    assert any(f.code == "E_NEGATIVE" and f.row == 105 for f in stopped.value.findings)


def test_county_items_as_a_dict() -> None:
    from_file = _quality().to_dict()["county_items"]
    given = {i["id"]: i["value"] for i in from_file if i["value"] is not None}
    given["教师交流轮岗比例"] = given.pop("rotation_rate")  # a Chinese name works as well
    ev = jh.evaluate(_schools(), standard="quality-2017", county_items=given)
    items = ev.to_dict()["county_items"]
    assert [(i["id"], i["value"], i["passed"]) for i in items] == [
        (i["id"], i["value"], i["passed"]) for i in from_file
    ]
    with pytest.raises(jh.JunhengError, match="nope"):
        jh.evaluate(_schools(), standard="quality-2017", county_items={"nope": 1})
    with pytest.raises(jh.JunhengError, match="没有县级指标"):
        jh.evaluate(_schools(), standard="basic-2012", county_items={"rotation_rate": 1})


@pytest.mark.parametrize(
    "call",
    [
        lambda: jh.evaluate("sample_data/示例县2026.xlsx", standard="no-such-standard"),
        lambda: jh.load_standard("no-such-standard"),
        lambda: jh.evaluate("没有这个文件.xlsx"),
        lambda: jh.evaluate(42),
        lambda: jh.compare(["sample_data/示例县2026.xlsx"]),
        lambda: jh.compare(["sample_data/示例县2026.xlsx", "sample_data/示例县2026.xlsx"]),
        lambda: jh.batch([]),
        lambda: jh.plan(_quality(), scenario="没有这个方案.yaml"),
    ],
)
def test_every_error_is_a_junheng_error(call: Callable[[], Any]) -> None:
    with pytest.raises(jh.JunhengError):
        call()


def test_load_standard_by_id_or_alias() -> None:
    quality = jh.load_standard("quality-2017")
    assert quality.id == "quality-2017" and "优质均衡" in quality.aliases
    assert jh.load_standard("优质均衡").id == "quality-2017"


def test_import_junheng_cli_does_not_import_pandas() -> None:
    code = (
        "import sys, junheng_cli, junheng_cli.cli.app\n"
        "assert junheng_cli.__version__\n"
        "print(sorted(m for m in sys.modules if m.split('.')[0] in ('pandas', 'numpy')))"
    )
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)}
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "[]"


def _python_blocks(page: Path) -> list[str]:
    return re.findall(r"^```python\n(.*?)^```", page.read_text("utf-8"), re.S | re.M)


def test_docs_api_page_runs(capsys: pytest.CaptureFixture[str]) -> None:
    page = ROOT / "docs" / "api.md"
    blocks = _python_blocks(page)
    assert len(blocks) >= 8
    namespace: dict[str, Any] = {"__name__": "docs_api"}
    for number, block in enumerate(blocks, start=1):
        try:
            exec(compile(block, f"docs/api.md block {number}", "exec"), namespace)
        except Exception as exc:
            raise AssertionError(f"docs/api.md block {number} failed:\n{block}") from exc
    capsys.readouterr()


def test_docs_api_page_links_stay_in_the_repository() -> None:
    text = (ROOT / "docs" / "api.md").read_text("utf-8")
    links = re.findall(r"\]\(([^)]+)\)", text)
    assert not [link for link in links if re.match(r"[a-z]+:", link)], links
    for link in links:
        assert (ROOT / "docs" / link.split("#")[0]).exists(), link
