"""Regenerate the synthetic sample county: ``python sample_data/generate.py``.

Every figure is invented by a seeded generator (sample_data/synthetic.py); no real school.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pandas as pd
from synthetic import CountySpec, generate_county, generated_columns

from junheng_cli.io.write import write_sheets_xlsx

HERE = Path(__file__).resolve().parent
SAMPLE = HERE / "示例县2026.xlsx"
STATS = HERE / "示例县2026统计报表"  # the same county as per-school statistics exports (教基)


# County-level figures an analyst would type in (invented, like everything here).
COUNTY_ITEMS = [
    ("教师交流轮岗比例（占符合条件教师）", 12.5),
    ("交流轮岗教师中骨干教师比例", 18),
    ("教师5年360学时培训完成率", 100),
    ("教师持证上岗率", 100),
    ("小学就近划片入学比例", 100),
    ("初中就近划片入学比例", 96.2),
    ("优质普通高中招生名额分配比例", 52),
    ("随迁子女在公办学校和政府购买学位学校就读比例", 91.3),
    ("特殊教育学校生均公用经费", 6000),
    ("教师平均工资收入与当地公务员之比", 100),
    ("教师培训经费占公用经费比例", 5.2),
    ("初中三年巩固率", 97.1),
    ("残疾儿童少年入学率", 93.5),
]


# Two later quarters of the same county, for `junheng compare`: the weakest schools get
# teachers and rooms, one school's 学校标识码 is re-typed (matched by name only, with a
# warning), one 小学 closes and a new one opens. No random numbers: the same files each time.
STEPS = (  # (header, students header, per-100 target) raised for the weakest schools
    ("小学县级以上骨干教师数", "小学在校生数", 1.0),
    ("初中县级以上骨干教师数", "初中在校生数", 1.0),
    ("网络多媒体教室数（间）", None, 2.3),
)


def _raise_weakest(frame: pd.DataFrame, share: float) -> pd.DataFrame:
    """The weakest ``share`` of schools (per 100 students) reach the target, vectorised."""
    out = frame.copy()
    for column, students_column, target in STEPS:
        students = (
            out[students_column].fillna(0)
            if students_column
            else out[["小学在校生数", "初中在校生数"]].fillna(0).sum(axis=1)
        )
        have = out[column].fillna(0)
        per_100 = (have / students.where(students > 0) * 100).fillna(np.inf)
        weakest = per_100 <= per_100.quantile(share)
        needed = np.ceil(students * target / 100)
        out[column] = have.where(~weakest, np.maximum(have, needed))
    return out


def later_quarters(frame: pd.DataFrame) -> Iterator[tuple[str, pd.DataFrame]]:
    q1 = frame
    yield "2026Q1", q1
    q2 = _raise_weakest(q1, 0.15)
    q2.loc[q2.index[3], "学校标识码"] = "2134009004"  # re-typed code: matched by name only
    yield "2026Q2", q2
    q3 = _raise_weakest(q2, 0.30)
    closing = q3.index[q3["学校类型"].eq("小学")][-1]
    new = q3.loc[[closing]].assign(学校标识码="2134009999", 学校名称="城关新区实验小学")
    q3 = pd.concat([q3.drop(index=closing), new], ignore_index=True)
    yield "2026Q3", q3


def main() -> None:
    frame = generate_county(CountySpec())
    frame.columns = [c.header_with_unit for c in generated_columns()]
    county = pd.DataFrame(COUNTY_ITEMS, columns=["指标", "数值"])
    write_sheets_xlsx({"学校": frame, "县级指标": county}, SAMPLE)
    print(f"wrote {SAMPLE.relative_to(HERE.parent)}: {len(frame)} schools (synthetic)")
    for label, period in later_quarters(frame):
        if label == "2026Q1":  # the first quarter is the sample itself
            continue
        target = HERE / f"示例县{label}.xlsx"
        write_sheets_xlsx({"学校": period, "县级指标": county}, target)
        print(f"wrote {target.relative_to(HERE.parent)}: {len(period)} schools (synthetic)")
    write_stats_folder(frame)


def write_stats_folder(frame: pd.DataFrame) -> None:
    """The sample county as the statistics system exports it: one 教基 workbook per school,
    built by the test fixtures' generator (tests/stats_fixtures.py)."""
    import shutil
    import sys

    sys.path.insert(0, str(HERE.parent / "tests"))
    from stats_fixtures import NEW, county_schools, write_county

    shutil.rmtree(STATS, ignore_errors=True)
    paths = write_county(county_schools(frame), STATS, NEW)
    where = STATS.relative_to(HERE.parent)
    print(f"wrote {where}/: {len(paths)} workbooks (synthetic, 教基 forms)")


if __name__ == "__main__":
    main()
