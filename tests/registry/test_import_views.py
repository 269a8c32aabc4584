"""The import pages: upload, dry-run preview, confirm once, progress, report, and who may see them."""

import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from chuangfu.core.models import Job, Role
from chuangfu.registry.models import Enterprise
from tests import factories as f

from .test_import import enterprise_file, row

pytestmark = pytest.mark.django_db


@pytest.fixture
def desk_client(client, desk):
    client.force_login(desk)
    return client


def upload(client, data: bytes, *, name="名录.xlsx", kind="enterprise", town=None, capture=None, **extra):
    file = io.BytesIO(data)
    file.name = name
    payload = {"kind": kind, "town": (town or f.town()).pk, "file": file}
    if capture is None:
        return client.post(reverse("registry:import_start"), payload, **extra)
    with capture(execute=True):
        return client.post(reverse("registry:import_start"), payload, **extra)


def checked_job(desk_client, django_capture_on_commit_callbacks, *rows) -> Job:
    response = upload(desk_client, enterprise_file(*rows).getvalue(), capture=django_capture_on_commit_callbacks)
    assert response.status_code == 302
    return Job.objects.get(kind="registry.import", params__dry_run=True)


def test_uploading_runs_a_dry_run_whose_preview_lists_every_row_and_saves_nothing(
    desk_client, django_capture_on_commit_callbacks
):
    job = checked_job(desk_client, django_capture_on_commit_callbacks, row(1), row(2, founded="2021-02-30"))
    status = desk_client.get(reverse("registry:import_status", args=[job.pk]))
    assert status.status_code == 302 and status["Location"] == reverse("registry:import_preview", args=[job.pk])
    page = desk_client.get(reverse("registry:import_preview", args=[job.pk])).content.decode()
    assert "导入检查结果" in page and "新增" in page and "拒绝" in page
    assert "2021 年 2 月没有 30 日" in page
    assert "确认导入（写入 1 条）" in page
    assert Enterprise.objects.count() == 0
    rejected_only = desk_client.get(
        reverse("registry:import_preview", args=[job.pk]), {"show": "reject"}
    ).content.decode()
    assert "2 月没有 30 日" in rejected_only and "上海唐创1信息科技有限公司" not in rejected_only


def test_polling_a_finished_dry_run_sends_htmx_to_the_preview(desk_client, django_capture_on_commit_callbacks):
    job = checked_job(desk_client, django_capture_on_commit_callbacks, row(1))
    response = desk_client.get(reverse("registry:import_status", args=[job.pk]), HTTP_HX_REQUEST="true")
    assert response["HX-Redirect"] == reverse("registry:import_preview", args=[job.pk])


def test_confirming_imports_once_even_when_clicked_twice(desk_client, django_capture_on_commit_callbacks):
    job = checked_job(desk_client, django_capture_on_commit_callbacks, row(1), row(2), row(3, uscc="123"))
    with django_capture_on_commit_callbacks(execute=True):
        first = desk_client.post(reverse("registry:import_confirm", args=[job.pk]))
    second = desk_client.post(reverse("registry:import_confirm", args=[job.pk]))
    assert first["Location"] == second["Location"]
    assert Job.objects.filter(kind="registry.import", params__dry_run=False).count() == 1
    applied = Job.objects.get(kind="registry.import", params__dry_run=False)
    assert applied.status == Job.Status.DONE
    assert Enterprise.objects.count() == 2
    page = desk_client.get(first["Location"]).content.decode()
    assert "导入完成：新增 2，更新 0，未变化 0，拒绝 1" in page
    assert "下载逐行报告" in page
    assert "已确认导入" in desk_client.get(reverse("registry:import_preview", args=[job.pk])).content.decode()
    report = desk_client.get(reverse("registry:import_report", args=[applied.pk]))
    rows = list(load_workbook(io.BytesIO(b"".join(report.streaming_content))).active.values)
    assert [r[1] for r in rows[1:]] == ["新增", "新增", "拒绝"]


def test_a_png_renamed_to_xlsx_is_refused_on_the_form(desk_client):
    png = b"\x89PNG\r\n\x1a\n" + b"\x00" * 200
    response = upload(desk_client, png)
    assert response.status_code == 200
    assert "PNG 图片" in response.content.decode()
    assert not Job.objects.exists()


def test_a_file_over_the_limit_is_refused_with_its_size(desk_client, settings):
    settings.MAX_UPLOAD_BYTES = 2 * 1024 * 1024
    response = upload(desk_client, b"a" * (2 * 1024 * 1024 + 10), name="big.csv")
    assert "超过 2 MB" in response.content.decode()
    assert not Job.objects.exists()


def test_an_empty_file_is_refused_on_the_form(desk_client):
    assert "文件是空的" in upload(desk_client, b"", name="empty.csv").content.decode()
    assert "文件是空的" in upload(desk_client, b"\n\n  \n", name="blank.csv").content.decode()
    assert not Job.objects.exists()


def test_a_file_without_header_is_read_on_the_queue_and_its_job_says_why(
    desk_client, django_capture_on_commit_callbacks
):
    response = upload(
        desk_client, "随便,写写\n1,2\n".encode(), name="x.csv", capture=django_capture_on_commit_callbacks
    )
    job = Job.objects.get(kind="registry.import")
    assert response.status_code == 302 and job.status == Job.Status.FAILED
    assert job.message.startswith("没有找到可识别的表头")
    page = desk_client.get(reverse("registry:import_status", args=[job.pk])).content.decode()
    assert "导入未能完成：没有找到可识别的表头" in page and "ImportFileError" not in page


def test_the_request_reads_no_cell_of_the_file(desk_client, monkeypatch, django_capture_on_commit_callbacks):
    from chuangfu.core import imports

    def no_reading(*args, **kwargs):
        raise AssertionError("cells read in the web request")

    monkeypatch.setattr(imports, "_workbook_sheets", no_reading)
    response = upload(desk_client, enterprise_file(row(1)).getvalue())
    assert response.status_code == 302
    assert Job.objects.get(kind="registry.import").status == Job.Status.QUEUED


def test_a_request_far_over_the_limit_is_refused_without_reading_it(desk_client, settings):
    settings.MAX_UPLOAD_BYTES = 1024 * 1024
    response = upload(desk_client, b"a" * (3 * 1024 * 1024), name="huge.csv")
    assert response.status_code == 200
    assert "文件超过 1 MB 的上限" in response.content.decode()
    assert not Job.objects.exists()


def _padded(xlsx: bytes, unpacked: int) -> bytes:
    """The workbook with a member of ``unpacked`` zero bytes: a few KB packed (a zip bomb)."""
    import zipfile

    buffer = io.BytesIO(xlsx)
    with zipfile.ZipFile(buffer, "a", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/media/padding.bin", b"\0" * unpacked)
    return buffer.getvalue()


def test_a_small_workbook_that_unpacks_beyond_the_cap_is_refused_before_reading(desk_client, settings):
    settings.IMPORT_MAX_UNPACKED_BYTES = 2 * 1024 * 1024
    bomb = _padded(enterprise_file(row(1)).getvalue(), 8 * 1024 * 1024)
    assert len(bomb) < 100 * 1024
    page = upload(desk_client, bomb).content.decode()
    assert "文件解压后超过 2 MB 的上限" in page
    assert not Job.objects.exists()


def test_a_file_with_more_rows_than_the_cap_is_refused_before_reading(desk_client, settings):
    settings.IMPORT_MAX_ROWS = 4
    page = upload(desk_client, enterprise_file(*(row(n) for n in range(1, 6))).getvalue()).content.decode()
    assert "超过每次导入 4 行的上限" in page
    assert not Job.objects.exists()
    csv = "统一社会信用代码,企业名称\n" + "".join(f"{n},公司{n}\n" for n in range(10))
    assert "超过每次导入 4 行的上限" in upload(desk_client, csv.encode(), name="x.csv").content.decode()


def test_another_towns_staff_cannot_see_or_confirm_an_import(desk_client, django_capture_on_commit_callbacks, client):
    job = checked_job(desk_client, django_capture_on_commit_callbacks, row(1))
    stranger = f.user(Role.DESK_STAFF, jurisdiction=f.town("310115125"))
    client.force_login(stranger)
    for name in ("import_status", "import_preview", "import_report"):
        assert client.get(reverse(f"registry:{name}", args=[job.pk])).status_code == 404
    assert client.post(reverse("registry:import_confirm", args=[job.pk])).status_code == 404
    assert Enterprise.objects.count() == 0
    page = client.get(reverse("registry:import_start")).content.decode()
    assert job.title not in page


def test_staff_cannot_import_into_a_town_outside_their_jurisdiction(desk_client):
    response = upload(desk_client, enterprise_file(row(1)).getvalue(), town=f.town("310115125"))
    assert response.status_code == 200
    assert not Job.objects.exists()


def test_roles_that_do_not_edit_the_registry_cannot_open_the_import_page(client):
    client.force_login(f.user(Role.REVIEWER))
    assert client.get(reverse("registry:import_start")).status_code == 403


def test_the_template_download_has_the_headers_the_importer_reads(desk_client):
    response = desk_client.get(reverse("registry:import_template", args=["person"]))
    header = next(load_workbook(io.BytesIO(response.content)).active.values)
    assert header[:2] == ("姓名", "身份证号")
    assert desk_client.get(reverse("registry:import_template", args=["spaceship"])).status_code == 404


def test_the_import_pages_read_in_english(desk_client, django_capture_on_commit_callbacks):
    job = checked_job(desk_client, django_capture_on_commit_callbacks, row(1), row(2, founded="2021-02-30"))
    start = desk_client.get(reverse("registry:import_start"), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Bulk import of enterprises or people" in start and "Upload and check" in start
    preview = desk_client.get(
        reverse("registry:import_preview", args=[job.pk]), HTTP_ACCEPT_LANGUAGE="en"
    ).content.decode()
    assert "Confirm import (1 to write)" in preview and "Download the row report" in preview
    assert "确认导入" not in preview


def _files_under(root) -> list:
    return [p for p in root.rglob("*") if p.is_file()] if root.exists() else []


def test_an_uploaded_file_is_kept_encrypted_once_and_deleted_when_the_import_is_done(
    desk_client, django_capture_on_commit_callbacks, settings
):
    job = checked_job(desk_client, django_capture_on_commit_callbacks, row(1), row(2))
    stored = _files_under(settings.MEDIA_ROOT / "jobs" / "in")
    assert len(stored) == 1
    assert stored[0].read_bytes().startswith(b"gAAAAA")  # a Fernet token, not the workbook
    assert b"PK" not in stored[0].read_bytes()[:4]
    with django_capture_on_commit_callbacks(execute=True):
        desk_client.post(reverse("registry:import_confirm", args=[job.pk]))
    assert _files_under(settings.MEDIA_ROOT / "jobs" / "in") == []  # used by the real run, then deleted
    assert not Job.objects.exclude(input_file="").exists()
    assert Enterprise.objects.count() == 2
    report = _files_under(settings.MEDIA_ROOT / "jobs" / "out")
    assert report and all(p.read_bytes().startswith(b"gAAAAA") for p in report)


def test_an_unconfirmed_file_is_deleted_after_a_day_and_confirming_then_asks_for_it_again(
    desk_client, django_capture_on_commit_callbacks, settings
):
    import datetime

    from django.utils import timezone

    from chuangfu.core.jobs import purge_expired

    job = checked_job(desk_client, django_capture_on_commit_callbacks, row(1))
    assert purge_expired()["inputs"] == 0  # within the day: kept for the confirmation
    assert purge_expired(now=timezone.now() + datetime.timedelta(days=1, minutes=1))["inputs"] == 1
    assert _files_under(settings.MEDIA_ROOT / "jobs" / "in") == []
    response = desk_client.post(reverse("registry:import_confirm", args=[job.pk]), follow=True)
    assert "请重新上传" in response.content.decode()
    assert Enterprise.objects.count() == 0


def test_a_failed_dry_run_keeps_no_file(desk_client, django_capture_on_commit_callbacks, settings, monkeypatch):
    from chuangfu.registry import importers

    def broken(**kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(importers, "run_import", broken)
    job = checked_job(desk_client, django_capture_on_commit_callbacks, row(1))
    job.refresh_from_db()
    assert job.status == Job.Status.FAILED
    assert _files_under(settings.MEDIA_ROOT / "jobs" / "in") == []
