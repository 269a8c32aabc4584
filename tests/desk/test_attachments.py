"""Files on staff replies and internal notes, and on API submissions: the same checks as the public
intake (type read from the content, 10 MB, five files), all or nothing, and files on internal notes
never reach the requester."""

import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from chuangfu.core.errors import DomainError
from chuangfu.core.models import TimelineEvent
from chuangfu.desk import services
from chuangfu.desk.models import Attachment, Ticket

from .test_views_public import PDF, PNG, lookup

pytestmark = pytest.mark.django_db


def png(name="现场照片.png"):
    return SimpleUploadedFile(name, PNG, "image/png")


@pytest.fixture
def dispatched(make_ticket, desk, market):
    return services.ticket_dispatch(ticket=make_ticket(requester_mobile="13955556666"), actor=desk, unit=market)


def test_a_public_reply_with_a_file_reaches_the_requester_and_an_internal_notes_file_does_not(
    client, dispatched, liaison, desk
):
    client.force_login(liaison)
    url = reverse("desk:ticket_act", args=[dispatched.pk, "reply"])
    response = client.post(
        url, {"reply-note": "请看办理指南", "reply-files": [SimpleUploadedFile("指南.pdf", PDF, "application/pdf")]}
    )
    assert response.status_code == 302
    client.force_login(desk)
    client.post(
        reverse("desk:ticket_act", args=[dispatched.pk, "comment"]),
        {"comment-note": "内部：材料核对表", "comment-files": [png("核对表.png")]},
    )
    reply_file = Attachment.objects.get(original_name="指南.pdf")
    note_file = Attachment.objects.get(original_name="核对表.png")
    assert (
        reply_file.event.action == "reply" and reply_file.event.public and reply_file.content_type == "application/pdf"
    )
    assert note_file.event.action == "comment" and not note_file.event.public
    staff_html = client.get(reverse("desk:ticket_detail", args=[dispatched.pk])).content.decode()
    assert "指南.pdf" in staff_html and "核对表.png" in staff_html
    assert client.get(reverse("desk:attachment", args=[dispatched.pk, note_file.pk])).status_code == 200

    client.logout()
    html = lookup(client, dispatched.number, "13955556666").content.decode()
    assert "指南.pdf" in html and "核对表.png" not in html
    token = re.search(r'/service/files/([^/"]+)/', html).group(1)
    response = client.get(reverse("service:attachment", args=[token]))
    assert response.status_code == 200 and b"".join(response.streaming_content).startswith(b"%PDF")
    # A link cannot be made for the internal file, nor guessed.
    from chuangfu.desk.services.notify import attachment_token

    assert client.get(reverse("service:attachment", args=[attachment_token(note_file)])).status_code == 404
    assert client.get(reverse("service:attachment", args=[str(note_file.pk)])).status_code == 404


def test_a_bad_file_on_a_reply_is_refused_and_nothing_is_saved(client, dispatched, liaison):
    client.force_login(liaison)
    events = TimelineEvent.objects.count()
    fake = SimpleUploadedFile("报告.pdf", b"MZ\x90\x00 not really a pdf", "application/pdf")
    response = client.post(
        reverse("desk:ticket_act", args=[dispatched.pk, "reply"]), {"reply-note": "见附件", "reply-files": [fake]}
    )
    assert response.status_code == 400 and "类型不允许" in response.content.decode()
    assert TimelineEvent.objects.count() == events and not Attachment.objects.exists()
    with pytest.raises(DomainError) as exc:
        services.ticket_reply(
            ticket=dispatched, actor=liaison, text="六个文件", files=[png(f"{i}.png") for i in range(6)]
        )
    assert "最多上传 5 个附件" in str(exc.value.message)
    big = SimpleUploadedFile("大图.png", PNG + b"\x00" * (10 * 1024 * 1024), "image/png")
    with pytest.raises(DomainError) as exc:
        services.ticket_comment(ticket=dispatched, actor=liaison, text="太大", files=[big])
    assert "超过 10 MB" in str(exc.value.message)
    assert TimelineEvent.objects.count() == events and not Attachment.objects.exists()


def test_files_only_on_replies_notes_and_answers(dispatched, desk, market):
    with pytest.raises(DomainError) as exc:
        services.ticket_transition(
            ticket=dispatched, actor=desk, name="reassign", note="转派", inputs={"unit": market, "files": [png()]}
        )
    assert exc.value.code in ("invalid_files", "invalid_unit")
    from chuangfu.desk.services._common import check_files

    with pytest.raises(DomainError) as exc:
        check_files("reassign", [png()])
    assert "不能附带附件" in str(exc.value.message)


def test_the_answer_and_a_co_handlers_opinion_carry_files(dispatched, desk, liaison, co_liaison, league):
    ticket = services.ticket_co_assign(ticket=dispatched, actor=desk, co_units=[league])
    ticket = services.ticket_co_accept(ticket=ticket, actor=co_liaison)
    services.ticket_co_answer(ticket=ticket, actor=co_liaison, opinion="团委意见见附件", files=[png("意见.png")])
    ticket = services.ticket_accept(ticket=ticket, actor=liaison)
    ticket = services.ticket_answer(ticket=ticket, actor=liaison, answer="答复见附件", files=[png("答复.png")])
    actions = dict(Attachment.objects.values_list("original_name", "event__action"))
    assert actions == {"意见.png": "co_answer", "答复.png": "answer"}


def test_the_api_takes_a_submission_with_files_under_the_same_rules(client, category):
    body = {
        "town": category.jurisdiction.code,
        "category": category.pk,
        "description": "API 提交，附营业执照照片",
        "requester_name": "李娜",
        "requester_mobile": "13955557777",
        "idempotency_key": "api-files-1",
    }
    response = client.post("/api/desk/public/tickets/with-files", {**body, "files": [png("执照.png")]})
    assert response.status_code == 201
    ticket = Ticket.objects.get(number=response.json()["number"])
    assert list(ticket.attachments.values_list("original_name", flat=True)) == ["执照.png"]
    bad = SimpleUploadedFile("执照.png", b"plain text, not an image", "image/png")
    response = client.post(
        "/api/desk/public/tickets/with-files",
        {**body, "idempotency_key": "api-files-2", "requester_mobile": "13955558888", "files": [bad]},
    )
    assert response.status_code == 400 and "类型不允许" in str(response.json())
    assert Ticket.objects.count() == 1
