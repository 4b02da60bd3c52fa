"""Shared fixtures."""

from __future__ import annotations

import gc
from pathlib import Path
from typing import Any

import pytest

from helpers import write_county_file


@pytest.fixture
def write_county(tmp_path: Path):
    def write(schools: list[dict[str, Any]], name: str = "county.xlsx") -> Path:
        return write_county_file(tmp_path / name, schools)

    return write


def pytest_collection_finish(session: pytest.Session) -> None:
    """The modules imported for collection live as long as the run: keep them out of the
    garbage collector's full passes, and collect less often (the suite allocates much)."""
    gc.freeze()
    gc.set_threshold(50_000, 20, 20)
