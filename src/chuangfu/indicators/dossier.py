"""The town's assessment dossier: a .docx laid out as an official document (GB/T 9704 conventions)
and an .xlsx annex listing the records behind every figure.

Layout: A4 with the standard margins (top 37 mm, bottom 35 mm, left 28 mm, right 26 mm); the issuing
office's name in red above a red rule; the 文号 line (唐创办〔YYYY〕 号, the number left for the
registry to fill); the title in 2号 小标宋; body in 3号 仿宋_GB2312; first-level headings in 黑体
(一、), second-level in 楷体 (（一）); page numbers centred in the footer as “— N —”. The CJK fonts
are named (LibreOffice and WPS substitute installed equivalents; Word uses them where present).
"""

import io

from django.utils import timezone
from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt, RGBColor

from chuangfu.core.exporters import Column, ListExporter

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


class AnnexExporter(ListExporter):
    title = "数据明细"
    columns = [
        Column("指标", "indicator", 24),
        Column("分子/分母", "part", 10),
        Column("数据源", "source", 28),
        Column("记录编号", "pk", 10),
        Column("记录", "record", 60),
        Column("计入分子", "in_numerator", 10),
    ]


def _records(rows):
    """``(pk, label)`` of each record. A model that names the one column its label is
    (``annex_label``, e.g. a ticket's number) is read as two columns: building a million model rows
    (and decrypting their personal columns) only to print a number took minutes."""
    label = getattr(rows.model, "annex_label", None)
    if label:
        return rows.values_list("pk", label).iterator(chunk_size=5000)
    return ((record.pk, str(record)) for record in rows.iterator(chunk_size=2000))


def annex_rows(town, year: int):
    """Every record behind every figure that can drill down (one row per record, no personal identifiers).

    A rate whose numerator's records are among its denominator's (按时办结 among 办结) lists the
    denominator's records once, each marked whether it counts in the numerator too, rather than
    listing the numerator's again; any numerator record outside the denominator is listed after."""
    for item in selectors.year_report(town, year):
        indicator = item["indicator"]
        num = selectors.drill_rows(indicator, town, year, "num")
        den = selectors.drill_rows(indicator, town, year, "den")
        base = {"indicator": indicator.name}
        if num is not None and den is not None and num.model is den.model:
            counted = set(num.values_list("pk", flat=True).iterator(chunk_size=5000))
            seen = set()
            for pk, label in _records(den):
                seen.add(pk)
                yield {**base, "part": "分母", "source": indicator.denominator, "pk": pk, "record": label,
                       "in_numerator": "是" if pk in counted else "否"}  # fmt: skip
            if counted - seen:
                for pk, label in _records(num.filter(pk__in=counted - seen)):
                    yield {**base, "part": "分子", "source": indicator.numerator, "pk": pk, "record": label,
                           "in_numerator": "是"}  # fmt: skip
            continue
        for part, rows, expression in (("分子", num, indicator.numerator), ("分母", den, indicator.denominator)):
            if rows is None:
                continue
            for pk, label in _records(rows):
                yield {**base, "part": part, "source": expression, "pk": pk, "record": label,
                       "in_numerator": "是" if part == "分子" else ""}  # fmt: skip


def build_annex(town, year: int) -> bytes:
    buffer = io.BytesIO()
    AnnexExporter().write(annex_rows(town, year), buffer)
    return buffer.getvalue()
