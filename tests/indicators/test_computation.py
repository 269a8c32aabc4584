"""Every indicator computed for a town and year into the precomputed table, drilling down to its rows,
frozen when submitted, and shown on the leader's dashboard against its target."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from chuangfu.core.errors import DomainError
from chuangfu.core.models import Role
from chuangfu.indicators.demo import seed_indicators
from chuangfu.indicators.models import Indicator, Snapshot, Value
from chuangfu.indicators.services import compute_town_year, snapshot_submit
from chuangfu.portal.models import MediaCoverage
from tests import factories

pytestmark = pytest.mark.django_db
YEAR = timezone.localdate().year


def coverage(n, town=None, day=None):
    author = factories.user(role=Role.DESK_STAFF)
    for i in range(n):
        MediaCoverage.objects.create(
            jurisdiction=town or factories.town(), outlet="浦东时报", title=f"报道{i}", kind="print",
            published_on=day or datetime.date(YEAR, 1, 15), created_by=author,
        )  # fmt: skip


def test_a_year_is_computed_per_period_and_a_rate_without_data_is_no_data():
    seed_indicators(YEAR)
    coverage(3)
    coverage(2, town=factories.town("310115125"))  # another town's coverage does not count
    compute_town_year(factories.town(), YEAR)
    media = Indicator.objects.get(code="media_coverage")
    year_row = Value.objects.get(
        indicator=media,
        jurisdiction=factories.town(),
        period_start=datetime.date(YEAR, 1, 1),
        period_end=datetime.date(YEAR, 12, 31),
    )
    assert year_row.value == 3
    q1 = Value.objects.get(
        indicator=media,
        jurisdiction=factories.town(),
        period_start=datetime.date(YEAR, 1, 1),
        period_end=datetime.date(YEAR, 3, 31),
    )
    assert q1.value == 3
    satisfaction = Value.objects.filter(indicator__code="satisfaction_rate", jurisdiction=factories.town()).first()
    assert satisfaction.value is None  # no ratings: no data, not an error


def test_the_dashboard_shows_each_indicator_against_its_target_and_drills_down(client):
    seed_indicators(YEAR)
    coverage(7)
    compute_town_year(factories.town(), YEAR)
    client.force_login(factories.user(role=Role.LEADER))
    html = client.get(reverse("indicators:dashboard")).content.decode()
    assert "媒体报道次数" in html and "达到目标" in html  # 7 against a target of 6
    assert "服务满意率" in html and "暂无数据" in html
    drill = client.get(reverse("indicators:drill", args=["media_coverage", "num"]), {"year": YEAR}).content.decode()
    assert "共 7 条记录" in drill and "浦东时报：报道0" in drill


def test_another_towns_figures_are_not_found_and_other_roles_are_refused(client):
    seed_indicators(YEAR)
    client.force_login(factories.user(role=Role.LEADER))
    other = factories.town("310115125")
    assert client.get(reverse("indicators:dashboard"), {"town": other.pk}).status_code == 404
    assert client.get(reverse("indicators:dashboard"), {"town": "9" * 30}).status_code == 404
    client.force_login(factories.user(role=Role.UNIT_LIAISON))
    assert client.get(reverse("indicators:dashboard")).status_code == 403


def test_a_district_account_compares_its_towns(client):
    seed_indicators(YEAR)
    coverage(4)
    coverage(1, town=factories.town("310115125"))
    for town in (factories.town(), factories.town("310115125")):
        compute_town_year(town, YEAR)
    client.force_login(factories.user(role=Role.LEADER, jurisdiction=factories.district()))
    html = client.get(reverse("indicators:dashboard")).content.decode()
    assert "各镇比较" in html and "张江镇" in html


def test_a_submitted_snapshot_does_not_change_when_the_data_does_and_cannot_be_submitted_twice():
    seed_indicators(YEAR)
    coverage(2)
    leader = factories.user(role=Role.LEADER)
    snap = snapshot_submit(actor=leader, jurisdiction=factories.town(), year=YEAR)
    frozen = next(i for i in snap.data if i["code"] == "media_coverage")["value"]
    coverage(5)
    compute_town_year(factories.town(), YEAR)
    snap.refresh_from_db()
    assert next(i for i in snap.data if i["code"] == "media_coverage")["value"] == frozen == "2"
    with pytest.raises(DomainError, match="已提交"):
        snapshot_submit(actor=leader, jurisdiction=factories.town(), year=YEAR)
    assert Snapshot.objects.count() == 1


def test_an_indicator_whose_source_is_gone_shows_no_data_rather_than_an_error(client):
    seed_indicators(YEAR)
    Indicator.objects.filter(code="media_coverage").update(numerator="retired.source")
    compute_town_year(factories.town(), YEAR)
    client.force_login(factories.user(role=Role.LEADER))
    assert client.get(reverse("indicators:dashboard")).status_code == 200
    assert Value.objects.filter(indicator__code="media_coverage", value__isnull=True).exists()
