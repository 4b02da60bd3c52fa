"""Apply a standard to a validated school table and produce result objects.

The numbers here never depend on how they are printed: ``report`` only reads these.

- ``county``: one county, the whole evaluation (``evaluate``);
- ``counties``: many counties validated together, the arithmetic run once over all of them;
- ``levels``: each level's statistics, verdict, contributors and fix-first lists;
- ``units``: one result object per level unit;
- ``exclusion``: the schools outside the standard's scope and the rows skipped for errors;
- ``stops``: why there is no verdict (``DataErrors``, ``NothingToEvaluate``).
"""

from __future__ import annotations

from junheng_cli.compute.evaluate.counties import CountyScores, evaluate_groups, score_groups
from junheng_cli.compute.evaluate.county import evaluate
from junheng_cli.compute.evaluate.stops import DataErrors, NothingToEvaluate, nothing_to_evaluate

__all__ = [
    "CountyScores",
    "DataErrors",
    "NothingToEvaluate",
    "evaluate",
    "evaluate_groups",
    "nothing_to_evaluate",
    "score_groups",
]
