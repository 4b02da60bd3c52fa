"""The commands whose JSON the golden test holds byte for byte (run from the repository root).

``python tests/golden_cases.py`` rewrites ``tests/golden/*.json`` from the current code: do it
only when a change to a document is intended, and say so in the commit.
"""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
GOLDEN = ROOT / "tests" / "golden"
SAMPLE = "sample_data/示例县2026.xlsx"
Q2 = "sample_data/示例县2026Q2.xlsx"
Q3 = "sample_data/示例县2026Q3.xlsx"
STATS = "sample_data/示例县2026统计报表"
QUALITY = ["--standard", "quality-2017"]

CASES: dict[str, list[str]] = {
    "evaluate-basic": ["evaluate", SAMPLE, "--format", "json"],
    "evaluate-quality": ["evaluate", SAMPLE, *QUALITY, "--format", "json"],
    "evaluate-stats": ["evaluate", STATS, *QUALITY, "--format", "json"],
    "validate": ["validate", SAMPLE, *QUALITY, "--format", "json"],
    "compare": ["compare", SAMPLE, Q2, Q3, *QUALITY, "--format", "json"],
    "plan": ["plan", SAMPLE, *QUALITY, "--format", "json"],
    "plan-transfers": ["plan", SAMPLE, *QUALITY, "--transfers", "--format", "json"],
    "batch": ["batch", SAMPLE, *QUALITY, "--format", "json", "--quiet"],
}


def run(args: list[str]) -> bytes:
    """The command's stdout, run in-process from the repository root. The one path that depends
    on where junheng is installed (the built-in form maps') reads ``<junheng_cli>``."""
    import os

    from typer.testing import CliRunner

    import junheng_cli
    from junheng_cli.cli.app import app

    here = Path.cwd()
    os.chdir(ROOT)
    try:
        result = CliRunner().invoke(app, args)
    finally:
        os.chdir(here)
    if result.exit_code != 0:
        raise RuntimeError(f"{args}: exit {result.exit_code}\n{result.output}")
    package = str(Path(junheng_cli.__file__).resolve().parent).encode()
    return result.stdout_bytes.replace(package, b"<junheng_cli>")


if __name__ == "__main__":
    GOLDEN.mkdir(exist_ok=True)
    for name in sys.argv[1:] or CASES:
        (GOLDEN / f"{name}.json").write_bytes(run(CASES[name]))
        print(f"wrote tests/golden/{name}.json")
