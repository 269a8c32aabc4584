"""快申快享: a form of a quick policy names, per field, a registry source; a draft starts filled from
the subject's record, the page says what came from where and what the applicant changed, and the
application then goes through the normal review."""

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse

from chuangfu.core.errors import DomainError
from chuangfu.core.models import AuditEntry, Role
from chuangfu.policies.models import ObtainMode
from chuangfu.subsidies import services
from chuangfu.subsidies.models import ApplicationForm, FormField, Status
from chuangfu.subsidies.services import FieldSpec, form_save
from tests import factories as f
from tests.policies.conftest import make_policy

pytestmark = pytest.mark.django_db


@pytest.fixture
def quick(db):
    policy = make_policy(
        code="quick-jobs",
        title="吸纳就业快申快享补贴",
        target="enterprise",
        obtain_mode=ObtainMode.QUICK,
        rule={"all": [{"fact": "insured_employees", "op": "gte", "value": 1}]},
    )
    form = ApplicationForm.objects.create(
        version=policy.versions.get(),
        amount_kind="per_employee_month",
        amount_value=Decimal("200"),
        heads_field="heads",
        months_field="months",
    )
    for n, (key, label, kind, source) in enumerate(
        [
            ("company", "企业名称", "text", "enterprise.name"),
            ("founded", "成立日期", "date", "enterprise.founded_on"),
            ("heads", "参保人数", "number", "enterprise.insured_employees"),
            ("months", "申请月数", "number", ""),
            ("scope", "经营范围说明", "text", "enterprise.address"),
        ],
        1,
    ):
        FormField.objects.create(form=form, key=key, label=label, kind=kind, prefill=source, position=n)
    return policy


@pytest.fixture
def owner(db):
    account = f.user(role=Role.ENTREPRENEUR, mobile="13900007777")
    f.enterprise(
        name="上海快申科技有限公司",
        account=account,
        founded_on=datetime.date(2023, 5, 6),
        insured_employees=4,
        address="",
    )
    return account


def test_a_quick_draft_starts_filled_from_the_registry(quick, owner, today):
    application = services.application_start(actor=owner, policy=quick, subject=owner.enterprise)
    assert application.data == {"company": "上海快申科技有限公司", "founded": "2023-05-06", "heads": "4"}
    assert application.computed_amount is None  # 申请月数 is the applicant's to give
    assert "已按登记信息预填 3 项" in application.events.get(action="created").note
    entry = AuditEntry.objects.get(action="subsidies.application.created", object_id=str(application.pk))
    assert entry.after["prefilled"] == ["company", "founded", "heads"]


def test_the_page_shows_what_came_from_where_and_what_was_corrected(client, quick, owner, today):
    application = services.application_start(actor=owner, policy=quick, subject=owner.enterprise)
    client.force_login(owner)
    page = client.get(reverse("subsidies:my_detail", args=[application.pk])).content.decode()
    assert 'id="quick-note"' in page
    assert "来自登记信息" in page and "企业登记信息（参保人数）" in page
    assert "企业登记信息中没有“住所”，请填写。" in page  # the record has no address
    services.application_save(
        actor=owner,
        application=application,
        raw={**application.data, "heads": "3", "months": "6", "scope": "软件开发"},
    )
    application.refresh_from_db()
    assert application.computed_amount == Decimal("3600.00")
    page = client.get(reverse("subsidies:my_detail", args=[application.pk])).content.decode()
    assert "已修改" in page and "企业登记信息（参保人数）中为“4”" in page


def test_a_confirmed_quick_application_goes_to_the_normal_review(quick, owner, today):
    application = services.application_start(actor=owner, policy=quick, subject=owner.enterprise)
    services.application_save(
        actor=owner, application=application, raw={**application.data, "months": "6", "scope": "x"}
    )
    submitted = services.application_submit(actor=owner, application=application, acknowledge_warning=True)
    assert submitted.status == Status.SUBMITTED and submitted.number.startswith("BT")


def test_an_apply_here_policy_is_not_prefilled(quick, owner, today):
    quick.obtain_mode = ObtainMode.APPLY_HERE
    quick.save(update_fields=["obtain_mode"])
    application = services.application_start(actor=owner, policy=quick, subject=owner.enterprise)
    assert application.data == {}


def test_a_prefill_source_must_fit_the_policy_and_the_field(quick):
    editor = f.user(role=Role.DESK_STAFF)
    values = {"amount_kind": "fixed", "amount_value": "1000", "period_kind": "none"}
    with pytest.raises(DomainError) as refused:
        form_save(
            actor=editor,
            version=quick.versions.get(),
            values=values,
            fields=[
                FieldSpec("who", "姓名", "text", prefill="person.name"),
                FieldSpec("founded", "成立日期", "number", prefill="enterprise.founded_on"),
            ],
            materials=[],
        )
    errors = refused.value.details["errors"]
    assert any("不适用于本政策的申请对象" in e for e in errors)
    assert any("不能预填到这种类型的字段" in e for e in errors)
    saved = form_save(
        actor=editor,
        version=quick.versions.get(),
        values=values,
        fields=[FieldSpec("founded", "成立日期", "date", prefill="enterprise.founded_on")],
        materials=[],
    )
    assert saved.fields.get().prefill == "enterprise.founded_on"


def test_the_editor_offers_the_sources_for_a_quick_policy_only(client, quick):
    editor = f.user(role=Role.DESK_STAFF)
    client.force_login(editor)
    url = reverse("subsidies:form_edit", args=[quick.versions.get().pk])
    assert "enterprise.insured_employees" in client.get(url).content.decode()
    response = client.post(
        url,
        {
            "amount_kind": "fixed",
            "amount_value": "1000",
            "period_kind": "none",
            "field-1-key": "company",
            "field-1-label": "企业名称",
            "field-1-kind": "text",
            "field-1-required": "1",
            "field-1-prefill": "enterprise.name",
            "material-1-name": "营业执照",
            "material-1-kinds": "pdf",
        },
    )
    assert response.status_code == 302
    assert FormField.objects.get(form__version=quick.versions.get()).prefill == "enterprise.name"
    quick.obtain_mode = ObtainMode.APPLY_HERE
    quick.save(update_fields=["obtain_mode"])
    assert "enterprise.insured_employees" not in client.get(url).content.decode()
