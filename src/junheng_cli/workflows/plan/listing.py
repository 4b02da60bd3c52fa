"""The least-additions plan as it is listed and saved: per school and indicator
(``PlanAddition``), per indicator (``PlanTotal``), and as a scenario of 增加 entries."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import pandas as pd

from junheng_cli.compute.validate import ValidatedTable
from junheng_cli.model.fields import FIELDS, Level, quantity_text
from junheng_cli.model.results import UnitResult
from junheng_cli.model.sources import Origin
from junheng_cli.standards.indicators import Indicator
from junheng_cli.standards.model import Standard
from junheng_cli.workflows.plan.common import gap_spec, origin_of, text_or_blank
from junheng_cli.workflows.plan.diff import ScenarioOutcome
from junheng_cli.workflows.scenario import AddChange, Scenario, SchoolIndex, split_column

THRESHOLD, CV = "threshold", "cv"


@dataclass(frozen=True)
class UnitValue:
    level: Level
    before: float | None
    after: float | None
    threshold: float | None


@dataclass(frozen=True)
class PlanAddition:
    """What one school adds for one indicator: to reach its threshold, and on top of that to
    bring the CV under its limit. Teachers are per level; ㎡, 元 and rooms are for the school."""

    code: str
    name: str
    type: str
    origin: Origin
    indicator: str
    indicator_name: str
    label: str
    field: str
    level: Level | None
    to_threshold: float
    for_cv: float
    unit: str
    what: str
    values: list[UnitValue]  # the school's level parts, before → after

    @property
    def total(self) -> float:
        return self.to_threshold + self.for_cv


@dataclass(frozen=True)
class PlanTotal:
    indicator: str
    name: str
    label: str
    what: str
    unit: str
    to_threshold: float
    for_cv: float
    schools: int

    @property
    def total(self) -> float:
        return self.to_threshold + self.for_cv


def as_scenario(
    by_stage: pd.DataFrame, frame: pd.DataFrame, standard: Standard, full: bool
) -> Scenario:
    """One 增加 entry per school, quantity and level (the sum of both steps), school by school
    in the workbook's order."""
    units = {ind.id: gap_spec(ind)[0] for ind in standard.indicators}
    first = "补到标准值" if full or standard.school_rule is None else "按学校达标规则补"
    index = SchoolIndex(frame)
    position = {label: n for n, label in enumerate(frame.index)}
    rank = {ind.id: n for n, ind in enumerate(standard.indicators)}
    keys = [(position[label], rank[ind]) for label, _, _, ind in by_stage.index]
    order = sorted(range(len(keys)), key=keys.__getitem__)
    changes = []
    for (label, column, field, ind_id), row in by_stage.iloc[order].iterrows():
        notes = [
            f"{text} {quantity_text(row[stage], units[ind_id])}"
            for stage, text in ((THRESHOLD, first), (CV, "降低差异系数"))
            if row[stage] > 0
        ]
        changes.append(
            AddChange(
                school=index.unique_key(label),
                quantity=FIELDS[field].header,
                amount=float(row[THRESHOLD] + row[CV]),
                level=split_column(column)[1],
                note="，".join(notes),
            )
        )
    mode = "（--full：每项补到标准值）" if full else ""
    return Scenario(
        title=f"补短板方案（junheng plan 计算{mode}）", standard=standard.id, changes=changes
    )


def plan_additions(
    by_stage: pd.DataFrame,
    validated: ValidatedTable,
    standard: Standard,
    outcome: ScenarioOutcome,
) -> list[PlanAddition]:
    frame = validated.frame
    before = _units_by_origin(outcome.before.units)
    after = _units_by_origin(outcome.after.units)
    indicators = {ind.id: ind for ind in standard.indicators}
    result = []
    for (label, column, field, ind_id), row in by_stage.iterrows():
        ind = indicators[ind_id]
        unit, _, what = gap_spec(ind)
        origin = origin_of(validated, label)
        level = split_column(column)[1]
        levels = [level] if level is not None else [lv for lv in Level if (origin, lv) in before]
        result.append(
            PlanAddition(
                code=text_or_blank(frame.at[label, "code"]),
                name=str(frame.at[label, "name"]),
                type=str(frame.at[label, "type"]),
                origin=origin,
                indicator=ind_id,
                indicator_name=ind.name,
                label=ind.label,
                field=field,
                level=level,
                to_threshold=float(row[THRESHOLD]),
                for_cv=float(row[CV]),
                unit=unit,
                what=what,
                values=[_unit_value(before, after, origin, lv, ind) for lv in levels],
            )
        )
    order = {ind.id: n for n, ind in enumerate(standard.indicators)}
    return sorted(result, key=lambda a: (order[a.indicator], -a.total, a.origin.row))


def _units_by_origin(units: Sequence[UnitResult]) -> dict[tuple[Origin, Level], UnitResult]:
    return {(u.origin, u.level): u for u in units}


def _unit_value(
    before: dict[tuple[Origin, Level], UnitResult],
    after: dict[tuple[Origin, Level], UnitResult],
    origin: Origin,
    level: Level,
    ind: Indicator,
) -> UnitValue:
    a, b = before.get((origin, level)), after.get((origin, level))
    return UnitValue(
        level,
        a.values.get(ind.id) if a else None,
        b.values.get(ind.id) if b else None,
        ind.thresholds.get(level),
    )


def plan_totals(additions: list[PlanAddition], standard: Standard) -> list[PlanTotal]:
    totals = []
    for ind in standard.indicators:
        mine = [a for a in additions if a.indicator == ind.id]
        unit, _, what = gap_spec(ind)
        totals.append(
            PlanTotal(
                ind.id,
                ind.name,
                ind.label,
                what,
                unit,
                sum(a.to_threshold for a in mine),
                sum(a.for_cv for a in mine),
                len({a.origin for a in mine}),
            )
        )
    return totals
