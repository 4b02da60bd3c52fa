"""Hostile workbooks for the reader (issue #12, items 3, 4 and 7's long CSV field): a stray
cell far from the table, .xls and .ods that name far cells, absurd sheet counts, a CSV field
past the csv module's limit; and in batch and collect, a file that fails in any way (or
kills its worker process) is listed while the others go on.

Every input is built here and small (a 7 KB workbook with one far cell). Anything that made
the cell reader abort the process is run in a subprocess, so that an abort fails the test
instead of killing pytest."""

from __future__ import annotations

import csv
import json
import multiprocessing
import os
import struct
import subprocess
import sys
import zipfile
from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook
from typer.testing import CliRunner

from helpers import primary_school, template_frame, write_county_file
from junheng_cli.cli.app import app
from junheng_cli.io import read
from junheng_cli.io.cells import ReadError
from junheng_cli.io.csv_rows import CSV_FIELD_LIMIT
from junheng_cli.io.limits import MAX_SHEETS
from junheng_cli.io.sheet_table import ReadOptions, SchoolTable, read_school_table
from junheng_cli.io.write import write_sheet_xlsx
from junheng_cli.workflows.batch import read as batch
from junheng_cli.workflows.collect import returns as collect_module

runner = CliRunner()
FAR = "XFD50000"  # 50,000 rows × 16,384 columns: 26 GB for the cell reader
XLSX_HEAD = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
)


def junheng(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k != "JUNHENG_DEBUG"}
    return subprocess.run(
        [sys.executable, "-m", "junheng_cli", *args],
        capture_output=True,
        text=True,
        cwd=cwd,
        env=env,
        timeout=120,
    )


def schools(n: int = 3, county: str = "") -> list[dict[str, Any]]:
    """Codes unique across counties: a batch checks them across the whole run."""
    return [
        primary_school(f"{county}第{i}小学", 200 + 40 * i, code=f"C{county}{i}") for i in range(n)
    ]


def with_far_cell(path: Path, value: Any, ref: str = FAR) -> Path:
    book = load_workbook(path)
    book["学校"][ref] = value
    book.save(path)
    return path


# -- raw workbooks: what openpyxl would never write --------------------------------------------
def raw_xlsx(path: Path, sheets: dict[str, str]) -> Path:
    """A minimal .xlsx whose sheets' <sheetData> content is given as XML."""
    names = list(sheets)
    overrides = "".join(
        f'<Override PartName="/xl/worksheets/sheet{i}.xml" ContentType="application/'
        'vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
        for i in range(1, len(names) + 1)
    )
    entries = "".join(
        f'<sheet name="{n}" sheetId="{i}" r:id="rId{i}"/>' for i, n in enumerate(names, 1)
    )
    rels = "".join(
        f'<Relationship Id="rId{i}" Type="http://schemas.openxmlformats.org/officeDocument/'
        f'2006/relationships/worksheet" Target="worksheets/sheet{i}.xml"/>'
        for i in range(1, len(names) + 1)
    )
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr(
            "[Content_Types].xml",
            '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats'
            '.org/package/2006/content-types"><Default Extension="rels" ContentType="applicatio'
            'n/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" Content'
            'Type="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="applic'
            'ation/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
            f"{overrides}</Types>",
        )
        z.writestr(
            "_rels/.rels",
            '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxml'
            'formats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://sche'
            'mas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="'
            'xl/workbook.xml"/></Relationships>',
        )
        z.writestr(
            "xl/workbook.xml",
            '<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="http://schemas.openxmlform'
            'ats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/offic'
            f'eDocument/2006/relationships"><sheets>{entries}</sheets></workbook>',
        )
        z.writestr(
            "xl/_rels/workbook.xml.rels",
            '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxml'
            f'formats.org/package/2006/relationships">{rels}</Relationships>',
        )
        for i, body in enumerate(sheets.values(), 1):
            z.writestr(f"xl/worksheets/sheet{i}.xml", f"{XLSX_HEAD}{body}</sheetData></worksheet>")
    return path


def text_cell(ref: str, text: str) -> str:
    return f'<c r="{ref}" t="inlineStr"><is><t>{text}</t></is></c>'


HEADER_ROWS = (
    '<row r="1">'
    + "".join(
        text_cell(f"{c}1", h)
        for c, h in zip("ABC", ["学校名称", "学校类型", "小学在校生数"], strict=True)
    )
    + '</row><row r="2">'
    + text_cell("A2", "甲小学")
    + text_cell("B2", "小学")
    + '<c r="C2"><v>300</v></c></row>'
)


def biff_xls(cells: list[tuple[int, int, float]], sheet: str = "学校") -> bytes:
    """A minimal .xls: BIFF8 records (numbers only) in a minimal OLE2 compound file."""

    def record(kind: int, body: bytes = b"") -> bytes:
        return struct.pack("<HH", kind, len(body)) + body

    def bof(kind: int) -> bytes:
        return record(0x0809, struct.pack("<HHHHII", 0x0600, kind, 0x0DBB, 0x07CC, 0, 6))

    name = sheet.encode("utf-16-le")
    globals_ = bof(0x0005) + record(0x0042, struct.pack("<H", 1200))

    def boundsheet(offset: int) -> bytes:
        return record(0x0085, struct.pack("<IBBBB", offset, 0, 0, len(sheet), 1) + name)

    eof = record(0x000A)
    numbers = b"".join(record(0x0203, struct.pack("<HHHd", r, c, 15, v)) for r, c, v in cells)
    stream = globals_ + boundsheet(len(globals_) + len(boundsheet(0)) + len(eof)) + eof
    stream += bof(0x0010) + numbers + eof
    stream = stream.ljust(max(4096, -(-len(stream) // 512) * 512), b"\0")
    sectors = len(stream) // 512
    fat = [0xFFFFFFFD, 0xFFFFFFFE] + [3 + i for i in range(sectors - 1)] + [0xFFFFFFFE]
    fat += [0xFFFFFFFF] * (128 - len(fat))
    header = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(16)
    header += struct.pack("<HHHHHH", 0x3E, 3, 0xFFFE, 9, 6, 0) + bytes(4)
    header += struct.pack("<IIIIIIIII", 0, 1, 1, 0, 4096, 0xFFFFFFFE, 0, 0xFFFFFFFE, 0)
    header += struct.pack("<I", 0) + struct.pack("<I", 0xFFFFFFFF) * 108

    def entry(title: str, kind: int, start: int, size: int, child: int) -> bytes:
        raw = title.encode("utf-16-le") + b"\0\0"
        ids = struct.pack("<HBBIII", len(raw), kind, 1, 0xFFFFFFFF, 0xFFFFFFFF, child)
        return raw.ljust(64, b"\0") + ids + bytes(36) + struct.pack("<II", start, size) + bytes(4)

    directory = entry("Root Entry", 5, 0xFFFFFFFE, 0, 1) + entry("Workbook", 2, 2, len(stream), 0)
    directory += entry("", 0, 0, 0, 0xFFFFFFFF) * 2
    return header + struct.pack("<128I", *fat) + directory + stream


def far_ods(path: Path) -> Path:
    """An .ods whose one text cell sits 50,000 rows down and 16,384 columns right, by
    repetition attributes (950 bytes on disk)."""
    ns = (
        'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
        'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
        'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0"'
    )

    def row(*cells: str) -> str:
        return "<table:table-row>" + "".join(cells) + "</table:table-row>"

    def text(value: str) -> str:
        cell = '<table:table-cell office:value-type="string">'
        return f"{cell}<text:p>{value}</text:p></table:table-cell>"

    far = (
        '<table:table-row table:number-rows-repeated="50000"><table:table-cell/></table:table-row>'
        + row('<table:table-cell table:number-columns-repeated="16383"/>', text("x"))
    )
    body = row(text("学校名称"), text("学校类型")) + row(text("甲小学"), text("小学")) + far
    content = (
        f'<?xml version="1.0" encoding="UTF-8"?><office:document-content {ns} office:version="1.2">'
        f'<office:body><office:spreadsheet><table:table table:name="学校">{body}</table:table>'
        "</office:spreadsheet></office:body></office:document-content>"
    )
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr(zipfile.ZipInfo("mimetype"), "application/vnd.oasis.opendocument.spreadsheet")
        z.writestr(
            "META-INF/manifest.xml",
            '<?xml version="1.0" encoding="UTF-8"?><manifest:manifest xmlns:manifest="urn:oasis:'
            'names:tc:opendocument:xmlns:manifest:1.0" manifest:version="1.2"><manifest:file-entr'
            'y manifest:full-path="/" manifest:media-type="application/vnd.oasis.opendocument.spr'
            'eadsheet"/><manifest:file-entry manifest:full-path="content.xml" manifest:media-type'
            '="text/xml"/></manifest:manifest>',
        )
        z.writestr("content.xml", content)
    return path


# -- item 3: a far cell ------------------------------------------------------------------------
def test_a_far_cell_with_content_is_refused_with_its_address(tmp_path: Path) -> None:
    path = with_far_cell(write_county_file(tmp_path / "县.xlsx", schools()), "x")
    assert path.stat().st_size < 20_000
    result = junheng("validate", path.name, cwd=tmp_path)
    assert result.returncode == 2, result.stderr[-400:]
    message = result.stderr
    assert "县.xlsx［学校］" in message and FAR in message and "'x'" in message
    assert f"{read.MAX_CELLS:,}" in message and "Traceback" not in message


def test_a_far_space_is_read_as_if_it_were_not_there(tmp_path: Path) -> None:
    """The analyst's workbook often has a stray cell far away: it must not cost the run."""
    clean = write_county_file(tmp_path / "县.xlsx", schools())
    far = with_far_cell(write_county_file(tmp_path / "远.xlsx", schools()), " ")
    result = junheng("evaluate", far.name, "--format", "json", cwd=tmp_path)
    assert result.returncode == 0, result.stderr[-400:]
    alone = runner.invoke(app, ["evaluate", str(clean), "--format", "json"])
    want, got = json.loads(alone.stdout), json.loads(result.stdout)
    assert got["levels"] == want["levels"] and got["rows"] == want["rows"]
    assert [s["values"] for s in got["schools"]] == [s["values"] for s in want["schools"]]


def test_far_cells_however_written_never_reach_the_cell_reader(tmp_path: Path) -> None:
    """Lower-case references, the r attribute not first or single-quoted, cells without a
    reference (their position counted from the row), a row number of eight digits, a far
    cell with only formatting: each is read cell by cell or refused, never allocated. One
    subprocess reads them all; an abort would fail the test."""
    far_text = text_cell(FAR, "x")
    cases = {
        "lower": far_text.replace(FAR, FAR.lower()),
        "r_not_first": f'<c t="inlineStr" r="{FAR}"><is><t>x</t></is></c>',
        "single_quoted": f"<c r='{FAR}' t=\"inlineStr\"><is><t>x</t></is></c>",
        "no_reference": "<c><v>1</v></c>" * 16_384,
        "eight_digits": text_cell("C99999999", "x"),
        "formatted_only": f'<c r="{FAR}" s="0"/>',
        "space": text_cell(FAR, " "),
    }
    for name, cell in cases.items():
        raw_xlsx(tmp_path / f"{name}.xlsx", {"学校": f'{HEADER_ROWS}<row r="50000">{cell}</row>'})
    script = (
        "import sys\n"
        "from pathlib import Path\n"
        "from junheng_cli.io.read import ReadError, open_workbook\n"
        "for name in sys.argv[1:]:\n"
        "    try:\n"
        "        sheet = open_workbook(Path(name + '.xlsx')).sheet('学校')\n"
        "        print(name, 'read', len(sheet.rows), max(map(len, sheet.rows)))\n"
        "    except ReadError as exc:\n"
        "        print(name, 'refused', exc)\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", script, *cases],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr[-400:]
    outcome = {line.split()[0]: line.split(maxsplit=2)[1:] for line in result.stdout.splitlines()}
    for name in ("lower", "r_not_first", "single_quoted", "no_reference"):
        assert outcome[name][0] == "refused" and "超过上限" in outcome[name][1], outcome[name]
    assert FAR in outcome["lower"][1] and FAR in outcome["single_quoted"][1]
    assert "C99999999" in outcome["eight_digits"][1]
    # nothing but formatting, or a space, far away: the table as it is (2 rows × 3 columns)
    assert outcome["formatted_only"] == ["read", "2 3"]
    assert outcome["space"] == ["read", "2 3"]


def test_an_xls_naming_a_far_column_is_refused_before_it_is_parsed(tmp_path: Path) -> None:
    """Excel writes at most 256 columns; a 5.6 KB .xls naming column 16,001 on row 65,536
    made the cell reader (which parses every sheet of an .xls when it opens) allocate 33 GB."""
    (tmp_path / "县.xls").write_bytes(biff_xls([(0, 0, 1.0), (1, 1, 2.0), (65535, 16000, 9.0)]))
    result = junheng("validate", "县.xls", cwd=tmp_path)
    assert result.returncode == 2, result.stderr[-400:]
    assert "县.xls［学校］" in result.stderr and "WQK65536" in result.stderr
    assert "256 列" in result.stderr and "Traceback" not in result.stderr
    (tmp_path / "小.xls").write_bytes(biff_xls([(0, 0, 1.0), (1, 1, 2.0)]))
    assert read.open_workbook(tmp_path / "小.xls").sheet("学校").rows == [[1.0, ""], ["", 2.0]]


def test_an_ods_far_cell_is_refused_in_chinese(tmp_path: Path) -> None:
    path = far_ods(tmp_path / "县.ods")
    result = runner.invoke(app, ["validate", str(path)])
    assert result.exit_code == 2
    assert "县.ods" in result.output and "819,232,768 个单元格" in result.output
    assert "超过上限" in result.output and "Cell limit" not in result.output


def test_a_sheet_the_cell_reader_lays_out_past_the_limit_is_not_turned_into_rows(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The .ods reader's own limit (100 million cells) is above junheng's: what it allocates
    past MAX_CELLS is refused before a Python list is built from it."""
    path = tmp_path / "县.ods"
    with zipfile.ZipFile(far_ods(tmp_path / "远.ods")) as source:
        content = source.read("content.xml").decode()
    with zipfile.ZipFile(path, "w") as target, zipfile.ZipFile(tmp_path / "远.ods") as source:
        for item in source.infolist():
            data = source.read(item)
            if item.filename == "content.xml":
                data = content.replace('"50000"', '"5"').replace('"16383"', '"30"').encode()
            target.writestr(item, data)
    monkeypatch.setattr(read, "MAX_CELLS", 100)
    with pytest.raises(ReadError, match=r"8 行 × 31 列，超过上限 100 个单元格"):
        read.open_workbook(path).sheet("学校")


def test_a_sheet_read_cell_by_cell_reads_as_the_fast_reader_does(tmp_path: Path) -> None:
    """The cell-by-cell path (taken for a far cell) gives the same rows, types and merged
    ranges as the cell reader on the same sheet."""
    from junheng_cli.io.sparse import read_sparse

    frame = template_frame(schools(4))
    frame.loc[1, "学校名称"] = "  乙  "
    path = tmp_path / "县.xlsx"
    write_sheet_xlsx(frame, path, "学校")
    book = load_workbook(path)
    book["学校"].merge_cells("A7:C7")
    book["学校"]["A7"] = "注：合并的说明"
    book.save(path)
    fast = read.open_workbook(path).sheet("学校")
    rows, merged = read_sparse(path, "学校")
    assert rows == fast.rows and merged == fast.merged
    assert [type(c) for r in rows for c in r] == [type(c) for r in fast.rows for c in r]


# -- item 4: many sheets -----------------------------------------------------------------------
def many_sheets(path: Path, count: int) -> Path:
    sheets = {"学校": HEADER_ROWS} | {
        f"表{i}": f'<row r="1"><c r="A1"><v>{i}</v></c></row>' for i in range(1, count)
    }
    return raw_xlsx(path, sheets)


def test_more_sheets_than_the_limit_are_refused(tmp_path: Path) -> None:
    path = many_sheets(tmp_path / "多表.xlsx", MAX_SHEETS + 1)
    result = runner.invoke(app, ["validate", str(path)])
    assert result.exit_code == 2
    assert "多表.xlsx" in result.output and "1,001 个工作表" in result.output
    assert f"上限 {MAX_SHEETS:,} 个" in result.output


def test_a_workbook_of_many_sheets_is_opened_and_parsed_once(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Reading 300 sheets opens the archive and parses workbook.xml a fixed number of times,
    not once per sheet (which made 1,000 sheets take 40 s)."""
    path = many_sheets(tmp_path / "多表.xlsx", 300)
    opened: list[object] = []
    real_zip = zipfile.ZipFile

    class CountingZip(real_zip):  # type: ignore[misc,valid-type]
        def __init__(self, *args: Any, **kwargs: Any) -> None:
            opened.append(args[0])
            super().__init__(*args, **kwargs)

    monkeypatch.setattr(zipfile, "ZipFile", CountingZip)
    parsed: list[int] = []
    real_fromstring = read.ElementTree.fromstring

    def counting_fromstring(text: Any, *args: Any, **kwargs: Any) -> Any:
        parsed.append(len(text))
        return real_fromstring(text, *args, **kwargs)

    monkeypatch.setattr(read.ElementTree, "fromstring", counting_fromstring)
    table = read_school_table([path])
    assert len(table.frame) == 1 and len(table.unused_sheets) == 299
    assert len(opened) <= 3, f"the archive was opened {len(opened)} times"
    assert len(parsed) <= 4, f"XML was parsed whole {len(parsed)} times"


# -- item 7: a CSV field past the csv module's limit -------------------------------------------
def test_a_csv_field_past_the_limit_is_a_located_message(tmp_path: Path) -> None:
    head = "学校名称,学校类型,小学在校生数\n甲小学,小学,300\n"
    long_field = tmp_path / "长.csv"
    long_field.write_text(head + "乙小学,小学," + "9" * 200_000 + "\n", encoding="utf-8")
    result = runner.invoke(app, ["validate", str(long_field)])
    assert result.exit_code == 2
    assert "长.csv" in result.output and "第 3 行" in result.output
    assert f"{CSV_FIELD_LIMIT:,} 个字符" in result.output
    unmatched = tmp_path / "引号.csv"
    unmatched.write_text(head + '丙小学,"小学,300\n' + "丁小学,小学,200\n" * 20_000, "utf-8")
    result = runner.invoke(app, ["validate", str(unmatched)])
    assert result.exit_code == 2 and "引号没有配对" in result.output
    assert "Traceback" not in result.output and "内部错误" not in result.output


# -- batch and collect: a file that fails in any way -------------------------------------------
def test_a_batch_of_twenty_with_a_bomb_scores_nineteen_and_lists_the_bomb(tmp_path: Path) -> None:
    folder = tmp_path / "各县"
    folder.mkdir()
    for i in range(20):
        write_county_file(folder / f"县{i:02d}.xlsx", schools(county=f"{i:02d}"))
    with_far_cell(folder / "县07.xlsx", "x")
    result = junheng("batch", "各县", "-o", "汇总.csv", "--jobs", "2", cwd=tmp_path)
    assert result.returncode == 1, result.stderr[-600:]  # as for any batch with a failed county
    with (tmp_path / "汇总.csv").open(encoding="utf-8-sig") as handle:
        ranking = {row["县"]: row for row in csv.DictReader(handle)}
    assert len(ranking) == 20
    assert sum(row["状态"] == "已评估" for row in ranking.values()) == 19
    bomb = ranking["县07"]
    assert bomb["状态"] == "无法读取" and FAR in bomb["错误"] and "超过上限" in bomb["错误"]


def eight_counties(folder: Path) -> list[Path]:
    folder.mkdir()
    return [write_county_file(folder / f"县{i}.xlsx", schools(2, str(i))) for i in range(8)]


def test_an_unreadable_file_read_by_a_worker_process_comes_back_as_its_error(
    tmp_path: Path,
) -> None:
    """The error is pickled back from the worker; it used to fail to unpickle and break the
    pool, so that a batch of 8 files or more died of one corrupt file."""
    files = eight_counties(tmp_path / "各县")
    files[3].write_bytes(b"not a workbook")
    results = list(batch.read_all(files, ReadOptions(), jobs=2))
    assert [p for p, _ in results] == files
    assert isinstance(results[3][1], ReadError) and "无法解压" in str(results[3][1])
    assert all(isinstance(t, SchoolTable) for i, (_, t) in enumerate(results) if i != 3)


def test_a_worker_process_that_dies_takes_only_its_file_with_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A worker that dies breaks the whole process pool; the files it did not return are read
    again, and only the file that kills its own process is lost, listed as such."""
    if multiprocessing.get_start_method() != "fork":
        pytest.skip("the workers must inherit the patched reader (fork)")
    files = eight_counties(tmp_path / "各县")
    real = batch.read_school_table

    def dies_on_county_5(paths: list[Path], options: ReadOptions) -> SchoolTable:
        if paths[0].name == "县5.xlsx":
            os._exit(3)  # the process ends at once, as after an abort
        return real(paths, options)

    monkeypatch.setattr(batch, "read_school_table", dies_on_county_5)  # forked workers see it
    results = list(batch.read_all(files, ReadOptions(), jobs=2))
    assert [p for p, _ in results] == files
    lost = results[5][1]
    assert isinstance(lost, ReadError) and "进程意外终止" in lost.message
    assert all(isinstance(t, SchoolTable) for i, (_, t) in enumerate(results) if i != 5)


def test_an_unexpected_exception_in_one_file_does_not_stop_a_batch(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    files = eight_counties(tmp_path / "各县")[:3]
    real = batch.read_school_table

    def odd(paths: list[Path], options: ReadOptions) -> SchoolTable:
        if paths[0].name == "县1.xlsx":
            raise RecursionError("maximum recursion depth exceeded")
        return real(paths, options)

    monkeypatch.setattr(batch, "read_school_table", odd)
    results = dict(batch.read_all(files, ReadOptions(), jobs=1))
    assert isinstance(results[files[1]], ReadError)
    assert "RecursionError" in results[files[1]].message
    assert isinstance(results[files[0]], SchoolTable)
    assert isinstance(results[files[2]], SchoolTable)


def test_collect_lists_a_file_that_runs_out_of_memory_and_merges_the_others(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = tmp_path / "回收"
    folder.mkdir()
    for i in range(3):
        write_county_file(folder / f"校{i}.xlsx", [primary_school(f"第{i}小学", 300)])
    real = collect_module.read_school_table

    def odd(paths: list[Path], options: ReadOptions) -> SchoolTable:
        if paths[0].name == "校1.xlsx":
            raise MemoryError
        return real(paths, options)

    monkeypatch.setattr(collect_module, "read_school_table", odd)
    result = collect_module.collect(folder)
    assert len(result.merged) == 2
    (lost,) = [e for e in result.entries if e.status is collect_module.Status.UNREADABLE]
    assert lost.file == "校1.xlsx" and "内存不足" in lost.detail


def test_collect_with_a_far_cell_among_the_returns_goes_on(tmp_path: Path) -> None:
    folder = tmp_path / "回收"
    folder.mkdir()
    for i in range(3):
        write_county_file(folder / f"校{i}.xlsx", [primary_school(f"第{i}小学", 300)])
    with_far_cell(folder / "校2.xlsx", "x")
    result = junheng("collect", "回收", "-o", "全县.xlsx", cwd=tmp_path)
    assert result.returncode == 1, result.stderr[-600:]  # written; something needs a look
    merged = load_workbook(tmp_path / "全县.xlsx")
    account = [[c for c in row] for row in merged["收集情况"].iter_rows(values_only=True)]
    far = [row for row in account if "校2.xlsx" in row]
    assert far and any(isinstance(c, str) and FAR in c for c in far[0])
    assert merged["学校"].max_row == 3  # the header and the other two schools
