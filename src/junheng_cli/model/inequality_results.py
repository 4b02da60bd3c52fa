"""The Theil decomposition of each indicator, between and within groups of schools."""

from __future__ import annotations

from dataclasses import dataclass

from junheng_cli.model.fields import Level


@dataclass(frozen=True)
class TheilGroup:
    """One group (a 城乡类型 or a 乡镇) of one level, for one indicator."""

    name: str  # 城区 / 青山镇 / 未填写
    units: int
    students: int
    mean: float  # μ_g, weighted as the CV
    theil: float | None  # T_g, inequality among the group's own units; None when μ_g = 0


@dataclass(frozen=True)
class TheilSplit:
    """One indicator of one level: Theil T = between + within. None: μ = 0, T undefined."""

    indicator: str
    name: str
    label: str
    theil: float | None
    between: float | None
    within: float | None
    between_share: float | None  # between / theil; None also when every unit is equal
    mainly_between: bool | None  # between_share ≥ 50%
    groups: list[TheilGroup]


@dataclass(frozen=True)
class TheilGrouping:
    """One way of grouping the units of a level (城乡类型 or 所在乡镇)."""

    field: str  # area_type / township
    name: str  # 城乡类型 / 所在乡镇
    available: bool  # False: 未提供 (no unit of the level has a value)
    unfilled: int  # units without a value, gathered in the group 未填写
    indicators: list[TheilSplit]


@dataclass(frozen=True)
class LevelInequality:
    level: Level
    name: str
    groupings: list[TheilGrouping]
