"""The difference coefficient: the public books example, settings, and its laws."""

from __future__ import annotations

from fractions import Fraction

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from helpers import examples
from junheng_cli.compute.indicators import weighted_stats

# Reference §5(a): five primary schools, books per pupil.
BOOKS_STUDENTS = [45, 37, 89, 76, 55]
BOOKS = [279, 137, 935, 160, 402]


def cv_of(quantities, students, weighting="enrollment", sd_form="population") -> pd.Series:
    students = pd.Series(students, dtype="float64")
    values = pd.DataFrame({"x": pd.Series(quantities, dtype="float64") / students})
    groups = pd.Series(["g"] * len(students), name="level")
    return weighted_stats(values, students, groups, weighting, sd_form).loc[("g", "x")]


def test_books_example_matches_the_handout() -> None:
    stats = cv_of(BOOKS, BOOKS_STUDENTS)
    assert stats["mean"] == pytest.approx(1913 / 302, abs=1e-12)
    assert stats["mean"] == pytest.approx(6.334437, abs=5e-7)
    assert stats["sd"] == pytest.approx(3.263861, abs=5e-7)
    assert stats["cv"] == pytest.approx(0.515257, abs=5e-7)


def test_books_example_is_not_an_unweighted_or_sample_cv() -> None:
    official = cv_of(BOOKS, BOOKS_STUDENTS)["cv"]
    unweighted = cv_of(BOOKS, BOOKS_STUDENTS, weighting="unweighted")["cv"]
    sample = cv_of(BOOKS, BOOKS_STUDENTS, weighting="unweighted", sd_form="sample")["cv"]
    # The settings do compute the wrong readings the reference warns about …
    assert unweighted == pytest.approx(0.4888, abs=5e-5)
    assert sample == pytest.approx(0.5465, abs=5e-5)
    # … and the official method is far from both.
    assert abs(official - unweighted) > 0.02
    assert abs(official - sample) > 0.02


def exact_cv(quantities: list[float], students: list[int]) -> float:
    """The same formula in exact rational arithmetic, for comparison."""
    q = [Fraction(x) for x in quantities]
    p = [Fraction(n) for n in students]
    total = sum(p)
    mean = sum(q) / total
    variance = sum(pi / total * (qi / pi - mean) ** 2 for qi, pi in zip(q, p, strict=True))
    return float(variance) ** 0.5 / float(mean)


def test_no_cancellation_on_large_nearly_equal_values() -> None:
    # Per-student values around 1e8 that differ in the 7th significant digit: a one-pass
    # E[x²] − E[x]² loses every digit here; the two-pass formula must not.
    students = [100, 250, 400, 80]
    per_student = [1e8 + 1.0, 1e8 + 3.0, 1e8 - 2.0, 1e8 + 0.5]
    quantities = [v * n for v, n in zip(per_student, students, strict=True)]
    got = cv_of(quantities, students)["cv"]
    assert got == pytest.approx(exact_cv(quantities, students), rel=1e-6)


def test_groups_are_independent() -> None:
    students = pd.Series([45, 37, 89, 76, 55, 10, 30], dtype="float64")
    books = pd.Series([279, 137, 935, 160, 402, 50, 90], dtype="float64")
    values = pd.DataFrame({"books": books / students})
    groups = pd.Series(["a"] * 5 + ["b"] * 2, name="level")
    stats = weighted_stats(values, students, groups)
    assert stats.loc[("a", "books"), "cv"] == pytest.approx(0.515257, abs=5e-7)
    # group b by hand: X = 5, 3; P = 10, 30; mean = 140/40 = 3.5;
    # var = 0.25·1.5² + 0.75·0.5² = 0.75; CV = √0.75 / 3.5
    assert stats.loc[("b", "books"), "cv"] == pytest.approx(np.sqrt(0.75) / 3.5, rel=1e-12)


schools = st.lists(
    st.tuples(st.integers(1, 3000), st.floats(0.5, 5000.0, allow_nan=False)),
    min_size=2,
    max_size=40,
)


@pytest.mark.slow
@settings(max_examples=examples(80), deadline=None)
@given(schools=schools, factor=st.floats(1e-3, 1e4))
def test_cv_is_unchanged_by_scaling(schools, factor) -> None:
    students = [p for p, _ in schools]
    quantities = [p * v for p, v in schools]
    base = cv_of(quantities, students)["cv"]
    scaled = cv_of([q * factor for q in quantities], students)["cv"]
    assert scaled == pytest.approx(base, rel=1e-9, abs=1e-12)


@pytest.mark.slow
@settings(max_examples=examples(80), deadline=None)
@given(schools=schools, data=st.data())
def test_cv_is_unchanged_by_reordering(schools, data) -> None:
    order = data.draw(st.permutations(range(len(schools))))
    students = [p for p, _ in schools]
    quantities = [p * v for p, v in schools]
    base = cv_of(quantities, students)["cv"]
    shuffled = cv_of([quantities[i] for i in order], [students[i] for i in order])["cv"]
    assert shuffled == pytest.approx(base, rel=1e-9, abs=1e-12)


@pytest.mark.slow
@settings(max_examples=examples(80), deadline=None)
@given(schools=schools, which=st.integers(0, 39))
def test_cv_is_unchanged_by_splitting_a_school_into_identical_halves(schools, which) -> None:
    students = [2 * p for p, _ in schools]
    quantities = [2 * p * v for p, v in schools]
    i = which % len(schools)
    halves_students = [*students[:i], students[i] // 2, students[i] // 2, *students[i + 1 :]]
    halves_quantities = [
        *quantities[:i],
        quantities[i] / 2,
        quantities[i] / 2,
        *quantities[i + 1 :],
    ]
    base = cv_of(quantities, students)["cv"]
    split = cv_of(halves_quantities, halves_students)["cv"]
    assert split == pytest.approx(base, rel=1e-9, abs=1e-12)


@pytest.mark.parametrize("weighting", ["enrollment", "unweighted"])
def test_a_unit_without_a_value_carries_no_weight(weighting: str) -> None:
    """Units 10, 20, 30 with 100, 200, 300 pupils, and a fourth with no value: the statistics
    equal those of the three. Unweighted: mean 20, population SD √(200/3), CV 0.408248."""
    values = pd.DataFrame({"x": [10.0, 20.0, 30.0, np.nan]})
    students = pd.Series([100, 200, 300, 400])
    groups = pd.Series(["g"] * 4, name="group")
    four = weighted_stats(values, students, groups, weighting)  # type: ignore[arg-type]
    three = weighted_stats(values.iloc[:3], students.iloc[:3], groups.iloc[:3], weighting)  # type: ignore[arg-type]
    assert four.loc[("g", "x"), "cv"] == pytest.approx(three.loc[("g", "x"), "cv"], rel=1e-12)
    if weighting == "unweighted":
        assert four.loc[("g", "x"), "mean"] == pytest.approx(20.0)
        assert four.loc[("g", "x"), "cv"] == pytest.approx((200 / 3) ** 0.5 / 20, rel=1e-9)
