"""The data findings (errors and warnings with their cells) as a terminal table."""

from __future__ import annotations

from rich.console import Console
from rich.markup import escape as esc
from rich.text import Text

from junheng_cli.model.findings import Finding, Severity
from junheng_cli.report.terminal.common import titled_table


def render_findings(console: Console, findings: list[Finding], lang: str = "zh") -> None:
    if not findings:
        return
    en = lang == "en"
    errors = sum(1 for f in findings if f.severity is Severity.ERROR)
    warnings = len(findings) - errors
    files = sorted({esc(f"{f.file}［{f.sheet}］") for f in findings})
    title = (
        f"Data findings in {'; '.join(files)}: {errors} errors, {warnings} warnings"
        if en
        else f"数据问题（{'；'.join(files)}）：错误 {errors} 个，警告 {warnings} 个"
    )
    table = titled_table(title=title, show_lines=True)
    headers = (
        ("", "Cell", "Message", "Hint", "Code") if en else ("", "单元格", "问题", "建议", "代码")
    )
    for header in headers:
        table.add_column(header, overflow="fold")
    for f in findings:
        is_error = f.severity is Severity.ERROR
        label = ("error" if is_error else "warning") if en else ("错误" if is_error else "警告")
        cell = f"{f.column or ''}{f.row or ''}" if len(files) == 1 else esc(f.location())
        table.add_row(
            Text(label, style="bold red" if is_error else "yellow"),
            cell,
            Text(f.message(lang)),
            Text(f.hint(lang)),
            Text(f.code, style="dim"),
        )
    console.print(table)
