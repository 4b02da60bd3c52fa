"""A comparison's words, shared by the terminal and the workbook."""

from __future__ import annotations

from junheng_cli.workflows.compare import Comparison, Verdict

VERDICT_ZH = {
    Verdict.NEWLY_PASSING: "新达标",
    Verdict.NEWLY_FAILING: "新未达标",
    Verdict.STILL_PASSING: "仍达标",
    Verdict.STILL_FAILING: "仍未达标",
    Verdict.NOT_JUDGED: "不逐校判定",
}
NO_SCHOOL_RULE = (
    "所选标准没有逐校达标规则（如 basic-2012）：只比较差异系数和各校指标值，"
    "没有“新达标 / 新未达标”学校"
)


def judged_each(comparison: Comparison) -> bool:
    """Every single CV is judged (2017); otherwise only the composite (2012)."""
    return comparison.standard.judgement.mode == "each"


def display_unit(unit: str) -> tuple[int, str]:
    """Money is shown in 万元, everything else in its own unit: (divisor, unit shown)."""
    return (10_000, "万元") if unit == "元" else (1, unit)
