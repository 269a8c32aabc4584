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
