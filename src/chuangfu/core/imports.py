"""Reading the spreadsheets other government systems export: .xlsx/.xls and .csv, as they come.

``open_table(source, columns)`` checks the file by its content (never its name), finds the
header row among title rows by matching Chinese column names and their synonyms, and yields one
``SourceRow`` per data row with the raw cells of the columns it recognised; blank rows, repeated
header rows and totals rows (合计/总计/小计) are skipped. File-level problems raise
``ImportFileError`` with a Chinese message; the cell parsers (``core.cells``) raise ``CellError``,
which an importer turns into a row-level rejection.

The cell parsers accept what real exports contain: full-width characters, dates as
2021-03-05 / 2021/3/5 / 2021年3月5日 / 2021.03.05 / 20210305 / Excel serial numbers / date cells,
counts such as "12人", money such as "100万元", and "长期" or 9999-12-31 for open-ended periods.
"""

import csv
import io
import os
import re
import unicodedata
import zipfile
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import filetype
import python_calamine
from django.conf import settings
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .errors import DomainError

HEADER_SCAN_ROWS = 30


TOTALS_PREFIXES = ("合计", "总计", "小计", "共计")


OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


ZIP_MAGIC = b"PK\x03\x04"


class ImportFileError(DomainError):
    """The file as a whole cannot be imported (type, size, encoding, header)."""

    def __init__(self, code: str, message):
        super().__init__(code, message, status=400)


@dataclass(frozen=True)
class Column:
    """A field an importer reads, with the header texts other systems use for it."""

    key: str
    label: str
    synonyms: tuple[str, ...] = ()
    required: bool = False

    @property
    def names(self) -> tuple[str, ...]:
        return (str(self.label), *self.synonyms)


_BRACKETS = re.compile(r"[(\[【（][^)\]】）]*[)\]】）]")


_BRACKET_CONTENT = re.compile(r"[(\[【（]([^)\]】）]*)[)\]】）]")


_HEADER_NOISE = re.compile(r"[\s*＊★:：_]+")


def header_key(text) -> str:
    """The comparable form of a header cell: width-folded, no spaces, no required-field stars."""
    return _HEADER_NOISE.sub("", unicodedata.normalize("NFKC", str(text or "")))


def _header_unit(text: str) -> str:
    """The unit a header names in brackets, e.g. 注册资本（万元） → 万元."""
    for content in _BRACKET_CONTENT.findall(header_key(text)):
        for unit in ("万元", "元", "人"):
            if content.endswith(unit) or content == unit:
                return unit
    return ""


def _match_header(cells: Sequence, columns: Sequence[Column]) -> dict[str, int]:
    """Map column keys to cell positions for one candidate header row."""
    by_name: dict[str, str] = {}
    for column in columns:
        for name in column.names:
            by_name.setdefault(header_key(name), column.key)
    found: dict[str, int] = {}
    for index, cell in enumerate(cells):
        text = header_key(cell)
        if not text:
            continue
        key = by_name.get(text) or by_name.get(_BRACKETS.sub("", text))
        if key and key not in found:
            found[key] = index
    return found


@dataclass
class SourceRow:
    number: int  # the row number as the spreadsheet program shows it (1-based)
    cells: dict[str, Any]  # column key → raw cell value
    error: str = ""  # a row-level reading problem (e.g. more cells than the header)


@dataclass
class Table:
    file_type: str  # "xlsx", "xls" or "csv"
    sheet: str
    header_row: int
    columns: dict[str, str]  # column key → header text as found in the file
    units: dict[str, str]  # column key → unit named in its header (万元, 元 …)
    ignored_headers: list[str]
    estimated_rows: int
    rows_iter: Iterator[list] = field(repr=False)
    positions: dict[str, int] = field(repr=False)
    header_cells: tuple = field(repr=False)
    first_number: int = field(repr=False)
    skipped: int = 0  # blank, totals and repeated header rows passed over

    def __iter__(self) -> Iterator[SourceRow]:
        width = len(self.header_cells)
        header = tuple(header_key(c) for c in self.header_cells)
        probe = min(self.positions.values())
        positions = list(self.positions.items())
        for number, raw in enumerate(self.rows_iter, start=self.first_number):
            values = [v.strip() if isinstance(v, str) else ("" if v is None else v) for v in raw]
            first = next((v for v in values if v != ""), None)
            if first is None:
                self.skipped += 1
                continue
            if isinstance(first, str) and first[:1] in _TOTALS_INITIALS and _is_totals(first):
                self.skipped += 1
                continue
            if (
                probe < len(values)
                and values[probe] == self.header_cells[probe]
                and tuple(header_key(v) for v in values[:width]) == header
            ):
                self.skipped += 1
                continue
            cells = {key: values[pos] if pos < len(values) else "" for key, pos in positions}
            if all(v == "" for v in cells.values()):
                self.skipped += 1  # a note line below the table, e.g. 填表人：……
                continue
            error = ""
            extra = [v for v in values[width:] if v != ""]
            if self.file_type == "csv" and extra:
                error = _("该行比表头多出 %(n)d 个单元格，可能是内容里有未加引号的逗号。") % {"n": len(extra)}
            yield SourceRow(number=number, cells=cells, error=error)


_TOTALS_INITIALS = {p[0] for p in TOTALS_PREFIXES}


def _is_totals(first_cell: str) -> bool:
    return re.sub(r"\s+", "", first_cell).startswith(TOTALS_PREFIXES)


def open_table(source, columns: Sequence[Column], *, max_bytes: int | None = None) -> Table:
    """Open an uploaded file (a path or a binary file object) and locate its header row.

    Raises ``ImportFileError`` for an empty, oversize, unreadable or wrongly typed file, and for
    a file in which no header naming the required columns can be found.
    """
    data, file_type = check_file(source, max_bytes=max_bytes)
    if file_type == "csv":
        sheets = [("", _csv_rows(data), data.count(b"\n") + 1)]
    else:
        sheets = _workbook_sheets(data, file_type)
    best_partial: tuple[dict, list] | None = None
    for sheet_name, rows, height in sheets:
        head: list[list] = []
        for _index in range(HEADER_SCAN_ROWS):
            try:
                head.append(next(rows))
            except StopIteration:
                break
        for index, cells in enumerate(head):
            positions = _match_header(cells, columns)
            missing = [c for c in columns if c.required and c.key not in positions]
            if len(positions) >= 2 and not missing:
                header_cells = tuple(c.strip() if isinstance(c, str) else c for c in cells)
                return Table(
                    file_type=file_type,
                    sheet=sheet_name,
                    header_row=index + 1,
                    columns={key: str(header_cells[pos]).strip() for key, pos in positions.items()},
                    units={key: u for key, pos in positions.items() if (u := _header_unit(header_cells[pos]))},
                    ignored_headers=[
                        str(c).strip()
                        for i, c in enumerate(header_cells)
                        if str(c).strip() and i not in positions.values()
                    ],
                    estimated_rows=max(height - index - 1, 0),
                    rows_iter=_chain(head[index + 1 :], rows),
                    positions=positions,
                    header_cells=header_cells,
                    first_number=index + 2,
                )
            if len(positions) >= 2 and (best_partial is None or len(positions) > len(best_partial[0])):
                best_partial = (positions, missing)
    if best_partial is not None:
        names = "；".join(
            _("“%(label)s”（也可写作：%(synonyms)s）") % {"label": c.label, "synonyms": "、".join(c.synonyms) or "—"}
            for c in best_partial[1]
        )
        raise ImportFileError("missing_columns", _("表头缺少必需的列：%(names)s。") % {"names": names})
    required = "、".join(f"“{c.label}”" for c in columns if c.required)
    raise ImportFileError(
        "no_header",
        _(
            "没有找到可识别的表头：文件前 %(n)d 行中没有一行包含 %(required)s 等列名。请确认上传的是名录表格，且表头为中文列名。"
        )
        % {"n": HEADER_SCAN_ROWS, "required": required},
    )


def check_file(source, *, max_bytes: int | None = None) -> tuple[bytes, str]:
    """The file's bytes and type, after every check that needs no cell read: size, type by
    content, and for a workbook what it unpacks to and how many rows it has.

    An .xlsx is a zip archive: 674 KB can unpack to 172 MB of XML, which the reader would hold in
    memory. Each member is unpacked here as a stream and counted, never kept, and the file is
    refused past ``IMPORT_MAX_UNPACKED_BYTES`` or ``IMPORT_MAX_ROWS`` rows. Raises ``ImportFileError``.
    """
    limit = settings.MAX_UPLOAD_BYTES if max_bytes is None else max_bytes
    data = _read_limited(source, limit)
    file_type = sniff_file_type(data)
    max_rows = settings.IMPORT_MAX_ROWS
    if file_type == "xlsx":
        rows = _unpacked_rows(data, settings.IMPORT_MAX_UNPACKED_BYTES)
    elif file_type == "csv":
        rows = data.count(b"\n")
    else:  # .xls is not compressed: its size is bounded by the upload limit
        rows = 0
    if rows > max_rows:
        raise ImportFileError(
            "too_many_rows",
            _("文件有 %(n)s 行，超过每次导入 %(max)s 行的上限，请拆分成几个文件后分别导入。")
            % {"n": f"{rows:,}", "max": f"{max_rows:,}"},
        )
    return data, file_type


def _unpacked_rows(data: bytes, limit: int) -> int:
    """Unpack every member of an .xlsx as a stream: refuse past ``limit`` bytes in all; count the
    rows of its worksheets (``<row`` elements)."""
    total = rows = 0
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            for info in archive.infolist():
                sheet = info.filename.startswith("xl/worksheets/") and info.filename.endswith(".xml")
                tail = b""
                with archive.open(info) as member:
                    while chunk := member.read(1 << 20):
                        total += len(chunk)
                        if total > limit:
                            raise ImportFileError(
                                "too_large_unpacked",
                                _(
                                    "文件解压后超过 %(mb)d MB 的上限（多为大量空白格式或隐藏内容），请只保留要导入的内容后另存再上传。"
                                )
                                % {"mb": limit // (1024 * 1024)},
                            )
                        if sheet:
                            rows += (tail + chunk).count(b"<row ") + (tail + chunk).count(b"<row>")
                            tail = chunk[-4:]  # a "<row " cut in two, never one counted twice
    except (zipfile.BadZipFile, zipfile.LargeZipFile, EOFError, ValueError, NotImplementedError, OSError):
        raise ImportFileError(
            "corrupt", _("文件已损坏：看起来是 Excel 表格，但无法打开。请用 Excel 重新另存为 .xlsx 后再上传。")
        ) from None
    return rows


def _chain(head: list[list], rest: Iterator[list]) -> Iterator[list]:
    yield from head
    yield from rest


def _read_limited(source, limit: int) -> bytes:
    if isinstance(source, (str, os.PathLike)):
        path = Path(source)
        if path.stat().st_size > limit:
            raise _too_large(limit)
        data = path.read_bytes()
    else:
        if hasattr(source, "seek"):
            source.seek(0)
        data = source.read(limit + 1)
    if len(data) > limit:
        raise _too_large(limit)
    if not data.strip():
        raise ImportFileError("empty", _("文件是空的，没有可导入的内容。"))
    return data


def _too_large(limit: int) -> ImportFileError:
    size = f"{limit // (1024 * 1024)} MB" if limit >= 1024 * 1024 else f"{limit // 1024} KB"
    return ImportFileError(
        "too_large", _("文件超过 %(size)s 的上限，请拆分成几个较小的文件后分别导入。") % {"size": size}
    )


_KIND_NAMES = {
    "image": gettext_lazy("图片"),
    "video": gettext_lazy("视频"),
    "audio": gettext_lazy("音频"),
    "archive": gettext_lazy("压缩包"),
    "font": gettext_lazy("字体文件"),
}


def sniff_file_type(data: bytes) -> str:
    """``"xlsx"``, ``"xls"`` or ``"csv"`` judged from the bytes; anything else is refused."""
    if data.startswith(ZIP_MAGIC):
        try:
            names = set(zipfile.ZipFile(io.BytesIO(data)).namelist())
        except zipfile.BadZipFile:
            raise ImportFileError(
                "corrupt", _("文件已损坏：看起来是 Excel 表格，但无法打开。请用 Excel 重新另存为 .xlsx 后再上传。")
            ) from None
        if "xl/workbook.xml" in names:
            return "xlsx"
        if "word/document.xml" in names:
            raise ImportFileError("wrong_type", _("这是 Word 文档，不是表格。请上传 Excel 表格（.xlsx）或 CSV 文件。"))
        raise ImportFileError(
            "wrong_type", _("这是一个压缩包，不是 Excel 表格。请上传 Excel 表格（.xlsx）或 CSV 文件。")
        )
    if data.startswith(OLE_MAGIC):
        return "xls"
    kind = filetype.guess(data[:8192])
    if kind is not None:
        what = _KIND_NAMES.get(kind.mime.split("/")[0], gettext_lazy("文件"))
        raise ImportFileError(
            "wrong_type",
            _("文件内容是 %(ext)s %(what)s，不是表格。请上传 Excel 表格（.xlsx）或 CSV 文件。")
            % {"ext": kind.extension.upper(), "what": what},
        )
    if _decode(data) is None:
        raise ImportFileError(
            "wrong_type", _("无法识别的文件：既不是 Excel 表格，也不是 UTF-8 或 GBK 编码的 CSV 文本。")
        )
    return "csv"


def _decode(data: bytes) -> str | None:
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        candidates = ["utf-16"]
    elif data.startswith(b"\xef\xbb\xbf"):
        candidates = ["utf-8-sig"]
    else:
        candidates = ["utf-8", "gb18030"]
    for encoding in candidates:
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        controls = sum(1 for ch in text[:20000] if unicodedata.category(ch) == "Cc" and ch not in "\t\r\n")
        if "\x00" in text or controls > max(2, len(text[:20000]) // 1000):
            return None
        return text
    return None


def _csv_rows(data: bytes) -> Iterator[list]:
    text = _decode(data)
    sample = text[:20000]
    try:
        delimiter = csv.Sniffer().sniff(sample, delimiters=",\t;|").delimiter
    except csv.Error:
        delimiter = "\t" if sample.count("\t") > sample.count(",") else ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
    try:
        yield from reader
    except csv.Error as exc:
        raise ImportFileError(
            "malformed_csv",
            _("CSV 文件格式错误（第 %(line)d 行附近）：%(reason)s。常见原因是引号没有成对出现。")
            % {"line": reader.line_num, "reason": _csv_reason(str(exc))},
        ) from None


def _csv_reason(message: str) -> str:
    if "EOF" in message or "end of data" in message:
        return _("文件在引号内意外结束")
    if "expected" in message and "after" in message:
        return _("引号后面紧跟了其他字符")
    return message


def _workbook_sheets(data: bytes, file_type: str):
    try:
        workbook = python_calamine.CalamineWorkbook.from_filelike(io.BytesIO(data))
    except python_calamine.PasswordError:
        raise ImportFileError("encrypted", _("文件设置了打开密码，请取消密码保护后再上传。")) from None
    except python_calamine.CalamineError:
        if file_type == "xls":
            raise ImportFileError(
                "corrupt", _("无法读取这个文件：它不是可读取的 Excel 表格（.xls）。请用 Excel 另存为 .xlsx 后再上传。")
            ) from None
        raise ImportFileError(
            "corrupt", _("文件已损坏，无法作为 Excel 表格打开。请用 Excel 重新另存为 .xlsx 后再上传。")
        ) from None
    for meta in workbook.sheets_metadata:
        if (
            meta.typ != python_calamine.SheetTypeEnum.WorkSheet
            or meta.visible != python_calamine.SheetVisibleEnum.Visible
        ):
            continue
        try:
            sheet = workbook.get_sheet_by_name(meta.name)
        except python_calamine.CalamineError:
            raise ImportFileError("corrupt", _("工作表“%(name)s”已损坏，无法读取。") % {"name": meta.name}) from None
        yield meta.name, iter(sheet.iter_rows()), sheet.height
