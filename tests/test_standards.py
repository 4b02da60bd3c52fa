"""Standards are data: loading, validation errors that name the file and the field."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from typer.testing import CliRunner

from helpers import REPO
from junheng_cli.cli.app import app
from junheng_cli.standards.files import StandardError
from junheng_cli.standards.model import load_standard

BASIC_FILE = REPO / "standards" / "basic-2012.yaml"


def test_basic_2012_holds_the_reference_rules() -> None:
    std = load_standard("basic-2012")
    assert len(std.indicators) == 8
    assert std.judgement.mode == "composite" and std.judgement.composite == "mean"
    assert {k.value: v for k, v in std.judgement.limits.items()} == {
        "primary": 0.65,
        "junior": 0.55,
    }
    assert (std.cv.weighting, std.cv.sd) == ("enrollment", "population")
    nine = std.school_types["九年一贯制学校"].levels
    assert {k.value: v for k, v in nine.items()} == {"primary": 1, "junior": 1.1}
    twelve = std.school_types["十二年一贯制学校"].levels
    assert {k.value: v for k, v in twelve.items()} == {"primary": 1, "junior": 1.1, "senior": 1.32}
    assert {k.value: v for k, v in std.school_types["完全中学"].levels.items()} == {
        "junior": 1,
        "senior": 1.2,
    }
    assert std.school_types["教学点"].excluded
    assert std.school_types["特殊教育学校"].excluded


def broken_copy(tmp_path: Path, edit) -> Path:
    data = yaml.safe_load(BASIC_FILE.read_text(encoding="utf-8"))
    edit(data)
    path = tmp_path / "broken.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return path


def test_unknown_numerator_field_names_file_and_field(tmp_path: Path) -> None:
    path = broken_copy(tmp_path, lambda d: d["indicators"][4].update(numerator=["bookz"]))
    with pytest.raises(StandardError) as info:
        load_standard(str(path))
    message = str(info.value)
    assert str(path) in message and "indicators.4" in message and "bookz" in message


def test_missing_limit_names_the_field(tmp_path: Path) -> None:
    path = broken_copy(tmp_path, lambda d: d["judgement"]["limits"].pop("junior"))
    with pytest.raises(StandardError, match=r"judgement\.limits"):
        load_standard(str(path))


def test_negative_split_weight_is_refused(tmp_path: Path) -> None:
    path = broken_copy(
        tmp_path, lambda d: d["school_types"]["九年一贯制学校"]["levels"].update(junior=-1)
    )
    with pytest.raises(StandardError, match=r"school_types\.九年一贯制学校"):
        load_standard(str(path))


def test_a_standard_file_changes_the_result_without_code(tmp_path: Path) -> None:
    # Same data, a file that judges 小学 against 0.30 instead of 0.65: the verdict changes.
    path = broken_copy(tmp_path, lambda d: d["judgement"]["limits"].update(primary=0.30))
    sample = REPO / "sample_data" / "示例县2026.xlsx"
    strict = CliRunner().invoke(app, ["evaluate", str(sample), "--standard", str(path), "--strict"])
    assert strict.exit_code == 3
    official = CliRunner().invoke(app, ["evaluate", str(sample), "--strict"])
    assert official.exit_code == 0


def test_malformed_standard_in_cli_exits_2(tmp_path: Path) -> None:
    path = tmp_path / "bad.yaml"
    path.write_text("id: [unclosed", encoding="utf-8")
    result = CliRunner().invoke(
        app, ["evaluate", str(REPO / "sample_data" / "示例县2026.xlsx"), "--standard", str(path)]
    )
    assert result.exit_code == 2
    assert "不是有效的 YAML" in result.stderr


def test_errors_in_a_standard_file_are_explained_in_chinese(tmp_path: Path) -> None:
    path = tmp_path / "坏标准.yaml"
    path.write_text(
        "id: x\nname: x\nlevels: {primary: 小学}\nindicators: []\n"
        "judgement: {mode: each, limits: {primary: 很低}}\n",
        encoding="utf-8",
    )
    with pytest.raises(StandardError) as caught:
        load_standard(str(path))
    message = str(caught.value)
    assert "字段 version：缺少此项" in message
    assert "字段 indicators：至少应有 1 项" in message
    assert "字段 judgement.limits.primary：应为数字" in message
    assert "required" not in message and "Value error" not in message
