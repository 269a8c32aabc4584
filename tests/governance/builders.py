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
