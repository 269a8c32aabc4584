"""The scaled part of the demo data: N enterprises and 2N people, generated in chunks.

Each chunk is a pure function of (seed, first index): its own ``random.Random`` seeded from
both, so the data is the same whether chunks are generated in this process or in worker
processes, in any order. Identifiers are unique by construction, not by retrying: the running
index goes through fixed permutations (``a·i + b mod m`` with ``a`` coprime to ``m``) to pick
the birth date and sequence of an ID number, the organisation number of a USCC, the last
eight digits of a mobile and the 字号 of an enterprise's name. Rows come back as tuples ready for ``executemany`` (personal data
already encrypted, lookup hashes computed), so the writer only inserts.
"""

import bisect
import datetime
import functools
import itertools
import random
from dataclasses import dataclass, field
from decimal import Decimal

from chuangfu.core.crypto import encrypt, lookup_hash
from chuangfu.core.identifiers import compose_id_number, compose_uscc

from ..groups import read_detail
from ..industry import section_of_division
from ..models import EmploymentStatus, EnterprisePerson, EntityType, HukouKind, PriorityGroup, RegistrationStatus
from ..retirement import RetirementGroup
from ..search import name_pinyin
from . import vocab

CHUNK = 1000  # enterprises per chunk (and twice as many people)

BIRTH_FIRST = datetime.date(1960, 1, 1)
BIRTH_DAYS = (datetime.date(2004, 12, 31) - BIRTH_FIRST).days + 1
ID_SEQUENCES = 990  # 990–999 are kept for the fixed demo people
ID_SLOTS = BIRTH_DAYS * ID_SEQUENCES
ORG_FIRST, ORG_SLOTS = 20_000_000, 79_000_000  # organisation numbers 20,000,000–98,999,999
MOBILE_SLOTS = 10**8
FOUNDED_FIRST = datetime.date(2015, 1, 1)

# Fixed permutations: the same for every --seed, so runs with different seeds never collide.
_ID_PERM = (7_368_787, 1_234_577)
_ORG_PERM = (48_271_013, 9_999_991)
_MOBILE_PERM = (69_069_011, 31_415_926)
_TRADE_PERMS = ((7_919, 4_321), (104_729, 271_828), (15_485_863, 98_765_432))  # primes, coprime to 158


def _shuffled_alphabet(position: int) -> list[str]:
    alphabet = list(vocab.TRADE_NAME_CHARS)
    random.Random(f"chuangfu-trade:{position}").shuffle(alphabet)
    return alphabet


_TRADE_ALPHABETS = [_shuffled_alphabet(position) for position in range(4)]

PERSON_COLUMNS = (
    "id",
    "name",
    "name_pinyin",
    "id_number",
    "id_number_hash",
    "birth_date",
    "gender",
    "mobile",
    "mobile_hash",
    "hukou_kind",
    "hukou_place_id",
    "residence_permit_since",
    "retirement_group",
    "jurisdiction_id",
    "address",
    "education",
    "graduation_date",
    "employment_status",
    "unemployment_registered_on",
    "entrepreneurial_intent",
    "account_id",
    "created_at",
    "updated_at",
)
ENTERPRISE_COLUMNS = (
    "id",
    "uscc",
    "name",
    "name_pinyin",
    "entity_type",
    "is_small_micro",
    "legal_representative_id",
    "legal_representative_name",
    "founded_on",
    "registration_status",
    "address",
    "jurisdiction_id",
    "industry_section",
    "industry_division",
    "registered_capital",
    "insured_employees",
    "business_scope",
    "carrier_id",
    "account_id",
    "created_at",
    "updated_at",
)
LINK_COLUMNS = ("enterprise_id", "person_id", "relation", "since")
DETAIL_COLUMNS = ("hardship_type", "disability_grade", "disability_kind", "discharged_on", "unemployed_since")
GROUP_COLUMNS = ("person_id", "group", "since", "detail", *DETAIL_COLUMNS)
TAG_COLUMNS = ("enterprise_id", "tag_id")

SCOPE_SUFFIX = "（依法须经批准的项目，经相关部门批准后方可开展经营活动）"


@dataclass(frozen=True)
class TownPlan:
    code: str
    name: str
    weight: int
    village_ids: tuple[int, ...]
    roads: tuple[str, ...]
    hosts: tuple[tuple[int, int, str], ...]  # carriers that host enterprises: (id, jurisdiction id, address)


@dataclass(frozen=True)
class Plan:
    """Everything a chunk needs; plain data, so it crosses into worker processes."""

    seed: int
    today: datetime.date
    stamp: object  # created_at / updated_at, already adapted for the database
    dates_as_text: bool  # SQLite stores dates as ISO text
    person_base: int  # primary key of person index ``2 * offset``
    enterprise_base: int  # primary key of enterprise index ``offset``
    offset: int
    towns: tuple[TownPlan, ...]
    tag_ids: dict = field(default_factory=dict)
    host_chance: float = 0.1


@dataclass
class Chunk:
    persons: list = field(default_factory=list)
    enterprises: list = field(default_factory=list)
    links: list = field(default_factory=list)
    groups: list = field(default_factory=list)
    tags: list = field(default_factory=list)

    @property
    def rows(self) -> int:
        return len(self.persons) + len(self.enterprises) + len(self.links) + len(self.groups) + len(self.tags)


class _Weighted:
    """Weighted choice by bisecting cumulative weights (several times faster than choices())."""

    def __init__(self, pairs):
        self.values = [v for v, _w in pairs]
        self.cumulative = list(itertools.accumulate(w for _v, w in pairs))
        self.total = self.cumulative[-1]

    def pick(self, rng: random.Random):
        return self.values[bisect.bisect(self.cumulative, rng.random() * self.total)]


_SURNAMES = _Weighted(vocab.SURNAMES)
_HUKOU = _Weighted(
    [
        (HukouKind.LOCAL, 52),
        (HukouKind.PERMIT, 36),
        (HukouKind.NONLOCAL, 7),
        (HukouKind.TALENT_PERMIT, 2),
        (HukouKind.HMT, 2),
        (HukouKind.FOREIGN, 1),
    ]
)
_AREAS = {
    HukouKind.LOCAL: _Weighted(vocab.LOCAL_AREAS),
    HukouKind.PERMIT: _Weighted(vocab.PROVINCE_AREAS),
    HukouKind.NONLOCAL: _Weighted(vocab.PROVINCE_AREAS),
    HukouKind.TALENT_PERMIT: _Weighted(vocab.PROVINCE_AREAS + vocab.FOREIGN_AREAS),
    HukouKind.HMT: _Weighted(vocab.HMT_AREAS),
    HukouKind.FOREIGN: _Weighted(vocab.FOREIGN_AREAS),
}
# Education by decade of birth: older cohorts studied less long.
_EDUCATION = [
    (
        1970,
        _Weighted([("primary", 10), ("junior", 35), ("senior", 35), ("college", 12), ("bachelor", 7), ("master", 1)]),
    ),
    (
        1980,
        _Weighted(
            [
                ("primary", 3),
                ("junior", 22),
                ("senior", 33),
                ("college", 20),
                ("bachelor", 18),
                ("master", 3),
                ("doctor", 1),
            ]
        ),
    ),
    (
        1990,
        _Weighted([("junior", 12), ("senior", 25), ("college", 25), ("bachelor", 30), ("master", 7), ("doctor", 1)]),
    ),
    (9999, _Weighted([("junior", 8), ("senior", 18), ("college", 28), ("bachelor", 36), ("master", 9), ("doctor", 1)])),
]
_GRADUATION_AGE = {"college": 21, "bachelor": 22, "master": 25, "doctor": 28}
_EMPLOYMENT = _Weighted(
    [
        (EmploymentStatus.EMPLOYED, 56),
        (EmploymentStatus.FLEXIBLE, 12),
        (EmploymentStatus.SELF_EMPLOYED, 5),
        (EmploymentStatus.UNEMPLOYED_REGISTERED, 12),
        (EmploymentStatus.UNEMPLOYED, 9),
    ]
)
_INDUSTRIES = _Weighted([(entry, entry[1]) for entry in vocab.INDUSTRIES])
_CAPITAL = {
    EntityType.COMPANY: _Weighted(
        [
            (1, 3),
            (3, 4),
            (5, 6),
            (10, 18),
            (20, 8),
            (30, 6),
            (50, 12),
            (100, 18),
            (200, 8),
            (300, 4),
            (500, 6),
            (1000, 5),
            (2000, 2),
        ]
    ),
    EntityType.PARTNERSHIP: _Weighted([(10, 3), (50, 3), (100, 4), (500, 2), (1000, 1)]),
    EntityType.SOLE_INVESTMENT: _Weighted([(1, 3), (3, 3), (5, 3), (10, 2)]),
    EntityType.SOLE_PROPRIETOR: _Weighted([(1, 4), (2, 3), (3, 3), (5, 2), (10, 1)]),
    EntityType.PRIVATE_NON_ENTERPRISE: _Weighted([(3, 2), (5, 2), (10, 1)]),
    EntityType.COOPERATIVE: _Weighted([(10, 2), (50, 2), (100, 1)]),
}
_INSURED = _Weighted([((0, 0), 15), ((1, 3), 40), ((4, 10), 30), ((11, 30), 12), ((31, 99), 3)])
_STATUS_OLD = _Weighted(
    [
        (RegistrationStatus.ACTIVE, 84),
        (RegistrationStatus.CANCELLED, 11),
        (RegistrationStatus.REVOKED, 4),
        (RegistrationStatus.MOVED_OUT, 1),
    ]
)
_STATUS_NEW = _Weighted(
    [(RegistrationStatus.ACTIVE, 97), (RegistrationStatus.CANCELLED, 2), (RegistrationStatus.MOVED_OUT, 1)]
)


@functools.cache
def _person_pinyin(name: str) -> str:
    return name_pinyin(name, surname=True)


@functools.cache
def _part_pinyin(part: str) -> tuple[str, str]:
    full, _space, initials = name_pinyin(part).partition(" ")
    return full, initials


def _enterprise_pinyin(*parts: str) -> str:
    """name_pinyin of the whole name, assembled from cached parts (names repeat their parts)."""
    spelled = [_part_pinyin(p) for p in parts if p]
    return "".join(f for f, _i in spelled) + " " + "".join(i for _f, i in spelled)


def _add_years(day: datetime.date, years: int) -> datetime.date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


def _day_between(rng: random.Random, first: datetime.date, last: datetime.date) -> datetime.date:
    span = (last - first).days
    return first + datetime.timedelta(days=rng.randint(0, span)) if span > 0 else first


def _age(birth: datetime.date, today: datetime.date) -> int:
    return today.year - birth.year - ((today.month, today.day) < (birth.month, birth.day))


def id_slot(index: int) -> tuple[datetime.date, int]:
    """Birth date and sequence for person ``index``: distinct indices give distinct pairs."""
    a, b = _ID_PERM
    day, sequence = divmod((a * index + b) % ID_SLOTS, ID_SEQUENCES)
    # A linear map alternates the parity (the gender) with the index; flipping the last bit by
    # a hash of the day mixes it and stays a bijection within the day (ID_SEQUENCES is even).
    sequence ^= (day * 2_654_435_761 >> 11) & 1
    return BIRTH_FIRST + datetime.timedelta(days=day), sequence


def organisation_number(index: int) -> int:
    a, b = _ORG_PERM
    return ORG_FIRST + (a * index + b) % ORG_SLOTS


def mobile_suffix(index: int) -> str:
    a, b = _MOBILE_PERM
    return f"{(a * index + b) % MOBILE_SLOTS:08d}"


def trade_name(index: int) -> tuple[str, ...]:
    """The 字号 of enterprise ``index`` as characters; distinct indices get distinct 字号, so
    no two demo enterprises share a name (as a registration authority would ensure)."""
    size = len(vocab.TRADE_NAME_CHARS)
    for length, (a, b) in zip((2, 3, 4), _TRADE_PERMS):
        space = size**length
        if index < space:
            slot = (a * index + b) % space
            chars = []
            for position in range(length):
                slot, digit = divmod(slot, size)
                chars.append(_TRADE_ALPHABETS[position][digit])
            return tuple(chars)
        index -= space
    raise ValueError("演示企业字号已用尽。")


class _Generator:
    def __init__(self, plan: Plan, start: int):
        self.plan = plan
        self.rng = random.Random(f"chuangfu-seed:{plan.seed}:{start}")
        self.town_pick = _Weighted([(t, t.weight) for t in plan.towns])
        self.chunk = Chunk()
        self.date = str if plan.dates_as_text else (lambda d: d)

    def _d(self, day):
        return None if day is None else self.date(day)

    # --- people -----------------------------------------------------------------------------
    def person(self, index: int, *, founder: bool) -> tuple[int, str, datetime.date, TownPlan]:
        rng, plan, today = self.rng, self.plan, self.plan.today
        pk = plan.person_base + index - 2 * plan.offset
        birth, sequence = id_slot(index)
        male = sequence % 2 == 1
        hukou = _HUKOU.pick(rng)
        id_number = compose_id_number(_AREAS[hukou].pick(rng), birth, sequence)
        name = _SURNAMES.pick(rng) + rng.choice(vocab.GIVEN_MALE if male else vocab.GIVEN_FEMALE)
        mobile = rng.choice(vocab.MOBILE_PREFIXES) + mobile_suffix(index) if rng.random() < 0.97 else ""
        town = self.town_pick.pick(rng)
        address = (
            f"上海市浦东新区{town.name}{rng.choice(town.roads)}{rng.randint(1, 1200)}弄"
            f"{rng.randint(1, 60)}号{rng.randint(1, 18)}{rng.randint(1, 4):02d}室"
        )
        age = _age(birth, today)
        education = next(w for year, w in _EDUCATION if birth.year < year).pick(rng)
        graduation = None
        if education in _GRADUATION_AGE:
            graduation = datetime.date(birth.year + _GRADUATION_AGE[education], 6, 30)
        retired = age >= (60 if male else 55) and rng.random() < 0.8
        if founder:
            status = EmploymentStatus.SELF_EMPLOYED
        elif graduation and graduation > today:
            status = EmploymentStatus.STUDENT
        elif retired:
            status = EmploymentStatus.RETIRED
        else:
            status = _EMPLOYMENT.pick(rng)
        registered_on = None
        if status == EmploymentStatus.UNEMPLOYED_REGISTERED:
            earliest = max(_add_years(birth, 16), graduation or BIRTH_FIRST, today - datetime.timedelta(days=900))
            registered_on = _day_between(rng, earliest, today - datetime.timedelta(days=10))
        self._groups(pk, rng, birth, age, male, hukou, status, graduation, registered_on)
        intent = False
        if not founder:
            eager = status in (
                EmploymentStatus.UNEMPLOYED_REGISTERED,
                EmploymentStatus.UNEMPLOYED,
                EmploymentStatus.FLEXIBLE,
                EmploymentStatus.STUDENT,
            )
            intent = rng.random() < (0.28 if eager else 0.08)
        village = rng.choice(town.village_ids)
        hukou_place, permit_since, retirement_group = self._hukou_and_retirement(rng, birth, male, hukou, village)
        self.chunk.persons.append(
            (
                pk,
                name,
                _person_pinyin(name),
                encrypt(id_number),
                lookup_hash(id_number),
                self.date(birth),
                "M" if male else "F",
                encrypt(mobile) if mobile else "",
                lookup_hash(mobile) if mobile else None,
                hukou,
                hukou_place,
                self._d(permit_since),
                retirement_group,
                village,
                address,
                education,
                self._d(graduation),
                status,
                self._d(registered_on),
                intent,
                None,
                plan.stamp,
                plan.stamp,
            )
        )
        return pk, name, birth, town

    def _hukou_and_retirement(self, rng, birth, male, hukou, village):
        """户籍地 (two in three local people are registered where they live; the rest elsewhere
        in the city, outside the registry's places), the residence permit's start for permit
        holders (within the last ten years, from 18), and which retirement schedule applies to a
        woman (about half in managerial or professional posts; a few not recorded)."""
        today = self.plan.today
        place = village if hukou == HukouKind.LOCAL and rng.random() < 0.67 else None
        since = None
        if hukou in (HukouKind.PERMIT, HukouKind.TALENT_PERMIT):
            earliest = max(_add_years(birth, 18), today - datetime.timedelta(days=3650))
            if earliest < today:
                since = _day_between(rng, earliest, today)
        group = ""
        if not male:
            draw = rng.random()
            group = (
                RetirementGroup.FEMALE_CADRE if draw < 0.47 else RetirementGroup.FEMALE_WORKER if draw < 0.95 else ""
            )
        return place, since, group

    def _groups(self, pk, rng, birth, age, male, hukou, status, graduation, registered_on):
        today, groups = self.plan.today, []
        if graduation and today - datetime.timedelta(days=730) <= graduation <= today:
            groups.append((PriorityGroup.GRADUATE, graduation, ""))
        if registered_on:
            groups.append((PriorityGroup.REGISTERED_UNEMPLOYED, registered_on, ""))
            if (today - registered_on).days >= 365 and age <= 35:
                groups.append(
                    (PriorityGroup.LONG_TERM_UNEMPLOYED_YOUTH, registered_on + datetime.timedelta(days=365), "")
                )
            if age >= 40 and rng.random() < 0.3:
                groups.append(
                    (
                        PriorityGroup.HARD_TO_EMPLOY,
                        registered_on + datetime.timedelta(days=30),
                        rng.choice(vocab.HARD_TO_EMPLOY_DETAILS),
                    )
                )
        if age >= 18 and rng.random() < 0.015:
            groups.append(
                (
                    PriorityGroup.DISABLED,
                    _day_between(rng, _add_years(birth, 18), today),
                    rng.choice(vocab.DISABILITY_DETAILS),
                )
            )
        if age >= 22 and rng.random() < (0.03 if male else 0.003):
            groups.append((PriorityGroup.VETERAN, datetime.date(birth.year + 22, 12, 1), "退出现役"))
        if hukou in (HukouKind.PERMIT, HukouKind.NONLOCAL) and rng.random() < 0.04:
            groups.append((PriorityGroup.RURAL_LABOUR, None, rng.choice(vocab.RURAL_DETAILS)))
        for group, since, detail in groups:  # each group's own facts, as staff would record them
            details = read_detail(group, detail)
            if group == PriorityGroup.VETERAN:
                details["discharged_on"] = since
            elif group == PriorityGroup.LONG_TERM_UNEMPLOYED_YOUTH:
                details["unemployed_since"] = registered_on
            values = [
                details.get(c, None if c in ("discharged_on", "unemployed_since") else "") for c in DETAIL_COLUMNS
            ]
            self.chunk.groups.append((pk, group, self._d(since), detail, *values[:3], *map(self._d, values[3:])))

    # --- enterprises --------------------------------------------------------------------------
    def enterprise(self, index: int, rep: tuple[int, str, datetime.date, TownPlan], partner_pk: int) -> None:
        rng, plan, today = self.rng, self.plan, self.plan.today
        pk = plan.enterprise_base + index - plan.offset
        rep_pk, rep_name, rep_birth, rep_town = rep
        division, _w, words, scope = _INDUSTRIES.pick(rng)
        entity_type, authority = self._entity_type(rng, division)
        town = rep_town if rng.random() < 0.8 else self.town_pick.pick(rng)
        trade = trade_name(index)  # separate characters, so their pinyin is cached per character
        word = rng.choice(words)
        parts = {
            EntityType.COMPANY: ("上海", *trade, word, "有限公司"),
            EntityType.PARTNERSHIP: ("上海", *trade, word, "合伙企业（有限合伙）"),
            EntityType.SOLE_INVESTMENT: ("上海", *trade, word, "工作室"),
            EntityType.SOLE_PROPRIETOR: (
                "上海市浦东新区",
                town.name,
                *trade,
                rng.choice(vocab.SHOP_WORDS.get(division, ["经营部"])),
            ),
            EntityType.PRIVATE_NON_ENTERPRISE: ("上海市浦东新区", *trade, word, "服务中心"),
            EntityType.COOPERATIVE: ("上海", *trade, word, "专业合作社"),
        }[entity_type]
        name = "".join(parts)
        founded = _day_between(rng, max(FOUNDED_FIRST, _add_years(rep_birth, 18)), today)
        recent = (today - founded).days < 730
        status = (_STATUS_NEW if recent else _STATUS_OLD).pick(rng)
        host = rng.choice(town.hosts) if town.hosts and rng.random() < plan.host_chance else None
        if host:
            carrier_id, jurisdiction_id, carrier_address = host
            address = f"{carrier_address}{rng.randint(1, 6)}楼{rng.randint(1, 40):02d}室"
        else:
            carrier_id, jurisdiction_id = None, rng.choice(town.village_ids)
            address = f"上海市浦东新区{town.name}{rng.choice(town.roads)}{rng.randint(1, 2000)}号"
            if entity_type != EntityType.SOLE_PROPRIETOR:
                address += f"{rng.randint(1, 12)}幢{rng.randint(1, 6)}{rng.randint(1, 30):02d}室"
        low, high = _INSURED.pick(rng) if entity_type != EntityType.SOLE_PROPRIETOR else (0, 2)
        insured = rng.randint(low, high)
        capital = None
        if entity_type != EntityType.SOLE_PROPRIETOR or rng.random() < 0.6:
            capital = Decimal(_CAPITAL[entity_type].pick(rng)).quantize(Decimal("0.01"))
        self.chunk.enterprises.append(
            (
                pk,
                compose_uscc(authority, "310115", organisation_number(index)),
                name,
                _enterprise_pinyin(*parts),
                entity_type,
                insured < 100,
                rep_pk,
                rep_name,
                self.date(founded),
                status,
                address,
                jurisdiction_id,
                section_of_division(division),
                division,
                capital,
                insured,
                scope + SCOPE_SUFFIX,
                carrier_id,
                None,
                plan.stamp,
                plan.stamp,
            )
        )
        for code, tag_id in plan.tag_ids.items():
            if rng.random() < vocab.TAG_CHANCES[code].get(division, 0.02):
                self.chunk.tags.append((pk, tag_id))
        self.chunk.links.append((pk, rep_pk, EnterprisePerson.Relation.LEGAL_REPRESENTATIVE, self.date(founded)))
        roll = rng.random()
        if roll < 0.35:
            self.chunk.links.append((pk, partner_pk, EnterprisePerson.Relation.FOUNDER, self.date(founded)))
        elif roll < 0.6:
            hired = _day_between(rng, founded, today)
            self.chunk.links.append((pk, partner_pk, EnterprisePerson.Relation.EMPLOYEE, self.date(hired)))

    @staticmethod
    def _entity_type(rng: random.Random, division: str) -> tuple[str, str]:
        """Entity type and the first two USCC characters (registration authority and kind)."""
        roll = rng.random()
        if division in vocab.SHOP_WORDS and roll < 0.3:
            return EntityType.SOLE_PROPRIETOR, "92"
        if division in ("83", "85") and roll < 0.15:
            return EntityType.PRIVATE_NON_ENTERPRISE, "52"
        if division in ("01", "05") and roll < 0.35:
            return EntityType.COOPERATIVE, "93"
        if roll > 0.96:
            return EntityType.PARTNERSHIP, "91"
        if roll > 0.92:
            return EntityType.SOLE_INVESTMENT, "91"
        return EntityType.COMPANY, "91"


def generate_chunk(plan: Plan, start: int, count: int) -> Chunk:
    """Enterprises ``start .. start+count-1`` and people ``2·start .. 2·(start+count)-1``."""
    generator = _Generator(plan, start)
    for index in range(start, start + count):
        rep = generator.person(2 * index, founder=True)
        partner = generator.person(2 * index + 1, founder=False)
        generator.enterprise(index, rep, partner[0])
    return generator.chunk


def generate_task(args) -> Chunk:
    """``generate_chunk`` for ``multiprocessing`` (one picklable argument)."""
    return generate_chunk(*args)
