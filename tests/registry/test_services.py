import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import connection

from chuangfu.core.errors import DomainError, NotFound
from chuangfu.core.identifiers import compose_id_number
from chuangfu.core.models import AuditEntry, Role, Unit
from chuangfu.registry import services
from chuangfu.registry.models import (
    Carrier,
    CarrierKind,
    Enterprise,
    EnterprisePerson,
    Mentor,
    Person,
    PriorityGroup,
    Tag,
)
from tests import factories as f

pytestmark = pytest.mark.django_db


def make_person(actor, jurisdiction, **extra):
    extra.setdefault("name", "张三")
    extra.setdefault("id_number", f.id_number())
    return services.person_create(actor=actor, jurisdiction=jurisdiction, **extra)


def make_enterprise(actor, jurisdiction, **extra):
    extra.setdefault("name", "上海唐镇测试科技有限公司")
    extra.setdefault("uscc", f.uscc())
    return services.enterprise_create(actor=actor, jurisdiction=jurisdiction, **extra)


def audit(action, obj):
    return AuditEntry.objects.filter(action=action, object_id=str(obj.pk))


# --- people ---------------------------------------------------------------------------------


def test_person_create_derives_birth_date_gender_and_pinyin(desk, tangzhen):
    woman = compose_id_number("310115", datetime.date(1990, 2, 28), 124)
    person = make_person(desk, tangzhen, name="欧阳娜娜", id_number=f" {woman.lower()} ", mobile="+86 139-1234-5678")
    assert person.birth_date == datetime.date(1990, 2, 28)
    assert person.gender == "F"
    assert person.name_pinyin == "ouyangnana oynn"
    assert person.mobile == "13912345678"
    assert person.id_number == woman


def test_polyphonic_surname_is_findable_by_its_surname_reading(desk, tangzhen):
    person = make_person(desk, tangzhen, name="曾国藩")
    assert "zgf" in person.name_pinyin.split() and "cgf" in person.name_pinyin.split()


def test_wrong_check_digit_is_reported_on_the_id_number_field_in_chinese(desk, tangzhen):
    good = f.id_number()
    bad = good[:-1] + ("0" if good[-1] != "0" else "1")
    with pytest.raises(ValidationError) as exc:
        make_person(desk, tangzhen, id_number=bad)
    message = exc.value.message_dict["id_number"][0]
    assert "校验位错误" in message and f"应为 {good[-1]}" in message
    assert not Person.objects.exists()


def test_every_bad_field_is_reported_at_once(desk, tangzhen):
    with pytest.raises(ValidationError) as exc:
        make_person(desk, tangzhen, name=" ", id_number="123", mobile="12345", hukou_kind="martian")
    assert set(exc.value.message_dict) == {"name", "id_number", "mobile", "hukou_kind"}
    assert "18 位" in exc.value.message_dict["id_number"][0]


def test_duplicate_id_number_points_to_the_existing_person(desk, tangzhen):
    first = make_person(desk, tangzhen, name="李四")
    with pytest.raises(DomainError) as exc:
        make_person(desk, tangzhen, name="李四二", id_number=first.id_number.lower())
    assert exc.value.code == "duplicate"
    assert exc.value.details == {"field": "id_number", "existing_type": "person", "existing_id": first.pk}
    assert "李四" in exc.value.message and "唐镇" in exc.value.message
    assert Person.objects.count() == 1


def test_duplicate_in_another_town_says_only_that_it_is_registered_elsewhere(desk, zj_desk, zhangjiang, tangzhen):
    theirs = make_person(zj_desk, zhangjiang, name="王五", mobile="13900001111")
    with pytest.raises(DomainError) as exc:
        make_person(desk, tangzhen, name="某人", id_number=theirs.id_number)
    assert "其他镇" in exc.value.message and "王五" not in exc.value.message
    assert "existing_id" not in exc.value.details
    with pytest.raises(DomainError) as exc:
        make_person(desk, tangzhen, name="某人", mobile="139 0000 1111")
    assert exc.value.details["field"] == "mobile"


def test_database_file_never_holds_the_plain_id_number_or_mobile(desk, tangzhen):
    person = make_person(desk, tangzhen, mobile="13812345678")
    with connection.cursor() as cursor:
        cursor.execute("SELECT id_number, mobile, id_number_hash FROM registry_person WHERE id = %s", [person.pk])
        raw_id, raw_mobile, raw_hash = cursor.fetchone()
    assert person.id_number not in raw_id and "13812345678" not in raw_mobile
    assert person.id_number not in raw_hash
    entry_json = str(list(AuditEntry.objects.values_list("after", flat=True)))
    assert person.id_number not in entry_json and "13812345678" not in entry_json


def test_person_update_records_before_and_after_of_what_changed(desk, tangzhen):
    person = make_person(desk, tangzhen, name="张三", mobile="13812345678")
    services.person_update(
        actor=desk, person=person, data={"name": "张叁", "mobile": "13912345678", "groups": [PriorityGroup.VETERAN]}
    )
    entry = audit("registry.person.changed", person).get()
    assert entry.before == {"name": "张三", "mobile": "138****5678", "groups": []}
    assert entry.after == {"name": "张叁", "mobile": "139****5678", "groups": ["退役军人"]}
    assert entry.actor == desk
    person.refresh_from_db()
    assert person.name_pinyin.startswith("zhangsan ")


def test_update_that_changes_nothing_writes_no_audit_entry(desk, tangzhen):
    person = make_person(desk, tangzhen)
    services.person_update(actor=desk, person=person, data={"name": "张三 "})
    assert not audit("registry.person.changed", person).exists()


def test_town_user_cannot_change_another_towns_person(desk, zj_desk, zhangjiang):
    theirs = make_person(zj_desk, zhangjiang)
    with pytest.raises(NotFound):
        services.person_update(actor=desk, person=theirs, data={"name": "改名"})
    theirs.refresh_from_db()
    assert theirs.name == "张三"


def test_town_user_cannot_register_a_person_in_another_town(desk, zhangjiang):
    with pytest.raises(ValidationError) as exc:
        make_person(desk, zhangjiang)
    assert "管辖范围" in exc.value.message_dict["jurisdiction"][0]


def test_district_account_may_register_in_any_town_but_not_at_district_level(district_admin, zhangjiang):
    assert make_person(district_admin, zhangjiang).jurisdiction == zhangjiang
    with pytest.raises(ValidationError) as exc:
        make_person(district_admin, f.district())
    assert "不能只选区" in exc.value.message_dict["jurisdiction"][0]


def test_leader_may_not_edit_the_registry(leader, tangzhen):
    with pytest.raises(DomainError) as exc:
        make_person(leader, tangzhen)
    assert exc.value.status == 403


def test_a_bad_group_saves_nothing(desk, tangzhen):
    with pytest.raises(ValidationError):
        make_person(desk, tangzhen, groups=["graduate", "astronaut"])
    assert not Person.objects.exists() and not AuditEntry.objects.exists()


def test_groups_set_replaces_the_priority_groups(desk, tangzhen):
    person = make_person(desk, tangzhen, groups=["graduate"])
    services.person_groups_set(actor=desk, person=person, groups=["disabled", "veteran"])
    assert sorted(person.groups.values_list("group", flat=True)) == ["disabled", "veteran"]
    assert audit("registry.person.changed", person).get().after == {"groups": ["残疾人", "退役军人"]}


def test_the_audit_log_names_groups_in_chinese_whatever_language_the_staff_member_reads(desk, tangzhen):
    from django.utils import translation

    person = make_person(desk, tangzhen, groups=["graduate"])
    with translation.override("en"):
        services.person_groups_set(actor=desk, person=person, groups=["veteran"])
    assert audit("registry.person.changed", person).get().after == {"groups": ["退役军人"]}


def test_deleting_a_person_linked_to_an_enterprise_is_refused_with_the_reason(desk, tangzhen):
    person = make_person(desk, tangzhen)
    enterprise = make_enterprise(desk, tangzhen)
    services.enterprise_person_link(actor=desk, enterprise=enterprise, person=person, relation="founder")
    with pytest.raises(DomainError) as exc:
        services.person_delete(actor=desk, person=person)
    assert exc.value.code == "referenced" and "人员与企业关系" in exc.value.message
    assert Person.objects.filter(pk=person.pk).exists()


def test_deleting_an_unreferenced_person_is_audited(desk, tangzhen):
    person = make_person(desk, tangzhen, groups=["graduate"])
    pk = person.pk
    services.person_delete(actor=desk, person=person)
    assert not Person.objects.filter(pk=pk).exists()
    entry = AuditEntry.objects.get(action="registry.person.deleted", object_id=str(pk))
    assert entry.before["name"] == "张三" and entry.after is None


def test_full_view_is_audited_and_refused_to_roles_without_the_right(desk, leader, tangzhen):
    person = make_person(desk, tangzhen)
    assert services.person_reveal(actor=desk, person=person, field="id_number") == person.id_number
    entry = audit("registry.person.revealed", person).get()
    assert entry.actor == desk and entry.note == "身份证号码"
    with pytest.raises(NotFound):
        services.person_reveal(actor=leader, person=person, field="id_number")
    assert audit("registry.person.revealed", person).count() == 1


# --- enterprises ----------------------------------------------------------------------------------


def test_enterprise_with_wrong_uscc_check_character_is_refused_on_the_field(desk, tangzhen):
    good = f.uscc()
    bad = good[:-1] + ("1" if good[-1] != "1" else "2")
    with pytest.raises(ValidationError) as exc:
        make_enterprise(desk, tangzhen, uscc=bad)
    assert "统一社会信用代码校验位错误" in exc.value.message_dict["uscc"][0]


def test_duplicate_uscc_points_to_the_existing_enterprise(desk, tangzhen):
    first = make_enterprise(desk, tangzhen, name="上海甲乙科技有限公司")
    with pytest.raises(DomainError) as exc:
        make_enterprise(desk, tangzhen, name="另一家", uscc=first.uscc.lower())
    assert exc.value.details == {"field": "uscc", "existing_type": "enterprise", "existing_id": first.pk}
    assert "上海甲乙科技有限公司" in exc.value.message
    assert Enterprise.objects.count() == 1


def test_industry_division_fills_in_its_section_and_a_mismatch_is_refused(desk, tangzhen):
    enterprise = make_enterprise(desk, tangzhen, industry_division="65")
    assert enterprise.industry_section == "I"
    with pytest.raises(ValidationError) as exc:
        make_enterprise(desk, tangzhen, industry_section="C", industry_division="65")
    assert "门类 I" in exc.value.message_dict["industry_division"][0]


def test_founded_date_in_the_future_is_refused(desk, tangzhen):
    with pytest.raises(ValidationError) as exc:
        make_enterprise(desk, tangzhen, founded_on=datetime.date.today() + datetime.timedelta(days=2))
    assert "成立日期不能晚于今天" in exc.value.message_dict["founded_on"][0]


def test_enterprise_change_records_tags_and_related_records_by_name(desk, tangzhen):
    ecommerce = Tag.objects.create(code="ecommerce", name="电子商务")
    carrier = services.carrier_create(
        actor=desk, kind=CarrierKind.INCUBATOR, name="唐镇创业孵化基地", jurisdiction=tangzhen
    )
    enterprise = make_enterprise(desk, tangzhen, registered_capital=Decimal("100"))
    services.enterprise_update(
        actor=desk,
        enterprise=enterprise,
        data={"tags": [ecommerce], "carrier": carrier, "registered_capital": Decimal("150.5")},
    )
    entry = audit("registry.enterprise.changed", enterprise).get()
    assert entry.before == {"carrier": None, "registered_capital": "100.00", "tags": []}
    assert entry.after == {"carrier": "唐镇创业孵化基地", "registered_capital": "150.5", "tags": ["电子商务"]}


def test_linking_a_legal_representative_replaces_the_previous_one(desk, tangzhen):
    enterprise = make_enterprise(desk, tangzhen)
    first = make_person(desk, tangzhen, name="赵一")
    second = make_person(desk, tangzhen, name="钱二")
    services.enterprise_person_link(actor=desk, enterprise=enterprise, person=first, relation="legal_rep")
    services.enterprise_person_link(actor=desk, enterprise=enterprise, person=second, relation="legal_rep")
    enterprise.refresh_from_db()
    assert enterprise.legal_representative == second and enterprise.legal_representative_name == "钱二"
    reps = EnterprisePerson.objects.filter(enterprise=enterprise, relation="legal_rep")
    assert list(reps.values_list("person__name", flat=True)) == ["钱二"]


def test_linking_the_same_relation_twice_is_refused(desk, tangzhen):
    enterprise = make_enterprise(desk, tangzhen)
    person = make_person(desk, tangzhen)
    services.enterprise_person_link(actor=desk, enterprise=enterprise, person=person, relation="employee")
    with pytest.raises(DomainError) as exc:
        services.enterprise_person_link(actor=desk, enterprise=enterprise, person=person, relation="employee")
    assert "已是本企业的员工" in exc.value.message
    link = EnterprisePerson.objects.get()
    services.enterprise_person_unlink(actor=desk, link=link)
    assert not EnterprisePerson.objects.exists()
    actions = list(audit("registry.enterprise.person_unlinked", enterprise).values_list("before", flat=True))
    assert actions == [{"person": "张三", "relation": "employee"}]


def test_linking_a_person_from_another_town_is_not_found(desk, zj_desk, tangzhen, zhangjiang):
    enterprise = make_enterprise(desk, tangzhen)
    stranger = make_person(zj_desk, zhangjiang)
    with pytest.raises(NotFound):
        services.enterprise_person_link(actor=desk, enterprise=enterprise, person=stranger, relation="employee")


def test_hosting_in_another_towns_carrier_is_refused(desk, zj_desk, tangzhen, zhangjiang):
    enterprise = make_enterprise(desk, tangzhen)
    carrier = services.carrier_create(actor=zj_desk, kind=CarrierKind.PARK, name="张江园区", jurisdiction=zhangjiang)
    with pytest.raises(ValidationError) as exc:
        services.enterprise_set_carrier(actor=desk, enterprise=enterprise, carrier=carrier)
    assert "carrier" in exc.value.message_dict


# --- carriers and mentors -------------------------------------------------------------------------


def test_more_free_workstations_than_total_is_refused(desk, tangzhen):
    with pytest.raises(ValidationError) as exc:
        services.carrier_create(
            actor=desk,
            kind=CarrierKind.INCUBATOR,
            name="孵化器",
            jurisdiction=tangzhen,
            workstations_total=10,
            workstations_free=12,
        )
    assert "不能多于工位总数" in exc.value.message_dict["workstations_free"][0]


def test_double_submitted_carrier_makes_one_record(desk, tangzhen):
    services.carrier_create(actor=desk, kind=CarrierKind.BASE, name="唐镇创业基地", jurisdiction=tangzhen)
    with pytest.raises(DomainError) as exc:
        services.carrier_create(actor=desk, kind=CarrierKind.BASE, name="唐镇创业基地", jurisdiction=tangzhen)
    assert exc.value.code == "duplicate"
    assert Carrier.objects.count() == 1


def test_carrier_operator_edits_only_the_running_data_of_its_own_carrier(desk, tangzhen):
    operator_unit = Unit.objects.create(name="某孵化器运营公司", kind=Unit.Kind.CARRIER, jurisdiction=tangzhen)
    other_unit = Unit.objects.create(name="另一运营公司", kind=Unit.Kind.CARRIER, jurisdiction=tangzhen)
    carrier = services.carrier_create(
        actor=desk,
        kind=CarrierKind.INCUBATOR,
        name="孵化器",
        jurisdiction=tangzhen,
        operator_unit=operator_unit,
        workstations_total=20,
    )
    operator = f.user(Role.CARRIER_OPERATOR, jurisdiction=tangzhen, unit_=operator_unit)
    services.carrier_update(actor=operator, carrier=carrier, data={"workstations_free": 5, "contact_name": "孙老师"})
    carrier.refresh_from_db()
    assert carrier.workstations_free == 5
    with pytest.raises(DomainError) as exc:
        services.carrier_update(actor=operator, carrier=carrier, data={"kind": CarrierKind.PARK})
    assert exc.value.status == 403
    stranger = f.user(Role.CARRIER_OPERATOR, jurisdiction=tangzhen, unit_=other_unit)
    with pytest.raises(DomainError):
        services.carrier_update(actor=stranger, carrier=carrier, data={"workstations_free": 1})


def test_deleting_a_carrier_that_hosts_enterprises_is_refused(desk, tangzhen):
    carrier = services.carrier_create(actor=desk, kind=CarrierKind.PARK, name="园区", jurisdiction=tangzhen)
    make_enterprise(desk, tangzhen, carrier=carrier)
    with pytest.raises(DomainError) as exc:
        services.carrier_delete(actor=desk, carrier=carrier)
    assert "1 条企业" in exc.value.message


def test_mentor_from_a_person_takes_the_name_and_only_once(desk, tangzhen):
    station = services.carrier_create(
        actor=desk, kind=CarrierKind.MENTOR_WORKSTATION, name="导师工作站", jurisdiction=tangzhen
    )
    person = make_person(desk, tangzhen, name="周老师")
    mentor = services.mentor_create(
        actor=desk,
        person=person,
        jurisdiction=tangzhen,
        workstation=station,
        industries=["I", "F"],
        service_modes=["online", "clinic"],
    )
    assert mentor.name == "周老师" and mentor.industries == ["F", "I"] and mentor.service_modes == ["clinic", "online"]
    with pytest.raises(DomainError) as exc:
        services.mentor_create(actor=desk, person=person, jurisdiction=tangzhen)
    assert exc.value.details["existing_id"] == mentor.pk
    assert Mentor.objects.count() == 1


def test_mentor_workstation_must_be_a_mentor_workstation(desk, tangzhen):
    park = services.carrier_create(actor=desk, kind=CarrierKind.PARK, name="园区", jurisdiction=tangzhen)
    with pytest.raises(ValidationError) as exc:
        services.mentor_create(actor=desk, name="外部专家", jurisdiction=tangzhen, workstation=park, industries=["Z"])
    assert set(exc.value.message_dict) == {"workstation", "industries"}
