"""Staff pages: queues, search, detail with only the allowed actions, transitions, intake, export,
figures — and scoping on every URL."""

import io
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import load_workbook

from chuangfu.core.models import AuditEntry, Role
from chuangfu.desk import services
from chuangfu.desk.models import Category, Status, Ticket
from tests import factories

from .test_views_public import PNG

pytestmark = pytest.mark.django_db


@pytest.fixture
def ticket(make_ticket):
    return make_ticket(requester_mobile="13912345678", description="想了解一次性创业补贴的申请条件")


@pytest.fixture
def other_ticket(other_town):
    cat = Category.objects.get(jurisdiction=other_town, name="政策咨询")
    ticket, _ = services.ticket_submit_public(
        jurisdiction=other_town,
        category=cat,
        description="张江的诉求",
        requester_name="外镇",
        requester_mobile="13800009999",
    )
    return ticket


def login(client, user):
    client.force_login(user)
    return client


def queue_numbers(client, **params):
    html = client.get(reverse("desk:queue"), params).content.decode()
    return {t.number for t in Ticket.objects.all() if t.number in html}


def test_desk_queue_lists_the_towns_tickets_with_flags(client, desk, ticket, other_ticket):
    response = login(client, desk).get(reverse("desk:queue"))
    html = response.content.decode()
    assert response.status_code == 200 and ticket.number in html and other_ticket.number not in html
    assert "在办" in html and "即将到期" in html and "已超时" in html


def test_a_liaison_sees_only_their_units_tickets_and_co_handled_ones(
    client, desk, liaison, co_liaison, make_ticket, market, league
):
    mine = services.ticket_dispatch(ticket=make_ticket(), actor=desk, unit=market)
    theirs = services.ticket_dispatch(ticket=make_ticket(), actor=desk, unit=league)
    shared = services.ticket_dispatch(ticket=make_ticket(), actor=desk, unit=league, co_units=[market])
    undispatched = make_ticket()
    login(client, liaison)
    assert queue_numbers(client, queue="all") == {mine.number, shared.number}
    assert client.get(reverse("desk:ticket_detail", args=[theirs.pk])).status_code == 404
    assert client.get(reverse("desk:ticket_detail", args=[undispatched.pk])).status_code == 404
    assert client.get(reverse("desk:ticket_detail", args=[shared.pk])).status_code == 200
    login(client, co_liaison)
    assert queue_numbers(client, queue="all") == {theirs.number, shared.number}


def test_queues_filter_new_overdue_and_supervised(client, desk, leader, liaison, make_ticket, market):
    fresh = make_ticket()
    late = services.ticket_dispatch(ticket=make_ticket(), actor=desk, unit=market)
    Ticket.objects.filter(pk=late.pk).update(accept_due="2026-01-05", answer_due="2026-01-09")
    flagged = services.ticket_supervise(
        ticket=services.ticket_dispatch(ticket=make_ticket(), actor=desk, unit=market), actor=leader, note="尽快"
    )
    login(client, desk)
    assert queue_numbers(client, queue="new") == {fresh.number}
    assert queue_numbers(client, queue="overdue") == {late.number}
    assert "已超时" in client.get(reverse("desk:queue"), {"queue": "overdue"}).content.decode()
    assert queue_numbers(client, queue="supervised") == {flagged.number}
    login(client, liaison)
    assert queue_numbers(client, queue="new") == {late.number, flagged.number}


def test_filters_and_a_bad_filter_value_do_not_break_the_queue(client, desk, make_ticket, market):
    a = make_ticket()
    b = services.ticket_dispatch(ticket=make_ticket(), actor=desk, unit=market)
    login(client, desk)
    assert queue_numbers(client, queue="all", status="dispatched") == {b.number}
    assert queue_numbers(client, queue="all", unit=market.pk) == {b.number}
    assert queue_numbers(client, queue="all", channel="web") == {a.number, b.number}
    response = client.get(
        reverse("desk:queue"), {"queue": "all", "date_from": "2026-02-30", "unit": "abc", "page": "x"}
    )
    assert response.status_code == 200


def test_chinese_search_splits_words_and_searches_replies(client, desk, liaison, make_ticket, market):
    subsidy = make_ticket(description="请问一次性创业补贴需要哪些材料")
    loan = make_ticket(description="创业担保贷款额度")
    other = make_ticket(description="场地租赁")
    replied = services.ticket_dispatch(ticket=make_ticket(description="咨询"), actor=desk, unit=market)
    services.ticket_reply(ticket=replied, actor=liaison, text="社保补贴和创业补贴可以同时申请")
    login(client, desk)
    assert queue_numbers(client, queue="all", q="创业补贴") == {subsidy.number, replied.number}
    assert queue_numbers(client, queue="all", q="创业") == {subsidy.number, loan.number, replied.number}
    assert other.number not in queue_numbers(client, queue="all", q="补贴")


def test_lookup_by_number_mobile_and_uscc(client, desk, make_ticket):
    uscc = factories.uscc()
    a = make_ticket(requester_mobile="13911112222")
    b = make_ticket(uscc=uscc, enterprise_name="上海甲科技有限公司")
    login(client, desk)
    assert queue_numbers(client, queue="all", q=a.number) == {a.number}
    assert queue_numbers(client, queue="all", q="139-1111-2222") == {a.number}
    assert queue_numbers(client, queue="all", q=uscc) == {b.number}


def test_the_detail_page_offers_only_allowed_actions_and_keeps_internal_notes_apart(
    client, desk, liaison, leader, ticket, market
):
    services.ticket_comment(ticket=ticket, actor=desk, text="内部：老客户")
    login(client, desk)
    html = client.get(reverse("desk:ticket_detail", args=[ticket.pk])).content.decode()
    for action in ("派单", "直接答复", "并单", "内部备注"):
        assert f">{action}</summary>" in html
    assert ">签收</summary>" not in html and ">督办</summary>" not in html
    assert "内部：老客户" in html and "内部</span>" in html
    assert "经济发展" not in html
    login(client, leader)
    html = client.get(reverse("desk:ticket_detail", args=[ticket.pk])).content.decode()
    assert ">督办</summary>" in html and ">派单</summary>" not in html


def test_firing_a_transition_through_the_page(client, desk, liaison, ticket, market, league):
    login(client, desk)
    url = reverse("desk:ticket_act", args=[ticket.pk, "dispatch"])
    response = client.post(
        url, {"dispatch-unit": market.pk, "dispatch-co_units": [league.pk], "dispatch-note": "请办理"}
    )
    assert response.status_code == 302
    ticket.refresh_from_db()
    assert ticket.status == Status.DISPATCHED and ticket.lead_unit == market
    assert ticket.assignments.filter(unit=league, role="co").exists()


def test_a_forbidden_or_invalid_transition_shows_a_clear_error_and_changes_nothing(
    client, desk, liaison, ticket, market
):
    login(client, liaison)
    response = client.post(reverse("desk:ticket_act", args=[ticket.pk, "dispatch"]), {"dispatch-unit": market.pk})
    assert response.status_code == 404  # not dispatched to the liaison's unit: invisible to them
    login(client, desk)
    response = client.post(reverse("desk:ticket_act", args=[ticket.pk, "close"]), {})
    assert response.status_code == 400 and "不能执行“办结”" in response.content.decode()
    response = client.post(reverse("desk:ticket_act", args=[ticket.pk, "dispatch"]), {"dispatch-unit": ""})
    assert response.status_code == 400 and "请选择主办单位" in response.content.decode()
    response = client.post(reverse("desk:ticket_act", args=[ticket.pk, "answer_directly"]), {})
    assert response.status_code == 400 and "请填写答复内容" in response.content.decode()
    assert client.post(reverse("desk:ticket_act", args=[ticket.pk, "nonsense"]), {}).status_code == 404
    ticket.refresh_from_db()
    assert ticket.status == Status.RECEIVED


def test_merge_through_the_page_by_number(client, desk, make_ticket, other_ticket):
    primary, duplicate = make_ticket(), make_ticket()
    login(client, desk)
    url = reverse("desk:ticket_act", args=[duplicate.pk, "merge"])
    response = client.post(url, {"merge-target_number": other_ticket.number})
    assert response.status_code == 400 and "请填写要并入的工单编号" in response.content.decode()
    client.post(url, {"merge-target_number": primary.number, "merge-note": "重复"})
    duplicate.refresh_from_db()
    assert duplicate.status == Status.MERGED and duplicate.merged_into == primary


def test_bulk_dispatch_sends_only_tickets_in_scope(client, desk, liaison, make_ticket, market, other_ticket):
    a, b = make_ticket(), make_ticket()
    login(client, desk)
    response = client.post(
        reverse("desk:bulk_dispatch"), {"ids": [a.pk, b.pk, other_ticket.pk], "unit": market.pk}, follow=True
    )
    html = response.content.decode()
    assert "已将 2 张工单派至 市场监管所" in html and "1 张工单不存在" in html
    assert set(Ticket.objects.filter(lead_unit=market).values_list("pk", flat=True)) == {a.pk, b.pk}
    other_ticket.refresh_from_db()
    assert other_ticket.status == Status.RECEIVED
    assert "请选择主办单位" in client.post(reverse("desk:bulk_dispatch"), {"ids": [a.pk]}, follow=True).content.decode()
    login(client, liaison)
    assert client.post(reverse("desk:bulk_dispatch"), {"ids": [a.pk], "unit": market.pk}).status_code == 404


def test_export_gives_the_filtered_list_as_xlsx_with_masked_personal_data(client, desk, make_ticket, other_ticket):
    make_ticket(requester_mobile="13912345678", requester_name="李娜")
    make_ticket(description="场地租赁的问题")
    login(client, desk)
    response = client.get(reverse("desk:export"), {"queue": "all", "q": "补贴"})
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    rows = list(load_workbook(io.BytesIO(response.content)).active.values)
    assert rows[0][0] == "工单编号" and len(rows) == 2
    assert rows[1][8] == "139****5678" and rows[1][7] == "李*"
    assert other_ticket.number not in str(rows)


def test_a_consultation_typed_as_a_formula_is_exported_as_text(client, desk, make_ticket):
    formula = '=HYPERLINK("http://evil.example/","补贴申请")'
    make_ticket(description=formula)
    response = login(client, desk).get(reverse("desk:export"), {"queue": "all"})
    sheet = load_workbook(io.BytesIO(response.content)).active
    cells = [cell for row in sheet.iter_rows(min_row=2) for cell in row if cell.value == formula]
    assert cells and all(cell.data_type == "s" for cell in cells)


def test_revealing_the_full_mobile_is_audited(client, desk, ticket):
    login(client, desk)
    response = client.post(reverse("desk:reveal_mobile", args=[ticket.pk]))
    assert "13912345678" in response.content.decode()
    assert AuditEntry.objects.filter(action="desk.ticket.mobile_viewed", object_id=str(ticket.pk)).exists()


def test_attachments_download_only_within_scope(client, desk, other_desk, town, category):
    ticket, _ = services.ticket_submit_public(
        jurisdiction=town,
        category=category,
        description="见附件",
        requester_name="李娜",
        requester_mobile="13911119999",
        files=[SimpleUploadedFile("照片.png", PNG, "image/png")],
    )
    attachment = ticket.attachments.get()
    url = reverse("desk:attachment", args=[ticket.pk, attachment.pk])
    response = login(client, desk).get(url)
    assert response.status_code == 200 and b"".join(response.streaming_content).startswith(b"\x89PNG")
    assert login(client, other_desk).get(url).status_code == 404


# --- staff intake -------------------------------------------------------------------------------


def intake_data(category, **overrides):
    data = {
        "channel": "walk_in",
        "hotline_order_no": "",
        "category": category.pk,
        "description": "来访咨询开办流程",
        "requester_name": "王强",
        "requester_mobile": "13933334444",
        "id_number": "",
        "uscc": "",
        "enterprise_name": "",
        "idempotency_key": "staff-1",
    }
    data.update(overrides)
    return data


def test_staff_record_a_walk_in_and_become_its_first_handler(client, desk, category):
    response = login(client, desk).post(reverse("desk:intake"), intake_data(category))
    ticket = Ticket.objects.get()
    assert response.status_code == 302 and ticket.channel == "walk_in" and ticket.first_handler == desk


def test_a_12345_transfer_needs_its_order_number(client, desk, category):
    login(client, desk)
    response = client.post(reverse("desk:intake"), intake_data(category, channel="12345"))
    assert response.status_code == 400 and "请填写 12345 工单号" in response.content.decode()
    client.post(reverse("desk:intake"), intake_data(category, channel="12345", hotline_order_no="SH2026112700123"))
    assert Ticket.objects.get().hotline_order_no == "SH2026112700123"


def test_intake_links_existing_registry_records_by_mobile_and_uscc(client, desk, category, town):
    person = factories.person("王强", mobile="13933334444")
    enterprise = factories.enterprise("上海王强餐饮有限公司")
    login(client, desk)
    html = client.post(
        reverse("desk:intake_suggest"), {"requester_mobile": "13933334444", "uscc": enterprise.uscc}
    ).content.decode()
    assert f'value="{person.pk}"' in html and enterprise.name in html
    # Never in a query string, where access logs would keep the mobile.
    assert client.get(reverse("desk:intake_suggest"), {"requester_mobile": "13933334444"}).status_code == 405
    client.post(
        reverse("desk:intake"),
        intake_data(category, uscc=enterprise.uscc, person_id=person.pk, enterprise_id=enterprise.pk),
    )
    ticket = Ticket.objects.get()
    assert ticket.person == person and ticket.enterprise == enterprise


def test_intake_creates_new_registry_records_with_their_audit(client, desk, category):
    from chuangfu.registry.models import Enterprise, Person

    uscc = factories.uscc()
    login(client, desk).post(
        reverse("desk:intake"),
        intake_data(category, id_number=factories.id_number(), uscc=uscc, enterprise_name="上海新开张贸易有限公司"),
    )
    ticket = Ticket.objects.get()
    assert ticket.person == Person.objects.get() and ticket.person.name == "王强"
    assert ticket.enterprise == Enterprise.objects.get(uscc=uscc)
    actions = set(AuditEntry.objects.values_list("action", flat=True))
    assert {"registry.person.created", "registry.enterprise.created", "desk.ticket.created"} <= actions


def test_intake_with_a_wrong_id_number_saves_nothing(client, desk, category):
    from chuangfu.registry.models import Person

    response = login(client, desk).post(reverse("desk:intake"), intake_data(category, id_number="110105194912310021"))
    assert response.status_code == 400 and "校验位" in response.content.decode()
    assert not Ticket.objects.exists() and not Person.objects.exists()


def test_only_desk_staff_record_requests_and_only_in_their_town(client, liaison, desk, category, other_town):
    assert login(client, liaison).get(reverse("desk:intake")).status_code == 403
    other_category = Category.objects.get(jurisdiction=other_town, name="政策咨询")
    response = login(client, desk).post(reverse("desk:intake"), intake_data(other_category))
    assert response.status_code == 400 and not Ticket.objects.exists()


# --- figures -----------------------------------------------------------------------------------


def test_the_dashboard_shows_figures_that_drill_down_to_tickets(client, desk, leader, liaison, make_ticket, market):
    done = services.ticket_dispatch(ticket=make_ticket(), actor=desk, unit=market)
    done = services.ticket_answer(ticket=services.ticket_accept(ticket=done, actor=liaison), actor=liaison, answer="好")
    services.ticket_close(ticket=done, actor=desk)
    open_ = services.ticket_dispatch(ticket=make_ticket(), actor=desk, unit=market)
    login(client, leader)
    response = client.get(reverse("desk:figures"), {"by": "unit"})
    html = response.content.decode()
    assert response.status_code == 200 and "办结率" in html and "市场监管所" in html and "50.0" in html
    drill = client.get(
        reverse("desk:queue"), {"queue": "all", "metric": "closure_rate", "part": "num", "by": "unit", "key": market.pk}
    ).content.decode()
    assert done.number in drill and open_.number not in drill
    for by in ("category", "channel", "month", "nonsense"):
        assert client.get(reverse("desk:figures"), {"by": by, "date_from": "bad"}).status_code == 200


# --- scoping on every URL ---------------------------------------------------------------------


def staff_urls(ticket):
    attachment_id = 1
    return [
        ("get", reverse("desk:ticket_detail", args=[ticket.pk])),
        ("post", reverse("desk:ticket_act", args=[ticket.pk, "comment"])),
        ("post", reverse("desk:reveal_mobile", args=[ticket.pk])),
        ("get", reverse("desk:attachment", args=[ticket.pk, attachment_id])),
    ]


def test_another_towns_ticket_is_not_found_on_every_ticket_url(client, desk, other_ticket):
    login(client, desk)
    for method, url in staff_urls(other_ticket):
        assert getattr(client, method)(url, {"comment-note": "x"}).status_code == 404, url


def test_list_urls_never_show_another_towns_tickets(client, desk, other_ticket):
    login(client, desk)
    for name in ("desk:queue", "desk:export", "desk:figures"):
        response = client.get(reverse(name), {"queue": "all", "q": other_ticket.number})
        if name == "desk:export":
            assert other_ticket.number not in str(list(load_workbook(io.BytesIO(response.content)).active.values))
        else:
            assert f"/desk/tickets/{other_ticket.pk}/" not in response.content.decode(), name


@pytest.mark.parametrize("role", [Role.ENTREPRENEUR, Role.REVIEWER, Role.MENTOR, Role.CARRIER_OPERATOR])
def test_roles_without_desk_work_are_refused_everywhere(client, ticket, town, role):
    login(client, factories.user(role, town))
    for name in ("desk:queue", "desk:export", "desk:figures", "desk:intake", "desk:intake_suggest"):
        assert client.get(reverse(name)).status_code == 403, name
    for method, url in staff_urls(ticket):
        assert getattr(client, method)(url).status_code == 403, url


def test_anonymous_visitors_are_sent_to_log_in(client, ticket):
    for name in ("desk:queue", "desk:figures", "desk:intake"):
        response = client.get(reverse(name))
        assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_a_district_leader_sees_every_town(client, ticket, other_ticket):
    district_leader = factories.user(Role.LEADER, factories.district())
    login(client, district_leader)
    assert queue_numbers(client, queue="all") == {ticket.number, other_ticket.number}


def test_an_all_digit_uscc_and_a_12345_order_number_are_found_exactly(client, desk, make_ticket, category):
    from chuangfu.core.identifiers import compose_uscc

    digits = next(u for u in (compose_uscc("91", "310115", 10_000_000 + i) for i in range(200)) if u.isdigit())
    a = make_ticket(uscc=digits)
    b, _ = services.ticket_record_by_staff(
        actor=desk,
        category=category,
        channel="12345",
        description="转办",
        requester_name="甲",
        requester_mobile="13912120000",
        hotline_order_no="SH20261127A001",
    )
    login(client, desk)
    assert queue_numbers(client, queue="all", q=digits) == {a.number}
    assert queue_numbers(client, queue="all", q="SH20261127A001") == {b.number}


def test_a_long_export_runs_as_a_job_only_its_owner_can_download(
    client, desk, make_ticket, town, monkeypatch, django_capture_on_commit_callbacks
):
    from chuangfu.desk import exporters

    monkeypatch.setattr(exporters, "DIRECT_EXPORT_LIMIT", 2)
    for _ in range(3):
        make_ticket()
    login(client, desk)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.get(reverse("desk:export"), {"queue": "all"})
    job_id = int(response["Location"].rstrip("/").rsplit("/", 1)[-1])
    assert response.status_code == 302 and response["Location"] == reverse("core:export_status", args=[job_id])
    status = client.get(response["Location"]).content.decode()
    assert "已导出 3 行" in status
    download = client.get(reverse("core:export_download", args=[job_id]))
    rows = list(load_workbook(io.BytesIO(b"".join(download.streaming_content))).active.values)
    assert len(rows) == 4
    login(client, factories.user(Role.DESK_STAFF, town))
    assert client.get(reverse("core:export_status", args=[job_id])).status_code == 404
    assert client.get(reverse("core:export_download", args=[job_id])).status_code == 404


def test_the_home_page_shows_what_waits_for_each_role(client, desk, liaison, make_ticket, market):
    make_ticket()
    services.ticket_dispatch(ticket=make_ticket(), actor=desk, unit=market)
    html = login(client, desk).get(reverse("home")).content.decode()
    assert "咨询受理" in html and "待我处理" in html and "/desk/?queue=new" in html
    html = login(client, liaison).get(reverse("home")).content.decode()
    assert "/desk/?queue=new" in html and "/desk/?queue=mine" not in html
    me = factories.user(Role.ENTREPRENEUR, mobile="13912345678")
    me.mobile_verified_at = me.date_joined
    me.save()
    make_ticket(requester_mobile="13912345678")
    html = login(client, me).get(reverse("home")).content.decode()
    assert "我的咨询" in html and reverse("service:mine") in html


def test_queue_rows_escape_what_requesters_typed(client, desk, make_ticket):
    ticket = make_ticket(description='<script>alert("x")</script> 想问 & 补贴', requester_name="<b>李</b>")
    html = login(client, desk).get(reverse("desk:queue")).content.decode()
    assert ticket.number in html and "<script>alert" not in html
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; 想问 &amp; 补贴" in html


def test_the_open_and_waiting_queues_are_told_apart_by_name_and_explanation(client, desk, make_ticket, market):
    make_ticket()  # 待派单: waiting for the desk, and open
    services.ticket_dispatch(ticket=make_ticket(), actor=desk, unit=market)  # open, now the unit's turn
    services.ticket_answer_directly(ticket=make_ticket(), actor=desk, answer="已答复")  # the desk closes it next
    services.ticket_close(
        ticket=services.ticket_answer_directly(ticket=make_ticket(), actor=desk, answer="好"), actor=desk
    )
    html = login(client, desk).get(reverse("desk:queue"), {"counts": "1"}).content.decode()
    open_tab = re.search(r'queue=open[^>]*title="([^"]+)">全部在办 <span class="badge [^"]+">(\d+)<', html)
    new_tab = re.search(r'queue=new[^>]*title="([^"]+)">待我处理 <span class="badge text-bg-primary">(\d+)<', html)
    assert open_tab and new_tab, html
    assert open_tab.group(1) != new_tab.group(1)
    assert (open_tab.group(2), new_tab.group(2)) == ("3", "2")  # 待我处理 is a part of 全部在办, never more
