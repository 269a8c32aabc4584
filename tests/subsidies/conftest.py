import datetime
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from chuangfu.core.models import Role
from chuangfu.subsidies.models import Application, ApplicationForm, FormField, MaterialRequirement
from tests import factories as f
from tests.policies.conftest import make_policy

MONDAY = datetime.date(2026, 3, 2)  # a plain working week, far from holidays

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00\x00\x00\rIHDR" + b"\x00" * 200
PDF = b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n" + b" " * 100


def png(name="scan.png"):
    return SimpleUploadedFile(name, PNG, "image/png")


def pdf(name="licence.pdf"):
    return SimpleUploadedFile(name, PDF, "application/pdf")


def make_form(policy, **fields) -> ApplicationForm:
    """The application form of the policy's first version: two fields and two required materials."""
    version = policy.versions.get(number=1)
    fields.setdefault("amount_kind", "fixed")
    fields.setdefault("amount_value", Decimal("5000"))
    form = ApplicationForm.objects.create(version=version, **fields)
    FormField.objects.create(form=form, key="project", label="项目名称", kind="text", required=True, position=1)
    FormField.objects.create(form=form, key="heads", label="参保人数", kind="number", required=False, position=2)
    MaterialRequirement.objects.create(
        form=form, name="身份证复印件", required=True, accepted_kinds="image,pdf", position=1
    )
    MaterialRequirement.objects.create(
        form=form, name="营业执照", required=True, accepted_kinds="image,pdf", position=2
    )
    return form


@pytest.fixture
def today(monkeypatch):
    """Pin "today" (every service asks ``timezone.localdate``) to a Monday in March 2026."""
    from django.utils import timezone

    state = {"day": MONDAY}
    monkeypatch.setattr(timezone, "localdate", lambda *a, **k: state["day"])

    class Clock:
        @property
        def day(self):
            return state["day"]

        def set(self, day):
            state["day"] = day

    return Clock()


@pytest.fixture
def policy(db):
    p = make_policy(
        code="startup-grant",
        title="一次性创业补贴",
        rule={"all": [{"fact": "age", "op": "lte", "value": 35}]},
        effective_from=datetime.date(2024, 1, 1),
    )
    make_form(p)
    return p


@pytest.fixture
def applicant(db):
    """An entrepreneur account linked to a person of 唐镇 (aged 30 in 2026)."""
    account = f.user(role=Role.ENTREPRENEUR, mobile="13900001111")
    f.person(
        name="李创业", account=account, mobile="13900002222", id_number=f.id_number(birth=datetime.date(1995, 6, 1))
    )
    return account


@pytest.fixture
def reviewer(db):
    return f.user(role=Role.REVIEWER, display_name="审核甲")


@pytest.fixture
def reviewer2(db):
    return f.user(role=Role.REVIEWER, display_name="审核乙")


def draft(policy, account, **fields) -> Application:
    """A draft written straight to the table (the services are tested on their own)."""
    person = account.person
    version = policy.versions.get(number=1)
    return Application.objects.create(
        policy=policy,
        version=version,
        form=version.application_form,
        jurisdiction=person.jurisdiction,
        person=person,
        created_by=account,
        data={"project": "咖啡馆"},
        **fields,
    )
