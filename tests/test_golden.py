"""The JSON documents of evaluate, validate, compare, plan and batch on the sample data, byte for
byte as committed in ``tests/golden/`` (regenerate with ``python tests/golden_cases.py`` only
for an intended change). They hold the numbers steady through refactoring."""

from __future__ import annotations

import json

import pytest

from golden_cases import CASES, GOLDEN, run


@pytest.mark.parametrize("name", list(CASES))
def test_json_document_is_byte_identical_to_the_golden_file(name: str) -> None:
    expected = (GOLDEN / f"{name}.json").read_bytes()
    produced = run(CASES[name])
    if produced != expected:  # say where, not just that they differ
        old, new = json.loads(expected), json.loads(produced)
        changed = sorted(k for k in old.keys() | new.keys() if old.get(k) != new.get(k))
        pytest.fail(f"{name}: the JSON changed at the top-level keys {changed}")
    assert json.loads(produced)["kind"]  # every document says what it is
