import io

import pytest
from openpyxl import load_workbook

from chuangfu.core.exporters import Column, ListExporter
from chuangfu.core.models import Jurisdiction

pytestmark = pytest.mark.django_db


class JurisdictionExporter(ListExporter):
    title = "区划"
    columns = [Column("代码", "code"), Column("名称", "name"), Column("上级", "parent.name")]


def test_export_writes_a_header_and_one_row_per_record_in_order():
    buffer = io.BytesIO()
    count = JurisdictionExporter().write(Jurisdiction.objects.order_by("code"), buffer)
    rows = list(load_workbook(io.BytesIO(buffer.getvalue())).active.values)
    assert rows[0] == ("代码", "名称", "上级")
    assert count == len(rows) - 1 == Jurisdiction.objects.count()
    assert rows[1] == ("310115", "浦东新区", None)
    assert ("310115114", "唐镇", "浦东新区") in rows


class TextExporter(ListExporter):
    title = "文本"
    columns = [Column("内容", "text"), Column("数量", "n")]


def test_text_that_looks_like_a_formula_or_an_error_is_written_as_text():
    rows = [
        {"text": '=HYPERLINK("http://evil.example/","点此领取补贴")', "n": 1},
        {"text": "#N/A", "n": 2},
        {"text": "=1+1", "n": 3},
        {"text": "普通文本", "n": 4},
    ]
    buffer = io.BytesIO()
    TextExporter().write(rows, buffer)
    sheet = load_workbook(io.BytesIO(buffer.getvalue())).active
    cells = [(row[0].value, row[0].data_type, row[1].value) for row in sheet.iter_rows(min_row=2)]
    assert cells == [
        ('=HYPERLINK("http://evil.example/","点此领取补贴")', "s", 1),
        ("#N/A", "s", 2),
        ("=1+1", "s", 3),
        ("普通文本", "s", 4),
    ]


def test_no_module_writes_a_workbook_except_the_one_exporter_base():
    """Every .xlsx goes through ``ListExporter.write``, which writes text as text: a second writer
    would have to repeat that, so none may exist."""
    from pathlib import Path

    import chuangfu

    root = Path(chuangfu.__file__).parent
    writers = [
        str(path.relative_to(root))
        for path in root.rglob("*.py")
        if "Workbook(" in path.read_text(encoding="utf-8") and path != root / "core" / "exporters.py"
    ]
    assert writers == []
