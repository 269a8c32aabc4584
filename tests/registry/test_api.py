import pytest

from chuangfu.core.models import AuditEntry, Role
from chuangfu.registry.models import Carrier, CarrierKind, Enterprise, Mentor, Person, Tag
from tests import factories as f

pytestmark = pytest.mark.django_db

API = "/api/registry"


@pytest.fixture
def api(client, desk):
    client.force_login(desk)
    return client


def post(client, path, data):
    return client.post(f"{API}{path}", data, content_type="application/json")


def patch(client, path, data):
    return client.patch(f"{API}{path}", data, content_type="application/json")


def test_person_list_is_masked_and_scoped(api, zhangjiang):
    person = f.person("张三", mobile="13812345678")
    f.person("张江人", jurisdiction=zhangjiang)
    body = api.get(f"{API}/persons").json()
    assert [p["name"] for p in body["items"]] == ["张三"]
    item = body["items"][0]
    assert item["id_number_masked"] == person.masked_id_number and item["mobile_masked"] == "138****5678"
    assert person.id_number not in str(body) and "13812345678" not in str(body)
    assert body["next_offset"] is None


def test_person_search_by_pinyin_initials_and_paging(api):
    for _n in range(3):
        f.person("张三")
    f.person("李四")
    first = api.get(f"{API}/persons", {"q": "zs", "limit": 2}).json()
    assert [p["name"] for p in first["items"]] == ["张三", "张三"] and first["next_offset"] == 2
    rest = api.get(f"{API}/persons", {"q": "zs", "limit": 2, "offset": 2}).json()
    assert len(rest["items"]) == 1 and rest["next_offset"] is None


def test_another_towns_records_are_404_by_api(api, zhangjiang):
    theirs = f.person("张江人", jurisdiction=zhangjiang)
    enterprise = f.enterprise("张江公司", jurisdiction=zhangjiang)
    response = api.get(f"{API}/persons/{theirs.pk}")
    assert response.status_code == 404 and response.json()["code"] == "not_found"
    assert patch(api, f"/persons/{theirs.pk}", {"name": "改名"}).status_code == 404
    assert api.get(f"{API}/enterprises/{enterprise.pk}").status_code == 404
    assert patch(api, f"/enterprises/{enterprise.pk}", {"name": "改名"}).status_code == 404
    carrier = Carrier.objects.create(kind=CarrierKind.PARK, name="张江园区", jurisdiction=zhangjiang)
    assert api.get(f"{API}/carriers/{carrier.pk}").status_code == 404
    theirs.refresh_from_db()
    enterprise.refresh_from_db()
    assert theirs.name == "张江人" and enterprise.name == "张江公司"


def test_district_account_reads_every_town(client, district_admin, zhangjiang):
    client.force_login(district_admin)
    theirs = f.person("张江人", jurisdiction=zhangjiang)
    assert client.get(f"{API}/persons/{theirs.pk}").json()["jurisdiction"]["name"] == "张江镇"


def test_create_person_through_the_api_uses_the_service(api, desk, tangzhen):
    id_number = f.id_number()
    response = post(
        api,
        "/persons",
        {
            "name": "王小明",
            "id_number": id_number,
            "jurisdiction_id": tangzhen.pk,
            "mobile": "13800138000",
            "groups": ["graduate"],
        },
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["groups"] == ["graduate"] and body["gender"] == "M"
    assert body["id_number_masked"] != id_number and id_number not in response.content.decode()
    assert AuditEntry.objects.get(action="registry.person.created").actor == desk


def test_bad_identifier_gets_a_400_with_the_chinese_message_on_the_field(api, tangzhen):
    good = f.id_number()
    bad = good[:-1] + ("0" if good[-1] != "0" else "1")
    response = post(api, "/persons", {"name": "王小明", "id_number": bad, "jurisdiction_id": tangzhen.pk})
    assert response.status_code == 400
    body = response.json()
    assert body["code"] == "invalid" and "校验位错误" in body["details"]["fields"]["id_number"][0]
    assert not Person.objects.exists()


def test_creating_in_another_town_is_refused(api, zhangjiang):
    response = post(api, "/persons", {"name": "王小明", "id_number": f.id_number(), "jurisdiction_id": zhangjiang.pk})
    assert response.status_code == 400 and "jurisdiction" in response.json()["details"]["fields"]


def test_duplicate_uscc_by_api_names_the_existing_enterprise(api, tangzhen):
    existing = f.enterprise("上海已登记科技有限公司")
    response = post(api, "/enterprises", {"uscc": existing.uscc, "name": "重复", "jurisdiction_id": tangzhen.pk})
    assert response.status_code == 400
    body = response.json()
    assert body["code"] == "duplicate" and body["details"]["existing_id"] == existing.pk
    assert Enterprise.objects.count() == 1


def test_enterprise_create_and_partial_update(api, tangzhen):
    Tag.objects.create(code="ecommerce", name="电子商务")
    carrier = Carrier.objects.create(kind=CarrierKind.INCUBATOR, name="孵化器", jurisdiction=tangzhen)
    created = post(
        api,
        "/enterprises",
        {
            "uscc": f.uscc(),
            "name": "上海新公司",
            "jurisdiction_id": tangzhen.pk,
            "industry_division": "65",
            "tags": ["ecommerce"],
            "carrier_id": carrier.pk,
        },
    )
    assert created.status_code == 201, created.content
    body = created.json()
    assert body["industry_section"] == "I" and body["tags"] == ["ecommerce"] and body["carrier_id"] == carrier.pk
    updated = patch(api, f"/enterprises/{body['id']}", {"registration_status": "cancelled", "carrier_id": None})
    assert updated.status_code == 200
    assert updated.json()["registration_status"] == "cancelled" and updated.json()["carrier_id"] is None
    assert updated.json()["tags"] == ["ecommerce"]
    bad_tag = patch(api, f"/enterprises/{body['id']}", {"tags": ["nonsense"]})
    assert bad_tag.status_code == 400 and "未知的企业标签" in bad_tag.json()["message"]


def test_hosting_in_another_towns_carrier_by_api_is_a_bad_value(api, tangzhen, zhangjiang):
    enterprise = f.enterprise()
    theirs = Carrier.objects.create(kind=CarrierKind.PARK, name="张江园区", jurisdiction=zhangjiang)
    response = patch(api, f"/enterprises/{enterprise.pk}", {"carrier_id": theirs.pk})
    assert response.status_code == 400 and "carrier" in response.json()["details"]["fields"]


def test_leader_may_read_but_not_write(client, leader, tangzhen):
    client.force_login(leader)
    person = f.person()
    assert client.get(f"{API}/persons/{person.pk}").status_code == 200
    response = patch(client, f"/persons/{person.pk}", {"name": "改名"})
    assert response.status_code == 403 and "权限" in response.json()["message"]


def test_entrepreneur_is_refused_and_anonymous_must_log_in(client):
    client.force_login(f.user(Role.ENTREPRENEUR))
    assert client.get(f"{API}/persons").status_code == 403
    client.logout()
    assert client.get(f"{API}/persons").status_code == 401


def test_carriers_and_mentors_are_listed(api, tangzhen):
    station = Carrier.objects.create(
        kind=CarrierKind.MENTOR_WORKSTATION, name="导师站", jurisdiction=tangzhen, services="创业指导\n政策咨询"
    )
    Mentor.objects.create(
        name="周导师", jurisdiction=tangzhen, workstation=station, expertise="融资\n财税", industries=["I"]
    )
    carriers = api.get(f"{API}/carriers", {"kind": "mentor_workstation"}).json()["items"]
    assert carriers[0]["services"] == ["创业指导", "政策咨询"]
    mentors = api.get(f"{API}/mentors", {"industry": "I"}).json()["items"]
    assert mentors[0]["expertise"] == ["融资", "财税"] and mentors[0]["workstation_id"] == station.pk
