import datetime
import decimal
import io
import zipfile

import pytest
from hypothesis import given
from hypothesis import strategies as st
from openpyxl import Workbook

from chuangfu.core.cells import (
    CellError,
    ChoiceMap,
    ForeignCurrency,
    parse_bool,
    parse_count,
    parse_date,
    parse_wan_yuan,
    text,
)
from chuangfu.core.imports import Column, ImportFileError, open_table

COLUMNS = [
    Column("uscc", "统一社会信用代码", ("信用代码", "社会信用代码"), required=True),
    Column("name", "企业名称", ("单位名称", "名称"), required=True),
    Column("legal_rep", "法定代表人", ("法人", "负责人")),
    Column("founded_on", "成立日期", ("注册日期",)),
    Column("capital", "注册资本", ("注册资金",)),
    Column("employees", "参保人数", ("从业人数",)),
]


def xlsx_bytes(rows) -> bytes:
    wb = Workbook()
    ws = wb.active
    for row in rows:
        ws.append(row)
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def read_all(data: bytes, columns=COLUMNS):
    table = open_table(io.BytesIO(data), columns)
    return table, list(table)


# --- finding the header and the data rows ---------------------------------------------------------


def test_title_rows_above_the_header_and_totals_rows_below_are_skipped():
    data = xlsx_bytes(
        [
            ["唐镇企业名录（2024 年 6 月）"],
            ["制表单位：唐镇经济发展办公室", None, None, "单位：万元"],
            [],
            ["序号", "统一社会信用代码", "企业名称", "法定代表人", "成立日期"],
            [1, "91310115MA1K4AAA1X", "上海甲科技有限公司", "张三", datetime.date(2021, 3, 5)],
            [2, "91310115MA1K4AAA2X", "上海乙科技有限公司", "李四", "2021/3/5"],
            ["合  计", None, "2 户"],
            ["总计：2"],
        ]
    )
    table, rows = read_all(data)
    assert table.header_row == 4
    assert [r.number for r in rows] == [5, 6]
    assert rows[0].cells["name"] == "上海甲科技有限公司"
    assert rows[1].cells["founded_on"] == "2021/3/5"
    assert table.skipped == 2
    assert table.ignored_headers == ["序号"]


def test_headers_match_by_synonym_ignoring_spaces_stars_width_and_units():
    data = xlsx_bytes(
        [
            ["*社会信用代码", "单位 名称", "法人", "注册日期", "注册资金（元）", "从业人数（人）"],
            ["91310115MA1K4AAA1X", "上海甲科技有限公司", "张三", "2021-03-05", 1000000, "12人"],
        ]
    )
    table, rows = read_all(data)
    assert set(table.columns) == {"uscc", "name", "legal_rep", "founded_on", "capital", "employees"}
    assert table.units == {"capital": "元", "employees": "人"}
    assert parse_wan_yuan(rows[0].cells["capital"], unit=table.units["capital"]) == decimal.Decimal("100.00")


def test_a_header_repeated_on_every_printed_page_is_not_read_as_data():
    header = ["统一社会信用代码", "企业名称"]
    data = xlsx_bytes([header, ["91310115MA1K4AAA1X", "甲"], header, ["91310115MA1K4AAA2X", "乙"]])
    _table, rows = read_all(data)
    assert [r.cells["name"] for r in rows] == ["甲", "乙"]


def test_note_lines_below_the_table_are_skipped():
    data = xlsx_bytes(
        [["统一社会信用代码", "企业名称", "备注"], ["91310115MA1K4AAA1X", "甲", ""], [None, None, "填表人：王五"]]
    )
    table, rows = read_all(data)
    assert len(rows) == 1 and table.skipped == 1


def test_the_first_sheet_with_a_recognisable_header_is_used():
    wb = Workbook()
    wb.active.title = "说明"
    wb.active.append(["本表由区市场监管局导出"])
    ws = wb.create_sheet("企业")
    ws.append(["统一社会信用代码", "企业名称"])
    ws.append(["91310115MA1K4AAA1X", "甲"])
    buffer = io.BytesIO()
    wb.save(buffer)
    table, rows = read_all(buffer.getvalue())
    assert table.sheet == "企业" and len(rows) == 1


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gb18030"])
def test_csv_is_read_in_utf8_with_or_without_bom_and_in_gbk(encoding):
    content = (
        "企业名录\n统一社会信用代码,企业名称,法定代表人\n91310115MA1K4AAA1X,上海甲科技有限公司（浦东）,张三\n合计,1,\n"
    )
    table, rows = read_all(content.encode(encoding))
    assert table.file_type == "csv"
    assert [r.cells["name"] for r in rows] == ["上海甲科技有限公司（浦东）"]


def test_tab_separated_utf16_text_as_excel_saves_unicode_text_is_read():
    content = "统一社会信用代码\t企业名称\r\n91310115MA1K4AAA1X\t甲公司\r\n"
    _table, rows = read_all(content.encode("utf-16"))
    assert rows[0].cells == {"uscc": "91310115MA1K4AAA1X", "name": "甲公司"}


def test_a_csv_row_with_more_cells_than_the_header_is_flagged():
    content = "统一社会信用代码,企业名称\n91310115MA1K4AAA1X,上海甲,科技有限公司\n"
    _table, rows = read_all(content.encode())
    assert "多出 1 个单元格" in rows[0].error


# --- files that cannot be imported --------------------------------------------------------------

PNG = bytes.fromhex("89504e470d0a1a0a0000000d4948445200000001000000010806000000") + b"\x00" * 64


@pytest.mark.parametrize(
    ("data", "code", "words"),
    [
        (b"", "empty", "空的"),
        (b"   \n\n", "empty", "空的"),
        (PNG, "wrong_type", "PNG 图片"),
        (b"%PDF-1.7\n" + b"\x00\x01" * 200, "wrong_type", "PDF"),
        (bytes(range(256)) * 40, "wrong_type", "无法识别的文件"),
        (b"PK\x03\x04 this is not a real zip", "corrupt", "已损坏"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 600, "corrupt", ".xls"),
        ("随便写的一段话，\n没有表头。\n".encode(), "no_header", "没有找到可识别的表头"),
        ('统一社会信用代码,企业名称\n91310115MA1K4AAA1X,"上海甲\n'.encode(), "malformed_csv", "引号"),
    ],
)
def test_files_that_are_not_importable_get_a_chinese_reason(data, code, words):
    with pytest.raises(ImportFileError) as caught:
        list(open_table(io.BytesIO(data), COLUMNS))
    assert caught.value.code == code
    assert words in str(caught.value.message)


def test_a_png_renamed_to_xlsx_is_refused_by_its_content(tmp_path):
    path = tmp_path / "名录.xlsx"
    path.write_bytes(PNG)
    with pytest.raises(ImportFileError, match="PNG 图片"):
        open_table(path, COLUMNS)


def test_a_word_document_is_refused_as_not_a_table():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as zf:
        zf.writestr("word/document.xml", "<w:document/>")
        zf.writestr("[Content_Types].xml", "<Types/>")
    with pytest.raises(ImportFileError, match="Word 文档"):
        open_table(io.BytesIO(buffer.getvalue()), COLUMNS)


def test_files_over_the_upload_limit_are_refused_before_reading(settings, tmp_path):
    settings.MAX_UPLOAD_BYTES = 1024
    path = tmp_path / "big.csv"
    path.write_bytes(("统一社会信用代码,企业名称\n" + "91310115MA1K4AAA1X,甲\n" * 100).encode())
    with pytest.raises(ImportFileError, match="超过 1 KB") as caught:
        open_table(path, COLUMNS)
    assert caught.value.code == "too_large"
    with pytest.raises(ImportFileError, match="拆分"):
        open_table(io.BytesIO(path.read_bytes()), COLUMNS)


def test_the_default_upload_limit_is_20_mb(settings):
    assert settings.MAX_UPLOAD_BYTES == 20 * 1024 * 1024
    data = b"\xef\xbb\xbf" + b"a" * (settings.MAX_UPLOAD_BYTES + 1)
    with pytest.raises(ImportFileError, match="20 MB"):
        open_table(io.BytesIO(data), COLUMNS)


def test_a_header_missing_a_required_column_names_it_and_its_synonyms():
    data = xlsx_bytes([["企业名称", "法定代表人", "成立日期"], ["甲", "张三", "2021-03-05"]])
    with pytest.raises(ImportFileError) as caught:
        open_table(io.BytesIO(data), COLUMNS)
    assert caught.value.code == "missing_columns"
    assert "统一社会信用代码" in str(caught.value.message) and "信用代码" in str(caught.value.message)


# --- cell parsers -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "value",
    [
        "2021-03-05",
        "2021/3/5",
        "2021年3月5日",
        "2021年03月05号",
        "2021.03.05",
        "20210305",
        20210305,
        "２０２１－０３－０５",
        "2021-03-05 00:00:00",
        "2021/03/05 08:30",
        44260,
        44260.0,
        "44260",
        datetime.date(2021, 3, 5),
        datetime.datetime(2021, 3, 5, 0, 0),
    ],
)
def test_dates_in_every_common_form_are_read(value):
    assert parse_date(value) == datetime.date(2021, 3, 5)


@pytest.mark.parametrize(
    ("value", "words"),
    [
        ("2021-02-30", "2021 年 2 月没有 30 日"),
        ("2023-02-29", "没有 29 日"),
        ("2021-13-01", "没有 13 月"),
        ("20211301", "没有 13 月"),
        ("2021年", "无法识别的日期"),
        ("去年三月", "无法识别的日期"),
        ("1850-01-01", "不合理"),
        ("9999-12-31", "不合理"),
        ("长期", "不是具体日期"),
    ],
)
def test_impossible_or_unreadable_dates_are_errors_naming_the_problem(value, words):
    with pytest.raises(CellError, match=words):
        parse_date(value)


def test_open_ended_periods_read_long_term_and_9999_12_31_as_no_end():
    for value in ("长期", "永久", "无固定期限", "9999-12-31", "9999年12月31日", datetime.date(9999, 12, 31)):
        assert parse_date(value, open_ended=True) is None
    assert parse_date("2041-03-04", open_ended=True) == datetime.date(2041, 3, 4)


def test_month_only_dates_are_the_first_of_the_month_where_allowed():
    assert parse_date("2020.07", month_precision=True) == datetime.date(2020, 7, 1)
    assert parse_date("2020年7月", month_precision=True) == datetime.date(2020, 7, 1)
    with pytest.raises(CellError):
        parse_date("2020.07")


def test_empty_cells_are_none_not_errors():
    for value in ("", None, "-", "—", "无", "  "):
        assert parse_date(value) is None
        assert parse_count(value) is None
        assert parse_wan_yuan(value) is None


@given(
    st.dates(min_value=datetime.date(1900, 3, 1), max_value=datetime.date(2100, 12, 31)),
    st.sampled_from(
        ["{d:%Y-%m-%d}", "{d.year}/{d.month}/{d.day}", "{d.year}年{d.month}月{d.day}日", "{d:%Y.%m.%d}", "{d:%Y%m%d}"]
    ),
)
def test_every_written_form_of_a_date_reads_back_as_that_date(day, form):
    assert parse_date(form.format(d=day)) == day


@pytest.mark.parametrize(
    ("value", "expected"), [("12人", 12), ("１２人", 12), (12, 12), (12.0, 12), ("1,200名", 1200), ("0", 0)]
)
def test_head_counts_with_units_are_read_as_numbers(value, expected):
    assert parse_count(value) == expected


@pytest.mark.parametrize("value", ["十二人", "-3", 12.5, "约12人"])
def test_unreadable_head_counts_are_errors(value):
    with pytest.raises(CellError, match="整数"):
        parse_count(value)


@pytest.mark.parametrize(
    ("value", "unit", "expected"),
    [
        ("100万元", "万元", "100.00"),
        ("100万", "万元", "100.00"),
        ("100", "万元", "100.00"),
        (100, "万元", "100.00"),
        ("100万人民币", "万元", "100.00"),
        ("1,000,000元", "万元", "100.00"),
        (1000000, "元", "100.00"),
        ("1.5亿", "万元", "15000.00"),
        ("12.345万元", "万元", "12.35"),
        ("１００万元", "万元", "100.00"),
    ],
)
def test_registered_capital_is_read_in_wan_yuan(value, unit, expected):
    assert parse_wan_yuan(value, unit=unit) == decimal.Decimal(expected)


def test_foreign_currency_capital_is_a_distinct_error():
    with pytest.raises(ForeignCurrency, match="外币"):
        parse_wan_yuan("50万美元")
    with pytest.raises(CellError, match="无法识别"):
        parse_wan_yuan("一百万")


def test_text_folds_full_width_letters_and_digits_but_keeps_chinese_punctuation():
    assert text("上海ＡＢＣ１２３科技有限公司（浦东分公司）") == "上海ABC123科技有限公司（浦东分公司）"
    assert text("  张　三  ") == "张 三"
    assert text(13912345678.0) == "13912345678"
    assert text('="310115199001011234"') == "310115199001011234"


def test_yes_no_cells_and_choices():
    assert parse_bool("是") is True and parse_bool("否") is False and parse_bool("") is None
    with pytest.raises(CellError):
        parse_bool("也许")
    choices = ChoiceMap([(("有限合伙", "合伙"), "partnership"), (("有限公司",), "company")])
    assert choices("有限合伙企业") == "partnership"
    assert choices("有限责任公司") is None
    assert choices("其他有限公司") == "company"
    assert choices("") is None


def test_a_path_and_a_file_object_read_the_same(tmp_path):
    data = xlsx_bytes([["统一社会信用代码", "企业名称"], ["91310115MA1K4AAA1X", "甲"]])
    path = tmp_path / "x.bin"
    path.write_bytes(data)
    assert [r.cells for r in open_table(path, COLUMNS)] == [r.cells for r in open_table(io.BytesIO(data), COLUMNS)]
