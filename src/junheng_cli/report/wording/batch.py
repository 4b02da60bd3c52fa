"""The batch ranking's words, shared by the terminal and the ranking table."""

from __future__ import annotations

from typing import Any

from junheng_cli.model.fields import quantity_text

COUNTY_STATUS = {"scored": "已评估", "data_errors": "数据有错误", "unreadable": "无法读取"}
LEVELS = (("primary", "小学"), ("junior", "初中"))


def gap_text(gap: dict[str, Any]) -> str:
    """体育、艺术专任教师：缺 55 名，占达标所需 7.2%（30 所）: see ``BIGGEST_GAP_RULE``."""
    amount = quantity_text(gap["amount"], gap["unit"])
    return f"{gap['what']}：缺 {amount}，占达标所需 {gap['share']:.1%}（{gap['schools']} 所）"
