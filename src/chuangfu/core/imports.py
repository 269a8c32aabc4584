"""Reading the spreadsheets other government systems export: .xlsx/.xls and .csv, as they come.

``open_table(source, columns)`` checks the file by its content (never its name), finds the
header row among title rows by matching Chinese column names and their synonyms, and yields one
``SourceRow`` per data row with the raw cells of the columns it recognised; blank rows, repeated
header rows and totals rows (合计/总计/小计) are skipped. File-level problems raise
``ImportFileError`` with a Chinese message; the cell parsers below raise ``CellError``, which an
importer turns into a row-level rejection.

The cell parsers accept what real exports contain: full-width characters, dates as
2021-03-05 / 2021/3/5 / 2021年3月5日 / 2021.03.05 / 20210305 / Excel serial numbers / date cells,
counts such as "12人", money such as "100万元", and "长期" or 9999-12-31 for open-ended periods.
"""

import csv
import datetime
import decimal
import functools
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
from openpyxl.utils.datetime import from_excel

from .errors import DomainError

HEADER_SCAN_ROWS = 30
TOTALS_PREFIXES = ("合计", "总计", "小计", "共计")
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
ZIP_MAGIC = b"PK\x03\x04"


class ImportFileError(DomainError):
    """The file as a whole cannot be imported (type, size, encoding, header)."""

    def __init__(self, code: str, message):
        super().__init__(code, message, status=400)


class CellError(ValueError):
    """One cell cannot be read; ``str(error)`` is the Chinese reason shown for the row."""


# --- column matching ---------------------------------------------------------------------------


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


# --- reading the file --------------------------------------------------------------------------


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


# --- cell parsers ---------------------------------------------------------------------------------

# Free text keeps Chinese punctuation (（）：；，) as registered; only full-width letters, digits
# and the ideographic space are folded, so "ＡＢＣ１２３" matches "ABC123" without changing names.
_WIDTH_FOLD = {cp: cp - 0xFEE0 for cp in range(0xFF10, 0xFF1A)}
_WIDTH_FOLD |= {cp: cp - 0xFEE0 for cp in range(0xFF21, 0xFF3B)}
_WIDTH_FOLD |= {cp: cp - 0xFEE0 for cp in range(0xFF41, 0xFF5B)}
_WIDTH_FOLD |= {0x3000: 0x20, 0xFF0D: 0x2D, 0xFF0E: 0x2E, 0xFF0F: 0x2F, 0xFF06: 0x26, 0xFF03: 0x23}
_EMPTY_MARKS = {"", "-", "--", "—", "——", "/", "无", "暂无", "null", "NULL", "None", "N/A", "n/a"}


def text(value) -> str:
    """A cell as clean text: numbers without ``.0``, dates ISO, spaces collapsed, width folded."""
    if value.__class__ is not str:
        if value is None:
            return ""
        if isinstance(value, bool):
            return "是" if value else "否"
        if isinstance(value, float):
            return str(int(value)) if value.is_integer() else repr(value)
        if isinstance(value, datetime.datetime):
            return value.date().isoformat() if value.time() == datetime.time() else value.isoformat(sep=" ")
        if isinstance(value, datetime.date):
            return value.isoformat()
        value = str(value)
    if not value.isascii():
        value = value.translate(_WIDTH_FOLD)
    result = " ".join(value.split())
    # Systems protect long numbers from Excel with ="…", a leading ' or a tab.
    if result[:2] == '="' and result[-1:] == '"':
        result = result[2:-1].strip()
    if result[:1] == "'":
        result = result.lstrip("'").strip()
    return result


def nfkc(value) -> str:
    """Full compatibility folding, for identifiers, numbers and dates (never for names)."""
    result = text(value)
    return result if result.isascii() else unicodedata.normalize("NFKC", result).strip()


def is_empty(value) -> bool:
    return value is None or (isinstance(value, str) and nfkc(value) in _EMPTY_MARKS)


LONG_TERM_WORDS = ("长期", "永久", "无固定期限", "不约定期限", "长期有效")
LONG_TERM_DATE = datetime.date(9999, 12, 31)

_DATE_FULL = re.compile(
    r"^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*[日号]?(?:\s*[T ]?\s*\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?$"
)
_DATE_MONTH = re.compile(r"^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*月?$")
_DATE_COMPACT = re.compile(r"^(\d{4})(\d{2})(\d{2})$")


def parse_date(value, *, open_ended: bool = False, month_precision: bool = False) -> datetime.date | None:
    """A date from any common form; ``None`` for an empty cell.

    ``open_ended``: the cell ends a period, so 长期 / 9999-12-31 mean "no end" and give ``None``.
    ``month_precision``: 2020.07 / 2020年7月 are accepted as the first of that month.
    Impossible dates (2021-02-30) and implausible years raise ``CellError``.
    """
    if isinstance(value, datetime.datetime):
        return _plausible(value.date(), open_ended, value)
    if isinstance(value, datetime.date):
        return _plausible(value, open_ended, value)
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        if 19000101 <= value <= 99991231 and float(value).is_integer():
            return parse_date(str(int(value)), open_ended=open_ended)
        if 1 <= value < 2958466:
            return _plausible(from_excel(value).date(), open_ended, value)
        raise CellError(_("“%(v)s”不是日期。") % {"v": text(value)})
    raw = nfkc(value)
    if raw in _EMPTY_MARKS:
        return None
    if not raw[:1].isdigit() and any(word in raw for word in LONG_TERM_WORDS):
        if open_ended:
            return None
        raise CellError(_("“%(v)s”不是具体日期。") % {"v": raw})
    if re.fullmatch(r"\d{5}(\.\d+)?", raw):  # a serial number that arrived as text
        return parse_date(float(raw), open_ended=open_ended)
    match = _DATE_FULL.match(raw) or _DATE_COMPACT.match(raw)
    if match:
        year, month, day = (int(g) for g in match.groups())
    elif month_precision and (match := _DATE_MONTH.match(raw)):
        year, month, day = int(match.group(1)), int(match.group(2)), 1
    else:
        raise CellError(_("无法识别的日期“%(v)s”：请写成 2021-03-05、2021/3/5 或 2021年3月5日。") % {"v": raw})
    if not 1 <= month <= 12:
        raise CellError(_("日期“%(v)s”不存在：没有 %(m)d 月。") % {"v": raw, "m": month})
    try:
        result = datetime.date(year, month, day)
    except ValueError:
        raise CellError(
            _("日期“%(v)s”不存在：%(y)d 年 %(m)d 月没有 %(d)d 日。") % {"v": raw, "y": year, "m": month, "d": day}
        ) from None
    return _plausible(result, open_ended, raw)


def _plausible(result: datetime.date, open_ended: bool, shown) -> datetime.date | None:
    if result == LONG_TERM_DATE and open_ended:
        return None
    if not 1900 <= result.year <= 2100:
        raise CellError(_("日期“%(v)s”不合理。") % {"v": text(shown)})
    return result


_COUNT = re.compile(r"^(\d+)\s*(?:人|名|位|个|户)?$")


def parse_count(value) -> int | None:
    """A head count such as 12, "12", "12人", "1,200 名"; ``None`` for an empty cell."""
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        if value < 0 or not float(value).is_integer():
            raise CellError(_("人数“%(v)s”应为不小于 0 的整数。") % {"v": text(value)})
        return int(value)
    raw = nfkc(value).replace(",", "")
    if raw in _EMPTY_MARKS:
        return None
    match = _COUNT.match(raw)
    if match is None:
        if re.fullmatch(r"\d+\.0+", raw):
            return int(float(raw))
        raise CellError(_("人数“%(v)s”应为不小于 0 的整数，如 12 或 12人。") % {"v": raw})
    return int(match.group(1))


class ForeignCurrency(CellError):
    """Money in a currency other than 人民币: cannot be stored as 万元 without a rate."""


_MONEY = re.compile(r"^(\d+(?:\.\d+)?)\s*(亿|万|千)?\s*(元)?$")
_CURRENCIES = ("美元", "港元", "港币", "欧元", "日元", "英镑", "澳元", "新台币", "加元", "瑞士法郎")
_MULTIPLIER = {"亿": decimal.Decimal(10000), "万": decimal.Decimal(1), "千": decimal.Decimal("0.1"), None: None}


def parse_wan_yuan(value, *, unit: str = "万元") -> decimal.Decimal | None:
    """An amount in 万元: "100万元", "100万", "100" (in the header's unit), "1.5亿", "1000000元".

    ``unit`` is what the header names for bare numbers ("万元" by default, "元" when the
    column reads 注册资本（元）).
    """
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return _in_wan_yuan(decimal.Decimal(str(value)), None, unit == "元", value)
    raw = nfkc(value).replace(",", "").replace(" ", "")
    if raw in _EMPTY_MARKS:
        return None
    return _wan_yuan_text(raw, unit)


@functools.lru_cache(maxsize=4096)
def _wan_yuan_text(raw: str, unit: str) -> decimal.Decimal:
    for currency in _CURRENCIES:
        if currency in raw:
            raise ForeignCurrency(_("金额“%(v)s”是外币，需换算成人民币万元后才能导入。") % {"v": raw})
    cleaned = re.sub(r"[(（]?人民币[)）]?|RMB|CNY", "", raw, flags=re.IGNORECASE)
    match = _MONEY.match(cleaned)
    if match is None:
        raise CellError(_("金额“%(v)s”无法识别：请写成 100、100万元 或 1.5亿。") % {"v": raw})
    return _in_wan_yuan(decimal.Decimal(match.group(1)), match.group(2), bool(match.group(3)) or unit == "元", raw)


def _in_wan_yuan(amount: decimal.Decimal, suffix: str | None, yuan: bool, shown) -> decimal.Decimal:
    if suffix is not None:
        amount *= _MULTIPLIER[suffix]
    elif yuan:
        amount /= 10000
    amount = amount.quantize(decimal.Decimal("0.01"), rounding=decimal.ROUND_HALF_UP)
    if amount >= decimal.Decimal(10) ** 12:
        raise CellError(_("金额“%(v)s”过大。") % {"v": text(shown)})
    return amount


_TRUE = {"是", "有", "Y", "YES", "TRUE", "1", "√", "✓", "☑", "对"}
_FALSE = {"否", "无", "N", "NO", "FALSE", "0", "×", "✗", "☐", "不是", "没有"}


def parse_bool(value) -> bool | None:
    if isinstance(value, bool):
        return value
    raw = nfkc(value).upper()
    if raw == "":
        return None
    if raw in _TRUE:
        return True
    if raw in _FALSE:
        return False
    raise CellError(_("“%(v)s”应填写“是”或“否”。") % {"v": raw})


class ChoiceMap:
    """Reads free text as one of our choices: the first entry whose keywords occur in the cell.

    ``ChoiceMap([(("有限合伙", "合伙"), "partnership"), …])`` — order entries most specific
    first. Exports repeat a handful of texts, so each distinct text is looked up once.
    """

    def __init__(self, table):
        self.table = tuple((tuple(keywords), choice) for keywords, choice in table)
        self._seen: dict[str, str | None] = {}

    def __call__(self, value) -> str | None:
        raw = nfkc(value)
        if not raw:
            return None
        try:
            return self._seen[raw]
        except KeyError:
            pass
        found = next((choice for keywords, choice in self.table if any(k in raw for k in keywords)), None)
        if len(self._seen) < 10_000:
            self._seen[raw] = found
        return found
