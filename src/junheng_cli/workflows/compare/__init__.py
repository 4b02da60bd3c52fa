"""Compare one county's evaluations over periods (``comparison``): the coefficients' trends
(``trends``), the schools matched from one period to the next (``schools``) and the result
objects (``model``)."""

from junheng_cli.workflows.compare.comparison import compare
from junheng_cli.workflows.compare.model import (
    COMPOSITE,
    CompareError,
    Comparison,
    CvPoint,
    CvTrend,
    GapChange,
    GapTotalTrend,
    LevelPoint,
    LevelTrend,
    MatchedBy,
    PeriodInfo,
    PeriodStep,
    UnitChange,
    UnitRef,
    ValueChange,
    Verdict,
    name_match_warning,
)
from junheng_cli.workflows.compare.schools import match_units

__all__ = [
    "COMPOSITE",
    "CompareError",
    "Comparison",
    "CvPoint",
    "CvTrend",
    "GapChange",
    "GapTotalTrend",
    "LevelPoint",
    "LevelTrend",
    "MatchedBy",
    "PeriodInfo",
    "PeriodStep",
    "UnitChange",
    "UnitRef",
    "ValueChange",
    "Verdict",
    "compare",
    "match_units",
    "name_match_warning",
]
