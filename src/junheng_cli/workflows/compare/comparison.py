"""Compare one county's evaluations over periods (quarters, months): how each difference
coefficient moved, which schools newly pass or fail, how each school's values and gaps
changed, and which schools were added or removed.

Pure logic on ``Evaluation`` objects: no reading, no printing. Periods are given oldest first.
Level units are matched between two consecutive periods by (学校标识码, 学段), then by
(学校名称, 学段) when the name is unique on both sides; a name match is reported as a warning.
"""

from __future__ import annotations

from collections.abc import Sequence

from junheng_cli.model.results import Evaluation
from junheng_cli.workflows.compare.model import CompareError, Comparison, PeriodInfo
from junheng_cli.workflows.compare.schools import period_step
from junheng_cli.workflows.compare.trends import gap_total_trends, level_trends


def compare(periods: Sequence[tuple[str, Evaluation]]) -> Comparison:
    """Compare evaluations of the same county under the same standard, oldest first."""
    _check_periods(periods)
    labels = [label for label, _ in periods]
    evaluations = [evaluation for _, evaluation in periods]
    standard = evaluations[0].standard
    steps = [period_step(periods[k - 1], periods[k], standard) for k in range(1, len(periods))]
    return Comparison(
        standard=standard,
        periods=[_period_info(label, ev) for label, ev in periods],
        levels=level_trends(labels, evaluations, standard),
        steps=steps,
        gap_totals=gap_total_trends(evaluations),
    )


def _check_periods(periods: Sequence[tuple[str, Evaluation]]) -> None:
    if len(periods) < 2:
        raise CompareError("比较至少需要两期数据")
    labels = [label for label, _ in periods]
    repeated = sorted({label for label in labels if labels.count(label) > 1})
    if repeated:
        raise CompareError(f"期别名称重复：{'、'.join(repeated)}（用 --labels 给每期一个名称）")
    used = list(dict.fromkeys(f"{e.standard.id}（版本 {e.standard.version}）" for _, e in periods))
    if len(used) > 1:
        raise CompareError(f"各期须按同一标准的同一版本评估，而这里有 {'、'.join(used)}")


def _period_info(label: str, evaluation: Evaluation) -> PeriodInfo:
    return PeriodInfo(
        label=label,
        files=list(dict.fromkeys(s.file for s in evaluation.sources)),
        units=len(evaluation.units),
        passed=evaluation.passed,
        warnings=sum(1 for f in evaluation.findings if f.severity == "warning"),
    )
