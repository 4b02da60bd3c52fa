"""Why an evaluation gives no verdict: data errors, or no school within the standard's scope."""

from __future__ import annotations

from junheng_cli.compute.evaluate.exclusion import excluded_schools, exclusion_reasons
from junheng_cli.compute.validate.table import ValidatedTable
from junheng_cli.errors import JunhengError
from junheng_cli.io.sheet_table.tables import SchoolTable
from junheng_cli.model.findings import Finding, has_errors
from junheng_cli.model.results import ExcludedSchool
from junheng_cli.standards.model import Standard


class NothingToEvaluate(JunhengError):
    """No school is within the standard's scope: no verdict, but no data error either."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class DataErrors(JunhengError):
    """The data has errors and no verdict can be given."""

    def __init__(self, findings: list[Finding]) -> None:
        super().__init__(f"{len(findings)} data findings")
        self.findings = findings


HEADER_ERRORS = ("E_MISSING_COLUMN", "E_BAD_UNIT", "E_DUPLICATE_COLUMN")


def nothing_to_evaluate(validated: ValidatedTable, standard: Standard) -> NothingToEvaluate | None:
    """Why no school of a table without errors would be evaluated (None when some would):
    no school row under the header, or every school outside the standard's scope. The
    ``validate`` command stops with the same message as ``evaluate``."""
    frame = validated.frame
    if frame.empty:
        return NothingToEvaluate(nothing_message(validated.table, 0, []))
    reasons = exclusion_reasons(frame, standard)
    if reasons.isna().any():
        return None
    excluded = excluded_schools(frame, reasons, validated.table)
    return NothingToEvaluate(nothing_message(validated.table, len(frame), excluded))


def nothing_message(table: SchoolTable, rows: int, excluded: list[ExcludedSchool]) -> str:
    names = [f"{s.file}［{s.sheet}］" for s in table.sheets]
    where = "、".join(names[:3]) + (f" 等 {len(names)} 个工作表" if len(names) > 3 else "")
    if rows == 0:
        other = f"（读到的 {table.rows_read} 行是空行、合计行或表注）" if table.rows_read else ""
        return f"没有可评估的学校：{where or '输入文件'}的表头下没有学校行{other}"
    kinds = "、".join(sorted({e.type for e in excluded})) or "无"
    return (
        f"没有可评估的学校：{where}的学校行 {rows} 行，其中按标准排除 {len(excluded)} 所（{kinds}）"
    )


def is_header_error(finding: Finding) -> bool:
    """An error about a whole column: skipping rows cannot get around it."""
    return finding.code in HEADER_ERRORS


def nothing_scored(findings: list[Finding], excluded: int) -> DataErrors | NothingToEvaluate:
    if has_errors(findings):
        return DataErrors(findings)
    return NothingToEvaluate(f"没有可评估的学校：按标准排除 {excluded} 所")
