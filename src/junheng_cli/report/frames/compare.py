"""A comparison's tables as DataFrames, for the workbook: the coefficients over the periods,
the schools that moved, the schools added and removed, and the county's bill."""

from __future__ import annotations

import pandas as pd

from junheng_cli.report.wording import CHECK_STATUS, verdict_word
from junheng_cli.report.wording.compare import VERDICT_ZH, display_unit
from junheng_cli.workflows.compare import (
    Comparison,
    GapChange,
    UnitRef,
    ValueChange,
    name_match_warning,
)


def cv_frame(comparison: Comparison) -> pd.DataFrame:
    """Per level and coefficient: the limit, the CV in each period, and the changes."""
    labels = comparison.labels
    records = []
    for level in comparison.levels:
        for trend in [*level.indicators, level.composite]:
            row: dict[str, object] = {
                "学段": level.name,
                "指标": trend.name,
                "限值": trend.points[0].limit,
            }
            row.update({p.period: p.cv for p in trend.points})
            row.update({f"{p.period}较上期": p.from_previous for p in trend.points[1:]})
            row.update({f"{p.period}较首期": p.from_first for p in trend.points[2:]})
            records.append(row)
    columns = ["学段", "指标", "限值", *labels, *[f"{x}较上期" for x in labels[1:]]]
    columns += [f"{x}较首期" for x in labels[2:]]
    return pd.DataFrame(records, columns=columns)


SCHOOL_COLUMNS = [
    "对比",
    "学校标识码",
    "学校名称",
    "学段",
    "对应方式",
    "达标变化",
    "指标",
    "前一期值",
    "本期值",
    "变化",
]
GAP_COLUMNS = ["前一期还差", "本期还差", "还差变化", "还差单位", "前一期状态", "本期状态"]


def school_changes_frame(comparison: Comparison) -> pd.DataFrame:
    """One row per matched unit, step and indicator that moved: the value and (2017) the gap,
    before and after. Long, so that it filters well in Excel; what did not move is left out
    (a county of 150 schools over 12 months would otherwise be some 12,000 rows of zeros)."""
    names = {i.id: i.label for i in comparison.standard.indicators}
    judged = comparison.judges_schools
    records = []
    for step in comparison.steps:
        for change in step.changes:
            gaps = {g.indicator: g for g in change.gaps}
            for value in change.values:
                gap = gaps.get(value.indicator)
                if not _moved(value, gap):
                    continue
                row: dict[str, object] = {
                    "对比": f"{step.before} → {step.after}",
                    "学校标识码": change.after.code,
                    "学校名称": change.after.name,
                    "学段": change.after.level.chinese,
                    "对应方式": "学校标识码" if change.matched_by == "code" else "仅学校名称",
                    "达标变化": VERDICT_ZH[change.verdict],
                    "指标": names.get(value.indicator, value.indicator),
                    "前一期值": value.before,
                    "本期值": value.after,
                    "变化": value.delta,
                }
                if judged and gap is not None:
                    row.update(
                        {
                            "前一期还差": gap.before,
                            "本期还差": gap.after,
                            "还差变化": gap.delta,
                            "还差单位": gap.unit,
                            "前一期状态": CHECK_STATUS.get(gap.status_before or ""),
                            "本期状态": CHECK_STATUS.get(gap.status_after or ""),
                        }
                    )
                records.append(row)
    columns = SCHOOL_COLUMNS + (GAP_COLUMNS if judged else [])
    return pd.DataFrame(records, columns=columns)


def _moved(value: ValueChange, gap: GapChange | None) -> bool:
    if value.before != value.after:
        return True
    return gap is not None and (gap.before != gap.after or gap.status_before != gap.status_after)


def membership_frame(comparison: Comparison) -> pd.DataFrame:
    """Schools added, removed, and matched by name only, per step."""
    records = []
    for step in comparison.steps:
        pair = f"{step.before} → {step.after}"
        for what, units in (("新增", step.added), ("减少", step.removed)):
            records += [_membership_row(pair, what, u, "", comparison) for u in units]
        records += [
            _membership_row(pair, "仅按名称对应", c.after, name_match_warning(c), comparison)
            for c in step.name_matches
        ]
    columns = ["对比", "情况", "学校标识码", "学校名称", "学校类型", "学段", "是否达标", "来源"]
    return pd.DataFrame(records, columns=[*columns, "说明"])


def _membership_row(
    pair: str, what: str, unit: UnitRef, note: str, comparison: Comparison
) -> dict[str, object]:
    o = unit.origin
    return {
        "对比": pair,
        "情况": what,
        "学校标识码": unit.code,
        "学校名称": unit.name,
        "学校类型": unit.type,
        "学段": unit.level.chinese,
        "是否达标": verdict_word(unit.passed) if comparison.judges_schools else "不逐校判定",
        "来源": f"{o.file}［{o.sheet}］第{o.row}行",
        "说明": note,
    }


def gap_totals_frame(comparison: Comparison) -> pd.DataFrame:
    """Per indicator the county's need in each period, money in 万元 as in the terminal."""
    labels = comparison.labels
    records = []
    for total in comparison.gap_totals:
        divisor, unit = display_unit(total.unit)
        amounts = [None if a is None else a / divisor for a in total.amounts]
        row: dict[str, object] = {"指标": total.name, "内容": total.what, "单位": unit}
        row.update(dict(zip(labels, amounts, strict=True)))
        row.update({f"{x}涉及学校": n for x, n in zip(labels, total.schools, strict=True)})
        records.append(row)
    columns = ["指标", "内容", "单位", *labels, *[f"{x}涉及学校" for x in labels]]
    return pd.DataFrame(records, columns=columns)
