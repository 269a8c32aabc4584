"""Grants: who actually received a policy's benefit. Recorded one by one (the subsidy app will
call ``grant_record`` when it disburses) or imported from a department's list (.xlsx/.csv).

A grant is unique per policy, subject and day, so importing the same list twice records nothing
new. Recording a grant marks the subject's outreach contacts for the policy as applied and
re-matches the subject (rules often say "not granted before").
"""

import datetime
from dataclasses import dataclass, field
from decimal import Decimal

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from chuangfu.core.audit import log_action
from chuangfu.core.cells import CellError, nfkc, parse_date, text
from chuangfu.core.crypto import lookup_hash
from chuangfu.core.errors import DomainError
from chuangfu.core.identifiers import validate_id_number, validate_uscc
from chuangfu.core.imports import Column, open_table
from chuangfu.core.jobs import job_handler, job_start
from chuangfu.core.scoping import visible_jurisdiction_ids
from chuangfu.registry.models import Enterprise, Person

from ..hooks import grant_imported
from ..models import Grant, OutreachContact, Policy, PolicyVersion, Target
from ..permissions import can_outreach
from .matching import rematch_subject

IMPORT_KIND = "policies.grant_import"


def _subject_column(policy: Policy) -> str:
    return "person" if policy.target == Target.PERSON else "enterprise"


def grant_record(
    *,
    actor,
    policy: Policy,
    subject,
    granted_on: datetime.date,
    source: str,
    amount: Decimal | None = None,
    months: int | None = None,
    reference: str = "",
    version: PolicyVersion | None = None,
) -> tuple[Grant, bool]:
    """Record that ``subject`` received ``policy`` on ``granted_on``; returns (grant, created).

    Idempotent per policy, subject and day. The subject must be of the policy's target kind.
    """

    column = _subject_column(policy)
    expected = Person if column == "person" else Enterprise
    if not isinstance(subject, expected):
        raise DomainError("wrong_subject", _("这项政策面向%(target)s。") % {"target": policy.get_target_display()})
    if amount is not None and amount < 0:
        raise DomainError("negative_amount", _("金额不能为负数。"))
    with transaction.atomic():
        try:
            with transaction.atomic():
                grant, created = Grant.objects.get_or_create(
                    policy=policy,
                    granted_on=granted_on,
                    **{column: subject},
                    defaults={
                        "version": version,
                        "amount": amount,
                        "months": months,
                        "source": source,
                        "reference": reference,
                        "created_by": actor if getattr(actor, "is_authenticated", False) else None,
                    },
                )
        except IntegrityError:  # the same grant recorded at the same moment by someone else
            grant, created = Grant.objects.get(policy=policy, granted_on=granted_on, **{column: subject}), False
        if created:
            OutreachContact.objects.filter(
                campaign__policy=policy, applied_on__isnull=True, **{column: subject}
            ).update(applied_on=granted_on)
            log_action(
                actor=actor,
                action="policies.grant.recorded",
                obj=grant.policy,
                jurisdiction=subject.jurisdiction_id,
                after={
                    "subject": str(subject),
                    "kind": column,
                    "granted_on": granted_on.isoformat(),
                    "amount": str(amount) if amount is not None else None,
                    "months": months,
                    "source": source,
                    "reference": reference,
                },
            )
            transaction.on_commit(lambda: rematch_subject(column, subject.pk))
    return grant, created


# --- importing a grant list -----------------------------------------------------------------------

CENT = Decimal("0.01")
MAX_AMOUNT = Decimal("1000000000000")  # the column holds 14 digits, two after the point
MAX_MONTHS = 120

PERSON_COLUMNS = [
    Column("id_number", "身份证号码", ("身份证号", "公民身份号码", "证件号码"), required=True),
    Column("name", "姓名", ("申请人", "享受人")),
    Column("granted_on", "享受日期", ("发放日期", "拨付日期", "核准日期", "日期"), required=True),
    Column("amount", "金额", ("发放金额", "补贴金额", "金额（元）", "金额(元)")),
    Column("months", "享受月数", ("月数", "补贴月数", "发放月数")),
    Column("reference", "凭证号", ("批次", "编号", "申请编号")),
]
ENTERPRISE_COLUMNS = [
    Column("uscc", "统一社会信用代码", ("信用代码", "社会信用代码"), required=True),
    Column("name", "企业名称", ("名称", "单位名称")),
    *PERSON_COLUMNS[2:],
]


@dataclass
class ImportReport:
    created: int = 0
    existing: int = 0
    rejected: list = field(default_factory=list)  # [(row number, reason)]

    def as_dict(self) -> dict:
        return {
            "created": self.created,
            "existing": self.existing,
            "rejected": [{"row": n, "reason": r} for n, r in self.rejected[:1000]],
            "rejected_count": len(self.rejected),
        }


def _amount(value) -> Decimal | None:
    raw = nfkc(value).replace(",", "").replace("元", "").strip()
    if not raw:
        return None
    try:
        amount = Decimal(raw)
    except ArithmeticError:
        raise CellError(_("金额“%(value)s”无法识别。") % {"value": value}) from None
    if amount < 0:
        raise CellError(_("金额不能为负数。"))
    if not amount.is_finite() or amount >= MAX_AMOUNT or amount != amount.quantize(CENT):
        raise CellError(_("金额“%(value)s”无效：最多两位小数，且小于一万亿元。") % {"value": raw[:20]})
    return amount


def _months(value) -> int | None:
    """The months a grant of a benefit paid by the month covered: a whole number, 1 to 120."""
    raw = nfkc(value).replace("个月", "").replace("月", "").strip()
    if not raw:
        return None
    try:
        months = Decimal(raw)
    except ArithmeticError:
        months = None
    if (
        months is None
        or not months.is_finite()
        or months != months.to_integral_value()
        or not 1 <= months <= MAX_MONTHS
    ):
        raise CellError(
            _("享受月数“%(value)s”无效：应为 1 至 %(max)d 的整数。") % {"value": raw[:20], "max": MAX_MONTHS}
        )
    return int(months)


def _find_subject(policy: Policy, cells: dict, actor):
    ids = visible_jurisdiction_ids(actor)
    if policy.target == Target.PERSON:
        try:
            number = validate_id_number(text(cells.get("id_number")))
        except Exception as exc:
            raise CellError(" ".join(getattr(exc, "messages", [str(exc)]))) from None
        subject = Person.objects.filter(id_number_hash=lookup_hash(number)).first()
        missing = _("名录中没有身份证号码为 %(value)s 的人员。")
        shown = number[:6] + "********" + number[-4:]
    else:
        try:
            code = validate_uscc(text(cells.get("uscc")))
        except Exception as exc:
            raise CellError(" ".join(getattr(exc, "messages", [str(exc)]))) from None
        subject = Enterprise.objects.filter(uscc=code).first()
        missing = _("名录中没有统一社会信用代码为 %(value)s 的企业。")
        shown = code
    if subject is None or (ids is not None and subject.jurisdiction_id not in ids):
        raise CellError(missing % {"value": shown})
    name = text(cells.get("name"))
    if name and name != subject.name:
        raise CellError(_("名称“%(given)s”与名录中的“%(actual)s”不一致。") % {"given": name, "actual": subject.name})
    return subject


def grant_import(*, actor, policy: Policy, source, reference: str = "") -> ImportReport:
    """Import a grant list for ``policy``: every row is recorded or rejected with its reason."""
    if not can_outreach(actor):
        raise DomainError("forbidden", _("您没有导入享受名单的权限。"), status=403)
    table = open_table(source, PERSON_COLUMNS if policy.target == Target.PERSON else ENTERPRISE_COLUMNS)
    report = ImportReport()
    for row in table:
        try:
            if row.error:
                raise CellError(row.error)
            subject = _find_subject(policy, row.cells, actor)
            granted_on = parse_date(row.cells.get("granted_on"))
            if granted_on is None:
                raise CellError(_("缺少享受日期。"))
            amount = _amount(row.cells.get("amount"))
            months = _months(row.cells.get("months"))
        except CellError as exc:
            report.rejected.append((row.number, str(exc)))
            continue
        try:
            grant, created = grant_record(
                actor=actor,
                policy=policy,
                subject=subject,
                granted_on=granted_on,
                amount=amount,
                months=months,
                source=Grant.Source.IMPORT,
                reference=text(row.cells.get("reference")) or reference,
            )
        except DomainError as exc:
            report.rejected.append((row.number, str(exc.message)))
            continue
        if grant.source == Grant.Source.IMPORT:  # an earlier import's too: what follows is idempotent
            grant_imported.send(sender=Grant, grant=grant, actor=actor, created=created)
        if created:
            report.created += 1
        else:
            report.existing += 1
    return report


@job_handler(IMPORT_KIND)
def run_grant_import(job, progress) -> dict:
    policy = Policy.objects.get(pk=job.params["policy_id"])
    with job.input_file.open("rb") as fh:
        report = grant_import(actor=job.created_by, policy=policy, source=fh, reference=job.params.get("reference", ""))
    job.message = _("新增 %(created)d 条，已有 %(existing)d 条，拒绝 %(rejected)d 行。") % {
        "created": report.created,
        "existing": report.existing,
        "rejected": len(report.rejected),
    }
    job.save(update_fields=["message"])
    return report.as_dict()


def grant_import_start(*, actor, policy: Policy, upload, reference: str = ""):
    if not can_outreach(actor):
        raise DomainError("forbidden", _("您没有导入享受名单的权限。"), status=403)
    return job_start(
        kind=IMPORT_KIND,
        title=_("导入享受名单：%(title)s") % {"title": policy.title},
        actor=actor,
        params={"policy_id": policy.pk, "reference": reference},
        input_file=upload,
    )
