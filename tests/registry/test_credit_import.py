"""Importing a dishonesty list (失信名单): people by ID number, enterprises by USCC, dated; the
same list again changes nothing, a later export with the removal day updates the record, rows
that cannot be placed are refused with the reason, and the detail page shows the listing."""

import datetime
import io

import pytest
from django.urls import reverse

from chuangfu.core.models import AuditEntry, Role
from chuangfu.registry.importers import Action, run_import
from chuangfu.registry.models import CreditRecord
from tests import factories as f

pytestmark = pytest.mark.django_db
D = datetime.date
HEADER = ["姓名", "身份证号码", "统一社会信用代码", "列入日期", "移出日期", "执行法院", "失信情形"]


def csv(*rows) -> io.BytesIO:
    return io.BytesIO("\n".join(",".join(str(c) for c in row) for row in rows).encode("utf-8-sig"))


def run(source):
    return run_import(kind="credit", source=source, town=f.town(), actor=f.user(role=Role.ADMIN), dry_run=False)


def test_a_list_is_imported_once_and_a_removal_updates_it(client):
    person, firm = f.person(name="钱七"), f.enterprise(name="失信公司")
    rows = [
        HEADER,
        ["钱七", person.id_number, "", "2025-03-10", "", "浦东法院", "有履行能力而拒不履行"],
        ["失信公司", "", firm.uscc, "2024-01-02", "", "浦东法院", ""],
    ]
    assert [o.action for o in run(csv(*rows)).outcomes] == [Action.CREATE, Action.CREATE]
    assert [o.action for o in run(csv(*rows)).outcomes] == [Action.UNCHANGED, Action.UNCHANGED]
    rows[1][4] = "2026-03-10"
    assert [o.action for o in run(csv(*rows)).outcomes] == [Action.UPDATE, Action.UNCHANGED]
    assert CreditRecord.objects.get(person=person).removed_on == D(2026, 3, 10)
    assert AuditEntry.objects.filter(action="registry.credit.imported").count() == 3
    client.force_login(f.user(role=Role.DESK_STAFF))
    page = client.get(reverse("registry:person_detail", args=[person.pk])).content.decode()
    assert "失信记录" in page and "2025-03-10 — 2026-03-10" in page and "浦东法院" in page


def test_rows_that_cannot_be_placed_are_refused_with_the_reason():
    person = f.person()
    report = run(
        csv(
            HEADER,
            ["", person.id_number, f.uscc(), "2025-01-01", "", "", ""],
            ["", person.id_number, "", "2025-01-01", "2024-12-31", "", ""],
            ["", f.id_number(), "", "2025-01-01", "", "", ""],
            ["", person.id_number, "", "", "", "", ""],
        )
    )
    details = [o.detail for o in report.outcomes]
    assert {o.action for o in report.outcomes} == {Action.REJECT}
    assert "之一" in details[0] and "移出日期应晚于列入日期" in details[1]
    assert "名录中没有" in details[2] and "缺少列入日期" in details[3]
    assert not CreditRecord.objects.exists()
