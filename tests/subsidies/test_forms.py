"""Staff set up a policy version's application form in a structured editor."""

import pytest

from chuangfu.core.errors import DomainError
from chuangfu.core.models import Jurisdiction, Role
from chuangfu.policies.models import ObtainMode
from chuangfu.subsidies.models import ApplicationForm
from chuangfu.subsidies.services import FieldSpec, MaterialSpec, form_save
from tests import factories as f
from tests.policies.conftest import make_policy

pytestmark = pytest.mark.django_db

VALUES = {
    "amount_kind": "per_employee_month",
    "amount_value": "300",
    "amount_cap": "20000",
    "heads_field": "heads",
    "months_field": "months",
    "max_times": "1",
    "period_kind": "year",
}
FIELDS = [
    FieldSpec("heads", "参保人数", "number"),
    FieldSpec("months", "月数", "number"),
    FieldSpec("sector", "行业", "choice", choices="餐饮\n零售"),
]
MATERIALS = [
    MaterialSpec("营业执照", accepted_kinds="image,pdf"),
    MaterialSpec("社保缴费清单", required=False, accepted_kinds="pdf,office"),
]


@pytest.fixture
def editor(db):
    return f.user(role=Role.DESK_STAFF)


@pytest.fixture
def version(db):
    return make_policy(code="jobs", title="吸纳就业补贴").versions.get()


def test_form_saved_with_fields_materials_and_rule(editor, version):
    form = form_save(actor=editor, version=version, values=VALUES, fields=FIELDS, materials=MATERIALS)
    form.refresh_from_db()
    assert [x.key for x in form.fields.all()] == ["heads", "months", "sector"]
    assert [(m.name, m.required, m.kinds) for m in form.materials.all()] == [
        ("营业执照", True, ["image", "pdf"]),
        ("社保缴费清单", False, ["pdf", "office"]),
    ]
    assert str(form.amount_cap) == "20000.00" and form.max_times == 1 and form.period_kind == "year"


def test_every_problem_is_reported_at_once_and_nothing_saved(editor, version):
    bad_fields = [
        FieldSpec("Heads!", "人数", "number"),
        FieldSpec("sector", "行业", "choice"),
        FieldSpec("sector", "行业2", "text"),
    ]
    with pytest.raises(DomainError) as exc:
        form_save(
            actor=editor,
            version=version,
            values={**VALUES, "months_field": "nope"},
            fields=bad_fields,
            materials=[MaterialSpec("执照", accepted_kinds="exe")],
        )
    errors = exc.value.details["errors"]
    assert any("Heads!" in e for e in errors)
    assert any("至少需要一个选项" in e for e in errors)
    assert any("重复" in e for e in errors)
    assert any("参保人数字段" in e for e in errors) and any("月数字段" in e for e in errors)
    assert any("文件类型" in e for e in errors)
    assert not ApplicationForm.objects.exists()


def test_share_over_100_percent_and_negative_amounts_are_refused(editor, version):
    with pytest.raises(DomainError, match="100%"):
        form_save(
            actor=editor,
            version=version,
            values={"amount_kind": "fee_share", "amount_value": "120", "fees_field": "fees", "period_kind": "none"},
            fields=[FieldSpec("fees", "已缴费用", "number")],
            materials=[],
        )
    with pytest.raises(DomainError, match="负数"):
        form_save(actor=editor, version=version, values={**VALUES, "amount_cap": "-1"}, fields=FIELDS, materials=[])


def test_policy_applied_for_elsewhere_has_no_form(editor, version):
    version.policy.obtain_mode = ObtainMode.AUTOMATIC
    version.policy.save()
    with pytest.raises(DomainError, match="不在本平台申请"):
        form_save(actor=editor, version=version, values=VALUES, fields=FIELDS, materials=MATERIALS)


def test_another_towns_policy_cannot_be_edited(version):
    other = Jurisdiction.objects.filter(level=Jurisdiction.Level.TOWN).exclude(code="310115114").first()
    outsider = f.user(role=Role.DESK_STAFF, jurisdiction=other)
    with pytest.raises(DomainError) as exc:
        form_save(actor=outsider, version=version, values=VALUES, fields=FIELDS, materials=MATERIALS)
    assert exc.value.status == 403


def test_material_with_uploads_cannot_be_removed(editor, version, today):
    from chuangfu.subsidies import services

    from .conftest import pdf

    form = form_save(
        actor=editor, version=version, values={**VALUES, "period_kind": "none"}, fields=FIELDS, materials=MATERIALS
    )
    account = f.user(role=Role.ENTREPRENEUR)
    person = f.person(account=account)
    app = services.application_start(actor=account, policy=version.policy, subject=person)
    services.material_upload(actor=account, application=app, requirement=form.materials.first(), upload=pdf())
    with pytest.raises(DomainError, match="不能删除"):
        form_save(actor=editor, version=version, values=VALUES, fields=FIELDS, materials=MATERIALS[1:])
    assert form.materials.count() == 2
