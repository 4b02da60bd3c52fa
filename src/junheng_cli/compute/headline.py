"""The answer first: one or two sentences a leader reads in ten seconds, and the bill.

Computed once from an :class:`~junheng_cli.model.results.Evaluation` and shown first by every report
(terminal, xlsx 汇总, HTML, JSON ``summary``). Every figure here is taken from the evaluation,
never recomputed: the bill is the county's gap totals, which are the sums of the per-school gaps.
"""

from __future__ import annotations

from dataclasses import dataclass

from junheng_cli.model.results import Evaluation, LevelResult

WORST_SCHOOLS = 5
CV_DECIMALS = 4  # as the CV tables print them
WORST_RULE = "按各项未达标指标距标准的比例之和排序（如本校值为标准的 60%，计 0.40）"


@dataclass(frozen=True)
class CvOver:
    """One difference coefficient above its limit."""

    indicator: str  # indicator id, or "composite" for the 综合差异系数
    label: str
    cv: float
    limit: float


@dataclass(frozen=True)
class LevelLine:
    level: str  # primary / junior
    name: str  # 小学 / 初中
    units: int
    passed: bool | None
    cv_over: list[CvOver]
    schools_failed: int | None
    composite_cv: float | None = None  # judged only where the standard sets a composite limit
    composite_limit: float | None = None


@dataclass(frozen=True)
class BillItem:
    """What the county must add for one indicator: the sum of its schools' gaps."""

    indicator: str
    what: str  # 县级以上骨干教师
    unit: str  # 名 / ㎡ / 元 / 间
    amount: float
    schools: int


@dataclass(frozen=True)
class WorstSchool:
    code: str
    name: str
    level: str  # 小学 / 初中
    met: int
    indicators: int
    shortfall: float  # Σ (1 − value / threshold) over the indicators below standard
    below: list[str]  # short labels of the indicators not met


@dataclass(frozen=True)
class Headline:
    passed: bool | None
    verdict: str  # the first sentence
    bill_text: str | None  # the second sentence; None when the standard does not judge schools
    bill: list[BillItem]
    worst: list[WorstSchool]
    worst_rule: str
    levels: list[LevelLine]
    # 政府保障程度 and county items that fail (names), besides the school-level verdict
    other_failing: list[str]

    @property
    def sentences(self) -> list[str]:
        return [self.verdict] + ([self.bill_text] if self.bill_text else [])


def headline_of(evaluation: Evaluation) -> Headline:
    levels = [_level_line(lv, evaluation) for lv in evaluation.levels if lv.schools]
    bill = _bill(evaluation)
    worst = worst_schools(evaluation, WORST_SCHOOLS)
    others = other_failing(evaluation)
    return Headline(
        passed=evaluation.passed,
        verdict=_verdict_sentence(evaluation, levels, others),
        bill_text=_bill_sentence(bill, worst) if evaluation.standard.judges_schools else None,
        bill=bill,
        worst=worst,
        worst_rule=WORST_RULE,
        levels=levels,
        other_failing=others,
    )


def short_name(evaluation: Evaluation) -> str:
    """基本均衡 / 优质均衡 where the standard declares such an alias, else its full name."""
    for alias in evaluation.standard.aliases:
        if alias.endswith("均衡"):
            return alias
    return evaluation.standard.name


def _level_line(level: LevelResult, evaluation: Evaluation) -> LevelLine:
    labels = {i.id: i.label for i in evaluation.standard.indicators}
    over = [
        CvOver(i.id, labels.get(i.id, i.name), i.cv, i.limit)
        for i in level.indicators
        if i.cv is not None and i.limit is not None and i.cv > i.limit
    ]
    over.sort(key=lambda c: -c.cv)
    composite = level.composite_cv
    # the composite is judged only where the standard judges it (2012); 2017 reports it only
    judged = evaluation.standard.judgement.mode != "each"
    limit = level.composite_limit if judged else None
    if composite is not None and limit is not None and composite > limit:
        over.insert(0, CvOver("composite", "综合差异系数", composite, limit))
    return LevelLine(
        level.level.value,
        level.name,
        level.schools,
        level.passed,
        over,
        level.schools_failed,
        composite if limit is not None else None,
        limit,
    )


def other_failing(evaluation: Evaluation) -> list[str]:
    """The 政府保障程度 items computed from school data and the county items that fail."""
    found = []
    government = evaluation.government
    if government is not None:
        if government.school_size and any(not c.passed for c in government.school_size):
            found.append("学校规模")
        if government.rooms and any(r.passed is False for r in government.rooms):
            found.append("音乐美术专用教室数量")
        if government.room_areas and any(not r.passed for r in government.room_areas):
            found.append("专用教室单间面积")
    found += [item.name for item in evaluation.county_items if item.passed is False]
    return found


def _verdict_sentence(evaluation: Evaluation, levels: list[LevelLine], others: list[str]) -> str:
    name = short_name(evaluation)
    if not levels:
        return f"没有参评学校，无法判定是否达到{name}。"
    if evaluation.indicator_subset is not None:
        opening = f"只评估了部分指标，不给是否达到{name}的结论"
    elif evaluation.passed is None:
        opening = f"无法判定全县是否达到{name}"
    else:
        opening = f"全县{'达到' if evaluation.passed else '未达到'}{name}"
    parts = [_cv_phrase(line) for line in levels]
    schools = _schools_phrase(levels)
    if schools:
        parts.append(schools)
    if others:
        parts.append(f"另有 {len(others)} 项政府保障和县级指标未达标（{'、'.join(others)}）")
    return f"{opening}：{'；'.join(parts)}。"


def _cv_phrase(line: LevelLine) -> str:
    composite = [c for c in line.cv_over if c.indicator == "composite"]
    each = [c for c in line.cv_over if c.indicator != "composite"]
    parts = [
        f"{line.name}综合差异系数 {c.cv:.{CV_DECIMALS}f} 超过限值 {c.limit:.2f}" for c in composite
    ]
    if each:
        limits = {c.limit for c in each}
        common = len(limits) == 1
        listed = "、".join(
            f"{c.label} {c.cv:.{CV_DECIMALS}f}" + ("" if common else f"（限值 {c.limit:.2f}）")
            for c in each
        )
        tail = f"，限值 {limits.pop():.2f}" if common else ""
        parts.append(f"{line.name} {len(each)} 项差异系数超限（{listed}{tail}）")
    if parts:
        return "，".join(parts)
    if line.composite_cv is not None and line.composite_limit is not None:
        return (
            f"{line.name}综合差异系数 {line.composite_cv:.{CV_DECIMALS}f}"
            f"（限值 {line.composite_limit:.2f}）"
        )
    return f"{line.name}差异系数均在限值内"


def _schools_phrase(levels: list[LevelLine]) -> str:
    failing = [f"{line.schools_failed} 所{line.name}" for line in levels if line.schools_failed]
    if failing:
        return "、".join(failing) + "未达标"
    if all(line.schools_failed == 0 for line in levels):
        return "每所学校均达标"
    return ""


def _bill(evaluation: Evaluation) -> list[BillItem]:
    return [
        BillItem(t.indicator, t.what, t.unit, t.amount, t.schools)
        for t in evaluation.gap_totals
        if t.amount > 0
    ]


def bill_amount(item: BillItem) -> str:
    """79 名 / 24,038 ㎡ / 746.31 万元 — the amount as a leader reads it."""
    if item.unit == "元":
        return f"{item.amount / 10_000:,.2f} 万元"
    if item.amount >= 1 or item.unit in ("名", "间", "台", "册"):
        return f"{item.amount:,.0f} {item.unit}"
    return f"{item.amount:.2f} {item.unit}"


def _bill_sentence(bill: list[BillItem], worst: list[WorstSchool]) -> str:
    if not bill:
        return "每所学校各项指标均已达到标准，无需补充。"
    teachers = [b for b in bill if b.unit == "名"]
    others = [b for b in bill if b.unit != "名"]
    parts = []
    if teachers:
        parts.append("，".join(f"{b.what} {bill_amount(b)}" for b in teachers))
    if others:
        parts.append("，".join(f"{b.what} {bill_amount(b)}" for b in others))
    text = f"使每所学校各项指标达到标准，全县需补充：{'；'.join(parts)}"
    if worst:
        names = "、".join(f"{w.name}（{w.level}，{w.met}/{w.indicators} 项达标）" for w in worst)
        text += f"。差距最大的 {len(worst)} 所：{names}"
    return text + "。"


def worst_schools(evaluation: Evaluation, count: int) -> list[WorstSchool]:
    """The failing school units with the largest shortfall (:data:`WORST_RULE`), worst first."""
    labels = {i.id: i.label for i in evaluation.standard.indicators}
    ranked = []
    for position, unit in enumerate(evaluation.units):
        if unit.passed is not False:
            continue
        below = [c for c in unit.checks if c.status != "met"]
        shortfall = sum(
            max(0.0, 1.0 - c.value / c.threshold)
            for c in below
            if c.value is not None and c.threshold > 0
        )
        ranked.append(
            (
                -shortfall,
                position,
                WorstSchool(
                    unit.code,
                    unit.name,
                    unit.level.chinese,
                    unit.met or 0,
                    len(unit.checks),
                    round(shortfall, 6),
                    [labels.get(c.indicator, c.name) for c in below],
                ),
            )
        )
    ranked.sort(key=lambda r: (r[0], r[1]))
    return [r[2] for r in ranked[:count]]
