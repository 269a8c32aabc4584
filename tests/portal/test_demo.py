"""``chuangfu seed-portal`` fills the front door with demo content through the services, once."""

import pytest
from django.core.management import call_command
from django.urls import reverse

from chuangfu.core.models import AuditEntry
from chuangfu.portal.models import Article, Case, Dataset, Publication

pytestmark = pytest.mark.django_db


def test_seed_portal_loads_once_and_shows_only_what_is_published(client):
    call_command("seed", scale=3, if_empty=True)
    call_command("seed_portal")
    counts = (Case.objects.count(), Article.objects.count(), Dataset.objects.count())
    call_command("seed_portal")
    assert (Case.objects.count(), Article.objects.count(), Dataset.objects.count()) == counts == (3, 4, 4)
    assert AuditEntry.objects.filter(action="portal.case.publish").count() == 2

    home = client.get("/").content.decode()
    assert "一鸣数字：把社区小店搬上云端" in home and "退役不褪色" not in home
    assert "唐镇举办“家门口”创业服务日" in home
    assert "电商直播创业培训开班在即" not in home  # scheduled for tomorrow
    assert "创业大赛初赛回顾" not in home  # a draft
    assert Case.objects.filter(status=Publication.IN_REVIEW).count() == 1
    names = client.get("/api/3/action/package_list").json()["result"]
    assert names == sorted(
        ["tangzhen-desk-monthly", "tangzhen-activities-monthly", "tangzhen-carriers", "tangzhen-policy-grants"]
    )
    assert f'href="{reverse("nearby:nearby")}"' in home
