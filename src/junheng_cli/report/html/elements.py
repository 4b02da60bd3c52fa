"""The pieces the HTML report is built of: verdict badges, tables whose header repeats on
every printed page, numbers, and SVG that scales with the page."""

from __future__ import annotations

from html import escape

import pandas as pd

from junheng_cli.report.wording import verdict_word


def badge(passed: bool | None) -> str:
    css = "none" if passed is None else "pass" if passed else "fail"
    return f'<span class="{css}">{verdict_word(passed)}</span>'


def table(head: list[str], rows: list[str]) -> str:
    """A table whose header row repeats on every printed page it runs onto."""
    cells = "".join(f"<th>{h}</th>" for h in head)
    return f"<table><thead><tr>{cells}</tr></thead><tbody>{''.join(rows)}</tbody></table>"


def num(value: float | None, decimals: int) -> str:
    return "—" if value is None else f"{value:,.{decimals}f}"


def svg(width: int, height: int, label: str, items: list[str]) -> str:
    """Scales with the page: a viewBox and width 100%, never a fixed pixel width."""
    return (
        f'<svg class="chart" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" '
        f'width="100%" preserveAspectRatio="xMinYMin meet" role="img" '
        f'aria-label="{escape(label)}">{"".join(items)}</svg>'
    )


def table_section(title: str, frame: pd.DataFrame) -> str:
    if frame.empty:
        return f"<section class='keep'><h2>{escape(title)}</h2><p>无。</p></section>"
    head = [escape(str(c)) for c in frame.columns]
    body = []
    for record in frame.itertuples(index=False):
        cells = []
        for value in record:
            if value is None or (isinstance(value, float) and pd.isna(value)):
                cells.append("<td></td>")
            elif isinstance(value, int | float):
                cells.append(
                    f"<td class='num'>{value:,.2f}</td>"
                    if isinstance(value, float) and not float(value).is_integer()
                    else f"<td class='num'>{value:,.0f}</td>"
                )
            else:
                cells.append(f"<td>{escape(str(value))}</td>")
        body.append(f"<tr>{''.join(cells)}</tr>")
    return f"<section><h2>{escape(title)}</h2>{table(head, body)}</section>"
