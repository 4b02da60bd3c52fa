"""The batch ranking of counties as a DataFrame (the workbook's and the CSV's 排名)."""

from __future__ import annotations

from typing import Any

import pandas as pd

from junheng_cli.report.wording import verdict_word
from junheng_cli.report.wording.batch import COUNTY_STATUS, LEVELS, gap_text
from junheng_cli.workflows.batch import BatchResult


def ranking_frame(result: BatchResult) -> pd.DataFrame:
    rows = []
    reports = any(c.report or c.report_error for c in result.counties)
    for rank, outcome in enumerate(result.ranked(), start=1):
        s = outcome.summary
        row: dict[str, Any] = {
            "排名": rank if outcome.status == "scored" else None,
            "县": outcome.county,
            "状态": COUNTY_STATUS[outcome.status],
            "结论": verdict_word(s.get("passed")) if outcome.status == "scored" else "",
        }
        for key, name in LEVELS:
            level = s.get("levels", {}).get(key)
            row[f"{name}综合差异系数"] = level["composite_cv"] if level else None
            row[f"{name}最高单项差异系数"] = level["worst_cv"] if level else None
            row[f"{name}最高单项指标"] = level["worst_indicator"] if level else None
            row[f"{name}结论"] = verdict_word(level["passed"]) if level else None
            row[f"{name}未达标学校"] = level["schools_failed"] if level else None
        gap = s.get("biggest_gap")
        row["最大短板"] = gap_text(gap) if gap else None
        row["最大短板缺口率"] = gap["share"] if gap else None
        row["错误"] = outcome.error
        row["文件"] = "；".join(outcome.files)
        if reports:
            row["报告文件"] = outcome.report or outcome.report_error
        rows.append(row)
    return pd.DataFrame(rows)
