"""What the per-school charts show, shared by the HTML (SVG) and xlsx (native charts) writers:
the indicators charted, the schools in value order, the threshold and, for a long list, only
the lowest schools — the ones to fix — with a note saying so."""

from __future__ import annotations

from dataclasses import dataclass

from junheng_cli.model.results import Evaluation, IndicatorResult, LevelResult

WEAKEST_CHARTS = 2  # per level: the indicators with the highest CV relative to its limit
ALL_UP_TO = 40  # up to this many schools a chart shows them all
LOWEST = 30  # beyond that, the lowest this many


@dataclass(frozen=True)
class SchoolBar:
    name: str
    value: float
    status: str | None  # met / near / below; None without a per-school threshold


@dataclass(frozen=True)
class SchoolChart:
    level: LevelResult
    indicator: IndicatorResult
    bars: list[SchoolBar]  # lowest value first; only the schools shown
    total: int  # schools with a value
    reference: float | None  # the per-school standard, else the county mean
    reference_label: str  # 标准 / 全县平均值
    floor: float | None  # 85% of the standard (基本值); None without one

    @property
    def truncated(self) -> bool:
        return len(self.bars) < self.total

    @property
    def title(self) -> str:
        return f"{self.level.name}：各校{self.indicator.name}（差异系数 {self._cv}）"

    @property
    def short_title(self) -> str:
        """For a chart's own title: the indicator's short name (骨干教师)."""
        return f"{self.level.name}各校{self.indicator.label}（差异系数 {self._cv}）"

    @property
    def _cv(self) -> str:
        return "—" if self.indicator.cv is None else f"{self.indicator.cv:.4f}"

    def note(self, where: str) -> str:
        """共 86 所，图中为最低的 30 所；完整数据见…  (empty when every school is shown)."""
        if not self.truncated:
            return ""
        return f"共 {self.total} 所，图中为最低的 {len(self.bars)} 所；完整数据见{where}。"


def weakest(level: LevelResult) -> list[int]:
    """Indices of the indicators with the highest CV relative to the limit, highest first."""

    def pressure(i: int) -> float:
        ind = level.indicators[i]
        limit = ind.limit or level.composite_limit or 1.0
        return (ind.cv or 0.0) / limit

    order = sorted(range(len(level.indicators)), key=pressure, reverse=True)
    return order[:WEAKEST_CHARTS]


def school_charts(evaluation: Evaluation) -> list[SchoolChart]:
    """Per level with schools: the CV table's weakest indicators, each as a school chart."""
    charts = []
    for level in evaluation.levels:
        if not level.schools:
            continue
        for index in weakest(level):
            chart = school_chart(evaluation, level, level.indicators[index])
            if chart is not None:
                charts.append(chart)
    return charts


def school_chart(
    evaluation: Evaluation, level: LevelResult, indicator: IndicatorResult
) -> SchoolChart | None:
    """The level's schools for one indicator, lowest first. The value is the one judged (a
    规程 allowance's where it applies); the standard and 基本值 are the checks' own."""
    bars = []
    threshold = floor = None
    for unit in evaluation.units:
        if unit.level != level.level:
            continue
        check = next((c for c in unit.checks if c.indicator == indicator.id), None)
        value = unit.values.get(indicator.id) if check is None else check.value
        if check is not None:
            threshold, floor = check.threshold, check.floor
        if value is None:
            continue
        bars.append(SchoolBar(unit.name, value, None if check is None else check.status))
    if not bars:
        return None
    bars.sort(key=lambda b: b.value)  # stable: equal values keep the input order
    shown = bars if len(bars) <= ALL_UP_TO else bars[:LOWEST]
    if threshold is None:
        spec = next((i for i in evaluation.standard.indicators if i.id == indicator.id), None)
        threshold = spec.thresholds.get(level.level) if spec is not None else None
    label = "标准" if threshold is not None else "全县平均值"
    reference = threshold if threshold is not None else indicator.mean
    return SchoolChart(level, indicator, shown, len(bars), reference, label, floor)
