"""Where an evaluation's imbalance lies (the Theil decomposition) in sentences and DataFrames."""

from __future__ import annotations

import pandas as pd

from junheng_cli.model.inequality_results import LevelInequality, TheilGrouping, TheilSplit
from junheng_cli.model.results import Evaluation

BETWEEN_PLACE = {"area_type": "城乡之间", "township": "乡镇之间"}
WITHIN_PLACE = {"area_type": "各城乡类型内部", "township": "各乡镇内部"}


def theil_sentence(grouping: TheilGrouping, split: TheilSplit | None) -> str:
    """差距主要在城乡之间（组间 62%） / 差距主要在各乡镇内部（组内 88%）."""
    if not grouping.available or split is None:
        return f"未提供{grouping.name}"
    if split.theil is None:
        return "无法计算（各校均为 0）"
    if split.between_share is None:
        return "各校相同，没有差距"
    if split.mainly_between:
        return f"差距主要在{BETWEEN_PLACE[grouping.field]}（组间 {split.between_share:.0%}）"
    return f"差距主要在{WITHIN_PLACE[grouping.field]}（组内 {1 - split.between_share:.0%}）"


def where_sentence(level: LevelInequality, indicator: str) -> str:
    """One sentence over both groupings: between 城乡 if so, else between 乡镇 if so, else
    inside the finest grouping available."""
    pairs = [(g, indicator_split(g, indicator)) for g in level.groupings if g.available]
    if not pairs:
        return "未提供城乡类型和所在乡镇"
    for grouping, split in pairs:
        if split is not None and split.mainly_between:
            return theil_sentence(grouping, split)
    return theil_sentence(*pairs[-1])


def indicator_split(grouping: TheilGrouping, indicator: str) -> TheilSplit | None:
    return next((s for s in grouping.indicators if s.indicator == indicator), None)


def theil_notes(evaluation: Evaluation) -> list[str]:
    """What the decomposition could not use: groupings not given, units without a group."""
    notes = []
    for level in evaluation.inequality:
        for g in level.groupings:
            if not g.available:
                notes.append(
                    f"{level.name}：未提供{g.name}（没有该列或全部为空），不按{g.name}分解"
                )
            elif g.unfilled:
                notes.append(
                    f"{level.name}：{g.unfilled} 个学段单位未填写{g.name}，作为“未填写”一组计算"
                )
    return notes


THEIL_COLUMNS = ["学段", "分组", "指标", "判断", "泰尔指数", "组间", "组内", "组间占比"]


def theil_frame(evaluation: Evaluation) -> pd.DataFrame:
    """Per level, grouping and indicator: T, between, within, the between share, the sentence."""
    records = []
    for level in evaluation.inequality:
        for g in level.groupings:
            if not g.available:
                records.append(
                    {"学段": level.name, "分组": g.name, "判断": theil_sentence(g, None)}
                )
            for split in g.indicators:
                records.append(
                    {
                        "学段": level.name,
                        "分组": g.name,
                        "指标": split.label,
                        "泰尔指数": split.theil,
                        "组间": split.between,
                        "组内": split.within,
                        "组间占比": split.between_share,
                        "判断": theil_sentence(g, split),
                    }
                )
    return pd.DataFrame(records, columns=THEIL_COLUMNS)


THEIL_GROUP_COLUMNS = ["学段", "分组", "指标", "组", "单位数", "在校生数", "组均值", "组内泰尔指数"]


def theil_groups_frame(evaluation: Evaluation) -> pd.DataFrame:
    """Every group's units, students, mean and own Theil index."""
    records = [
        {
            "学段": level.name,
            "分组": g.name,
            "指标": split.label,
            "组": group.name,
            "单位数": group.units,
            "在校生数": group.students,
            "组均值": group.mean,
            "组内泰尔指数": group.theil,
        }
        for level in evaluation.inequality
        for g in level.groupings
        for split in g.indicators
        for group in split.groups
    ]
    return pd.DataFrame(records, columns=THEIL_GROUP_COLUMNS)
