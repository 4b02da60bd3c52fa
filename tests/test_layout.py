"""The package's layout holds: layers import only downwards, every error derives from
JunhengError, and no module grows past what a reader takes in at once."""

from __future__ import annotations

import ast
import importlib
import inspect
import pkgutil
from pathlib import Path

import pytest

import junheng_cli
from junheng_cli.errors import JunhengError

PACKAGE = Path(junheng_cli.__file__).resolve().parent
# A module may import its own layer and the layers below it, never one above.
LAYERS = {
    "errors": 0,
    "model": 0,
    "io": 0,
    "standards": 0,
    "compute": 1,
    "workflows": 2,
    "report": 3,
    "api": 4,  # the Python API: workflows and the JSON documents, for notebooks and the CLI
    "cli": 5,
}
MAX_LINES = 420  # "no module over ~400 lines"


def _modules() -> list[Path]:
    return sorted(p for p in PACKAGE.rglob("*.py") if "__pycache__" not in p.parts)


def _layer(parts: tuple[str, ...]) -> str | None:
    """The layer of ``junheng_cli.<parts>``: its first component (``api`` for the package's
    own ``__init__``, which re-exports the API)."""
    if not parts or parts == ("__init__",):
        return "api"
    head = parts[0]
    return head if head in LAYERS else None


def _imported(tree: ast.AST) -> set[tuple[str, ...]]:
    """Every junheng_cli module a file imports, at the top or inside a function."""
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names = [a.name for a in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names = [node.module]
        else:
            continue
        for name in names:
            parts = tuple(name.split("."))
            if parts[0] == "junheng_cli" and len(parts) > 1:
                found.add(parts[1:])
    return found


def test_layers_import_only_downwards() -> None:
    upward = []
    for path in _modules():
        relative = path.relative_to(PACKAGE).with_suffix("").parts
        mine = _layer(relative)
        if mine is None or relative == ("__main__",):
            continue
        for target in _imported(ast.parse(path.read_text("utf-8"))):
            theirs = _layer(target)
            if theirs is not None and LAYERS[theirs] > LAYERS[mine]:
                upward.append(f"{'/'.join(relative)} ({mine}) imports {'.'.join(target)}")
    assert not upward, "\n".join(upward)


def test_every_module_is_in_a_layer() -> None:
    loose = [
        "/".join(p.relative_to(PACKAGE).parts)
        for p in _modules()
        if _layer(p.relative_to(PACKAGE).with_suffix("").parts) is None and p.name != "__main__.py"
    ]
    assert not loose, loose


def test_every_exception_derives_from_junheng_error() -> None:
    strays = []
    for info in pkgutil.walk_packages(junheng_cli.__path__, "junheng_cli."):
        if info.name.endswith("__main__"):
            continue
        module = importlib.import_module(info.name)
        for name, value in vars(module).items():
            if (
                inspect.isclass(value)
                and issubclass(value, BaseException)
                and value.__module__ == module.__name__
                and not issubclass(value, JunhengError)
            ):
                strays.append(f"{info.name}.{name}")
    assert not strays, strays


@pytest.mark.parametrize("path", _modules(), ids=lambda p: "/".join(p.relative_to(PACKAGE).parts))
def test_module_stays_short(path: Path) -> None:
    lines = len(path.read_text("utf-8").splitlines())
    assert lines <= MAX_LINES, f"{lines} lines"
