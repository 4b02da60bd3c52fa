"""The YAML files junheng reads go through libyaml's C parser when PyYAML has it (every
standard is read to list them); the pure reader is kept for what the C parser must not see
(nesting beyond the limit) and for wording errors. Both must give the same data and lines."""

from __future__ import annotations

from pathlib import Path

import pytest

from junheng_cli.io import yaml_safe

ROOT = Path(__file__).resolve().parents[1]
SHIPPED = sorted(
    [*ROOT.glob("standards/*.yaml"), *ROOT.glob("src/junheng_cli/data/**/*.yaml")],
    key=str,
)

TRICKY = """\
# anchors, flow collections, quoted keys, block text and numbers of every kind
base: &base {单位: 万元, 系数: 1.0e+4, 开关: yes, 空: ~}
列表:
  - *base
  - [1, 2.5, -3, 0x1F, .inf]
  - {"学校名称": 名称, '学校类型': 类型}
说明: |
  第一行
  第二行
日期: 2017-04-26
"""


def both(path: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[object, object]:
    fast = yaml_safe.load_yaml_document(path, "标准文件")
    monkeypatch.setattr(yaml_safe, "_FAST", False)
    pure = yaml_safe.load_yaml_document(path, "标准文件")
    monkeypatch.setattr(yaml_safe, "_FAST", True)
    return fast, pure


def nested(depth: int) -> object:
    """1 inside ``depth`` lists."""
    value: object = 1
    for _ in range(depth):
        value = [value]
    return value


def lines(document: yaml_safe.YamlDocument) -> tuple[list[int], list[dict[str, int]]]:
    return list(document._lines.values()), list(document._key_lines.values())


@pytest.mark.skipif(not yaml_safe._FAST, reason="PyYAML without libyaml")
@pytest.mark.parametrize("path", SHIPPED, ids=lambda p: p.name)
def test_shipped_files_read_the_same_by_both_readers(
    path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    fast, pure = both(path, monkeypatch)
    assert fast.data == pure.data
    assert lines(fast) == lines(pure)


@pytest.mark.skipif(not yaml_safe._FAST, reason="PyYAML without libyaml")
def test_a_tricky_file_reads_the_same_by_both_readers(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "tricky.yaml"
    path.write_text(TRICKY, encoding="utf-8")
    fast, pure = both(path, monkeypatch)
    assert fast.data == pure.data
    assert fast.data["列表"][0] == {"单位": "万元", "系数": 10000.0, "开关": True, "空": None}
    assert fast.data["列表"][1] == [1, 2.5, -3, 31, float("inf")]
    assert lines(fast) == lines(pure)
    assert fast.line_of(fast.data, "说明") == 7
    assert fast.line_of(fast.data["列表"]) == 4


@pytest.mark.skipif(not yaml_safe._FAST, reason="PyYAML without libyaml")
def test_the_c_parser_is_not_given_deep_nesting_and_errors_keep_their_words(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # the mapping is level 1: 49 brackets reach level 50, and the 1 inside them level 51
    assert yaml_safe._nests_within_limit("a: " + "[" * 49 + "]" * 49)
    assert yaml_safe._nests_within_limit("a: " + "[" * 48 + "1" + "]" * 48)
    assert not yaml_safe._nests_within_limit("a: " + "[" * 49 + "1" + "]" * 49)
    assert not yaml_safe._nests_within_limit("a: " + "[" * 50 + "]" * 50)
    for text, refused in [("[" * 48 + "1" + "]" * 48, False), ("[" * 49 + "1" + "]" * 49, True)]:
        deep = tmp_path / "deep.yaml"
        deep.write_text("a: " + text + "\n", encoding="utf-8")
        for fast in (True, False):
            monkeypatch.setattr(yaml_safe, "_FAST", fast)
            if refused:
                with pytest.raises(yaml_safe.YamlRefused, match="嵌套超过 50 层"):
                    yaml_safe.load_yaml(deep, "标准文件")
            else:
                assert yaml_safe.load_yaml(deep, "标准文件")["a"] == nested(48)
    monkeypatch.setattr(yaml_safe, "_FAST", True)
    bad = tmp_path / "bad.yaml"
    bad.write_text("a: [1, 2\nb: 3\n", encoding="utf-8")
    with pytest.raises(yaml_safe.yaml.YAMLError) as fast:
        yaml_safe.load_yaml(bad, "标准文件")
    monkeypatch.setattr(yaml_safe, "_FAST", False)
    with pytest.raises(yaml_safe.yaml.YAMLError) as pure:
        yaml_safe.load_yaml(bad, "标准文件")
    assert str(fast.value) == str(pure.value)


def test_without_libyaml_the_pure_reader_reads_everything() -> None:
    """A PyYAML built without libyaml (no ``yaml.cyaml``): junheng still imports, and a
    standard and the shipped catalogues read as with it."""
    import subprocess
    import sys

    script = (
        "import sys; sys.modules['yaml.cyaml'] = None\n"
        "import yaml; yaml.__dict__.pop('CSafeLoader', None)\n"
        "from pathlib import Path\n"
        "from junheng_cli.io import yaml_safe\n"
        "from junheng_cli.io.headers import HeaderLookup\n"
        "from junheng_cli.model.fields import FIELDS\n"
        "assert not yaml_safe._FAST and FIELDS\n"
        "data = yaml_safe.load_yaml(Path(sys.argv[1]), '标准文件')\n"
        "print(data['id'], HeaderLookup().match('学校名称').column.name)\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", script, str(ROOT / "standards" / "quality-2017.yaml")],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == ["quality-2017", "name"]
