"""The batch summary as a workbook: the ranking, the counties that could not be evaluated,
and the run information."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pandas as pd

from junheng_cli import __version__
from junheng_cli.report.frames.batch import ranking_frame
from junheng_cli.report.xlsx.plain import write_frames
from junheng_cli.workflows.batch import BIGGEST_GAP_RULE, BatchResult


def write_batch_xlsx(result: BatchResult, target: Path) -> None:
    manifest = pd.DataFrame(
        [
            ("junheng 版本", __version__),
            (
                "评估标准",
                f"{result.standard.name}（{result.standard.id} {result.standard.version}）",
            ),
            ("生成日期", date.today().isoformat()),
            ("县数", len(result.counties)),
            ("未能评估", len(result.failed)),
            ("最大短板的定义", BIGGEST_GAP_RULE),
        ],
        columns=["项目", "内容"],
    )
    ranking = ranking_frame(result)
    failed = ranking[ranking["状态"] != "已评估"][["县", "状态", "错误", "文件"]]
    write_frames({"排名": ranking, "未能评估": failed, "运行信息": manifest}, target)
