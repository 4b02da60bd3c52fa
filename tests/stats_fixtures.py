"""Per-school statistics-system workbooks (教育事业统计 基层表), generated from a county table.

No real export may be committed, so tests (and sample_data/generate.py) build them here, with
the layout and labels ``../shared/reference/statistics-forms.md`` describes:

- **old forms** (基础基, ``jichu-2012``): row 1 holds the column letters, column A the row
  numbers, B2 the title, B3 the form code (with trailing spaces), header rows, the numbering row
  (甲, 乙, 1, 2 …), then the data rows; the label (甲) is in column B or spans B:C; "*" marks a
  cell that does not apply;
- **new forms** (教基, ``jiaoji-2021``): A = 指标名称 (甲), B = 代码 (乙), C = form column 1;
  title on row 1, form code on row 2, header rows, the numbering row, data from row 5 or 6.

A 九年一贯制 workbook holds both levels' forms, a 完全中学 a senior form, a 教学点 is its own
workbook (办学类型 小学教学点). Money on the forms is in 万元. Every figure comes from the county
table given (canonical field names, as ``junheng_cli.synthetic`` and tests/helpers.py use), so
an import can be compared with the table exactly.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

from openpyxl.utils import get_column_letter

NEW = "jiaoji-2021"
OLD = "jichu-2012"

# our 学校类型 → 办学类型 text on the forms, and the levels whose forms the workbook holds
TYPE_TEXT = {
    "小学": "小学",
    "初中": "初级中学",
    "九年一贯制学校": "九年一贯制学校",
    "十二年一贯制学校": "十二年一贯制学校",
    "完全中学": "完全中学",
    "教学点": "小学教学点",
    "特殊教育学校": "其他特教学校",
}
TYPE_LEVELS = {
    "小学": ("primary",),
    "初中": ("junior",),
    "九年一贯制学校": ("primary", "junior"),
    "十二年一贯制学校": ("primary", "junior", "senior"),
    "完全中学": ("junior", "senior"),
    "教学点": ("primary",),
    "特殊教育学校": ("primary", "junior"),
}
AREA_TEXT = {"城区": "主城区", "镇区": "镇中心区", "乡村": "村庄"}
LEVEL_ZH = {"primary": "小学", "junior": "初中", "senior": "高中"}
BANDS = (
    "25人及以下",
    "26-30人",
    "31-35人",
    "36-40人",
    "41-45人",
    "46-50人",
    "51-55人",
    "56-60人",
    "61-65人",
    "66人及以上",
)
QUALIFICATIONS_NEW = ("博士研究生", "硕士研究生", "本科", "专科", "高中阶段", "高中阶段以下")
QUALIFICATIONS_OLD = ("研究生", "本科", "专科", "高中阶段", "高中阶段以下")
TITLES = ("正高级", "副高级", "中级", "助理级", "员级", "未定职级")


def _num(value: Any) -> float:
    """A figure of the county table (None / NaN → 0)."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return 0
    return value


def _int(value: Any) -> int:
    return round(float(_num(value)))


def _has(value: Any) -> bool:
    return not (value is None or (isinstance(value, float) and math.isnan(value)))


def _exact(value: Decimal) -> float | int:
    """A Decimal written as the shortest number that reads back to it."""
    return int(value) if value == value.to_integral_value() else float(value)


def _dec(value: Any) -> Decimal:
    return Decimal(repr(float(_num(value))))


@dataclass
class Grid:
    """The cells of one sheet, by A1 address, plus merged ranges."""

    cells: dict[tuple[int, int], Any] = field(default_factory=dict)
    merges: list[str] = field(default_factory=list)

    def put(self, row: int, col: int, value: Any) -> None:
        self.cells[(row, col)] = value

    def row(self, row: int, first_col: int, values: Iterable[Any]) -> None:
        for offset, value in enumerate(values):
            if value is not None:
                self.put(row, first_col + offset, value)

    def insert_row(self, before: int, label_column: int) -> None:
        """A row inserted above ``before``: everything from there moves down one row."""
        self.cells = {(r + 1 if r >= before else r, c): v for (r, c), v in self.cells.items()}
        self.put(before, label_column, "（插入的行）")


# -- the new forms (教基, 2021+) ---------------------------------------------------------------
def _new_sheet(title: str, code: str, headers: list[list[str]], rows: list[tuple]) -> Grid:
    """A = 指标名称, B = 代码, C… = form columns 1…; header rows from row 3, then the
    numbering row, then ``rows`` = (label, code, values…)."""
    grid = Grid()
    grid.put(1, 1, title)
    grid.put(2, 1, f"{code}  单位：人、平方米、万元")
    r = 3
    for header in headers:
        grid.row(r, 1, header)
        r += 1
    width = max(len(h) for h in headers)
    grid.row(r, 1, ["甲", "乙", *range(1, width - 1)])
    r += 1
    for label, row_code, *values in rows:
        grid.row(r, 1, [label, row_code, *values])
        r += 1
    return grid


def _student_sheet(code: str, students: int, columns: list[str], column: int) -> Grid:
    """3112/3115/3118: the 在校生数 in form column ``column`` of the 总计 row (row 6)."""
    values = [0] * len(columns)
    values[column - 1] = students
    values[0] = students // 6  # 毕业生数
    values[1] = students // 6  # 招生数
    rows = [
        ("总计", "01", *values),
        ("#女", "02", *[v // 2 for v in values]),
        ("#少数民族", "03", *[0] * len(values)),
    ]
    return _new_sheet(f"{code} 在校学生情况", code, [["指标名称", "代码", *columns], []], rows)


def _qualification_rows(teachers: int, qualified: int, at_or_above: int, rows: int) -> list[int]:
    """Teachers by qualification row (highest first): ``qualified`` spread over the first
    ``at_or_above`` rows (a tenth in the first, the rest in the last two), the others in the
    row below them."""
    counts = [0] * rows
    top = qualified // 10
    rest = qualified - top
    counts[0] = top
    counts[at_or_above - 1] += rest
    if at_or_above >= 3:
        counts[at_or_above - 2] += rest // 2
        counts[at_or_above - 1] -= rest // 2
    counts[at_or_above] = teachers - qualified
    return counts


def _subjects(teachers: int, pe_arts: int) -> tuple[int, int, int, int]:
    """(体育, 音乐, 美术, 其他) of ``teachers``, the first three adding to ``pe_arts``."""
    pe = (pe_arts + 1) // 2
    music = (pe_arts - pe + 1) // 2
    art = pe_arts - pe - music
    return pe, music, art, teachers - pe_arts


PRIMARY_SUBJECTS_NEW = (
    "品德与生活（社会）",
    "语文",
    "数学",
    "科学",
    "外语",
    "综合实践活动",
    "信息技术",
    "劳动",
    "体育",
    "艺术",
    "音乐",
    "美术",
    "其他",
)  # C = 合计, D… : 体育 = L, 艺术 (音乐 + 美术) = M, 音乐 = N, 美术 = O
JUNIOR_SUBJECTS_NEW = (
    "道德与法治",
    "语文",
    "数学",
    "外语",
    "物理",
    "化学",
    "生物",
    "历史",
    "地理",
    "科学",
    "信息技术",
    "综合实践活动",
    "劳动",
    "心理健康",
    "通用技术",
    "地方课程",
    "校本课程",
    "体育与健康",
    "艺术",
    "音乐",
    "美术",
    "其他",
)  # C = 合计, D… : 体育与健康 = U, 艺术 = V, 音乐 = W, 美术 = X


def _subject_values(subjects: tuple[str, ...], teachers: int, pe_arts: int) -> list[int]:
    pe, music, art, rest = _subjects(teachers, pe_arts)
    values = dict.fromkeys(subjects, 0)
    values[next(s for s in subjects if s.startswith("体育"))] = pe
    values["音乐"], values["美术"], values["艺术"] = music, art, music + art
    values["语文"] = rest
    return [values[s] for s in subjects]


def _teacher_sheet_new(
    code: str, subjects: tuple[str, ...], blocks: list[tuple[str | None, int, int, int]]
) -> Grid:
    """4155 (小学, one block, no level row) / 4156 (初中 then 高中 blocks, each with its level
    row). ``blocks``: (level label or None, teachers, qualified, pe_arts)."""
    total = sum(b[1] for b in blocks)
    total_subjects = [0] * len(subjects)
    body: list[tuple] = []
    for level, teachers, qualified, pe_arts in blocks:
        subject = _subject_values(subjects, teachers, pe_arts)
        total_subjects = [a + b for a, b in zip(total_subjects, subject, strict=True)]
        share = 4 if level is None else 3  # 小学: 专科及以上; 初中/高中: 本科及以上
        counts = _qualification_rows(teachers, qualified, share, len(QUALIFICATIONS_NEW))
        if level is not None:
            body.append((level, f"{len(body) + 2:02d}", teachers, *subject))
            body.append(("#女", "", teachers // 2, *["*"] * len(subjects)))
            body.append(("#少数民族", "", 0, *["*"] * len(subjects)))
        for name, count in zip(QUALIFICATIONS_NEW, counts, strict=True):
            body.append((name, "", count))
    head = [("总计", "01", total, *total_subjects)]
    if blocks and blocks[0][0] is None:
        head += [("#女", "02", total // 2), ("#少数民族", "03", 0)]
    headers = [["指标名称", "代码", "合计", *subjects], []]
    return _new_sheet(f"{code} 专任教师学历、学科情况", code, headers, head + body)


def _title_sheet_new(blocks: list[tuple[str, int, int]]) -> Grid:
    """4153: per level a block of 9 rows (level, #女, #少数民族, 正高级 … 未定职级), from row 5."""
    rows: list[tuple] = []
    for level, teachers, senior in blocks:
        deputy = senior // 4
        counts = [0, deputy, senior - deputy, teachers - senior, 0, 0]
        rows.append((level, "", teachers, teachers // 3, teachers - teachers // 3))
        rows.append(("#女", "", teachers // 2))
        rows.append(("#少数民族", "", 0))
        rows += [(name, "", count) for name, count in zip(TITLES, counts, strict=True)]
    headers = [["指标名称", "代码", "合计", "35岁及以下", "36岁及以上"]]
    return _new_sheet("教基4153 专任教师专业技术职务、年龄情况", "教基4153", headers, rows)


def _class_rows(classes: int, large: int, huge: int) -> list[int]:
    """Classes by 班额 band: 大班额 in 56-60, 超大班额 in 66+, the others in 36-40 and 41-45."""
    normal = classes - large - huge
    counts = [0] * len(BANDS)
    counts[3], counts[4] = normal // 2, normal - normal // 2
    counts[7], counts[9] = large, huge
    return counts


def _class_sheet_new(code: str, classes: int, large: int, huge: int) -> Grid:
    rows = [("总计", "01", classes)]
    rows += [
        (band, f"{i + 2:02d}", n)
        for i, (band, n) in enumerate(zip(BANDS, _class_rows(classes, large, huge), strict=True))
    ]
    return _new_sheet(f"{code} 班额情况", code, [["指标名称", "代码", "班数"]], rows)


def new_workbook(school: dict[str, Any], naming: str = "plain") -> dict[str, Grid]:
    """The forms of one school in the 教基 generation. ``naming``: "plain" (教基3112) or
    "suffixed" (教基3112_小学, the statistics system's per-type names)."""
    kind = school["type"]
    levels = TYPE_LEVELS[kind]
    sheets: dict[str, Grid] = {}
    identity = Grid()
    identity.put(1, 1, "教基1001 学校（机构）基本情况")
    identity.put(2, 1, "教基1001")
    lines = {
        3: ("学校标识码", str(school.get("code") or "")),
        4: ("学校（机构）名称", school["name"]),
        13: ("所在乡镇（街道）", school.get("township") or ""),
        14: ("学校驻地城乡分类", AREA_TEXT.get(school.get("area_type") or "", "")),
        27: ("学校（机构）办学类型", TYPE_TEXT[kind]),
        28: ("办学类型代码", "211"),
        # blank unless the county table says (as a template workbook without the column)
        29: ("学校（机构）性质类别", school.get("ownership") or ""),
    }
    for r in range(3, 31):
        label, value = lines.get(r, (f"（其他项目 {r}）", "*"))
        identity.put(r, 1, label)
        identity.put(r, 3, value)
    sheets["教基1001"] = identity
    backbone = [
        (
            f"县级及以上骨干教师（{LEVEL_ZH[lv]}）",
            "",
            "人",
            _int(school.get(f"backbone_teachers_{lv}")),
        )
        for lv in levels
    ]
    extra = [("省级及以上骨干教师", "", "人", 0)] * 7
    sheets["教基1102续"] = _new_sheet(
        "教基1102续 学校（机构）其他情况",
        "教基1102续",
        [["指标名称", "代码", "计量单位", "数量"]],
        extra + backbone,
    )
    student_columns = {
        "primary": [
            "毕业生数",
            "招生数",
            "未接受过学前教育",
            "一年",
            "两年",
            "三年",
            "在校生数",
            "一年级",
        ],
        "junior": ["毕业生数", "招生数", "在校生数", "一年级", "二年级", "三年级"],
        "senior": ["毕业生数", "招生数", "在校生数", "一年级", "二年级", "三年级"],
    }
    for lv, code, column in (
        ("primary", "教基3112", 7),
        ("junior", "教基3115", 3),
        ("senior", "教基3118", 3),
    ):
        if lv in levels:
            students = _int(school.get(f"students_{lv}"))
            sheets[code] = _student_sheet(code, students, student_columns[lv], column)
    teachers = {lv: _int(school.get(f"teachers_{lv}")) for lv in ("primary", "junior")}
    senior_teachers = _int(school.get("students_senior")) // 13 if "senior" in levels else 0
    staff = teachers["primary"] * ("primary" in levels) + teachers["junior"] * ("junior" in levels)
    staff += senior_teachers
    sheets["教基4149"] = _new_sheet(
        "教基4149 教职工情况",
        "教基4149",
        [["指标名称", "代码", "教职工数", "专任教师", "行政人员", "教辅人员", "工勤人员"], []],
        [("总计", "01", staff + 6, staff, 3, 2, 1)],
    )
    title_blocks = [
        (LEVEL_ZH[lv], teachers[lv], _int(school.get(f"senior_title_teachers_{lv}")))
        for lv in ("primary", "junior")
        if lv in levels
    ]
    if "senior" in levels:
        title_blocks.append(("高中", senior_teachers, senior_teachers // 2))
    sheets["教基4153"] = _title_sheet_new(title_blocks)
    if "primary" in levels:
        q = _int(school.get("qualified_teachers_primary"))
        pe = _int(school.get("pe_arts_teachers_primary"))
        sheets["教基4155"] = _teacher_sheet_new(
            "教基4155", PRIMARY_SUBJECTS_NEW, [(None, teachers["primary"], q, pe)]
        )
    if "junior" in levels or "senior" in levels:
        blocks = []
        if "junior" in levels:
            q = _int(school.get("qualified_teachers_junior"))
            pe = _int(school.get("pe_arts_teachers_junior"))
            blocks.append(("初中", teachers["junior"], q, pe))
        if "senior" in levels:
            blocks.append(("高中", senior_teachers, senior_teachers - 1, senior_teachers // 8))
        sheets["教基4156"] = _teacher_sheet_new("教基4156", JUNIOR_SUBJECTS_NEW, blocks)
    for lv, code in (("primary", "教基2106"), ("junior", "教基2107")):
        if lv in levels and _has(school.get(f"classes_{lv}")):
            sheets[code] = _class_sheet_new(
                code,
                _int(school.get(f"classes_{lv}")),
                _int(school.get(f"large_classes_{lv}")),
                _int(school.get(f"huge_classes_{lv}")),
            )
    teaching, gym = _dec(school.get("teaching_area")), _dec(school.get("gym_area"))
    room_rows = [
        ("总计", "01", None, None, None, _exact(teaching + gym + Decimal(500))),
        ("其中：C级危房", "02", None, None, None, 0),
        ("D级危房", "03", None, None, None, 0),
        ("当年新增校舍", "04", None, None, None, 0),
        ("一、教学及辅助用房", "05", None, None, None, _exact(teaching + gym)),
        ("教室", "06", None, None, None, _exact(teaching / 2)),
        ("专用教室", "07", None, None, None, 0),
        ("理化生实验室", "08", None, None, None, 0),
        ("其他", "09", None, None, None, 0),
        ("公共教学用房", "10", None, None, None, 0),
        ("图书阅览室", "11", None, None, None, 0),
        ("室内体育用房", "12", None, None, None, _exact(gym)),
        ("心理辅导室", "13", None, None, None, 0),
        ("二、行政办公用房", "14", None, None, None, 500),
    ]
    sheets["教基5170"] = _new_sheet(
        "教基5170 校舍情况",
        "教基5170",
        [
            ["指标名称", "代码", "非学校产权校舍建筑面积", None, None, "学校产权校舍建筑面积"],
            [None, None, "计", "独立使用", "共同使用", "计"],
        ],
        room_rows,
    )
    sheets["教基5170"].merges += ["C3:E3"]
    equipment = _dec(school.get("equipment_value")) / Decimal(10000)
    asset_rows = [
        ("占地面积", "01", "平方米", _exact(_dec(school.get("sports_ground_area")) * 3)),
        ("运动场地面积", "02", "平方米", _exact(_dec(school.get("sports_ground_area")))),
        ("绿化用地面积", "03", "平方米", 0),
        ("（其他）", "04", "*", "*"),
        ("（其他）", "05", "*", "*"),
        ("（其他）", "06", "*", "*"),
        ("图书", "07", "册", _int(school.get("books"))),
        ("#当年新增", "08", "册", 0),
        ("电子图书", "09", "册", 0),
        ("计算机数", "10", "台", _int(school.get("computers"))),
        ("#教学用计算机", "11", "台", _int(school.get("computers"))),
        ("网络多媒体教室", "12", "间", _int(school.get("multimedia_rooms"))),
        ("固定资产总值", "13", "万元", _exact(equipment * 4)),
        ("教学、实验仪器设备资产值", "14", "万元", _exact(equipment)),
    ]
    sheets["教基5176"] = _new_sheet(
        "教基5176 资产情况",
        "教基5176",
        [["指标名称", "代码", "计量单位", "数量"], []],
        asset_rows,
    )
    if naming == "suffixed":
        suffix = "_" + TYPE_TEXT[kind].replace("小学教学点", "小学")
        sheets = {f"{name}{suffix}": grid for name, grid in sheets.items()}
    return sheets


# -- the old forms (基础基, up to 2020) -----------------------------------------------------
def _old_sheet(
    title: str,
    code: str,
    headers: list[list[Any]],
    rows: list[tuple],
    label_span: bool,
    first_row: int = 4,
) -> Grid:
    """Row 1: column letters; column A: row numbers; B2 title; B3 code; headers from
    ``first_row``; the numbering row; then ``rows`` = (label, 编号, values…). The label is in
    B, or spans B:C (``label_span``)."""
    grid = Grid()
    grid.put(2, 2, title)
    grid.put(3, 2, f"{code}    ")
    r = first_row
    value_col = 4 if label_span else 3  # the 编号 column
    for header in headers:
        grid.row(r, 2, header if not label_span else [header[0], None, *header[1:]])
        if label_span and header and header[0]:
            grid.merges.append(f"B{r}:C{r}")
        r += 1
    width = max(len(h) for h in headers)
    grid.row(r, 2, ["甲", *([None] if label_span else []), "乙", *range(1, width - 1)])
    r += 1
    for label, number, *values in rows:
        grid.put(r, 2, label)
        if label_span:
            grid.merges.append(f"B{r}:C{r}")
        grid.row(r, value_col, [number, *values])
        r += 1
    last_col = max(c for _, c in grid.cells) if grid.cells else 2
    for c in range(1, last_col + 1):
        grid.put(1, c, get_column_letter(c))
    for row in range(2, r):
        grid.put(row, 1, row)
    return grid


def old_workbook(school: dict[str, Any]) -> dict[str, Grid]:
    """The forms of one school in the 基础基 generation (both level blocks of 112 and 422 are
    always there, as on the real export; the level forms only for the school's levels)."""
    kind = school["type"]
    levels = TYPE_LEVELS[kind]
    sheets: dict[str, Grid] = {"封面": Grid(), "目录": Grid()}
    sheets["封面"].put(1, 1, "教育事业统计基层报表")
    sheets["目录"].put(1, 1, "表号")
    identity = Grid()
    identity.put(2, 2, "学校（机构）基本情况")
    identity.put(3, 2, "基础基111    ")
    identity.put(6, 2, "学校标识码")
    identity.put(7, 2, str(school.get("code") or ""))
    identity.put(6, 4, "学校（机构）名称（章）")
    identity.put(7, 4, school["name"])
    identity.put(10, 2, "所在乡镇（街道）")
    identity.put(10, 4, school.get("township") or "")
    identity.put(11, 2, "城乡分类")
    identity.put(11, 4, AREA_TEXT.get(school.get("area_type") or "", ""))
    identity.put(14, 2, "学校（机构）办学类型")
    identity.put(14, 3, "名称")
    identity.put(14, 4, TYPE_TEXT[kind])
    identity.put(15, 3, "代码")
    identity.put(15, 4, "211")
    identity.merges.append("B14:B15")
    for c in range(1, 5):
        identity.put(1, c, get_column_letter(c))
    for r in range(2, 16):
        identity.put(r, 1, r)
    sheets["基础基111"] = identity
    others = [(f"（其他项目 {n}）", f"{n:02d}", "*", "*") for n in range(1, 25)]
    backbone = [
        (
            f"县级及以上骨干教师（{LEVEL_ZH[lv]}）",
            f"{26 + i}",
            _int(school.get(f"backbone_teachers_{lv}")) if lv in levels else 0,
            "人",
        )
        for i, lv in enumerate(("primary", "junior", "senior"))
    ]
    sheets["基础基112"] = _old_sheet(
        "学校（机构）其他情况",
        "基础基112",
        [["项目", "编号", "内容", "单位", "备注"]],
        others + backbone,
        False,
    )
    for lv, code, columns in (
        ("primary", "基础基312", ["毕业生数", "招生数", "#接受过学前教育", "在校生数", "一年级"]),
        ("junior", "基础基313", ["毕业生数", "招生数", "在校生数", "一年级"]),
        ("senior", "基础基314", ["毕业生数", "招生数", "在校生数", "一年级"]),
    ):
        if lv in levels:
            students = _int(school.get(f"students_{lv}"))
            values = [
                students // 6,
                students // 6,
                *([0] if lv == "primary" else []),
                students,
                students // 6,
            ]
            rows = [
                ("总    计", "01", *values),
                ("女", "02", *[v // 2 for v in values]),
                ("少数民族", "03", *[0] * len(values)),
            ]
            sheets[code] = _old_sheet(
                "在校学生情况", code, [["项目", "编号", *columns], [None]], rows, True
            )
    teachers = {lv: _int(school.get(f"teachers_{lv}")) for lv in ("primary", "junior")}
    staff = sum(teachers[lv] for lv in ("primary", "junior") if lv in levels)
    sheets["基础基412"] = _old_sheet(
        "教职工情况",
        "基础基412",
        [["项目", "编号", "教职工合计", "专任教师", "行政人员"], [None]],
        [("总    计", "01", staff + 5, staff, 3)],
        False,
    )
    title_rows: list[tuple] = []
    for lv in ("primary", "junior"):
        t = teachers[lv] if lv in levels else 0
        senior = _int(school.get(f"senior_title_teachers_{lv}")) if lv in levels else 0
        deputy = senior // 4
        title_rows.append((LEVEL_ZH[lv], "", t))
        title_rows.append(("女", "", t // 2))
        title_rows.append(("少数民族", "", 0))
        for name, count in zip(TITLES, [0, deputy, senior - deputy, t - senior, 0, 0], strict=True):
            title_rows.append((name, "", count))
    sheets["基础基422"] = _old_sheet(
        "专任教师专业技术职务情况", "基础基422", [["项目", "编号", "合计"]], title_rows, False
    )
    for lv, code, subjects in (
        ("primary", "基础基423", PRIMARY_SUBJECTS_OLD),
        ("junior", "基础基424", JUNIOR_SUBJECTS_OLD),
    ):
        if lv not in levels:
            continue
        t = teachers[lv]
        q = _int(school.get(f"qualified_teachers_{lv}"))
        pe = _int(school.get(f"pe_arts_teachers_{lv}"))
        share = 3 if lv == "primary" else 2  # 小学: 专科及以上; 初中: 本科及以上
        counts = _qualification_rows(t, q, share, len(QUALIFICATIONS_OLD))
        subject = _subject_values(subjects, t, pe)
        rows = [("总    计", "01", t, *subject), ("女", "02", t // 2), ("少数民族", "03", 0)]
        rows += [
            (name, f"{4 + i:02d}", n, *["*"] * 2)
            for i, (name, n) in enumerate(zip(QUALIFICATIONS_OLD, counts, strict=True))
        ]
        sheets[code] = _old_sheet(
            "专任教师学历、学科情况",
            code,
            [["项目", "编号", "合计", *subjects], [None], [None]],
            rows,
            False,
        )
    for lv, code, first in (("primary", "基础基212", 6), ("junior", "基础基213", 7)):
        if lv in levels and _has(school.get(f"classes_{lv}")):
            classes = _int(school.get(f"classes_{lv}"))
            counts = _class_rows(
                classes,
                _int(school.get(f"large_classes_{lv}")),
                _int(school.get(f"huge_classes_{lv}")),
            )
            rows = [("总    计", "01", classes), ("#复式班", "02", 0)]
            rows += [
                (band, f"{3 + i:02d}", n)
                for i, (band, n) in enumerate(zip(BANDS, counts, strict=True))
            ]
            headers = [["项目", "编号", "班数"]] + [[None]] * (first - 6)
            sheets[code] = _old_sheet("班额情况", code, headers, rows, True)
    teaching, gym = _dec(school.get("teaching_area")), _dec(school.get("gym_area"))
    building = [
        ("总    计", "01", _exact(teaching + gym + Decimal(500))),
        ("危房", "02", 0),
        ("当年新增校舍", "03", 0),
        ("一、教学及辅助用房", "04", _exact(teaching + gym)),
        ("教室", "05", _exact(teaching / 2)),
        ("实验室", "06", 0),
        ("图书室", "07", 0),
        ("微机室", "08", 0),
        ("语音室", "09", 0),
        ("体育馆", "10", _exact(gym)),
        ("二、行政办公用房", "11", 500),
    ]
    sheets["基础基512"] = _old_sheet(
        "校舍情况",
        "基础基512",
        [["项目", "编号", "合计", "框架结构", "砖混结构"], [None]],
        building,
        True,
    )
    equipment = _dec(school.get("equipment_value")) / Decimal(10000)
    multimedia = _int(school.get("multimedia_rooms"))
    facility = [
        "占地面积（平方米）",
        "运动场地面积（平方米）",
        "绿化用地面积（平方米）",
        "计算机（台）",
        "#教学用计算机",
        "教室（间）",
        "#普通教室",
        "#普通教室中网络多媒体教室",
        "专用教室",
        "#专用教室中网络多媒体教室",
        "教学仪器设备资产值（万元）",
    ]
    ground = _dec(school.get("sports_ground_area"))
    computers = _int(school.get("computers"))
    values = [
        _exact(ground * 3),
        _exact(ground),
        0,
        computers,
        computers,
        multimedia + 10,
        multimedia + 4,
        multimedia - multimedia // 3,
        6,
        multimedia // 3,
        _exact(equipment),
    ]
    sheets["基础基522"] = _old_sheet(
        "办学条件",
        "基础基522",
        [["项目", "编号", *facility], [None], [None], [None]],
        [("总    计", "01", *values)],
        True,
    )
    sheets["基础基531"] = _old_sheet(
        "中小学信息化建设情况",
        "基础基531",
        [["项目", "编号", "数量"], [None]],
        [("网络接入", "01", 1), ("图书（册）", "02", _int(school.get("books")))],
        False,
    )
    return sheets


PRIMARY_SUBJECTS_OLD = (
    "品德与生活（社会）",
    "语文",
    "数学",
    "科学",
    "外语",
    "综合实践活动",
    "信息技术",
    "地方课程",
    "体育",
    "音乐",
    "美术",
    "其他",
)  # D = 合计: 体育 = M, 音乐 = N, 美术 = O
JUNIOR_SUBJECTS_OLD = (
    "思想品德",
    "语文",
    "数学",
    "外语",
    "物理",
    "化学",
    "生物",
    "历史",
    "地理",
    "历史与社会",
    "科学",
    "信息技术",
    "综合实践活动",
    "心理健康",
    "劳动技术",
    "地方课程",
    "校本课程",
    "体育与健康",
    "音乐",
    "美术",
    "其他",
)  # D = 合计: 体育与健康 = V, 音乐 = W, 美术 = X


# -- writing --------------------------------------------------------------------------------
# The workbooks are written as SpreadsheetML directly (inline strings, merged ranges, nothing
# else): a test county of 123 schools takes a fraction of a second, where openpyxl takes ~10 s
# (it writes every sheet to a temporary file first). The bytes are the same on every run (fixed
# zip timestamps), so a regenerated sample folder does not change.
_MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_PKG = "http://schemas.openxmlformats.org/package/2006"
_XML = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
_STAMP = (2021, 1, 1, 0, 0, 0)
_STYLES = (
    f'{_XML}<styleSheet xmlns="{_MAIN}"><fonts count="1"><font><sz val="11"/>'
    '<name val="宋体"/></font></fonts><fills count="2"><fill><patternFill patternType="none"/>'
    '</fill><fill><patternFill patternType="gray125"/></fill></fills><borders count="1">'
    "<border><left/><right/><top/><bottom/><diagonal/></border></borders>"
    '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/>'
    '</cellStyleXfs><cellXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" '
    'xfId="0"/></cellXfs><cellStyles count="1"><cellStyle name="Normal" xfId="0" '
    'builtinId="0"/></cellStyles></styleSheet>'
)


def _escape(text: str) -> str:
    return (
        text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace('"', "&quot;")
    )


def _cell_xml(ref: str, value: Any) -> str:
    if isinstance(value, bool):
        return f'<c r="{ref}" t="b"><v>{int(value)}</v></c>'
    if isinstance(value, int | float):
        if isinstance(value, float) and not math.isfinite(value):
            raise ValueError(f"{ref}: {value!r} cannot be written")
        return f'<c r="{ref}"><v>{value!r}</v></c>'
    return (
        f'<c r="{ref}" t="inlineStr"><is><t xml:space="preserve">{_escape(str(value))}</t></is></c>'
    )


def _covered(merges: list[str]) -> set[tuple[int, int]]:
    """Cells inside a merged range other than its first (Excel keeps no value there)."""
    from openpyxl.utils.cell import range_boundaries

    covered = set()
    for merged in merges:
        c0, r0, c1, r1 = range_boundaries(merged)
        covered |= {(r, c) for r in range(r0, r1 + 1) for c in range(c0, c1 + 1)}
        covered.discard((r0, c0))
    return covered


def _sheet_xml(grid: Grid) -> str:
    covered = _covered(grid.merges)
    rows: dict[int, list[str]] = {}
    last_row = last_col = 1
    for (r, c), value in sorted(grid.cells.items()):
        if value is None or (r, c) in covered:
            continue
        rows.setdefault(r, []).append(_cell_xml(f"{get_column_letter(c)}{r}", value))
        last_row, last_col = max(last_row, r), max(last_col, c)
    body = "".join(f'<row r="{r}">{"".join(cells)}</row>' for r, cells in rows.items())
    merges = "".join(f'<mergeCell ref="{m}"/>' for m in grid.merges)
    merged = f'<mergeCells count="{len(grid.merges)}">{merges}</mergeCells>' if merges else ""
    return (
        f'{_XML}<worksheet xmlns="{_MAIN}" xmlns:r="{_REL}">'
        f'<dimension ref="A1:{get_column_letter(last_col)}{last_row}"/>'
        f"<sheetData>{body}</sheetData>{merged}</worksheet>"
    )


def write_grids(sheets: dict[str, Grid], path: Path) -> Path:
    import zipfile

    names = list(sheets)
    overrides = "".join(
        f'<Override PartName="/xl/worksheets/sheet{n}.xml" ContentType="application/'
        'vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
        for n in range(1, len(names) + 1)
    )
    parts = {
        "[Content_Types].xml": (
            f'{_XML}<Types xmlns="{_PKG}/content-types">'
            '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.'
            'relationships+xml"/><Default Extension="xml" ContentType="application/xml"/>'
            '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-'
            'officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/styles.xml" '
            'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>'
            f"{overrides}</Types>"
        ),
        "_rels/.rels": (
            f'{_XML}<Relationships xmlns="{_PKG}/relationships"><Relationship Id="rId1" '
            f'Type="{_REL}/officeDocument" Target="xl/workbook.xml"/></Relationships>'
        ),
        "xl/workbook.xml": (
            f'{_XML}<workbook xmlns="{_MAIN}" xmlns:r="{_REL}"><sheets>'
            + "".join(
                f'<sheet name="{_escape(name)}" sheetId="{n}" r:id="rId{n}"/>'
                for n, name in enumerate(names, 1)
            )
            + "</sheets></workbook>"
        ),
        "xl/_rels/workbook.xml.rels": (
            f'{_XML}<Relationships xmlns="{_PKG}/relationships">'
            + "".join(
                f'<Relationship Id="rId{n}" Type="{_REL}/worksheet" '
                f'Target="worksheets/sheet{n}.xml"/>'
                for n in range(1, len(names) + 1)
            )
            + f'<Relationship Id="rId{len(names) + 1}" Type="{_REL}/styles" '
            'Target="styles.xml"/></Relationships>'
        ),
        "xl/styles.xml": _STYLES,
    }
    for n, name in enumerate(names, 1):
        parts[f"xl/worksheets/sheet{n}.xml"] = _sheet_xml(sheets[name])
    path.parent.mkdir(parents=True, exist_ok=True)
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for part, text in parts.items():
            archive.writestr(
                zipfile.ZipInfo(part, _STAMP), text.encode("utf-8"), zipfile.ZIP_DEFLATED
            )
    return path


def school_sheets(
    school: dict[str, Any], generation: str, naming: str = "plain"
) -> dict[str, Grid]:
    return new_workbook(school, naming) if generation == NEW else old_workbook(school)


def file_name(school: dict[str, Any]) -> str:
    return f"{school.get('code') or 'x'}_{school['name']}.xlsx"


def write_school(
    school: dict[str, Any],
    folder: Path,
    generation: str = NEW,
    naming: str = "plain",
    *,
    drop_sheet: str | None = None,
    shift: tuple[str, int] | None = None,
    name: str | None = None,
) -> Path:
    """One school's workbook. ``drop_sheet``: a form left out; ``shift`` = (sheet, row): a row
    inserted above that row, so that the labels below move down by one."""
    sheets = school_sheets(school, generation, naming)
    if drop_sheet is not None:
        del sheets[drop_sheet]
    if shift is not None:
        sheets[shift[0]].insert_row(shift[1], 1 if generation == NEW else 2)
    return write_grids(sheets, folder / (name or file_name(school)))


def write_county(
    schools: list[dict[str, Any]],
    folder: Path,
    generation: str | dict[str, str] = NEW,
    naming: str = "plain",
) -> list[Path]:
    """Every school as its own workbook. ``generation`` may map a school's name to its
    generation (a county in the middle of the change)."""
    paths = []
    for school in schools:
        gen = generation if isinstance(generation, str) else generation.get(school["name"], NEW)
        paths.append(write_school(school, folder, gen, naming))
    return paths


def write_foreign(path: Path) -> Path:
    """A workbook that is not a statistics export (a 名单 kept in the same folder)."""
    grid = Grid()
    grid.row(1, 1, ["序号", "姓名", "电话"])
    grid.row(2, 1, [1, "张三", "123"])
    return write_grids({"名单": grid}, path)


def county_schools(frame: Any) -> list[dict[str, Any]]:
    """A county in the template (headers with or without units, as ``generate_county`` and the
    sample workbook have them, or canonical names) → a list of school dicts."""
    from junheng_cli.model.fields import template_columns

    names = {}
    for column in template_columns():
        names[column.header] = names[column.header_with_unit] = names[column.name] = column.name
    schools = []
    for record in frame.to_dict("records"):
        school = {
            names[k]: v
            for k, v in record.items()
            if k in names and not (v is None or (isinstance(v, float) and math.isnan(v)))
        }
        school["code"] = str(school.get("code", "")).strip()
        schools.append(school)
    return schools


__all__ = [
    "NEW",
    "OLD",
    "county_schools",
    "new_workbook",
    "old_workbook",
    "write_county",
    "write_foreign",
    "write_school",
]
