"""Demo application forms for policies of the demo library (``policies.demo``), and one submitted
application of the demo entrepreneur, so ``make demo`` shows the subsidy pages with real data.

Idempotent: a version that already has a form keeps it; the demo application is made once.
"""

from django.core.files.uploadedfile import SimpleUploadedFile

from chuangfu.core.models import Role, User
from chuangfu.policies.models import Policy, VersionStatus

from .models import Application
from .services.forms import FieldSpec, MaterialSpec, form_save

ID_AND_LICENCE = [
    MaterialSpec("身份证", "正反面扫描件或照片", accepted_kinds="image,pdf"),
    MaterialSpec("营业执照", "副本扫描件", accepted_kinds="image,pdf"),
]

DEMO_FORMS = {
    "tz-youth-startup-launch": {
        "values": {
            "amount_kind": "fixed",
            "amount_value": "5000",
            "max_times": 1,
            "period_kind": "none",
            "instructions": "快申快享：姓名、学历和地址已按登记信息预填，核对后填写项目名称和方向，上传身份证和营业执照即可；"
            "审核通过后公示 5 个工作日。",
        },
        "fields": [
            FieldSpec("applicant", "申请人姓名", "text", required=False, prefill="person.name"),
            FieldSpec("education", "最高学历", "text", required=False, prefill="person.education"),
            FieldSpec("address", "居住地址", "text", required=False, prefill="person.address"),
            FieldSpec("project", "创业项目名称", "text"),
            FieldSpec("direction", "项目方向", "choice", choices="电子商务\n数字化转型\n科技创新\n其他"),
            FieldSpec("started_on", "开始经营日期", "date", required=False),
        ],
        "materials": ID_AND_LICENCE,
    },
    "sh-first-startup-subsidy": {
        "values": {
            "amount_kind": "fixed",
            "amount_value": "8000",
            "max_times": 1,
            "period_kind": "none",
            "instructions": "应在创业组织登记注册之日起 18 个月内申请，每人只能享受一次。",
        },
        "fields": [
            FieldSpec("organisation", "创业组织名称", "text"),
            FieldSpec("insured", "带动就业并参保人数", "number"),
            FieldSpec("insured_months", "已缴纳社会保险月数", "number"),
        ],
        "materials": [
            *ID_AND_LICENCE,
            MaterialSpec("毕业证书或就业困难人员认定证明", accepted_kinds="image,pdf"),
            MaterialSpec("社会保险缴费记录", "近 6 个月", accepted_kinds="pdf,office"),
        ],
    },
    "sh-startup-social-insurance-subsidy": {
        "values": {
            "amount_kind": "fee_share",
            "amount_value": "50",
            "fees_field": "fees_paid",
            "period_kind": "quarter",
            "max_amount_per_year": "60000",
            "instructions": "按季度申请：按最低缴费基数单位缴纳养老、医疗、失业保险费的 50% 补贴，每月最多 8 人。",
        },
        "fields": [
            FieldSpec("heads", "本季度参保员工人数（每月最多计 8 人）", "number"),
            FieldSpec("fees_paid", "本季度单位已缴三项保险费（元，按最低缴费基数）", "number"),
        ],
        "materials": [
            MaterialSpec("营业执照", accepted_kinds="image,pdf"),
            MaterialSpec("社会保险缴费明细", "本季度，由社保经办机构出具", accepted_kinds="pdf,office"),
            MaterialSpec("劳动合同", "可选", required=False, accepted_kinds="pdf,image"),
        ],
    },
    "sh-incubation-rent-subsidy": {
        "values": {
            "amount_kind": "fee_share",
            "amount_value": "100",
            "amount_cap": "10000",
            "fees_field": "rent_paid",
            "max_times": 1,
            "period_kind": "none",
        },
        "fields": [
            FieldSpec("months", "孵化月数（最长 6 个月）", "number"),
            FieldSpec("rent_paid", "已缴场地费（元）", "number"),
        ],
        "materials": [
            MaterialSpec("营业执照", accepted_kinds="image,pdf"),
            MaterialSpec("孵化协议", accepted_kinds="pdf"),
            MaterialSpec("场地费缴费凭证", accepted_kinds="image,pdf"),
        ],
    },
}

# A one-page PDF, enough for the file checks and a reader.
DEMO_PDF = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
    b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 200 100]>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"
)


def seed_forms() -> int:
    """Give the published demo versions their application forms; returns how many were created."""
    admin = (
        User.objects.filter(role=Role.ADMIN, is_superuser=True).first()
        or User.objects.filter(is_superuser=True).first()
    )
    created = 0
    for code, spec in DEMO_FORMS.items():
        policy = Policy.objects.filter(code=code).first()
        if policy is None or admin is None:
            continue
        for version in policy.versions.filter(status=VersionStatus.PUBLISHED):
            if hasattr(version, "application_form"):
                continue
            form_save(
                actor=admin, version=version, values=spec["values"], fields=spec["fields"], materials=spec["materials"]
            )
            created += 1
    return created


def seed_demo_application() -> Application | None:
    """The demo entrepreneur's submitted application for the town's 启航补贴 (once)."""
    from .services import application_save, application_start, application_submit, material_upload

    user = User.objects.filter(username="tz_entrepreneur").first()
    policy = Policy.objects.filter(code="tz-youth-startup-launch").first()
    person = getattr(user, "person", None) if user else None
    if person is None or policy is None or Application.objects.filter(person=person, policy=policy).exists():
        return None
    app = application_start(actor=user, policy=policy, subject=person)
    application_save(
        actor=user,
        application=app,
        raw={**app.data, "project": "唐启一鸣社区电商小程序", "direction": "电子商务", "started_on": "2025-03-18"},
    )
    for requirement in app.form.materials.all():
        material_upload(
            actor=user,
            application=app,
            requirement=requirement,
            upload=SimpleUploadedFile(f"{requirement.name}.pdf", DEMO_PDF, "application/pdf"),
        )
    return application_submit(actor=user, application=app, acknowledge_warning=True)


__all__ = ["DEMO_FORMS", "seed_demo_application", "seed_forms"]
