"""junheng（均衡）：县域义务教育均衡发展指标计算工具。

The Python API (``evaluate``, ``validate``, ``compare``, ``plan``, ``batch``,
``load_standard``, ``JunhengError`` …) is loaded on first use: ``import junheng_cli`` stays
cheap, and ``junheng --help`` does not load pandas. See docs/api.md.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"

__all__ = [
    "Batched",
    "Compared",
    "DataErrors",
    "Evaluated",
    "InputError",
    "InternalError",
    "JunhengError",
    "NothingToEvaluate",
    "PeriodDataErrors",
    "Planned",
    "Validated",
    "__version__",
    "batch",
    "compare",
    "evaluate",
    "frame_table",
    "load_standard",
    "plan",
    "validate",
]

if TYPE_CHECKING:
    from junheng_cli.api import (
        Batched,
        Compared,
        DataErrors,
        Evaluated,
        InputError,
        InternalError,
        JunhengError,
        NothingToEvaluate,
        PeriodDataErrors,
        Planned,
        Validated,
        batch,
        compare,
        evaluate,
        frame_table,
        load_standard,
        plan,
        validate,
    )


def __getattr__(name: str) -> Any:
    api = importlib.import_module("junheng_cli.api")
    if name not in api.EXPORTS:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(api, name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    api = importlib.import_module("junheng_cli.api")
    return sorted({*globals(), *api.EXPORTS})
