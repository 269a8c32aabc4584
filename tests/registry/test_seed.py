"""``chuangfu seed``: deterministic, valid, scoped demo data and a working login for every role."""

import hashlib
import io
import re

import pytest
from django.core.management import call_command
from django.urls import reverse

from chuangfu import cli
from chuangfu.core.crypto import lookup_hash
from chuangfu.core.identifiers import (
    birth_date_from_id,
    gender_from_id,
    organisation_code_is_valid,
    validate_id_number,
    validate_mobile,
    validate_uscc,
)
from chuangfu.core.management.commands.demo_logins import DEMO_PASSWORD
from chuangfu.core.models import Job, Jurisdiction, Role, Unit, User
from chuangfu.registry import seeding
from chuangfu.registry.models import (
    Carrier,
    CarrierKind,
    Enterprise,
    EnterprisePerson,
    Mentor,
    Person,
    PersonGroup,
    Tag,
)
from chuangfu.registry.seeding import bulk

pytestmark = pytest.mark.django_db

WORK_PLAN_UNITS = [
    "党政办",
    "市场监管所",
    "总工会",
    "团委",
    "妇联",
    "社区事务受理服务中心",
    "社区建设办公室",
    "经济发展办公室",
    "投资发展集团",
    "残联",
    "退役军人办公室",
    "招商中心",
]


def fingerprint() -> str:
    """A digest of the seeded data's plaintext (encrypted columns differ only in their nonce)."""
    digest = hashlib.sha256()
    for e in Enterprise.objects.select_related("legal_representative", "carrier").order_by("uscc"):
        rep = e.legal_representative
        digest.update(
            repr(
                (
                    e.uscc,
                    e.name,
                    e.entity_type,
                    e.founded_on,
                    e.address,
                    e.industry_division,
                    e.registered_capital,
                    e.insured_employees,
                    e.registration_status,
                    e.carrier.name if e.carrier else "",
                    sorted(e.tags.values_list("code", flat=True)),
                    rep.name,
                    rep.id_number,
                    rep.mobile,
                    rep.address,
                    rep.hukou_kind,
                    rep.education,
                )
            ).encode()
        )
    for p in Person.objects.order_by("id_number_hash"):
        digest.update(
            repr(
                (
                    p.name,
                    p.id_number,
                    p.mobile,
                    p.address,
                    p.employment_status,
                    p.unemployment_registered_on,
                    p.graduation_date,
                    p.entrepreneurial_intent,
                    sorted(p.groups.values_list("group", flat=True)),
                )
            ).encode()
        )
    return digest.hexdigest()


def wipe_scaled_data():
    EnterprisePerson.objects.all().delete()
    Enterprise.objects.all().delete()
    Mentor.objects.all().delete()
    PersonGroup.objects.all().delete()
    Person.objects.all().delete()
    Job.objects.filter(kind=seeding.JOB_KIND).delete()


def test_the_same_seed_gives_the_same_data_and_another_seed_does_not():
    seeding.seed(scale=30, seed=42)
    first = fingerprint()
    wipe_scaled_data()
    seeding.seed(scale=30, seed=42)
    assert fingerprint() == first
    wipe_scaled_data()
    seeding.seed(scale=30, seed=7)
    assert fingerprint() != first


def test_worker_processes_generate_exactly_what_one_process_does(monkeypatch):
    monkeypatch.setattr(bulk, "CHUNK", 8)
    seeding.seed(scale=40, seed=3, workers=1)
    single = fingerprint()
    wipe_scaled_data()
    seeding.seed(scale=40, seed=3, workers=2)
    assert fingerprint() == single


def test_scale_gives_n_enterprises_and_two_n_people():
    before_enterprises, before_people = Enterprise.objects.count(), Person.objects.count()
    seeding.seed(scale=0)  # the fixed part only: mentors and the demo entrepreneur
    fixed_enterprises, fixed_people = Enterprise.objects.count(), Person.objects.count()
    result = seeding.seed(scale=50)
    assert (result.enterprises, result.people) == (50, 100)
    assert Enterprise.objects.count() - fixed_enterprises == 50
    assert Person.objects.count() - fixed_people == 100
    assert (before_enterprises, before_people) == (0, 0)


def test_every_identifier_validates_and_is_found_by_its_lookup_hash():
    seeding.seed(scale=60)
    people = list(Person.objects.all())
    assert len({p.id_number for p in people}) == len(people)
    for p in people:
        assert validate_id_number(p.id_number) == p.id_number
        assert birth_date_from_id(p.id_number) == p.birth_date
        assert gender_from_id(p.id_number) == p.gender
        assert 1960 <= p.birth_date.year <= 2004
        assert p.id_number_hash == lookup_hash(p.id_number)
        if p.mobile:
            assert validate_mobile(p.mobile) == p.mobile
            assert p.mobile_hash == lookup_hash(p.mobile)
    sample = people[7]
    assert Person.objects.get(id_number_hash=lookup_hash(sample.id_number)) == sample
    for e in Enterprise.objects.all():
        assert validate_uscc(e.uscc) == e.uscc
        assert organisation_code_is_valid(e.uscc[8:])
        assert e.uscc[2:8] == "310115"
    assert Enterprise.objects.values("name").distinct().count() == Enterprise.objects.count()


def test_identifiers_never_repeat_across_runs():
    seeding.seed(scale=25, seed=1)
    seeding.seed(scale=25, seed=2)
    assert Enterprise.objects.values("uscc").distinct().count() == Enterprise.objects.count()
    assert Enterprise.objects.values("name").distinct().count() == Enterprise.objects.count()
    hashes = list(Person.objects.values_list("id_number_hash", flat=True))
    assert len(set(hashes)) == len(hashes) == 2 * 50 + Person.objects.filter(mentor__isnull=False).count() + 1


def test_ids_are_unique_far_beyond_the_test_scale():
    """The permutations behind ID numbers, USCCs and mobiles are bijections on their index ranges."""
    indices = range(0, 4_000_000, 37)
    assert len({bulk.id_slot(i) for i in indices}) == len(indices)
    assert len({bulk.organisation_number(i) for i in indices}) == len(indices)
    assert len({bulk.mobile_suffix(i) for i in indices}) == len(indices)
    assert len({bulk.trade_name(i) for i in indices}) == len(indices)
    assert [len(bulk.trade_name(i)) for i in (0, 158**2 - 1, 158**2, 158**2 + 158**3)] == [2, 2, 3, 4]
    genders = [bulk.id_slot(2 * i)[1] % 2 for i in range(2000)]
    assert 800 < sum(genders) < 1200  # legal representatives are men and women alike


def test_every_record_has_a_jurisdiction_in_a_demo_town():
    seeding.seed(scale=40)
    tangzhen, zhangjiang = Jurisdiction.objects.get(code="310115114"), Jurisdiction.objects.get(code="310115125")
    for model in (Person, Enterprise, Carrier, Mentor):
        paths = model.objects.values_list("jurisdiction__path", flat=True)
        assert all(path.startswith((tangzhen.path, zhangjiang.path)) for path in paths), model
    assert Person.objects.filter(jurisdiction__path__startswith=zhangjiang.path).exists()
    villages = Jurisdiction.objects.filter(level=Jurisdiction.Level.VILLAGE)
    assert villages.count() >= 10
    assert all(v.is_demo and len(v.code) == 12 and "演示" in str(v) for v in villages)
    for user in User.objects.filter(email__endswith="@demo.invalid"):
        if user.role not in (Role.ENTREPRENEUR,) and not user.is_superuser:
            assert user.jurisdiction_id is not None, user.username


def test_units_carriers_mentors_and_links_are_in_place():
    seeding.seed(scale=120)
    tangzhen_units = set(Unit.objects.filter(jurisdiction__code="310115114").values_list("name", flat=True))
    assert set(WORK_PLAN_UNITS) <= tangzhen_units
    assert Unit.objects.filter(jurisdiction__code="310115114", kind=Unit.Kind.CARRIER).count() >= 2
    assert Unit.objects.filter(jurisdiction__code="310115114", kind=Unit.Kind.THIRD_PARTY).exists()
    assert Unit.objects.filter(jurisdiction__code="310115125").exists()
    assert set(Carrier.objects.values_list("kind", flat=True)) == set(CarrierKind.values)
    for village in Jurisdiction.objects.filter(level=Jurisdiction.Level.VILLAGE):
        assert Carrier.objects.filter(jurisdiction=village, kind=CarrierKind.DOORSTEP_STATION).count() == 1
    assert all(c.workstations_free <= c.workstations_total for c in Carrier.objects.all())
    assert Enterprise.objects.filter(carrier__isnull=False).exists()
    assert all(m.workstation and m.expertise_list and m.service_modes for m in Mentor.objects.all())
    assert set(Tag.objects.values_list("name", flat=True)) >= {"电子商务", "数字化转型", "科技创新"}
    assert Enterprise.objects.filter(tags__name="电子商务").exists()
    for e in Enterprise.objects.select_related("legal_representative"):
        assert e.legal_representative is not None
        assert e.legal_representative_name == e.legal_representative.name
        assert e.people_links.filter(person=e.legal_representative, relation="legal_rep").exists()
        assert e.founded_on.year >= 2015
        assert (e.founded_on - e.legal_representative.birth_date).days >= 18 * 365
    assert PersonGroup.objects.filter(group="graduate").exists()
    assert Person.objects.filter(entrepreneurial_intent=True).exists()
    entrepreneur = User.objects.get(username="tz_entrepreneur")
    assert entrepreneur.person.enterprise_links.filter(enterprise=entrepreneur.enterprise).exists()
    assert entrepreneur.person.mobile == entrepreneur.mobile and entrepreneur.mobile_verified_at
    assert all(c.contact_name and c.contact_phone for c in Carrier.objects.all())
    assert Mentor.objects.get(account__username="tz_mentor").workstation.kind == CarrierKind.MENTOR_WORKSTATION


def test_every_role_has_a_demo_login_that_reaches_the_home_page(client):
    seeding.seed(scale=5)
    accounts = User.objects.filter(email__endswith="@demo.invalid")
    assert set(accounts.values_list("role", flat=True)) == set(Role.values)
    assert accounts.filter(is_superuser=True, jurisdiction=None).exists()
    assert accounts.filter(jurisdiction__code="310115", role=Role.LEADER).exists()
    assert accounts.filter(jurisdiction__code="310115125", role=Role.DESK_STAFF).exists()
    for user in accounts:
        response = client.post(reverse("login"), {"username": user.username, "password": DEMO_PASSWORD})
        assert response.status_code == 302, user.username
        home = client.get(reverse("home"))
        assert home.status_code == 200
        assert user.display_name in home.content.decode()
        client.logout()
    entrepreneur = accounts.get(role=Role.ENTREPRENEUR)
    response = client.post(reverse("login"), {"username": entrepreneur.mobile, "password": DEMO_PASSWORD})
    assert response.status_code == 302  # the mobile demo-logins prints works too


def test_if_empty_loads_once_and_then_does_nothing():
    call_command("seed", scale=20, if_empty=True, stdout=io.StringIO())
    counts = (Enterprise.objects.count(), Person.objects.count(), User.objects.count(), Carrier.objects.count())
    out = io.StringIO()
    call_command("seed", scale=20, if_empty=True, stdout=out)
    assert "未生成" in out.getvalue()
    assert (Enterprise.objects.count(), Person.objects.count(), User.objects.count(), Carrier.objects.count()) == counts


def test_fixed_data_is_created_once_whatever_the_scale():
    seeding.seed(scale=3)
    fixed = (User.objects.count(), Unit.objects.count(), Carrier.objects.count(), Mentor.objects.count())
    seeding.seed(scale=7)
    assert (User.objects.count(), Unit.objects.count(), Carrier.objects.count(), Mentor.objects.count()) == fixed


def test_demo_logins_prints_the_password_and_an_account_for_every_role(capsys):
    seeding.seed(scale=2)
    cli.main(["demo-logins"])
    out = capsys.readouterr().out
    assert DEMO_PASSWORD in out
    for username in (
        "tz_desk",
        "tz_liaison",
        "tz_reviewer",
        "tz_reviewer2",
        "tz_operator",
        "tz_mentor",
        "tz_leader",
        "tz_admin",
        "zj_desk",
        "pd_leader",
        "platform_admin",
        "tz_entrepreneur",
    ):
        assert re.search(rf"\b{username}\b", out), username


def test_demo_logins_without_demo_data_says_how_to_load_it():
    out = io.StringIO()
    call_command("demo_logins", stdout=out)
    assert "chuangfu seed" in out.getvalue()
