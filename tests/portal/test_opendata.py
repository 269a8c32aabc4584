"""The open-data catalogue: aggregates only, small counts withheld, and a CKAN Action API that
the real ``ckanapi`` client reads as it reads a CKAN portal."""

import csv
import io
import json

import ckanapi
import openpyxl
import pytest
from django.urls import reverse

from chuangfu.core.models import Role
from chuangfu.portal import datasets, services
from chuangfu.registry.models import Carrier, CarrierKind
from tests import factories

pytestmark = pytest.mark.django_db


def carriers(kind, n, town=None):
    for i in range(n):
        Carrier.objects.create(kind=kind, name=f"{kind}-{i}", jurisdiction=town or factories.town())


def dataset(*, published=True, name="tangzhen-carriers", source="registry.carriers", threshold=5):
    return services.dataset_save(
        actor=factories.user(role=Role.ADMIN),
        data={
            "jurisdiction": factories.town(),
            "name": name,
            "title": "唐镇服务载体",
            "description": "按类型统计的服务载体数量。",
            "publisher": "唐镇人民政府",
            "source": source,
            "licence": "CC-BY-4.0",
            "frequency": "monthly",
            "suppress_below": threshold,
            "published": published,
        },
    )


def test_counts_below_the_threshold_are_withheld_in_every_format(client):
    carriers(CarrierKind.INCUBATOR, 6)
    carriers(CarrierKind.PARK, 2)
    ds = dataset()
    _columns, rows = datasets.rows_of(ds)
    by_kind = {r["kind"]: r["carriers"] for r in rows}
    assert by_kind[str(CarrierKind.INCUBATOR.label)] == 6 and by_kind[str(CarrierKind.PARK.label)] is None

    text = client.get(reverse("portal:dataset_download", args=[ds.name, "csv"])).content.decode("utf-8-sig")
    table = list(csv.reader(io.StringIO(text)))
    assert table[0] == ["载体类型", "数量"] and [str(CarrierKind.PARK.label), ""] in table
    payload = json.loads(client.get(reverse("portal:dataset_download", args=[ds.name, "json"])).content)
    assert {"kind": str(CarrierKind.PARK.label), "carriers": None} in payload["records"]
    book = openpyxl.load_workbook(
        io.BytesIO(client.get(reverse("portal:dataset_download", args=[ds.name, "xlsx"])).content)
    )
    values = [[c.value for c in row] for row in book.active.iter_rows()]
    assert [str(CarrierKind.INCUBATOR.label), 6] in values and all(2 not in row for row in values)


def test_the_ckan_action_api_lists_shows_and_searches_published_datasets_only(client):
    dataset()
    dataset(published=False, name="draft-set")

    def action(action_name, **params):
        response = client.post(f"/api/3/action/{action_name}", data=json.dumps(params), content_type="application/json")
        return response.status_code, response.json()

    status, body = action("package_list")
    assert status == 200 and body["success"] and body["result"] == ["tangzhen-carriers"]
    status, body = action("package_show", id="tangzhen-carriers")
    package = body["result"]
    assert package["title"] == "唐镇服务载体" and package["license_id"] == "CC-BY-4.0"
    assert {r["format"] for r in package["resources"]} == {"CSV", "JSON", "XLSX"}
    assert package["organization"]["title"] == factories.town().name
    status, body = action("package_show", id="draft-set")
    assert status == 404 and body["error"]["__type"] == "Not Found Error"
    status, body = action("package_search", q="载体", rows=5)
    assert body["result"]["count"] == 1
    status, body = action("organization_list")
    assert body["result"] == [factories.town().code]
    status, body = action("package_search", rows=-1)
    assert status == 409 and body["error"]["__type"] == "Validation Error"
    status, body = action("resource_create", name="x")
    assert status == 400 and not body["success"]
    bad = client.post("/api/3/action/package_list", data="{not json", content_type="application/json")
    assert bad.status_code == 400
    assert client.get("/api/action/package_list").json()["result"] == ["tangzhen-carriers"]


def test_the_dcat_catalogue_lists_published_datasets_with_their_distributions(client):
    dataset()
    dataset(published=False, name="draft-set")
    catalogue = json.loads(client.get(reverse("portal:dcat")).content)
    assert catalogue["@type"] == "dcat:Catalog"
    identifiers = [d["dct:identifier"] for d in catalogue["dcat:dataset"]]
    assert identifiers == ["tangzhen-carriers"]
    formats = {d["dct:format"] for d in catalogue["dcat:dataset"][0]["dcat:distribution"]}
    assert formats == {"CSV", "JSON", "XLSX"}


def test_an_unpublished_dataset_has_no_page_and_no_download(client):
    dataset(published=False)
    assert client.get(reverse("portal:dataset", args=["tangzhen-carriers"])).status_code == 404
    assert client.get(reverse("portal:dataset_download", args=["tangzhen-carriers", "csv"])).status_code == 404
    assert "唐镇服务载体" not in client.get(reverse("portal:catalogue")).content.decode()


def test_a_dataset_with_an_unknown_source_or_a_threshold_below_three_is_refused():
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        dataset(source="registry.people")
    with pytest.raises(ValidationError):
        dataset(threshold=1)


@pytest.mark.slow
@pytest.mark.django_db(
    transaction=True, serialized_rollback=True
)  # a live server; leaves the reference data for the next test
def test_the_ckanapi_client_reads_the_catalogue(live_server):
    carriers(CarrierKind.INCUBATOR, 7)
    dataset()
    remote = ckanapi.RemoteCKAN(live_server.url, user_agent="chuangfu-tests/1.0")
    assert remote.action.package_list() == ["tangzhen-carriers"]
    package = remote.action.package_show(id="tangzhen-carriers")
    assert package["name"] == "tangzhen-carriers" and package["num_resources"] == 3
    with pytest.raises(ckanapi.NotFound):
        remote.action.package_show(id="no-such-set")
    assert remote.action.organization_list() == [factories.town().code]
