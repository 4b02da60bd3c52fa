"""Teacher transfers (交流轮岗, ``suggest_transfers``) that lower the teacher CVs without
new hires. Pure: no I/O, no printing.

For each level and teacher indicator whose CV is over its limit (under ``composite``: while the
composite is over), one teacher at a time moves between two units of that level: from a unit
that after the move still meets every per-school threshold (its own kind's, and that of any kind
that must go along, see ``scenario``) and stays above the county mean, to a unit below the mean.
Of those pairs, the move that lowers the CV most is taken (usually from the highest value to the
lowest; a tiny school that one teacher would lift far past the mean is passed over). The search
stops when the CV meets its aim, when no move lowers it, or after ``max_moves`` moves. Each step
ranks the pairs with an O(donors × receivers) numpy computation; the CV that decides whether to
go on is computed by ``weighted_stats`` with the standard's weighting and SD form, the same
number that is reported.

The direction of the moves: see ``direction``.
"""

from __future__ import annotations

import pandas as pd

from junheng_cli.compute.indicators import LEVEL
from junheng_cli.compute.validate import ValidatedTable
from junheng_cli.model.fields import FIELDS
from junheng_cli.model.results import Evaluation
from junheng_cli.standards.model import Standard
from junheng_cli.workflows.plan.common import LABEL, evaluated_rows, level_units
from junheng_cli.workflows.plan.diff import run_scenario
from junheng_cli.workflows.plan.direction import (
    AREA,
    DEFAULT_RULE,
    TransferDirection,
    TransferRule,
    area_of,
)
from junheng_cli.workflows.plan.teacher_pool import TeacherPool
from junheng_cli.workflows.plan.transfer_lists import TransferList, Transfers, teacher_indicators
from junheng_cli.workflows.scenario import MoveChange, Scenario, SchoolIndex

MAX_MOVES = 100


def suggest_transfers(
    validated: ValidatedTable,
    standard: Standard,
    before: Evaluation,
    max_moves: int = MAX_MOVES,
    rule: TransferRule = DEFAULT_RULE,
) -> Transfers:
    """Transfers that lower the teacher CVs without new hires, in the direction ``rule``
    allows (see ``direction``). Indicators are taken in the standard's order, each on
    the teachers as the earlier moves left them."""
    frame = validated.frame
    units, _ = level_units(frame[evaluated_rows(validated, before)], standard)
    areas = frame["area_type"] if "area_type" in frame else pd.Series("", index=frame.index)
    units[AREA] = areas.reindex(units[LABEL].to_numpy()).map(area_of).to_numpy()
    known = units[AREA].notna()
    direction = TransferDirection(
        rule.allow_rural_to_urban,
        bool(known.any()),
        tuple(dict.fromkeys(units.loc[~known, "name"].astype(str))) if known.any() else (),
    )
    index = SchoolIndex(frame)
    lists: list[TransferList] = []
    changes: list[MoveChange] = []
    for level_result in before.levels:
        level = level_result.level
        mine = units[(units[LEVEL] == level.value).to_numpy()].reset_index(drop=True)
        if mine.empty:
            continue
        pool = TeacherPool(mine, standard, level, validated, direction)
        cvs = {i.id: i.cv for i in level_result.indicators}
        for ind in teacher_indicators(standard):
            found, pairs = pool.transfer(ind, cvs, level_result.name, max_moves)
            cvs[ind.id] = found.cv_after
            lists.append(found)
            changes += [
                MoveChange(
                    source=index.unique_key(source),
                    target=index.unique_key(target),
                    kinds=[FIELDS[found.field].header],
                    amount=count,
                    level=level,
                    note=f"交流轮岗：降低{level.chinese}{found.label}差异系数",
                )
                for source, target, count in pairs
            ]
    if not changes:
        return Transfers(standard, lists, None, None, max_moves, direction)
    scenario = Scenario(
        title="教师交流轮岗建议（junheng plan --transfers 计算）",
        standard=standard.id,
        changes=changes,
    )
    outcome = run_scenario(validated, standard, scenario, before, "交流轮岗建议")
    return Transfers(standard, lists, scenario, outcome, max_moves, direction)
