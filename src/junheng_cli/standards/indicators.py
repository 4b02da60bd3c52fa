"""The indicators of a standard and how their difference coefficients are computed and judged."""

# pydantic copies a mutable default per instance; ruff sees BaseModel only through Strict.
# ruff: noqa: RUF012
from __future__ import annotations

from typing import Literal

from pydantic import Field, model_validator

from junheng_cli.model.fields import FIELDS, Level
from junheng_cli.standards.base import Strict


class GapSpec(Strict):
    """How to state what a school lacks: ``还差 3 名县级以上骨干教师``."""

    unit: str  # 名 / 间 / ㎡ / 元
    step: float = Field(default=0.01, gt=0)  # round the gap up to a multiple of this
    what: str  # 县级以上骨干教师


class StudentRange(Strict):
    min: int = Field(default=0, ge=0)  # from this many students
    max: int | None = Field(default=None, ge=0)  # up to and including this many


class IndicatorAllowance(Strict):
    """An allowance of the 2019 规程 for one indicator's per-school check: a school that
    qualifies counts the figure ``add`` (a column of its own) with the indicator's numerator.
    Applied only where the school's row carries that figure; the CVs keep the strict figures."""

    enabled: bool = True
    add: str
    students: StudentRange | None = None  # the school's 义务教育 students (all its levels)
    area_types: list[str] = []  # 城乡类型 that qualify (empty: any)
    text: str  # 按规程：…

    @model_validator(mode="after")
    def _known_field(self) -> IndicatorAllowance:
        if self.add not in FIELDS or FIELDS[self.add].kind == "text":
            raise ValueError(f"allowance.add：未知的数量字段 {self.add!r}")
        return self


class Indicator(Strict):
    id: str = Field(pattern=r"^[a-z][a-z0-9_]*$")
    name: str
    short_name: str | None = None  # for narrow tables: 骨干教师
    unit: str
    numerator: list[str] = Field(min_length=1)
    denominator: Literal["students"] = "students"
    scale: float = Field(default=1.0, gt=0)
    decimals: int = Field(default=2, ge=0, le=8)
    thresholds: dict[Level, float] = {}  # per-school minimum by level (2017)
    gap: GapSpec | None = None
    allowance: IndicatorAllowance | None = None  # 2019 规程 (only for the per-school check)

    @property
    def label(self) -> str:
        return self.short_name or self.name

    @model_validator(mode="after")
    def _known_fields(self) -> Indicator:
        unknown = [f for f in self.numerator if f not in FIELDS or FIELDS[f].kind == "text"]
        if unknown:
            known = ", ".join(f.id for f in FIELDS.values() if f.kind != "text")
            raise ValueError(f"未知的数量字段 {unknown}；可用字段：{known}")
        if len({bool(FIELDS[f].per_level) for f in self.numerator}) > 1:
            raise ValueError("分子不能混用分学段字段（教师数）与全校字段（面积、设备等）")
        extra = self.allowance
        if extra is not None:
            if bool(FIELDS[extra.add].per_level) != bool(FIELDS[self.numerator[0]].per_level):
                raise ValueError("allowance.add 须与分子同为分学段字段或同为全校字段")
            if not FIELDS[extra.add].splits:
                raise ValueError(f"allowance.add 不能用不拆分的字段 {extra.add!r}")
        return self


class CVMethod(Strict):
    weighting: Literal["enrollment", "unweighted"] = "enrollment"
    sd: Literal["population", "sample"] = "population"


class Judgement(Strict):
    mode: Literal["composite", "each"]
    composite: Literal["mean"] = "mean"
    limits: dict[Level, float]


class SchoolRule(Strict):
    """A school passes when ``min_met`` indicators reach the threshold and every other one
    is at least ``floor`` × threshold."""

    min_met: int = Field(ge=1)
    floor: float = Field(gt=0, le=1)
