"""Applying a scenario to a copy of the validated school frame; the input workbook is never
touched.

Teachers added are new 专任教师 unless ``新增教师: 否``: 专任教师数 of the level rises with them.
A move always moves 专任教师数 too. When a donor's remaining teachers could no longer hold all
its teachers of some other kind (every one of its teachers is 高于规定学历, say), the moved
teachers necessarily include that many of that kind, and they move with them.

Entries apply in order; every check (unknown school or quantity, a move taking more than the
donor has, a negative result, a kind above 专任教师数) names the file and the entry.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from junheng_cli.model.fields import (
    FIELDS,
    MAX_VALUE_TEXT,
    TEACHER_PARTS,
    Level,
    number_text,
    plausible_figure,
)
from junheng_cli.standards.model import Standard
from junheng_cli.workflows.scenario.file_format import (
    AddChange,
    MoveChange,
    Scenario,
    ScenarioError,
)
from junheng_cli.workflows.scenario.names import (
    CHANGEABLE,
    TEACHERS,
    SchoolIndex,
    amount_text,
    column_header,
    resolve_quantity,
    short_name,
    split_column,
    vocabulary,
    whole_if_counted,
)

TOLERANCE = 1e-9


@dataclass(frozen=True)
class CellChange:
    school: str
    code: str
    column: str  # canonical column, e.g. backbone_teachers_primary
    header: str  # 小学县级以上骨干教师数
    before: float
    after: float


@dataclass(frozen=True)
class AppliedChange:
    entry: int  # 1-based position in the file
    description: str  # 城关新华小学：增加 3 名县级以上骨干教师（小学），专任教师数随之增加
    cells: list[CellChange]
    carried: list[str]  # 其中 1 名必然也是高于规定学历教师（调出学校的教师都是）


@dataclass(frozen=True)
class AppliedScenario:
    frame: pd.DataFrame  # a new frame; the one given is never modified
    changes: list[AppliedChange]
    source: str


def apply_scenario(
    frame: pd.DataFrame, scenario: Scenario, standard: Standard, source: str = "方案"
) -> AppliedScenario:
    """Apply every change in order to a copy of ``frame`` (the validated school frame)."""
    state = _State(frame.copy(), standard)
    applied = []
    for n, change in enumerate(scenario.changes, start=1):
        try:
            if isinstance(change, AddChange):
                applied.append(state.add(n, change))
            else:
                applied.append(state.move(n, change))
        except ValueError as exc:
            label = (
                change.school
                if isinstance(change, AddChange)
                else f"{change.source} → {change.target}"
            )
            raise ScenarioError(f"{source}：第 {n} 项变化（{label}）：{exc}") from exc
    return AppliedScenario(state.frame, applied, source)


def add_quantities(frame: pd.DataFrame, additions: pd.DataFrame) -> pd.DataFrame:
    """Add many amounts at once: ``additions`` has columns ``label`` (a row of ``frame``),
    ``column`` and ``amount``. Teachers of a kind (骨干 …) are new 专任教师: 专任教师数 of the
    level rises with them, as with ``新增教师: 是`` in a scenario."""
    result = frame.copy()
    if additions.empty:
        return result
    extra = additions.assign(column=additions["column"].map(_with_total)).explode("column")
    table = extra.pivot_table(index="label", columns="column", values="amount", aggfunc="sum")
    table = table.drop(columns=[c for c in table.columns if c not in result.columns])
    for column in table.columns:
        delta = table[column].reindex(result.index).fillna(0.0)
        result[column] = result[column] + delta.where(result[column].notna(), 0.0)
    return result


def _with_total(column: str) -> list[str]:
    field, level = split_column(column)
    if field in TEACHER_PARTS and level is not None:
        return [column, FIELDS[TEACHERS].column(level)]
    return [column]


class _State:
    """The frame's quantity columns as arrays while the changes apply (cell access on a
    DataFrame is slow); ``frame`` puts them back into a copy."""

    def __init__(self, frame: pd.DataFrame, standard: Standard) -> None:
        self._frame = frame
        self.standard = standard
        self.words = vocabulary(standard)
        self.schools = SchoolIndex(frame)
        self.position = {label: n for n, label in enumerate(frame.index)}
        changeable = {FIELDS[f.id].column(lv) for f in CHANGEABLE for lv in f.per_level or [None]}
        self.arrays = {
            c: frame[c].to_numpy(dtype=float, copy=True) for c in frame if c in changeable
        }
        self.texts = {
            c: frame[c].tolist() if c in frame else [None] * len(frame)
            for c in ("code", "name", "type")
        }

    @property
    def frame(self) -> pd.DataFrame:
        return self._frame.assign(**self.arrays)

    # -- helpers -------------------------------------------------------------------------
    def _text(self, label: Any, column: str) -> str:
        value = self.texts[column][self.position[label]]
        return value if isinstance(value, str) else ""

    def _get(self, label: Any, column: str) -> float:
        if column not in self.arrays:
            raise ValueError(f"工作簿中没有“{column_header(column)}”列")
        return float(self.arrays[column][self.position[label]])

    def _has(self, column: str) -> bool:
        return column in self.arrays

    def _set(self, label: Any, column: str, value: float) -> CellChange:
        before = self._get(label, column)
        self.arrays[column][self.position[label]] = value
        name, code = self._text(label, "name"), self._text(label, "code")
        return CellChange(name, code, column, column_header(column), before, float(value))

    def _levels_of(self, label: Any) -> list[Level]:
        kind = self._text(label, "type")
        school_type = self.standard.school_types.get(kind)
        levels = list(school_type.levels) if school_type else []
        return [lv for lv in levels if lv in FIELDS[TEACHERS].per_level]

    def _check_evaluated(self, label: Any) -> None:
        """A school of a type the standard excludes (教学点 under basic-2012 …): say so."""
        kind = self._text(label, "type")
        canonical = self.standard.type_lookup().get(kind, kind)
        school_type = self.standard.school_types.get(canonical)
        if school_type is not None and school_type.excluded:
            raise ValueError(
                f"{self._text(label, 'name')}（{kind}）不在标准 {self.standard.id} 的评估范围内："
                f"{school_type.excluded}"
            )

    def _level_for(self, labels: Sequence[Any], asked: Level | None) -> Level:
        names = "、".join(str(self._text(label, "name")) for label in labels)
        common = set(self._levels_of(labels[0]))
        for label in labels[1:]:
            common &= set(self._levels_of(label))
        for label in labels:
            self._check_evaluated(label)
        if asked is not None:
            if asked not in common:
                raise ValueError(f"{names} 没有{asked.chinese}学段")
            return asked
        if len(common) == 1:
            return common.pop()
        if not common and len(labels) == 1:
            kind = self._text(labels[0], "type")
            raise ValueError(f"{names}（{kind}）没有参评学段，不能增减教师")
        if not common:
            raise ValueError(f"{names} 没有共同的参评学段，无法在两校之间调动教师")
        raise ValueError("这是有小学和初中的学校：请写“学段: 小学”或“学段: 初中”")

    def _column(self, field: str, label: Any, level: Level | None, asked: Level | None) -> str:
        if not FIELDS[field].per_level:
            if asked is not None:
                raise ValueError(f"{FIELDS[field].header}按全校填报，不分学段：请去掉“学段”")
            return FIELDS[field].column()
        if level is not None and asked is not None and level != asked:
            raise ValueError(f"“学段”与数量名称中的学段不一致（{asked.chinese}、{level.chinese}）")
        return FIELDS[field].column(self._level_for([label], asked or level))

    def _check_parts(self, label: Any, level: Level) -> None:
        teachers = FIELDS[TEACHERS].column(level)
        if not self._has(teachers) or np.isnan(self._get(label, teachers)):
            return
        total = self._get(label, teachers)
        for part in TEACHER_PARTS:
            column = FIELDS[part].column(level)
            if self._has(column) and self._get(label, column) > total + TOLERANCE:
                raise ValueError(
                    f"变化后{column_header(column)}（{number_text(self._get(label, column))}）"
                    f"超过{column_header(teachers)}（{number_text(total)}）"
                )

    def _plus(self, label: Any, column: str, amount: float) -> CellChange:
        have = self._get(label, column)
        if np.isnan(have):
            raise ValueError(f"{self._text(label, 'name')} 的“{column_header(column)}”为空")
        after = have + amount
        if after < -TOLERANCE * max(1.0, abs(have)):
            raise ValueError(
                f"变化后{column_header(column)}为负数（现有 {number_text(have)}，"
                f"变化 {'+' if amount > 0 else '−'}{number_text(abs(amount))}）"
            )
        if not plausible_figure(after):
            raise ValueError(
                f"变化后{column_header(column)}为 {after:.6g}，大得不合理"
                f"（应小于 {MAX_VALUE_TEXT}）"
            )
        return self._set(label, column, max(after, 0.0))

    # -- the two kinds of change ---------------------------------------------------------
    def add(self, n: int, change: AddChange) -> AppliedChange:
        label = self.schools.find(change.school)
        field, named_level = resolve_quantity(change.quantity, self.standard, self.words)
        column = self._column(field, label, named_level, change.level)
        _, level = split_column(column)
        whole_if_counted(field, change.amount)
        name = str(self._text(label, "name"))
        verb = "增加" if change.amount > 0 else "减少"
        where = f"（{level.chinese}）" if level is not None else ""
        text = f"{name}：{verb} {amount_text(abs(change.amount), field)}{where}"
        is_teacher = field == TEACHERS or field in TEACHER_PARTS
        if level is None or not is_teacher or (field != TEACHERS and not change.new_teachers):
            cells = [self._plus(label, column, change.amount)]
            if level is not None:
                self._check_parts(label, level)
            return AppliedChange(n, text, cells, [])
        parts = [] if field == TEACHERS else [field]
        count = int(abs(change.amount))
        if change.amount > 0:
            cells, carried = self._give(label, level, parts, count, {}), []
        else:
            cells, carried = self._take(label, level, parts, count, "减少")
            carried += self._emptied(label, level)
        if parts:
            text += "，专任教师数随之" + ("增加" if change.amount > 0 else "减少")
        return AppliedChange(n, text, cells, carried)

    def move(self, n: int, change: MoveChange) -> AppliedChange:
        source = self.schools.find(change.source)
        target = self.schools.find(change.target)
        if source == target:
            raise ValueError("调出和调入是同一所学校")
        kinds, asked = [], {change.level} - {None}
        for text in change.kinds:
            field, named = resolve_quantity(text, self.standard, self.words)
            if field != TEACHERS and field not in TEACHER_PARTS:
                raise ValueError(f"只能调动教师，不能调动“{text}”")
            kinds.append(field)
            asked |= {named} - {None}
        if len(asked) > 1:
            raise ValueError("“学段”与教师类别中的学段不一致")
        level = self._level_for([source, target], asked.pop() if asked else None)
        parts = [k for k in dict.fromkeys(kinds) if k != TEACHERS]
        taken, carried = self._take(source, level, parts, change.amount)
        moved = {FIELDS[k].column(level): float(change.amount) for k in parts}
        for cell in taken:
            field, _ = split_column(cell.column)
            if field in TEACHER_PARTS and field not in parts:
                moved[cell.column] = cell.before - cell.after
        given = self._give(target, level, [], change.amount, moved)
        carried += self._emptied(source, level)
        names = "、".join(short_name(FIELDS[k]) for k in parts) or "专任教师"
        description = (
            f"{self._text(source, 'name')} → {self._text(target, 'name')}：调动 "
            f"{change.amount} 名{names}（{level.chinese}）"
        )
        return AppliedChange(n, description, taken + given, carried)

    def _take(
        self, label: Any, level: Level, parts: list[str], count: int, verb: str = "调出"
    ) -> tuple[list[CellChange], list[str]]:
        """Teachers leave ``label``: ``count`` of each kind in ``parts`` and of 专任教师数, and of
        every other kind as many as the remaining teachers could not hold. ``verb``: 调出 (a
        move) or 减少 (a reduction), for the messages."""
        teachers = FIELDS[TEACHERS].column(level)
        name = self._text(label, "name")
        for part in parts:
            column = FIELDS[part].column(level)
            have = self._get(label, column)
            if have + TOLERANCE < count:
                raise ValueError(
                    f"{name} 只有 {number_text(have)} 名{short_name(FIELDS[part])}，"
                    f"不够{verb} {count} 名"
                )
        total = self._get(label, teachers) if self._has(teachers) else np.nan
        if not np.isnan(total) and total + TOLERANCE < count:
            raise ValueError(
                f"{name} 只有 {number_text(total)} 名{level.chinese}专任教师，不够{verb} {count} 名"
            )
        cells = [self._plus(label, FIELDS[p].column(level), -count) for p in parts]
        carried = []
        if not np.isnan(total):
            cells.append(self._plus(label, teachers, -count))
            for part in TEACHER_PARTS:
                column = FIELDS[part].column(level)
                if part in parts or not self._has(column):
                    continue
                forced = self._get(label, column) - (total - count)
                if forced > TOLERANCE:
                    cells.append(self._plus(label, column, -forced))
                    kind = short_name(FIELDS[part])
                    carried.append(
                        f"其中 {number_text(forced)} 名必然也是{kind}：{name} 原有{kind} "
                        f"{number_text(forced + total - count)} 名，而只剩 "
                        f"{number_text(total - count)} 名{level.chinese}专任教师"
                    )
        return cells, carried

    def _emptied(self, label: Any, level: Level) -> list[str]:
        """A warning when the change leaves a level with pupils but no 专任教师."""
        teachers = FIELDS[TEACHERS].column(level)
        pupils = FIELDS["students"].column(level)
        if not self._has(teachers) or pupils not in self._frame:
            return []
        left = self._get(label, teachers)
        students = float(self._frame[pupils].iloc[self.position[label]])
        if left > TOLERANCE or not students > 0:
            return []
        return [
            f"注意：变化后{self._text(label, 'name')}{level.chinese}专任教师为 0，"
            f"而在校生有 {number_text(students)} 名"
        ]

    def _give(
        self, label: Any, level: Level, parts: list[str], count: int, moved: dict[str, float]
    ) -> list[CellChange]:
        amounts = {FIELDS[p].column(level): float(count) for p in parts} | moved
        teachers = FIELDS[TEACHERS].column(level)
        cells = [self._plus(label, column, amount) for column, amount in amounts.items()]
        if self._has(teachers) and not np.isnan(self._get(label, teachers)):
            cells.append(self._plus(label, teachers, count))
        self._check_parts(label, level)
        return cells
