"""Old and open formats read like .xlsx; random garbage in cells only ever gives findings."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import load_workbook
from typer.testing import CliRunner

from helpers import REPO, examples, primary_school, template_frame
from junheng_cli.cli.app import app
from junheng_cli.compute.evaluate import DataErrors, evaluate
from junheng_cli.compute.validate import validate
from junheng_cli.io.sheet_table import read_school_table
from junheng_cli.io.write import write_sheet_xlsx
from junheng_cli.model.findings import RULES
from junheng_cli.standards.model import load_standard

DATA = REPO / "tests" / "data"
BASIC = load_standard("basic-2012")


def evaluate_json(path: Path) -> dict:
    result = CliRunner().invoke(app, ["evaluate", str(path), "--format", "json"])
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


@pytest.fixture(scope="module")
def fixture_xlsx(tmp_path_factory) -> Path:
    import sys

    sys.path.insert(0, str(DATA))
    from make_fixtures import fixture_county

    path = tmp_path_factory.mktemp("fx") / "小县.xlsx"
    write_sheet_xlsx(fixture_county(), path, "学校")
    return path


@pytest.mark.parametrize("suffix", ["xls", "ods"])
def test_xls_and_ods_read_like_xlsx(fixture_xlsx: Path, suffix: str) -> None:
    want = evaluate_json(fixture_xlsx)
    got = evaluate_json(DATA / f"小县.{suffix}")
    assert got["issues"] == []
    assert [s["code"] for s in got["schools"]] == [s["code"] for s in want["schools"]]
    for a, b in zip(got["schools"], want["schools"], strict=True):
        assert a["values"] == pytest.approx(b["values"], rel=1e-12)
    for x, y in zip(got["levels"], want["levels"], strict=True):
        assert x["composite_cv"] == pytest.approx(y["composite_cv"], rel=1e-12)
    assert got["excluded"][0]["name"] == "戊村教学点"


def test_xlsm_reads_like_xlsx(fixture_xlsx: Path, tmp_path: Path) -> None:
    xlsm = tmp_path / "小县.xlsm"
    shutil.copy(fixture_xlsx, xlsm)
    assert evaluate_json(xlsm)["levels"] == evaluate_json(fixture_xlsx)["levels"]


garbage = st.one_of(
    st.none(),
    st.integers(-(10**12), 10**12),
    st.floats(allow_nan=True, allow_infinity=False, width=32),
    st.booleans(),
    st.text(alphabet=st.characters(blacklist_categories=("Cs", "Cc")), min_size=0, max_size=12),
    st.sampled_from(
        [
            "—",
            "/",
            "无",
            "1,2,3",
            "１２",
            "=1+",
            "=A1",
            "#DIV/0!",
            "nan",
            "inf",
            "1e400",
            "0x10",
            " ",
            "合计",
            "九年一贯制",
            "十万",
        ]
    ),
)


@pytest.mark.slow
@settings(
    max_examples=examples(40),
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(cells=st.lists(st.tuples(st.integers(0, 4), st.integers(0, 24), garbage), max_size=12))
def test_garbage_in_cells_gives_only_handled_findings(tmp_path: Path, cells) -> None:
    schools = [primary_school(f"学校{i}", 200 + 50 * i, code=f"C{i}") for i in range(5)]
    path = tmp_path / "garbage.xlsx"
    write_sheet_xlsx(template_frame(schools), path, "学校")
    wb = load_workbook(path)
    ws = wb["学校"]
    for row, col, value in cells:
        ws.cell(row + 2, col + 1, value)
    wb.save(path)
    table = read_school_table([path])
    validated = validate(table, BASIC)
    assert all(f.code in RULES for f in validated.findings)
    for f in validated.findings:
        assert f.message() and f.message("en") and f.hint()
        assert f.file == str(path) and f.sheet == "学校"
    try:
        result = evaluate(validated, BASIC, skip_invalid=True)
    except DataErrors:
        assert validated.frame.empty or any(f.severity == "error" for f in validated.findings)
        return
    assert result.account.balanced
    for level in result.levels:
        for ind in level.indicators:
            assert ind.cv is None or ind.cv >= 0
