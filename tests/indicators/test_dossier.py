"""The dossier in one click: an official-document .docx and an .xlsx annex; LibreOffice opens the .docx."""

import io
import shutil
import subprocess

import openpyxl
import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from docx import Document

from chuangfu.core.models import Role
from chuangfu.indicators.demo import seed_indicators
from chuangfu.indicators.services import evidence_pack_save
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
    rows = [[c.value for c in row] for row in book.active.iter_rows()]
    assert rows[1][:3] == ["媒体报道次数", "分子", "portal.media_coverage"] and "唐镇家门口创业服务站" in rows[1][4]


def test_the_dossier_button_downloads_the_docx(client):
    prepare()
    client.force_login(factories.user(role=Role.LEADER))
    response = client.get(reverse("indicators:dossier", args=["docx"]), {"year": YEAR})
    assert response.status_code == 200 and "attachment" in response["Content-Disposition"]
    assert "定量指标" in "\n".join(p.text for p in Document(io.BytesIO(response.content)).paragraphs)


@pytest.mark.slow
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
