"""Numbers and dates beyond their columns: refused at every way in, harmless if already stored."""

import io

import pytest
from django.db import connection
from django.urls import reverse
from django.utils import translation
from openpyxl import load_workbook

from chuangfu.registry.models import Enterprise
from tests import factories as f

pytestmark = pytest.mark.django_db

API = "/api/registry"


@pytest.fixture
def api(client, desk):
    client.force_login(desk)
    return client


def patch(client, path, data, **extra):
    return client.patch(f"{API}{path}", data, content_type="application/json", **extra)


def test_a_capital_beyond_the_column_is_refused_with_a_chinese_message(api):
    enterprise = f.enterprise("唐镇测试公司")
    response = patch(api, f"/enterprises/{enterprise.pk}", {"registered_capital": 1e16})
    assert response.status_code == 422
    body = response.json()
    assert body["code"] == "invalid" and "registered_capital" in body["details"]["fields"]
    assert body["message"] == "registered_capital：数字最多 14 位。"
    enterprise.refresh_from_db()
    assert enterprise.registered_capital != 10**16


def test_the_same_refusal_reads_in_english_for_an_english_caller(api):
    enterprise = f.enterprise("唐镇测试公司")
    response = patch(api, f"/enterprises/{enterprise.pk}", {"founded_on": "0001-01-01"}, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 422
    assert "between 1900-01-01 and 2100-12-31" in response.json()["message"]


@pytest.mark.parametrize(
    "field,value",
    [
        ("insured_employees", 2**31),
        ("insured_employees", -1),
        ("registered_capital", "12.345"),
        ("founded_on", "0001-01-01"),
        ("carrier_id", 10**20),
        ("legal_representative_id", -5),
    ],
)
def test_every_number_and_date_of_an_enterprise_is_held_to_its_column(api, field, value):
    enterprise = f.enterprise("唐镇测试公司")
    response = patch(api, f"/enterprises/{enterprise.pk}", {field: value})
    assert response.status_code == 422 and field in response.json()["details"]["fields"]


def test_a_graduation_in_year_one_is_refused(api):
    person = f.person("张三")
    response = patch(api, f"/persons/{person.pk}", {"graduation_date": "0001-06-30"})
    assert response.status_code == 422 and "graduation_date" in response.json()["details"]["fields"]


def _store_capital_beyond_the_column(enterprise):
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {Enterprise._meta.db_table} SET registered_capital = %s WHERE id = %s", [1e16, enterprise.pk]
        )


@pytest.mark.skipif("connection.vendor != 'sqlite'", reason="PostgreSQL's numeric(14,2) refuses the value itself")
def test_a_capital_already_stored_beyond_the_column_takes_no_page_down(client, desk):
    person = f.person("李四")
    enterprise = f.enterprise("超大资本公司", legal_representative=person)
    _store_capital_beyond_the_column(enterprise)
    client.force_login(desk)
    for url in (
        reverse("registry:enterprise_list"),
        reverse("registry:enterprise_list") + "?q=超大资本",
        reverse("registry:enterprise_detail", args=[enterprise.pk]),
        reverse("registry:person_detail", args=[person.pk]),
        f"{API}/enterprises",
        f"{API}/enterprises/{enterprise.pk}",
    ):
        assert client.get(url).status_code == 200, url
    export = client.get(reverse("registry:enterprise_export"))
    assert export.status_code == 200
    assert "超大资本公司" in str(list(load_workbook(io.BytesIO(export.content)).active.values))
    # and it can be repaired
    with translation.override("zh-hans"):
        response = patch(client, f"/enterprises/{enterprise.pk}", {"registered_capital": "500"})
    assert response.status_code == 200, response.content
    enterprise.refresh_from_db()
    assert enterprise.registered_capital == 500


def test_a_date_already_stored_in_year_one_takes_no_page_down(client, desk):
    person = f.person("王五")
    enterprise = f.enterprise("古老公司", legal_representative=person)
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {Enterprise._meta.db_table} SET founded_on = %s WHERE id = %s", ["0001-01-01", enterprise.pk]
        )
    client.force_login(desk)
    for url in (
        reverse("registry:enterprise_list"),
        reverse("registry:enterprise_detail", args=[enterprise.pk]),
        reverse("registry:person_detail", args=[person.pk]),
        reverse("registry:enterprise_export"),
        f"{API}/enterprises/{enterprise.pk}",
    ):
        assert client.get(url).status_code == 200, url
