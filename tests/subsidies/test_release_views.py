"""The 公示 and 拨付 pages through the test client: a reviewer gathers, publishes and finalises; the
public reads the notice (names masked) and objects; payments are entered or imported; exports and
figures read the same records; another town's ids and applicants are 404."""

import datetime
import io
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import load_workbook

from chuangfu.core.models import Role
from chuangfu.core.workdays import add_working_days
from chuangfu.core.workflow import SYSTEM
from chuangfu.subsidies.models import Disbursement, NoticeStatus, Objection, Status
from chuangfu.subsidies.services import disbursements, notices
from tests import factories as f

from .builders import applicant_account, finance_sheet, second_reviewed


@pytest.fixture
def reviewed(policy, applicant, reviewer, reviewer2):
    return [
        second_reviewed(policy, applicant, reviewer, reviewer2, amount=Decimal("5000")),
        second_reviewed(policy, applicant_account(name="欧阳娜娜"), reviewer, reviewer2, amount=Decimal("3000")),
    ]


def staff_client(client, user):
    client.force_login(user)
    return client


def sheet_rows(response) -> list[list]:
    wb = load_workbook(io.BytesIO(response.content), read_only=True)
    return [list(r) for r in wb.active.iter_rows(values_only=True)]


def published_batch(reviewer, applications, on=datetime.date(2026, 9, 30)):
    batch = notices.notice_batch_create(
        actor=reviewer, title="2026年第3批创业补贴拟核准名单公示", applications=applications
    )
    return notices.notice_batch_publish(actor=reviewer, batch=batch, today=on)


def test_a_reviewer_gathers_and_publishes_a_notice_the_public_reads_it_masked(client, reviewed, reviewer):
    c = staff_client(client, reviewer)
    form = c.get(reverse("notices:batch_create"))
    assert reviewed[0].number in form.content.decode()
    empty = c.post(reverse("notices:batch_create"), {"title": "公示", "days": 5})
    assert empty.status_code == 400 and "请至少选择一份复审通过的申请" in empty.content.decode()
    response = c.post(
        reverse("notices:batch_create"),
        {"title": "2026年第3批创业补贴拟核准名单公示", "days": 5, "applications": [a.pk for a in reviewed]},
    )
    assert response.status_code == 302
    batch = reviewed[0].notice_entries.get().batch
    assert batch.status == NoticeStatus.DRAFT
    assert c.get(reverse("public_notices:detail", args=[batch.number])).status_code == 404  # not published yet
    c.post(reverse("notices:batch_publish", args=[batch.pk]))
    batch.refresh_from_db()
    assert batch.status == NoticeStatus.PUBLISHED and batch.starts_on == add_working_days(datetime.date.today(), 1)
    client.logout()
    listing = client.get(reverse("public_notices:list")).content.decode()
    assert batch.title in listing
    page = client.get(reverse("public_notices:detail", args=[batch.number])).content.decode()
    assert "李*业" in page and "欧**娜" in page and "李创业" not in page and "5000" in page
    assert 'name="viewport"' in page and "提出异议" in page


def test_the_public_objects_with_clear_errors_and_a_rate_limit(client, reviewed, reviewer, settings):
    batch = published_batch(reviewer, reviewed, on=datetime.date.today())
    entry = batch.entries.get(application=reviewed[0])
    url = reverse("public_notices:detail", args=[batch.number])
    bad = client.post(url, {"entry": entry.pk, "name": "王群众", "mobile": "12345", "content": "短"})
    assert bad.status_code == 400
    page = bad.content.decode()
    assert "手机号" in page and "5 至 1000 字" in page and Objection.objects.count() == 0
    settings.SUBSIDY_OBJECTION_LIMITS = {"ip": (1, 3600)}
    ok = client.post(
        url, {"entry": entry.pk, "name": "王群众", "mobile": "13800138000", "content": "申请人并未在本镇实际经营。"}
    )
    assert ok.status_code == 302 and Objection.objects.get().ip == "127.0.0.1"
    limited = client.post(
        url,
        {
            "entry": entry.pk,
            "name": "王群众",
            "mobile": "13800138001",
            "content": "再次提出：申请人并未在本镇实际经营。",
        },
    )
    assert limited.status_code == 429 and "提交过于频繁" in limited.content.decode()
    assert Objection.objects.count() == 1


def test_a_reviewer_resolves_an_objection_and_finalises_on_the_page(client, reviewed, reviewer):
    batch = published_batch(reviewer, reviewed)
    entry = batch.entries.get(application=reviewed[0])
    objection = notices.objection_record(
        actor=reviewer, entry=entry, name="赵来电", mobile="13700137000", content="电话反映：申请人未实际经营。"
    )
    c = staff_client(client, reviewer)
    detail = c.get(reverse("notices:batch_detail", args=[batch.pk])).content.decode()
    assert "137****7000" in detail and "13700137000" not in detail and "1 条异议待处理" in detail
    c.post(reverse("notices:batch_finalise", args=[batch.pk]))
    reviewed[0].refresh_from_db()
    reviewed[1].refresh_from_db()
    assert (reviewed[0].status, reviewed[1].status) == (Status.IN_NOTICE, Status.APPROVED)
    c.post(
        reverse("notices:objection_resolve", args=[batch.pk, objection.pk]),
        {"resolve-decision": "dismiss", "resolve-resolution": "经实地核查，经营正常。"},
    )
    response = c.post(reverse("notices:batch_finalise", args=[batch.pk]), follow=True)
    assert "已核准 1 份申请" in response.content.decode()
    reviewed[0].refresh_from_db()
    batch.refresh_from_db()
    assert reviewed[0].status == Status.APPROVED and batch.status == NoticeStatus.CLOSED
    again = c.post(reverse("notices:batch_finalise", args=[batch.pk]), follow=True).content.decode()
    assert "无需再次操作" in again and str(reviewer) in again
    rows = sheet_rows(c.get(reverse("notices:batch_export", args=[batch.pk])))
    assert rows[0][:3] == ["申请编号", "申请人", "政策"]
    assert [r[1] for r in rows[1:]] == ["李*业", "欧**娜"]


def test_payments_by_hand_and_by_import_on_the_pages(client, reviewed, reviewer, django_capture_on_commit_callbacks):
    batch = published_batch(reviewer, reviewed)
    notices.notice_batch_finalise(actor=SYSTEM, batch=batch, today=datetime.date(2026, 10, 14))
    c = staff_client(client, reviewer)
    home = c.get(reverse("disbursements:home")).content.decode()
    assert reviewed[0].number in home and reviewed[1].number in home
    url = reverse("disbursements:pay", args=[reviewed[0].pk])
    wrong = c.post(url, {"amount": "4999", "paid_on": "2026-10-20", "reference": "ZF-1"})
    assert wrong.status_code == 400 and "与核准金额 5000" in wrong.content.decode()
    assert c.post(url, {"amount": "5000", "paid_on": "2026-10-20", "reference": "ZF-1"}).status_code == 302
    twice = c.post(url, {"amount": "5000", "paid_on": "2026-10-20", "reference": "ZF-2"}).content.decode()
    assert "已于 2026-10-20 拨付" in twice and Disbursement.objects.count() == 1
    upload = SimpleUploadedFile(
        "拨付结果.xlsx",
        finance_sheet(
            [
                (reviewed[0].number, "李创业", 5000, "2026-10-20", "ZF-3"),
                (reviewed[1].number, "欧阳娜娜", 3000, "2026-10-21", "ZF-4"),
                ("BT209901019999", "", 100, "2026-10-21", "ZF-5"),
            ]
        ).read(),
    )
    with django_capture_on_commit_callbacks(execute=True):
        response = c.post(reverse("disbursements:import_start"), {"file": upload})
    assert response.status_code == 302
    report = c.get(response["Location"]).content.decode()
    assert "拨付 1 笔，未处理 2 行" in report
    assert "第 3 行" in report and "ZF-1" in report and "BT209901019999 不存在" in report
    wrong_file = c.post(
        reverse("disbursements:import_start"),
        {"file": SimpleUploadedFile("a.xlsx", b"\x89PNG\r\n\x1a\n" + b"\0" * 64)},
        follow=True,
    )
    assert "不是表格" in wrong_file.content.decode()
    rows = sheet_rows(c.get(reverse("disbursements:payments") + "?format=xlsx"))
    assert sorted(r[6] for r in rows[1:]) == ["ZF-1", "ZF-4"] and {r[1] for r in rows[1:]} == {"李*业", "欧**娜"}


def test_the_finance_list_round_trips_through_the_import(client, reviewed, reviewer):
    batch = published_batch(reviewer, reviewed)
    notices.notice_batch_finalise(actor=SYSTEM, batch=batch, today=datetime.date(2026, 10, 14))
    c = staff_client(client, reviewer)
    c.post(reverse("disbursements:batch_create"), {"title": "2026年10月拨付", "applications": [a.pk for a in reviewed]})
    paying = reviewed[0].disbursement_item.batch
    rows = sheet_rows(c.get(reverse("disbursements:batch_export", args=[paying.pk])))
    assert rows[0] == ["申请编号", "申请人", "政策", "拨付金额", "拨付日期", "支付凭证号"]
    filled = [[*r[:4], "2026-10-22", f"ZF-R{n}"] for n, r in enumerate(rows[1:])]
    report = disbursements.disbursement_import(actor=reviewer, source=finance_sheet(filled, header=rows[0]))
    assert len(report.paid) == 2 and report.rejected == []
    page = c.get(reverse("disbursements:batch_detail", args=[paying.pk])).content.decode()
    assert "ZF-R0" in page and "ZF-R1" in page


def test_figures_count_stages_rates_times_and_amounts_with_drill_down(client, reviewed, reviewer):
    batch = published_batch(reviewer, reviewed)
    notices.notice_batch_finalise(actor=SYSTEM, batch=batch, today=datetime.date(2026, 10, 14))
    disbursements.disbursement_record(
        actor=reviewer,
        application=reviewed[0],
        amount=Decimal("5000"),
        paid_on=datetime.date(2026, 10, 20),
        reference="ZF-9",
    )
    leader = f.user(role=Role.LEADER)
    c = staff_client(client, leader)
    page = c.get(reverse("subsidy_reports:figures")).content.decode()
    assert 'data-figure="approval-rate">100.0%' in page
    assert "data-amount-total>5000.00" in page
    response = c.get(reverse("subsidy_reports:figures"), {"by": "month"})
    drill = response.context["amount_rows"][0][1]
    assert response.context["amount_rows"][0][0].key == "2026-10"
    listed = c.get(drill).content.decode()
    assert reviewed[0].number in listed and reviewed[1].number not in listed
    times = {t.status: t for t in response.context["times"]}
    assert times[Status.IN_NOTICE].count == 2 and times[Status.IN_NOTICE].average is not None
    rows = sheet_rows(c.get(reverse("subsidy_reports:applications") + "?status=granted&format=xlsx"))
    assert sorted(r[0] for r in rows[1:]) == sorted(a.number for a in reviewed)
    assert "李创业" not in {r[2] for r in rows[1:]}


def test_another_towns_ids_and_applicants_get_404(client, reviewed, reviewer, applicant):
    batch = published_batch(reviewer, reviewed)
    notices.notice_batch_finalise(actor=SYSTEM, batch=batch, today=datetime.date(2026, 10, 14))
    paying = disbursements.disbursement_batch_create(actor=reviewer, title="拨付", applications=reviewed)
    outsider = f.user(role=Role.REVIEWER, jurisdiction=f.town("310115125"))
    # another town's reviewer: not found; an applicant: the role table refuses the staff pages
    for user, status in ((outsider, 404), (applicant, 403)):
        c = staff_client(client, user)
        for url in (
            reverse("notices:batch_detail", args=[batch.pk]),
            reverse("notices:batch_export", args=[batch.pk]),
            reverse("disbursements:batch_detail", args=[paying.pk]),
            reverse("disbursements:batch_export", args=[paying.pk]),
            reverse("disbursements:pay", args=[reviewed[0].pk]),
        ):
            assert c.get(url).status_code == status, (user, url)
        assert c.post(reverse("notices:batch_finalise", args=[batch.pk])).status_code == status
        assert (
            c.post(
                reverse("disbursements:pay", args=[reviewed[0].pk]),
                {"amount": "5000", "paid_on": "2026-10-20", "reference": "X"},
            ).status_code
            == status
        )
    assert Disbursement.objects.count() == 0
    disbursements.disbursement_record(
        actor=reviewer,
        application=reviewed[0],
        amount=Decimal("5000"),
        paid_on=datetime.date(2026, 10, 20),
        reference="ZF-OWN",
    )
    c = staff_client(client, outsider)
    assert reviewed[0].number not in c.get(reverse("subsidy_reports:applications")).content.decode()
    figures = c.get(reverse("subsidy_reports:figures")).context
    assert figures["amount_total"].total == 0 and figures["decided"] == 0
    assert staff_client(client, reviewer).get(reverse("subsidy_reports:figures")).context["amount_total"].total == 5000


def test_a_reviewers_home_shows_what_waits_in_notice_and_payment(client, reviewed, reviewer):
    batch = published_batch(reviewer, reviewed[:1])
    notices.objection_record(
        actor=reviewer,
        entry=batch.entries.get(),
        name="赵来电",
        mobile="13700137000",
        content="电话反映：申请人未实际经营。",
    )
    panel = staff_client(client, reviewer).get(reverse("home")).context["panels"]
    items = {str(i["label"]): i["count"] for p in panel if str(p.title) == "公示与拨付" for i in p.items}
    assert items == {"待公示": 1, "待处理异议": 1, "公示期满待核准": 1, "已核准待拨付": 0}
    client.force_login(f.user(role=Role.DESK_STAFF))
    assert "公示与拨付" not in [str(p.title) for p in client.get(reverse("home")).context["panels"]]


def test_the_review_page_hands_notice_and_payment_steps_to_their_pages(client, reviewed, reviewer):
    c = staff_client(client, reviewer)
    page = c.get(reverse("subsidies:staff_detail", args=[reviewed[0].pk])).content.decode()
    assert reverse("notices:batch_create") in page and 'id="act-publish"' not in page
    published_batch(reviewer, reviewed)
    page = c.get(reverse("subsidies:staff_detail", args=[reviewed[0].pk])).content.decode()
    assert 'id="act-finalise"' in page and 'id="act-uphold_objection"' not in page
    assert reverse("notices:batch_detail", args=[reviewed[0].notice_entries.get().batch_id]) in page
    response = c.post(
        reverse("subsidies:staff_act", args=[reviewed[0].pk, "finalise"]),
        {"seen_status": Status.IN_NOTICE},
        follow=True,
    )
    reviewed[0].refresh_from_db()
    assert reviewed[0].status == Status.APPROVED and "公示期满核准" in response.content.decode()
    page = c.get(reverse("subsidies:staff_detail", args=[reviewed[0].pk])).content.decode()
    assert reverse("disbursements:pay", args=[reviewed[0].pk]) in page and 'id="act-disburse"' not in page
    refused = c.post(reverse("subsidies:staff_act", args=[reviewed[0].pk, "disburse"]), {}, follow=True)
    assert "请在拨付页面登记" in refused.content.decode() and Disbursement.objects.count() == 0
