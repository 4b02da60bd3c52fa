"""The plan's method and its rules in words, as the terminal, the JSON document and the
workbook all state them."""

from __future__ import annotations

from junheng_cli.workflows.plan import (
    BLOCKED,
    CAP,
    NO_DONOR,
    NO_GAIN,
    REACHED,
    WITHIN,
    Plan,
    TransferDirection,
)

CV_STEP = (
    "差异系数仍超过限值的，再把最低的一批学校一起补到同一水平（取使差异系数达到限值的最低水平）。"
    "教师、教室为整数，面积取整平方米，设备取整元，一律向上取整；补充后重新计算并复核。"
)
LEAST = (
    "“最少”是逐项指标而言：各项指标单位不同，不能相加；同一名教师可能既是骨干教师又是高学历教师，"
    "各类教师人数也不能相加为总人数。新增的各类教师按新进专任教师计入专任教师数，"
    "专任教师数（师生比）的补充量是计入这些新进教师之后再算的。"
)
TRANSFER_METHOD = (
    "方法：同一学段内，每次调动一名教师：调出学校调出后仍须达到本校标准值（含随之调出的其他类别）"
    "且高于全县平均值，调入学校低于全县平均值；每次取使差异系数下降最多的一对学校，"
    "直到差异系数达到限值、再调动也不能降低，或达到调动上限。不新增教师。"
)
STOPS = {
    WITHIN: "在限值以内，无需调动",
    REACHED: "调动后达到限值",
    NO_GAIN: "再调动一名教师也不能降低差异系数，仍未达到限值",
    NO_DONOR: "没有可调出的学校（调出后须达到本校标准值并高于全县平均值），仍未达到限值",
    CAP: "达到调动上限，仍未达到限值",
    BLOCKED: "按调动方向（见上）没有可行的调动，仍未达到限值",
}


def direction_text(direction: TransferDirection) -> str:
    """The direction rule the transfers followed, as the plan states it (terminal, JSON, xlsx)."""
    if not direction.area_known:
        where = (
            "调动方向：工作簿没有可用的城乡类型（城区/镇区/乡村），未能按城乡方向限制调动，"
            "只从强校调往弱校；请补填城乡类型列后重算。"
        )
    elif direction.allow_rural_to_urban:
        where = (
            "调动方向：已允许从乡村、镇区学校调往更靠城区的学校（--allow-rural-to-urban），"
            "只从强校调往弱校。"
        )
    else:
        where = (
            "调动方向（交流轮岗）：城区 → 城区、镇区或乡村，镇区 → 镇区或乡村，乡村 → 乡村；"
            "不从乡村、镇区学校调往更靠城区的学校（分析人员可用 --allow-rural-to-urban 放开），"
            "只从强校调往弱校。"
        )
    where += "不从教学点调出教师。"
    if direction.without_area:
        shown = "、".join(direction.without_area[:5])
        more = f"等 {len(direction.without_area)} 所" if len(direction.without_area) > 5 else ""
        where += (
            f"未填城乡类型（或无法识别）的学校：{shown}{more}，只在方向确定时参与调动"
            "（只调往乡村学校，只从城区学校调入）。"
        )
    return where


def method_text(plan: Plan) -> str:
    """What step 1 did (by the mode used) and step 2, in one paragraph."""
    rule = plan.standard.school_rule
    if plan.full:
        first = (
            "方法（--full，补到全部标准值）：每所学校（一贯制学校按学段）每项低于标准值的指标都补到"
            "标准值，已达到学校达标规则的学校也补。"
        )
    elif rule is None:
        first = "方法：本标准没有逐校标准值，只看差异系数。"
    else:
        first = (
            f"方法（默认，按学校达标规则补最少）：已达到学校达标规则（至少 {rule.min_met} 项达到"
            f"标准值、其余不低于标准值的 {rule.floor:.0%}）的学校（一贯制学校按学段）不补；"
            f"未达到的，先把低于标准值 {rule.floor:.0%} 的指标补到该线，再在未达到标准值的指标中"
            "按相对差距（（标准值 − 本校值）/ 标准值）从小到大补到标准值，直到有 "
            f"{rule.min_met} 项达到。其余指标不补到标准值（要全部补到标准值请加 --full）。"
        )
    return first + CV_STEP


def first_step(plan: Plan) -> str:
    """The name of step 1's amounts: 补到标准值 (--full) or 达到学校达标规则."""
    return "补到标准值" if plan.full or plan.standard.school_rule is None else "达到学校达标规则"
