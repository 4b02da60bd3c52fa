"""A budget plan's method, goal and steps in words, as the terminal, the JSON document and the
workbook all state them."""

from __future__ import annotations

from junheng_cli.model.fields import quantity_text
from junheng_cli.workflows.plan.budget import BudgetPlan
from junheng_cli.workflows.plan.budget_steps import (
    BUY,
    CV_STEP,
    HIRE,
    SCHOOL,
    TRAIN,
    TRANSFER,
    Step,
    StepItem,
)

GOALS = {
    "schools": "使达到学校达标规则的学段单位最多",
    "cv": "使超过限值的差异系数下降最多（各项超出限值部分之和 Σ max(0, 差异系数 − 限值) 最小）",
    "both": "先使达标的学段单位最多，同样多时再使差异系数超出限值部分之和最小",
}
WAYS = {BUY: "购建", HIRE: "新进", TRANSFER: "交流轮岗", TRAIN: "培养"}
KINDS = {SCHOOL: "使本校达到学校达标规则", CV_STEP: "降低差异系数", "indicator": "补一项指标"}

STEPS_SCHOOL = (
    "一步 = 使一所学校达到学校达标规则：补充方案（junheng plan）给这所学校的全部补充量，"
    "一贯制学校各学段一起；方案中为降低差异系数再补的量各算一步。"
)
STEPS_INDICATOR = (
    "一步 = 一所学校一项指标的补充量（补充方案给它的全部量，含为降低差异系数再补的）。"
)
METHOD = (
    "方法：按每万元的效果贪心选取——在预算和教师名额以内、还放得下的步骤中，每次取按已选步骤之后的"
    "情况计算、每万元使目标改善最多的一步，直到放得下的步骤都不再改善目标；再做局部搜索：有放得下"
    "且能改善的步骤就加上，有“换掉一个已选步骤、换进一个未选步骤”（仍在预算和名额以内）使目标严格"
    "更好的就换，直到没有这样的单步替换。预算和名额足够买下全部步骤时，结果就是完整的补充方案。"
    "实施顺序：已选步骤之间再按每万元效果排序。"
)
TEACHERS_RULE = (
    "方式：购建（校舍、场地、设备、教室）、新进（新进教师）、交流轮岗（调入教师）、培养（培养现有教师）。"
    "教师名额（--teachers）：每名新进教师、每名交流轮岗调入的教师各占 1 个名额；培养现有教师"
    "（成本文件 teacher: false）不占。教师费用按一年计入本年预算。交流轮岗在这里只计调入学校，"
    "调出学校由 junheng plan --transfers 另行安排。"
)


def steps_text(plan: BudgetPlan) -> str:
    return STEPS_INDICATOR if plan.by_indicator else STEPS_SCHOOL


def goal_text(goal: str) -> str:
    return f"目标（--goal {goal}）：{GOALS[goal]}。"


def item_text(item: StepItem) -> str:
    """骨干教师（小学）+1 名：培养 1.00 万元/名 = 1.00 万元"""
    level = f"（{item.level.chinese}）" if item.level else ""
    return (
        f"{item.label}{level} +{quantity_text(item.amount, item.unit)}：{WAYS[item.way]} "
        f"{quantity_text(item.unit_cost, '元')}/{item.unit} = {quantity_text(item.cost, '元')}"
    )


def step_text(step: Step) -> str:
    return "；".join(item_text(i) for i in step.items)


def headline(plan: BudgetPlan) -> str:
    """The first line: what the budget buys."""
    budget = quantity_text(plan.budget, "元")
    spent = quantity_text(plan.spent, "元")
    parts = []
    if plan.passing_before is not None and plan.passing_after is not None:
        gained = plan.passing_after - plan.passing_before
        failing = plan.units - plan.passing_before
        parts.append(
            f"{budget} 可使 {gained} 个学段单位达到学校达标规则"
            f"（未达标 {failing} → {plan.units - plan.passing_after} 个）"
        )
    else:
        parts.append(f"{budget} 的安排")
    if plan.cvs_before and plan.cvs_before[0].limit is not None:
        over = sum(1 for c in plan.cvs_before if c.cv is not None and _over(c.cv, c.limit))
        parts.append(f"超过限值的差异系数 {over} → {len(_still_over(plan))} 项")
    elif plan.cvs_before:
        parts.append(f"综合差异系数超出限值 {plan.excess_before:.4f} → {plan.excess_after:.4f}")
    parts.append(f"用去 {spent}（{len(plan.steps)} 步）")
    if plan.teachers:
        parts.append(f"占教师名额 {plan.teachers:,.0f} 名")
    if plan.whole:
        parts.append("预算足以完成全部补充方案")
    else:
        parts.append(f"余下补齐还需 {quantity_text(plan.remaining_cost, '元')}")
    return "，".join(parts) + "。"


def _over(cv: float, limit: float | None) -> bool:
    return limit is None or cv > limit


def _still_over(plan: BudgetPlan) -> list[str]:
    last = plan.steps[-1].cvs_after if plan.steps else plan.cvs_before
    return [c.indicator for c in last if c.cv is not None and _over(c.cv, c.limit)]


def limit_text(plan: BudgetPlan) -> str:
    teachers = (
        "不限教师名额"
        if plan.teacher_limit is None
        else f"教师名额 {plan.teacher_limit:,.0f} 名（用 {plan.teachers:,.0f} 名）"
    )
    spent = quantity_text(plan.spent, "元")
    return f"预算 {quantity_text(plan.budget, '元')}（用 {spent}），{teachers}"


def costs_text(plan: BudgetPlan) -> str:
    costs = plan.costs
    text = f"单位成本：{costs.name}（{costs.path.name}）"
    if costs.example:
        text += "。注意：这是示例成本文件，数值仅作演示，请换成本县核定的单位成本（--costs）"
    if plan.unused_keys:
        text += f"。成本文件中本标准未用到的项：{'、'.join(plan.unused_keys)}"
    return text
