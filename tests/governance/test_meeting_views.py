"""The meeting pages: a unit submits an item, the office records attendance on the phone page,
issues minutes and turns a decision into a task; refusals keep the form; another town's meeting is
not found."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from chuangfu.governance.models import AgendaItem, Attendance, Decision, MeetingStatus, Task

from . import builders

pytestmark = pytest.mark.django_db


def test_the_meeting_runs_from_agenda_call_to_a_decision_task_through_the_pages(client):
    office, liaison = builders.office(), builders.liaison()
    series = builders.series()
    term = builders.term(series.body)
    market = builders.member(term, "吴海涛", "市场监管所", user=liaison)
    plan = builders.plan()
    meeting = builders.meeting(
        series,
        starts_at=timezone.now() + datetime.timedelta(hours=1),
        deadline=timezone.now() + datetime.timedelta(minutes=30),
    )
    client.force_login(office)
    client.post(reverse("governance:meeting_transition", args=[meeting.pk, "call_agenda"]))
    client.force_login(liaison)
    page = client.get(reverse("governance:meeting", args=[meeting.pk])).content.decode()
    assert "提交议题" in page and "下载会前材料" not in page
    client.post(reverse("governance:agenda_item_submit", args=[meeting.pk]), {"title": "贴息政策落实"})
    item = AgendaItem.objects.get()
    client.force_login(office)
    client.post(reverse("governance:agenda_item_decide", args=[item.pk, "accept"]))
    client.post(reverse("governance:meeting_transition", args=[meeting.pk, "set_agenda"]))
    phone = client.get(reverse("governance:attendance", args=[meeting.pk])).content.decode()
    assert "吴海涛" in phone and "委托 / 缺席" in phone
    client.post(reverse("governance:attendance", args=[meeting.pk]), {"member": market.pk, "status": "present"})
    assert Attendance.objects.get().status == "present"
    client.post(reverse("governance:meeting_transition", args=[meeting.pk, "hold"]))
    meeting.refresh_from_db()
    assert meeting.status == MeetingStatus.HELD
    client.post(reverse("governance:minutes_save", args=[meeting.pk]), {"text": "会议研究了贴息政策。"})
    minutes = meeting.minutes.get()
    client.post(reverse("governance:minutes_transition", args=[minutes.pk, "approve"]))
    client.post(reverse("governance:minutes_transition", args=[minutes.pk, "issue"]))
    minutes.refresh_from_db()
    assert minutes.number.endswith(f"〔{timezone.localdate().year}〕1号")
    bad = client.post(
        reverse("governance:decision_create", args=[meeting.pk]), {"text": "落实贴息", "plan": plan.pk, "due_on": ""}
    )
    assert bad.status_code == 400 and "牵头单位" in bad.content.decode()
    assert not Decision.objects.exists() and not Task.objects.exists()
    due = (timezone.localdate() + datetime.timedelta(days=20)).isoformat()
    client.post(
        reverse("governance:decision_create", args=[meeting.pk]),
        {"text": "落实贴息", "plan": plan.pk, "due_on": due, "lead_unit": liaison.unit_id},
    )
    assert Decision.objects.get().task.lead_unit == liaison.unit
    briefing = client.get(reverse("governance:briefing", args=[meeting.pk]))
    assert briefing["Content-Type"].startswith("application/vnd.openxmlformats-officedocument.wordprocessingml")
    client.force_login(liaison)
    issued = client.get(reverse("governance:minutes", args=[minutes.pk])).content.decode()
    assert minutes.number in issued and "落实贴息" in issued and "吴海涛" in issued


def test_a_unit_does_not_read_draft_minutes_and_another_town_is_not_found(client):
    office = builders.office()
    meeting = builders.meeting(starts_at=timezone.now() - datetime.timedelta(hours=1))
    from chuangfu.governance.services import meetings

    for name in ("set_agenda", "hold"):
        meeting = meetings.meeting_transition(actor=office, meeting=meeting, name=name)
    draft = meetings.minutes_save(actor=office, meeting=meeting, text="草稿")
    client.force_login(builders.liaison())
    assert client.get(reverse("governance:minutes", args=[draft.pk])).status_code == 404
    client.force_login(builders.office(builders.other_town()))
    for name in ("governance:meeting", "governance:attendance", "governance:briefing"):
        assert client.get(reverse(name, args=[meeting.pk])).status_code == 404


def test_the_office_moves_agenda_items_with_buttons_and_a_unit_cannot(client):
    from chuangfu.governance.services import meetings

    office, liaison = builders.office(), builders.liaison()
    meeting = builders.meeting(builders.series())
    meeting = meetings.meeting_transition(actor=office, meeting=meeting, name="call_agenda")
    meetings.agenda_item_submit(actor=office, meeting=meeting, title="第一项")
    last = meetings.agenda_item_submit(actor=liaison, meeting=meeting, title="第二项")
    client.force_login(office)
    page = client.get(reverse("governance:meeting", args=[meeting.pk])).content.decode()
    assert reverse("governance:agenda_item_move", args=[last.pk, "up"]) in page
    response = client.post(reverse("governance:agenda_item_move", args=[last.pk, "up"]))
    assert response.status_code == 302 and response["Location"].endswith("#agenda")
    assert list(meeting.agenda_items.values_list("title", flat=True)) == ["第二项", "第一项"]
    english = client.get(reverse("governance:meeting", args=[meeting.pk]), HTTP_ACCEPT_LANGUAGE="en").content
    assert "Move up: 第二项" in english.decode()
    client.force_login(liaison)
    assert (
        client.post(reverse("governance:agenda_item_move", args=[last.pk, "down"])).status_code == 403
    )  # the role table: the office's
    assert (
        reverse("governance:agenda_item_move", args=[last.pk, "down"])
        not in client.get(reverse("governance:meeting", args=[meeting.pk])).content.decode()
    )
    assert list(meeting.agenda_items.values_list("title", flat=True)) == ["第二项", "第一项"]
