"""Open data: the catalogue pages, downloads in three formats, a DCAT catalogue, and the CKAN
Action API subset that harvesters and the ``ckanapi`` client use (package_list, package_show,
package_search, organization_list, organization_show, status_show). Read-only and anonymous; only
published datasets exist here, and every count in them has passed the small-count suppression.
"""

import json
from urllib.parse import quote

from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_http_methods

from chuangfu.core.exporters import XLSX_MIME

from .. import datasets, selectors
from ..models import Dataset

MAX_ROWS = 1000


def _abs(request, path: str) -> str:
    return request.build_absolute_uri(path)


def _get(name: str) -> Dataset:
    return selectors.get_public_dataset(name)


@require_GET
def catalogue(request):
    q = request.GET.get("q", "")[:100]
    return render(request, "portal/public/dataset_list.html", {"datasets": selectors.public_datasets(q=q), "q": q})


@require_GET
def dataset_detail(request, name: str):
    dataset = _get(name)
    columns, rows = datasets.rows_of(dataset)
    return render(
        request,
        "portal/public/dataset_detail.html",
        {
            "dataset": dataset,
            "columns": columns,
            "rows": [[row.get(c.key) for c in columns] for row in rows[:50]],
            "row_count": len(rows),
            "coverage": datasets.temporal_coverage(columns, rows),
            "formats": list(datasets.FORMATS),
        },
    )


@require_GET
def download(request, name: str, fmt: str):
    dataset = _get(name)
    columns, rows = datasets.rows_of(dataset)
    if fmt == "csv":
        response = HttpResponse(datasets.as_csv(columns, rows), content_type=datasets.FORMATS["csv"])
    elif fmt == "json":
        response = HttpResponse(datasets.as_json(dataset, columns, rows), content_type=datasets.FORMATS["json"])
    elif fmt == "xlsx":
        response = HttpResponse(datasets.as_xlsx(dataset, columns, rows), content_type=XLSX_MIME)
    else:
        raise Http404
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(dataset.name)}.{fmt}"
    return response


# --- CKAN Action API ---------------------------------------------------------------------------


def _organization(jurisdiction, request) -> dict:
    return {
        "id": jurisdiction.code,
        "name": jurisdiction.code,
        "title": jurisdiction.name,
        "display_name": jurisdiction.name,
        "description": "",
        "type": "organization",
        "is_organization": True,
        "state": "active",
        "image_url": "",
    }


def _package(dataset: Dataset, request) -> dict:
    columns, rows = datasets.rows_of(dataset)
    coverage = datasets.temporal_coverage(columns, rows)
    page = _abs(request, reverse("portal:dataset", args=[dataset.name]))
    resources = [
        {
            "id": f"{dataset.name}-{fmt}",
            "package_id": dataset.name,
            "name": f"{dataset.title}（{fmt.upper()}）",
            "format": fmt.upper(),
            "mimetype": datasets.FORMATS[fmt] or XLSX_MIME,
            "url": _abs(request, reverse("portal:dataset_download", args=[dataset.name, fmt])),
            "description": str(dataset.description)[:200],
            "position": position,
            "state": "active",
            "last_modified": timezone.now().isoformat(),
        }
        for position, fmt in enumerate(datasets.FORMATS)
    ]
    extras = [
        ("frequency", dataset.frequency),
        ("spatial", dataset.jurisdiction.name),
        ("suppressed_below", str(dataset.suppress_below)),
    ]
    if coverage:
        extras += [("temporal_start", coverage[0]), ("temporal_end", coverage[1])]
    return {
        "id": dataset.name,
        "name": dataset.name,
        "title": dataset.title,
        "notes": dataset.description,
        "type": "dataset",
        "state": "active",
        "private": False,
        "license_id": dataset.licence,
        "license_title": dataset.get_licence_display(),
        "author": dataset.publisher,
        "maintainer": dataset.publisher,
        "url": page,
        "metadata_created": dataset.created_at.isoformat(),
        "metadata_modified": dataset.updated_at.isoformat(),
        "owner_org": dataset.jurisdiction.code,
        "organization": _organization(dataset.jurisdiction, request),
        "extras": [{"key": k, "value": v} for k, v in extras],
        "resources": resources,
        "num_resources": len(resources),
        "tags": [],
        "num_tags": 0,
        "groups": [],
    }


class _Error(Exception):
    def __init__(self, status: int, kind: str, message: str):
        self.status, self.kind, self.message = status, kind, message


def _int(params, name, default, upper):
    raw = params.get(name, default)
    try:
        value = int(str(raw)[:10])
    except (TypeError, ValueError):
        raise _Error(409, "Validation Error", f"{name}: Invalid integer") from None
    if value < 0:
        raise _Error(409, "Validation Error", f"{name}: Must be a natural number")
    return min(value, upper)


def _package_list(request, params):
    limit = _int(params, "limit", MAX_ROWS, MAX_ROWS)
    offset = _int(params, "offset", 0, 10**9)
    return list(selectors.public_datasets().order_by("name").values_list("name", flat=True)[offset : offset + limit])


def _package_show(request, params):
    ident = str(params.get("id", params.get("name_or_id", "")))[:100]
    dataset = selectors.public_datasets().filter(name=ident).first()
    if dataset is None:
        raise _Error(404, "Not Found Error", "Not found")
    return _package(dataset, request)


def _package_search(request, params):
    rows = _int(params, "rows", 10, MAX_ROWS)
    start = _int(params, "start", 0, 10**9)
    query = str(params.get("q", ""))[:200]
    if query.strip() in ("*:*", "*"):
        query = ""
    found = selectors.public_datasets(q=query).order_by("name")
    return {
        "count": found.count(),
        "results": [_package(d, request) for d in found[start : start + rows]],
        "sort": "name asc",
        "facets": {},
        "search_facets": {},
    }


def _organization_list(request, params):
    orgs = selectors.publishers()
    if str(params.get("all_fields", "")).lower() in ("true", "1"):
        return [_organization(j, request) for j in orgs]
    return [j.code for j in orgs]


def _organization_show(request, params):
    ident = str(params.get("id", ""))[:20]
    org = next((j for j in selectors.publishers() if j.code == ident), None)
    if org is None:
        raise _Error(404, "Not Found Error", "Not found")
    result = _organization(org, request)
    result["packages"] = [_package(d, request) for d in selectors.public_datasets().filter(jurisdiction=org)]
    result["package_count"] = len(result["packages"])
    return result


def _status_show(request, params):
    return {"ckan_version": "2.10.0", "site_title": "创服 开放数据", "site_url": _abs(request, "/"), "extensions": []}


ACTIONS = {
    "package_list": _package_list,
    "package_show": _package_show,
    "package_search": _package_search,
    "organization_list": _organization_list,
    "organization_show": _organization_show,
    "status_show": _status_show,
}


@csrf_exempt  # read-only and anonymous: clients post JSON without a session
@require_http_methods(["GET", "POST"])
def ckan_action(request, action: str):
    help_url = _abs(request, reverse("ckan_action", args=["help_show"])) + f"?name={action}"
    params: dict = request.GET.dict()
    if request.method == "POST" and request.body:
        try:
            body = json.loads(request.body[:100_000])
        except (ValueError, UnicodeDecodeError):
            body = None
        if not isinstance(body, dict):
            return _ckan_error(help_url, 400, "Bad request", "Bad request - JSON Error: could not read the body")
        params.update(body)
    handler = ACTIONS.get(action)
    if handler is None:
        return _ckan_error(help_url, 400, "Bad request", f"Bad request - Action name not known: {action[:60]}")
    try:
        result = handler(request, params)
    except _Error as exc:
        return _ckan_error(help_url, exc.status, exc.kind, exc.message)
    return JsonResponse(
        {"help": help_url, "success": True, "result": result}, json_dumps_params={"ensure_ascii": False}
    )


def _ckan_error(help_url, status, kind, message):
    return JsonResponse(
        {"help": help_url, "success": False, "error": {"__type": kind, "message": message}},
        status=status,
        json_dumps_params={"ensure_ascii": False},
    )


# --- DCAT ---------------------------------------------------------------------------------------


@require_GET
def dcat(request):
    """The catalogue as DCAT (JSON-LD), for harvesters that read DCAT rather than the CKAN API."""
    entries = []
    for dataset in selectors.public_datasets().order_by("name"):
        columns, rows = datasets.rows_of(dataset)
        coverage = datasets.temporal_coverage(columns, rows)
        page = _abs(request, reverse("portal:dataset", args=[dataset.name]))
        entry = {
            "@id": page,
            "@type": "dcat:Dataset",
            "dct:identifier": dataset.name,
            "dct:title": dataset.title,
            "dct:description": dataset.description,
            "dct:publisher": {"@type": "foaf:Organization", "foaf:name": dataset.publisher},
            "dct:license": dataset.licence,
            "dct:accrualPeriodicity": dataset.frequency,
            "dct:spatial": dataset.jurisdiction.name,
            "dct:modified": dataset.updated_at.isoformat(),
            "dcat:landingPage": page,
            "dcat:distribution": [
                {
                    "@type": "dcat:Distribution",
                    "dct:format": fmt.upper(),
                    "dcat:mediaType": (datasets.FORMATS[fmt] or XLSX_MIME).split(";")[0],
                    "dcat:downloadURL": _abs(request, reverse("portal:dataset_download", args=[dataset.name, fmt])),
                }
                for fmt in datasets.FORMATS
            ],
        }
        if coverage:
            entry["dct:temporal"] = {
                "@type": "dct:PeriodOfTime",
                "dcat:startDate": coverage[0],
                "dcat:endDate": coverage[1],
            }
        entries.append(entry)
    catalogue = {
        "@context": {
            "dcat": "http://www.w3.org/ns/dcat#",
            "dct": "http://purl.org/dc/terms/",
            "foaf": "http://xmlns.com/foaf/0.1/",
        },
        "@id": _abs(request, reverse("portal:catalogue")),
        "@type": "dcat:Catalog",
        "dct:title": "创服 开放数据目录",
        "dcat:dataset": entries,
    }
    return JsonResponse(catalogue, content_type="application/ld+json", json_dumps_params={"ensure_ascii": False})
