"""Incubation: 入孵 → 在孵 → 毕业 / 迁出 / 注销, quarterly figures by form and by .xlsx."""

import datetime
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook

from chuangfu.core.errors import DomainError, NotFound
from chuangfu.core.jobs import job_execute
from chuangfu.core.models import Job, Role, Unit
from chuangfu.ecosystem import selectors
from chuangfu.ecosystem.models import Incubation, QuarterlyReport
from chuangfu.ecosystem.services import incubation as services
from chuangfu.registry.models import Carrier, CarrierKind
from tests import factories as f

pytestmark = pytest.mark.django_db
LAST_YEAR = datetime.date.today().year - 1


@pytest.fixture
def firm(tangzhen):
    return f.enterprise("上海唐芯科技有限公司", jurisdiction=tangzhen)


@pytest.fixture
def hosted(operator, incubator, firm):
    incubation = services.incubation_admit(
        actor=operator, carrier=incubator, enterprise=firm, admitted_on=datetime.date(LAST_YEAR, 2, 1)
    )
    return services.incubation_transition(
        actor=operator, incubation=incubation, name="start", on_date=datetime.date(LAST_YEAR, 3, 1)
    )


def xlsx(rows, header=("统一社会信用代码", "年度", "季度", "参保人数", "营收区间", "融资额（万元）", "知识产权数")):
    wb = Workbook()
    ws = wb.active
    ws.append(["某孵化器在孵企业季度报表"])
    ws.append(list(header))
    for row in rows:
        ws.append(list(row))
    buffer = io.BytesIO()
    wb.save(buffer)
    return SimpleUploadedFile("季度报表.xlsx", buffer.getvalue())


def test_a_duplicate_admission_is_refused(operator, hosted, incubator, firm, desk, tangzhen):
    with pytest.raises(DomainError) as exc:
        services.incubation_admit(actor=operator, carrier=incubator, enterprise=firm, admitted_on=datetime.date.today())
    assert exc.value.code == "duplicate_admission" and "不能重复入孵" in exc.value.message
    other = Carrier.objects.create(kind=CarrierKind.PARK, name="另一园区", jurisdiction=tangzhen)
    with pytest.raises(DomainError):
        services.incubation_admit(actor=desk, carrier=other, enterprise=firm, admitted_on=datetime.date.today())
    assert Incubation.objects.count() == 1


def test_the_path_runs_on_the_machine_with_dates(operator, hosted, firm, incubator):
    assert hosted.status == "incubating" and hosted.started_on == datetime.date(LAST_YEAR, 3, 1)
    with pytest.raises(DomainError):
        services.incubation_transition(
            actor=operator, incubation=hosted, name="move_out", on_date=datetime.date.today()
        )
    graduated = services.incubation_transition(
        actor=operator, incubation=hosted, name="graduate", on_date=datetime.date(LAST_YEAR, 12, 1)
    )
    assert graduated.status == "graduated" and graduated.ended_on == datetime.date(LAST_YEAR, 12, 1)
    with pytest.raises(DomainError):
        services.incubation_transition(
            actor=operator, incubation=graduated, name="start", on_date=datetime.date.today()
        )
    again = services.incubation_admit(
        actor=operator, carrier=incubator, enterprise=firm, admitted_on=datetime.date.today()
    )
    assert again.status == "admitted"


def test_quarterly_figures_refuse_impossible_values_and_other_quarters(operator, hosted):
    good = {"year": LAST_YEAR, "quarter": 2, "revenue_band": "lt1m", "financing_wan": 0, "ip_count": 1}
    with pytest.raises(DomainError) as exc:
        services.quarterly_report_save(actor=operator, incubation=hosted, insured_headcount=-3, **good)
    assert "参保人数" in exc.value.message
    with pytest.raises(DomainError) as exc:
        services.quarterly_report_save(
            actor=operator, incubation=hosted, insured_headcount=3, **{**good, "revenue_band": "unknown"}
        )
    assert "营收区间" in exc.value.message
    with pytest.raises(DomainError) as exc:
        services.quarterly_report_save(
            actor=operator, incubation=hosted, insured_headcount=3, **{**good, "year": LAST_YEAR - 3}
        )
    assert "不在本载体孵化" in exc.value.message
    assert not QuarterlyReport.objects.exists()
    services.quarterly_report_save(actor=operator, incubation=hosted, insured_headcount=3, **good)
    services.quarterly_report_save(actor=operator, incubation=hosted, insured_headcount=5, **good)
    assert QuarterlyReport.objects.get().insured_headcount == 5


def test_the_xlsx_import_reports_row_errors_saves_nothing_and_is_idempotent(
    operator, hosted, incubator, firm, tangzhen
):
    stranger = f.enterprise("上海别处科技有限公司", jurisdiction=tangzhen)
    bad = xlsx(
        [
            (firm.uscc, LAST_YEAR, 1, 4, "100 万元以下", 0, 0),
            (firm.uscc, LAST_YEAR, 2, -1, "100 万元以下", 0, 0),
            (stranger.uscc, LAST_YEAR, 2, 2, "无营收", 0, 0),
            (firm.uscc, LAST_YEAR, 3, 2, "不知道", 0, 0),
        ]
    )
    result = services.quarterly_import(actor=operator, carrier=incubator, upload=bad)
    assert [e["row"] for e in result["errors"]] == [4, 5, 6]
    assert "人数" in result["errors"][0]["message"] and "不在本载体孵化" in result["errors"][1]["message"]
    assert "营收区间" in result["errors"][2]["message"]
    assert not QuarterlyReport.objects.exists()
    good = [(firm.uscc, LAST_YEAR, 1, 4, "100 万元以下", "20万", 1), (firm.uscc, LAST_YEAR, 2, 6, "100–500 万元", 0, 2)]
    assert services.quarterly_import(actor=operator, carrier=incubator, upload=xlsx(good)) == {
        "created": 2,
        "updated": 0,
        "errors": [],
    }
    assert services.quarterly_import(actor=operator, carrier=incubator, upload=xlsx(good))["updated"] == 2
    assert QuarterlyReport.objects.count() == 2
    assert QuarterlyReport.objects.get(quarter=1).financing_wan == 20


def test_an_operator_works_only_on_their_own_carriers_enterprises(hosted, tangzhen, client, zj_desk):
    stranger = f.user(
        Role.CARRIER_OPERATOR,
        unit_=Unit.objects.create(name="另一运营方", kind=Unit.Kind.CARRIER, jurisdiction=tangzhen),
    )
    with pytest.raises(NotFound):
        services.quarterly_report_save(
            actor=stranger, incubation=hosted, year=LAST_YEAR, quarter=2, insured_headcount=1, revenue_band="none"
        )
    with pytest.raises(NotFound):
        services.incubation_transition(
            actor=stranger, incubation=hosted, name="graduate", on_date=datetime.date.today()
        )
    client.force_login(zj_desk)
    assert client.get(reverse("ecosystem:incubation_detail", args=[hosted.pk])).status_code == 404


def test_figures_give_occupancy_graduations_and_survival(desk, operator, incubator, hosted, tangzhen):
    gone = f.enterprise("上海已注销有限公司", jurisdiction=tangzhen, registration_status="cancelled")
    old = services.incubation_admit(
        actor=operator, carrier=incubator, enterprise=gone, admitted_on=datetime.date(LAST_YEAR, 1, 5)
    )
    services.incubation_transition(
        actor=operator, incubation=old, name="deregister", on_date=datetime.date(LAST_YEAR, 6, 1)
    )
    [row] = selectors.incubation_figures(actor=desk)
    assert (row.hosted, row.graduated, row.ever, row.surviving) == (1, 0, 2, 1)
    assert row.survival == 0.5 and row.occupancy == pytest.approx(34 / 40)


def test_the_operator_reports_from_an_xlsx_on_the_carrier_page(
    client, operator, hosted, incubator, firm, django_capture_on_commit_callbacks
):
    client.force_login(operator)
    page = client.get(reverse("ecosystem:carrier_detail", args=[incubator.pk])).content.decode()
    assert firm.name in page and "导入季度报表" in page
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("ecosystem:quarterly_import", args=[incubator.pk]),
            {"file": xlsx([(firm.uscc, LAST_YEAR, 4, 7, "100 万元以下", 0, 0)])},
        )
    job = Job.objects.get(kind="ecosystem.quarterly_import")
    assert response.status_code == 302 and response["Location"].endswith(f"/quarterly-import/{job.pk}/")
    assert "新增 1 条" in client.get(response["Location"]).content.decode()
    detail = client.get(reverse("ecosystem:incubation_detail", args=[hosted.pk])).content.decode()
    assert f"{LAST_YEAR}Q4" in detail


def _stored_inputs(settings) -> list:
    root = settings.MEDIA_ROOT / "jobs" / "in"
    return [p for p in root.rglob("*") if p.is_file()] if root.exists() else []


def test_the_import_is_read_on_the_queue_from_an_encrypted_file_deleted_when_done(
    client, operator, hosted, incubator, firm, settings, django_capture_on_commit_callbacks
):
    client.force_login(operator)
    upload = xlsx([(firm.uscc, LAST_YEAR, 3, 5, "无营收", 0, 0)])
    response = client.post(reverse("ecosystem:quarterly_import", args=[incubator.pk]), {"file": upload})
    job = Job.objects.get(kind="ecosystem.quarterly_import")
    assert response.status_code == 302 and job.status == Job.Status.QUEUED  # nothing read in the request
    assert not QuarterlyReport.objects.exists()
    [stored] = _stored_inputs(settings)
    assert stored.read_bytes().startswith(b"gAAAAA") and b"PK" not in stored.read_bytes()[:4]
    queued = client.get(response["Location"]).content.decode()
    assert "hx-get" in queued and "正在读取表格" in queued
    job_execute(job.pk)
    job.refresh_from_db()
    assert job.status == Job.Status.DONE and job.result["created"] == 1 and "新增 1 条" in job.message
    assert _stored_inputs(settings) == [] and not job.input_file
    assert QuarterlyReport.objects.get().insured_headcount == 5


def test_row_errors_come_back_on_the_status_page_and_nothing_is_saved(
    client, operator, hosted, incubator, firm, django_capture_on_commit_callbacks
):
    client.force_login(operator)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("ecosystem:quarterly_import", args=[incubator.pk]),
            {"file": xlsx([(firm.uscc, LAST_YEAR, 1, -4, "无营收", 0, 0), (firm.uscc, LAST_YEAR, 2, 1, "很多", 0, 0)])},
        )
    page = client.get(response["Location"]).content.decode()
    assert "全部未导入" in page and "人数" in page and "营收区间" in page
    assert not QuarterlyReport.objects.exists()


@pytest.mark.parametrize(
    "payload",
    [
        b"\x89PNG\r\n\x1a\n" + b"0" * 200,  # a picture renamed .xlsx
        b"",
        b"PK\x03\x04 not really a workbook",
    ],
)
def test_a_file_that_is_no_spreadsheet_is_refused_before_anything_is_queued(
    client, operator, incubator, settings, payload
):
    client.force_login(operator)
    response = client.post(
        reverse("ecosystem:quarterly_import", args=[incubator.pk]),
        {"file": SimpleUploadedFile("季度报表.xlsx", payload)},
    )
    assert response.status_code == 400 and 'role="alert"' in response.content.decode()
    assert not Job.objects.exists() and _stored_inputs(settings) == []


def test_a_workbook_that_unpacks_too_large_is_refused_in_the_request(client, operator, incubator, firm, settings):
    settings.IMPORT_MAX_UNPACKED_BYTES = 2048
    client.force_login(operator)
    rows = [(firm.uscc, LAST_YEAR, 1, 4, "无营收", 0, 0, "x" * 200)] * 40
    response = client.post(reverse("ecosystem:quarterly_import", args=[incubator.pk]), {"file": xlsx(rows)})
    assert response.status_code == 400 and "解压后超过" in response.content.decode()
    assert not Job.objects.exists()


def test_another_towns_staff_and_another_operator_cannot_see_an_import(
    client, operator, hosted, incubator, firm, tangzhen, zj_desk, zj_park, django_capture_on_commit_callbacks
):
    client.force_login(operator)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("ecosystem:quarterly_import", args=[incubator.pk]),
            {"file": xlsx([(firm.uscc, LAST_YEAR, 1, 4, "无营收", 0, 0)])},
        )
    job = Job.objects.get(kind="ecosystem.quarterly_import")
    stranger = f.user(
        Role.CARRIER_OPERATOR,
        unit_=Unit.objects.create(name="另一运营方", kind=Unit.Kind.CARRIER, jurisdiction=tangzhen),
    )
    for user in (zj_desk, stranger):
        client.force_login(user)
        assert client.get(response["Location"]).status_code == 404
        assert (
            client.post(reverse("ecosystem:quarterly_import", args=[incubator.pk]), {"file": xlsx([])}).status_code
            == 404
        )
    client.force_login(zj_desk)  # the job exists, but not under the carrier in the address
    url = reverse("ecosystem:quarterly_import_status", args=[zj_park.pk, job.pk])
    assert client.get(url).status_code == 404
    assert Job.objects.count() == 1
