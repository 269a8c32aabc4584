"""The part of the demo data that does not scale: demo villages, units, carriers, mentors and
one account per role. Created once; running it again changes nothing (every row is found by
its natural key first).
"""

import datetime
from dataclasses import dataclass
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
from .vocab import FIXED_MOBILE_PREFIX, TAGS

DISTRICT = "310115"
TANGZHEN = "310115114"
ZHANGJIANG = "310115125"

# Invented villages and residential committees (codes 9xx mark them as demo; is_demo is set).
DEMO_VILLAGES = {
    TANGZHEN: [
        ("901", "唐丰苑居委会"),
        ("902", "创新苑居委会"),
        ("903", "齐爱佳苑居委会"),
        ("904", "晨阳居委会"),
        ("911", "唐丰村"),
        ("912", "齐爱村"),
        ("913", "王港新村"),
        ("914", "虹丰村"),
    ],
    ZHANGJIANG: [("901", "祖冲之苑居委会"), ("902", "碧波苑居委会"), ("911", "科苑村")],
}

# The leadership group's units (work plan 二(一)) for 唐镇; a few for 张江镇 and the district.
UNITS = {
    TANGZHEN: [
        ("党政办", Unit.Kind.GOVERNMENT),
        ("市场监管所", Unit.Kind.GOVERNMENT),
        ("总工会", Unit.Kind.MASS_ORGANISATION),
        ("团委", Unit.Kind.MASS_ORGANISATION),
        ("妇联", Unit.Kind.MASS_ORGANISATION),
        ("社区事务受理服务中心", Unit.Kind.SERVICE_CENTRE),
        ("社区建设办公室", Unit.Kind.GOVERNMENT),
        ("经济发展办公室", Unit.Kind.GOVERNMENT),
        ("投资发展集团", Unit.Kind.ENTERPRISE),
        ("残联", Unit.Kind.MASS_ORGANISATION),
        ("退役军人办公室", Unit.Kind.GOVERNMENT),
        ("招商中心", Unit.Kind.GOVERNMENT),
        ("唐镇电子商务产业园", Unit.Kind.CARRIER),
        ("唐创空间孵化器", Unit.Kind.CARRIER),
        ("星火众创孵化器", Unit.Kind.CARRIER),
        ("唐启创业服务社（第三方机构）", Unit.Kind.THIRD_PARTY),
    ],
    ZHANGJIANG: [
        ("社区事务受理服务中心", Unit.Kind.SERVICE_CENTRE),
        ("市场监管所", Unit.Kind.GOVERNMENT),
        ("经济发展办公室", Unit.Kind.GOVERNMENT),
        ("张江星海孵化器", Unit.Kind.CARRIER),
    ],
    DISTRICT: [("浦东新区就业促进中心", Unit.Kind.GOVERNMENT)],
}

STATION_SERVICES = "创业政策咨询\n就业、失业登记\n创业意向登记\n视频连线社区事务受理服务中心"
INCUBATOR_SERVICES = "工位及办公室出租\n工商注册代办\n创业辅导\n融资对接\n政策申报协助"
PARK_SERVICES = "办公及厂房空间\n招商服务\n人才招聘对接\n政策申报协助"
BASE_SERVICES = "创业孵化\n创业培训\n项目路演\n政策申报协助"
WORKSTATION_SERVICES = "创业导师门诊\n项目诊断\n商业计划书辅导\n结对帮扶"
STATION_CONTACTS = [
    "施美玲",
    "倪春梅",
    "奚建平",
    "缪晓红",
    "浦立新",
    "钱丽娟",
    "龚文静",
    "严卫东",
    "戴秀兰",
    "姚振华",
    "陶雅婷",
]


@dataclass(frozen=True)
class CarrierSpec:
    town: str
    kind: str
    name: str
    operator_unit: str
    address: str
    floor_area: str
    total: int
    free: int
    services: str
    level: str = ""
    contact: str = ""


CARRIERS = [
    CarrierSpec(
        TANGZHEN,
        CarrierKind.PARK,
        "唐镇电子商务产业园",
        "唐镇电子商务产业园",
        "唐镇创新中路288号",
        "18500",
        420,
        65,
        PARK_SERVICES,
        contact="陆佳怡",
    ),
    CarrierSpec(
        TANGZHEN,
        CarrierKind.PARK,
        "唐镇智造创新园",
        "投资发展集团",
        "唐镇齐爱路1018号",
        "32000",
        260,
        40,
        PARK_SERVICES,
        contact="顾建平",
    ),
    CarrierSpec(
        TANGZHEN,
        CarrierKind.BASE,
        "唐镇青年创业孵化基地",
        "投资发展集团",
        "唐镇唐陆路555号",
        "6200",
        180,
        36,
        BASE_SERVICES,
        level="B",
        contact="沈雅婷",
    ),
    CarrierSpec(
        TANGZHEN,
        CarrierKind.INCUBATOR,
        "唐创空间孵化器",
        "唐创空间孵化器",
        "唐镇创新西路778号3幢",
        "3800",
        120,
        22,
        INCUBATOR_SERVICES,
        level="A",
        contact="许文博",
    ),
    CarrierSpec(
        TANGZHEN,
        CarrierKind.INCUBATOR,
        "星火众创孵化器",
        "星火众创孵化器",
        "唐镇唐安路66号",
        "2100",
        80,
        17,
        INCUBATOR_SERVICES,
        level="C",
        contact="钱晓雯",
    ),
    CarrierSpec(
        TANGZHEN,
        CarrierKind.MENTOR_WORKSTATION,
        "唐镇创业导师指导工作站",
        "社区事务受理服务中心",
        "唐镇唐镇路300号",
        "160",
        6,
        3,
        WORKSTATION_SERVICES,
        contact="朱晓燕",
    ),
    CarrierSpec(
        ZHANGJIANG,
        CarrierKind.INCUBATOR,
        "张江星海孵化器",
        "张江星海孵化器",
        "张江镇碧波路690号",
        "5600",
        150,
        28,
        INCUBATOR_SERVICES,
        level="B",
        contact="林思远",
    ),
    CarrierSpec(
        ZHANGJIANG,
        CarrierKind.MENTOR_WORKSTATION,
        "张江镇创业导师指导工作站",
        "社区事务受理服务中心",
        "张江镇张衡路1000号",
        "120",
        4,
        2,
        WORKSTATION_SERVICES,
        contact="邵婉婷",
    ),
    CarrierSpec(
        TANGZHEN,
        CarrierKind.MAKERSPACE,
        "唐镇青年众创空间",
        "星火众创孵化器",
        "唐镇唐安路588号",
        "900",
        60,
        14,
        INCUBATOR_SERVICES,
        contact="陆嘉伟",
    ),
    CarrierSpec(
        TANGZHEN,
        CarrierKind.COMMERCIAL_DISTRICT,
        "唐镇商业广场商圈",
        "招商中心",
        "唐镇唐陆路2800号",
        "0",
        0,
        0,
        "商户招商\n店铺空置信息\n营业执照代办\n政策申报协助",
        contact="黄晓丽",
    ),
]


@dataclass(frozen=True)
class MentorSpec:
    town: str
    name: str
    organisation: str
    title: str
    expertise: str
    industries: tuple
    modes: tuple
    availability: str
    is_resident: bool  # a resident registered as a person, or an external expert


MENTORS = [
    MentorSpec(
        TANGZHEN,
        "陆文杰",
        "上海市创业指导专家志愿团",
        "高级经济师",
        "融资\n股权设计\n商业计划书",
        ("I", "M", "L"),
        ("clinic", "consultation", "pairing"),
        "每周二下午",
        True,
    ),
    MentorSpec(
        TANGZHEN,
        "顾慧敏",
        "浦东新区就业促进中心",
        "创业指导师",
        "创业政策\n社会保险\n用工管理",
        ("F", "H", "O"),
        ("clinic", "online"),
        "每周四全天",
        True,
    ),
    MentorSpec(
        TANGZHEN,
        "沈志明",
        "上海某会计师事务所（演示）",
        "注册会计师",
        "财税\n代理记账\n税收优惠",
        ("F", "L", "I"),
        ("clinic", "on_site"),
        "每月第一、三周周三",
        False,
    ),
    MentorSpec(
        TANGZHEN,
        "王若曦",
        "上海某律师事务所（演示）",
        "律师",
        "法律合规\n合同审查\n知识产权",
        ("I", "M", "R"),
        ("consultation", "online"),
        "预约制",
        False,
    ),
    MentorSpec(
        TANGZHEN,
        "张海峰",
        "唐镇电子商务产业园",
        "运营总监",
        "电子商务\n直播带货\n供应链",
        ("F", "G"),
        ("on_site", "pairing"),
        "每周一、周五",
        True,
    ),
    MentorSpec(
        TANGZHEN,
        "李晓雯",
        "上海某大学创业学院（演示）",
        "副教授",
        "数字化转型\n市场营销\n品牌建设",
        ("I", "L", "C"),
        ("clinic", "consultation", "online"),
        "每周三上午",
        False,
    ),
    MentorSpec(
        TANGZHEN,
        "周建华",
        "唐创空间孵化器",
        "创业导师",
        "餐饮创业\n门店选址\n连锁经营",
        ("H", "O"),
        ("on_site", "pairing"),
        "工作日晚间",
        True,
    ),
    MentorSpec(
        TANGZHEN,
        "徐佳琪",
        "上海某人力资源公司（演示）",
        "高级人力资源管理师",
        "人力资源\n招聘\n薪酬设计",
        ("L", "O", "P"),
        ("clinic", "online"),
        "每周五下午",
        False,
    ),
    MentorSpec(
        ZHANGJIANG,
        "林振华",
        "张江星海孵化器",
        "投资经理",
        "融资\n科技成果转化\n知识产权",
        ("M", "I", "C"),
        ("clinic", "pairing"),
        "每周二全天",
        True,
    ),
    MentorSpec(
        ZHANGJIANG,
        "邵梦瑶",
        "上海市创业指导专家志愿团",
        "创业指导师",
        "商业计划书\n创业政策",
        ("I", "R"),
        ("consultation", "online"),
        "预约制",
        False,
    ),
]


@dataclass(frozen=True)
class AccountSpec:
    username: str
    role: str
    display_name: str
    jurisdiction: str | None
    unit: str | None
    superuser: bool = False


ACCOUNTS = [
    AccountSpec("tz_desk", Role.DESK_STAFF, "周晓燕", TANGZHEN, "社区事务受理服务中心"),
    AccountSpec("tz_liaison", Role.UNIT_LIAISON, "吴海涛", TANGZHEN, "市场监管所"),
    AccountSpec("tz_reviewer", Role.REVIEWER, "徐丽华", TANGZHEN, "社区事务受理服务中心"),
    AccountSpec("tz_operator", Role.CARRIER_OPERATOR, "许文博", TANGZHEN, "唐创空间孵化器"),
    AccountSpec("tz_mentor", Role.MENTOR, "陆文杰", TANGZHEN, None),
    AccountSpec("tz_leader", Role.LEADER, "陈建国", TANGZHEN, "党政办"),
    AccountSpec("tz_admin", Role.ADMIN, "钱立新", TANGZHEN, "党政办"),
    AccountSpec("zj_desk", Role.DESK_STAFF, "林雅婷", ZHANGJIANG, "社区事务受理服务中心"),
    AccountSpec("pd_leader", Role.LEADER, "孙振华", DISTRICT, "浦东新区就业促进中心"),
    AccountSpec("platform_admin", Role.ADMIN, "平台管理员", None, None, superuser=True),
    AccountSpec("tz_entrepreneur", Role.ENTREPRENEUR, "唐一鸣", None, None),
    # 初审 and 复审 are done by different people (segregation of duties): the town has two reviewers.
    AccountSpec("tz_reviewer2", Role.REVIEWER, "张慧敏", TANGZHEN, "社区事务受理服务中心"),
]

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
