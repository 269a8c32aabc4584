"""One page for every export that runs as a job: its progress, then its file, for the person who asked only."""

import re

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse

from chuangfu.core.exporters import EXPORT_KINDS
from chuangfu.core.models import Job, Role
from tests import factories

pytestmark = pytest.mark.django_db


def job(owner, kind="desk.export", **kw):
    return Job.objects.create(kind=kind, title="导出咨询工单", created_by=owner, **kw)


def test_every_apps_long_export_is_served_by_the_one_page():
    assert {"desk.export", "registry.export"} <= EXPORT_KINDS


def test_the_export_page_shows_progress_then_the_file_to_its_owner_only(client):
    owner = factories.user(role=Role.DESK_STAFF)
    running = job(owner, status=Job.Status.RUNNING, done=2000, total=5000)
    client.force_login(owner)
    page = client.get(reverse("core:export_status", args=[running.pk])).content.decode()
    assert re.search(r"正在导出：2,?000 / 5,?000 行", page) and 'hx-trigger="every 1s"' in page
    assert client.get(reverse("core:export_download", args=[running.pk])).status_code == 404  # not done yet
    done = job(owner, status=Job.Status.DONE, result={"rows": 3, "filename": "咨询工单-20261207.xlsx"})
    done.output_file.save("x.xlsx", ContentFile(b"PK"), save=True)
    fragment = client.get(reverse("core:export_status", args=[done.pk]), HTTP_HX_REQUEST="true").content.decode()
    assert "已导出 3 行" in fragment and "<html" not in fragment and "hx-trigger" not in fragment
    download = client.get(reverse("core:export_download", args=[done.pk]))
    assert download.status_code == 200 and "attachment" in download["Content-Disposition"]
    client.force_login(factories.user(role=Role.DESK_STAFF))
    assert client.get(reverse("core:export_status", args=[done.pk])).status_code == 404
    assert client.get(reverse("core:export_download", args=[done.pk])).status_code == 404


def test_a_job_that_is_not_an_export_is_not_shown_here(client):
    owner = factories.user(role=Role.DESK_STAFF)
    client.force_login(owner)
    other = job(owner, kind="registry.import", status=Job.Status.DONE)
    assert client.get(reverse("core:export_status", args=[other.pk])).status_code == 404
