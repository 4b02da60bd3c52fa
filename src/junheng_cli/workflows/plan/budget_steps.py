"""The steps a budget plan chooses from, cut from the least-additions plan and priced by the
county's cost file.

A step is one of:
- ``school``: bring one school to the school rule — every addition the full plan makes to
  that school to reach the rule (step 1 of ``additions``), all of its level units together
  (a 九年一贯制 school's 小学 and 初中 parts share its rooms, ground and equipment, so they
  are one step);
- ``cv``: one school's addition to one indicator that the full plan makes to bring a CV under
  its limit (step 2), on top of the school rule;
- ``indicator`` (goal ``cv``): one school's whole addition to one indicator (both stages).
The amounts are the plan's, so buying every step is exactly the full plan.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from junheng_cli.compute.validate import ValidatedTable
from junheng_cli.io.sheet_table import ROW, SOURCE
from junheng_cli.model.costs import CostEntry, CostError, Costs
from junheng_cli.model.fields import TEACHER_PARTS, Level
from junheng_cli.model.sources import Origin
from junheng_cli.standards.indicators import Indicator
from junheng_cli.standards.model import Standard
from junheng_cli.workflows.plan.additions import Plan
from junheng_cli.workflows.plan.common import gap_spec
from junheng_cli.workflows.plan.listing import PlanAddition
from junheng_cli.workflows.scenario import TEACHERS, target_field

SCHOOL, CV_STEP, INDICATOR = "school", "cv", "indicator"
BUY, HIRE, TRANSFER, TRAIN = "buy", "hire", "transfer", "train"


@dataclass(frozen=True)
class Price:
    """How one indicator's additions are paid for: 元 per unit, the way, and whether each
    unit is a teacher placed at the school (counted against ``--teachers``)."""

    unit_cost: float
    way: str  # buy / hire / transfer / train
    teacher: bool
    key: str  # the key of the cost file that priced it


@dataclass(frozen=True)
class StepItem:
    indicator: str
    indicator_name: str
    label: str
    what: str
    unit: str
    field: str
    level: Level | None  # None: a whole-school quantity
    amount: float
    unit_cost: float
    way: str
    teachers: float  # teachers placed at the school (against --teachers)

    @property
    def cost(self) -> float:
        return self.amount * self.unit_cost

    @property
    def column(self) -> str:
        return self.field if self.level is None else f"{self.field}_{self.level.value}"


@dataclass(frozen=True)
class Step:
    key: int
    kind: str  # school / cv / indicator
    row: object  # the school's label in the validated frame
    code: str
    name: str
    type: str
    origin: Origin
    items: tuple[StepItem, ...]

    @property
    def cost(self) -> float:
        return float(sum(i.cost for i in self.items))

    @property
    def teachers(self) -> float:
        return float(sum(i.teachers for i in self.items))


def is_teacher_indicator(ind: Indicator) -> bool:
    return target_field(ind) in (TEACHERS, *TEACHER_PARTS)


def prices(standard: Standard, costs: Costs) -> tuple[dict[str, Price], list[str]]:
    """Each indicator's price (those the file prices), and the file's keys that price no
    indicator of this standard. A key matches an indicator by id, by what its gap adds, by
    name or by short name; two keys pricing one indicator is an error."""
    found: dict[str, Price] = {}
    used: set[str] = set()
    for ind in standard.indicators:
        names = [ind.id, gap_spec(ind)[2], ind.name, ind.short_name]
        keys = [k for k in costs.entries if k.strip() in names]
        if len(keys) > 1:
            shown = "、".join(f"“{k}”" for k in keys)
            raise CostError(
                f"单位成本文件 {costs.path}：{shown} 都是指标“{ind.name}”（{ind.id}）的成本，"
                "只能留一项"
            )
        if keys:
            used.add(keys[0])
            found[ind.id] = _price(costs.entries[keys[0]], ind, keys[0])
    return found, [k for k in costs.entries if k not in used]


def _price(entry: CostEntry, ind: Indicator, key: str) -> Price:
    teacher_kind = is_teacher_indicator(ind)
    counts = teacher_kind if entry.teacher is None else entry.teacher
    if entry.transfer is not None and entry.transfer < entry.unit_cost:
        return Price(entry.transfer, TRANSFER, True, key)
    if not teacher_kind:
        return Price(entry.unit_cost, BUY, counts, key)
    return Price(entry.unit_cost, HIRE if counts else TRAIN, counts, key)


def plan_steps(
    plan: Plan, validated: ValidatedTable, costs: Costs, by_indicator: bool
) -> tuple[list[Step], list[str]]:
    """The plan's additions as steps (see the module docstring), school by school in the
    workbook's order, and the cost file's unused keys. Raises ``CostError`` when an
    indicator the plan adds to has no price."""
    standard = plan.standard
    priced, unused = prices(standard, costs)
    needed = {a.indicator for a in plan.additions}
    missing = [ind for ind in standard.indicators if ind.id in needed and ind.id not in priced]
    if missing:
        lines = [
            f"“{ind.name}”（{ind.id}，补充{gap_spec(ind)[2]}，单位：{gap_spec(ind)[0]}）"
            for ind in missing
        ]
        example = gap_spec(missing[0])[2]
        raise CostError(
            f"单位成本文件 {costs.path} 缺少方案要用到的指标的单位成本：{'；'.join(lines)}。"
            f"请在 costs 下加上，如 {example}: {{unit_cost: 数值}}"
        )
    rows = _row_labels(validated)
    order = {ind.id: n for n, ind in enumerate(standard.indicators)}
    additions = sorted(
        plan.additions, key=lambda a: (rows[_origin_key(a.origin)][1], order[a.indicator])
    )
    steps: list[Step] = []
    if by_indicator:
        for a in additions:
            _append(steps, INDICATOR, [(a, a.total)], rows, priced)
        return steps, unused
    by_school: dict[tuple[str, str, int], list[PlanAddition]] = {}
    for a in additions:
        by_school.setdefault(_origin_key(a.origin), []).append(a)
    for mine in by_school.values():
        _append(steps, SCHOOL, [(a, a.to_threshold) for a in mine], rows, priced)
    for mine in by_school.values():
        for a in mine:
            _append(steps, CV_STEP, [(a, a.for_cv)], rows, priced)
    return steps, unused


def _append(
    steps: list[Step],
    kind: str,
    amounts: list[tuple[PlanAddition, float]],
    rows: dict[tuple[str, str, int], tuple[object, int]],
    priced: dict[str, Price],
) -> None:
    items = tuple(_item(a, amount, priced[a.indicator]) for a, amount in amounts if amount > 0)
    if not items:
        return
    a = amounts[0][0]
    label = rows[_origin_key(a.origin)][0]
    steps.append(Step(len(steps), kind, label, a.code, a.name, a.type, a.origin, items))


def _item(a: PlanAddition, amount: float, price: Price) -> StepItem:
    return StepItem(
        indicator=a.indicator,
        indicator_name=a.indicator_name,
        label=a.label,
        what=a.what,
        unit=a.unit,
        field=a.field,
        level=a.level,
        amount=float(amount),
        unit_cost=price.unit_cost,
        way=price.way,
        teachers=float(amount) if price.teacher else 0.0,
    )


def _origin_key(origin: Origin) -> tuple[str, str, int]:
    return (origin.file, origin.sheet, origin.row)


def _row_labels(validated: ValidatedTable) -> dict[tuple[str, str, int], tuple[object, int]]:
    """(file, sheet, row) → (the row's label in the frame, its position)."""
    frame = validated.frame
    sheets = validated.table.sheets
    return {
        (sheets[int(source)].file, sheets[int(source)].sheet, int(row)): (label, n)
        for n, (label, source, row) in enumerate(
            zip(frame.index, frame[SOURCE], frame[ROW], strict=True)
        )
    }


def step_additions(steps: list[Step], ids: list[int] | None = None) -> pd.DataFrame:
    """The additions of steps as rows (``step``, ``label``, ``column``, ``amount``); ``ids``:
    the step each row belongs to is renumbered by position in ``steps``."""
    rows = [
        (n if ids is None else ids[n], step.row, item.column, item.amount)
        for n, step in enumerate(steps)
        for item in step.items
    ]
    return pd.DataFrame(rows, columns=["step", "label", "column", "amount"]).astype(
        {"amount": np.float64}
    )
