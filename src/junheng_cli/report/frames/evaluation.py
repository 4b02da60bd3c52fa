"""An evaluation's tables as DataFrames: the summary, the official CV table, every school
against its standard, the gaps, the findings, 按规程 allowances and the excluded schools."""

from __future__ import annotations

import pandas as pd

from junheng_cli.model.findings import Finding
from junheng_cli.model.results import Evaluation
from junheng_cli.report.wording import CHECK_STATUS, verdict_word


def summary_rows(evaluation: Evaluation) -> list[tuple[str, object]]:
    account = evaluation.account
    rows: list[tuple[str, object]] = [
        ("评估标准", f"{evaluation.standard.name}（{evaluation.standard.id}）"),
        ("标准版本", evaluation.standard.version),
    ]
    for level in evaluation.levels:
        verdict = "无参评学校" if not level.schools else verdict_word(level.passed)
        rows.append((f"{level.name}结论", verdict))
        rows.append((f"{level.name}参评单位数", level.schools))
        rows.append((f"{level.name}综合差异系数", level.composite_cv))
        if level.schools_failed is not None:
            rows.append((f"{level.name}未达标学校数", level.schools_failed))
    rows += [
        ("全县结论", verdict_word(evaluation.passed)),
        ("读取行数", account.rows_read),
        ("参评学校", account.evaluated),
        ("按标准排除", account.excluded),
        ("因数据错误跳过", account.skipped),
        ("空行", account.blank),
        ("合计行", account.total),
        ("部分结果", "是" if evaluation.partial else "否"),
    ]
    if evaluation.indicator_subset is not None:
        labels = "、".join(i.label for i in evaluation.standard.indicators)
        rows.append(("只评估的指标", f"{labels}（--indicators；不给总体结论）"))
    rows += [("说明", note) for note in evaluation.scope_notes]
    if evaluation.allowance_uses:
        rows.append(("按规程放宽", f"{len(evaluation.allowance_uses)} 项（见“按规程”工作表）"))
    return rows


def cv_frame(evaluation: Evaluation) -> pd.DataFrame:
    """The official layout: per level, rows 全县平均值 / 标准差 / 差异系数, one column per
    indicator, plus 综合 (the composite) in the 差异系数 row."""
    records = []
    for level in evaluation.levels:
        for label, key in (("全县平均值", "mean"), ("标准差", "sd"), ("差异系数", "cv")):
            row: dict[str, object] = {"学段": level.name, "项目": label}
            for ind in level.indicators:
                row[ind.name] = getattr(ind, key)
            row["综合"] = level.composite_cv if key == "cv" else None
            records.append(row)
        if evaluation.standard.judgement.mode == "each":
            row = {"学段": level.name, "项目": "限值"}
            row.update({ind.name: ind.limit for ind in level.indicators})
            row["综合"] = None
            records.append(row)
        else:
            records.append({"学段": level.name, "项目": "限值", "综合": level.composite_limit})
    return pd.DataFrame(records)


def school_frame(evaluation: Evaluation) -> pd.DataFrame:
    """One row per evaluated school and level: values, and with a 2017 standard the
    threshold, status and gap of every indicator."""
    judged = evaluation.standard.judges_schools
    eased = {c.indicator for u in evaluation.units for c in u.checks if c.allowance is not None}
    records = []
    for unit in evaluation.units:
        row: dict[str, object] = {
            "学校标识码": unit.code,
            "学校名称": unit.name,
            "学校类型": unit.type,
            "学段": unit.level.chinese,
            "在校生数": unit.students,
            "分得比例": unit.share,
        }
        checks = {c.indicator: c for c in unit.checks}
        for ind in evaluation.standard.indicators:
            row[ind.label] = unit.values.get(ind.id)
            check = checks.get(ind.id)
            if judged and check is not None:
                row[f"{ind.label}标准"] = check.threshold
                row[f"{ind.label}状态"] = CHECK_STATUS[check.status]
                row[f"{ind.label}还差（{check.gap_unit}）"] = check.gap
                if ind.id in eased:  # 按规程: the value judged, beside the strict one
                    row[f"{ind.label}按规程值"] = (
                        check.value if check.allowance is not None else None
                    )
        if judged:
            row["达标项数"] = unit.met
            row["是否达标"] = "—" if unit.passed is None else verdict_word(unit.passed)
        row["来源"] = f"{unit.origin.file}［{unit.origin.sheet}］第{unit.origin.row}行"
        records.append(row)
    return pd.DataFrame(records)


def gap_frame(evaluation: Evaluation) -> pd.DataFrame:
    """What each school must add, biggest first within each indicator."""
    names = {i.id: i.name for i in evaluation.standard.indicators}
    records = [
        {
            "指标": names[g.indicator],
            "学校标识码": g.code,
            "学校名称": g.name,
            "学段": g.level.chinese if g.level else "全校",
            "需补充": g.amount,
            "单位": g.unit,
            "内容": g.what,
            "万元": g.amount / 10_000 if g.unit == "元" else None,
        }
        for g in evaluation.gaps
    ]
    return pd.DataFrame(
        records,
        columns=["指标", "学校标识码", "学校名称", "学段", "需补充", "单位", "内容", "万元"],
    )


def gap_totals_frame(evaluation: Evaluation) -> pd.DataFrame:
    return pd.DataFrame(
        [
            {
                "指标": t.name,
                "内容": t.what,
                "全县需补充": t.amount,
                "单位": t.unit,
                "万元": t.amount / 10_000 if t.unit == "元" else None,
                "涉及学校数": t.schools,
            }
            for t in evaluation.gap_totals
        ],
        columns=["指标", "内容", "全县需补充", "单位", "万元", "涉及学校数"],
    )


def findings_frame(findings: list[Finding]) -> pd.DataFrame:
    return pd.DataFrame(
        [
            {
                "级别": "错误" if f.severity == "error" else "警告",
                "代码": f.code,
                "文件": f.file,
                "工作表": f.sheet,
                "行": f.row,
                "列": f.column,
                "列名": f.header,
                "值": None if f.value is None else str(f.value),
                "问题": f.message(),
                "建议": f.hint(),
            }
            for f in findings
        ],
        columns=["级别", "代码", "文件", "工作表", "行", "列", "列名", "值", "问题", "建议"],
    )


ALLOWANCE_COLUMNS = [
    "学校标识码",
    "学校名称",
    "学段",
    "项目",
    "本校值（严格口径）",
    "标准（严格口径）",
    "严格口径判定",
    "本校值（按规程）",
    "标准（按规程）",
    "按规程判定",
    "规程规定",
]


def allowance_frame(evaluation: Evaluation) -> pd.DataFrame:
    """按规程: every figure a 2019 规程 allowance changed, the strict and the allowed one."""
    return pd.DataFrame(
        [
            {
                "学校标识码": u.code,
                "学校名称": u.name,
                "学段": u.level.chinese if u.level else "全校",
                "项目": u.item,
                "本校值（严格口径）": u.strict_value,
                "标准（严格口径）": f"{u.comparison} {u.strict_threshold:g}",
                "严格口径判定": verdict_word(u.strict_passed),
                "本校值（按规程）": u.value,
                "标准（按规程）": f"{u.comparison} {u.threshold:g}",
                "按规程判定": verdict_word(u.passed),
                "规程规定": u.rule,
            }
            for u in evaluation.allowance_uses
        ],
        columns=ALLOWANCE_COLUMNS,
    )


def excluded_frame(evaluation: Evaluation) -> pd.DataFrame:
    rows = [
        {
            "学校标识码": e.code,
            "学校名称": e.name,
            "学校类型": e.type,
            "情况": "按标准排除",
            "原因": e.reason,
            "来源": f"{e.origin.file}［{e.origin.sheet}］第{e.origin.row}行",
        }
        for e in evaluation.excluded
    ]
    rows += [
        {
            "学校标识码": s.code,
            "学校名称": s.name,
            "学校类型": "",
            "情况": "数据错误，跳过",
            "原因": "；".join(f.message() for f in s.findings),
            "来源": f"{s.origin.file}［{s.origin.sheet}］第{s.origin.row}行",
        }
        for s in evaluation.skipped
    ]
    return pd.DataFrame(
        rows, columns=["学校标识码", "学校名称", "学校类型", "情况", "原因", "来源"]
    )
