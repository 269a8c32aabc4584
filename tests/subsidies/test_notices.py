"""公示: a batch of applications that passed second review is published for N working days with
names masked; objections must be resolved before approval is final; at the end of the period the
daily job or a reviewer approves what has no open objection."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from chuangfu.core.errors import DomainError
from chuangfu.core.models import AuditEntry, Notification, Role
from chuangfu.core.notifications.sms import LocmemSmsBackend
from chuangfu.subsidies.models import (
    EntryOutcome,
    NoticeStatus,
    Objection,
    ObjectionStatus,
    Status,
)
from chuangfu.subsidies.services import notices
from tests import factories as f

from .builders import applicant_account, second_reviewed

PUBLISHED_ON = datetime.date(2026, 9, 30)  # Wed; + 5 working days = Tue 10/13 (国庆, 补班 Sat 10/10)


@pytest.fixture
def reviewed(policy, applicant, reviewer, reviewer2):
    other = applicant_account(name="欧阳娜娜")
    return [
        second_reviewed(policy, applicant, reviewer, reviewer2, amount=Decimal("5000")),
        second_reviewed(policy, other, reviewer, reviewer2, amount=Decimal("3000")),
    ]


@pytest.fixture
def published(reviewed, reviewer, django_capture_on_commit_callbacks):
    batch = notices.notice_batch_create(actor=reviewer, title="2026年第3批创业补贴公示", applications=reviewed, days=5)
    with django_capture_on_commit_callbacks(execute=True):
        return notices.notice_batch_publish(actor=reviewer, batch=batch, today=PUBLISHED_ON)


def test_publishing_counts_the_period_in_working_days_masks_names_and_moves_applications(
    published, reviewed, applicant
):
    assert published.status == NoticeStatus.PUBLISHED
    # counted from the day after publishing (开始之日不计入): 国庆 ends 10/7, so the first day is Thu 10/8
    assert (published.starts_on, published.ends_on) == (datetime.date(2026, 10, 8), datetime.date(2026, 10, 13))
    assert published.number.startswith("GS2026")
    entries = {e.application_id: e for e in published.entries.all()}
    assert entries[reviewed[0].pk].public_name == "李*业"
    assert entries[reviewed[1].pk].public_name == "欧**娜"
    assert entries[reviewed[1].pk].amount == Decimal("3000")
    for application in reviewed:
        application.refresh_from_db()
        assert application.status == Status.IN_NOTICE
        event = application.events.get(action="publish")
        assert event.public and "2026-10-13" in event.public_note
    note = Notification.objects.get(recipient=applicant)
    assert "公示" in note.title and reviewed[0].number in note.body


def test_only_second_reviewed_applications_of_ones_own_town_can_be_gathered(policy, applicant, reviewer, reviewer2):
    application = second_reviewed(policy, applicant, reviewer, reviewer2)
    batch = notices.notice_batch_create(actor=reviewer, title="公示", applications=[application])
    with pytest.raises(DomainError) as twice:
        notices.notice_batch_create(actor=reviewer, title="又一次", applications=[application])
    assert twice.value.code == "already_in_notice" and batch.number in str(twice.value.message)
    elsewhere = f.user(role=Role.REVIEWER, jurisdiction=f.town("310115125"))
    with pytest.raises(DomainError) as foreign:
        notices.notice_batch_create(actor=elsewhere, title="公示", applications=[application])
    assert foreign.value.status == 404
    desk = f.user(role=Role.DESK_STAFF)
    with pytest.raises(DomainError) as role:
        notices.notice_batch_create(actor=desk, title="公示", applications=[application])
    assert role.value.status == 403
    with pytest.raises(DomainError) as days:
        notices.notice_batch_create(actor=reviewer, title="公示", applications=[application], days=0)
    assert days.value.code == "bad_days"


def test_finalising_waits_for_the_end_of_the_period(published, reviewer):
    with pytest.raises(DomainError) as early:
        notices.notice_batch_finalise(actor=reviewer, batch=published, today=datetime.date(2026, 10, 13))
    assert early.value.code == "period_running" and "2026-10-13" in str(early.value.message)


def test_an_open_objection_holds_its_application_until_resolved(published, reviewed, reviewer):
    entry = published.entries.get(application=reviewed[0])
    objection = notices.objection_submit_public(
        entry=entry,
        name="王群众",
        mobile="13800138000",
        content="申请人并未在本镇实际经营。",
        ip="10.0.0.1",
        today=datetime.date(2026, 10, 9),
    )
    assert objection.status == ObjectionStatus.OPEN and objection.masked_mobile == "138****8000"
    report = notices.notice_batch_finalise(actor=reviewer, batch=published, today=datetime.date(2026, 10, 14))
    assert report.approved == [reviewed[1].number] and report.waiting == [reviewed[0].number]
    assert not report.closed
    reviewed[0].refresh_from_db()
    assert reviewed[0].status == Status.IN_NOTICE
    with pytest.raises(DomainError) as bare:
        notices.objection_resolve(actor=reviewer, objection=objection, upheld=False, resolution="  ")
    assert bare.value.code == "note_required"
    notices.objection_resolve(
        actor=reviewer, objection=objection, upheld=False, resolution="经实地核查，申请人在唐镇经营场所正常营业。"
    )
    report = notices.notice_batch_finalise(actor=reviewer, batch=published, today=datetime.date(2026, 10, 15))
    assert report.approved == [reviewed[0].number] and report.closed
    reviewed[0].refresh_from_db()
    assert reviewed[0].status == Status.APPROVED


def test_an_upheld_objection_rejects_the_application_with_the_reason(
    published, reviewed, reviewer, applicant, django_capture_on_commit_callbacks
):
    entry = published.entries.get(application=reviewed[0])
    objection = notices.objection_record(
        actor=f.user(role=Role.DESK_STAFF),
        entry=entry,
        name="赵来电",
        mobile="13700137000",
        content="电话反映：该店铺去年已注销。",
    )
    second = notices.objection_submit_public(
        entry=entry,
        name="钱邻居",
        mobile="13700137001",
        content="该店铺早已关门。",
        ip="10.0.0.3",
        today=datetime.date(2026, 10, 9),
    )
    with django_capture_on_commit_callbacks(execute=True):
        notices.objection_resolve(
            actor=reviewer,
            objection=objection,
            upheld=True,
            resolution="经核查，申请人经营主体已于2025年注销，不符合申请条件。",
        )
    reviewed[0].refresh_from_db()
    entry.refresh_from_db()
    assert reviewed[0].status == Status.REJECTED and entry.outcome == EntryOutcome.WITHDRAWN
    second.refresh_from_db()
    assert second.status == ObjectionStatus.UPHELD and "已于2025年注销" in second.resolution
    event = reviewed[0].events.get(action="uphold_objection")
    assert "已于2025年注销" in event.public_note
    assert any("已于2025年注销" in n.body for n in Notification.objects.filter(recipient=applicant))
    assert any(mobile == "13700137000" and "异议成立" in text for mobile, text in LocmemSmsBackend.outbox)
    with pytest.raises(DomainError) as closed:
        notices.objection_submit_public(
            entry=entry,
            name="某人",
            mobile="13800138001",
            content="再提一次异议。",
            ip="10.0.0.2",
            today=datetime.date(2026, 10, 9),
        )
    assert closed.value.code == "notice_closed"


def test_the_daily_job_approves_what_has_no_objection_as_the_system(published, reviewed):
    assert notices.notices_finalise_due(today=datetime.date(2026, 10, 13)) == []
    reports = notices.notices_finalise_due(today=datetime.date(2026, 10, 14))
    assert [r.batch.pk for r in reports] == [published.pk] and reports[0].closed
    for application in reviewed:
        application.refresh_from_db()
        assert application.status == Status.APPROVED
    entry = AuditEntry.objects.filter(action="subsidies.application.finalise").first()
    assert entry.actor is None and entry.actor_repr == "系统"


def test_a_second_finaliser_is_told_who_finalised_the_batch(published, reviewer):
    notices.notice_batch_finalise(actor=reviewer, batch=published, today=datetime.date(2026, 10, 14))
    other = f.user(role=Role.REVIEWER, display_name="审核丙")
    with pytest.raises(DomainError) as again:
        notices.notice_batch_finalise(actor=other, batch=published, today=datetime.date(2026, 10, 14))
    assert again.value.status == 409 and str(reviewer) in str(again.value.message)


def test_a_reviewer_involved_in_an_application_cannot_finalise_it(published, reviewed, applicant):
    """Separation of duties holds at 公示 too: the applicant's own account is not a reviewer, and a
    reviewer who filled the application in for someone is refused."""
    involved = f.user(role=Role.REVIEWER, display_name="代填审核")
    reviewed[0].__class__.objects.filter(pk=reviewed[0].pk).update(submitted_by=involved)
    with pytest.raises(DomainError) as refused:
        notices.notice_batch_finalise(actor=involved, batch=published, today=datetime.date(2026, 10, 14))
    assert "不能审核" in str(refused.value.message)
    reviewed[1].refresh_from_db()
    assert reviewed[1].status == Status.IN_NOTICE  # nothing half-done: the whole finalisation rolled back


def test_public_objections_are_rate_limited_per_mobile_and_checked(published, reviewed, settings):
    settings.SUBSIDY_OBJECTION_LIMITS = {"mobile": (2, 3600), "ip": (100, 3600)}
    entry = published.entries.get(application=reviewed[1])
    day = datetime.date(2026, 10, 9)
    for n in range(2):
        notices.objection_submit_public(
            entry=entry, name="重复者", mobile="13900139000", content=f"第{n}次异议内容", ip=f"10.0.1.{n}", today=day
        )
    with pytest.raises(DomainError) as limited:
        notices.objection_submit_public(
            entry=entry, name="重复者", mobile="13900139000", content="第三次异议内容", ip="10.0.1.9", today=day
        )
    assert limited.value.status == 429
    with pytest.raises(ValidationError) as bad:
        notices.objection_submit_public(entry=entry, name="", mobile="12345", content="短", ip="10.0.1.8", today=day)
    assert set(bad.value.message_dict) == {"name", "mobile", "content"}
    with pytest.raises(DomainError) as late:
        notices.objection_submit_public(
            entry=entry,
            name="迟到者",
            mobile="13900139001",
            content="公示期后的异议",
            ip="10.0.1.7",
            today=datetime.date(2026, 10, 14),
        )
    assert late.value.code == "period_over"
    assert Objection.objects.count() == 2


def test_one_application_is_finalised_on_its_own_once(published, reviewed, reviewer):
    entry = published.entries.get(application=reviewed[0])
    notices.objection_submit_public(
        entry=entry,
        name="王群众",
        mobile="13800138000",
        content="申请人并未实际经营。",
        ip="10.0.0.1",
        today=datetime.date(2026, 10, 9),
    )
    with pytest.raises(DomainError) as early:
        notices.notice_entry_finalise(actor=reviewer, application=reviewed[1], today=datetime.date(2026, 10, 13))
    assert early.value.code == "period_running"
    with pytest.raises(DomainError) as held:
        notices.notice_entry_finalise(actor=reviewer, application=reviewed[0], today=datetime.date(2026, 10, 14))
    assert held.value.code == "open_objection"
    approved = notices.notice_entry_finalise(actor=reviewer, application=reviewed[1], today=datetime.date(2026, 10, 14))
    assert approved.status == Status.APPROVED
    with pytest.raises(DomainError) as twice:
        notices.notice_entry_finalise(actor=reviewer, application=reviewed[1], today=datetime.date(2026, 10, 14))
    assert twice.value.code == "already_finalised" and "已核准" in str(twice.value.message)
    published.refresh_from_db()
    assert published.status == NoticeStatus.PUBLISHED  # one entry still waits for its objection


def test_a_draft_batch_can_be_discarded_but_not_a_published_one(policy, applicant, reviewer, reviewer2, published):
    application = second_reviewed(policy, applicant_account(name="张三丰"), reviewer, reviewer2)
    draft_batch = notices.notice_batch_create(actor=reviewer, title="写错了", applications=[application])
    notices.notice_batch_discard(actor=reviewer, batch=draft_batch)
    again = notices.notice_batch_create(actor=reviewer, title="重新生成", applications=[application])
    assert again.entries.get().application == application
    assert AuditEntry.objects.filter(action="subsidies.notice.discarded").count() == 1
    with pytest.raises(DomainError) as refused:
        notices.notice_batch_discard(actor=reviewer, batch=published)
    assert refused.value.code == "not_draft" and published.entries.count() == 2


def test_the_notice_page_and_the_rule_on_the_form_agree_the_period_starts_the_day_after_publishing(
    client, published, reviewer
):
    page = client.get(reverse("public_notices:detail", args=[published.number])).content.decode()
    assert "公示期（自发布次日起算）：2026年10月8日 至 2026年10月13日（5 个工作日）" in page
    client.force_login(reviewer)
    form = client.get(reverse("notices:batch_create")).content.decode()
    assert "公示期自发布次日起按工作日计算" in form
