"""Render an explanation: the arithmetic of one school and of the county CV."""

from __future__ import annotations

from rich import box
from rich.console import Console
from rich.table import Table
from rich.text import Text

from junheng_cli.compute.explain import CountyArithmetic, Explanation, UnitArithmetic
from junheng_cli.model.fields import FIELDS, Level
from junheng_cli.report.wording import CHECK_STATUS, FAILED, PASSED, gap_phrase

SECTION_NUMBERS = "〇一二三四五六七八九"  # 一、本校; 二、三、 the county CV of each level


def render_explanation(console: Console, explanation: Explanation, standard_id: str) -> None:
    ind = explanation.indicator
    console.print(
        Text(f"{explanation.school} · {ind.name}（{ind.id}）· 标准 {standard_id}", style="bold")
    )
    if explanation.excluded is not None:
        e = explanation.excluded
        console.print(Text(f"该校（{e.type}）不参评：{e.reason}"))
        return
    console.print()
    console.print("[bold]一、本校[/]")
    for arithmetic in explanation.units:
        _render_unit(console, arithmetic, explanation)
    for number, county in enumerate(explanation.county, start=2):
        console.print()
        _render_county(console, county, explanation, SECTION_NUMBERS[number])


def _render_unit(console: Console, a: UnitArithmetic, explanation: Explanation) -> None:
    ind = explanation.indicator
    unit = a.unit
    console.print(Text(f"  {unit.level.chinese}（{unit.type}，第 {unit.origin.row} 行）"))
    if a.whole:
        levels = [lv for lv in Level if lv in a.weights]
        counts = "、".join(f"{lv.chinese} {a.students.get(lv, 0)} 人" for lv in levels)
        console.print(f"    在校生：{counts}")
        if len(levels) > 1:
            terms = " + ".join(f"{a.students.get(lv, 0)}×{a.weights[lv]:g}" for lv in levels)
            mine = f"{unit.students}×{a.weights[unit.level]:g}"
            console.print(f"    {unit.level.chinese}份额 = {mine} / ({terms}) = {unit.share:.6f}")
        for field, whole in a.whole.items():
            console.print(
                f"    {FIELDS[field].header}（全校）{whole:,.2f} × {unit.share:.6f}"
                f" = {a.numerator[field]:,.2f}"
            )
    else:
        for field, amount in a.numerator.items():
            header = FIELDS[field].header_for(unit.level)
            console.print(f"    {header} = {amount:,.0f}（按学段填报，不拆分）")
    total = sum(a.numerator.values())
    scale = f" × {ind.scale:g}" if ind.scale != 1 else ""
    sum_text = " + ".join(_amount(v) for v in a.numerator.values())
    numerator = f"({sum_text})" if len(a.numerator) > 1 else _amount(total)
    value = "—" if a.value is None else f"{a.value:.6f}"
    console.print(f"    {ind.name} = {numerator} / {unit.students}{scale} = {value} {ind.unit}")
    if a.check is not None:
        c = a.check
        if c.allowance is not None and c.strict_value is not None and c.value is not None:
            strict = CHECK_STATUS[c.strict_status or "below"]
            console.print(
                Text(
                    f"    按规程：{c.allowance}，逐校达标按 {c.value:.6f} {ind.unit} 判定"
                    f"（严格口径 {c.strict_value:.6f} → {strict}；"
                    "差异系数仍按严格口径）"
                )
            )
        line = f"    标准 ≥ {c.threshold:g}（85% 为 {c.floor:g}）→ {CHECK_STATUS[c.status]}"
        if c.gap > 0:
            line += "；" + gap_phrase(c.gap, c.gap_unit, c.what)
        console.print(line)
        if c.gap > 0 and a.whole and unit.share < 1:
            console.print(
                f"    （这是全校要新增的数量：新增的{c.what}按份额分给各学段，本学段只分得"
                f" {unit.share:.2%}，全校新增这么多，各学段才都能达标）"
            )


def _amount(value: float) -> str:
    return f"{value:,.0f}" if float(value).is_integer() else f"{value:,.2f}"


def _render_county(
    console: Console, c: CountyArithmetic, explanation: Explanation, number: str
) -> None:
    ind = explanation.indicator
    console.print(f"[bold]{number}、全县{c.level.chinese}差异系数[/]（{len(c.rows)} 个参评单位）")
    scale = f" × {ind.scale:g}" if ind.scale != 1 else ""
    console.print(
        f"  全县平均值 X̄ = Σx / ΣP{scale} = {c.total_numerator:,.2f} / {c.total_students:,}{scale}"
        f" = {c.mean:.6f}"
    )
    table = Table(box=box.SIMPLE_HEAD, pad_edge=False)
    for header in ("学校", "在校生 Pᵢ", "权重 Pᵢ/P", "Xᵢ", "Xᵢ − X̄", "(Pᵢ/P)(Xᵢ − X̄)²"):
        table.add_column(header, justify="left" if header == "学校" else "right")
    for r in c.rows:
        table.add_row(
            Text(r.name),
            f"{r.students:,}",
            f"{r.weight:.6f}",
            f"{r.value:.6f}",
            f"{r.deviation:+.6f}",
            f"{r.weighted_square:.6f}",
        )
    console.print(table)
    console.print(f"  方差 S² = Σ (Pᵢ/P)(Xᵢ − X̄)² = {c.variance:.6f}")
    console.print(f"  标准差 S = √{c.variance:.6f} = {c.sd:.6f}")
    agrees = c.indicator.cv is not None and abs(c.indicator.cv - c.cv) <= 1e-9 * max(1.0, c.cv)
    note = "（与评估结果一致）" if agrees else "（[red]与评估结果不一致[/]）"
    console.print(f"  差异系数 CV = S / X̄ = {c.sd:.6f} / {c.mean:.6f} = [bold]{c.cv:.6f}[/]{note}")
    if c.indicator.limit is not None:
        verdict = PASSED if c.indicator.passed else FAILED
        console.print(f"  限值 ≤ {c.indicator.limit:g} → {verdict}")
