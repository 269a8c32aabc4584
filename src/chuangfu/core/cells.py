"""Reading one cell of another system's spreadsheet: text with full-width forms folded, dates in
the many ways people write them (and 长期 for no end), counts, amounts in 万元 (and foreign
currencies refused), yes/no, and codes mapped from the labels people use."""

import datetime
import decimal
import functools
import re
import unicodedata

from django.utils.translation import gettext as _
from openpyxl.utils.datetime import from_excel


class CellError(ValueError):
    """One cell cannot be read; ``str(error)`` is the Chinese reason shown for the row."""


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
