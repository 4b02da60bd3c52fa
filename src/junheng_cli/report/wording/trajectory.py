"""A trajectory's words, shared by the terminal, the workbook and the HTML page: the outlook
of a coefficient or a school, the pace, the headline and the method."""

from __future__ import annotations

from collections import Counter

from junheng_cli.workflows.trajectory import (
    CvTrajectory,
    Fit,
    Outlook,
    Projection,
    SchoolTrajectory,
    Timeline,
    Trajectory,
)

NEVER_WORDS = {
    Outlook.WORSENING: "在变差，按此趋势不会达标",
    Outlook.FLAT: "没有进展，按此趋势不会达标",
    Outlook.TOO_FEW: "不足三期数据，无法判断趋势",
}
REASONS = {
    Outlook.WORSENING: "在变差",
    Outlook.FLAT: "没有进展",
    Outlook.BEYOND: "进展太慢",
    Outlook.TOO_FEW: "不足三期数据",
}
NOT_BY = "不能"
BY = "能"


def beyond_words(line: Timeline) -> str:
    span = "十年" if line.dated else f"{line.horizon} 期"
    return f"进展太慢，按此趋势{span}内不会达标"


def outlook_words(projection: Projection, line: Timeline) -> str:
    """已达标 / 预计 2026Q4 达标 / 没有进展，按此趋势不会达标 …"""
    outlook = projection.outlook
    if outlook is Outlook.PASSING:
        if projection.exceeds_at:
            return f"已达标，但按此趋势将于 {projection.exceeds_at} 超过限值"
        return "已达标"
    if outlook is Outlook.PROJECTED:
        return f"预计 {projection.period} 达标"
    if outlook is Outlook.BEYOND:
        return beyond_words(line)
    return NEVER_WORDS[outlook]


SHORT_WORDS = {
    Outlook.WORSENING: "在变差",
    Outlook.FLAT: "无进展",
    Outlook.TOO_FEW: "不足三期",
    Outlook.BEYOND: "太慢",
    Outlook.PASSING: "已达到",
}


def short_words(projection: Projection) -> str:
    """For a school's indicator, in a crowded cell: 2026Q4 达到 / 无进展 / 在变差 …"""
    if projection.outlook is Outlook.PROJECTED:
        return f"{projection.period} 达到"
    return SHORT_WORDS[projection.outlook]


def by_target_word(projection: Projection) -> str:
    return "" if projection.by_target is None else BY if projection.by_target else NOT_BY


def pace_header(line: Timeline) -> str:
    return f"每{line.grid.chinese}变化"


def pace(fit: Fit | None, decimals: int) -> str:
    return "—" if fit is None else f"{fit.slope:+,.{decimals}f}"


def cv_name(cv: CvTrajectory) -> str:
    return f"{cv.level_name}{cv.label}"


def method_sentence(trajectory: Trajectory) -> str:
    line = trajectory.timeline
    step = line.grid.chinese
    text = (
        f"方法：每个差异系数（每所学校每项未达标指标的值）对各期日期拟合一条最小二乘直线，"
        f"斜率即每{step}的进度；预计达标期别是直线到达限值（标准值）后的第一个{step}。"
        "未达标学校的已达标指标假定保持达标；学校在至少达标项数达到规则、其余不低于 85% 的"
        f"第一个{step}预计达标。"
    )
    if not line.dated:
        text += (
            f"各期名称中没有日期（{'、'.join(line.undated)}），按等间隔的期计；"
            "用 --labels 2026Q1,2026Q2,… 给出日期。"
        )
    return text


def headline_lines(trajectory: Trajectory) -> list[str]:
    """The answer first: which coefficients pass (by the target date) and when, which do not;
    then the failing schools."""
    by = f"到 {trajectory.target}" if trajectory.target else "按目前进度"
    line = trajectory.timeline
    lines = []
    failing = trajectory.failing_cvs
    if not trajectory.cvs:
        lines.append("所选标准的差异系数没有限值，无从预计。")
    elif not failing:
        lines.append(f"{len(trajectory.cvs)} 项有限值的差异系数在最后一期均已达标。")
    else:
        passing = [c for c in failing if _arrives(c.projection, trajectory.target is not None)]
        never = [c for c in failing if c not in passing]
        parts = []
        if passing:
            names = "、".join(f"{cv_name(c)}（{c.projection.period}）" for c in passing)
            parts.append(f"{len(passing)} 项将达标：{names}")
        if never:
            names = "、".join(f"{cv_name(c)}（{outlook_words(c.projection, line)}）" for c in never)
            parts.append(f"{len(never)} 项不会达标：{names}")
        lines.append(f"{len(failing)} 项差异系数未达标。{by}，{'；'.join(parts)}。")
    for c in trajectory.cvs:
        if c.projection.exceeds_at:
            lines.append(
                f"提醒：{cv_name(c)}已达标，但按此趋势将于 {c.projection.exceeds_at} 超过限值。"
            )
    if trajectory.standard.judges_schools:
        lines.append(_schools_line(trajectory, by))
    return lines


def _arrives(projection: Projection, with_target: bool) -> bool:
    if projection.outlook is not Outlook.PROJECTED:
        return False
    return projection.by_target is True or not with_target


def _schools_line(trajectory: Trajectory, by: str) -> str:
    schools = trajectory.schools
    if not schools:
        return "最后一期所有学段单位均已逐校达标。"
    with_target = trajectory.target is not None
    arriving = [s for s in schools if _arrives(s.projection, with_target)]
    rest = [s for s in schools if s not in arriving]
    text = f"未达标的学段单位 {len(schools)} 个。{by}，"
    if arriving:
        text += f"{len(arriving)} 个将达标（最早 {arriving[0].projection.period}）"
        text += f"；其余 {len(rest)} 个不会达标" if rest else ""
    else:
        text += "没有一个会达标"
    if rest:
        counts = Counter(_never_reason(s, trajectory) for s in rest)
        text += "：" + "、".join(f"{n} 个{k}" for k, n in counts.items())
    return text + "。"


def _never_reason(school: SchoolTrajectory, trajectory: Trajectory) -> str:
    projection = school.projection
    if projection.outlook is Outlook.PROJECTED:  # but after the target date
        return f"{trajectory.target}以后才达标"
    return REASONS[projection.outlook]
