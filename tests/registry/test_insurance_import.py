"""Importing a social-insurance extract (参保缴费明细): a month per row or a span of months, the
employer linked to the registry by USCC, rows for people not in the registry or of another town
refused with the reason, bad months named, and the same extract imported twice changes nothing."""

import datetime
import io

import pytest

from chuangfu.core.models import AuditEntry, Role
from chuangfu.registry.importers import Action, run_import
from chuangfu.registry.models import InsuranceMonth
from tests import factories as f

pytestmark = pytest.mark.django_db
D = datetime.date


def csv(*rows) -> io.BytesIO:
    return io.BytesIO("\n".join(",".join(str(c) for c in row) for row in rows).encode("utf-8-sig"))


def run(source, *, dry_run=False, town=None):
    actor = f.user(role=Role.ADMIN)
    return run_import(kind="insurance", source=source, town=town or f.town(), actor=actor, dry_run=dry_run)


def test_an_extract_stores_each_month_once_and_links_the_employer():
    person = f.person(name="李四")
    firm = f.enterprise()
    other = f.uscc()
    source = [
        ["姓名", "公民身份号码", "费款所属期", "单位统一社会信用代码", "单位名称"],
        ["李四", person.id_number, "202401", firm.uscc, firm.name],
        ["李四", person.id_number, "2024年2月", firm.uscc, firm.name],
        ["李四", person.id_number, "2024-03", other, "外区公司"],
        ["李四", person.id_number, "2024-02", firm.uscc, firm.name],  # the same month again
    ]
    report = run(csv(*source))
    assert [o.action for o in report.outcomes] == [Action.CREATE] * 3 + [Action.UNCHANGED]
    stored = InsuranceMonth.objects.filter(person=person).order_by("month")
    assert [(m.month, m.enterprise_id) for m in stored] == [
        (D(2024, 1, 1), firm.pk),
        (D(2024, 2, 1), firm.pk),
        (D(2024, 3, 1), None),
    ]
    assert stored[2].employer_uscc == other
    assert AuditEntry.objects.filter(action="registry.person.insurance_imported", object_id=str(person.pk)).count() == 1
    again = run(csv(*source))
    assert {o.action for o in again.outcomes} == {Action.UNCHANGED}
    assert InsuranceMonth.objects.count() == 3


def test_a_span_of_months_and_its_mistakes():
    person = f.person()
    report = run(
        csv(
            ["身份证号码", "起始年月", "终止年月"],
            [person.id_number, "2023-11", "2024-02"],
            [person.id_number, "2024-05", "2024-03"],
            [person.id_number, "2024-13", "2024-14"],
            [person.id_number, "2024-05", ""],
            ["110105194912310021", "2024-01", "2024-01"],
        )
    )
    actions = [o.action for o in report.outcomes]
    assert actions == [Action.CREATE, Action.REJECT, Action.REJECT, Action.REJECT, Action.REJECT]
    details = [o.detail for o in report.outcomes]
    assert "新增 4 个月" in details[0]
    assert "终止年月早于起始年月" in details[1]
    assert "没有 13 月" in details[2]
    assert "缺少终止年月" in details[3]
    assert "身份证号码" in details[4] or "校验" in details[4]
    assert InsuranceMonth.objects.filter(person=person).count() == 4


def test_people_outside_the_registry_or_the_town_are_refused_and_a_dry_run_writes_nothing():
    elsewhere = f.person(jurisdiction=f.town("310115125"))
    here = f.person()
    source = csv(
        ["身份证号码", "缴费年月"],
        [elsewhere.id_number, "2024-01"],
        [f.id_number(), "2024-01"],
        [here.id_number, "2024-01"],
    )
    report = run(source, dry_run=True)
    assert [o.action for o in report.outcomes] == [Action.REJECT, Action.REJECT, Action.CREATE]
    assert "其他镇" in report.outcomes[0].detail and "名录中没有此人" in report.outcomes[1].detail
    assert not InsuranceMonth.objects.exists()


def test_a_month_after_this_month_is_refused():
    person = f.person()
    future = datetime.date.today().replace(day=1) + datetime.timedelta(days=40)
    report = run(csv(["身份证号码", "缴费年月"], [person.id_number, f"{future:%Y-%m}"]))
    assert report.outcomes[0].action == Action.REJECT and "晚于本月" in report.outcomes[0].detail


def test_the_detail_pages_show_the_history_as_spans_without_naming_people_of_other_towns(client):
    from django.urls import reverse

    firm = f.enterprise(name="唐镇网店")
    here, elsewhere = f.person(name="王五"), f.person(name="赵六", jurisdiction=f.town("310115125"))
    for month in (D(2025, 11, 1), D(2025, 12, 1), D(2026, 1, 1)):
        InsuranceMonth.objects.create(
            person=here, month=month, employer_uscc=firm.uscc, employer_name=firm.name, enterprise=firm
        )
        InsuranceMonth.objects.create(person=elsewhere, month=month, employer_uscc=firm.uscc, enterprise=firm)
    InsuranceMonth.objects.create(person=here, month=D(2026, 3, 1))  # a gap, then paid as an individual
    client.force_login(f.user(role=Role.DESK_STAFF))
    page = client.get(reverse("registry:person_detail", args=[here.pk])).content.decode()
    assert "2025-11 — 2026-01" in page and "唐镇网店" in page and "个人缴费" in page
    page = client.get(reverse("registry:enterprise_detail", args=[firm.pk])).content.decode()
    assert "王五" in page and "赵六" not in page and "其他区划人员" in page
