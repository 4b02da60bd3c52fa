"""CSV files: the encoding (UTF-8 or GB18030) and the delimiter guessed, every cell as text."""

from __future__ import annotations

import csv
import io
from pathlib import Path

from junheng_cli.io.cells import Cell, ReadError
from junheng_cli.io.limits import MAX_CELLS

CSV_ENCODINGS = ("utf-8-sig", "gb18030")


CSV_FIELD_LIMIT = 131_072  # characters in one CSV field (Excel holds at most 32,767 in a cell)


def read_csv_rows(path: Path) -> list[list[Cell]]:
    raw = path.read_bytes()
    for encoding in CSV_ENCODINGS:
        try:
            text = raw.decode(encoding)
        except UnicodeDecodeError:
            continue
        try:
            dialect = csv.Sniffer().sniff(text[:4096], delimiters=",\t;")
        except csv.Error:
            dialect = csv.excel
        rows = _parse_csv(text, dialect, str(path))
        _check_csv_size(rows, str(path))
        return rows
    raise ReadError("无法识别 CSV 的文字编码（支持 UTF-8、GBK/GB18030）", str(path))


def _parse_csv(text: str, dialect: type[csv.Dialect] | csv.Dialect, file: str) -> list[list[Cell]]:
    previous = csv.field_size_limit(CSV_FIELD_LIMIT)  # the limit is the csv module's global
    reader = csv.reader(io.StringIO(text), dialect)
    try:
        return [list(r) for r in reader]
    except csv.Error as exc:
        raise ReadError(_csv_message(exc, reader.line_num), file) from exc
    finally:
        csv.field_size_limit(previous)


def _csv_message(exc: csv.Error, line: int) -> str:
    if "field larger than field limit" in str(exc):
        return (
            f"第 {line:,} 行附近有一个超过 {CSV_FIELD_LIMIT:,} 个字符的字段（Excel 的一个单元格"
            "最多 32,767 个字符）：多半是某处引号没有配对，把后面的内容都读成了一个单元格；"
            "请在 Excel 或 WPS 中打开检查，另存为 .xlsx 后重试"
        )
    return f"第 {line:,} 行无法按 CSV 读取（{exc}）：请在 Excel 或 WPS 中打开，另存为 .xlsx 后重试"


def _check_csv_size(rows: list[list[Cell]], file: str) -> None:
    width = max(map(len, rows), default=0)
    if len(rows) * width > MAX_CELLS:
        raise ReadError(
            f"CSV 有 {len(rows):,} 行、最宽的一行 {width:,} 列，共 {len(rows) * width:,} 个单元格，"
            f"超过上限 {MAX_CELLS:,}，不像是一个县的学校数据",
            file,
        )
