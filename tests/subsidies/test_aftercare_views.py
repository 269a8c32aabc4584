"""Life after payment through the pages: the terms editor, the staff's obligation and recovery
pages (check now by htmx, decide, repay), the beneficiary's obligations with the report form, and
another town's ids as a 404."""

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse

from chuangfu.core.days import day_start
from chuangfu.core.models import Role
from chuangfu.subsidies.models import (
    Obligation,
    ObligationReport,
    ObligationStatus,
    ObligationTerm,
    Recovery,
    RecoveryStatus,
    Repayment,
)
from chuangfu.subsidies.services import obligations
from chuangfu.subsidies.services.obligations import TermSpec
from tests import factories as f

from .aftercare_builders import enterprise_of, paid, with_terms

pytestmark = pytest.mark.django_db


def html(response) -> str:
    return response.content.decode()


@pytest.fixture
def grant(policy, applicant, reviewer, reviewer2):
    with_terms(policy)
    enterprise_of(applicant)
    return paid(policy, applicant, reviewer, reviewer2)


def obligation(application, kind) -> Obligation:
    return Obligation.objects.get(application=application, kind=kind)


@pytest.fixture
def recovery(grant, today):
    today.set(datetime.date(2026, 4, 16))
    obligations.obligations_check_due(datetime.date(2026, 4, 16))
    Recovery.objects.filter(application=grant).update(opened_at=day_start(datetime.date(2026, 4, 16)))
    return Recovery.objects.get(application=grant)


def test_an_editor_sets_the_terms_and_bad_input_keeps_what_was_typed(client, policy):
    version = policy.versions.get(number=1)
    client.force_login(f.user(Role.DESK_STAFF))
    url = reverse("aftercare:terms", args=[version.pk])
    assert "补贴后续义务" in html(client.get(url))
    bad = client.post(
        url, {"term-0-kind": "insured", "term-0-months": "6", "term-0-title": "保持参保", "term-0-remind_days": "30"}
    )
    assert bad.status_code == 400 and "请填写最少参保人数" in html(bad) and 'value="保持参保"' in html(bad)
    assert not ObligationTerm.objects.filter(version=version).exists()
    good = client.post(
        url,
        {
            "term-0-kind": "insured", "term-0-months": "6", "term-0-employees": "2", "term-0-remind_days": "30",
            "term-1-kind": "report", "term-1-months": "3", "term-1-title": "经营报告", "term-1-remind_days": "14",
        },
    )  # fmt: skip
    assert good.status_code == 302
    assert [(t.kind, t.months, t.employees, t.title) for t in ObligationTerm.objects.filter(version=version)] == [
        ("insured", 6, 2, "保持参保职工人数"),
        ("report", 3, None, "经营报告"),
    ]


def test_another_towns_editor_gets_404_for_the_terms(client, policy):
    client.force_login(f.user(Role.DESK_STAFF, f.town("310115125")))
    assert client.get(reverse("aftercare:terms", args=[policy.versions.get(number=1).pk])).status_code == 404


def test_a_reviewer_lists_checks_now_by_htmx_and_marks_by_hand(client, grant, reviewer):
    client.force_login(reviewer)
    listing = html(client.get(reverse("aftercare:obligations") + "?status=pending&kind=operating"))
    assert "持续经营满12个月" in listing and "提交经营情况报告" not in listing
    operating = obligation(grant, "operating")
    detail = html(client.get(reverse("aftercare:obligation", args=[operating.pk])))
    assert "立即核查" in detail and "人工认定" in detail
    fragment = client.post(reverse("aftercare:obligation_check", args=[operating.pk]), HTTP_HX_REQUEST="true")
    assert fragment.status_code == 200 and 'id="obligation-checks"' in html(fragment) and "<html" not in html(fragment)
    assert "目前存续（在业）" in html(fragment)  # what was read, on the page
    refused = client.post(reverse("aftercare:obligation_mark", args=[operating.pk, "breach"]), {"reason": ""})
    assert refused.status_code in (302, 400)
    operating.refresh_from_db()
    assert operating.status == ObligationStatus.PENDING
    client.post(reverse("aftercare:obligation_mark", args=[operating.pk, "breach"]), {"reason": "实地核查已停业"})
    operating.refresh_from_db()
    assert operating.status == ObligationStatus.BREACHED
    staff_page = html(client.get(reverse("subsidies:staff_detail", args=[grant.pk])))
    assert "后续义务" in staff_page and "未履行" in staff_page


def test_the_leader_decides_and_the_reviewer_records_repayments_on_the_recovery_page(client, recovery, reviewer, today):
    leader = f.user(Role.LEADER)
    client.force_login(reviewer)
    page = html(client.get(reverse("aftercare:recovery", args=[recovery.pk])))
    assert recovery.number in page and "调整追回金额" in page and "领导小组决定" not in page
    client.force_login(leader)
    page = html(client.get(reverse("aftercare:recovery", args=[recovery.pk])))
    assert "决定追回" in page and "免予追回" in page
    client.post(
        reverse("aftercare:recovery_act", args=[recovery.pk, "recover"]), {"note": "按规定追回", "seen_status": "open"}
    )
    recovery.refresh_from_db()
    assert recovery.status == RecoveryStatus.RECOVERING
    client.force_login(reviewer)
    today.set(datetime.date(2026, 5, 6))
    url = reverse("aftercare:repay", args=[recovery.pk])
    over = client.post(
        url,
        {"amount": "9000", "paid_on": "2026-05-06", "reference": "JK-1"},
        HTTP_REFERER=reverse("aftercare:recovery", args=[recovery.pk]),
    )
    assert over.status_code == 302 and not Repayment.objects.exists()
    assert "超过尚欠金额" in html(client.get(over["Location"]))
    for _ in range(2):  # a double submit records one repayment
        client.post(url, {"amount": "8000", "paid_on": "2026-05-06", "reference": "JK-1"})
    assert Repayment.objects.filter(recovery=recovery).count() == 1
    recovery.refresh_from_db()
    assert recovery.status == RecoveryStatus.SETTLED
    assert "已追回" in html(client.get(reverse("aftercare:recoveries") + "?status=settled"))
    figures_page = html(client.get(reverse("subsidy_reports:figures")))
    assert 'data-figure="amount-recovered">8000.00' in figures_page


def test_the_beneficiary_sees_their_obligations_and_submits_the_report_once(client, grant, applicant, today):
    client.force_login(applicant)
    mine = html(client.get(reverse("aftercare:mine")))
    assert "持续经营满12个月" in mine and "需提交报告" in mine
    report = obligation(grant, "report")
    page = html(client.get(reverse("aftercare:my_obligation", args=[report.pk])))
    assert "写明营业收入和雇员人数" in page and "提交报告" in page
    today.set(datetime.date(2026, 4, 1))
    url = reverse("aftercare:report", args=[report.pk])
    too_long = client.post(url, {"content": "字" * 5001})
    assert too_long.status_code == 400 and "不能超过 5000 个字符" in html(too_long) and "字" * 100 in html(too_long)
    assert client.post(url, {"content": "营业收入 80 万元，雇员 3 人。"}).status_code == 302
    assert client.post(url, {"content": "再交一次"}).status_code == 409
    assert ObligationReport.objects.filter(obligation=report).count() == 1
    page = html(client.get(reverse("aftercare:my_obligation", args=[report.pk])))
    assert "营业收入 80 万元" in page and "已履行" in page
    assert "后续义务" in html(client.get(reverse("subsidies:my_detail", args=[grant.pk])))


def test_the_beneficiary_sees_the_recovery_and_what_is_owed(client, recovery, applicant):
    client.force_login(applicant)
    mine = html(client.get(reverse("aftercare:mine")))
    assert recovery.number in mine and "应退还 8000.00 元" in mine
    page = html(client.get(reverse("aftercare:my_obligation", args=[recovery.obligation_id])))
    assert "立案追回" in page and "尚欠 8000.00 元" in page


def test_another_towns_staff_and_other_beneficiaries_get_404(client, recovery, grant):
    from .builders import applicant_account

    other = obligation(grant, "operating")
    client.force_login(f.user(Role.REVIEWER, f.town("310115125")))
    for url in (
        reverse("aftercare:obligation", args=[other.pk]),
        reverse("aftercare:recovery", args=[recovery.pk]),
    ):
        assert client.get(url).status_code == 404
    assert client.post(reverse("aftercare:obligation_check", args=[other.pk])).status_code == 404
    assert client.post(reverse("aftercare:repay", args=[recovery.pk]), {"amount": "1"}).status_code == 404
    assert "持续经营满12个月" not in html(client.get(reverse("aftercare:obligations")))
    client.force_login(f.user(Role.LEADER, f.town("310115125")))
    assert client.post(reverse("aftercare:recovery_act", args=[recovery.pk, "waive"]), {"note": "x"}).status_code == 404
    client.force_login(applicant_account(name="旁人"))
    assert client.get(reverse("aftercare:my_obligation", args=[other.pk])).status_code == 404
    assert (
        client.post(reverse("aftercare:report", args=[obligation(grant, "report").pk]), {"content": "x"}).status_code
        == 404
    )
    recovery.refresh_from_db()
    assert recovery.status == RecoveryStatus.OPEN and recovery.amount == Decimal("8000")


def test_an_invalid_transition_name_is_refused(client, recovery, reviewer):
    client.force_login(reviewer)
    response = client.post(
        reverse("aftercare:obligation_mark", args=[recovery.obligation_id, "reopen"]), {"reason": "x"}
    )
    assert response.status_code == 400 and "未知的操作" in html(response)
    client.force_login(f.user(Role.LEADER))
    response = client.post(reverse("aftercare:recovery_act", args=[recovery.pk, "settle"]), {"note": "x"})
    assert response.status_code == 400 and "未知的操作" in html(response)


def test_the_beneficiarys_application_page_lists_its_obligations(client, policy, applicant, reviewer, reviewer2):
    with_terms(policy, [TermSpec("report", 1)])
    grant = paid(policy, applicant, reviewer, reviewer2)
    client.force_login(applicant)
    assert "后续义务" in html(client.get(reverse("subsidies:my_detail", args=[grant.pk])))


def test_desk_staff_hand_in_a_report_at_the_window_for_a_beneficiary(client, grant, today):
    report = obligation(grant, "report")
    url = reverse("aftercare:report_on_behalf", args=[report.pk])
    client.force_login(f.user(Role.DESK_STAFF, f.town("310115125")))
    assert client.get(reverse("aftercare:obligation", args=[report.pk])).status_code == 404
    assert client.post(url, {"content": "外镇代交"}).status_code == 404
    desk = f.user(Role.DESK_STAFF, display_name="窗口甲")
    client.force_login(desk)
    page = html(client.get(reverse("aftercare:obligation", args=[report.pk])))
    assert "窗口代交报告" in page and "立即核查</button>" not in page  # checking is the reviewers'
    today.set(datetime.date(2026, 4, 2))
    empty = client.post(url, {"content": " "})
    assert empty.status_code == 400 and "请填写报告内容" in html(empty)
    assert client.post(url, {"content": "受益人到窗口口述：营业收入 50 万元，雇员 2 人。"}).status_code == 302
    report.refresh_from_db()
    assert report.status == ObligationStatus.MET
    assert ObligationReport.objects.get(obligation=report).submitted_by == desk
    assert "窗口甲" in html(client.get(reverse("aftercare:obligation", args=[report.pk])))
    assert client.get(reverse("aftercare:recoveries")).status_code == 403  # amounts owed are not the desk's
