"""The part of the demo data that does not scale: demo villages, units, carriers, mentors and
one account per role (the data is in ``directory``). Created once; running it again changes
nothing (every row is found by its natural key first).
"""

import datetime
from decimal import Decimal

from django.contrib.auth.hashers import make_password
from django.db import transaction

from chuangfu.core.crypto import lookup_hash
from chuangfu.core.identifiers import birth_date_from_id, compose_id_number, compose_uscc, gender_from_id
from chuangfu.core.management.commands.demo_logins import DEMO_EMAIL_DOMAIN, DEMO_PASSWORD
from chuangfu.core.models import Jurisdiction, Role, Unit, User

from ..models import (
    Carrier,
    CarrierKind,
    Education,
    EmploymentStatus,
    Enterprise,
    EnterprisePerson,
    EntityType,
    HukouKind,
    Mentor,
    Person,
    Tag,
)
from ..search import name_pinyin
from .directory import (
    ACCOUNTS,
    CARRIERS,
    DEMO_VILLAGES,
    DISTRICT,
    MENTORS,
    STATION_CONTACTS,
    STATION_SERVICES,
    TANGZHEN,
    UNITS,
    ZHANGJIANG,
)
from .vocab import FIXED_MOBILE_PREFIX, TAGS

# ID sequences 990–999 are reserved for fixed people; the bulk data uses 000–989 only.
FIXED_SEQUENCE_BASE = 990


def seed_fixed() -> dict:
    """Create (or find) the scale-independent demo data; return what the bulk generator needs."""
    with transaction.atomic():
        towns = {code: Jurisdiction.objects.get(code=code) for code in (DISTRICT, TANGZHEN, ZHANGJIANG)}
        villages = _villages(towns)
        units = _units(towns)
        tags = {code: Tag.objects.get_or_create(code=code, defaults={"name": name})[0] for code, name in TAGS}
        carriers = _carriers(towns, villages, units)
        mentors = _mentors(towns, carriers)
        accounts = _accounts(towns, units, mentors)
        _demo_entrepreneur(accounts["tz_entrepreneur"], villages[TANGZHEN][0], carriers, tags)
    return {"towns": towns, "villages": villages, "carriers": carriers, "tags": tags}


def _villages(towns) -> dict[str, list[Jurisdiction]]:
    result = {}
    for town_code, entries in DEMO_VILLAGES.items():
        town = towns[town_code]
        result[town_code] = [
            Jurisdiction.objects.get_or_create(
                code=f"{town_code}{suffix}",
                defaults={"name": name, "level": Jurisdiction.Level.VILLAGE, "parent": town, "is_demo": True},
            )[0]
            for suffix, name in entries
        ]
    return result


def _units(towns) -> dict[tuple[str, str], Unit]:
    units = {}
    for town_code, entries in UNITS.items():
        for name, kind in entries:
            units[town_code, name] = Unit.objects.get_or_create(
                jurisdiction=towns[town_code], name=name, defaults={"kind": kind}
            )[0]
    return units


def _carriers(towns, villages, units) -> list[Carrier]:
    carriers = []
    for n, spec in enumerate(CARRIERS, start=1):
        town = towns[spec.town]
        carriers.append(
            _carrier(
                town,
                spec.kind,
                spec.name,
                units[spec.town, spec.operator_unit],
                address=f"上海市浦东新区{spec.address}",
                floor_area=Decimal(spec.floor_area),
                total=spec.total,
                free=spec.free,
                services=spec.services,
                level=spec.level,
                contact=spec.contact,
                phone=f"021-5896{n:04d}",
            )
        )
    # One 家门口服务站 in every demo village, run with the town's service centre.
    for town_code, town_villages in villages.items():
        centre = units[town_code, "社区事务受理服务中心"]
        for n, village in enumerate(town_villages):
            carriers.append(
                _carrier(
                    village,
                    CarrierKind.DOORSTEP_STATION,
                    f"{village.name}家门口服务站",
                    centre,
                    address=f"上海市浦东新区{towns[town_code].name}{village.name}活动室",
                    floor_area=Decimal(80 + 10 * n),
                    total=4 + n % 3,
                    free=2,
                    services=STATION_SERVICES,
                    level="",
                    contact=STATION_CONTACTS[len(carriers) % len(STATION_CONTACTS)],
                    phone=f"021-5897{len(carriers):04d}",
                )
            )
    return carriers


def _carrier(jurisdiction, kind, name, unit, *, address, floor_area, total, free, services, level, contact, phone):
    carrier, _created = Carrier.objects.get_or_create(
        jurisdiction=jurisdiction,
        kind=kind,
        name=name,
        defaults={
            "operator": unit.name,
            "operator_unit": unit,
            "address": address,
            "floor_area": floor_area,
            "workstations_total": total,
            "workstations_free": free,
            "services": services,
            "level": level,
            "contact_name": contact,
            "contact_phone": phone,
        },
    )
    return carrier


def _fixed_person(name: str, *, n: int, birth: datetime.date, male: bool, jurisdiction, **fields) -> Person:
    """A fixed demo person: ID sequence 990+ and mobile prefix 198 keep it apart from bulk data;
    fixed people have distinct birth dates, so the ID numbers differ among them too."""
    id_number = compose_id_number("310115", birth, FIXED_SEQUENCE_BASE + (1 if male else 0))
    existing = Person.objects.filter(id_number_hash=lookup_hash(id_number)).first()
    if existing:
        return existing
    fields.setdefault("mobile", f"{FIXED_MOBILE_PREFIX}2114{n:04d}")
    return Person.objects.create(
        name=name,
        name_pinyin=name_pinyin(name, surname=True),
        id_number=id_number,
        birth_date=birth_date_from_id(id_number),
        gender=gender_from_id(id_number),
        jurisdiction=jurisdiction,
        **fields,
    )


def _mentors(towns, carriers) -> dict[str, Mentor]:
    workstations = {c.jurisdiction.path.split("/")[1]: c for c in carriers if c.kind == CarrierKind.MENTOR_WORKSTATION}
    mentors = {}
    for n, spec in enumerate(MENTORS, start=1):
        mentor = Mentor.objects.filter(name=spec.name, jurisdiction=towns[spec.town]).first()
        if mentor is None:
            person = None
            if spec.is_resident:
                person = _fixed_person(
                    spec.name,
                    n=n,
                    birth=datetime.date(1968 + n, n % 12 + 1, 10 + n),
                    male=n % 2 == 1,
                    jurisdiction=towns[spec.town],
                    hukou_kind=HukouKind.LOCAL,
                    education=Education.MASTER,
                    employment_status=EmploymentStatus.EMPLOYED,
                )
            mentor = Mentor.objects.create(
                person=person,
                name=spec.name,
                organisation=spec.organisation,
                title=spec.title,
                expertise=spec.expertise,
                industries=list(spec.industries),
                service_modes=list(spec.modes),
                workstation=workstations[spec.town],
                jurisdiction=towns[spec.town],
                availability_note=spec.availability,
            )
        mentors[spec.name] = mentor
    return mentors


def _accounts(towns, units, mentors) -> dict[str, User]:
    accounts = {}
    password = make_password(DEMO_PASSWORD)  # hashed once: eleven slow hashes of one demo password add nothing
    for n, spec in enumerate(ACCOUNTS, start=1):
        user = User.objects.filter(username=spec.username).first()
        if user is None:
            user = User(
                username=spec.username,
                role=spec.role,
                display_name=spec.display_name,
                email=f"{spec.username}@{DEMO_EMAIL_DOMAIN}",
                jurisdiction=towns[spec.jurisdiction] if spec.jurisdiction else None,
                unit=units[spec.jurisdiction, spec.unit] if spec.unit else None,
                is_staff=spec.role == Role.ADMIN,
                is_superuser=spec.superuser,
                mobile=f"{FIXED_MOBILE_PREFIX}2115{n:04d}",
            )
            if spec.role == Role.ENTREPRENEUR:
                user.mobile_verified_at = datetime.datetime(2025, 3, 2, 9, 30, tzinfo=datetime.UTC)
            user.password = password
            user.save()
        accounts[spec.username] = user
    mentor = mentors["陆文杰"]
    if mentor.account_id is None:
        mentor.account = accounts["tz_mentor"]
        mentor.save(update_fields=["account"])
    return accounts


def _demo_entrepreneur(user: User, village: Jurisdiction, carriers, tags) -> None:
    """The entrepreneur account runs a small company hosted in the 唐创空间 incubator."""
    if hasattr(user, "person"):
        return
    person = _fixed_person(
        user.display_name,
        n=99,
        birth=datetime.date(1998, 4, 16),
        male=True,
        jurisdiction=village,
        hukou_kind=HukouKind.LOCAL,
        education=Education.BACHELOR,
        graduation_date=datetime.date(2020, 6, 30),
        employment_status=EmploymentStatus.SELF_EMPLOYED,
        entrepreneurial_intent=True,
        address="上海市浦东新区唐镇唐丰路58弄6号502室",
        account=user,
        mobile=user.mobile,
    )
    incubator = next(c for c in carriers if c.name == "唐创空间孵化器")
    name = "上海唐启一鸣数字科技有限公司"
    enterprise = Enterprise.objects.create(
        uscc=compose_uscc("91", "310115", 99_000_001),
        name=name,
        name_pinyin=name_pinyin(name),
        entity_type=EntityType.COMPANY,
        legal_representative=person,
        legal_representative_name=person.name,
        founded_on=datetime.date(2025, 3, 18),
        address=f"{incubator.address}3楼306室",
        jurisdiction=incubator.jurisdiction,
        industry_section="I",
        industry_division="65",
        registered_capital=Decimal("50.00"),
        insured_employees=3,
        business_scope="软件开发；信息技术咨询服务；数据处理和存储支持服务",
        carrier=incubator,
        account=user,
    )
    enterprise.tags.set([tags["digital"], tags["innovation"]])
    EnterprisePerson.objects.create(
        enterprise=enterprise,
        person=person,
        relation=EnterprisePerson.Relation.LEGAL_REPRESENTATIVE,
        since=enterprise.founded_on,
    )
