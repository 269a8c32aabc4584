"""Importing premises and leases from a park's, an incubator's or the lease-registration system's
export (.xlsx or CSV): the enterprise by USCC, the carrier by its name; the same file again changes
nothing, a later export with a longer term updates the lease; rows that cannot be placed are
refused one by one with the reason (in Chinese, and in English for an English user); another
town's enterprise is not touched; through the import pages, an oversize or malformed file is
refused before any job runs."""

import datetime
import io

import pytest
from django.urls import reverse
from django.utils import translation
from openpyxl import Workbook

from chuangfu.core.models import AuditEntry, Job, Role
from chuangfu.registry.importers import Action, run_import
from chuangfu.registry.models import Carrier, CarrierKind, Premises
from tests import factories as f

from .test_import_views import upload

pytestmark = pytest.mark.django_db
D = datetime.date
HEADER = [
    "统一社会信用代码",
    "承租方",
    "房屋坐落",
    "载体名称",
    "租赁面积",
    "起租日",
    "到期日",
    "月租金",
    "是否备案",
    "备注",
]


def csv(*rows) -> io.BytesIO:
    return io.BytesIO("\n".join(",".join(str(c) for c in row) for row in rows).encode("utf-8-sig"))


def xlsx(*rows) -> io.BytesIO:
    book = Workbook()
    for row in rows:
        book.active.append(list(row))
    buffer = io.BytesIO()
    book.save(buffer)
    buffer.seek(0)
    return buffer


def run(source, town=None, dry_run=False):
    town = town or f.town()
    return run_import(kind="premises", source=source, town=town, actor=f.user(role=Role.ADMIN), dry_run=dry_run)


def test_a_file_is_imported_once_and_a_longer_term_updates_the_lease(client):
    firm, other = f.enterprise(name="唐镇软件公司"), f.enterprise(name="唐镇餐饮公司")
    Carrier.objects.create(kind=CarrierKind.INCUBATOR, name="唐镇创业孵化基地", jurisdiction=f.town())
    rows = [
        HEADER,
        [
            firm.uscc,
            "唐镇软件公司",
            "唐镇创新路1号201室",
            "唐镇创业孵化基地",
            "85.5平方米",
            "2025-01-01",
            "2026-12-31",
            "6000元",
            "已备案",
            "",
        ],
        [other.uscc, "唐镇餐饮公司", "唐镇商业街8号", "", "120", "", "", "", "", "自有房产"],
    ]
    assert [o.action for o in run(csv(*rows), dry_run=True).outcomes] == [Action.CREATE, Action.CREATE]
    assert not Premises.objects.exists()  # a dry run writes nothing
    assert [o.action for o in run(csv(*rows)).outcomes] == [Action.CREATE, Action.CREATE]
    lease = Premises.objects.get(enterprise=firm)
    assert (lease.area, lease.lease_end, lease.monthly_rent, lease.lease_registered, lease.carrier.name) == (
        85.5,
        D(2026, 12, 31),
        6000,
        True,
        "唐镇创业孵化基地",
    )
    owned = Premises.objects.get(enterprise=other)
    assert owned.lease_start is None and owned.note == "自有房产" and not owned.lease_registered
    assert [o.action for o in run(xlsx(*rows)).outcomes] == [Action.UNCHANGED, Action.UNCHANGED]
    rows[1][6], rows[1][7], rows[1][8] = "2027-12-31", "", ""  # renewed; blank rent and 备案 keep what is recorded
    report = run(csv(*rows))
    assert [o.action for o in report.outcomes] == [Action.UPDATE, Action.UNCHANGED]
    assert "租期截止日" in report.outcomes[0].detail
    lease.refresh_from_db()
    assert (lease.lease_end, lease.monthly_rent, lease.lease_registered) == (D(2027, 12, 31), 6000, True)
    assert Premises.objects.count() == 2
    entries = AuditEntry.objects.filter(action="registry.enterprise.premises_imported")
    assert entries.count() == 3 and entries.filter(before__lease_end="2026-12-31").count() == 1
    client.force_login(f.user(role=Role.DESK_STAFF))
    page = client.get(reverse("registry:enterprise_detail", args=[firm.pk])).content.decode()
    assert "唐镇创新路1号201室" in page and "2025-01-01 — 2027-12-31" in page


BAD = [
    (["", "", "某路1号", "", "50", "", "", "", "", ""], "统一社会信用代码"),
    (["{firm}", "", "", "", "50", "", "", "", "", ""], "缺少场地地址"),
    (["{firm}", "", "某路2号", "", "五十", "", "", "", "", ""], "面积“五十”应为平方米数"),
    (["{firm}", "", "某路3号", "", "", "", "", "", "", ""], "大于 0 的面积"),
    (["{firm}", "", "某路4号", "", "50", "2025-06-01", "2025-05-31", "", "", ""], "租期截止日早于起始日"),
    (["{firm}", "", "某路5号", "", "50", "2025-06-01", "", "", "", ""], "租期须同时填写起始日和截止日"),
    (["{firm}", "", "某路6号", "", "50", "", "", "", "是", ""], "没有租期的场地不能登记为租赁合同已备案"),
    (["{firm}", "", "某路7号", "没有这个园区", "50", "", "", "", "", ""], "没有名为“没有这个园区”的载体"),
    (["{firm}", "", "某路8号", "", "50", "2025-02-30", "2026-01-01", "", "", ""], "2 月没有 30 日"),
    (["{firm}", "", "某路9号", "", "50", "2025-01-01", "2026-01-01", "三千", "", ""], "月租金“三千”应为元数"),
    (["{firm}", "", "某路10号", "", "50", "2025-01-01", "2026-01-01", "", "也许", ""], "应填写“是”或“否”"),
    (["{absent}", "", "某路11号", "", "50", "", "", "", "", ""], "名录中没有该企业"),
    (["{elsewhere}", "", "某路12号", "", "50", "", "", "", "", ""], "登记在其他镇"),
]


def test_rows_that_cannot_be_imported_are_refused_one_by_one_with_the_reason():
    firm, elsewhere = f.enterprise(), f.enterprise(jurisdiction=f.town("310115125"))
    Carrier.objects.create(kind=CarrierKind.PARK, name="张江园区", jurisdiction=f.town("310115125"))
    values = {"firm": firm.uscc, "absent": f.uscc(), "elsewhere": elsewhere.uscc}
    rows = [[cell.format(**values) for cell in row] for row, _m in BAD]
    report = run(csv(HEADER, *rows, [firm.uscc, "", "好的一行", "", "50", "", "", "", "", ""]))
    outcomes = report.outcomes
    assert [o.action for o in outcomes] == [Action.REJECT] * len(BAD) + [Action.CREATE]
    for outcome, (_row, message) in zip(outcomes, BAD):
        assert message in outcome.detail, (outcome.row, outcome.detail)
    assert list(Premises.objects.values_list("address", flat=True)) == ["好的一行"]  # nothing half-saved


def test_row_errors_read_in_english_for_an_english_user():
    firm = f.enterprise()
    with translation.override("en"):
        report = run(
            csv(
                HEADER,
                [firm.uscc, "", "Road 1", "", "abc", "", "", "", "", ""],
                [firm.uscc, "", "Road 2", "", "50", "2025-06-01", "2025-05-31", "", "", ""],
                [f.uscc(), "", "Road 3", "", "50", "", "", "", "", ""],
            )
        )
    details = [o.detail for o in report.outcomes]
    assert "should be a number of square metres" in details[0]
    assert "ends before it starts" in details[1]
    assert "No such enterprise" in details[2]


def test_through_the_import_pages_a_premises_file_is_checked_then_confirmed(
    client, desk, tangzhen, django_capture_on_commit_callbacks
):
    firm = f.enterprise(jurisdiction=tangzhen)
    client.force_login(desk)
    assert "经营场地与租赁" in client.get(reverse("registry:import_start")).content.decode()
    template = client.get(reverse("registry:import_template", args=["premises"]))
    assert template.status_code == 200
    data = csv(HEADER, [firm.uscc, "", "唐镇创新路1号", "", "50", "2025-01-01", "2026-12-31", "3000", "是", ""])
    response = upload(
        client,
        data.getvalue(),
        name="场地.csv",
        kind="premises",
        town=tangzhen,
        capture=django_capture_on_commit_callbacks,
    )
    assert response.status_code == 302
    job = Job.objects.get(kind="registry.import", params__dry_run=True)
    page = client.get(reverse("registry:import_preview", args=[job.pk])).content.decode()
    assert "统一社会信用代码" in page and "确认导入（写入 1 条）" in page
    assert not Premises.objects.exists()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("registry:import_confirm", args=[job.pk]))
    client.post(reverse("registry:import_confirm", args=[job.pk]))  # twice: imported once
    assert Premises.objects.get(enterprise=firm).lease_registered is True
    assert Job.objects.filter(kind="registry.import", params__dry_run=False).count() == 1


def test_an_oversize_or_malformed_premises_file_is_refused_before_any_job(client, desk, tangzhen, settings):
    client.force_login(desk)
    settings.MAX_UPLOAD_BYTES = 1024 * 1024
    big = upload(client, b"a" * (1024 * 1024 + 10), name="场地.csv", kind="premises", town=tangzhen)
    assert "文件超过 1 MB 的上限" in big.content.decode()
    png = upload(client, b"\x89PNG\r\n\x1a\n" + b"\x00" * 200, name="场地.xlsx", kind="premises", town=tangzhen)
    assert "PNG 图片" in png.content.decode()
    assert not Job.objects.exists()
