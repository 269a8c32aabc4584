"""The dossier in one click: an official-document .docx and an .xlsx annex; LibreOffice opens the .docx."""

import datetime
import io
import shutil
import subprocess
import zipfile

import openpyxl
import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from docx import Document

from chuangfu.core.models import AuditEntry, Job, Role
from chuangfu.indicators.demo import seed_indicators
from chuangfu.indicators.models import Value
from chuangfu.indicators.services import dossier_start, evidence_pack_save
from chuangfu.portal.models import MediaCoverage
from tests import factories

pytestmark = pytest.mark.django_db
YEAR = timezone.localdate().year


def prepare():
    seed_indicators(YEAR)
    author = factories.user(role=Role.DESK_STAFF)
    MediaCoverage.objects.create(jurisdiction=factories.town(), outlet="浦东时报", title="唐镇家门口创业服务站",
                                 kind="print", published_on=timezone.localdate(), created_by=author)  # fmt: skip
    evidence_pack_save(actor=factories.user(role=Role.LEADER), jurisdiction=factories.town(), year=YEAR,
                       dimension="atmosphere", self_assessment="全年开展宣传活动，社区创业氛围浓厚。")  # fmt: skip


def test_the_dossier_command_writes_the_report_and_its_annex(tmp_path):
    prepare()
    out = tmp_path / "dossier.docx"
    call_command("dossier", town="310115114", year=YEAR, out=str(out))
    text = "\n".join(p.text for p in Document(str(out)).paragraphs)
    assert f"唐镇{YEAR}年度特色创业型社区创建评估自评报告" in text and f"唐创办〔{YEAR}〕" in text
    for heading in ("定量指标", "定性指标", "组织实施", "载体建设", "品牌打造", "氛围营造", "典型培育", "特色成效"):
        assert heading in text, heading
    assert "媒体报道次数：1次" in text and "全年开展宣传活动" in text
    book = openpyxl.load_workbook(out.with_suffix(".xlsx"))
    assert book.sheetnames[0] == "说明"
    index = {row[1]: row for row in book["说明"].values}
    assert (
        index["媒体报道次数"][3] == "portal.media_coverage"
        and index["媒体报道次数"][8] == "media_coverage 媒体报道次数"
    )
    records = list(book["media_coverage 媒体报道次数"].values)
    assert records[0] == ("分子/分母", "记录编号", "记录", "计入分子")
    assert records[1][0] == "分子" and "唐镇家门口创业服务站" in records[1][2] and len(records) == 2


def test_the_dossier_button_queues_a_job_and_its_owner_downloads_both_files(client, django_capture_on_commit_callbacks):
    prepare()
    leader = factories.user(role=Role.LEADER)
    client.force_login(leader)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("indicators:dossier"), {"year": YEAR})
    job = Job.objects.get(kind="indicators.dossier")
    assert response.status_code == 302 and response["Location"] == reverse("core:export_status", args=[job.pk])
    assert job.status == Job.Status.DONE and Value.objects.filter(jurisdiction=factories.town()).exists()  # recomputed
    assert "下载" in client.get(response["Location"]).content.decode()
    download = client.get(reverse("core:export_download", args=[job.pk]))
    bundle = zipfile.ZipFile(io.BytesIO(b"".join(download.streaming_content)))
    names = sorted(bundle.namelist())
    assert names == [f"唐镇{YEAR}年度创建评估数据明细.xlsx", f"唐镇{YEAR}年度创建评估自评报告.docx"]
    text = "\n".join(p.text for p in Document(io.BytesIO(bundle.read(names[1]))).paragraphs)
    assert "定量指标" in text and "媒体报道次数：1次" in text
    rows = list(openpyxl.load_workbook(io.BytesIO(bundle.read(names[0])))["media_coverage 媒体报道次数"].values)
    assert rows[1][0] == "分子" and "唐镇家门口创业服务站" in rows[1][2]
    assert AuditEntry.objects.filter(action="indicators.dossier.generated", actor=leader).count() == 1
    client.force_login(factories.user(role=Role.LEADER))  # another leader of the town: not theirs
    assert client.get(reverse("core:export_download", args=[job.pk])).status_code == 404


def test_a_second_click_while_the_dossier_is_queued_is_the_same_job():
    leader = factories.user(role=Role.LEADER)
    first = dossier_start(actor=leader, jurisdiction=factories.town(), year=YEAR)
    assert dossier_start(actor=leader, jurisdiction=factories.town(), year=YEAR) == first
    assert dossier_start(actor=leader, jurisdiction=factories.town(), year=YEAR - 1) != first


def test_the_dossier_of_another_town_is_not_found_and_a_get_is_refused(client):
    client.force_login(factories.user(role=Role.LEADER))
    assert client.post(reverse("indicators:dossier"), {"town": factories.town("310115125").pk}).status_code == 404
    assert client.get(reverse("indicators:dossier")).status_code == 405
    assert not Job.objects.filter(kind="indicators.dossier").exists()


@pytest.mark.slow
# restored from the serialised database at the start: under ``--dist loadfile`` a browser test's
# flush may have run before it in the same worker, and this one needs the places the migrations load
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_libreoffice_opens_the_dossier_and_its_pdf_holds_every_heading(tmp_path):
    soffice, pdftotext = shutil.which("soffice"), shutil.which("pdftotext")
    if not (soffice and pdftotext):
        pytest.fail(
            "LibreOffice (soffice) and poppler-utils (pdftotext) are installed by .ci/run; install them to run this test"
        )
    prepare()
    out = tmp_path / "dossier.docx"
    call_command("dossier", town="310115114", year=YEAR, out=str(out))
    subprocess.run([soffice, "--headless", f"-env:UserInstallation=file://{tmp_path}/lo", "--convert-to", "pdf", "--outdir", str(tmp_path), str(out)],
                   check=True, capture_output=True, timeout=180)  # fmt: skip
    text = subprocess.run(
        [pdftotext, str(tmp_path / "dossier.pdf"), "-"], check=True, capture_output=True, text=True
    ).stdout
    compact = "".join(text.split())
    for heading in ("定量指标", "定性指标", "氛围营造", "典型培育", "媒体报道次数"):
        assert heading in compact, heading
    assert "—1—" in compact  # the page number in the footer


def test_a_rate_lists_its_denominators_records_once_each_marked_whether_it_counts_in_the_numerator():
    from chuangfu.desk import services as desk
    from chuangfu.desk.models import Category, Status, Ticket
    from chuangfu.indicators import dossier

    seed_indicators(YEAR)
    town = factories.town()
    numbers = []
    for on_time in (True, False):
        ticket, _ = desk.ticket_submit_public(
            jurisdiction=town, category=Category.objects.get(jurisdiction=town, name="政策咨询"),
            description="想了解创业担保贷款的申请条件。", requester_name="李娜",
            requester_mobile=f"139{next(factories._seq):08d}",
        )  # fmt: skip
        Ticket.objects.filter(pk=ticket.pk).update(
            status=Status.CLOSED, closed_at=timezone.now(), answered_in_time=on_time
        )
        numbers.append(ticket.number)
    rows = [r for r in dossier.annex_rows(town, YEAR) if r["indicator"] == "按时办结率"]
    assert [(r["part"], r["record"], r["in_numerator"]) for r in sorted(rows, key=lambda r: r["record"])] == sorted(
        [("分母", numbers[0], "是"), ("分母", numbers[1], "否")], key=lambda r: r[1]
    )


def test_the_annex_has_an_index_and_a_sheet_per_indicator_and_writes_text_that_looks_like_a_formula_as_text(tmp_path):
    from chuangfu.indicators import dossier

    prepare()
    town = factories.town()
    MediaCoverage.objects.create(jurisdiction=town, outlet="=HYPERLINK(\"http://evil\",\"点我\")", title="=1+1",
                                 kind="print", published_on=timezone.localdate(),
                                 created_by=factories.user(role=Role.DESK_STAFF))  # fmt: skip
    from chuangfu.indicators.services import compute_town_year

    compute_town_year(town, YEAR)
    target = tmp_path / "annex.xlsx"
    listed = dossier.write_annex(town, YEAR, target)
    book = openpyxl.load_workbook(target)
    index = list(book["说明"].values)
    assert index[0] == tuple(dossier.INDEX_HEADERS)
    by_name = {row[1]: row for row in index[1:]}
    assert by_name["媒体报道次数"][5] == 2 and by_name["媒体报道次数"][7] == 2  # the computed figures, as numbers
    sheets = [row[8] for row in index[1:] if row[8] != "（不可下钻）"]
    assert sheets == book.sheetnames[1:] and len(set(sheets)) == len(sheets)
    cells = [c for name in sheets for row in book[name].iter_rows(min_row=2) for c in row]
    assert listed == sum(1 for name in sheets for row in book[name].iter_rows(min_row=2) if row[1].value is not None)
    formulas = [c for c in cells if isinstance(c.value, str) and c.value.startswith("=")]
    assert formulas and all(c.data_type == "s" for c in formulas)  # text, never a live formula


def test_a_sheet_name_is_what_excel_accepts_and_unique():
    from types import SimpleNamespace

    from chuangfu.indicators import dossier

    taken = {"说明"}
    long = SimpleNamespace(code="a/b:c", name="很长的指标名称[测试]*?" * 3)
    first, second = dossier._sheet_name(long, taken), dossier._sheet_name(long, taken)
    for name in (first, second):
        assert len(name) <= 31 and not set(name) & set("[]:*?/\\")
    assert first != second


def test_a_grant_is_listed_by_its_policy_day_and_voucher_never_by_whom():
    from chuangfu.indicators import dossier
    from chuangfu.policies.models import Grant
    from tests.policies.conftest import make_policy

    policy = make_policy(title="一次性创业补贴")
    person = factories.person("王小明")
    Grant.objects.create(policy=policy, person=person, granted_on=datetime.date(YEAR, 3, 1), source="import",
                         reference="名单2026-03")  # fmt: skip
    Grant.objects.create(policy=policy, person=factories.person("李四"), granted_on=datetime.date(YEAR, 4, 2),
                         source="manual")  # fmt: skip
    labels = sorted(label for chunk in dossier._record_chunks(Grant.objects.all()) for _pk, label in chunk)
    assert labels == [f"一次性创业补贴 · {YEAR}-03-01 · 名单2026-03", f"一次性创业补贴 · {YEAR}-04-02"]
    assert str(Grant.objects.get(reference="名单2026-03")) == labels[0]
