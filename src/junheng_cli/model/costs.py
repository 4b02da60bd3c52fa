"""The county's unit costs (单位成本文件, YAML) and the amounts of money a user types.

A cost file prices the additions of a plan, one entry per indicator of the standard, keyed by
the indicator's id (``teaching_area_per_student``) or by what its gap adds (the standard's
``gap.what``: ``教学及辅助用房``). No indicator is named in this code: a province standard that
adds an indicator (生均图书册数 …) is priced by adding its key to the file.

Each entry: ``unit_cost`` (元 per unit of the gap: per ㎡, per 元 of equipment, per room, per
teacher per year), ``teacher`` (whether each unit is a teacher placed at the school and counts
against ``--teachers``; default: the indicator adds teachers), ``transfer`` (元 per teacher per
year when the need can be met by 交流轮岗 instead: a teacher moved in, counted against
``--teachers``; the cheaper of the two ways is used) and ``note``. The built-in example is
``data/costs-example.yaml``; its figures are illustrative only.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from junheng_cli.errors import JunhengError
from junheng_cli.io.yaml_safe import READ_ERRORS, load_yaml_document, read_failure
from junheng_cli.model.fields import MAX_VALUE, short_repr
from junheng_cli.model.pydantic_zh import pydantic_error_zh

EXAMPLE_COSTS = Path(__file__).resolve().parent.parent / "data" / "costs-example.yaml"
KIND = "单位成本文件"


class CostError(JunhengError):
    """A cost file that cannot be read or used, or an amount of money not understood."""


class CostEntry(BaseModel):
    model_config = ConfigDict(extra="forbid")

    unit_cost: float = Field(ge=0, lt=MAX_VALUE)
    teacher: bool | None = None
    transfer: float | None = Field(default=None, ge=0, lt=MAX_VALUE)
    note: str = ""


class CostFile(BaseModel):
    model_config = ConfigDict(extra="forbid")

    name: str
    example: bool = False
    source: str = ""
    note: str = ""
    costs: dict[str, CostEntry] = Field(min_length=1)


@dataclass(frozen=True)
class Costs:
    """A cost file as read: where it came from, its name, and the entries by key."""

    path: Path
    name: str
    example: bool
    source: str
    entries: dict[str, CostEntry]


def load_costs(path: Path | None = None) -> Costs:
    """Read and check a cost file (UTF-8 or GBK); the built-in example without ``path``.
    Raises ``CostError`` naming the file, the line and the key."""
    path = EXAMPLE_COSTS if path is None else Path(path)
    try:
        document = load_yaml_document(path, KIND)
    except READ_ERRORS as exc:
        raise CostError(read_failure(exc, KIND, path)) from exc
    data = document.data
    if not isinstance(data, dict):
        raise CostError(f"{KIND} {path} 的顶层应为键值映射（name、costs …）")
    try:
        parsed = CostFile.model_validate(data)
    except ValidationError as exc:
        lines = [f"{KIND} {path} 有 {exc.error_count()} 处错误："]
        for error in exc.errors():
            loc = [str(part) for part in error["loc"]]
            line = _line(document, data, loc)
            where = f"第 {line} 行，" if line is not None else ""
            lines.append(f"  {where}{'.'.join(loc) or '（顶层）'}：{pydantic_error_zh(error)}")
        raise CostError("\n".join(lines)) from exc
    return Costs(path, parsed.name, parsed.example, parsed.source, dict(parsed.costs))


def _line(document: Any, data: dict[str, Any], loc: list[str]) -> int | None:
    """The line of the deepest mapping of ``loc`` that exists (of its key when there)."""
    node: Any = data
    for key in loc[:-1]:
        if not isinstance(node, dict) or key not in node:
            break
        node = node[key]
    last = loc[-1] if loc else None
    if isinstance(node, dict):
        return document.line_of(node, last) or document.line_of(node)
    return None


# -- amounts of money -------------------------------------------------------------------------

_AMOUNT = re.compile(r"^([0-9][0-9,]*(?:\.[0-9]+)?|\.[0-9]+)(亿|万)?元?$")
_FACTOR = {None: 1.0, "万": 1e4, "亿": 1e8}
AMOUNT_HELP = "请写 500万、5000000、500万元 或 0.5亿"


def parse_amount(text: str | float | int, what: str = "预算") -> float:
    """500万 / 5000000 / 500万元 / 0.5亿 / 5,000,000 → 元. Raises ``CostError``."""
    if isinstance(text, bool):
        raise CostError(f"无法识别{what}金额 {text!r}：{AMOUNT_HELP}")
    if isinstance(text, int | float):
        value = float(text)
    else:
        compact = re.sub(r"\s+", "", str(text)).replace("，", ",").replace("．", ".")
        match = _AMOUNT.match(compact)
        if match is None:
            raise CostError(f"无法识别{what}金额“{short_repr(str(text))[1:-1]}”：{AMOUNT_HELP}")
        value = float(match.group(1).replace(",", "")) * _FACTOR[match.group(2)]
    if not (0 <= value < MAX_VALUE):
        raise CostError(f"{what}金额应不小于 0 且小于 10 万亿元（读到 {short_repr(text)}）")
    return value
