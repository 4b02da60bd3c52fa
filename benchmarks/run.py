"""Measure junheng against the readers it is compared with, in one go on the same files.

    python benchmarks/generate.py all      # once
    python benchmarks/run.py [province|national|stats|all] [--repeat N]
    python benchmarks/generate.py huge && python benchmarks/run.py curve   # 0.2M–2M rows
    python benchmarks/run.py reports       # batch --reports-dir: seconds per county report

Every measurement runs in a fresh process (so imports count and peak memory is its own):
- pandas read_excel(engine="openpyxl"), reading only: the tool analysts would script;
- fastexcel, reading only to Arrow: the fastest reader measured, the practical floor;
- junheng batch (read, validate, evaluate, summary xlsx), and junheng on the single big file;
- statistics exports: fastexcel opening each of 300 per-school workbooks and reading every sheet,
  against ``junheng import-stats`` (recognise, read through the form map, check the labels, write
  the county workbook with its 来源 and 导入情况 sheets), with where junheng's time goes.
Prints seconds, peak memory and the ratios the targets are stated in.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
DATA = HERE / "data"

READ_PANDAS = """
import glob, sys, pandas as pd
for f in sorted(glob.glob(sys.argv[1])):
    pd.read_excel(f, engine="openpyxl", dtype={"学校标识码": str})
"""
READ_FASTEXCEL = """
import glob, sys, fastexcel
for f in sorted(glob.glob(sys.argv[1])):
    fastexcel.read_excel(f).load_sheet(0).to_arrow()
"""
READ_JUNHENG = """
import sys
from pathlib import Path
from junheng_cli.io.sheet_table import ReadOptions, read_school_table
read_school_table([Path(sys.argv[1])], ReadOptions(group_by=sys.argv[2]))
"""
# the libraries every junheng run is built on (the project's own choice: pandas, pydantic,
# typer, rich) and its readers, imported and nothing else: the floor under any junheng run
IMPORTS_ONLY = (
    "import pandas, pydantic, typer, rich.console, numpy, pyarrow, fastexcel, python_calamine"
)
READ_FASTEXCEL_ALL = """
import sys, fastexcel
reader = fastexcel.read_excel(sys.argv[1])
for name in reader.sheet_names:
    reader.load_sheet(name).to_arrow()
"""
READ_FASTEXCEL_SHEETS = """
import glob, sys, fastexcel
for f in sorted(glob.glob(sys.argv[1])):
    reader = fastexcel.read_excel(f)
    for name in reader.sheet_names:
        reader.load_sheet(name, header_row=None).to_arrow()
"""
# junheng's import of the statistics folder, by stage, in one process (imports first)
STATS_STAGES = """
import sys, time
start = time.perf_counter()
from pathlib import Path
import junheng_cli.cli.app
from junheng_cli.report.xlsx.stats import write_import
from junheng_cli.io.stats.forms import load_maps
from junheng_cli.io.stats.importer import import_stats
imported_at = time.perf_counter()
load_maps()
maps_at = time.perf_counter()
result = import_stats([Path(sys.argv[1])])
import_at = time.perf_counter()
write_import(result, Path(sys.argv[2]))
written_at = time.perf_counter()
print("@@STAGES", imported_at - start, maps_at - imported_at, import_at - maps_at,
      written_at - import_at, len(result.imported), file=sys.stderr)
"""
# junheng batch on one file, by stage, in one process: each stage's function is timed where
# the batch calls it (a stage whose function is not found is left out)
BATCH_STAGES = """
import os, sys, threading, time, resource, tempfile, importlib
start = time.perf_counter()
cpu_seen = []  # (seconds since start, CPU seconds of the process so far), every 0.1 s
def sample_cpu():
    while True:
        usage = resource.getrusage(resource.RUSAGE_SELF)
        cpu_seen.append((time.perf_counter() - start, usage.ru_utime + usage.ru_stime))
        time.sleep(0.1)
threading.Thread(target=sample_cpu, daemon=True).start()
from pathlib import Path
from junheng_cli.cli.app import main
imported = time.perf_counter()
spent = {}
read_span = []  # when the reading began and ended (seconds since start)
def cores(begin, end):
    inside = [(t, c) for t, c in cpu_seen if begin <= t <= end]
    if len(inside) < 2:
        return float("nan")
    return (inside[-1][1] - inside[0][1]) / (inside[-1][0] - inside[0][0])
def timed(module, name, stage):
    try:
        owner = importlib.import_module(module)
        real = getattr(owner, name)
    except (ImportError, AttributeError):
        return
    def run(*args, **kwargs):
        began = time.perf_counter()
        try:
            return real(*args, **kwargs)
        finally:
            spent[stage] = spent.get(stage, 0.0) + time.perf_counter() - began
            if stage == "read":
                read_span.append((began - start, time.perf_counter() - start))
    setattr(owner, name, run)
import junheng_cli.io.read as read_module
real_xml = getattr(read_module.Workbook, "sheet_xml", None)
def sheet_xml(self, name):
    began = time.perf_counter()
    try:
        return real_xml(self, name)
    finally:
        spent["xml pass"] = spent.get("xml pass", 0.0) + time.perf_counter() - began
if real_xml is not None:
    read_module.Workbook.sheet_xml = sheet_xml
timed("junheng_cli.io.sheet_table.columns", "_columns", "parses + columns")
timed("junheng_cli.io.sheet_table.columns", "_table", "rows sorted")
timed("junheng_cli.workflows.batch.read", "read_school_table", "read")
timed("junheng_cli.workflows.batch.run", "validate", "check")
timed("junheng_cli.workflows.batch.run", "score_groups", "score")
out = Path(tempfile.mkdtemp()) / "汇总.xlsx"
sys.argv = ["junheng", "batch", *sys.argv[1:], "--standard", "quality-2017", "-o", str(out), "-q"]
try:
    main()
except SystemExit:
    pass
total = time.perf_counter() - imported
finished = time.perf_counter() - start
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1e6
stages = ", ".join(f"{k} {v:.2f} s" for k, v in spent.items())
head = f"imports {imported - start:.2f} s, batch {total:.2f} s"
busy = ""
if read_span:  # cores busy on average before, during and after the reading
    began, ended = read_span[0][0], read_span[-1][1]
    busy = (
        f"; cores busy: {began:.2f} s before reading {cores(0, began):.1f}, "
        f"{ended - began:.2f} s reading {cores(began, ended):.1f}, "
        f"{finished - ended:.2f} s after {cores(ended, finished):.1f}"
    )
print(f"@@STAGES {head} ({stages}), peak {peak:.2f} GB{busy}", file=sys.stderr)
"""
WRAPPER = """
import resource, runpy, sys, time
start = time.perf_counter()
sys.argv = sys.argv[1:]
try:
    if sys.argv[0] == "-c":
        code = sys.argv[1]; sys.argv = sys.argv[1:]; exec(compile(code, "<bench>", "exec"), {})
    else:
        runpy.run_module(sys.argv[0], run_name="__main__")
    code = 0
except SystemExit as exc:
    code = exc.code if isinstance(exc.code, int) else 0 if exc.code is None else 2
elapsed = time.perf_counter() - start
usage = resource.getrusage
peak = usage(resource.RUSAGE_SELF).ru_maxrss + usage(resource.RUSAGE_CHILDREN).ru_maxrss
print("@@BENCH", elapsed, peak * 1024, code, file=sys.stderr)
"""


def measure(*argv: str) -> tuple[float, float]:
    """Seconds and peak resident memory (bytes) of one fresh process."""
    result = subprocess.run(
        [sys.executable, "-c", WRAPPER, *argv], capture_output=True, text=True, check=False
    )
    line = next((ln for ln in result.stderr.splitlines() if ln.startswith("@@BENCH")), None)
    if line is None:
        raise SystemExit(f"measurement failed: {' '.join(argv)}\n{result.stderr[-2000:]}")
    _, seconds, peak, code = line.split()
    if int(code) > 1:  # 1: some county has data errors, the run went on; 2 and up: it did not
        raise SystemExit(f"exit code {code}: {' '.join(argv)}\n{result.stderr[-2000:]}")
    return float(seconds), float(peak)


def junheng(*args: str) -> tuple[float, float]:
    return measure("junheng_cli", *args)


def alternating(
    fast: tuple[str, ...], ours: tuple[str, ...], repeat: int
) -> tuple[tuple[float, float], tuple[float, float], str]:
    """fastexcel's read (``fast``, measure's arguments) and junheng (``ours``) run one after
    the other ``repeat`` times: the fastest run of each, and each pair's ratio. On a shared
    machine both slow down together, so a pair's ratio is fairer than seconds across runs."""
    pairs = [(measure(*fast), measure(*ours)) for _ in range(repeat)]
    fast_best = min(p[0][0] for p in pairs), max(p[0][1] for p in pairs)
    ours_best = min(p[1][0] for p in pairs), max(p[1][1] for p in pairs)
    ratios = sorted(o[0] / f[0] for f, o in pairs)
    if len(pairs) == 1:
        return fast_best, ours_best, ""
    runs = ", ".join(f"{o[0]:.2f}/{f[0]:.2f}" for f, o in pairs)
    median = statistics.median(ratios)
    note = (
        f"{len(pairs)} alternating runs (junheng/fastexcel s): {runs}; ratio per pair "
        f"{ratios[0]:.2f}–{ratios[-1]:.2f}, median {median:.2f}; fastest of each "
        f"{ours_best[0] / fast_best[0]:.2f}"
    )
    return fast_best, ours_best, note


def row(label: str, seconds: float, peak: float) -> None:
    print(f"{label:<46} {seconds:8.2f} s {peak / 1e9:7.2f} GB")


def province(repeat: int = 1) -> dict[str, float]:
    pattern = str(DATA / "province" / "*.xlsx")
    files = len(list((DATA / "province").glob("*.xlsx")))
    print(f"\nprovince: {files} county files")
    out = Path(tempfile.mkdtemp()) / "汇总.xlsx"
    pandas_s, pandas_m = measure("-c", READ_PANDAS, pattern)
    batch = ("batch", str(DATA / "province"), "--standard", "quality-2017")
    (fast_s, fast_m), (batch_s, batch_m), runs = alternating(
        ("-c", READ_FASTEXCEL, pattern),
        ("junheng_cli", *batch, "-o", str(out), "-q", "--force"),
        repeat,
    )
    row("pandas read_excel(openpyxl), read only", pandas_s, pandas_m)
    row("fastexcel → Arrow, read only", fast_s, fast_m)
    row("junheng batch (read+validate+evaluate+xlsx)", batch_s, batch_m)
    print(f"ratio junheng / pandas-openpyxl: {batch_s / pandas_s:.3f}")
    print(f"ratio junheng / fastexcel:       {batch_s / fast_s:.2f}  (target ≤ 2)")
    if runs:
        print(runs)
    floor_s = min(measure("-c", IMPORTS_ONLY)[0] for _ in range(max(3, repeat)))
    print(
        f"importing pandas, pydantic, typer, rich (and the readers), nothing else: "
        f"{floor_s:.2f} s = {floor_s / fast_s:.2f}× fastexcel's whole read"
    )
    return {
        "province_imports_only": floor_s,
        "province_pandas": pandas_s,
        "province_fastexcel": fast_s,
        "province_junheng": batch_s,
        "province_junheng_peak_gb": batch_m / 1e9,
    }


def national(repeat: int = 1) -> dict[str, float]:
    big = DATA / "national.xlsx"
    print(f"\nnational: one file, {big.stat().st_size / 1e6:.0f} MB")
    read_s, read_m = measure("-c", READ_JUNHENG, str(big), "县")
    out = Path(tempfile.mkdtemp()) / "汇总.xlsx"
    batch = ("batch", str(big), "--group-by", "县", "--standard", "quality-2017")
    (fast_s, fast_m), (batch_s, batch_m), runs = alternating(
        ("-c", READ_FASTEXCEL, str(big)),
        ("junheng_cli", *batch, "-o", str(out), "-q", "--force"),
        repeat,
    )
    row("fastexcel → Arrow, read only", fast_s, fast_m)
    row("junheng reading only (school table)", read_s, read_m)
    row("junheng batch --group-by 县", batch_s, batch_m)
    print(f"ratio junheng reading / fastexcel: {read_s / fast_s:.2f}")
    print(f"ratio junheng / fastexcel: {batch_s / fast_s:.2f}  (target ≤ 1.5, peak ≤ 0.6 GB)")
    if runs:
        print(runs)
    print("junheng by stage:", stages(str(big), "--group-by", "县"))
    return {
        "national_fastexcel": fast_s,
        "national_junheng_read": read_s,
        "national_junheng_read_peak_gb": read_m / 1e9,
        "national_junheng": batch_s,
        "national_junheng_peak_gb": batch_m / 1e9,
    }


def stats() -> dict[str, float]:
    folder = DATA / "stats"
    files = len(list(folder.glob("*.xlsx")))
    if files == 0:
        raise SystemExit(f"{folder} has no workbooks: python benchmarks/generate.py stats")
    print(f"\nstatistics exports: {files} per-school workbooks")
    out = Path(tempfile.mkdtemp()) / "全县.xlsx"
    fast_s, fast_m = measure("-c", READ_FASTEXCEL_SHEETS, str(folder / "*.xlsx"))
    import_s, import_m = junheng("import-stats", str(folder), "-o", str(out))
    row("fastexcel, open and read every sheet", fast_s, fast_m)
    row("junheng import-stats (→ 全县.xlsx)", import_s, import_m)
    print(f"ratio junheng / fastexcel: {import_s / fast_s:.2f}  (target < 3)")
    result = subprocess.run(
        [sys.executable, "-c", STATS_STAGES, str(folder), str(out.with_name("stages.xlsx"))],
        capture_output=True,
        text=True,
        check=False,
    )
    line = next((ln for ln in result.stderr.splitlines() if ln.startswith("@@STAGES")), None)
    if line is None:
        raise SystemExit(f"stages failed:\n{result.stderr[-2000:]}")
    imports, maps, reading, writing, schools = (float(v) for v in line.split()[1:])
    print(
        f"junheng by stage: imports {imports:.2f} s, form maps {maps:.2f} s, "
        f"{int(schools)} workbooks read and mapped {reading:.2f} s "
        f"({reading / files * 1000:.1f} ms each), county workbook written {writing:.2f} s"
    )
    return {
        "stats_fastexcel": fast_s,
        "stats_junheng": import_s,
        "stats_junheng_peak_gb": import_m / 1e9,
        "stats_read_per_workbook_ms": reading / files * 1000,
    }


REPORT_COUNTIES = 20


def reports() -> dict[str, float]:
    """``batch --reports-dir``: the first 20 counties of the province, each with its xlsx
    report (the workbook an analyst hands on), against the same batch without them."""
    folder = Path(tempfile.mkdtemp()) / "counties"
    folder.mkdir()
    for path in sorted((DATA / "province").glob("*.xlsx"))[:REPORT_COUNTIES]:
        (folder / path.name).write_bytes(path.read_bytes())
    print(f"\nreports: {REPORT_COUNTIES} county files, one xlsx report each")
    batch = ("batch", str(folder), "--standard", "quality-2017", "-q")
    plain_s, plain_m = junheng(*batch)
    with_s, with_m = junheng(*batch, "--reports-dir", str(folder.parent / "reports"))
    row("junheng batch", plain_s, plain_m)
    row("junheng batch --reports-dir", with_s, with_m)
    per = (with_s - plain_s) / REPORT_COUNTIES
    print(f"{per:.2f} s per county report")
    return {"reports_batch": with_s, "reports_per_county": per}


CURVE = (("20万", 207_200), ("50万", 518_000), ("100万", 1_036_000), ("200万", 2_072_000))


def curve() -> dict[str, float]:
    """Ten years of the whole country (one sheet per year), 0.2M to 2M rows: seconds and
    peak memory of fastexcel reading every sheet and of junheng batch --group-by 县 (every
    county-year scored), and the seconds per 100,000 rows (flat when time is linear)."""
    print("\ncurve: ten years of the whole country, one sheet per year")
    results: dict[str, float] = {}
    for label, rows in CURVE:
        path = DATA / "huge" / f"十年全国-{label}行.xlsx"
        if not path.exists():
            raise SystemExit(f"{path} is missing: python benchmarks/generate.py huge")
        out = Path(tempfile.mkdtemp()) / "汇总.xlsx"
        fast_s, fast_m = measure("-c", READ_FASTEXCEL_ALL, str(path))
        batch_s, batch_m = junheng(
            *("batch", str(path), "--group-by", "县", "--standard", "quality-2017"),
            *("-o", str(out), "-q"),
        )
        row(f"{rows:>9,} rows: fastexcel → Arrow, read only", fast_s, fast_m)
        row(f"{rows:>9,} rows: junheng batch --group-by 县", batch_s, batch_m)
        print(
            f"{'':>15}ratio {batch_s / fast_s:.2f}; junheng {batch_s / rows * 1e5:.2f} s "
            f"per 100k rows, {batch_m / rows / 1e3:.2f} KB a row at peak"
        )
        results |= {
            f"curve_{rows}_fastexcel": fast_s,
            f"curve_{rows}_junheng": batch_s,
            f"curve_{rows}_junheng_peak_gb": batch_m / 1e9,
        }
    return results


def stages(*args: str) -> str:
    """junheng batch on ``args`` in one process, by stage."""
    result = subprocess.run(
        [sys.executable, "-c", BATCH_STAGES, *args], capture_output=True, text=True, check=False
    )
    line = next((ln for ln in result.stderr.splitlines() if ln.startswith("@@STAGES")), None)
    if line is None:
        raise SystemExit(f"stages failed:\n{result.stderr[-2000:]}")
    return line.removeprefix("@@STAGES ")


def startup() -> dict[str, float]:
    bare, _ = measure("-c", "pass")
    helped, _ = junheng("--help")
    print(f"\njunheng --help adds {helped - bare:.3f} s to a bare interpreter (target ≤ 0.15 s)")
    return {"help_overhead": helped - bare}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument(
        "what",
        nargs="?",
        default="all",
        choices=["province", "national", "stats", "curve", "reports", "all"],
    )
    parser.add_argument(
        "--repeat",
        type=int,
        default=1,
        help="run fastexcel and junheng alternately this many times (province, national): "
        "the fastest of each, and every pair's ratio",
    )
    args = parser.parse_args()
    repeat = max(1, args.repeat)
    what = args.what
    print(f"cores: {os.cpu_count()}, python {sys.version.split()[0]}")
    results = startup()
    if what in ("province", "all"):
        results |= province(repeat)
    if what in ("national", "all"):
        results |= national(repeat)
    if what in ("stats", "all"):
        results |= stats()
    if what == "curve":  # not in "all": it needs generate.py huge (half a gigabyte)
        results |= curve()
    if what == "reports":  # not in "all": a minute of openpyxl
        results |= reports()
    print("\n" + json.dumps(results, ensure_ascii=False))


if __name__ == "__main__":
    main()
