"""Shared fixtures."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from helpers import write_county_file


@pytest.fixture
def write_county(tmp_path: Path):
    def write(schools: list[dict[str, Any]], name: str = "county.xlsx") -> Path:
        return write_county_file(tmp_path / name, schools)

    return write
