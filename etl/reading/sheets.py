"""Spreadsheets (.xlsx, .xls, .csv) as document text: per sheet a line ``【工作表：NAME】``, then its rows,
a row with one text (a title, a 单位 line, a footnote) as a plain line, the others as cells separated by
tabs (empty cells kept, so columns keep their places; a merged cell's text repeated in every cell it
covers); sheets are separated by a blank line. Numbers are written as a spreadsheet shows them (12345.6, not
12345.600000000002; 10000000, not 1E7; a cell formatted as a percentage as 12.5%).

.xlsx files are streamed (openpyxl's read-only mode, merged ranges read from the sheet's XML in chunks), so
memory stays bounded; a spreadsheet whose text would pass ``MAX_BYTES`` characters is refused at the sheet and
row where it does. Errors are ``DocumentError`` naming the sheet (and the cell where known).

>>> sheet_text("表", [["乡镇", "贫困户"], ["荷花镇", 120], ["合计", 120.0], ["注：数据截至年底", ""]]).splitlines()
['【工作表：表】', '乡镇\\t贫困户', '荷花镇\\t120', '合计\\t120', '注：数据截至年底']
"""
from __future__ import annotations

import csv
import datetime as dt
import io
import re
import zipfile
from collections.abc import Iterable, Iterator
from decimal import Decimal
from unittest.mock import patch

from etl.reading.archives import check_parts
from etl.reading.budget import OverBudget, check
from etl.reading.decode import MAX_BYTES, DocumentError, decode_bytes

SHEET_LINE = "【工作表：{}】"
XLSX_EXPANDED_LIMIT = 400 * 1024 * 1024  # all the parts of an .xlsx, decompressed (a zip bomb past this)
XLSX_PARTS = 5000
MERGE = re.compile(rb'<(?:\w+:)?mergeCell\s+ref="([A-Z]{1,3})(\d+):([A-Z]{1,3})(\d+)"')
MAX_COLUMNS = 1000  # a row wider than this (a broken export) is refused
NUMERIC = re.compile(r"[-+]?[\d,]+(?:\.\d+)?")


def number_text(value: float | int, percent: bool = False) -> str:
    """A number as a spreadsheet displays it: no exponent, no float noise.

    >>> number_text(12345.600000000002), number_text(1e7), number_text(0.125, percent=True), number_text(3.0)
    ('12345.6', '10000000', '12.5%', '3')
    """
    if percent:
        return number_text(value * 100) + "%"
    if isinstance(value, int):
        return str(value)
    if value != value or value in (float("inf"), float("-inf")):
        return ""
    text = format(Decimal(f"{value:.15g}"), "f")
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


def _cell_text(value: object, percent: bool = False) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, int | float):
        return number_text(value, percent)
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat(sep=" ")
    if isinstance(value, dt.date | dt.time):
        return value.isoformat()
    return " ".join(str(value).split())  # tabs and line breaks inside a cell: spaces


def row_line(cells: list[str]) -> str | None:
    """One row as a line: tabs between cells, trailing empty cells dropped; a row with one text (or one
    merged text repeated) as that text; None for an empty row."""
    while cells and not cells[-1]:
        cells.pop()
    filled = [c for c in cells if c]
    if not filled:
        return None
    if len(filled) == 1 or (len(set(filled)) == 1 and not NUMERIC.fullmatch(filled[0])):
        return filled[0]
    return "\t".join(cells)


def sheet_text(name: str, rows: Iterable[list[object]]) -> str:
    """The text of one sheet from its rows of values (see the module's doc)."""
    return "\n".join(_sheet_lines(name, ([_cell_text(v) for v in r] for r in rows), [0]))


def _sheet_lines(name: str, rows: Iterable[list[str]], size: list[int]) -> Iterator[str]:
    """Lines of a sheet; ``size`` counts the characters written so far over all sheets (refused past the
    limit, naming the sheet and row)."""
    yield SHEET_LINE.format(name)
    blank = True
    for n, cells in enumerate(rows, 1):
        check()
        if len(cells) > MAX_COLUMNS:
            raise DocumentError(f"sheet {name!r}, row {n}: {len(cells)} columns (the limit is {MAX_COLUMNS})")
        line = row_line(cells)
        if line is None:
            if not blank:
                blank = True
                yield ""
            continue
        blank = False
        size[0] += len(line) + 1
        if size[0] > MAX_BYTES:
            raise DocumentError(f"sheet {name!r}, row {n}: the spreadsheet's text passes "
                                f"{MAX_BYTES // 2**20} MB; split it into smaller files")
        yield line


def _join(sheets: Iterator[str]) -> str:
    text = "\n\n".join(s.rstrip("\n") for s in sheets)
    if not re.search(r"[^\s]", re.sub(r"【工作表：[^】\n]*】", "", text)):
        raise DocumentError("a spreadsheet without any filled cell")
    return text


# -- .xlsx ---------------------------------------------------------------------------------------------------

def _column(letters: bytes) -> int:
    n = 0
    for ch in letters:
        n = n * 26 + ch - 64
    return n


def _merges(archive: zipfile.ZipFile, path: str) -> list[tuple[int, int, int, int]]:
    """(first row, first column, last row, last column) of each merged range of a sheet, 1-based, read from
    its XML in chunks (they are listed after the rows)."""
    out, tail = [], b""
    with archive.open(path) as f:
        while chunk := f.read(1 << 20):
            check()
            buf = tail + chunk
            last = 0
            for m in MERGE.finditer(buf):
                out.append((int(m[2]), _column(m[1]), int(m[4]), _column(m[3])))
                last = m.end()
            tail = buf[max(last, len(buf) - 200):]
    return out


CELL_XML = re.compile(rb'<(?:\w+:)?c\s+r="([A-Z]{1,3}\d+)"([^>]*)>(?:<(?:\w+:)?f[^>]*>[^<]*</(?:\w+:)?f>)?'
                      rb'<(?:\w+:)?v>([^<]*)</(?:\w+:)?v>')
TYPED = re.compile(rb't="(?:s|str|inlineStr|b|e|d)"')


def _bad_cell(archive: zipfile.ZipFile, path: str) -> tuple[str, str] | None:
    """The first cell of a sheet whose stored number is not a number (where a damaged file breaks), read from
    its XML in chunks: (reference, the value as stored)."""
    try:
        with archive.open(path) as f:
            tail = b""
            while chunk := f.read(1 << 20):
                check()
                buf = tail + chunk
                for m in CELL_XML.finditer(buf):
                    if TYPED.search(m[2]):
                        continue
                    try:
                        float(m[3])
                    except ValueError:
                        return m[1].decode(), m[3].decode("utf-8", "replace")
                tail = buf[-500:]
    except (KeyError, OSError, zipfile.BadZipFile):
        return None
    return None


def _xlsx_rows(ws, merges: list[tuple[int, int, int, int]]) -> Iterator[list[str]]:
    """The rows of a read-only sheet as texts, merged ranges filled with their first cell's text."""
    starts: dict[int, list[tuple[int, int, int, int]]] = {}
    for m in merges:
        if (m[2] - m[0] + 1) * (m[3] - m[1] + 1) > 1_000_000:
            raise DocumentError(f"sheet {ws.title!r}: a merged range of more than a million cells")
        starts.setdefault(m[0], []).append(m)
    active: list[tuple[int, int, int, int, str]] = []  # ranges being filled, with their text
    expected = 1
    for row in ws.iter_rows():
        number = next((c.row for c in row if getattr(c, "row", None)), expected)
        while expected < number:  # rows the file leaves out (empty), except where a merge covers them
            yield _filled([], expected, active)
            expected += 1
        cells: list[str] = []
        for c in row:
            col = getattr(c, "column", None) or len(cells) + 1
            while len(cells) < col - 1:
                cells.append("")
            fmt = getattr(c, "number_format", "") or ""
            cells.append(_cell_text(c.value, percent="%" in fmt and isinstance(c.value, int | float)))
        for r0, c0, r1, c1 in starts.pop(number, []):
            active.append((r0, c0, r1, c1, cells[c0 - 1] if c0 - 1 < len(cells) else ""))
        yield _filled(cells, number, active)
        expected = number + 1


def _filled(cells: list[str], number: int, active: list) -> list[str]:
    for item in list(active):
        r0, c0, r1, c1, text = item
        if number > r1:
            active.remove(item)
            continue
        while len(cells) < c1:
            cells.append("")
        for col in range(c0, c1 + 1):
            cells[col - 1] = text
    return cells


def xlsx_text(data: bytes) -> str:
    """The text of an .xlsx workbook, sheet by sheet (streamed)."""
    from openpyxl import load_workbook

    try:
        check_parts(data, ".xlsx", XLSX_PARTS, XLSX_EXPANDED_LIMIT, parse_xml=False)
        from openpyxl.worksheet._read_only import ReadOnlyWorksheet

        # Its stated size is not read (openpyxl would scan a sheet that lacks one, all at once, and stop early
        # at one that understates it): the rows are read as they come, within the budget.
        with patch.object(ReadOnlyWorksheet, "_get_size", ReadOnlyWorksheet.reset_dimensions):
            wb = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (DocumentError, OverBudget):
        raise
    except Exception as e:  # openpyxl raises many kinds on a broken file
        raise DocumentError(f"unreadable .xlsx ({type(e).__name__}: {e})") from None
    size = [0]
    sheets = []
    try:
        archive = wb._archive
        for ws in wb.worksheets:
            name = ws.title
            path = getattr(ws, "_worksheet_path", None)
            try:
                merges = _merges(archive, path) if path else []
                sheets.append("\n".join(_sheet_lines(name, _xlsx_rows(ws, merges), size)))
            except (DocumentError, OverBudget):
                raise
            except Exception as e:
                where = _bad_cell(archive, path) if path else None
                at = f"sheet {name!r}, cell {where[0]}: unreadable value {where[1]!r}" if where \
                    else f"sheet {name!r}: unreadable"
                raise DocumentError(f"{at} ({type(e).__name__}: {e})") from None
    finally:
        wb.close()
    return _join(iter(sheets))


# -- .xls ----------------------------------------------------------------------------------------------------

def xls_text(data: bytes) -> str:
    """The text of an old .xls workbook (xlrd), merged ranges filled."""
    import xlrd

    try:
        book = xlrd.open_workbook(file_contents=data, formatting_info=True, on_demand=True)
    except Exception as e:
        raise DocumentError(f"unreadable .xls ({type(e).__name__}: {e})") from None
    size = [0]
    sheets = []
    try:
        for i in range(book.nsheets):
            sheet = book.sheet_by_index(i)
            try:
                sheets.append("\n".join(_sheet_lines(sheet.name, _xls_rows(book, sheet), size)))
            except (DocumentError, OverBudget):
                raise
            except Exception as e:
                raise DocumentError(f"sheet {sheet.name!r}: unreadable ({type(e).__name__}: {e})") from None
            book.unload_sheet(i)
    finally:
        book.release_resources()
    return _join(iter(sheets))


def _xls_rows(book, sheet) -> Iterator[list[str]]:
    import xlrd

    cover: dict[tuple[int, int], tuple[int, int]] = {}
    for r0, r1, c0, c1 in sheet.merged_cells:
        for r in range(r0, r1):
            for c in range(c0, c1):
                cover[(r, c)] = (r0, c0)
    for r in range(sheet.nrows):
        cells = []
        for c in range(sheet.ncols):
            rr, cc = cover.get((r, c), (r, c))
            cell = sheet.cell(rr, cc)
            if cell.ctype == xlrd.XL_CELL_DATE:
                value: object = xlrd.xldate.xldate_as_datetime(cell.value, book.datemode)
            elif cell.ctype == xlrd.XL_CELL_NUMBER:
                fmt = book.format_map.get(book.xf_list[cell.xf_index].format_key) if book.xf_list else None
                cells.append(number_text(cell.value, percent=bool(fmt and "%" in fmt.format_str)))
                continue
            elif cell.ctype == xlrd.XL_CELL_BOOLEAN:
                value = bool(cell.value)
            elif cell.ctype in (xlrd.XL_CELL_EMPTY, xlrd.XL_CELL_BLANK, xlrd.XL_CELL_ERROR):
                value = None
            else:
                value = cell.value
            cells.append(_cell_text(value))
        yield cells


# -- .csv ----------------------------------------------------------------------------------------------------

def csv_text(data: bytes, name: str) -> str:
    """The text of a .csv file (UTF-8, GBK/GB18030 or UTF-16, as text files), as one sheet called ``name``."""
    text = decode_bytes(data)
    try:
        dialect = csv.Sniffer().sniff(text[:4096], delimiters=",\t;")
    except csv.Error:
        dialect = csv.excel
    try:
        rows = csv.reader(io.StringIO(text), dialect)
        return _join(iter(["\n".join(_sheet_lines(name, ([_cell_text(v) for v in r] for r in rows), [0]))]))
    except csv.Error as e:
        raise DocumentError(f"unreadable .csv ({e})") from None
