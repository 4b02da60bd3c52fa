"""The Python API, for notebooks and scripts (and the layer the command line stands on).

Names are loaded when first used, so that importing the package stays cheap::

    import junheng_cli as jh
    ev = jh.evaluate("示例县.xlsx", standard="quality-2017")
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

# public name → the module that defines it
EXPORTS: dict[str, str] = {
    "evaluate": "junheng_cli.api.evaluation",
    "Evaluated": "junheng_cli.api.evaluation",
    "validate": "junheng_cli.api.validation",
    "Validated": "junheng_cli.api.validation",
    "compare": "junheng_cli.api.comparison",
    "Compared": "junheng_cli.api.comparison",
    "PeriodDataErrors": "junheng_cli.api.comparison",
    "plan": "junheng_cli.api.planning",
    "Planned": "junheng_cli.api.planning",
    "trajectory": "junheng_cli.api.trajectories",
    "Projected": "junheng_cli.api.trajectories",
    "batch": "junheng_cli.api.batching",
    "Batched": "junheng_cli.api.batching",
    "load_standard": "junheng_cli.api.standards",
    "frame_table": "junheng_cli.api.sources",
    "InputError": "junheng_cli.api.errors",
    "InternalError": "junheng_cli.api.errors",
    "JunhengError": "junheng_cli.errors",
    "DataErrors": "junheng_cli.compute.evaluate.stops",
    "NothingToEvaluate": "junheng_cli.compute.evaluate.stops",
}

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
    "Projected",
    "Validated",
    "batch",
    "compare",
    "evaluate",
    "frame_table",
    "load_standard",
    "plan",
    "trajectory",
    "validate",
]

if TYPE_CHECKING:
    from junheng_cli.api.batching import Batched, batch
    from junheng_cli.api.comparison import Compared, PeriodDataErrors, compare
    from junheng_cli.api.errors import InputError, InternalError
    from junheng_cli.api.evaluation import Evaluated, evaluate
    from junheng_cli.api.planning import Planned, plan
    from junheng_cli.api.sources import frame_table
    from junheng_cli.api.standards import load_standard
    from junheng_cli.api.trajectories import Projected, trajectory
    from junheng_cli.api.validation import Validated, validate
    from junheng_cli.compute.evaluate.stops import DataErrors, NothingToEvaluate
    from junheng_cli.errors import JunhengError


def __getattr__(name: str) -> Any:
    module = EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted({*globals(), *EXPORTS})
