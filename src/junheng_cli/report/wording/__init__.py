"""The words every format uses alike: a verdict, a school's status against its standard, a
shortfall. The terminal, the workbooks, HTML and CSV all say them the same way."""

from __future__ import annotations

PASSED, FAILED, UNDECIDED = "达标", "未达标", "无法判定"
CHECK_STATUS = {"met": PASSED, "near": "未达标但不低于85%", "below": "低于85%"}


def verdict_word(passed: bool | None) -> str:
    """达标 / 未达标, or 无法判定 when there is no verdict."""
    return UNDECIDED if passed is None else PASSED if passed else FAILED


def gap_phrase(amount: float, unit: str, what: str) -> str:
    """还差 3 名县级以上骨干教师 / 还差 1,200 ㎡教学及辅助用房 / 还差 12.50 万元教学仪器设备."""
    if unit == "元":
        return f"还差 {amount / 10_000:,.2f} 万元{what}（{amount:,.0f} 元）"
    if amount >= 1 or unit in ("名", "间", "台", "册"):
        return f"还差 {amount:,.0f} {unit}{what}"
    return f"还差 {amount:.2f} {unit}{what}"
