"""Before and after: a scenario applied to a copy of the school frame and evaluated again, and
how every level's CVs and verdicts moved."""

from __future__ import annotations

from dataclasses import dataclass, replace

from junheng_cli.compute.evaluate import evaluate
from junheng_cli.compute.validate import ValidatedTable
from junheng_cli.model.fields import Level
from junheng_cli.model.results import Evaluation, LevelResult
from junheng_cli.standards.model import Standard
from junheng_cli.workflows.scenario import AppliedScenario, Scenario, apply_scenario


@dataclass(frozen=True)
class CvChange:
    indicator: str
    name: str
    label: str
    decimals: int
    mean_before: float | None
    mean_after: float | None
    before: float | None
    after: float | None
    limit: float | None  # None under composite judgement


@dataclass(frozen=True)
class LevelChange:
    level: Level
    name: str
    cvs: list[CvChange]
    composite_before: float | None
    composite_after: float | None
    composite_limit: float | None
    cv_passed_before: bool | None
    cv_passed_after: bool | None
    failed_before: int | None  # schools (level units) failing their per-school thresholds
    failed_after: int | None
    passed_before: bool | None
    passed_after: bool | None


def compare_levels(before: Evaluation, after: Evaluation) -> list[LevelChange]:
    later = {lv.level: lv for lv in after.levels}
    return [_level_change(lv, later[lv.level]) for lv in before.levels if lv.level in later]


def _level_change(a: LevelResult, b: LevelResult) -> LevelChange:
    after = {i.id: i for i in b.indicators}
    cvs = [
        CvChange(
            i.id,
            i.name,
            i.label,
            i.decimals,
            i.mean,
            after[i.id].mean,
            i.cv,
            after[i.id].cv,
            i.limit,
        )
        for i in a.indicators
    ]
    return LevelChange(
        a.level,
        a.name,
        cvs,
        a.composite_cv,
        b.composite_cv,
        a.composite_limit,
        a.cv_passed,
        b.cv_passed,
        a.schools_failed,
        b.schools_failed,
        a.passed,
        b.passed,
    )


@dataclass
class ScenarioOutcome:
    applied: AppliedScenario
    before: Evaluation
    after: Evaluation
    levels: list[LevelChange]


def run_scenario(
    validated: ValidatedTable,
    standard: Standard,
    scenario: Scenario,
    before: Evaluation,
    source: str = "方案",
) -> ScenarioOutcome:
    """Apply a scenario to a copy of the school frame and evaluate the result."""
    applied = apply_scenario(validated.frame, scenario, standard, source)
    after = evaluate(replace(validated, frame=applied.frame), standard)
    return ScenarioOutcome(applied, before, after, compare_levels(before, after))
