"""A trajectory's tables as DataFrames, for the workbook and the HTML page: the periods, every
coefficient's pace and projection, and each failing school's indicators."""

from __future__ import annotations

import math

import pandas as pd

from junheng_cli.report.wording import CHECK_STATUS, verdict_word
from junheng_cli.report.wording.trajectory import by_target_word, outlook_words, pace_header
from junheng_cli.workflows.trajectory import CvTrajectory, Timeline, Trajectory


def periods_frame(trajectory: Trajectory) -> pd.DataFrame:
    line = trajectory.timeline
    return pd.DataFrame(
        [
            {
                "期别": p.label,
                "日期": line.label_at(p.position) if line.dated else "（无日期，按等间隔）",
                f"距第一期（{line.grid.chinese}）": p.position,
                "全县结论": verdict_word(p.passed),
                "文件": "、".join(p.files),
            }
            for p in trajectory.periods
        ]
    )


def cv_frame(trajectory: Trajectory) -> pd.DataFrame:
    """Per coefficient with a limit: its value each period, the pace, where it is heading."""
    line = trajectory.timeline
    records = []
    for cv in trajectory.cvs:
        row: dict[str, object] = {"学段": cv.level_name, "指标": cv.name, "限值": cv.limit}
        row.update(dict(zip(trajectory.labels, cv.values, strict=True)))
        row[pace_header(line)] = None if cv.fit is None else cv.fit.slope
        row["趋势"] = outlook_words(cv.projection, line)
        row["预计达标期别"] = cv.projection.period
        if trajectory.target:
            row[f"{trajectory.target}前达标"] = by_target_word(cv.projection)
        records.append(row)
    return pd.DataFrame(records)


def schools_frame(trajectory: Trajectory) -> pd.DataFrame:
    """One row per failing school and indicator it does not meet (long, for Excel's filter)."""
    line = trajectory.timeline
    labels = trajectory.labels
    records = []
    for school in trajectory.schools:
        met = " → ".join("—" if m is None else str(m) for m in school.met)
        for track in school.tracks:
            row: dict[str, object] = {
                "学校标识码": school.code,
                "学校名称": school.name,
                "学段": school.level.chinese,
                "达标项（各期）": f"{met}（共 {school.indicators} 项，须 {school.min_met} 项）",
                "学校预计达标": outlook_words(school.projection, line),
            }
            if trajectory.target:
                row[f"{trajectory.target}前达标"] = by_target_word(school.projection)
            row.update({"未达标指标": track.label, "单位": track.unit})
            row.update(dict(zip(labels, track.values, strict=True)))
            row.update(
                {
                    "标准值": track.threshold,
                    "85%值": track.floor,
                    "末期状态": CHECK_STATUS.get(track.status, track.status),
                    "达到85%": _floor_words(track.status, track.near_at, line),
                    pace_header(line): None if track.fit is None else track.fit.slope,
                    "该项趋势": outlook_words(track.met, line),
                }
            )
            records.append(row)
    return pd.DataFrame(records)


def _floor_words(status: str, near_at: float | None, line: Timeline) -> str:
    if status != "below":
        return "已达到"
    return "按此趋势不会" if near_at is None else f"预计 {line.label_at(near_at)}"


CHART_AHEAD = 4  # grid steps shown past the last period at least (a year of quarters)
CHART_MOST = 16  # and at most (a projection further out is named, not drawn)


def charted(trajectory: Trajectory) -> list[CvTrajectory]:
    """The coefficients worth a chart: those over their limit in the last period, and those
    within it whose line crosses it (a warning)."""
    return [c for c in trajectory.cvs if c.failing or c.projection.exceeds_at]


def chart_frame(trajectory: Trajectory, cv: CvTrajectory) -> pd.DataFrame:
    """One row per grid period from the first to past the projection (or the target date):
    the observed CV (empty between observations), the fitted line, and the limit."""
    line = trajectory.timeline
    last = round(trajectory.last_position)
    ahead = CHART_AHEAD
    for position in (cv.projection.position, trajectory.target_position):
        if position is not None:
            ahead = max(ahead, math.ceil(position - last - 1e-9))
    end = last + min(ahead, CHART_MOST)
    observed = {round(p.position): v for p, v in zip(trajectory.periods, cv.values, strict=True)}
    rows = [
        {
            "期别": line.label_at(k),
            "实际": observed.get(k),
            "趋势线": None if cv.fit is None else cv.fit.at(k),
            "限值": cv.limit,
        }
        for k in range(end + 1)
    ]
    return pd.DataFrame(rows, columns=["期别", "实际", "趋势线", "限值"])


def chart_title(cv: CvTrajectory, trajectory: Trajectory) -> str:
    words = outlook_words(cv.projection, trajectory.timeline)
    return f"{cv.level_name}{cv.label}差异系数：{words}"


def chart_range(frame: pd.DataFrame) -> tuple[float, float, float, int]:
    """The value axis of a chart: round ticks (1, 2 or 5 × 10ⁿ apart, about four of them) a
    little below and above every value drawn, and the decimals that tell the ticks apart (a
    flat line a hair over its limit needs four)."""
    numbers = [float(v) for c in ("实际", "趋势线", "限值") for v in frame[c] if pd.notna(v)]
    low, high = min(numbers), max(numbers)
    pad = (high - low) * 0.08 or 0.005
    low, high = low - pad, high + pad
    rough = (high - low) / 4
    power = 10 ** math.floor(math.log10(rough))
    step = next(m * power for m in (1, 2, 5, 10) if m * power >= rough)
    low, high = math.floor(low / step) * step, math.ceil(high / step) * step
    decimals = max(2, -math.floor(math.log10(step) + 1e-9))
    return low, high, step, decimals
