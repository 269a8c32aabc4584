"""Units' annual plan items from .xlsx: every bad row reported and nothing saved, a re-import is
idempotent; overlay tasks build on an item with their reason."""

import datetime
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook

from chuangfu.core.errors import DomainError
from chuangfu.core.models import Notification
from chuangfu.governance.models import Acknowledgement, Task, UnitPlanItem
from chuangfu.governance.services import ledger
from chuangfu.governance.services.unit_plans import plan_items_import

from .. import factories
from . import builders

pytestmark = pytest.mark.django_db
HEADER = ("单位", "编号", "事项", "目标", "完成时限")


def workbook(*rows, header=HEADER) -> SimpleUploadedFile:
    wb = Workbook()
    wb.active.append(header)
    for row in rows:
        wb.active.append(row)
    buffer = io.BytesIO()
    wb.save(buffer)
    return SimpleUploadedFile("计划.xlsx", buffer.getvalue())


def test_an_import_with_unknown_units_or_impossible_dates_saves_nothing_and_names_every_row():
    factories.unit("市场监管所")
    upload = workbook(
        ("市场监管所", "SJ-1", "企业开办一窗通", "全年办结", datetime.date(2026, 6, 30)),
        ("不存在的单位", "X-1", "某事项", "", "2026-05-01"),
        ("市场监管所", "SJ-2", "个体户转企业", "", "2026-02-30"),
        ("市场监管所", "SJ-1", "重复编号", "", ""),
    )
    with pytest.raises(DomainError) as refused:
        plan_items_import(actor=builders.office(), jurisdiction=factories.town(), year=2026, upload=upload)
    rows = {(e["row"], e["message"]) for e in refused.value.details["errors"]}
    assert {r for r, _ in rows} == {3, 4, 5}
    assert any("不存在的单位" in m for _, m in rows) and any("2026-02-30" in m for _, m in rows)
    assert not UnitPlanItem.objects.exists()


def test_a_reimport_updates_by_unit_and_code_and_adds_nothing_twice():
    factories.unit("市场监管所")
    factories.unit("团委")
    rows = [
        ("市场监管所", "SJ-1", "企业开办一窗通", "全年办结", "2026-06-30"),
        ("团委", "TW-1", "青年创业沙龙", "6 场", datetime.datetime(2026, 9, 30)),
    ]
    office, town = builders.office(), factories.town()
    first = plan_items_import(actor=office, jurisdiction=town, year=2026, upload=workbook(*rows))
    again = plan_items_import(actor=office, jurisdiction=town, year=2026, upload=workbook(*rows))
    assert (first.created, again.created, again.unchanged) == (2, 0, 2)
    rows[1] = ("团委", "TW-1", "青年创业沙龙", "8 场", "2026/10/31")
    changed = plan_items_import(actor=office, jurisdiction=town, year=2026, upload=workbook(*rows))
    assert (changed.created, changed.updated, changed.unchanged) == (0, 1, 1)
    salon = UnitPlanItem.objects.get(code="TW-1")
    assert (salon.target, salon.due_on) == ("8 场", datetime.date(2026, 10, 31))


def test_a_file_that_is_not_a_workbook_or_has_the_wrong_header_is_refused():
    office, town = builders.office(), factories.town()
    with pytest.raises(DomainError, match="xlsx"):
        plan_items_import(actor=office, jurisdiction=town, year=2026, upload=SimpleUploadedFile("a.xlsx", b"not"))
    with pytest.raises(DomainError, match="表头"):
        plan_items_import(actor=office, jurisdiction=town, year=2026, upload=workbook(header=("a", "b")))


def test_an_overlay_task_builds_on_a_units_item_with_its_reason():
    factories.unit("市场监管所")
    office, town = builders.office(), factories.town()
    plan_items_import(
        actor=office, jurisdiction=town, year=2026, upload=workbook(("市场监管所", "SJ-1", "企业开办一窗通", "", ""))
    )
    item = UnitPlanItem.objects.get()
    kwargs = {
        "actor": office,
        "plan": builders.plan(),
        "title": "在孵化器设企业开办服务点",
        "lead_unit": item.unit,
        "starts_on": datetime.date(2026, 3, 2),
        "due_on": datetime.date(2026, 6, 30),
        "plan_item": item,
    }
    with pytest.raises(DomainError, match="叠加理由"):
        ledger.task_create(**kwargs)
    task = ledger.task_create(**kwargs, overlay_reason="把一窗通延伸到创业载体", indicator="创业组织数")
    assert list(item.overlays.all()) == [task] and task.indicator == "创业组织数"


def test_the_office_imports_on_the_page_and_sees_the_bad_rows(client):
    factories.unit("市场监管所")
    client.force_login(builders.office())
    bad = client.post(
        reverse("governance:plan_item_import"),
        {"year": 2026, "file": workbook(("妇女会", "F-1", "x", "", "2026-13-01"))},
    )
    page = bad.content.decode()
    assert bad.status_code == 400 and "第 2 行" in page and "妇女会" in page and "2026-13-01" in page
    good = client.post(
        reverse("governance:plan_item_import"),
        {"year": 2026, "file": workbook(("市场监管所", "SJ-1", "企业开办一窗通", "", "2026-06-30"))},
    )
    assert good.status_code == 302
    listing = client.get(reverse("governance:plan_items"), {"year": 2026}).content.decode()
    assert "企业开办一窗通" in listing
    client.force_login(builders.liaison("团委"))
    assert "企业开办一窗通" not in client.get(reverse("governance:plan_items"), {"year": 2026}).content.decode()
    assert not Task.objects.exists()


def test_the_plan_document_is_published_and_the_office_sees_who_has_not_acknowledged(client, delivered):
    plan = builders.plan()
    market, women = builders.liaison("市场监管所"), builders.liaison("妇联")
    client.force_login(builders.office())
    with delivered():
        client.post(
            reverse("governance:document_publish", args=[plan.pk]), {"title": "创建工作方案", "file": builders.pdf()}
        )
    assert Notification.objects.filter(recipient=market, title="请签收：创建工作方案").exists()
    document = plan.documents.get()
    client.force_login(market)
    client.post(reverse("governance:document_acknowledge", args=[document.pk]))
    client.post(reverse("governance:document_acknowledge", args=[document.pk]))  # a double click: one record
    assert Acknowledgement.objects.filter(document=document).count() == 1
    assert "本单位已签收" in client.get(reverse("governance:plan", args=[plan.pk])).content.decode()
    client.force_login(builders.office())
    page = client.get(reverse("governance:plan", args=[plan.pk])).content.decode()
    assert "已签收 1 个单位" in page and women.unit.name in page.split("未签收")[1]
    client.force_login(builders.liaison("市场监管所", builders.other_town()))
    assert client.get(reverse("governance:document", args=[document.pk])).status_code == 404


def test_items_are_entered_by_hand_the_office_for_any_unit_a_liaison_for_its_own(client):
    office, liaison = builders.office(), builders.liaison()
    women = factories.unit("妇联")
    client.force_login(office)
    data = {"year": 2026, "unit": women.pk, "code": "FL-01", "title": "巾帼创业帮扶", "due_on": "2026-11-30"}
    response = client.post(reverse("governance:plan_item_add"), data)
    assert response.status_code == 302
    item = UnitPlanItem.objects.get()
    assert (item.unit, item.code, item.due_on) == (women, "FL-01", datetime.date(2026, 11, 30))
    client.post(reverse("governance:plan_item_add"), {**data, "title": "巾帼创业帮扶行动"})
    assert UnitPlanItem.objects.get().title == "巾帼创业帮扶行动"  # the same key updates, adds nothing
    bad = client.post(reverse("governance:plan_item_add"), {**data, "code": "", "due_on": "3000-01-01"})
    assert bad.status_code == 400 and UnitPlanItem.objects.count() == 1
    client.force_login(liaison)
    page = client.get(reverse("governance:plan_items")).content.decode()
    assert 'name="unit"' not in page.split('id="item-form"')[1].split("</form>")[0]
    client.post(reverse("governance:plan_item_add"), {**data, "unit": women.pk, "code": "SJ-09", "title": "宣讲"})
    mine = UnitPlanItem.objects.get(code="SJ-09")
    assert mine.unit == liaison.unit  # a liaison always enters for their own unit
    other = factories.user(
        "unit_liaison", jurisdiction=builders.other_town(), unit_=factories.unit("妇联", builders.other_town())
    )
    from chuangfu.core.errors import NotFound
    from chuangfu.governance.services.unit_plans import plan_item_save

    with pytest.raises(NotFound):
        plan_item_save(actor=other, jurisdiction=factories.town(), year=2026, unit=None, code="X", title="X")
    assert UnitPlanItem.objects.count() == 2
