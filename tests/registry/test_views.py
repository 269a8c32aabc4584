import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from chuangfu.core.models import AuditEntry, Job, Role, Unit
from chuangfu.registry import exporters
from chuangfu.registry.models import Carrier, CarrierKind, Enterprise, EnterprisePerson, Person
from tests import factories as f

pytestmark = pytest.mark.django_db


@pytest.fixture
def desk_client(client, desk):
    client.force_login(desk)
    return client


def url(name, *args):
    return reverse(f"registry:{name}", args=args)


def person_post(**extra):
    data = {
        "name": "王小明",
        "id_number": f.id_number(),
        "mobile": "13800138000",
        "jurisdiction": f.town().pk,
        "hukou_kind": "local",
        "groups": ["graduate"],
    }
    data.update(extra)
    return data


def workbook_rows(response):
    content = b"".join(response.streaming_content) if response.streaming else response.content
    return list(load_workbook(io.BytesIO(content)).active.values)


# --- who may open what -------------------------------------------------------------------------


def test_person_list_shows_identifiers_masked(desk_client):
    person = f.person("张三", mobile="13812345678")
    response = desk_client.get(url("person_list"))
    page = response.content.decode()
    assert response.status_code == 200
    assert person.masked_id_number in page and "138****5678" in page
    assert person.id_number not in page and "13812345678" not in page


def test_entrepreneurs_never_see_registry_pages(client):
    client.force_login(f.user(Role.ENTREPRENEUR))
    assert client.get(url("person_list")).status_code == 403
    assert client.get(url("carrier_list")).status_code == 403
    person = f.person()
    assert client.get(url("person_detail", person.pk)).status_code == 403


def test_anonymous_visitor_is_sent_to_login(client):
    response = client.get(url("enterprise_list"))
    assert response.status_code == 302 and reverse("login") in response["Location"]


def test_tangzhen_user_cannot_read_or_change_a_zhangjiang_record_by_url(desk_client, zhangjiang):
    theirs = f.person("张江人", jurisdiction=zhangjiang)
    enterprise = f.enterprise("张江公司", jurisdiction=zhangjiang)
    assert desk_client.get(url("person_detail", theirs.pk)).status_code == 404
    assert desk_client.get(url("person_edit", theirs.pk)).status_code == 404
    assert (
        desk_client.post(
            url("person_edit", theirs.pk), person_post(name="改名", jurisdiction=zhangjiang.pk)
        ).status_code
        == 404
    )
    assert desk_client.post(url("person_delete", theirs.pk)).status_code == 404
    assert desk_client.post(url("person_reveal", theirs.pk, "id_number")).status_code == 404
    assert desk_client.get(url("enterprise_detail", enterprise.pk)).status_code == 404
    assert (
        desk_client.post(
            url("enterprise_link", enterprise.pk), {"id_number": theirs.id_number, "relation": "employee"}
        ).status_code
        == 404
    )
    theirs.refresh_from_db()
    assert theirs.name == "张江人" and Person.objects.filter(pk=theirs.pk).exists()
    assert "张江人" not in desk_client.get(url("person_list")).content.decode()


def test_district_account_sees_records_of_both_towns(client, district_admin, zhangjiang):
    client.force_login(district_admin)
    f.person("唐镇人")
    theirs = f.person("张江人", jurisdiction=zhangjiang)
    page = client.get(url("person_list")).content.decode()
    assert "唐镇人" in page and "张江人" in page
    assert client.get(url("person_detail", theirs.pk)).status_code == 200


def test_leader_reads_but_cannot_edit(client, leader):
    client.force_login(leader)
    person = f.person()
    detail = client.get(url("person_detail", person.pk))
    assert detail.status_code == 200 and url("person_edit", person.pk) not in detail.content.decode()
    assert client.get(url("person_edit", person.pk)).status_code == 403
    assert client.get(url("person_create")).status_code == 403


# --- search and filters ------------------------------------------------------------------------


def test_live_search_by_pinyin_initials_returns_only_the_results(desk_client):
    f.person("张三")
    f.person("李四")
    response = desk_client.get(url("person_list"), {"q": "zs"}, HTTP_HX_REQUEST="true", HTTP_HX_TARGET="results")
    page = response.content.decode()
    assert "张三" in page and "李四" not in page
    assert "<html" not in page and 'id="filters"' not in page


def test_invalid_date_range_in_filters_is_explained(desk_client):
    response = desk_client.get(url("enterprise_list"), {"founded_from": "2024-01-01", "founded_to": "2023-01-01"})
    assert "结束日期不能早于开始日期" in response.content.decode()


def test_pages_move_forward_without_counting_everything(desk_client):
    for n in range(25):
        f.person(f"人员{n:02d}")
    first = desk_client.get(url("person_list")).content.decode()
    assert "人员24" in first and "人员04" not in first and url("person_count") in first
    assert "共 25 条" in desk_client.get(url("person_count")).content.decode()
    assert "共 1 条" in desk_client.get(url("person_count"), {"q": "人员07"}).content.decode()
    second = desk_client.get(url("person_list"), {"page": 2}).content.decode()
    assert "人员04" in second and "人员24" not in second


# --- create, edit, errors ---------------------------------------------------------------------------


def test_registering_a_person_through_the_form_is_audited(desk_client, desk):
    response = desk_client.post(url("person_create"), person_post())
    person = Person.objects.get()
    assert response.status_code == 302 and response["Location"] == url("person_detail", person.pk)
    assert list(person.groups.values_list("group", flat=True)) == ["graduate"]
    assert AuditEntry.objects.get(action="registry.person.created").actor == desk


def test_wrong_check_digit_shows_the_chinese_message_on_the_form(desk_client):
    good = f.id_number()
    bad = good[:-1] + ("0" if good[-1] != "0" else "1")
    response = desk_client.post(url("person_create"), person_post(id_number=bad))
    assert response.status_code == 400
    assert "身份证号码校验位错误" in response.content.decode()
    assert response.context["form"].errors["id_number"]
    assert not Person.objects.exists()


def test_impossible_date_is_refused_in_the_users_language(desk_client):
    response = desk_client.post(url("person_create"), person_post(graduation_date="2021-02-30"))
    assert response.status_code == 400 and "graduation_date" in response.context["form"].errors
    assert not Person.objects.exists()


def test_duplicate_uscc_points_to_the_existing_enterprise(desk_client):
    existing = f.enterprise("上海已登记科技有限公司")
    data = {
        "uscc": existing.uscc,
        "name": "重复公司",
        "entity_type": "company",
        "registration_status": "active",
        "jurisdiction": f.town().pk,
    }
    response = desk_client.post(url("enterprise_create"), data)
    page = response.content.decode()
    assert response.status_code == 400
    assert "该统一社会信用代码已登记" in page and f'href="{url("enterprise_detail", existing.pk)}"' in page
    assert Enterprise.objects.count() == 1


def test_duplicate_from_another_town_gives_no_link_and_no_name(desk_client, zhangjiang):
    existing = f.enterprise("张江某公司", jurisdiction=zhangjiang)
    data = {
        "uscc": existing.uscc,
        "name": "重复公司",
        "entity_type": "company",
        "registration_status": "active",
        "jurisdiction": f.town().pk,
    }
    page = desk_client.post(url("enterprise_create"), data).content.decode()
    assert "已在其他镇（街道）登记" in page
    assert "张江某公司" not in page and url("enterprise_detail", existing.pk) not in page


def test_editing_keeps_identifiers_when_left_blank_and_history_shows_the_change(desk_client):
    person = f.person("张三", mobile="13812345678")
    form_page = desk_client.get(url("person_edit", person.pk)).content.decode()
    assert person.id_number not in form_page and person.masked_id_number in form_page
    data = person_post(name="张三丰", id_number="", mobile="")
    assert desk_client.post(url("person_edit", person.pk), data).status_code == 302
    person.refresh_from_db()
    assert person.name == "张三丰" and person.mobile == "13812345678"
    detail = desk_client.get(url("person_detail", person.pk)).content.decode()
    assert "变更历史" in detail and "张三" in detail and "张三丰" in detail
    rows = detail.split("cf-changes", 1)[1]
    assert "姓名" in rows and "高校毕业生" in rows


def test_deleting_a_referenced_person_explains_why_and_keeps_it(desk_client):
    person = f.person()
    enterprise = f.enterprise()
    EnterprisePerson.objects.create(enterprise=enterprise, person=person, relation="founder")
    response = desk_client.post(url("person_delete", person.pk), follow=True)
    assert "不能删除" in response.content.decode()
    assert Person.objects.filter(pk=person.pk).exists()


def test_linking_a_person_by_id_number_from_the_enterprise_page(desk_client):
    enterprise = f.enterprise()
    person = f.person("钱二")
    response = desk_client.post(
        url("enterprise_link", enterprise.pk),
        {"id_number": person.id_number, "relation": "legal_rep", "since": "2024-03-01"},
    )
    assert response.status_code == 302
    enterprise.refresh_from_db()
    assert enterprise.legal_representative == person
    unknown = desk_client.post(
        url("enterprise_link", enterprise.pk), {"id_number": f.id_number(), "relation": "employee"}
    )
    assert unknown.status_code == 400 and "请先登记该人员" in unknown.content.decode()


def test_carrier_operator_sees_its_carrier_but_edits_it_only_through_a_reviewed_change(client, tangzhen):
    unit = Unit.objects.create(name="孵化器运营公司", kind=Unit.Kind.CARRIER, jurisdiction=tangzhen)
    own = Carrier.objects.create(
        kind=CarrierKind.INCUBATOR, name="本孵化器", jurisdiction=tangzhen, operator_unit=unit, workstations_total=30
    )
    client.force_login(f.user(Role.CARRIER_OPERATOR, jurisdiction=tangzhen, unit_=unit))
    response = client.post(url("carrier_edit", own.pk), {"workstations_total": 30, "workstations_free": 8})
    assert response.status_code == 403
    own.refresh_from_db()
    assert own.workstations_free == 0
    f.enterprise("入驻企业甲", carrier=own)
    assert "入驻企业甲" in client.get(url("carrier_detail", own.pk)).content.decode()


# --- personal data ------------------------------------------------------------------------------------


def test_full_view_is_audited_and_only_for_roles_that_need_it(desk_client, desk, client, leader):
    person = f.person("张三", mobile="13812345678")
    detail = desk_client.get(url("person_detail", person.pk)).content.decode()
    assert "显示完整" in detail
    response = desk_client.post(url("person_reveal", person.pk, "mobile"))
    assert response.status_code == 200 and "13812345678" in response.content.decode()
    entry = AuditEntry.objects.get(action="registry.person.revealed")
    assert entry.actor == desk and entry.object_id == str(person.pk)
    client.force_login(leader)
    assert "显示完整" not in client.get(url("person_detail", person.pk)).content.decode()
    assert client.post(url("person_reveal", person.pk, "mobile")).status_code == 403
    assert AuditEntry.objects.filter(action="registry.person.revealed").count() == 1


def test_export_is_masked_and_holds_exactly_the_filtered_list(desk_client, zhangjiang):
    local = f.person("唐镇毕业生", hukou_kind="local", mobile="13812345678")
    f.person("唐镇外地人", hukou_kind="permit")
    f.person("张江毕业生", hukou_kind="local", jurisdiction=zhangjiang)
    response = desk_client.get(url("person_export"), {"hukou_kind": "local"})
    rows = workbook_rows(response)
    assert rows[0][0] == "姓名" and len(rows) == 2
    assert rows[1][0] == "唐镇毕业生"
    assert local.masked_id_number in rows[1] and "138****5678" in rows[1]
    assert local.id_number not in str(rows) and "13812345678" not in str(rows)


def test_a_long_export_runs_in_the_background_with_progress(
    desk_client, monkeypatch, django_capture_on_commit_callbacks
):
    monkeypatch.setattr(exporters, "DIRECT_EXPORT_LIMIT", 2)
    for n in range(3):
        f.enterprise(f"导出企业{n}")
    f.enterprise("别的公司")
    with django_capture_on_commit_callbacks(execute=True):
        response = desk_client.get(url("enterprise_export"), {"q": "导出企业"})
    job = Job.objects.get(kind=exporters.JOB_KIND)
    assert response.status_code == 302 and response["Location"] == reverse("core:export_status", args=[job.pk])
    assert job.status == Job.Status.DONE and job.result["rows"] == 3
    status = desk_client.get(response["Location"]).content.decode()
    assert "已导出 3 行" in status
    rows = workbook_rows(desk_client.get(reverse("core:export_download", args=[job.pk])))
    assert sorted(r[1] for r in rows[1:]) == ["导出企业0", "导出企业1", "导出企业2"]


def test_someone_elses_export_is_not_found(desk_client, client, monkeypatch):
    monkeypatch.setattr(exporters, "DIRECT_EXPORT_LIMIT", 0)
    f.enterprise()
    job_url = desk_client.get(url("enterprise_export"))["Location"]
    client.force_login(f.user(Role.DESK_STAFF))
    assert client.get(job_url).status_code == 404


def test_django_admin_shows_people_read_only_and_masked(admin_client):
    person = f.person("张三")
    listing = admin_client.get("/admin/registry/person/").content.decode()
    assert person.masked_id_number in listing and person.id_number not in listing
    assert admin_client.get("/admin/registry/person/add/").status_code == 403
    assert admin_client.get("/admin/registry/tag/add/").status_code == 200


def test_registry_pages_read_in_english(desk_client):
    person = f.person("张三")
    page = desk_client.get(url("person_list"), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Export to Excel" in page and "Name, pinyin initials, ID number or mobile" in page
    detail = desk_client.get(url("person_detail", person.pk), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Show full" in detail and "History" in detail
