"""The result of the teacher transfers: per level and teacher indicator, the moves between
pairs of schools and the CV before and after them, and why the search stopped."""

from __future__ import annotations

from dataclasses import dataclass

from junheng_cli.model.fields import FIELDS, TEACHER_PARTS, Level
from junheng_cli.model.sources import Origin
from junheng_cli.standards.indicators import Indicator
from junheng_cli.standards.model import Standard
from junheng_cli.workflows.plan.diff import ScenarioOutcome
from junheng_cli.workflows.plan.direction import DEFAULT_DIRECTION, TransferDirection
from junheng_cli.workflows.scenario import TEACHERS, Scenario, target_field

WITHIN, REACHED, NO_GAIN, NO_DONOR, CAP = "within", "reached", "no_gain", "no_donor", "cap"
BLOCKED = "blocked"  # donors and receivers there are, but no pair goes the allowed direction


@dataclass(frozen=True)
class TransferMove:
    source_code: str
    source_name: str
    source_origin: Origin
    target_code: str
    target_name: str
    target_origin: Origin
    count: int
    source_before: float
    source_after: float
    target_before: float
    target_after: float
    source_threshold: float | None
    source_type: str = ""
    source_area: str | None = None  # 城区 / 镇区 / 乡村, None when not known
    target_type: str = ""
    target_area: str | None = None


@dataclass(frozen=True)
class TransferList:
    """The moves for one teacher indicator of one level, and its CV before and after them."""

    level: Level
    level_name: str
    indicator: str
    name: str
    label: str
    field: str
    what: str
    cv_before: float | None
    cv_after: float | None
    aim: float | None  # the CV to reach: the limit, or what the composite needs
    limit: float | None
    moves: list[TransferMove]
    stop: str  # within / reached / no_gain / no_donor / cap

    @property
    def teachers(self) -> int:
        return sum(m.count for m in self.moves)


@dataclass
class Transfers:
    standard: Standard
    lists: list[TransferList]
    scenario: Scenario | None  # None when nothing moves
    outcome: ScenarioOutcome | None
    max_moves: int
    direction: TransferDirection = DEFAULT_DIRECTION

    @property
    def teachers(self) -> int:
        return sum(t.teachers for t in self.lists)


def teacher_indicators(standard: Standard) -> list[Indicator]:
    """Indicators whose numerator is teachers of the unit's level."""
    return [
        ind
        for ind in standard.indicators
        if all(FIELDS[f].per_level for f in ind.numerator)
        and target_field(ind) in (TEACHERS, *TEACHER_PARTS)
    ]
