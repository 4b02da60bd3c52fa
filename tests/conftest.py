"""Shared fixtures."""

from __future__ import annotations

import gc
import sys
from pathlib import Path
from typing import Any

import pytest

# the synthetic-county generator lives with the sample data it makes, not in the package
sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "sample_data"))

# Byte-compile junheng and the tests once, for every worker and subprocess after it, even
# where PYTHONDONTWRITEBYTECODE is set (the caches are git-ignored __pycache__ folders).
sys.dont_write_bytecode = False


@pytest.fixture
def write_county(tmp_path: Path):
    from helpers import write_county_file  # after the bytecode setting above

    def write(schools: list[dict[str, Any]], name: str = "county.xlsx") -> Path:
        return write_county_file(tmp_path / name, schools)

    return write


def pytest_collection_finish(session: pytest.Session) -> None:
    """The modules imported for collection live as long as the run: keep them out of the
    garbage collector's full passes, and collect less often (the suite allocates much)."""
    gc.freeze()
    gc.set_threshold(50_000, 20, 20)
