"""Hostile figures and interrupted writes (issue 12, items 8 and 9).

Scenario and county-item figures are bounded like school data (finite, below 1e13): 1e308 ㎡ or
1e23 teachers are refused with their file and line (exit 2), never carried into overflowing
sums, numpy warnings and NaN CVs. A write that fails leaves no temporary file, and one left by
a killed run (kill -9) is removed by the next write to the same output."""

from __future__ import annotations

import json
import os
import time
from pathlib import Path

import pandas as pd
import pytest
from typer.testing import CliRunner

from helpers import primary_school, template_frame, write_county_file
from junheng_cli.cli.app import app
from junheng_cli.io.write import write_atomic, write_sheets_xlsx, write_text_atomic

runner = CliRunner()
HOUR_AGO = time.time() - 3600


def county(tmp_path: Path) -> Path:
    schools = [primary_school("甲小学", 400), primary_school("乙小学", 300)]
    return write_county_file(tmp_path / "county.xlsx", schools)


def plan_with(tmp_path: Path, scenario: str):
    path = tmp_path / "方案.yaml"
    path.write_text(scenario, encoding="utf-8")
    args = ["plan", str(county(tmp_path)), "--standard", "quality-2017", "--scenario", str(path)]
    return runner.invoke(app, args), path


def assert_no_numeric_noise(result) -> None:
    assert "RuntimeWarning" not in result.output and "overflow" not in result.output


# -- item 8: absurd figures --------------------------------------------------------------------
FINE_ENTRY = "变化:\n  - 学校: 乙小学\n    增加: 县级以上骨干教师\n    数量: 1\n"


@pytest.mark.parametrize(
    "entry",
    [
        "  - 学校: 甲小学\n    增加: 教学及辅助用房面积\n    数量: 1.0e+308\n",
        "  - 学校: 甲小学\n    增加: 县级以上骨干教师\n    数量: 1.0e+23\n",
        "  - 学校: 甲小学\n    增加: 图书册数\n    数量: " + "9" * 400 + "\n",
        "  - 调出: 甲小学\n    调入: 乙小学\n    教师: 县级以上骨干教师\n    数量: 1.0e+23\n",
    ],
    ids=["area-1e308", "teachers-1e23", "books-400-digits", "move-1e23"],
)
def test_absurd_scenario_amounts_are_refused_with_their_line(tmp_path: Path, entry: str) -> None:
    result, path = plan_with(tmp_path, FINE_ENTRY + entry)
    assert result.exit_code == 2, result.output
    line = 4 + entry.count("\n")  # the 数量 line of the second entry
    assert f"方案文件 {path}" in result.stderr
    assert f"第 {line} 行，第 2 项变化" in result.stderr
    assert "绝对值小于 10 万亿" in result.stderr
    assert "9" * 50 not in result.stderr  # a 400-digit number is not repeated in full
    assert_no_numeric_noise(result)


def test_a_scenario_cannot_push_a_figure_beyond_the_bound(tmp_path: Path) -> None:
    # each amount is below 1e13 ㎡, their sum at one school is not
    entry = "  - {学校: 甲小学, 增加: 教学及辅助用房面积, 数量: 9000000000000}\n"
    result, path = plan_with(tmp_path, "变化:\n" + entry + entry)
    assert result.exit_code == 2, result.output
    assert f"方案文件 {path}：第 2 项变化（甲小学）" in result.stderr
    assert "变化后教学及辅助用房面积为 1.8e+13，大得不合理" in result.stderr
    assert_no_numeric_noise(result)


@pytest.mark.parametrize("value", ["1.0e+308", ".inf", "-.inf", ".nan", "1" + "0" * 400])
def test_absurd_county_items_are_refused_with_their_line(tmp_path: Path, value: str) -> None:
    items = tmp_path / "县级.yaml"
    items.write_text(f"社会认可度: 90\n特殊教育学校生均公用经费: {value}\n", encoding="utf-8")
    args = ["evaluate", str(county(tmp_path)), "--standard", "quality-2017"]
    result = runner.invoke(app, [*args, "--county-items", str(items)])
    assert result.exit_code == 2, result.output
    assert f"{items}：第 2 行：县级指标 '特殊教育学校生均公用经费'" in result.stderr
    assert "绝对值小于 10 万亿" in result.stderr
    assert "0" * 50 not in result.stderr  # a 400-digit number is not repeated in full
    assert_no_numeric_noise(result)


def test_an_absurd_county_figure_in_the_sheet_is_a_located_warning(tmp_path: Path) -> None:
    items = pd.DataFrame({"指标": ["社会认可度", "初中三年巩固率"], "数值": [1e308, 96.5]})
    path = tmp_path / "county.xlsx"
    schools = template_frame([primary_school("甲小学", 400), primary_school("乙小学", 300)])
    write_sheets_xlsx({"学校": schools, "县级指标": items}, path)
    result = runner.invoke(
        app, ["evaluate", str(path), "--standard", "quality-2017", "--format", "json"]
    )
    assert result.exit_code == 0, result.output
    doc = json.loads(result.stdout)
    values = {i["id"]: i["value"] for i in doc["county_items"]}
    assert values["social_recognition"] is None  # left out, not 1e308
    assert values["retention_junior"] == 96.5
    (warning,) = [i for i in doc["issues"] if i["code"] == "W_COUNTY_NOT_NUMBER"]
    assert (warning["sheet"], warning["row"], warning["column"]) == ("县级指标", 2, "B")


# -- item 9: temporary files -------------------------------------------------------------------
def leftover(folder: Path, name: str, mtime: float = HOUR_AGO) -> Path:
    """A 0-byte temporary file as a write killed with kill -9 leaves it."""
    path = folder / name
    path.write_bytes(b"")
    os.utime(path, (mtime, mtime))
    return path


def hidden_files(folder: Path) -> set[str]:
    return {p.name for p in folder.iterdir() if p.name.startswith(".")}


def test_the_next_write_removes_its_own_stale_temp_files_only(tmp_path: Path) -> None:
    target = tmp_path / "报告.csv"
    stale = leftover(tmp_path, ".报告.ab12cd_4.csv")
    others = {
        leftover(tmp_path, ".报告.ab12cd34.xlsx").name,  # another output's (报告.xlsx)
        leftover(tmp_path, ".报告2.ab12cd34.csv").name,  # another output's (报告2.csv)
        leftover(tmp_path, ".报告.ab12cd3.csv").name,  # not tempfile's pattern
        leftover(tmp_path, ".报告.zz99zz99.csv", time.time()).name,  # a write under way
    }
    write_text_atomic(target, "学校,值\n甲,1\n")
    assert target.read_text(encoding="utf-8") == "学校,值\n甲,1\n"
    assert not stale.exists()
    assert hidden_files(tmp_path) == others


def test_a_report_written_by_the_cli_removes_a_killed_runs_leftover(tmp_path: Path) -> None:
    path = county(tmp_path)
    stale = leftover(tmp_path, ".报告.k3j4h5g6.xlsx")
    target = tmp_path / "报告.xlsx"
    result = runner.invoke(app, ["evaluate", str(path), "--output", str(target)])
    assert result.exit_code == 0, result.output
    assert target.read_bytes()[:2] == b"PK"
    assert not stale.exists()
    assert hidden_files(tmp_path) == set()


@pytest.mark.parametrize("interruption", [RuntimeError("磁盘已满"), KeyboardInterrupt()])
def test_a_failed_write_leaves_no_temp_file_and_the_old_output(
    tmp_path: Path, interruption: BaseException
) -> None:
    target = tmp_path / "报告.csv"
    target.write_text("上次的报告\n", encoding="utf-8")
    leftover(tmp_path, ".报告.x1y2z3w4.csv")

    def fail_halfway(tmp: Path) -> None:
        tmp.write_text("写了一半", encoding="utf-8")
        raise interruption

    with pytest.raises(type(interruption)):
        write_atomic(target, fail_halfway)
    assert target.read_text(encoding="utf-8") == "上次的报告\n"
    assert hidden_files(tmp_path) == set()  # neither this write's nor the killed one's


def test_a_terminated_write_leaves_no_temp_file(tmp_path: Path) -> None:
    """SIGTERM (a killed job) unwinds like Ctrl-C: the half-written temporary file goes."""
    import signal
    import subprocess
    import sys

    script = f"""
import time
from pathlib import Path
import junheng_cli.io.write as write
from junheng_cli.cli.support import JunhengGroup

def slow(target, text, encoding="utf-8"):
    with write.atomic_path(target) as tmp:
        tmp.write_text("half", encoding=encoding)
        print("writing", flush=True)
        time.sleep(30)

class Stub(JunhengGroup):
    def invoke(self, ctx):
        slow(Path({str(tmp_path / "报告.json")!r}), "{{}}")

Stub(name="junheng").main(["x"])
"""
    proc = subprocess.Popen(
        [sys.executable, "-c", script], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )
    assert proc.stdout is not None and proc.stdout.readline().strip() == "writing"
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".报告.")]  # under way
    proc.send_signal(signal.SIGTERM)
    assert proc.wait(timeout=20) == 128 + signal.SIGTERM
    assert list(tmp_path.iterdir()) == []
