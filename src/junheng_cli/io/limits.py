"""What a workbook may hold before it is refused: rows, cells, sheets, the size of its archive;
and the checks made before a reader allocates anything.
"""

from __future__ import annotations

import zipfile
from pathlib import Path

from junheng_cli.io.cells import ReadError, column_letter
from junheng_cli.io.xls_extent import Extent, sheet_extents

OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


MAX_ROWS = 1_000_000
# Rows × columns of a sheet's rectangle, from A1 to its last row and column. A national
# file (207,200 schools × 34 columns) is 7 million; the cell reader holds 32 bytes a cell.
MAX_CELLS = 20_000_000
MAX_SHEETS = 1_000
MAX_UNCOMPRESSED_BYTES = 2 * 1024**3


def check_xls_extents(path: Path) -> None:
    extents = sheet_extents(path) or []
    check_sheet_count(len(extents), str(path))
    for extent in extents:
        if extent.cells > MAX_CELLS:
            raise ReadError(_far_xls_cells(extent), str(path), extent.sheet)


def _far_xls_cells(extent: Extent) -> str:
    cells = [extent.right] if extent.right == extent.down else [extent.right, extent.down]
    named = "、".join(f"{column_letter(c)}{r + 1}" for r, c in cells)
    return (
        f"单元格 {named} 使工作表的范围达 {extent.rows:,} 行 × {extent.columns:,} 列"
        f"（{extent.cells:,} 个单元格，超过上限 {MAX_CELLS:,}；.xls 最多 256 列）："
        "文件可能已损坏；请在 Excel 或 WPS 中打开，删除远处的内容，另存为 .xlsx 后重试"
    )


def check_archive(path: Path) -> None:
    with path.open("rb") as handle:
        magic = handle.read(8)
    if magic == OLE_MAGIC:
        raise ReadError(
            "工作簿有密码保护（或是改了扩展名的旧版 .xls 文件）：请在 Excel 中取消密码，"
            "另存为 .xlsx 后重试",
            str(path),
        )
    try:
        with zipfile.ZipFile(path) as archive:
            expanded = sum(info.file_size for info in archive.infolist())
    except zipfile.BadZipFile as exc:
        raise ReadError("文件已损坏或并非 Excel 工作簿（无法解压）", str(path)) from exc
    if expanded > MAX_UNCOMPRESSED_BYTES:
        raise ReadError(
            f"工作簿解压后达 {expanded / 1024**3:.1f} GB，超过上限 "
            f"{MAX_UNCOMPRESSED_BYTES / 1024**3:.0f} GB，不像是一个县的学校数据",
            str(path),
        )


def check_sheet_count(count: int, file: str) -> None:
    if count > MAX_SHEETS:
        raise ReadError(
            f"工作簿有 {count:,} 个工作表，超过上限 {MAX_SHEETS:,} 个，不像是一个县的学校数据；"
            "请另存一份只含学校数据工作表的工作簿后重试",
            file,
        )


def check_height(height: int, file: str, sheet: str) -> None:
    if height > MAX_ROWS:
        raise ReadError(
            f"工作表有 {height:,} 行，超过上限 {MAX_ROWS:,} 行，不像是一个县的学校数据", file, sheet
        )
