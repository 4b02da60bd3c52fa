"""A trajectory's words, shared by the terminal, the workbook and the HTML page: the outlook
of a coefficient or a school, the pace, the headline and the method."""

from __future__ import annotations

from collections import Counter

from junheng_cli.workflows.trajectory import (
    CvTrajectory,
    Fit,
    IndicatorTrack,
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
STEP_WORDS = {  # grid → (每季度, 第一个季度)
    "quarter": ("每季度", "第一个季度"),
    "month": ("每月", "第一个月"),
    "year": ("每年", "第一年"),
    "period": ("每期", "第一期"),
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


def short_words(track: IndicatorTrack, line: Timeline) -> str:
    """For a school's indicator, in a crowded cell: 2027Q2 达到 85%，2029Q1 达到 / 无进展 …"""
    projection = track.met
    if projection.outlook is Outlook.PROJECTED:
        words = f"{projection.period} 达到"
        if track.status == "below" and track.near_at is not None:
            words = f"{line.label_at(track.near_at)} 达到 85%，{words}"
        return words
    return SHORT_WORDS[projection.outlook]


def by_target_word(projection: Projection) -> str:
    return "" if projection.by_target is None else BY if projection.by_target else NOT_BY


def period_headers(trajectory: Trajectory) -> list[str]:
    """Short column headers for the periods: their dates (2026Q1) when they have them."""
    line = trajectory.timeline
    if not line.dated:
        return trajectory.labels
    return [line.label_at(p.position) for p in trajectory.periods]


def pace_header(line: Timeline) -> str:
    return f"{STEP_WORDS[line.grid.value][0]}变化"


def pace(fit: Fit | None, decimals: int) -> str:
    return "—" if fit is None else f"{fit.slope:+,.{decimals}f}"


def cv_name(cv: CvTrajectory) -> str:
    return f"{cv.level_name}{cv.label}"


def method_sentence(trajectory: Trajectory) -> str:
    line = trajectory.timeline
    each, first = STEP_WORDS[line.grid.value]
    schools = trajectory.standard.judges_schools
    text = (
        "方法：每个差异系数"
        + ("（每所未达标学校每项未达标指标的值）" if schools else "")
        + f"对各期日期拟合一条最小二乘直线，斜率即{each}的进度；预计达标期别是直线到达限值"
        + ("（标准值）" if schools else "")
        + f"之后的{first}。"
    )
    if schools:
        text += (
            "未达标学校已达标的指标假定保持达标；学校在达标项数达到规则、其余不低于 85% 的"
            f"{first}预计达标。"
        )
    return text


def undated_note(trajectory: Trajectory) -> str | None:
    """Why the periods are equally spaced, and how to date them; None when they are dated."""
    line = trajectory.timeline
    if line.dated:
        return None
    return (
        f"注意：各期名称中没有日期（{'、'.join(line.undated)}），各期按等间隔计，预计期别写作"
        "“第 n 期”。用 --labels 2026Q1,2026Q2,… 给出各期日期。"
    )


def headline_lines(trajectory: Trajectory) -> list[str]:
    """The answer first: which coefficients pass (by the target date) and when, which do not;
    then the failing schools."""
    by = f"到 {trajectory.target}" if trajectory.target else "按目前进度"
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
            names = "、".join(f"{cv_name(c)}（{_never_reason(c, trajectory)}）" for c in never)
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
        counts = Counter(_never_reason(s, trajectory, when=False) for s in rest)
        text += "：" + "、".join(f"{n} 个{k}" for k, n in counts.items())
    return text + "。"


def _never_reason(
    item: SchoolTrajectory | CvTrajectory, trajectory: Trajectory, when: bool = True
) -> str:
    projection = item.projection
    if projection.outlook is Outlook.PROJECTED:  # but after the target date
        later = f"在 {trajectory.target} 以后才达标"
        return f"{later}，预计 {projection.period}" if when else later
    return REASONS[projection.outlook]
