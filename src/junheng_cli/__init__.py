"""junheng（均衡）：县域义务教育均衡发展指标计算工具。

The Python API (``evaluate``, ``validate``, ``compare``, ``plan``, ``trajectory``, ``batch``,
``load_standard``, ``JunhengError`` …) is loaded on first use: ``import junheng_cli`` stays
cheap, and ``junheng --help`` does not load pandas. See docs/api.md.
"""

from __future__ import annotations

TYPE_CHECKING = False  # not ``typing.TYPE_CHECKING``: importing typing costs ~10 ms

__version__ = "0.1.0"

if TYPE_CHECKING:
    from typing import Any

    from junheng_cli.api import *  # noqa: F403 (the API's names, for type checkers)


def __getattr__(name: str) -> Any:
    import importlib

    api = importlib.import_module("junheng_cli.api")
    if name not in api.EXPORTS:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(api, name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    import importlib

    api = importlib.import_module("junheng_cli.api")
    return sorted({*globals(), *api.EXPORTS})
