"""Builders for governance test records: people in each role, a body with a term."""

import datetime

from chuangfu.core.models import Role
from chuangfu.governance.models import Body, BodyKind, Term

from .. import factories

TERM_START = datetime.date(2026, 1, 5)


def office(jurisdiction=None, **extra):
    return factories.user(Role.LEADER, jurisdiction=jurisdiction, unit_=factories.unit("党政办", jurisdiction), **extra)


def liaison(unit_name="市场监管所", jurisdiction=None, **extra):
    unit = factories.unit(unit_name, jurisdiction)
    return factories.user(Role.UNIT_LIAISON, jurisdiction=jurisdiction, unit_=unit, **extra)


def other_town():
    return factories.town("310115125")


def body(jurisdiction=None, name="领导小组", kind=BodyKind.LEADING_GROUP) -> Body:
    return Body.objects.create(jurisdiction=jurisdiction or factories.town(), name=name, kind=kind)


def term(body_=None, name="2026届") -> Term:
    return Term.objects.create(body=body_ or body(), name=name, starts_on=TERM_START)


PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\n%%EOF"


def pdf(name="佐证.pdf"):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(name, PDF, content_type="application/pdf")


def plan(jurisdiction=None, title="2026年创建工作计划"):
    from chuangfu.governance.models import Plan

    return Plan.objects.get_or_create(
        jurisdiction=jurisdiction or factories.town(), title=title, defaults={"year": 2026}
    )[0]


def task(plan_=None, *, lead="市场监管所", co=(), due_on=datetime.date(2026, 6, 30), weight=1, actor=None, **extra):
    from chuangfu.governance.services.ledger import task_create

    plan_ = plan_ or plan()
    return task_create(
        actor=actor or office(plan_.jurisdiction),
        plan=plan_,
        title=extra.pop("title", "开展创业服务日活动"),
        lead_unit=factories.unit(lead, plan_.jurisdiction),
        co_units=[factories.unit(name, plan_.jurisdiction) for name in co],
        starts_on=extra.pop("starts_on", datetime.date(2026, 3, 2)),
        due_on=due_on,
        weight=weight,
        **extra,
    )


def series(body_=None, name="促进就业创业工作联席会议"):
    from chuangfu.governance.models import MeetingSeries, SeriesKind

    body_ = body_ or body(kind=BodyKind.JOINT_MEETING, name="联席会议")
    return MeetingSeries.objects.get_or_create(
        jurisdiction=body_.jurisdiction,
        name=name,
        defaults={"body": body_, "kind": SeriesKind.JOINT_MEETING, "minutes_prefix": "唐镇联席会议纪要"},
    )[0]


def meeting(series_=None, *, starts_at=None, deadline=None, title="2026年第一次联席会议"):
    from django.utils import timezone

    from chuangfu.governance.services.meetings import meeting_create

    series_ = series_ or series()
    starts_at = starts_at or timezone.now() + datetime.timedelta(days=7)
    return meeting_create(
        actor=office(series_.jurisdiction),
        series=series_,
        title=title,
        starts_at=starts_at,
        place="镇政府三楼会议室",
        agenda_deadline=deadline or starts_at - datetime.timedelta(days=2),
    )


def member(term_, name, unit_name=None, position="member_unit", user=None):
    from chuangfu.governance.services.bodies import membership_add

    return membership_add(
        actor=office(term_.body.jurisdiction),
        term=term_,
        name=name,
        position=position,
        unit=factories.unit(unit_name, term_.body.jurisdiction) if unit_name else None,
        user=user,
        joined_on=term_.starts_on,
    )
