"""A budget plan's tables as DataFrames, for the workbook: 说明, 步骤, 差异系数, 成本, 余下."""

from __future__ import annotations

import pandas as pd

from junheng_cli.report.frames.plan import _about, _verdict_rows, level_frame
from junheng_cli.report.wording.budget import (
    KINDS,
    METHOD,
    TEACHERS_RULE,
    WAYS,
    costs_text,
    goal_text,
    headline,
    limit_text,
    steps_text,
)
from junheng_cli.workflows.plan.budget import BudgetPlan
from junheng_cli.workflows.plan.budget_steps import Step, prices


def budget_frames(plan: BudgetPlan) -> dict[str, pd.DataFrame]:
    about = _about(
        "预算方案（先做什么）",
        plan.standard,
        [
            ("结论", headline(plan)),
            ("预算与名额", limit_text(plan)),
            ("目标", goal_text(plan.goal)),
            ("步骤", steps_text(plan)),
            ("方法", METHOD),
            ("教师名额", TEACHERS_RULE),
            ("成本", costs_text(plan)),
            *_verdict_rows(plan.outcome.levels),
        ],
    )
    return {
        "说明": about,
        "步骤": steps_frame(plan),
        "差异系数": level_frame(plan.outcome.levels),
        "成本": costs_frame(plan),
        "余下": remaining_frame(plan),
    }


def _item_rows(step: Step) -> list[dict[str, object]]:
    return [
        {
            "学校标识码": step.code,
            "学校名称": step.name,
            "学校类型": step.type,
            "步骤": KINDS[step.kind],
            "学段": item.level.chinese if item.level is not None else "全校",
            "指标": item.indicator_name,
            "补充内容": item.what,
            "数量": item.amount,
            "单位": item.unit,
            "方式": WAYS[item.way],
            "单价（元）": item.unit_cost,
            "费用（元）": item.cost,
            "教师名额": item.teachers,
        }
        for item in step.items
    ]


def steps_frame(plan: BudgetPlan) -> pd.DataFrame:
    """One row per addition, in the order to do them; the step's cumulative figures and the
    failing CVs after it on the step's first row."""
    rows = []
    for bought in plan.steps:
        for n, row in enumerate(_item_rows(bought.step)):
            first = n == 0
            cvs = {
                f"{c.level.chinese}{c.label}差异系数（本步后）": c.cv if first else None
                for c in bought.cvs_after
            }
            rows.append(
                {
                    "顺序": bought.order,
                    **row,
                    "累计费用（元）": bought.spent_after if first else None,
                    "累计教师名额": bought.teachers_after if first else None,
                    "达标学段单位（累计）": bought.passing_after if first else None,
                    **cvs,
                }
            )
    return pd.DataFrame(rows)


def costs_frame(plan: BudgetPlan) -> pd.DataFrame:
    priced, _ = prices(plan.standard, plan.costs)
    rows = []
    for ind in plan.standard.indicators:
        price = priced.get(ind.id)
        entry = plan.costs.entries.get(price.key) if price else None
        rows.append(
            {
                "指标": ind.name,
                "成本文件中的键": price.key if price else "（未定价）",
                "单价（元）": price.unit_cost if price else None,
                "方式": WAYS[price.way] if price else None,
                "计入教师名额": ("是" if price.teacher else "否") if price else None,
                "说明": entry.note if entry else None,
            }
        )
    for key in plan.unused_keys:
        entry = plan.costs.entries[key]
        rows.append({"指标": "（本标准未用到）", "成本文件中的键": key, "说明": entry.note})
    return pd.DataFrame(rows)


def remaining_frame(plan: BudgetPlan) -> pd.DataFrame:
    """What the full plan still needs after the budget, addition by addition, and the total."""
    rows = [row for step in plan.remaining for row in _item_rows(step)]
    if rows:
        rows.append(
            {
                "学校名称": "合计",
                "费用（元）": plan.remaining_cost,
                "教师名额": plan.remaining_teachers,
            }
        )
    return pd.DataFrame(rows, columns=list(_item_rows_columns()))


def _item_rows_columns() -> tuple[str, ...]:
    return (
        "学校标识码",
        "学校名称",
        "学校类型",
        "步骤",
        "学段",
        "指标",
        "补充内容",
        "数量",
        "单位",
        "方式",
        "单价（元）",
        "费用（元）",
        "教师名额",
    )
