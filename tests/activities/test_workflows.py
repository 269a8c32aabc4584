"""The activity lifecycle: one declared machine, Chinese labels, the clock, cancellation."""

import datetime

import pytest
from django.utils import timezone

from chuangfu.activities.models import Activity, ActivityStatus
from chuangfu.activities.services import activities as activity_services
from chuangfu.activities.workflows import ACTIVITY
from chuangfu.core.errors import DomainError
from chuangfu.core.models import AuditEntry, Notification, Role
from chuangfu.core.notifications.sms import LocmemSmsBackend
from tests import factories

from . import builders

pytestmark = pytest.mark.django_db


def test_lifecycle_labels_are_the_chinese_ones_of_the_issue():
    assert [str(label) for _, label in ACTIVITY.choices()] == [
        "草稿",
        "已发布",
        "报名中",
        "报名截止",
        "进行中",
        "已结束",
        "已总结",
        "已取消",
    ]


def test_publishing_inside_the_window_opens_registration_at_once():
    act = builders.activity(status=ActivityStatus.DRAFT)
    act = activity_services.activity_transition(activity=act, actor=builders.manager(), name="publish")
    assert act.status == ActivityStatus.REGISTRATION_OPEN
    actions = list(
        AuditEntry.objects.filter(object_id=str(act.pk), action__startswith="activities.activity.")
        .order_by("id")
        .values_list("action", "actor_repr")
    )
    assert actions[-2:] == [
        ("activities.activity.publish", str(actions[-2][1])),
        ("activities.activity.open_registration", "系统"),
    ]


def test_the_clock_moves_an_activity_through_its_day():
    now = timezone.now()
    act = builders.activity(now=now, starts_in=datetime.timedelta(days=2), closes_before=datetime.timedelta(days=1))
    activity_services.activities_advance_due(now=act.registration_closes_at)
    act.refresh_from_db()
    assert act.status == ActivityStatus.REGISTRATION_CLOSED
    activity_services.activities_advance_due(now=act.starts_at)
    act.refresh_from_db()
    assert act.status == ActivityStatus.IN_PROGRESS
    activity_services.activities_advance_due(now=act.ends_at)
    act.refresh_from_db()
    assert act.status == ActivityStatus.FINISHED


def test_a_late_sweep_catches_up_every_step_at_once():
    now = timezone.now()
    act = builders.activity(
        now=now,
        status=ActivityStatus.PUBLISHED,
        opens_before=datetime.timedelta(days=1),
        starts_in=datetime.timedelta(days=2),
    )
    assert act.status == ActivityStatus.PUBLISHED
    assert activity_services.activities_advance_due(now=act.ends_at + datetime.timedelta(hours=1)) == 1
    act.refresh_from_db()
    assert act.status == ActivityStatus.FINISHED


def test_an_entrepreneur_cannot_fire_lifecycle_transitions():
    act = builders.activity(status=ActivityStatus.DRAFT)
    with pytest.raises(DomainError) as exc:
        activity_services.activity_transition(
            activity=act, actor=factories.user(role=Role.ENTREPRENEUR), name="publish"
        )
    assert "您的角色不能执行" in str(exc.value.message)


def test_transition_from_the_wrong_state_says_which_state():
    act = builders.activity(status=ActivityStatus.DRAFT)
    with pytest.raises(DomainError) as exc:
        activity_services.activity_transition(activity=act, actor=builders.manager(), name="finish")
    assert "当前状态为“草稿”" in str(exc.value.message)


def test_cancelling_needs_a_reason():
    act = builders.activity()
    with pytest.raises(DomainError, match="需要填写说明"):
        activity_services.activity_transition(activity=act, actor=builders.manager(), name="cancel", note="  ")
    act.refresh_from_db()
    assert act.status == ActivityStatus.REGISTRATION_OPEN


def test_cancelling_notifies_every_registrant(django_capture_on_commit_callbacks):
    act = builders.activity(capacity=1)
    member = factories.user(role=Role.ENTREPRENEUR, mobile="13700000001")
    with_account = builders.register(act, user=member, mobile="13700000001")
    waiting = builders.register(act, mobile="13700000002")
    LocmemSmsBackend.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        act = activity_services.activity_transition(
            activity=act, actor=builders.manager(), name="cancel", note="台风预警"
        )
    assert act.status == ActivityStatus.CANCELLED and act.cancel_reason == "台风预警"
    texts = dict(LocmemSmsBackend.outbox)
    assert set(texts) == {with_account.mobile, waiting.mobile}
    assert all("台风预警" in t and "已取消" in t for t in texts.values())
    assert Notification.objects.filter(recipient=member, title="活动已取消").exists()


def test_summary_requires_a_finished_activity_and_text():
    act = builders.activity(status=ActivityStatus.IN_PROGRESS)
    staff = builders.manager()
    with pytest.raises(DomainError, match="活动结束后才能填写总结"):
        activity_services.activity_summarise(activity=act, actor=staff, summary="很好")
    act = activity_services.activity_transition(activity=act, actor=staff, name="finish")
    with pytest.raises(DomainError, match="请填写活动总结"):
        activity_services.activity_summarise(activity=act, actor=staff, summary="", complete=True)
    act = activity_services.activity_summarise(
        activity=act, actor=staff, summary="现场咨询 30 人次", outcomes="3 家企业提交补贴申请", complete=True
    )
    assert act.status == ActivityStatus.SUMMARISED and act.summarised_at is not None
    assert AuditEntry.objects.get(action="activities.activity.summarise").after["attendance"] == 0


def test_bad_schedules_are_refused_with_clear_messages():
    staff = builders.manager()
    now = timezone.now()
    cases = [
        ({"ends_at": now}, "结束时间必须晚于开始时间"),
        ({"registration_closes_at": now - datetime.timedelta(days=30)}, "报名截止时间必须晚于报名开始时间"),
        ({"registration_closes_at": now + datetime.timedelta(days=30)}, "报名截止时间不能晚于活动结束时间"),
        ({"capacity": 0}, "名额至少为 1 人"),
        ({"address": ""}, "请选择活动地点所在的载体，或填写活动地址"),
        ({"title": " "}, "请填写活动名称"),
        ({"jurisdiction": factories.district()}, "请选择活动所属的镇"),
    ]
    for overrides, message in cases:
        with pytest.raises(DomainError, match=message):
            activity_services.activity_create(actor=staff, details=builders.details(now=now, **overrides))
    assert Activity.objects.count() == 0


def test_clone_copies_questions_and_moves_the_dates():
    act = builders.activity()
    staff = builders.manager()
    q1 = activity_services.question_add(activity=act, actor=staff, text="是否已创业", kind="choice", choices="是\n否")
    activity_services.question_add(
        activity=act, actor=staff, text="员工人数", kind="number", show_if_question=q1, show_if_answer="是"
    )
    new_start = act.starts_at + datetime.timedelta(days=30)
    copy = activity_services.activity_clone(activity=act, actor=staff, starts_at=new_start)
    assert copy.status == ActivityStatus.DRAFT and copy.starts_at == new_start
    assert copy.registration_closes_at - copy.starts_at == act.registration_closes_at - act.starts_at
    copied = list(copy.questions.order_by("position"))
    assert [q.text for q in copied] == ["是否已创业", "员工人数"]
    assert copied[1].show_if_question_id == copied[0].pk


def test_series_creates_monthly_drafts():
    act = builders.activity()
    series = activity_services.series_create(
        activity=act, actor=builders.manager(), name="每月服务日", step="month", count=3
    )
    starts = [timezone.localtime(a.starts_at) for a in series.activities.order_by("starts_at")]
    assert len(starts) == 3
    assert [(s.month - starts[0].month) % 12 for s in starts] == [0, 1, 2]
    assert {s.hour for s in starts} == {starts[0].hour}
