"""Builders for activities tests: an activity in a given state, registrations, attendees."""

import datetime
import itertools

from django.utils import timezone

from chuangfu.activities.models import Activity, ActivityStatus, ActivityType, Audience
from chuangfu.activities.services import activities as activity_services
from chuangfu.activities.services import registrations
from chuangfu.core.models import Role
from tests import factories

_mobiles = itertools.count(1)


def mobile() -> str:
    return f"137{next(_mobiles):08d}"


def manager(**kwargs):
    return factories.user(role=Role.DESK_STAFF, **kwargs)


def details(
    *,
    now=None,
    jurisdiction=None,
    type_code="service_day",
    capacity=10,
    starts_in=datetime.timedelta(days=7),
    duration=datetime.timedelta(hours=3),
    opens_before=datetime.timedelta(days=8),
    closes_before=datetime.timedelta(0),
    **overrides,
) -> dict:
    now = now or timezone.now()
    starts_at = now + starts_in
    values = {
        "jurisdiction": jurisdiction or factories.town(),
        "type": ActivityType.objects.get(code=type_code),
        "title": "创业服务日",
        "description": "政策咨询、招聘、补贴申请一站办。",
        "starts_at": starts_at,
        "ends_at": starts_at + duration,
        "place_carrier": None,
        "address": "唐镇创新中路 1 号",
        "host_carrier": None,
        "capacity": capacity,
        "registration_opens_at": starts_at - opens_before,
        "registration_closes_at": starts_at - closes_before,
        "audience": Audience.BOTH,
        "needs_approval": False,
        "offer_hold_hours": 12,
    }
    values.update(overrides)
    return values


def activity(*, actor=None, status=ActivityStatus.REGISTRATION_OPEN, now=None, **kwargs) -> Activity:
    """An activity created and moved through its lifecycle to ``status`` by the services."""
    now = now or timezone.now()
    actor = actor or manager()
    created = activity_services.activity_create(actor=actor, details=details(now=now, **kwargs))
    path = {
        ActivityStatus.DRAFT: [],
        ActivityStatus.PUBLISHED: ["publish"],
        ActivityStatus.REGISTRATION_OPEN: ["publish"],
        ActivityStatus.REGISTRATION_CLOSED: ["publish", "close_registration"],
        ActivityStatus.IN_PROGRESS: ["publish", "start"],
        ActivityStatus.FINISHED: ["publish", "start", "finish"],
        ActivityStatus.CANCELLED: ["publish", "cancel"],
    }[status]
    for name in path:
        if name == "close_registration" and created.status != ActivityStatus.REGISTRATION_OPEN:
            continue
        created = activity_services.activity_transition(
            activity=created, actor=actor, name=name, note="天气原因" if name == "cancel" else "", now=now
        )
    return created


def register(act, *, name="李四", now=None, **kwargs):
    kwargs.setdefault("mobile", mobile())
    return registrations.registration_create(activity=act, name=name, now=now, **kwargs)
