"""Builders for test records. Each returns a saved object with valid identifiers."""

import datetime
import itertools

from chuangfu.core.identifiers import birth_date_from_id, compose_id_number, compose_uscc, gender_from_id
from chuangfu.core.models import Jurisdiction, Role, Unit, User
from chuangfu.registry.search import name_pinyin

_seq = itertools.count(1)


def town(code="310115114") -> Jurisdiction:
    return Jurisdiction.objects.get(code=code)


def district() -> Jurisdiction:
    return Jurisdiction.objects.get(code="310115")


def village(parent: Jurisdiction | None = None, name="演示村") -> Jurisdiction:
    parent = parent or town()
    n = next(_seq)
    return Jurisdiction.objects.create(
        code=f"{parent.code}{n % 1000:03d}",
        name=f"{name}{n}",
        level=Jurisdiction.Level.VILLAGE,
        parent=parent,
        is_demo=True,
    )


def unit(name="社区事务受理服务中心", jurisdiction=None, kind=Unit.Kind.SERVICE_CENTRE) -> Unit:
    return Unit.objects.get_or_create(name=name, jurisdiction=jurisdiction or town(), defaults={"kind": kind})[0]


def user(role=Role.DESK_STAFF, jurisdiction=None, unit_=None, username=None, password="Chuangfu2026", **extra) -> User:
    n = next(_seq)
    u = User.objects.create_user(
        username=username or f"{role}{n}",
        password=password,
        role=role,
        jurisdiction=jurisdiction if jurisdiction is not None else (town() if role != Role.ENTREPRENEUR else None),
        unit=unit_,
        display_name=extra.pop("display_name", f"测试{n}"),
        **extra,
    )
    return u


def id_number(birth=datetime.date(1995, 6, 1), male=True, area="310115") -> str:
    n = next(_seq) % 500
    return compose_id_number(area, birth, n * 2 + (1 if male else 0))


def uscc(area="310115") -> str:
    return compose_uscc("91", area, 10_000_000 + next(_seq))


def person(name="张三", jurisdiction=None, **fields):
    from chuangfu.registry.models import Person

    fields.setdefault("id_number", id_number())
    fields.setdefault("mobile", f"139{next(_seq):08d}")
    fields.setdefault("birth_date", birth_date_from_id(fields["id_number"]))
    fields.setdefault("gender", gender_from_id(fields["id_number"]))
    fields.setdefault("name_pinyin", name_pinyin(name, surname=True))
    return Person.objects.create(name=name, jurisdiction=jurisdiction or town(), **fields)


def enterprise(name=None, jurisdiction=None, **fields):
    from chuangfu.registry.models import Enterprise

    n = next(_seq)
    fields.setdefault("uscc", uscc())
    fields.setdefault("founded_on", datetime.date(2024, 3, 1))
    name = name or f"上海测试{n}科技有限公司"
    fields.setdefault("name_pinyin", name_pinyin(name))
    return Enterprise.objects.create(name=name, jurisdiction=jurisdiction or town(), **fields)
