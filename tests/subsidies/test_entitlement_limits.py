"""免申即享 within the subject's limits, read as an application's are (``services.limits``): the
version's 最长月数 (``benefit_max_months``) for a benefit paid by the month, and the yearly maximum
(``max_amount_per_year``) — a subject who already got N months, a year partly used by an earlier
grant, a maximum reached exactly."""

import datetime
import io
from decimal import Decimal

import openpyxl
import pytest
from django.urls import reverse

from chuangfu.core.errors import DomainError
from chuangfu.core.models import AuditEntry, Role
from chuangfu.policies.models import Grant
from chuangfu.subsidies.models import ApplicationForm, Status
from chuangfu.subsidies.services import entitlement_review as review
from chuangfu.subsidies.services import entitlements, limits
from tests import factories as f

from .entitlement_builders import approved, automatic_policy, person, staff

JAN, FEB, MAR = datetime.date(2026, 1, 10), datetime.date(2026, 2, 10), datetime.date(2026, 3, 2)


@pytest.fixture
def people(db, today):
    reviewer, reviewer2, leader = staff()
    return {"young": person("李青年"), "r1": reviewer, "r2": reviewer2, "leader": leader}


def _monthly(max_months=None, **fields):
    """500 元 a month for a person (one head), at most ``max_months`` months."""
    return automatic_policy(
        code=fields.pop("code", "rent-auto"),
        amount=Decimal("500"),
        benefit_kind="per_head_month",
        benefit_max_months=max_months,
        **fields,
    )


def _line(policy, subject, on, actor):
    report = entitlements.entitlement_batches_build(policy=policy, on=on, town=f.town(), actor=actor)
    batch = (report.created or report.existing)[0]
    return batch.lines.get(person=subject)


def _publish(batch, people):
    batch = approved(batch, people["r1"], people["leader"])
    return review.entitlement_batch_publish(actor=people["r2"], batch=batch, today=batch.cycle_on)


# --- 最长月数 ------------------------------------------------------------------------------------


def test_a_subject_paid_every_month_of_the_maximum_is_left_out_with_the_months_counted(people):
    policy = _monthly(max_months=2)
    january = _line(policy, people["young"], JAN, people["r1"])
    _publish(january.batch, people)  # January paid as an application (复审通过 onward)
    february = _line(policy, people["young"], FEB, people["r1"])  # waiting in an unpublished batch
    assert january.included and february.included and february.amount == Decimal("500.00")
    march = _line(policy, people["young"], MAR, people["r1"])
    assert not march.included
    assert march.exclusion_reason == "已享受 2 个月，达到最长 2 个月。"


def test_the_last_months_of_the_maximum_are_paid_and_no_more(people):
    policy = _monthly(max_months=4)
    entitlements.entitlement_cycle_set(actor=f.user(role=Role.DESK_STAFF), policy=policy, cycle="quarter")
    first = _line(policy, people["young"], JAN, people["r1"])  # 2026Q1: 3 months
    assert (first.amount, first.batch.period) == (Decimal("1500.00"), "2026Q1")
    second = _line(policy, people["young"], datetime.date(2026, 4, 1), people["r1"])  # 2026Q2: 1 month left
    assert second.included and second.amount == Decimal("500.00")
    assert second.basis == "500.00 元 × 1 人 × 1 个月（已享受 3 个月，最长 4 个月）"


def test_without_a_maximum_every_month_is_paid(people):
    policy = _monthly(max_months=None)
    for day in (JAN, FEB):
        _line(policy, people["young"], day, people["r1"])
    march = _line(policy, people["young"], MAR, people["r1"])
    assert march.included and march.amount == Decimal("500.00") and march.basis == "500.00 元 × 1 人 × 1 个月"


# --- 每年最高金额 ----------------------------------------------------------------------------------


def _yearly(year_max):
    policy = automatic_policy(code="stipend-auto", amount=Decimal("3000"))
    entitlements.entitlement_cycle_set(
        actor=f.user(role=Role.DESK_STAFF), policy=policy, cycle="month", max_amount_per_year=year_max
    )
    return policy


def _earlier(policy, subject, people, *, grant_on, grant_amount):
    """A grant recorded elsewhere (an imported list) and January's line waiting to be published."""
    Grant.objects.create(policy=policy, person=subject, granted_on=grant_on, amount=grant_amount, source="import")
    _line(policy, subject, JAN, people["r1"])


def test_a_year_partly_used_by_an_earlier_grant_pays_what_is_left_of_it(people):
    policy = _yearly(Decimal("7000"))
    _earlier(policy, people["young"], people, grant_on=datetime.date(2026, 2, 10), grant_amount=Decimal("2000"))
    march = _line(policy, people["young"], MAR, people["r1"])  # 2000 + 3000 used: 2000 left of 7000
    assert march.included and march.amount == Decimal("2000.00")
    assert march.basis == "定额 3000.00 元，2026 年已享受 5000.00 元，每年最高 7000.00 元，按余额核定"


def test_a_maximum_reached_exactly_pays_the_whole_amount(people):
    policy = _yearly(Decimal("8000"))
    _earlier(policy, people["young"], people, grant_on=datetime.date(2026, 2, 10), grant_amount=Decimal("2000"))
    march = _line(policy, people["young"], MAR, people["r1"])  # 5000 + 3000 = 8000: within
    assert march.included and march.amount == Decimal("3000.00") and march.basis == "定额 3000.00 元"


def test_a_year_used_up_leaves_the_subject_out_with_the_applications_wording(people):
    policy = _yearly(Decimal("5000"))
    _earlier(policy, people["young"], people, grant_on=datetime.date(2026, 2, 10), grant_amount=Decimal("2000"))
    march = _line(policy, people["young"], MAR, people["r1"])
    assert not march.included
    assert march.exclusion_reason == "2026 年已享受 5000.00 元，加上本次 3000.00 元将超过每年最高 5000.00 元。"


def test_a_grant_of_last_year_does_not_count_against_this_year(people):
    policy = _yearly(Decimal("3000"))
    Grant.objects.create(
        policy=policy, person=people["young"], granted_on=datetime.date(2025, 12, 20), amount=3000, source="import"
    )
    march = _line(policy, people["young"], MAR, people["r1"])
    assert march.included and march.amount == Decimal("3000.00")


def test_published_lines_count_as_applications_for_the_year(people):
    policy = _yearly(Decimal("4000"))
    _publish(_line(policy, people["young"], JAN, people["r1"]).batch, people)
    used = limits.usage(policy=policy, column="person", ids=[people["young"].pk], year=2026)
    assert used[people["young"].pk].amount == Decimal("3000.00") and used[people["young"].pk].months == 1
    march = _line(policy, people["young"], MAR, people["r1"])
    assert march.included and march.amount == Decimal("1000.00")


def test_the_yearly_maximum_is_set_with_the_cycle_and_audited(people, client):
    policy = _yearly(None)
    editor = f.user(role=Role.DESK_STAFF)
    with pytest.raises(DomainError, match="须大于 0"):
        entitlements.entitlement_cycle_set(actor=editor, policy=policy, cycle="month", max_amount_per_year=Decimal(0))
    client.force_login(editor)
    response = client.post(
        reverse("subsidies:entitlement_cycle", args=[policy.pk]), {"cycle": "quarter", "max_amount_per_year": "9000"}
    )
    assert response.status_code == 302
    form = ApplicationForm.objects.get(version__policy=policy)
    assert (form.period_kind, form.max_amount_per_year) == ("quarter", Decimal("9000.00"))
    entry = AuditEntry.objects.filter(action="subsidies.entitlement.cycle_set").latest("pk")
    assert entry.after["max_amount_per_year"] == "9000" and entry.before["max_amount_per_year"] == ""
    page = client.get(reverse("subsidies:forms_list")).content.decode()
    assert 'value="9000.00"' in page


# --- the same rule for an application paid by the month -------------------------------------------


def test_an_application_by_the_month_is_refused_past_the_versions_maximum(people, today):
    from tests.policies.conftest import make_policy

    from .conftest import make_form

    policy = make_policy(code="monthly-apply", title="按月补贴")
    policy.versions.update(benefit_max_months=6)
    form = make_form(policy, amount_kind="per_employee_month", heads_field="heads", months_field="project")
    subject = people["young"]
    Grant.objects.create(policy=policy, person=subject, granted_on=datetime.date(2026, 1, 5), source="import")
    earlier = policy.applications.create(
        version=form.version, form=form, jurisdiction=subject.jurisdiction, person=subject,
        status=Status.DISBURSED, data={"project": "4", "heads": "1"}, submitted_on=datetime.date(2026, 1, 5),
        created_by=people["r1"],
    )  # fmt: skip
    problems = limits.limit_problems(
        form=form, policy=policy, subject=subject, amount=None, year=2026, months=3, exclude_pk=None
    )
    assert problems == ["已享受 4 个月，加上本次 3 个月将超过最长 6 个月。"]
    assert limits.limit_problems(form=form, policy=policy, subject=subject, amount=None, year=2026, months=2) == []
    earlier.data = {"project": "6", "heads": "1"}
    earlier.save(update_fields=["data"])
    assert limits.limit_problems(form=form, policy=policy, subject=subject, amount=None, year=2026) == [
        "已享受 6 个月，达到最长 6 个月。"
    ]


def test_a_lines_basis_and_the_systems_reason_read_in_english_and_a_reviewers_reason_as_written(client, people):
    policy = _monthly(max_months=2)
    january = _line(policy, people["young"], JAN, people["r1"])
    _publish(january.batch, people)
    _line(policy, people["young"], FEB, people["r1"])
    march = _line(policy, people["young"], MAR, people["r1"])
    assert (march.basis, march.i18n["en"]["basis"]) == (
        "500.00 元 × 1 人 × 0 个月（已享受 2 个月，最长 2 个月）",
        "500.00 yuan × 1 people × 0 months (2 months received, at most 2 months)",
    )
    assert march.i18n["en"]["exclusion_reason"] == "Already received 2 months, the most (2 months)."
    client.force_login(people["r1"])
    url = reverse("subsidies:entitlement_detail", args=[march.batch_id])
    english = client.get(url, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Already received 2 months, the most (2 months)." in english and "达到最长" not in english
    assert "500.00 yuan × 1 people × 0 months" in english and "个月）" not in english
    api = client.get(f"/api/subsidies/entitlements/{march.batch_id}", HTTP_ACCEPT_LANGUAGE="en").json()
    (row,) = [r for r in api["lines"] if r["id"] == march.pk]
    assert row["exclusion_reason"] == "Already received 2 months, the most (2 months)."
    chinese = client.get(f"/api/subsidies/entitlements/{march.batch_id}", HTTP_ACCEPT_LANGUAGE="zh-hans").json()
    assert [r["basis"] for r in chinese["lines"] if r["id"] == march.pk] == [march.basis]

    review.entitlement_line_include(actor=people["r1"], line=march)
    review.entitlement_line_exclude(actor=people["r1"], line=march, reason="本人来电放弃本月补贴，已登记")
    march.refresh_from_db()
    assert "exclusion_reason" not in march.i18n["en"] and march.i18n["en"]["basis"]
    api = client.get(f"/api/subsidies/entitlements/{march.batch_id}", HTTP_ACCEPT_LANGUAGE="en").json()
    assert [r["exclusion_reason"] for r in api["lines"] if r["id"] == march.pk] == ["本人来电放弃本月补贴，已登记"]


def _grant_sheet(rows) -> io.BytesIO:
    wb = openpyxl.Workbook()
    wb.active.append(["姓名", "身份证号码", "发放日期", "金额（元）", "享受月数"])
    for row in rows:
        wb.active.append(row)
    out = io.BytesIO()
    wb.save(out)
    out.seek(0)
    out.name = "grants.xlsx"
    return out


def test_an_imported_grants_months_count_against_the_maximum_and_a_bad_months_cell_is_refused(people):
    from chuangfu.policies import services as policy_services

    policy = _monthly(max_months=3)
    young, other = people["young"], person("王另一")
    rows = [
        ["李青年", young.id_number, "2025-11-20", "1000", "2个月"],
        ["王另一", other.id_number, "2025-11-20", "1000", "2.5"],
        ["王另一", other.id_number, "2025-10-20", "1000", "121"],
        ["王另一", other.id_number, "2025-09-20", "1e30", ""],
    ]
    report = policy_services.grant_import(actor=f.user(role=Role.DESK_STAFF), policy=policy, source=_grant_sheet(rows))
    assert report.created == 1
    reasons = dict(report.rejected)
    assert "享受月数“2.5”无效" in reasons[3] and "应为 1 至 120 的整数" in reasons[4]
    assert "最多两位小数" in reasons[5]
    assert Grant.objects.get(person=young).months == 2 and not Grant.objects.filter(person=other).exists()
    assert limits.usage(policy=policy, column="person", ids=[young.pk], year=2026)[young.pk].months == 2
    january = _line(policy, young, JAN, people["r1"])  # one month left of three
    assert january.included and january.amount == Decimal("500.00")
    february = _line(policy, young, FEB, people["r1"])
    assert not february.included and february.exclusion_reason == "已享受 3 个月，达到最长 3 个月。"


def test_a_december_cycle_published_in_january_counts_in_decembers_year(people, today):
    policy = _yearly(Decimal("5000"))
    december = datetime.date(2026, 12, 10)
    today.set(december)
    line = _line(policy, people["young"], december, people["r1"])
    batch = approved(line.batch, people["r1"], people["leader"])
    today.set(datetime.date(2027, 1, 8))
    review.entitlement_batch_publish(actor=people["r2"], batch=batch, today=datetime.date(2027, 1, 8))
    line.refresh_from_db()
    assert line.application.submitted_on.year == 2027  # published (applied) in January
    young = people["young"].pk
    assert limits.usage(policy=policy, column="person", ids=[young], year=2026)[young].amount == Decimal("3000.00")
    assert limits.usage(policy=policy, column="person", ids=[young], year=2027)[young].amount == 0
