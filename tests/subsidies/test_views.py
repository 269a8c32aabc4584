"""The pages, through the test client, as the applicant and the reviewers use them."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from chuangfu.core.models import Jurisdiction, Role
from chuangfu.registry.models import Carrier, CarrierKind
from chuangfu.subsidies import services
from chuangfu.subsidies.models import Application, ApplicationForm, Status
from tests import factories as f

from .conftest import pdf, png

pytestmark = pytest.mark.django_db


def login(client, user):
    client.force_login(user)
    return client


def page(response) -> str:
    return response.content.decode()


def other_town():
    return Jurisdiction.objects.filter(level=Jurisdiction.Level.TOWN).exclude(code="310115114").first()


def test_entrepreneur_applies_through_the_pages(client, policy, applicant, today):
    login(client, applicant)
    assert "一次性创业补贴" in page(client.get(reverse("subsidies:mine")))
    response = client.post(reverse("subsidies:apply", args=[policy.pk]), {"subject": f"Person:{applicant.person.pk}"})
    app = Application.objects.get()
    assert response["Location"] == reverse("subsidies:my_detail", args=[app.pk])
    detail = page(client.get(response["Location"]))
    assert "符合全部条件" in detail and "上传“身份证复印件”" in detail

    # submitting at once lists everything missing, together
    response = client.post(reverse("subsidies:submit", args=[app.pk]), {"seen_status": "draft"}, follow=True)
    text = page(response)
    assert "填写“项目名称”" in text and "上传“身份证复印件”" in text and "上传“营业执照”" in text
    assert Application.objects.get().status == Status.DRAFT

    client.post(reverse("subsidies:save", args=[app.pk]), {"project": "社区咖啡馆"})
    bad = client.post(
        reverse("subsidies:upload", args=[app.pk, app.form.materials.first().pk]),
        {"file": SimpleUploadedFile("x.txt", b"plain text", "text/plain")},
        follow=True,
    )
    assert "类型不允许" in page(bad)
    for req in app.form.materials.all():
        client.post(reverse("subsidies:upload", args=[app.pk, req.pk]), {"file": png()})
    done = client.post(reverse("subsidies:submit", args=[app.pk]), {"seen_status": "draft"}, follow=True)
    app.refresh_from_db()
    assert app.status == Status.SUBMITTED and app.number in page(done)
    again = client.post(reverse("subsidies:submit", args=[app.pk]), {"seen_status": "draft"}, follow=True)
    assert again.status_code == 200 and Application.objects.count() == 1


def test_precheck_shown_with_a_warning_and_submit_needs_the_tick(client, applicant, today):
    from tests.policies.conftest import make_policy

    from .conftest import make_form

    p = make_policy(code="young", title="青年补贴", rule={"all": [{"fact": "age", "op": "lte", "value": 25}]})
    make_form(p)
    app = services.application_start(actor=applicant, policy=p, subject=applicant.person)
    services.application_save(actor=applicant, application=app, raw={"project": "店"})
    for req in app.form.materials.all():
        services.material_upload(actor=applicant, application=app, requirement=req, upload=pdf())
    login(client, applicant)
    detail = page(client.get(reverse("subsidies:my_detail", args=[app.pk])))
    assert "不满足" in detail and "仍然提交" in detail
    refused = page(client.post(reverse("subsidies:submit", args=[app.pk]), {"seen_status": "draft"}, follow=True))
    assert "预审发现" in refused and Application.objects.get().status == Status.DRAFT
    client.post(reverse("subsidies:submit", args=[app.pk]), {"seen_status": "draft", "acknowledge": "1"})
    assert Application.objects.get().status == Status.SUBMITTED


def test_another_applicants_application_and_files_are_not_found(client, policy, applicant, today):
    app = services.application_start(actor=applicant, policy=policy, subject=applicant.person)
    material = services.material_upload(
        actor=applicant, application=app, requirement=app.form.materials.first(), upload=pdf()
    )
    stranger = f.user(role=Role.ENTREPRENEUR)
    f.person(name="王别人", account=stranger)
    login(client, stranger)
    assert client.get(reverse("subsidies:my_detail", args=[app.pk])).status_code == 404
    assert client.get(reverse("subsidies:material", args=[app.pk, material.pk])).status_code == 404
    assert client.post(reverse("subsidies:submit", args=[app.pk])).status_code == 404
    assert client.get(reverse("subsidies:staff_detail", args=[app.pk])).status_code == 403  # staff pages
    assert client.get(reverse("subsidies:staff_queue")).status_code == 403


def test_another_towns_reviewer_gets_404(client, policy, applicant, today):
    app = services.application_start(actor=applicant, policy=policy, subject=applicant.person)
    Application.objects.filter(pk=app.pk).update(status=Status.SUBMITTED, number="BT202603020009")
    outsider = f.user(role=Role.REVIEWER, jurisdiction=other_town())
    login(client, outsider)
    assert client.get(reverse("subsidies:staff_detail", args=[app.pk])).status_code == 404
    assert client.post(reverse("subsidies:staff_act", args=[app.pk, "accept"])).status_code == 404
    assert "BT202603020009" not in page(client.get(reverse("subsidies:staff_queue")))


def test_reviewer_queue_detail_and_actions(client, policy, applicant, reviewer, reviewer2, today):
    app = services.application_start(actor=applicant, policy=policy, subject=applicant.person)
    services.application_save(actor=applicant, application=app, raw={"project": "社区咖啡馆"})
    for req in app.form.materials.all():
        services.material_upload(actor=applicant, application=app, requirement=req, upload=pdf())
    app = services.application_submit(actor=applicant, application=app)
    login(client, reviewer)
    queue = page(client.get(reverse("subsidies:staff_queue"), {"status": "submitted"}))
    assert app.number in queue
    detail = page(client.get(reverse("subsidies:staff_detail", args=[app.pk])))
    for label in ("受理", "不予受理", "退回补正"):
        assert label in detail
    assert "初审通过" not in detail
    client.post(reverse("subsidies:staff_act", args=[app.pk, "accept"]), {"seen_status": "submitted"})
    assert Application.objects.get().status == Status.ACCEPTED

    # reviewer2's page still shows 已提交: told who handled it, nothing changes
    login(client, reviewer2)
    stale = page(
        client.post(
            reverse("subsidies:staff_act", args=[app.pk, "refuse"]),
            {"seen_status": "submitted", "note": "材料不全"},
            follow=True,
        )
    )
    assert "审核甲" in stale and Application.objects.get().status == Status.ACCEPTED

    # a correction naming a material with its reason, at once
    licence = app.form.materials.get(name="营业执照")
    client.post(
        reverse("subsidies:staff_act", args=[app.pk, "request_correction"]),
        {
            "seen_status": "accepted",
            "materials": [licence.pk],
            f"material_{licence.pk}": "已过期",
            "other": "补充租赁合同",
        },
    )
    assert Application.objects.get().status == Status.CORRECTION
    login(client, applicant)
    mine = page(client.get(reverse("subsidies:my_detail", args=[app.pk])))
    assert "营业执照：已过期" in mine and "补充租赁合同" in mine and "提交补正材料" in mine


def test_over_cap_amount_is_refused_on_the_page(client, policy, applicant, reviewer, today):
    form = ApplicationForm.objects.get()
    form.amount_cap = 5000
    form.save()
    app = services.application_start(actor=applicant, policy=policy, subject=applicant.person)
    Application.objects.filter(pk=app.pk).update(status=Status.ACCEPTED, number="BT1", computed_amount=5000)
    login(client, reviewer)
    text = page(
        client.post(
            reverse("subsidies:staff_act", args=[app.pk, "set_amount"]),
            {"amount": "9000", "note": "多给", "seen_status": "accepted"},
            follow=True,
        )
    )
    assert "超过封顶金额" in text
    assert Application.objects.get().approved_amount is None


def test_desk_staff_apply_on_behalf(client, policy, applicant, today):
    desk = f.user(role=Role.DESK_STAFF)
    station = Carrier.objects.create(kind=CarrierKind.DOORSTEP_STATION, name="二村服务站", jurisdiction=f.town())
    login(client, desk)
    form_page = page(client.get(reverse("subsidies:apply", args=[policy.pk])))
    assert "二村服务站" in form_page
    missing = page(
        client.post(
            reverse("subsidies:apply", args=[policy.pk]), {"subject_code": applicant.person.id_number}, follow=True
        )
    )
    assert "家门口服务站" in missing and not Application.objects.exists()
    client.post(
        reverse("subsidies:apply", args=[policy.pk]),
        {"subject_code": applicant.person.id_number, "carrier": station.pk},
    )
    app = Application.objects.get()
    assert app.on_behalf and app.carrier == station and app.person == applicant.person


def test_form_editor_saves_and_reports_every_problem(client, today):
    from tests.policies.conftest import make_policy

    version = make_policy(code="rent", title="场地补贴").versions.get()
    editor = f.user(role=Role.DESK_STAFF)
    login(client, editor)
    url = reverse("subsidies:form_edit", args=[version.pk])
    assert "保存申请表" in page(client.get(url))
    bad = page(
        client.post(
            url,
            {
                "amount_kind": "fee_share",
                "amount_value": "150",
                "fees_field": "rent",
                "period_kind": "year",
                "field-1-key": "rent",
                "field-1-label": "已缴租金",
                "field-1-kind": "text",
                "material-1-name": "租赁合同",
            },
        )
    )
    assert "比例不能超过 100%" in bad and "数字字段" in bad and "文件类型" in bad
    assert not ApplicationForm.objects.exists()
    client.post(
        url,
        {
            "amount_kind": "fee_share",
            "amount_value": "50",
            "amount_cap": "30000",
            "fees_field": "rent",
            "period_kind": "year",
            "field-1-key": "rent",
            "field-1-label": "已缴租金",
            "field-1-kind": "number",
            "field-1-required": "1",
            "material-1-name": "租赁合同",
            "material-1-required": "1",
            "material-1-kinds": ["pdf", "image"],
        },
    )
    form = ApplicationForm.objects.get()
    assert form.fees_field == "rent" and form.materials.get().kinds == ["pdf", "image"]
    outsider = f.user(role=Role.DESK_STAFF, jurisdiction=other_town())
    login(client, outsider)
    assert client.get(url).status_code == 404


def test_forms_list_shows_policies_applied_for_here(client, policy, today):
    login(client, f.user(role=Role.DESK_STAFF))
    text = page(client.get(reverse("subsidies:forms_list")))
    assert "一次性创业补贴" in text and "已设置" in text
    login(client, f.user(role=Role.REVIEWER))
    assert client.get(reverse("subsidies:forms_list")).status_code == 403


def test_applicant_and_reviewer_pages_in_english(client, policy, applicant, reviewer, today):
    app = services.application_start(actor=applicant, policy=policy, subject=applicant.person)
    login(client, applicant)
    mine = page(client.get(reverse("subsidies:my_detail", args=[app.pk]), HTTP_ACCEPT_LANGUAGE="en"))
    for text in ("Pre-check before submitting", "Submit", "Upload “身份证复印件”", "Withdraw application"):
        assert text in mine, text
    assert "提交前预审" not in mine
    Application.objects.filter(pk=app.pk).update(status=Status.SUBMITTED, number="BT202603020001")
    login(client, reviewer)
    staff = page(client.get(reverse("subsidies:staff_detail", args=[app.pk]), HTTP_ACCEPT_LANGUAGE="en"))
    for text in ("Accept", "Not accepted", "Return for corrections", "Acceptance due"):
        assert text in staff, text


def test_home_panels_for_reviewer_and_applicant(client, policy, applicant, reviewer, today):
    app = services.application_start(actor=applicant, policy=policy, subject=applicant.person)
    Application.objects.filter(pk=app.pk).update(status=Status.SUBMITTED, number="BT202603020001", accept_due=today.day)
    login(client, reviewer)
    home = page(client.get(reverse("home")))
    assert "补贴审核" in home and "待受理" in home and "即将到期" in home
    Application.objects.filter(pk=app.pk).update(status=Status.CORRECTION)
    login(client, applicant)
    home = page(client.get(reverse("home")))
    assert "我的补贴申请" in home and "待补正" in home


def test_a_new_version_starts_from_the_previous_form(client, policy, today):
    from chuangfu.policies.models import PolicyVersion

    v2 = PolicyVersion.objects.create(
        policy=policy,
        number=2,
        effective_from=policy.versions.get().effective_from,
        summary="修订",
        rule=policy.versions.get().rule,
    )
    login(client, f.user(role=Role.DESK_STAFF))
    text = page(client.get(reverse("subsidies:form_edit", args=[v2.pk])))
    assert "取自第1版" in text and 'value="project"' in text and 'value="营业执照"' in text
    assert not ApplicationForm.objects.filter(version=v2).exists()


def test_a_policy_page_offers_to_apply_here_in_one_step_when_its_version_has_a_form(client, policy, applicant, today):
    page = client.get(reverse("policy:detail", args=[policy.pk])).content.decode()
    apply_url = reverse("subsidies:apply", args=[policy.pk])
    assert f'href="{apply_url}"' in page and "在本平台申请" in page
    client.force_login(applicant)
    assert client.get(apply_url).status_code == 200
    ApplicationForm.objects.filter(version__policy=policy).delete()
    assert apply_url not in client.get(reverse("policy:detail", args=[policy.pk])).content.decode()
