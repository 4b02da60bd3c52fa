"""Regenerate the .xls and .ods fixtures: ``python tests/data/make_fixtures.py``.

openpyxl writes only .xlsx, so the small synthetic county of ``fixture_county()`` is written
as .xlsx and converted by LibreOffice (``soffice --headless --convert-to``). The tests
compare these files with the same county written fresh as .xlsx.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import pandas as pd

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))

from helpers import primary_school, template_frame  # noqa: E402

FORMATS = ("xls", "ods")


def fixture_county() -> pd.DataFrame:
    nine = primary_school(
        "丙九年一贯制学校",
        300,
        type="九年一贯制学校",
        students_junior=200,
        teachers_junior=16,
        qualified_teachers_junior=12,
        senior_title_teachers_junior=6,
        backbone_teachers_junior=2,
        pe_arts_teachers_junior=2,
    )
    junior = {
        **primary_school("丁初级中学", 0, type="初中"),
        "students_primary": None,
        "teachers_primary": None,
        "qualified_teachers_primary": None,
        "senior_title_teachers_primary": None,
        "backbone_teachers_primary": None,
        "pe_arts_teachers_primary": None,
        "students_junior": 600,
        "teachers_junior": 45,
        "qualified_teachers_junior": 40,
        "senior_title_teachers_junior": 20,
        "backbone_teachers_junior": 5,
        "pe_arts_teachers_junior": 5,
        "teaching_area": 4200.5,
        "sports_ground_area": 7000.0,
        "equipment_value": 1_650_000.25,
        "books": 24000,
        "computers": 90,
        "multimedia_rooms": 15,
    }
    schools = [
        primary_school("甲小学", 420, code="2134000001"),
        primary_school("乙小学", 180, code="2134000002", books=3000),
        {**nine, "code": "2134000003"},
        {**junior, "code": "2134000004"},
        {"code": "2134000005", "name": "戊村教学点", "type": "教学点", "students_primary": 12},
    ]
    return template_frame(schools)


def main() -> None:
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if soffice is None:
        raise SystemExit("LibreOffice (soffice) is needed: apt-get install libreoffice-calc-nogui")
    with tempfile.TemporaryDirectory() as tmp:
        source = Path(tmp) / "小县.xlsx"
        with pd.ExcelWriter(source, engine="openpyxl") as writer:
            fixture_county().to_excel(writer, sheet_name="学校", index=False)
        for fmt in FORMATS:
            subprocess.run(
                [soffice, "--headless", "--convert-to", fmt, "--outdir", str(HERE), str(source)],
                check=True,
                capture_output=True,
            )
            print(f"wrote tests/data/小县.{fmt}")


if __name__ == "__main__":
    main()
