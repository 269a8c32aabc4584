"""Issue 16.1 and 16.2: when the city changes the scheme, last year's results stay computed by last
year's version; the office reviews each 定性 dimension's evidence the platform gathered, annotates it
with a self-assessment and adds documents, for its own town only."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from chuangfu.core.models import Role
from chuangfu.indicators.models import EvidencePack, Indicator, Scheme, Value
from chuangfu.indicators.services import compute_town_year
from chuangfu.portal.models import MediaCoverage
from tests import factories

pytestmark = pytest.mark.django_db
YEAR = timezone.localdate().year


def indicator(scheme, code, name):
    return Indicator.objects.create(scheme=scheme, code=code, name=name, definition=name, category="atmosphere",
                                    kind="count", numerator="portal.media_coverage", period_type="year")  # fmt: skip


def test_a_new_scheme_version_leaves_last_years_results_computed_by_last_years_version(client):
    old = Scheme.objects.create(code="city", version=1, name="指标体系（旧）", year_from=2022, year_to=YEAR - 1)
    indicator(old, "media_old", "媒体报道（旧口径）")
    town = factories.town()
    author = factories.user(role=Role.DESK_STAFF)
    for day in (datetime.date(YEAR - 1, 5, 1), datetime.date(YEAR, 2, 1)):
        MediaCoverage.objects.create(jurisdiction=town, outlet="浦东时报", title=f"报道{day}", kind="print",
                                     published_on=day, created_by=author)  # fmt: skip
    compute_town_year(town, YEAR - 1)
    new = Scheme.objects.create(code="city", version=2, name="指标体系（新）", year_from=YEAR)
    indicator(new, "media_new", "媒体报道（新口径）")
    compute_town_year(town, YEAR - 1)  # recomputing last year after the change
    compute_town_year(town, YEAR)
    last_year = Value.objects.filter(jurisdiction=town, period_start__year=YEAR - 1)
    assert {v.indicator.code for v in last_year} == {"media_old"} and last_year.get().value == 1
    assert {v.indicator.code for v in Value.objects.filter(jurisdiction=town, period_start__year=YEAR)} == {"media_new"}
    client.force_login(factories.user(role=Role.LEADER))
    page = client.get(reverse("indicators:dashboard"), {"year": YEAR - 1}).content.decode()
    assert "指标体系（旧）" in page and "媒体报道（旧口径）" in page and "新口径" not in page
    page = client.get(reverse("indicators:dashboard"), {"year": YEAR}).content.decode()
    assert "指标体系（新）" in page and "媒体报道（新口径）" in page and "旧口径" not in page


def test_the_office_annotates_a_dimension_adds_a_document_and_sees_the_gathered_evidence(client):
    town = factories.town()
    leader = factories.user(role=Role.LEADER)
    MediaCoverage.objects.create(jurisdiction=town, outlet="浦东时报", title="唐镇创业服务日", kind="print",
                                 published_on=datetime.date(YEAR, 1, 15), created_by=leader)  # fmt: skip
    client.force_login(leader)
    url = reverse("indicators:evidence")
    page = client.get(url, {"year": YEAR}).content.decode()
    atmosphere = page[page.index('id="atmosphere"') :]
    assert "浦东时报：唐镇创业服务日" in atmosphere[: atmosphere.index("</section>")]  # gathered from the records
    form = {"dimension": "atmosphere", "town": town.pk, "year": YEAR}
    client.post(url, {**form, "self_assessment": "全年媒体报道持续，氛围营造良好。"})
    pdf = SimpleUploadedFile("宣传方案.pdf", b"%PDF-1.4\n1 0 obj<<>>endobj\n%%EOF", content_type="application/pdf")
    client.post(url, {**form, "title": "宣传方案", "file": pdf})
    pack = EvidencePack.objects.get(jurisdiction=town, year=YEAR, dimension="atmosphere")
    assert pack.self_assessment == "全年媒体报道持续，氛围营造良好。"  # kept when the document was added
    assert [d.title for d in pack.documents.all()] == ["宣传方案"]
    page = client.get(url, {"year": YEAR}).content.decode()
    assert "全年媒体报道持续" in page and "宣传方案" in page
    refused = client.post(
        url, {**form, "title": "脚本", "file": SimpleUploadedFile("x.pdf", b"<script>", "application/pdf")}
    )
    assert refused.status_code == 302 and pack.documents.count() == 1  # not a PDF by its content: nothing saved
    other = factories.town("310115125")
    assert client.get(url, {"town": other.pk, "year": YEAR}).status_code == 404
    assert client.post(url, {**form, "town": other.pk, "self_assessment": "越权"}).status_code == 404
    assert not EvidencePack.objects.filter(jurisdiction=other).exists()
    client.force_login(factories.user(role=Role.DESK_STAFF))
    assert client.get(url).status_code == 403
