import datetime

import pytest

from chuangfu.core.errors import NotFound
from chuangfu.core.models import Role
from chuangfu.registry import selectors
from chuangfu.registry.models import Carrier, CarrierKind, Mentor, PersonGroup, Tag
from tests import factories as f

pytestmark = pytest.mark.django_db


def names(qs):
    return sorted(o.name for o in qs)


def test_pinyin_initials_find_a_person(desk):
    f.person("张三")
    f.person("李四")
    f.person("赵子松")
    assert names(selectors.person_list(actor=desk, filters={"q": "zs"})) == ["张三"]
    assert names(selectors.person_list(actor=desk, filters={"q": "ZS"})) == ["张三"]
    assert names(selectors.person_list(actor=desk, filters={"q": "zhangsan"})) == ["张三"]
    assert names(selectors.person_list(actor=desk, filters={"q": "zh"})) == ["张三", "赵子松"]


def test_chinese_name_search_matches_part_of_the_name(desk):
    f.person("欧阳娜娜")
    f.person("张三")
    assert names(selectors.person_list(actor=desk, filters={"q": "娜娜"})) == ["欧阳娜娜"]


def test_exact_id_number_and_mobile_find_the_person_without_decrypting(desk):
    target = f.person("王五", mobile="13612345678")
    f.person("赵六")
    by_id = selectors.person_list(actor=desk, filters={"q": target.id_number.lower()})
    assert names(by_id) == ["王五"]
    assert names(selectors.person_list(actor=desk, filters={"q": "136-1234-5678"})) == ["王五"]
    assert names(selectors.person_list(actor=desk, filters={"q": "13612345679"})) == []


def test_multiword_enterprise_search_needs_every_word(desk):
    f.enterprise("上海唐镇电子商务有限公司")
    f.enterprise("上海唐镇餐饮管理有限公司")
    f.enterprise("上海张江电子科技有限公司")
    assert names(selectors.enterprise_list(actor=desk, filters={"q": "唐镇电子"})) == ["上海唐镇电子商务有限公司"]
    assert names(selectors.enterprise_list(actor=desk, filters={"q": "电子商务 唐镇"})) == ["上海唐镇电子商务有限公司"]
    assert names(selectors.enterprise_list(actor=desk, filters={"q": "电子"})) == [
        "上海唐镇电子商务有限公司",
        "上海张江电子科技有限公司",
    ]
    assert names(selectors.enterprise_list(actor=desk, filters={"q": "唐镇 软件"})) == []


def test_enterprise_found_by_uscc_exactly_or_by_its_start(desk):
    target = f.enterprise("上海甲科技有限公司", uscc=f.uscc(area="310115"))
    f.enterprise("上海乙科技有限公司", uscc=f.uscc(area="310104"))
    assert names(selectors.enterprise_list(actor=desk, filters={"q": target.uscc.lower()})) == ["上海甲科技有限公司"]
    assert names(selectors.enterprise_list(actor=desk, filters={"q": "91310115"})) == ["上海甲科技有限公司"]
    assert names(selectors.enterprise_list(actor=desk, filters={"q": "913101"})) == [
        "上海乙科技有限公司",
        "上海甲科技有限公司",
    ]


def test_enterprise_found_by_pinyin_initials(desk):
    f.enterprise("上海甲科技有限公司", legal_representative_name="孙七")
    f.enterprise("上海乙贸易有限公司")
    assert names(selectors.enterprise_list(actor=desk, filters={"q": "shymy"})) == ["上海乙贸易有限公司"]


def test_person_filters(desk):
    graduate = f.person("毕业生", hukou_kind="local", employment_status="unemployed_registered")
    PersonGroup.objects.create(person=graduate, group="graduate")
    f.person("外地人", hukou_kind="permit", employment_status="employed")
    village = f.village()
    f.person("村民", jurisdiction=village)
    assert names(selectors.person_list(actor=desk, filters={"group": "graduate"})) == ["毕业生"]
    assert names(selectors.person_list(actor=desk, filters={"hukou_kind": "permit"})) == ["外地人"]
    assert names(selectors.person_list(actor=desk, filters={"employment_status": "unemployed_registered"})) == [
        "毕业生"
    ]
    assert names(selectors.person_list(actor=desk, filters={"jurisdiction": village.pk})) == ["村民"]
    assert len(selectors.person_list(actor=desk, filters={"jurisdiction": f.town().pk})) == 3


def test_enterprise_filters(desk):
    tag = Tag.objects.create(code="digital", name="数字化转型")
    carrier = Carrier.objects.create(kind=CarrierKind.INCUBATOR, name="孵化器", jurisdiction=f.town())
    a = f.enterprise(
        "甲", entity_type="sole_proprietor", industry_section="I", carrier=carrier, founded_on=datetime.date(2021, 5, 1)
    )
    a.tags.add(tag)
    f.enterprise("乙", registration_status="cancelled", founded_on=datetime.date(2023, 1, 1))
    listing = lambda **flt: names(selectors.enterprise_list(actor=desk, filters=flt))  # noqa: E731
    assert listing(entity_type="sole_proprietor") == ["甲"]
    assert listing(industry_section="I") == ["甲"]
    assert listing(tag="digital") == ["甲"]
    assert listing(carrier=carrier.pk) == ["甲"]
    assert listing(registration_status="cancelled") == ["乙"]
    assert listing(founded_from=datetime.date(2022, 1, 1)) == ["乙"]
    assert listing(founded_to=datetime.date(2022, 1, 1)) == ["甲"]


def test_carrier_and_mentor_filters(desk):
    town = f.town()
    station = Carrier.objects.create(kind=CarrierKind.MENTOR_WORKSTATION, name="导师站", jurisdiction=town)
    Carrier.objects.create(kind=CarrierKind.PARK, name="园区", jurisdiction=town)
    Mentor.objects.create(
        name="周导师", jurisdiction=town, industries=["I", "F"], expertise="融资\n财税", workstation=station
    )
    Mentor.objects.create(name="吴导师", jurisdiction=town, industries=["C"], available=False)
    assert names(selectors.carrier_list(actor=desk, filters={"kind": "park"})) == ["园区"]
    assert names(selectors.mentor_list(actor=desk, filters={"industry": "I"})) == ["周导师"]
    assert names(selectors.mentor_list(actor=desk, filters={"q": "财税"})) == ["周导师"]
    assert names(selectors.mentor_list(actor=desk, filters={"available": True})) == ["周导师"]
    assert names(selectors.carrier_mentors(actor=desk, carrier=station)) == ["周导师"]


def test_town_account_sees_only_its_town_and_district_account_sees_all(desk, district_admin, zhangjiang):
    f.person("唐镇人")
    theirs = f.person("张江人", jurisdiction=zhangjiang)
    assert names(selectors.person_list(actor=desk)) == ["唐镇人"]
    assert names(selectors.person_list(actor=district_admin)) == ["唐镇人", "张江人"]
    with pytest.raises(NotFound):
        selectors.get_person_for(desk, theirs.pk)
    assert selectors.get_person_for(district_admin, theirs.pk) == theirs
    enterprise = f.enterprise("张江公司", jurisdiction=zhangjiang)
    with pytest.raises(NotFound):
        selectors.get_enterprise_for(desk, enterprise.pk)
    with pytest.raises(NotFound):
        selectors.get_person_for(desk, "not-a-number")


def test_mentors_and_entrepreneurs_see_no_people(tangzhen):
    f.person("张三")
    mentor = f.user(Role.MENTOR, jurisdiction=tangzhen)
    entrepreneur = f.user(Role.ENTREPRENEUR)
    assert not selectors.person_list(actor=mentor).exists()
    assert not selectors.enterprise_list(actor=entrepreneur).exists()
    assert not selectors.carrier_list(actor=entrepreneur).exists()
    carrier = Carrier.objects.create(kind=CarrierKind.PARK, name="园区", jurisdiction=tangzhen)
    assert selectors.get_carrier_for(mentor, carrier.pk) == carrier
    with pytest.raises(NotFound):
        selectors.get_carrier_for(entrepreneur, carrier.pk)


def test_links_show_only_records_the_actor_may_see(desk, district_admin, zhangjiang):
    from chuangfu.registry.models import EnterprisePerson

    enterprise = f.enterprise("唐镇公司")
    local = f.person("本镇员工")
    commuter = f.person("张江员工", jurisdiction=zhangjiang)
    for person in (local, commuter):
        EnterprisePerson.objects.create(enterprise=enterprise, person=person, relation="employee")
    assert [link.person.name for link in selectors.enterprise_people(actor=desk, enterprise=enterprise)] == ["本镇员工"]
    assert len(selectors.enterprise_people(actor=district_admin, enterprise=enterprise)) == 2


def test_page_knows_whether_there_is_a_next_page_without_counting(desk):
    for n in range(5):
        f.person(f"人{n}")
    qs = selectors.person_list(actor=desk)
    first = selectors.page_of(qs, page=1, per_page=2)
    assert [p.name for p in first.items] == ["人4", "人3"] and first.has_next and not first.has_previous
    last = selectors.page_of(qs, page=3, per_page=2)
    assert [p.name for p in last.items] == ["人0"] and not last.has_next and last.start_index == 5
    assert selectors.count_capped(qs, cap=3) == (3, True)
    assert selectors.count_capped(qs, cap=10) == (5, False)


def test_paging_stops_at_the_last_page_that_may_be_shown(desk, monkeypatch):
    monkeypatch.setattr(selectors, "MAX_PAGE", 2)
    for n in range(5):
        f.person(f"人{n}")
    qs = selectors.person_list(actor=desk)
    last = selectors.page_of(qs, page=9, per_page=2)
    assert last.number == 2 and [p.name for p in last.items] == ["人2", "人1"]
    assert not last.has_next and last.truncated
