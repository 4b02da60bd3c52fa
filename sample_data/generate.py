"""Regenerate the synthetic sample county: ``python sample_data/generate.py``.

Every figure is invented by a seeded generator (junheng_cli.synthetic); no real school.
"""

from __future__ import annotations

from pathlib import Path

from junheng_cli.io.write import write_sheet_xlsx
from junheng_cli.schema import template_columns
from junheng_cli.synthetic import CountySpec, generate_county

HERE = Path(__file__).resolve().parent
SAMPLE = HERE / "示例县2026.xlsx"


def main() -> None:
    frame = generate_county(CountySpec())
    frame.columns = [c.header_with_unit for c in template_columns()]
    write_sheet_xlsx(frame, SAMPLE, "学校")
    print(f"wrote {SAMPLE.relative_to(HERE.parent)}: {len(frame)} schools (synthetic)")


if __name__ == "__main__":
    main()
