"""A plan's, a transfer list's and a scenario's tables as DataFrames, for the workbook."""

from __future__ import annotations

import re

import pandas as pd

from junheng_cli import __version__
from junheng_cli.model.fields import Level
from junheng_cli.report.wording import verdict_word
from junheng_cli.report.wording.plan import (
    LEAST,
    STOPS,
    TRANSFER_METHOD,
    direction_text,
    first_step,
    method_text,
)
from junheng_cli.standards.model import Standard
from junheng_cli.workflows.plan import LevelChange, Plan, ScenarioOutcome, Transfers

FOR_CV_COLUMN = "缩小校际差距再补"  # not "差异系数": such columns get the CV number format


def level_frame(levels: list[LevelChange]) -> pd.DataFrame:
    rows = []
    for lv in levels:
        for cv in lv.cvs:
            rows.append(
                {
                    "学段": lv.name,
                    "指标": cv.name,
                    "全县平均值（前）": cv.mean_before,
                    "全县平均值（后）": cv.mean_after,
                    "差异系数（前）": cv.before,
                    "差异系数（后）": cv.after,
                    "限值": cv.limit,
                }
            )
        rows.append(
            {
                "学段": lv.name,
                "指标": "综合差异系数",
                "差异系数（前）": lv.composite_before,
                "差异系数（后）": lv.composite_after,
                "限值": lv.composite_limit if not lv.cvs or lv.cvs[0].limit is None else None,
            }
        )
    return pd.DataFrame(rows)


def _verdict_rows(levels: list[LevelChange]) -> list[tuple[str, object]]:
    rows: list[tuple[str, object]] = []
    for lv in levels:
        rows.append((f"{lv.name}差异系数", _turn(lv.cv_passed_before, lv.cv_passed_after)))
        if lv.failed_before is not None:
            rows.append((f"{lv.name}未达标学校", f"{lv.failed_before} → {lv.failed_after} 所"))
        rows.append((f"{lv.name}结论", _turn(lv.passed_before, lv.passed_after)))
    return rows


def _turn(before: bool | None, after: bool | None) -> str:
    return f"{verdict_word(before)} → {verdict_word(after)}"


def _about(title: str, standard: Standard, rows: list[tuple[str, object]]) -> pd.DataFrame:
    head: list[tuple[str, object]] = [
        ("内容", title),
        ("评估标准", f"{standard.name}（{standard.id}，版本 {standard.version}）"),
        ("junheng 版本", __version__),
    ]
    lines = [
        (label if n == 0 else "", sentence)
        for label, text in head + rows
        for n, sentence in enumerate(_sentences(text))
    ]
    return pd.DataFrame(lines, columns=["项目", "说明"])


def _sentences(text: object) -> list[object]:
    """A long note as one sentence a row: a cell does not wrap, and a printed page would
    shrink to the longest line."""
    if not isinstance(text, str) or len(text) <= 40:
        return [text]
    return [part for part in re.split(r"(?<=[。；])", text) if part]


def plan_frames(plan: Plan) -> dict[str, pd.DataFrame]:
    mode = "全部补到标准值，--full" if plan.full else "最少补充量"
    about = _about(
        f"补短板方案（{mode}）",
        plan.standard,
        [("方法", method_text(plan)), ("说明", LEAST), *_verdict_rows(plan.levels)],
    )
    totals = pd.DataFrame(
        [
            {
                "指标": t.name,
                "补充内容": t.what,
                "单位": t.unit,
                "补到标准值": t.to_threshold,
                FOR_CV_COLUMN: t.for_cv,
                "合计": t.total,
                "涉及学校": t.schools,
            }
            for t in plan.totals
        ]
    )
    return {
        "说明": about,
        "差异系数": level_frame(plan.levels),
        "全县合计": totals.rename(columns={"补到标准值": first_step(plan)}),
        "各校补充": school_additions_frame(plan),
    }


def school_additions_frame(plan: Plan) -> pd.DataFrame:
    """One row per school, indicator and quantity; each level part's value before and after and
    its threshold as numbers, in a column per level (a 九年一贯制 school's whole-school addition
    raises both parts)."""
    levels = [lv for lv in Level if any(v.level == lv for a in plan.additions for v in a.values)]
    rows = []
    for a in plan.additions:
        row: dict[str, object] = {
            "学校标识码": a.code,
            "学校名称": a.name,
            "学校类型": a.type,
            "学段": a.level.chinese if a.level is not None else "全校",
            "指标": a.indicator_name,
            "补充内容": a.what,
            "单位": a.unit,
            first_step(plan): a.to_threshold,
            FOR_CV_COLUMN: a.for_cv,
            "合计": a.total,
        }
        parts = {v.level: v for v in a.values}
        for lv in levels:
            part = parts.get(lv)
            row[f"{lv.chinese}本校值（前）"] = part.before if part else None
            row[f"{lv.chinese}本校值（后）"] = part.after if part else None
            row[f"{lv.chinese}标准值"] = part.threshold if part else None
        row["行"] = a.origin.row
        rows.append(row)
    return pd.DataFrame(rows)


def transfer_frames(transfers: Transfers) -> dict[str, pd.DataFrame]:
    levels = transfers.outcome.levels if transfers.outcome else []
    about = _about(
        "教师交流轮岗建议（不新增教师）",
        transfers.standard,
        [
            ("方法", TRANSFER_METHOD),
            ("调动方向", direction_text(transfers.direction)),
            *_verdict_rows(levels),
        ],
    )
    lists = pd.DataFrame(
        [
            {
                "学段": t.level_name,
                "指标": t.name,
                "差异系数（前）": t.cv_before,
                "差异系数（后）": t.cv_after,
                "限值": t.limit,
                "调动人数": t.teachers,
                "结果": STOPS[t.stop],
            }
            for t in transfers.lists
        ]
    )
    moves = pd.DataFrame(
        [
            {
                "学段": t.level_name,
                "指标": t.name,
                "调出学校": m.source_name,
                "调出学校城乡类型": _area_cell(m.source_area),
                "调出学校类型": m.source_type,
                "调出前": m.source_before,
                "调出后": m.source_after,
                "调出学校标准值": m.source_threshold,
                "调入学校": m.target_name,
                "调入学校城乡类型": _area_cell(m.target_area),
                "调入学校类型": m.target_type,
                "调入前": m.target_before,
                "调入后": m.target_after,
                "人数": m.count,
            }
            for t in transfers.lists
            for m in t.moves
        ]
    )
    return {"说明": about, "各项指标": lists, "调动清单": moves, "差异系数": level_frame(levels)}


def _area_cell(area: str | None) -> str:
    return area or "未填"


def scenario_frames(outcome: ScenarioOutcome) -> dict[str, pd.DataFrame]:
    about = _about(
        f"方案试算：{outcome.applied.source}", outcome.after.standard, _verdict_rows(outcome.levels)
    )
    cells = pd.DataFrame(
        [
            {
                "项": change.entry,
                "变化": change.description,
                "学校": cell.school,
                "数据": cell.header,
                "变化前": cell.before,
                "变化后": cell.after,
                "说明": "；".join(change.carried),
            }
            for change in outcome.applied.changes
            for cell in change.cells
        ]
    )
    return {"说明": about, "变化": cells, "差异系数": level_frame(outcome.levels)}
