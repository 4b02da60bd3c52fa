"""Regenerate the synthetic sample county: ``python sample_data/generate.py``.

Every figure is invented by a seeded generator (junheng_cli.synthetic); no real school.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from junheng_cli.io.write import write_sheets_xlsx
from junheng_cli.schema import template_columns
from junheng_cli.synthetic import CountySpec, generate_county

HERE = Path(__file__).resolve().parent
SAMPLE = HERE / "示例县2026.xlsx"


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


def main() -> None:
    frame = generate_county(CountySpec())
    frame.columns = [c.header_with_unit for c in template_columns()]
    county = pd.DataFrame(COUNTY_ITEMS, columns=["指标", "数值"])
    write_sheets_xlsx({"学校": frame, "县级指标": county}, SAMPLE)
    print(f"wrote {SAMPLE.relative_to(HERE.parent)}: {len(frame)} schools (synthetic)")


if __name__ == "__main__":
    main()
