"""Which schools a standard evaluates: school types, small 教学点, who runs them."""

# pydantic copies a mutable default per instance; ruff sees BaseModel only through Strict.
# ruff: noqa: RUF012
from __future__ import annotations

from typing import Literal

from pydantic import Field, model_validator

from junheng_cli.model.fields import Level
from junheng_cli.standards.base import Strict


class SmallSchoolRule(Strict):
    """Leave schools of this type with fewer than ``below`` students out (when enabled)."""

    enabled: bool = False
    below: int = Field(gt=0)
    reason: str


class ScopeRule(Strict):
    """Leave out the schools whose ``field`` (办学性质 or 举办者) is one of ``values`` or
    contains one of ``contains``. A school without the column, or with it blank, is 公办 and
    run by the county: no rule leaves it out."""

    field: Literal["ownership", "sponsor"]
    values: list[str] = []
    contains: list[str] = []
    reason: str
    enabled: bool = True

    @model_validator(mode="after")
    def _some_value(self) -> ScopeRule:
        if not self.values and not self.contains:
            raise ValueError("scope.exclude 的每条规则须给出 values 或 contains")
        return self


class Scope(Strict):
    exclude: list[ScopeRule] = []

    @property
    def rules(self) -> list[ScopeRule]:
        return [r for r in self.exclude if r.enabled]


class SchoolType(Strict):
    aliases: list[str] = []
    levels: dict[Level, float] = {}
    excluded: str | None = None
    small_school: SmallSchoolRule | None = None

    @model_validator(mode="after")
    def _levels_or_excluded(self) -> SchoolType:
        if bool(self.levels) == bool(self.excluded):
            raise ValueError(
                "每种学校类型须给出 levels（参评学段及拆分权重）或 excluded（排除理由）之一"
            )
        if any(w <= 0 for w in self.levels.values()):
            raise ValueError("拆分权重须为正数")
        return self
