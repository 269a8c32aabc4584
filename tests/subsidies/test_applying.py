"""The applicant's side: start, answer, upload, pre-check, submit, withdraw."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from chuangfu.core.errors import DomainError, NotFound
from chuangfu.core.models import Notification, Role
from chuangfu.core.notifications.sms import LocmemSmsBackend
from chuangfu.policies.models import ObtainMode, OutreachCampaign, OutreachContact
from chuangfu.registry.models import Carrier, CarrierKind
from chuangfu.subsidies import selectors, services
from chuangfu.subsidies.models import Application, ApplicationMaterial, Status
from tests import factories as f

from .conftest import make_form, pdf, png

pytestmark = pytest.mark.django_db


def start(policy, applicant, **kw):
    return services.application_start(actor=applicant, policy=policy, subject=applicant.person, **kw)


def complete(app, actor):
    services.application_save(actor=actor, application=app, raw={"project": "社区咖啡馆"})
    for req in app.form.materials.all():
        services.material_upload(actor=actor, application=app, requirement=req, upload=pdf())
    return Application.objects.get(pk=app.pk)


def test_start_makes_a_draft_of_the_version_in_force(policy, applicant, today):
    app = start(policy, applicant)
    assert app.status == Status.DRAFT and app.number == ""
    assert app.version == policy.versions.get(number=1) and app.person == applicant.person
    assert app.events.filter(action="created").exists()


def test_policy_not_applied_for_here_is_refused(policy, applicant, today):
    policy.obtain_mode = ObtainMode.ELSEWHERE
    policy.save()
    with pytest.raises(DomainError, match="不在本平台申请"):
        start(policy, applicant)


def test_another_persons_record_is_not_found(policy, applicant, today):
    stranger = f.person(name="王别人")
    with pytest.raises(NotFound):
        services.application_start(actor=applicant, policy=policy, subject=stranger)
    assert not Application.objects.exists()


def test_enterprise_for_a_person_policy_is_refused(policy, applicant, today):
    enterprise = f.enterprise(account=applicant)
    with pytest.raises(DomainError, match="面向个人"):
        services.application_start(actor=applicant, policy=policy, subject=enterprise)


def test_second_open_application_names_the_first(policy, applicant, today):
    first = start(policy, applicant)
    with pytest.raises(DomainError) as exc:
        start(policy, applicant)
    assert exc.value.details["application_id"] == first.pk
    assert Application.objects.count() == 1


def test_a_new_period_is_a_new_application_but_not_the_same_period(applicant, today):
    from tests.policies.conftest import make_policy

    p = make_policy(code="rent", title="房租补贴", rule={"all": [{"fact": "age", "op": "lte", "value": 35}]})
    make_form(p, period_kind="quarter")
    a = services.application_start(actor=applicant, policy=p, subject=applicant.person)
    assert a.period == "2026Q1"
    b = services.application_start(actor=applicant, policy=p, subject=applicant.person, period="2025Q4")
    assert b.period == "2025Q4"
    with pytest.raises(DomainError, match="在办申请"):
        services.application_start(actor=applicant, policy=p, subject=applicant.person, period="2025Q4")
    with pytest.raises(DomainError, match="申请周期"):
        services.application_start(actor=applicant, policy=p, subject=applicant.person, period="1999Q1")


def test_desk_staff_apply_on_behalf_at_a_doorstep_station(policy, applicant, today):
    desk = f.user(role=Role.DESK_STAFF)
    with pytest.raises(DomainError, match="家门口服务站"):
        services.application_start(actor=desk, policy=policy, subject=applicant.person)
    station = Carrier.objects.create(kind=CarrierKind.DOORSTEP_STATION, name="一村服务站", jurisdiction=f.town())
    app = services.application_start(actor=desk, policy=policy, subject=applicant.person, carrier=station)
    assert app.on_behalf and app.carrier == station and app.created_by == desk


def test_reviewer_cannot_open_applications(policy, applicant, reviewer, today):
    with pytest.raises(DomainError):
        services.application_start(actor=reviewer, policy=policy, subject=applicant.person)


# --- answers and files -----------------------------------------------------------------------------


def test_wrong_answer_types_are_refused_and_nothing_saved(applicant, today):
    from tests.policies.conftest import make_policy

    p = make_policy(code="typed", title="类型测试", rule={"all": [{"fact": "age", "op": "lte", "value": 35}]})
    form = make_form(p)
    form.fields.create(key="since", label="开业日期", kind="date", required=False, position=3)
    form.fields.create(key="sector", label="行业", kind="choice", choices="餐饮\n零售", required=False, position=4)
    app = services.application_start(actor=applicant, policy=p, subject=applicant.person)
    with pytest.raises(DomainError) as exc:
        services.application_save(
            actor=applicant, application=app, raw={"project": "店", "heads": "三个", "since": "昨天", "sector": "制造"}
        )
    assert set(exc.value.details["errors"]) == {"heads", "since", "sector"}
    assert Application.objects.get(pk=app.pk).data == {}


@pytest.mark.parametrize(
    "upload, message",
    [
        (SimpleUploadedFile("说明.txt", "纯文本".encode(), "text/plain"), "类型不允许"),
        (SimpleUploadedFile("假.pdf", b"MZ\x90\x00" + b"\x00" * 300, "application/pdf"), "类型不允许"),
        (SimpleUploadedFile("空.png", b"", "image/png"), "是空的"),
        (SimpleUploadedFile("报表.xlsx", b"PK\x03\x04" + b"\x00" * 300, "application/vnd.ms-excel"), "类型不允许"),
    ],
)
def test_bad_files_are_refused_with_the_name(policy, applicant, today, upload, message):
    app = start(policy, applicant)
    req = app.form.materials.first()
    with pytest.raises(DomainError, match=message):
        services.material_upload(actor=applicant, application=app, requirement=req, upload=upload)
    assert not ApplicationMaterial.objects.exists()


def test_oversized_file_is_refused(policy, applicant, today):
    app = start(policy, applicant)
    big = SimpleUploadedFile("大.pdf", b"%PDF-1.4\n" + b"0" * (10 * 1024 * 1024 + 1), "application/pdf")
    with pytest.raises(DomainError, match="超过 10 MB"):
        services.material_upload(actor=applicant, application=app, requirement=app.form.materials.first(), upload=big)


def test_material_of_another_form_is_not_found(policy, applicant, today):
    from tests.policies.conftest import make_policy

    other = make_form(make_policy(code="other", title="其他"))
    app = start(policy, applicant)
    with pytest.raises(NotFound):
        services.material_upload(actor=applicant, application=app, requirement=other.materials.first(), upload=png())


def test_another_entrepreneur_cannot_edit(policy, applicant, today):
    app = start(policy, applicant)
    stranger = f.user(role=Role.ENTREPRENEUR)
    with pytest.raises(DomainError):
        services.application_save(actor=stranger, application=app, raw={"project": "x"})


# --- submitting ------------------------------------------------------------------------------------


def test_submit_lists_every_missing_item_at_once(policy, applicant, today):
    app = start(policy, applicant)
    with pytest.raises(DomainError) as exc:
        services.application_submit(actor=applicant, application=app)
    assert exc.value.details["missing"] == ["填写“项目名称”", "上传“身份证复印件”", "上传“营业执照”"]
    assert Application.objects.get(pk=app.pk).status == Status.DRAFT


def test_submit_gives_number_deadline_and_tells_the_applicant(
    policy, applicant, today, django_capture_on_commit_callbacks
):
    campaign = OutreachCampaign.objects.create(
        policy=policy, version=policy.versions.first(), jurisdiction=f.town(), title="告知", message="可申请"
    )
    contact = OutreachContact.objects.create(campaign=campaign, person=applicant.person, channel="sms")
    app = complete(start(policy, applicant), applicant)
    with django_capture_on_commit_callbacks(execute=True):
        saved = services.application_submit(actor=applicant, application=app)
    assert saved.status == Status.SUBMITTED
    assert saved.number == "BT202603020001"
    assert saved.accept_due == datetime.date(2026, 3, 9)  # 5 working days after Monday 2 March
    assert str(saved.computed_amount) == "5000.00"
    contact.refresh_from_db()
    assert contact.applied_on == today.day
    assert Notification.objects.filter(recipient=applicant, title="补贴申请已提交").exists()
    assert any(m == "13900002222" and "BT202603020001" in t for m, t in LocmemSmsBackend.outbox)
    assert saved.events.filter(action="submit", public=True).exists()


def test_double_submit_is_one_submission(policy, applicant, today):
    app = complete(start(policy, applicant), applicant)
    first = services.application_submit(actor=applicant, application=app)
    again = services.application_submit(actor=applicant, application=app)
    assert again.number == first.number
    assert app.events.filter(action="submit").count() == 1


def test_precheck_warning_lists_unmet_conditions_and_can_be_overridden(applicant, today):
    from tests.policies.conftest import make_policy

    p = make_policy(code="young", title="青年补贴", rule={"all": [{"fact": "age", "op": "lte", "value": 25}]})
    make_form(p)
    app = complete(services.application_start(actor=applicant, policy=p, subject=applicant.person), applicant)
    check = selectors.application_precheck(app)
    assert check.result == "ineligible" and len(check.open) == 1 and "30" in check.open[0].actual
    with pytest.raises(DomainError) as exc:
        services.application_submit(actor=applicant, application=app)
    assert exc.value.code == "precheck_warning" and len(exc.value.details["conditions"]) == 1
    saved = services.application_submit(actor=applicant, application=app, acknowledge_warning=True)
    assert saved.status == Status.SUBMITTED and saved.precheck_result == "ineligible"
    assert "预审提示" in saved.events.get(action="submit").note


def test_withdraw_before_acceptance(policy, applicant, reviewer, today):
    app = services.application_submit(actor=applicant, application=complete(start(policy, applicant), applicant))
    withdrawn = services.application_withdraw(actor=applicant, application=app, reason="不需要了")
    assert withdrawn.status == Status.WITHDRAWN
    again = start(policy, applicant)  # a withdrawn application does not block a new one
    assert again.pk != app.pk


def test_withdraw_after_acceptance_is_refused(policy, applicant, reviewer, today):
    app = services.application_submit(actor=applicant, application=complete(start(policy, applicant), applicant))
    services.application_accept(actor=reviewer, application=app)
    with pytest.raises(DomainError):
        services.application_withdraw(actor=applicant, application=app)


def test_limit_once_per_subject(policy, applicant, reviewer, reviewer2, today):
    form = policy.versions.get().application_form
    form.max_times = 1
    form.save()
    app = services.application_submit(actor=applicant, application=complete(start(policy, applicant), applicant))
    services.application_accept(actor=reviewer, application=app)
    services.application_first_approve(actor=reviewer, application=app)
    services.application_second_approve(actor=reviewer2, application=app)
    # 公示 and 拨付 belong to the disbursement part; the row stands for an application paid out
    Application.objects.filter(pk=app.pk).update(status=Status.DISBURSED)
    with pytest.raises(DomainError, match="最多 1 次"):
        start(policy, applicant)


def test_imported_grant_counts_against_the_limit(policy, applicant, today):
    from chuangfu.policies.models import Grant

    form = policy.versions.get().application_form
    form.max_times = 1
    form.save()
    Grant.objects.create(policy=policy, person=applicant.person, granted_on=datetime.date(2025, 5, 1), source="import")
    with pytest.raises(DomainError, match="已享受"):
        start(policy, applicant)


def test_enterprise_account_and_legal_representative_apply_for_the_enterprise(
    applicant, reviewer, today, django_capture_on_commit_callbacks
):
    from decimal import Decimal

    from tests.policies.conftest import make_policy

    p = make_policy(
        code="jobs",
        title="吸纳就业补贴",
        target="enterprise",
        rule={"all": [{"fact": "insured_employees", "op": "gte", "value": 1}]},
    )
    form = make_form(
        p,
        amount_kind="per_employee_month",
        amount_value=Decimal("300"),
        amount_cap=Decimal("10000"),
        heads_field="heads",
        months_field="months",
    )
    form.fields.create(key="months", label="月数", kind="number", required=True, position=3)
    company = f.enterprise(name="上海唐启测试科技有限公司", insured_employees=3, legal_representative=applicant.person)
    company_account = f.user(role=Role.ENTREPRENEUR)
    company.account = company_account
    company.save()
    assert company in selectors.subjects_for(applicant)  # the legal representative's own account
    assert selectors.subjects_for(company_account) == [company]
    app = services.application_start(actor=applicant, policy=p, subject=company)
    with pytest.raises(DomainError, match="在办申请"):  # the company's own account sees the same open one
        services.application_start(actor=company_account, policy=p, subject=company)
    services.application_save(
        actor=company_account, application=app, raw={"project": "扩大招工", "heads": "3", "months": "6"}
    )
    for req in app.form.materials.all():
        services.material_upload(actor=company_account, application=app, requirement=req, upload=pdf())
    LocmemSmsBackend.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        saved = services.application_submit(actor=company_account, application=app)
    assert saved.computed_amount == Decimal("5400.00")  # 300 × 3 people × 6 months
    assert saved.precheck_result == "eligible"
    assert [m for m, _t in LocmemSmsBackend.outbox] == ["13900002222"]  # the legal representative's mobile
    assert {n.recipient for n in Notification.objects.filter(title="补贴申请已提交")} == {applicant, company_account}


def test_enterprise_application_over_the_cap_is_capped(applicant, today):
    from decimal import Decimal

    from chuangfu.subsidies.services.forms import amount_compute
    from tests.policies.conftest import make_policy

    p = make_policy(code="jobs2", title="吸纳就业补贴2", target="enterprise")
    form = make_form(
        p,
        amount_kind="per_employee_month",
        amount_value=Decimal("300"),
        amount_cap=Decimal("10000"),
        heads_field="heads",
        months_field="heads",
    )
    assert amount_compute(form, {"heads": "8"}) == Decimal("10000.00")


def test_a_file_seen_by_reviewers_is_kept_when_replaced(policy, applicant, reviewer, today):
    app = complete(start(policy, applicant), applicant)
    app = services.application_submit(actor=applicant, application=app)
    licence = app.form.materials.get(name="营业执照")
    app = services.application_request_correction(
        actor=reviewer, application=app, items=services.correction_items(app, materials=[licence.pk])
    )
    old = app.materials.get(requirement=licence)
    services.material_remove(actor=applicant, application=app, material=old)
    old.refresh_from_db()
    assert old.replaced and old.file  # kept, marked replaced
    fresh = services.material_upload(actor=applicant, application=app, requirement=licence, upload=png())
    services.material_remove(actor=applicant, application=app, material=fresh)
    assert not ApplicationMaterial.objects.filter(pk=fresh.pk).exists()  # never seen: simply removed
