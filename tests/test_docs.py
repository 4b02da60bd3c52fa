"""The documentation stays true: no link leaves the repository, README opens with the two
commands CI runs, and the generated pages (the CLI reference, the fields table) are current."""

from __future__ import annotations

import importlib.util
import re
from pathlib import Path
from types import ModuleType

import pytest

from helpers import REPO

DOCS = REPO / "docs"
PAGES = [REPO / "README.md", *sorted(DOCS.glob("*.md"))]
LINK = re.compile(r"!?\[[^\]]*\]\(([^)\s]+)(?:\s+\"[^\"]*\")?\)")
# Written on another branch of the same change (the Python API walk-through).
ARRIVING = {DOCS / "api.md"}
README_COMMANDS = [
    "pip install -e '.[test]' && junheng evaluate sample_data/示例县2026.xlsx",
    "pytest",
]


def script(name: str) -> ModuleType:
    path = DOCS / f"{name}.py"
    spec = importlib.util.spec_from_file_location(f"docs_{name}", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def page_id(path: Path) -> str:
    return str(path.relative_to(REPO))


@pytest.mark.parametrize("page", PAGES, ids=page_id)
def test_no_link_points_outside_the_repository(page: Path) -> None:
    text = page.read_text(encoding="utf-8")
    assert not re.findall(r"https?://\S+", text)
    broken = []
    for target in LINK.findall(text):
        path = target.split("#", 1)[0]
        if not path:  # an anchor on the same page
            continue
        resolved = (page.parent / path).resolve()
        if not resolved.is_relative_to(REPO.resolve()):
            broken.append(f"{target}: outside the repository")
        elif not resolved.exists() and resolved not in ARRIVING:
            broken.append(f"{target}: no such file")
    assert not broken, f"{page_id(page)}: {broken}"


def test_readme_opens_with_the_two_commands_ci_runs() -> None:
    text = (REPO / "README.md").read_text(encoding="utf-8")
    block = re.search(r"^```[a-z]*\n(.*?)^```", text, re.MULTILINE | re.DOTALL)
    assert block is not None
    assert block.group(1).splitlines() == README_COMMANDS
    ci = (REPO / ".ci" / "run").read_text(encoding="utf-8")
    assert all(command in ci.splitlines() for command in README_COMMANDS)


def test_every_docs_page_is_listed_in_the_index() -> None:
    index = (DOCS / "index.md").read_text(encoding="utf-8")
    listed = set(LINK.findall(index))
    pages = {p.name for p in DOCS.glob("*.md") if p.name != "index.md"} | {"api.md"}
    assert pages <= listed, pages - listed


def test_the_cli_reference_is_current() -> None:
    generated = script("make_cli_reference").render()
    current = (DOCS / "cli.md").read_text(encoding="utf-8")
    assert current == generated, "docs/cli.md 不是最新的：请运行 python docs/make_cli_reference.py"


def test_the_help_overview_is_current() -> None:
    from junheng_cli.cli.entry import OVERVIEW

    generated = script("make_cli_reference").render_overview()
    assert OVERVIEW.read_text(encoding="utf-8") == generated, (
        "src/junheng_cli/data/cli-overview.txt 不是最新的：请运行 python docs/make_cli_reference.py"
    )


def test_the_cli_reference_names_every_command_and_option() -> None:
    group = script("make_cli_reference").command_tree()
    page = (DOCS / "cli.md").read_text(encoding="utf-8")
    for name, command in group.commands.items():  # type: ignore[attr-defined]
        assert f"\n## {name}\n" in page
        for param in command.params:
            for option in param.opts if param.param_type_name == "option" else []:
                assert f"`{option}`" in page


def test_the_fields_table_is_current() -> None:
    maker = script("make_fields_table")
    page = (DOCS / "standards.md").read_text(encoding="utf-8")
    assert maker.updated_page(page) == page, (
        "docs/standards.md 的字段表不是最新的：请运行 python docs/make_fields_table.py"
    )
    from junheng_cli.model.fields import FIELDS

    for field in FIELDS.values():
        assert f"`{field.id}" in page
