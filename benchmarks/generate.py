"""Synthetic data for the benchmarks (never committed: benchmarks/data/ is ignored).

    python benchmarks/generate.py province   # 100 counties × 200 schools, one file each
    python benchmarks/generate.py national   # ~2,800 counties, ~210,000 rows:
                                             # one file, and one file per county
    python benchmarks/generate.py stats      # 300 per-school statistics workbooks (教基 forms)
    python benchmarks/generate.py huge       # ten years of the whole country, one sheet per
                                             # year: 0.2M, 0.5M, 1M and 2M rows (benchmarks/
                                             # data/huge, written as Excel writes, ~0.5 GB)

Every figure is invented by sample_data/synthetic.py (seeded); the statistics workbooks are
written from such a county by the test generator (tests/stats_fixtures.py).
"""

from __future__ import annotations

import argparse
import shutil
import sys
import time
from pathlib import Path

import pandas as pd
from openpyxl import Workbook

from junheng_cli.model.fields import template_columns

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "sample_data"))
from synthetic import CountySpec, generate_county

DATA = Path(__file__).resolve().parent / "data"
ROWS_PER_UNIT_SCALE = 123  # rows of generate_county at scale 1


def county(index: int, rows: int) -> pd.DataFrame:
    spec = CountySpec(
        name=f"县{index:04d}",
        seed=10_000 + index,
        scale=rows / ROWS_PER_UNIT_SCALE,
        code_prefix=f"{1000 + index:04d}",
    )
    frame = generate_county(spec)
    units = {c.header: c.header_with_unit for c in template_columns()}
    frame.columns = [units.get(h, h) for h in frame.columns]  # the columns the county has
    return frame


def write_fast(frames: list[tuple[str, pd.DataFrame]], path: Path, county_column: bool) -> None:
    """openpyxl's write-only mode: fast enough for a few hundred thousand rows."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("学校")
    header = list(frames[0][1].columns)
    sheet.append((["县"] if county_column else []) + header)
    for name, frame in frames:
        for record in frame.itertuples(index=False):
            values = [None if pd.isna(v) else v for v in record]
            sheet.append(([name] if county_column else []) + values)
    path.parent.mkdir(parents=True, exist_ok=True)
    workbook.save(path)


def province(counties: int = 100, rows: int = 200) -> None:
    folder = DATA / "province"
    for i in range(counties):
        write_fast([(f"县{i:04d}", county(i, rows))], folder / f"县{i:04d}.xlsx", False)
    print(f"{counties} files × {rows} rows in {folder}")


def national(counties: int = 2_800, rows: int = 75) -> None:
    frames = [(f"县{i:04d}", county(i, rows)) for i in range(counties)]
    write_fast(frames, DATA / "national.xlsx", True)
    total = sum(len(f) for _, f in frames)
    print(f"1 file × {total:,} rows: {DATA / 'national.xlsx'}")
    for name, frame in frames:
        write_fast([(name, frame)], DATA / "national-counties" / f"{name}.xlsx", False)
    print(f"{counties} files in {DATA / 'national-counties'}")


def huge(counties: int = 2_800, rows: int = 75) -> None:
    """Ten years of the whole country as an analyst keeps them in Excel: one sheet per year
    (a sheet holds at most 1,048,576 rows; each year is exported on its own), the county
    column naming the county and the year (``--group-by 县`` scores each county-year), codes
    unique across years. The curve's points take the first years: 1 year (0.2M rows), 2.5
    (0.5M: the third year's first half), 5 (1M) and 10 (2M)."""
    from huge_xlsx import write_years

    base = pd.concat(
        [county(i, rows).assign(县=f"县{i:04d}") for i in range(counties)], ignore_index=True
    )
    folder = DATA / "huge"
    folder.mkdir(parents=True, exist_ok=True)
    for years, label in ((1, "20万"), (2.5, "50万"), (5, "100万"), (10, "200万")):
        path = folder / f"十年全国-{label}行.xlsx"
        total = write_years(base, years, path)
        print(f"{total:,} rows in {path}")


def stats(schools: int = 300) -> None:
    """A county of ``schools`` schools as the statistics system exports it: one 教基 workbook
    per school (sheets per form, labels and layout as tests/stats_fixtures.py writes them)."""
    sys.path.insert(0, str(DATA.parents[1] / "tests"))
    from stats_fixtures import NEW, county_schools, write_county

    frame = county(0, schools)
    folder = DATA / "stats"
    shutil.rmtree(folder, ignore_errors=True)
    paths = write_county(county_schools(frame)[:schools], folder, NEW)
    print(f"{len(paths)} statistics workbooks in {folder}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("what", choices=["province", "national", "stats", "huge", "all"])
    what = parser.parse_args().what
    start = time.perf_counter()
    if what in ("province", "all"):
        province()
    if what in ("national", "all"):
        national()
    if what in ("stats", "all"):
        stats()
    if what == "huge":  # not in "all": half a gigabyte, for run.py curve
        huge()
    print(f"done in {time.perf_counter() - start:.0f} s")


if __name__ == "__main__":
    main()
