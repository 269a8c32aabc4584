"""The public side: intake without an account, confirmation, status lookup, rating, my requests."""

import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from chuangfu.core.models import Role
from chuangfu.core.notifications.sms import LocmemSmsBackend
from chuangfu.desk import services
from chuangfu.desk.models import Attachment, Rating, Rectification, Status, Ticket
from chuangfu.desk.services.notify import rating_token
from tests import factories

pytestmark = pytest.mark.django_db

PNG = (
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f\x15\xc4\x89"
    b"\x00\x00\x00\nIDATx\x9cc\x00\x01\x00\x00\x05\x00\x01\r\n-\xb4\x00\x00\x00\x00IEND\xaeB`\x82"
)
PDF = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"


def form_data(cat, **overrides):
    data = {
        "town": cat.jurisdiction_id,
        "category": cat.pk,
        "description": "想咨询一次性创业补贴怎么申请",
        "requester_name": "李娜",
        "requester_mobile": "13912340001",
        "uscc": "",
        "enterprise_name": "",
        "idempotency_key": "k-" + str(overrides.get("requester_mobile", "13912340001")),
    }
    data.update(overrides)
    return data


def submit(client, data, **extra):
    return client.post(reverse("service:submit"), data, **extra)


def test_the_intake_page_works_without_an_account_and_lists_the_towns_categories(client, category, market):
    response = client.get(reverse("service:submit"))
    assert response.status_code == 200
    html = response.content.decode()
    assert "政策咨询" in html and "补贴申领" in html and 'name="idempotency_key"' in html
    assert 'name="files"' in html and "multiple" in html
    assert re.search(rf'<option value="{category.jurisdiction_id}" selected>唐镇', html)


def test_changing_the_town_reloads_its_categories(client, other_town, category):
    from chuangfu.desk.models import Category

    Category.objects.filter(jurisdiction=other_town, name="其他").update(name="张江专属类别")
    response = client.get(reverse("service:submit"), {"town": other_town.pk}, HTTP_HX_REQUEST="true")
    assert "张江专属类别" in response.content.decode() and "errorlist" not in response.content.decode()


def test_a_submission_gets_a_number_a_confirmation_page_and_an_sms(
    client, category, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = submit(
            client,
            form_data(
                category,
                files=[
                    SimpleUploadedFile("营业执照.png", PNG, "image/png"),
                    SimpleUploadedFile("材料.pdf", PDF, "application/pdf"),
                ],
            ),
        )
    assert response.status_code == 302
    ticket = Ticket.objects.get()
    page = client.get(response["Location"])
    assert ticket.number in page.content.decode()
    assert ticket.channel == "web" and ticket.status == Status.RECEIVED and ticket.first_handler is None
    assert sorted(Attachment.objects.values_list("content_type", flat=True)) == ["application/pdf", "image/png"]
    assert LocmemSmsBackend.outbox[0][0] == "13912340001" and ticket.number in LocmemSmsBackend.outbox[0][1]


@pytest.mark.parametrize(
    "overrides, field, message",
    [
        ({"description": ""}, "description", "请填写诉求内容"),
        ({"description": "长" * 2001}, "description", "最多 2000 字"),
        ({"requester_mobile": "12345"}, "requester_mobile", "手机号码格式不正确"),
        ({"requester_name": "  "}, "requester_name", "请填写姓名"),
        ({"uscc": "91350100M000100Y44"}, "uscc", "校验"),
        ({"category": ""}, "category", "请选择咨询类别"),
    ],
)
def test_bad_input_gets_a_clear_error_and_saves_nothing(client, category, overrides, field, message):
    response = submit(client, form_data(category, **overrides))
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not Ticket.objects.exists()


def test_every_problem_is_reported_at_once(client, category):
    response = submit(client, form_data(category, description="", requester_mobile="1", uscc="ABC"))
    html = response.content.decode()
    assert "请填写诉求内容" in html and "手机号码格式不正确" in html and "统一社会信用代码" in html


@pytest.mark.parametrize(
    "upload, message",
    [
        (SimpleUploadedFile("病毒.pdf", b"MZ\x90\x00" + b"\x00" * 200, "application/pdf"), "类型不允许"),
        (SimpleUploadedFile("说明.txt", "纯文本内容".encode(), "text/plain"), "类型不允许"),
        (SimpleUploadedFile("空.png", b"", "image/png"), "是空的"),
    ],
)
def test_files_are_checked_by_their_content(client, category, upload, message):
    response = submit(client, form_data(category, files=[upload]))
    assert message in response.content.decode()
    assert not Ticket.objects.exists() and not Attachment.objects.exists()


def test_oversize_and_too_many_files_are_refused(client, category):
    big = SimpleUploadedFile("大图.png", PNG + b"\x00" * (10 * 1024 * 1024), "image/png")
    assert "超过 10 MB" in submit(client, form_data(category, files=[big])).content.decode()
    six = [SimpleUploadedFile(f"{i}.png", PNG, "image/png") for i in range(6)]
    assert "最多上传 5 个附件" in submit(client, form_data(category, files=six)).content.decode()
    assert not Ticket.objects.exists()


def test_the_same_idempotency_key_twice_makes_one_ticket(client, category):
    first = submit(client, form_data(category))
    second = submit(client, form_data(category))
    assert Ticket.objects.count() == 1
    assert first["Location"] and second.status_code == 302


def test_the_same_text_from_the_same_mobile_within_a_minute_makes_one_ticket(client, category):
    submit(client, form_data(category, idempotency_key="a"))
    submit(client, form_data(category, idempotency_key="b", description="想咨询一次性创业补贴怎么申请  "))
    assert Ticket.objects.count() == 1
    submit(client, form_data(category, idempotency_key="c", description="另一件事：场地租赁"))
    assert Ticket.objects.count() == 2


def test_submissions_are_rate_limited_per_mobile_with_a_friendly_message(client, category):
    for i in range(5):
        assert submit(client, form_data(category, idempotency_key=f"m{i}", description=f"事项 {i}")).status_code == 302
    response = submit(client, form_data(category, idempotency_key="m6", description="事项 6"))
    assert response.status_code == 429 and "提交太频繁" in response.content.decode()
    assert Ticket.objects.count() == 5


def test_submissions_are_rate_limited_per_address(client, category, settings):
    settings.DESK_RATE_LIMITS = {"submit_ip": (2, 3600)}
    for i in range(2):
        submit(client, form_data(category, idempotency_key=f"i{i}", requester_mobile=f"1391234000{i}"))
    response = submit(client, form_data(category, idempotency_key="i9", requester_mobile="13912340009"))
    assert response.status_code == 429 and Ticket.objects.count() == 2
    other = submit(
        client, form_data(category, idempotency_key="i8", requester_mobile="13912340008"), REMOTE_ADDR="10.0.0.8"
    )
    assert other.status_code == 302


def test_behind_a_trusted_proxy_the_limit_counts_each_forwarded_client(client, category, settings):
    settings.DESK_RATE_LIMITS = {"submit_ip": (1, 3600)}
    settings.TRUSTED_PROXIES = ["127.0.0.1"]
    proxy = {"REMOTE_ADDR": "127.0.0.1"}
    first = submit(
        client,
        form_data(category, idempotency_key="p1", requester_mobile="13912340001"),
        HTTP_X_FORWARDED_FOR="203.0.113.7",
        **proxy,
    )
    second = submit(
        client,
        form_data(category, idempotency_key="p2", requester_mobile="13912340002"),
        HTTP_X_FORWARDED_FOR="203.0.113.8",
        **proxy,
    )
    again = submit(
        client,
        form_data(category, idempotency_key="p3", requester_mobile="13912340003"),
        HTTP_X_FORWARDED_FOR="203.0.113.7",
        **proxy,
    )
    assert (first.status_code, second.status_code, again.status_code) == (302, 302, 429)
    # An address the client forges to the left of what the proxy appended does not reset its count.
    forged = submit(
        client,
        form_data(category, idempotency_key="p4", requester_mobile="13912340004"),
        HTTP_X_FORWARDED_FOR="198.51.100.1, 203.0.113.7",
        **proxy,
    )
    assert forged.status_code == 429 and Ticket.objects.count() == 2


def test_without_a_trusted_proxy_a_forwarded_header_does_not_escape_the_limit(client, category, settings):
    settings.DESK_RATE_LIMITS = {"submit_ip": (1, 3600)}
    settings.TRUSTED_PROXIES = []
    submit(
        client,
        form_data(category, idempotency_key="q1", requester_mobile="13912340001"),
        HTTP_X_FORWARDED_FOR="203.0.113.7",
    )
    response = submit(
        client,
        form_data(category, idempotency_key="q2", requester_mobile="13912340002"),
        HTTP_X_FORWARDED_FOR="203.0.113.8",
    )
    assert response.status_code == 429 and Ticket.objects.count() == 1


def test_a_logged_in_entrepreneur_sees_their_requests_and_nobody_elses(client, make_ticket, town, category):
    me = factories.user(Role.ENTREPRENEUR, mobile="13900001111")
    me.mobile_verified_at = me.date_joined
    me.save()
    client.force_login(me)
    submit(client, form_data(category, requester_mobile="13700000000", idempotency_key="acct"))
    by_mobile = make_ticket(requester_mobile="13900001111")
    someone_else = make_ticket(requester_mobile="13900002222")
    html = client.get(reverse("service:mine")).content.decode()
    mine = Ticket.objects.get(idempotency_key="acct")
    assert mine.requester_account == me
    assert mine.number in html and by_mobile.number in html and someone_else.number not in html
    assert client.get(reverse("service:mine_detail", args=[by_mobile.number])).status_code == 200
    assert client.get(reverse("service:mine_detail", args=[someone_else.number])).status_code == 404


# --- status lookup ---------------------------------------------------------------------------------


def lookup(client, number, mobile, **extra):
    return client.post(reverse("service:lookup"), {"number": number, "mobile": mobile}, **extra)


def test_lookup_with_number_and_mobile_shows_status_and_public_replies_only(client, make_ticket, desk, liaison, market):
    ticket = make_ticket(requester_mobile="13955556666")
    ticket = services.ticket_dispatch(ticket=ticket, actor=desk, unit=market, note="内部：请优先")
    services.ticket_comment(ticket=ticket, actor=liaison, text="内部备注：老客户")
    services.ticket_reply(ticket=ticket, actor=liaison, text="正在核实您的情况")
    html = lookup(client, ticket.number, "139 5555 6666").content.decode()
    assert "已派单" in html and "正在核实您的情况" in html and "已派至 市场监管所 办理" in html
    assert "内部备注" not in html and "请优先" not in html and "窗口小王" not in html


@pytest.mark.parametrize("wrong", ["number", "mobile", "both"])
def test_lookup_reveals_nothing_when_either_is_wrong(client, make_ticket, wrong):
    ticket = make_ticket(requester_mobile="13955556666", description="秘密内容")
    number = ticket.number if wrong == "mobile" else "2026010100099"
    mobile = "13955556666" if wrong == "number" else "13955556667"
    html = lookup(client, number, mobile).content.decode()
    assert "没有找到与该编号和手机号相符的工单" in html
    assert "秘密内容" not in html and "已受理" not in html


def test_lookup_is_rate_limited_after_repeated_failures(client, make_ticket):
    ticket = make_ticket(requester_mobile="13955556666")
    for i in range(5):
        lookup(client, ticket.number, f"1395555000{i}")
    response = lookup(client, ticket.number, "13955556666")
    assert response.status_code == 429 and "查询失败次数太多" in response.content.decode()


# --- rating -----------------------------------------------------------------------------------------


def answered(make_ticket, desk, **kw):
    return services.ticket_answer_directly(ticket=make_ticket(**kw), actor=desk, answer="符合条件，可以申请。")


def test_rating_once_and_a_second_visit_shows_the_given_rating(client, make_ticket, desk):
    ticket = answered(make_ticket, desk)
    url = reverse("service:rate", args=[rating_token(ticket)])
    page = client.get(url).content.decode()
    assert "非常满意" in page and "非常不满意" in page and "符合条件，可以申请" in page
    client.post(url, {"grade": 5, "comment": "很快"})
    assert Rating.objects.get(ticket=ticket).grade == 5
    again = client.post(url, {"grade": 1, "comment": "改评"})
    assert Rating.objects.get(ticket=ticket).grade == 5
    assert "您已评价" in client.get(url).content.decode() and again.status_code in (200, 302)


def test_a_bad_rating_opens_a_rectification_for_the_unit_with_a_deadline(
    client, make_ticket, desk, liaison, market, django_capture_on_commit_callbacks
):
    ticket = services.ticket_dispatch(ticket=make_ticket(), actor=desk, unit=market)
    ticket = services.ticket_accept(ticket=ticket, actor=liaison)
    ticket = services.ticket_answer(ticket=ticket, actor=liaison, answer="不符合条件")
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("service:rate", args=[rating_token(ticket)]), {"grade": 2, "comment": "没解释原因"})
    rect = Rectification.objects.get(ticket=ticket)
    assert rect.unit == market and rect.state == Rectification.State.OPEN and rect.due > ticket.received_on
    assert liaison.notifications.filter(title="收到差评，请整改").exists()


def test_rating_before_an_answer_or_with_a_forged_link_is_refused(client, make_ticket):
    ticket = make_ticket()
    assert "答复后才能评价" in client.get(reverse("service:rate", args=[rating_token(ticket)])).content.decode()
    client.post(reverse("service:rate", args=[rating_token(ticket)]), {"grade": 5})
    assert not Rating.objects.exists()
    assert client.get(reverse("service:rate", args=[ticket.number])).status_code == 404
    assert client.get(reverse("service:done", args=["forged"])).status_code == 404


def test_a_bad_grade_is_refused(client, make_ticket, desk):
    ticket = answered(make_ticket, desk)
    response = client.post(reverse("service:rate", args=[rating_token(ticket)]), {"grade": 9})
    assert response.status_code == 400 and not Rating.objects.exists()


def test_the_consultation_form_shows_every_problem_at_once_the_missing_category_included(client, category):
    response = submit(client, form_data(category, category="", description="", requester_mobile="1391234"))
    assert response.status_code == 400
    errors = response.context["form"].errors
    assert set(errors) == {"category", "description", "requester_mobile"}
    assert not Ticket.objects.exists()


def test_staff_intake_shows_every_problem_at_once_the_missing_category_included(client, category):
    desk = factories.user(role=Role.DESK_STAFF, jurisdiction=category.jurisdiction)
    client.force_login(desk)
    data = {"channel": "walk_in", "category": "", "description": "", "requester_name": "", "requester_mobile": "1"}
    response = client.post(reverse("desk:intake"), data)
    assert response.status_code == 400
    assert {"category", "description", "requester_name", "requester_mobile"} <= set(response.context["form"].errors)
