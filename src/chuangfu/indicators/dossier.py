"""The town's assessment dossier: a .docx laid out as an official document (GB/T 9704 conventions)
and an .xlsx annex listing the records behind every figure.

Layout: A4 with the standard margins (top 37 mm, bottom 35 mm, left 28 mm, right 26 mm); the issuing
office's name in red above a red rule; the 文号 line (唐创办〔YYYY〕 号, the number left for the
registry to fill); the title in 2号 小标宋; body in 3号 仿宋_GB2312; first-level headings in 黑体
(一、), second-level in 楷体 (（一）); page numbers centred in the footer as “— N —”. The CJK fonts
are named (LibreOffice and WPS substitute installed equivalents; Word uses them where present).
"""

import io
import os
import tempfile
from operator import itemgetter
from pathlib import Path

from django.utils import timezone
from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt, RGBColor
from rustpy_xlsxwriter import FastExcel

from . import selectors
from .models import QUALITATIVE, Category

RED = RGBColor(0xC0, 0x00, 0x00)
TITLE_FONT, BODY_FONT, HEADING_FONT, SUBHEADING_FONT = "方正小标宋简体", "仿宋_GB2312", "黑体", "楷体_GB2312"
SIZE = {"二号": Pt(22), "三号": Pt(16), "四号": Pt(14), "小四": Pt(12)}
NUMERALS = "一二三四五六七八九十"
STATUS = {"met": "达到目标", "near": "接近目标", "behind": "未达目标", "": "—"}


def _font(run, name: str, size, bold=False, color=None):
    run.font.name = name
    run.font.size = size
    run.font.bold = bold
    if color is not None:
        run.font.color.rgb = color
    rpr = run._element.get_or_add_rPr()
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        rpr.append(fonts)
    for attr in ("w:eastAsia", "w:ascii", "w:hAnsi"):
        fonts.set(qn(attr), name)


def _para(doc, text: str, font=BODY_FONT, size="三号", align=None, bold=False, color=None, indent=True):
    p = doc.add_paragraph()
    if align is not None:
        p.alignment = align
    if indent and align is None:
        p.paragraph_format.first_line_indent = Pt(32)
    p.paragraph_format.line_spacing = Pt(28)
    _font(p.add_run(text), font, SIZE[size], bold=bold, color=color)
    return p


def _page_number_footer(section):
    p = section.footer.paragraphs[0]
    p.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _font(p.add_run("— "), "宋体", SIZE["四号"])
    run = p.add_run()
    _font(run, "宋体", SIZE["四号"])
    for tag, text in (("begin", None), (None, " PAGE "), ("end", None)):
        if tag:
            element = OxmlElement("w:fldChar")
            element.set(qn("w:fldCharType"), tag)
        else:
            element = OxmlElement("w:instrText")
            element.set(qn("xml:space"), "preserve")
            element.text = text
        run._element.append(element)
    _font(p.add_run(" —"), "宋体", SIZE["四号"])


def _red_rule(doc):
    p = doc.add_paragraph()
    border = OxmlElement("w:pBdr")
    bottom = OxmlElement("w:bottom")
    for key, value in (("w:val", "single"), ("w:sz", "12"), ("w:space", "1"), ("w:color", "C00000")):
        bottom.set(qn(key), value)
    border.append(bottom)
    p._element.get_or_add_pPr().append(border)


def _table(doc, header: list[str], rows: list[list[str]]):
    table = doc.add_table(rows=1, cols=len(header))
    table.style = "Table Grid"
    for cell, text in zip(table.rows[0].cells, header):
        cell.text = ""
        _font(cell.paragraphs[0].add_run(text), HEADING_FONT, SIZE["小四"])
    for row in rows:
        cells = table.add_row().cells
        for cell, text in zip(cells, row):
            cell.text = ""
            _font(cell.paragraphs[0].add_run(str(text)), BODY_FONT, SIZE["小四"])
    return table


def build_docx(town, year: int) -> bytes:
    report = selectors.year_report(town, year)
    packs = {p["dimension"]: p for p in selectors.evidence_packs(town, year)}
    doc = Document()
    section = doc.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin, section.bottom_margin = Mm(37), Mm(35)
    section.left_margin, section.right_margin = Mm(28), Mm(26)
    _page_number_footer(section)

    _para(
        doc,
        f"{town.name}特色创业型社区创建工作领导小组办公室",
        TITLE_FONT,
        "二号",
        WD_ALIGN_PARAGRAPH.CENTER,
        color=RED,
    )
    _para(doc, f"唐创办〔{year}〕  号", BODY_FONT, "三号", WD_ALIGN_PARAGRAPH.CENTER)
    _red_rule(doc)
    _para(doc, f"{town.name}{year}年度特色创业型社区创建评估自评报告", TITLE_FONT, "二号", WD_ALIGN_PARAGRAPH.CENTER)
    _para(
        doc,
        f"根据特色创业型社区创建评估指标体系，现将{town.name}{year}年度创建工作情况报告如下。"
        f"文中各项数据均由创服平台依据业务记录于{timezone.localtime():%Y年%m月%d日}计算生成，"
        "每项数据所依据的记录见附件《数据明细》。",
    )

    quantitative = [item for item in report if not item["qualitative"]]
    heading = 0

    def h1(text):
        nonlocal heading
        _para(doc, f"{NUMERALS[heading]}、{text}", HEADING_FONT, "三号", indent=True)
        heading += 1

    h1("定量指标")
    for n, item in enumerate(quantitative):
        _para(doc, f"（{NUMERALS[n % 10]}）{item['name']}", SUBHEADING_FONT, "三号")
        value = item["value"] if item["value"] is not None else "暂无数据"
        unit = item["unit"] or ""
        _para(doc, f"{item['category_label']}。本年度数值：{value}{unit if item['value'] is not None else ''}；"
                   f"目标值：{item['target'] or '未设定'}{unit if item['target'] else ''}；"
                   f"完成情况：{STATUS[item['status']]}。")  # fmt: skip
        method = item["numerator"] + (f" ÷ {item['denominator']}" if item["denominator"] else "")
        _para(doc, f"计算方法：{item['definition']}（表达式：{method}）。")
        if item["series"]:
            _table(
                doc,
                ["统计周期", f"数值{('（' + unit + '）') if unit else ''}"],
                [[p, v if v is not None else "暂无数据"] for p, v in item["series"]],
            )

    h1("定性指标")
    for n, dimension in enumerate(QUALITATIVE):
        label = str(Category(dimension).label).split("：")[-1]
        _para(doc, f"（{NUMERALS[n]}）{label}", SUBHEADING_FONT, "三号")
        for item in (i for i in report if i["category"] == dimension):
            value = item["value"] if item["value"] is not None else "暂无数据"
            _para(
                doc,
                f"{item['name']}：{value}{item['unit'] if item['value'] is not None else ''}（目标值：{item['target'] or '未设定'}）。",
            )
        pack = packs[dimension]
        assessment = (
            pack["pack"].self_assessment if pack["pack"] and pack["pack"].self_assessment else "（尚未填写自评说明）"
        )
        _para(doc, f"自评说明：{assessment}")
        items = pack["items"]
        documents = list(pack["pack"].documents.all()) if pack["pack"] else []
        _para(doc, f"佐证材料索引：平台记录 {len(items)} 项，上传文件 {len(documents)} 份。")
        if items:
            _table(
                doc,
                ["序号", "日期", "事项", "类别"],
                [[i + 1, f"{d:%Y-%m-%d}", t, k] for i, (d, t, k) in enumerate(items[:50])],
            )
        for i, document in enumerate(documents, start=1):
            _para(doc, f"附件材料{i}：{document.title}")

    _para(doc, "附件：数据明细（电子表格）", BODY_FONT, "三号")
    _para(doc, f"{town.name}特色创业型社区创建工作领导小组办公室", BODY_FONT, "三号", WD_ALIGN_PARAGRAPH.RIGHT)
    _para(doc, f"{timezone.localdate():%Y年%m月%d日}", BODY_FONT, "三号", WD_ALIGN_PARAGRAPH.RIGHT)
    buffer = io.BytesIO()
    doc.save(buffer)
    return buffer.getvalue()


# --- the annex ------------------------------------------------------------------------------------
# A first sheet 说明 lists every indicator with its method and figures and names the sheet that lists
# its records; each indicator that drills down has a sheet of its own, one row per record.
INDEX_SHEET = "说明"
INDEX_HEADERS = ["指标编号", "指标", "类别", "分子", "分母", "分子值", "分母值", "指标值", "明细工作表"]
INDEX_WIDTHS = [12, 24, 12, 30, 30, 10, 10, 10, 24]
RECORD_HEADERS = ["分子/分母", "记录编号", "记录", "计入分子"]
RECORD_WIDTHS = [10, 12, 60, 10]
NUM, DEN, YES, NO = "分子", "分母", "是", "否"
_SHEET_FORBIDDEN = str.maketrans(dict.fromkeys("[]:*?/\\'", "_"))


def _chunks(queryset, *fields):
    """The ``fields`` of every row of ``queryset``, as lists of tuples, through a chunked (on
    PostgreSQL server-side) cursor: the annex's hundreds of thousands of rows skip the ORM's per-row
    work, and each row passes through one generator only (``_rate_records``, ``_side_records``)."""
    from django.db import connections

    sql, params = queryset.values_list(*fields).order_by().query.sql_with_params()
    with connections[queryset.db].chunked_cursor() as cursor:
        cursor.execute(sql, params)
        while chunk := cursor.fetchmany(5000):
            yield chunk


def _record_chunks(rows):
    """``(pk, label)`` of each record, in chunks. A model that names the columns its label is made of
    (``annex_label``: a ticket's number; a grant's policy, day and voucher) is read as plain columns,
    joined with " · ": building a million model rows (and decrypting their personal columns) only to
    print a number took minutes."""
    label = getattr(rows.model, "annex_label", None)
    if label and len(label) == 1:
        yield from _chunks(rows, "pk", label[0])
        return
    if label:
        for chunk in _chunks(rows, "pk", *label):
            yield [(row[0], " · ".join(str(part) for part in row[1:] if part not in (None, ""))) for row in chunk]
        return
    chunk = []
    for record in rows.iterator(chunk_size=2000):
        chunk.append((record.pk, str(record)))
        if len(chunk) == 2000:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def _row(part, pk, label, counted) -> dict:
    return {"分子/分母": part, "记录编号": pk, "记录": label, "计入分子": counted}


def _indicator_records(indicator, town, year: int, tally: list[int]):
    """One row (a dict keyed by ``RECORD_HEADERS``) per record behind ``indicator``'s year, or None
    when neither side drills down; ``tally[0]`` counts them as they are read.

    A rate whose numerator's records are among its denominator's (按时办结 among 办结) lists the
    denominator's records once, each marked whether it counts in the numerator too, rather than
    listing the numerator's again; any numerator record outside the denominator is listed after."""
    num = selectors.drill_rows(indicator, town, year, "num")
    den = selectors.drill_rows(indicator, town, year, "den")
    if num is None and den is None:
        return None
    if num is not None and den is not None and num.model is den.model:
        return _rate_records(num, den, tally)
    return _side_records(num, den, tally)


# A sheet's header is its first row's keys: a sheet with no record says so in one row.
NOTHING = {"分子/分母": "", "记录编号": "", "记录": "本年度没有记录", "计入分子": ""}


def _rate_records(num, den, tally):
    before = tally[0]
    counted, seen = set(), set()
    for chunk in _chunks(num, "pk"):
        counted.update(map(itemgetter(0), chunk))
    for chunk in _record_chunks(den):
        tally[0] += len(chunk)
        seen.update(map(itemgetter(0), chunk))
        for pk, label in chunk:
            yield {"分子/分母": DEN, "记录编号": pk, "记录": label, "计入分子": YES if pk in counted else NO}
    if outside := counted - seen:
        for chunk in _record_chunks(num.filter(pk__in=outside)):
            tally[0] += len(chunk)
            for pk, label in chunk:
                yield _row(NUM, pk, label, YES)
    if tally[0] == before:
        yield NOTHING


def _side_records(num, den, tally):
    before = tally[0]
    for part, rows in ((NUM, num), (DEN, den)):
        if rows is not None:
            for chunk in _record_chunks(rows):
                tally[0] += len(chunk)
                for pk, label in chunk:
                    yield _row(part, pk, label, YES if part == NUM else "")
    if tally[0] == before:
        yield NOTHING


def annex_rows(town, year: int):
    """Every record behind every figure that can drill down, one dict per record (no personal
    identifiers): what the annex's sheets list, indicator by indicator."""
    for item in selectors.year_report(town, year):
        indicator = item["indicator"]
        for row in _indicator_records(indicator, town, year, [0]) or ():
            if row is NOTHING:
                continue
            part = row["分子/分母"]
            yield {"indicator": indicator.name, "part": part,
                   "source": indicator.numerator if part == NUM else indicator.denominator,
                   "pk": row["记录编号"], "record": row["记录"], "in_numerator": row["计入分子"]}  # fmt: skip


def _number(formatted: str | None, missing: str = ""):
    """A figure as a number cell (``year_report`` formats them as text), or ``missing``."""
    return missing if formatted is None else float(formatted)


def _sheet_name(indicator, taken: set[str]) -> str:
    """A sheet name Excel accepts (≤ 31 characters, none of ``[]:*?/\\``), unique in the book."""
    base = f"{indicator.code} {indicator.name}".translate(_SHEET_FORBIDDEN).strip("'")[:31]
    name, n = base, 1
    while name.casefold() in taken:
        n += 1
        name = f"{base[: 31 - len(str(n)) - 1]}~{n}"
    taken.add(name.casefold())
    return name


def write_annex(town, year: int, target: str | os.PathLike) -> int:
    """Write the annex of ``town``'s ``year`` to the path ``target``; returns the number of records it lists.

    A town's year lists hundreds of thousands of records (433,452 at a million tickets), so the book is
    written by rust_xlsxwriter (through ``rustpy_xlsxwriter``), streaming each sheet to the file,
    about eight times faster than openpyxl's write-only mode (decision 43). It writes every ``str``
    as a string cell, never a formula, so a label such as ``=HYPERLINK(…)`` stays text (as
    ``core.exporters`` ensures for openpyxl)."""
    tally = [0]
    book = FastExcel(os.fspath(target)).format(bold_headers=True).freeze(row=1)
    index, taken = [], {INDEX_SHEET.casefold()}
    sheets = []
    for item in selectors.year_report(town, year):
        indicator = item["indicator"]
        records = _indicator_records(indicator, town, year, tally)
        name = _sheet_name(indicator, taken) if records is not None else ""
        index.append(dict(zip(INDEX_HEADERS, [
            indicator.code, indicator.name, item["category_label"], indicator.numerator, indicator.denominator,
            _number(item["num"]), _number(item["den"]), _number(item["value"], "无数据"), name or "（不可下钻）",
        ])))  # fmt: skip
        if records is not None:
            sheets.append((name, records))
    if not index:
        index.append(dict.fromkeys(INDEX_HEADERS, "") | {INDEX_HEADERS[1]: "本年度没有适用的指标体系"})
    book.sheet(INDEX_SHEET, index, column_widths=INDEX_WIDTHS)
    for name, records in sheets:
        book.sheet(name, records, column_widths=RECORD_WIDTHS)
    book.save()
    return tally[0]


def build_annex(town, year: int) -> bytes:
    with tempfile.TemporaryDirectory(prefix="annex-") as tmp:
        target = Path(tmp) / "annex.xlsx"
        write_annex(town, year, target)
        return target.read_bytes()
