"""The ecosystem API: the same rules as the pages."""

import datetime

import pytest

from chuangfu.ecosystem.models import Linkage
from chuangfu.ecosystem.services import incubation as incubation_services
from chuangfu.ecosystem.services import resources as resource_services
from tests import factories as f

pytestmark = pytest.mark.django_db


def test_nearby_is_public_and_says_how_far(client, incubator):
    response = client.get("/api/ecosystem/nearby", {"lat": 31.2160, "lon": 121.6600})
    assert response.status_code == 200
    [row] = response.json()
    assert row["carrier"]["name"] == "唐创空间" and 700 < row["metres"] < 800 and row["within_circle"]


def test_linkage_through_the_api_once_and_other_towns_are_404(client, desk, zj_desk, tangzhen):
    firm = f.enterprise(jurisdiction=tangzhen)
    need = resource_services.need_create(actor=desk, enterprise=firm, kinds=["investor"], description="融资")
    fund = resource_services.resource_create(
        actor=desk, jurisdiction=tangzhen, kind="investor", name="基金", offer="投资", holder_name="某资本"
    )
    client.force_login(desk)
    url = f"/api/ecosystem/needs/{need.pk}/linkages"
    first = client.post(url, {"resource_id": fund.pk}, content_type="application/json").json()
    second = client.post(url, {"resource_id": fund.pk}, content_type="application/json").json()
    assert first["id"] == second["id"] and Linkage.objects.count() == 1
    refused = client.post(
        f"/api/ecosystem/linkages/{first['id']}/outcome", {"met": False, "note": ""}, content_type="application/json"
    )
    assert refused.status_code == 400 and refused.json()["code"] == "required"
    assert client.get("/api/ecosystem/linkages/counts").json() == {"total": 1, "pending": 1, "met": 0, "failed": 0}
    client.force_login(zj_desk)
    assert client.get(f"/api/ecosystem/needs/{need.pk}/matches").status_code == 404


def test_a_negative_headcount_is_refused_through_the_api(client, operator, incubator, tangzhen):
    firm = f.enterprise(jurisdiction=tangzhen)
    year = datetime.date.today().year - 1
    hosted = incubation_services.incubation_admit(
        actor=operator, carrier=incubator, enterprise=firm, admitted_on=datetime.date(year, 1, 2)
    )
    client.force_login(operator)
    payload = {"year": year, "quarter": 2, "insured_headcount": -1, "revenue_band": "lt1m"}
    response = client.put(f"/api/ecosystem/incubations/{hosted.pk}/reports", payload, content_type="application/json")
    assert response.status_code == 422 and response.json()["details"]["fields"]["insured_headcount"] == ["不能小于 0。"]
    payload["insured_headcount"] = 4
    response = client.put(f"/api/ecosystem/incubations/{hosted.pk}/reports", payload, content_type="application/json")
    assert response.status_code == 200 and response.json()["insured_headcount"] == 4


def test_staff_only_endpoints_are_refused_to_the_public_and_entrepreneurs(client):
    assert client.get("/api/ecosystem/cases/figures").status_code == 401
    client.force_login(f.user(role="entrepreneur"))
    assert client.get("/api/ecosystem/cases/figures").status_code == 403  # the role table


def test_the_lists_export_to_xlsx_scoped_like_the_pages(client, desk, zj_desk, incubator):
    import io

    from openpyxl import load_workbook

    client.force_login(desk)
    response = client.get("/ecosystem/export/carriers.xlsx")
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert [c.value for c in sheet[1]][:2] == ["名称", "载体类型"] and sheet["A2"].value == "唐创空间"
    for name in ("visits", "linkages", "cases"):
        assert client.get(f"/ecosystem/export/{name}.xlsx").status_code == 200
    client.force_login(zj_desk)
    sheet = load_workbook(io.BytesIO(client.get("/ecosystem/export/carriers.xlsx").content)).active
    assert sheet.max_row == 1
