"""The reviewers' side: acceptance, 补正 (一次告知), reviews, amounts, deadlines and races."""

import datetime
from decimal import Decimal

import pytest

from chuangfu.core.errors import DomainError
from chuangfu.core.models import Notification, Role
from chuangfu.core.notifications.sms import LocmemSmsBackend
from chuangfu.core.workdays import add_working_days
from chuangfu.subsidies import deadlines, services
from chuangfu.subsidies.models import Application, CorrectionNotice, Status
from tests import factories as f

from .conftest import MONDAY, make_form, pdf, png

pytestmark = pytest.mark.django_db


def submitted(policy, applicant, *, data=None):
    app = services.application_start(actor=applicant, policy=policy, subject=applicant.person)
    services.application_save(actor=applicant, application=app, raw=data or {"project": "社区咖啡馆"})
    for req in app.form.materials.all():
        services.material_upload(actor=applicant, application=app, requirement=req, upload=pdf())
    return services.application_submit(actor=applicant, application=app)


def test_accept_starts_the_20_day_decision_clock(policy, applicant, reviewer, today):
    app = services.application_accept(actor=reviewer, application=submitted(policy, applicant))
    assert app.status == Status.ACCEPTED and app.accepted_by == reviewer
    assert app.decision_due == datetime.date(2026, 3, 30)  # 20 working days after Monday 2 March


def test_refuse_needs_reasons_and_tells_them(policy, applicant, reviewer, today, django_capture_on_commit_callbacks):
    app = submitted(policy, applicant)
    with pytest.raises(DomainError, match="理由"):
        services.application_refuse(actor=reviewer, application=app, reason=" ")
    with django_capture_on_commit_callbacks(execute=True):
        services.application_refuse(actor=reviewer, application=app, reason="不属于本镇受理范围")
    assert Application.objects.get(pk=app.pk).status == Status.NOT_ACCEPTED
    body = Notification.objects.get(recipient=applicant, title="补贴申请不予受理").body
    assert "不属于本镇受理范围" in body


def test_correction_lists_everything_pauses_and_resumes(
    policy, applicant, reviewer, today, django_capture_on_commit_callbacks
):
    app = services.application_accept(actor=reviewer, application=submitted(policy, applicant))
    licence = app.form.materials.get(name="营业执照")
    items = services.correction_items(
        app,
        materials=[licence.pk],
        fields=["project"],
        other="补充租赁合同",
        reasons={f"material_{licence.pk}": "照片模糊"},
    )
    with django_capture_on_commit_callbacks(execute=True):
        app = services.application_request_correction(
            actor=reviewer, application=app, items=items, seen_status=Status.ACCEPTED
        )
    assert app.status == Status.CORRECTION and app.paused_since == MONDAY
    body = Notification.objects.get(recipient=applicant, title="补贴申请需要补正").body
    for text in ("营业执照：照片模糊", "项目名称", "补充租赁合同"):
        assert text in body
    assert not app.process_fault

    # five working days later the applicant answers: the decision deadline moves on by five
    today.set(datetime.date(2026, 3, 9))
    with pytest.raises(DomainError, match="重新上传“营业执照”"):
        services.application_resubmit(actor=applicant, application=app)
    services.material_upload(actor=applicant, application=app, requirement=licence, upload=png())
    app = services.application_resubmit(actor=applicant, application=app)
    assert app.status == Status.ACCEPTED and app.paused_since is None and app.paused_days == 5
    assert app.decision_due == add_working_days(datetime.date(2026, 3, 30), 5)
    assert app.corrections.get().answered_at is not None


def test_correction_before_acceptance_returns_to_submitted(policy, applicant, reviewer, today):
    app = submitted(policy, applicant)
    items = services.correction_items(app, other="身份证复印件需正反面")
    app = services.application_request_correction(actor=reviewer, application=app, items=items)
    today.set(datetime.date(2026, 3, 4))
    app = services.application_resubmit(actor=applicant, application=app)
    assert app.status == Status.SUBMITTED
    assert app.accept_due == add_working_days(datetime.date(2026, 3, 9), 2)


def test_correction_without_items_is_refused(policy, applicant, reviewer, today):
    app = submitted(policy, applicant)
    with pytest.raises(DomainError, match="一次告知"):
        services.application_request_correction(actor=reviewer, application=app, items=[])


def test_second_notice_with_new_items_is_a_process_fault(policy, applicant, reviewer, today):
    app = services.application_accept(actor=reviewer, application=submitted(policy, applicant))
    licence = app.form.materials.get(name="营业执照")
    app = services.application_request_correction(
        actor=reviewer, application=app, items=services.correction_items(app, materials=[licence.pk])
    )
    services.material_upload(actor=applicant, application=app, requirement=licence, upload=png())
    app = services.application_resubmit(actor=applicant, application=app)
    # the same item again is not a fault …
    app = services.application_request_correction(
        actor=reviewer, application=app, items=services.correction_items(app, materials=[licence.pk])
    )
    assert not app.process_fault
    services.material_upload(actor=applicant, application=app, requirement=licence, upload=png())
    app = services.application_resubmit(actor=applicant, application=app)
    # … a new one is
    app = services.application_request_correction(
        actor=reviewer, application=app, items=services.correction_items(app, materials=[licence.pk], other="补充合同")
    )
    assert app.process_fault
    third = CorrectionNotice.objects.get(application=app, sequence=3)
    assert [i["label"] for i in third.new_items] == ["补充合同"]
    assert "流程瑕疵" in app.events.filter(action="request_correction").last().note


def test_first_and_second_review_by_different_people(policy, applicant, reviewer, reviewer2, today):
    app = services.application_accept(actor=reviewer, application=submitted(policy, applicant))
    app = services.application_first_approve(actor=reviewer, application=app)
    with pytest.raises(DomainError, match="不同人员"):
        services.application_second_approve(actor=reviewer, application=app)
    app = services.application_second_approve(actor=reviewer2, application=app)
    assert app.status == Status.SECOND_REVIEWED and app.decided_in_time is True
    assert (app.first_reviewer, app.second_reviewer) == (reviewer, reviewer2)


def test_nobody_reviews_their_own_application(policy, reviewer, today):
    """A reviewer who is also an entrepreneur's person cannot decide on it."""
    account = f.user(role=Role.ENTREPRENEUR)
    person = f.person(name="审核员本人", account=account)
    app = services.application_start(actor=account, policy=policy, subject=person)
    Application.objects.filter(pk=app.pk).update(status=Status.SUBMITTED)
    person.account = None
    person.save()
    f.person(name="审核员另一个", account=reviewer)
    Application.objects.filter(pk=app.pk).update(person=reviewer.person)
    with pytest.raises(DomainError, match="本人"):
        services.application_accept(actor=reviewer, application=app)


def test_desk_staff_who_filled_it_in_cannot_review_even_as_reviewer(policy, applicant, today):
    from chuangfu.registry.models import Carrier, CarrierKind

    desk = f.user(role=Role.DESK_STAFF)
    station = Carrier.objects.create(kind=CarrierKind.DOORSTEP_STATION, name="服务站", jurisdiction=f.town())
    app = services.application_start(actor=desk, policy=policy, subject=applicant.person, carrier=station)
    services.application_save(actor=desk, application=app, raw={"project": "代办"})
    for req in app.form.materials.all():
        services.material_upload(actor=desk, application=app, requirement=req, upload=pdf())
    app = services.application_submit(actor=desk, application=app)
    desk.role = Role.REVIEWER
    desk.save()
    with pytest.raises(DomainError, match="填报或提交"):
        services.application_accept(actor=desk, application=app)


def test_other_towns_reviewer_is_refused(policy, applicant, today):
    from chuangfu.core.models import Jurisdiction

    other = Jurisdiction.objects.filter(level=Jurisdiction.Level.TOWN).exclude(code="310115114").first()
    outsider = f.user(role=Role.REVIEWER, jurisdiction=other)
    with pytest.raises(DomainError, match="管辖范围"):
        services.application_accept(actor=outsider, application=submitted(policy, applicant))


def test_two_reviewers_at_once_one_wins_the_other_is_told_who(policy, applicant, reviewer, reviewer2, today):
    app = submitted(policy, applicant)
    services.application_accept(actor=reviewer, application=app, seen_status=Status.SUBMITTED)
    with pytest.raises(DomainError) as exc:  # reviewer2's page still showed 已提交
        services.application_refuse(actor=reviewer2, application=app, reason="材料不全", seen_status=Status.SUBMITTED)
    assert exc.value.status == 409
    assert "审核甲" in str(exc.value.message) and "受理" in str(exc.value.message)
    assert Application.objects.get(pk=app.pk).status == Status.ACCEPTED


# --- amounts ---------------------------------------------------------------------------------------


def test_amount_rules(applicant, today):
    from chuangfu.subsidies.services.forms import amount_compute
    from tests.policies.conftest import make_policy

    form = make_form(
        make_policy(code="jobs", title="吸纳就业补贴"),
        amount_kind="per_employee_month",
        amount_value=Decimal("300"),
        amount_cap=Decimal("20000"),
        heads_field="heads",
        months_field="months",
    )
    form.fields.create(key="months", label="月数", kind="number", required=True, position=3)
    assert amount_compute(form, {"heads": "4", "months": "12"}) == Decimal("14400.00")
    assert amount_compute(form, {"heads": "10", "months": "12"}) == Decimal("20000.00")  # capped
    assert amount_compute(form, {"heads": "4"}) is None
    form.amount_kind, form.fees_field, form.amount_value = "fee_share", "heads", Decimal("50")
    assert amount_compute(form, {"heads": "1234.5"}) == Decimal("617.25")


def test_reviewer_changes_amount_only_with_reason_and_within_cap(
    policy, applicant, reviewer, today, django_capture_on_commit_callbacks
):
    form = policy.versions.get().application_form
    form.amount_cap = Decimal("6000")
    form.save()
    app = services.application_accept(actor=reviewer, application=submitted(policy, applicant))
    with pytest.raises(DomainError, match="理由"):
        services.application_set_amount(actor=reviewer, application=app, amount="4000", reason="")
    with pytest.raises(DomainError, match="超过封顶金额"):
        services.application_set_amount(actor=reviewer, application=app, amount="6000.01", reason="多算一点")
    with pytest.raises(DomainError, match="有效的金额"):
        services.application_set_amount(actor=reviewer, application=app, amount="五千", reason="x")
    with django_capture_on_commit_callbacks(execute=True):
        app = services.application_set_amount(
            actor=reviewer, application=app, amount="4000", reason="经营不足一年，按比例"
        )
    assert app.approved_amount == Decimal("4000.00") and app.computed_amount == Decimal("5000.00")
    assert app.amount == Decimal("4000.00")
    event = app.events.get(action="set_amount")
    assert "4000" in event.note and "按比例" in event.note
    told = Notification.objects.get(recipient=applicant, title="补贴申请核定金额调整").body
    assert "4000.00" in told and "5000.00" in told and "经营不足一年，按比例" in told


def test_yearly_amount_limit_across_applications(applicant, reviewer, reviewer2, today):
    from tests.policies.conftest import make_policy

    p = make_policy(code="monthly", title="月度补贴", rule={"all": [{"fact": "age", "op": "lte", "value": 35}]})
    make_form(p, period_kind="month", amount_value=Decimal("3000"), max_amount_per_year=Decimal("5000"))
    first = submitted(p, applicant)
    services.application_accept(actor=reviewer, application=first)
    services.application_first_approve(actor=reviewer, application=first)
    services.application_second_approve(actor=reviewer2, application=first)
    second = services.application_start(actor=applicant, policy=p, subject=applicant.person, period="2026-02")
    services.application_save(actor=applicant, application=second, raw={"project": "二月"})
    for req in second.form.materials.all():
        services.material_upload(actor=applicant, application=second, requirement=req, upload=pdf())
    with pytest.raises(DomainError, match="每年最高 5000"):
        services.application_submit(actor=applicant, application=second)


# --- extension and deadlines ---------------------------------------------------------------------


def test_one_extension_approved_by_someone_else_is_told_to_the_applicant(
    policy, applicant, reviewer, reviewer2, today, django_capture_on_commit_callbacks
):
    app = services.application_accept(actor=reviewer, application=submitted(policy, applicant))
    app = services.application_request_extension(actor=reviewer, application=app, reason="需要实地核查经营场所")
    with pytest.raises(DomainError, match="其他审核人员"):
        services.application_approve_extension(actor=reviewer, application=app)
    with django_capture_on_commit_callbacks(execute=True):
        app = services.application_approve_extension(actor=reviewer2, application=app)
    assert app.extension_days == 10
    assert app.decision_due == add_working_days(datetime.date(2026, 3, 30), 10)
    body = Notification.objects.get(recipient=applicant, title="补贴申请审核期限延长").body
    assert "实地核查" in body
    assert "实地核查" in app.events.get(action="approve_extension").public_note
    with pytest.raises(DomainError, match="只能延长一次"):
        services.application_request_extension(actor=reviewer, application=app, reason="再延")


def test_no_acceptance_decision_in_time_is_deemed_accepted(
    policy, applicant, reviewer, today, django_capture_on_commit_callbacks
):
    app = submitted(policy, applicant)
    today.set(datetime.date(2026, 3, 9))  # the last day: not yet
    assert services.applications_deem_accepted() == 0
    today.set(datetime.date(2026, 3, 10))
    assert Application.objects.filter(deadlines.overdue_q()).count() == 1
    with django_capture_on_commit_callbacks(execute=True):
        assert services.applications_deem_accepted() == 1
    app.refresh_from_db()
    assert app.deemed_accepted_on == datetime.date(2026, 3, 9) and app.status == Status.SUBMITTED
    assert app.decision_due == add_working_days(datetime.date(2026, 3, 9), 20)
    assert app.events.filter(action="deemed_accepted", public=True).exists()
    assert Notification.objects.filter(recipient=applicant, title="补贴申请视为受理").exists()
    with pytest.raises(DomainError, match="视为受理"):
        services.application_refuse(actor=reviewer, application=app, reason="晚了")
    app = services.application_accept(actor=reviewer, application=app)
    assert app.decision_due == add_working_days(datetime.date(2026, 3, 9), 20)  # counted from the deemed day
    assert services.applications_deem_accepted() == 0


def test_reviewer_reminders_and_lists(policy, applicant, reviewer, today, django_capture_on_commit_callbacks):
    from chuangfu.subsidies import selectors

    app = submitted(policy, applicant)
    today.set(datetime.date(2026, 3, 5))  # due 9 March: within two working days
    assert list(selectors.applications_for_staff(reviewer, flag="due_soon")) == [app]
    assert list(selectors.applications_for_staff(reviewer, flag="overdue")) == []
    with django_capture_on_commit_callbacks(execute=True):
        assert services.reviewers_remind() >= 1
    note = Notification.objects.get(recipient=reviewer, title="补贴申请审核提醒")
    assert "两个工作日内到期 1 件" in note.body
    today.set(datetime.date(2026, 3, 12))
    assert list(selectors.applications_for_staff(reviewer, flag="overdue")) == [app]
    assert deadlines.flag(app) == deadlines.OVERDUE


def test_sms_goes_to_the_persons_mobile_with_the_reason(
    policy, applicant, reviewer, today, django_capture_on_commit_callbacks
):
    app = services.application_accept(actor=reviewer, application=submitted(policy, applicant))
    LocmemSmsBackend.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.application_reject(actor=reviewer, application=app, reason="经营地址不在本镇")
    assert [(m, "经营地址不在本镇" in t) for m, t in LocmemSmsBackend.outbox] == [("13900002222", True)]


def test_the_morning_scan_is_a_periodic_task(policy, applicant, reviewer, today):
    from huey.contrib.djhuey import HUEY

    from chuangfu.subsidies.tasks import subsidies_deadline_scan

    assert "subsidies_deadline_scan" in {t.__name__ for t in HUEY._registry._periodic_tasks}
    submitted(policy, applicant)
    today.set(datetime.date(2026, 3, 10))  # the acceptance limit (9 March) has passed
    # deemed accepted: its decision clock runs 20 working days from 9 March, nothing to remind of yet
    assert subsidies_deadline_scan.call_local() == {"deemed_accepted": 1, "reminded": 0}
    today.set(datetime.date(2026, 4, 6))
    assert subsidies_deadline_scan.call_local() == {"deemed_accepted": 0, "reminded": 1}
