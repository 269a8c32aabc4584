"""拨付 (disbursement): batches of approved applications for the finance department, payments
entered one by one or imported from finance's .xlsx, each application paid at most once.

``disbursement_record`` is the one way to pay: in one transaction it locks the application row
(``select_for_update``; on SQLite the IMMEDIATE transaction already holds the write lock), checks it
is 已核准 and unpaid and that the amount is the approved one, inserts the ``Disbursement`` (unique
per application: a second insert fails in the database even if every check above were bypassed),
fires ``disburse`` (已核准 → 已拨付) and records the grant in the policy library
(``grant_record``, source 补贴审批), which moves the policy's implementation rate, and gives the
application the obligations its version's terms name (``obligations.obligations_instantiate``).

``disbursement_import`` reads finance's sheet and pays row by row, each row in its own
transaction: rows naming unknown numbers (or another town's), applications already paid (by an
earlier import, an earlier row, or someone else at the same moment), not yet approved, or with
another amount are reported with the reason and change nothing; the other rows are paid.
"""

import datetime
import decimal
from dataclasses import dataclass, field
from decimal import Decimal

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from chuangfu.core.audit import log_action
from chuangfu.core.cells import CellError, nfkc, parse_date, text
from chuangfu.core.errors import DomainError
from chuangfu.core.imports import Column, open_table
from chuangfu.core.jobs import job_handler, job_start
from chuangfu.core.models import Role
from chuangfu.core.scoping import visible_jurisdiction_ids
from chuangfu.core.workflow import fire
from chuangfu.policies.models import Grant
from chuangfu.policies.services.grants import grant_record

from ..models import Application, Disbursement, DisbursementBatch, DisbursementItem, Status
from ..workflows import APPLICATION
from . import notify
from ._common import lock_for_batch
from .notices import _town_of
from .obligations import obligations_instantiate

IMPORT_KIND = "subsidies.disbursement_import"
MAX_IMPORT_BYTES = 5 * 1024 * 1024
MAX_IMPORT_ROWS = 5000


def can_disburse(actor) -> bool:
    return bool(actor and actor.is_authenticated and (actor.is_superuser or actor.role == Role.REVIEWER))


def _require_payer(actor) -> None:
    if not can_disburse(actor):
        raise DomainError("forbidden", _("只有审核人员可以办理拨付。"), status=403)


# --- batches -----------------------------------------------------------------------------------------


def disbursement_batch_create(*, actor, title: str, applications: list[Application]) -> DisbursementBatch:
    """A list of approved, unpaid applications of one town for the finance department."""
    _require_payer(actor)
    title = (title or "").strip()
    if not title:
        raise DomainError("title_required", _("请填写拨付批次标题。"))
    if not applications:
        raise DomainError("empty_batch", _("请至少选择一份已核准的申请。"))
    with transaction.atomic():
        chosen = lock_for_batch(
            applications,
            actor,
            status=Status.APPROVED,
            code="not_approved",
            refusal=_("申请 %(number)s 当前为“%(status)s”，只有已核准的申请可以列入拨付批次。"),
        )
        taken = DisbursementItem.objects.filter(application__in=chosen).select_related("application", "batch").first()
        if taken is not None:
            raise DomainError(
                "already_batched",
                _("申请 %(number)s 已在拨付批次 %(batch)s 中。")
                % {"number": taken.application.number, "batch": taken.batch.number},
                status=409,
            )
        batch = DisbursementBatch.objects.create(
            number=f"tmp-{timezone.now().timestamp()}-{actor.pk}",
            jurisdiction=_town_of(chosen),
            title=title,
            created_by=actor,
        )
        batch.number = f"BF{timezone.localdate():%Y}{batch.pk:05d}"
        batch.save(update_fields=["number"])
        DisbursementItem.objects.bulk_create([DisbursementItem(batch=batch, application=a) for a in chosen])
        log_action(
            actor=actor,
            action="subsidies.disbursement_batch.created",
            obj=batch,
            after={"title": title, "applications": [a.number for a in chosen]},
        )
    return batch


# --- paying ------------------------------------------------------------------------------------------


def _already_paid(existing: Disbursement) -> DomainError:
    return DomainError(
        "already_paid",
        _("申请 %(number)s 已于 %(date)s 拨付 %(amount)s 元（支付凭证号 %(reference)s），不能重复拨付。")
        % {
            "number": existing.application.number,
            "date": existing.paid_on.isoformat(),
            "amount": existing.amount,
            "reference": existing.reference,
        },
        status=409,
    )


def disbursement_record(
    *,
    actor,
    application: Application,
    amount: Decimal,
    paid_on: datetime.date,
    reference: str,
    source: str = Disbursement.Source.MANUAL,
    job=None,
) -> Disbursement:
    """Pay ``application`` once (see the module docstring for the locks and checks)."""
    _require_payer(actor)
    reference = (reference or "").strip()
    if not reference or len(reference) > 64:
        raise DomainError("reference_required", _("请填写支付凭证号（不超过 64 个字符）。"))
    if amount is None or amount <= 0:
        raise DomainError("bad_amount", _("拨付金额应大于 0。"))
    if paid_on is None or paid_on > timezone.localdate():
        raise DomainError("bad_date", _("拨付日期不能晚于今天。"))
    with transaction.atomic():
        locked = (
            Application.objects.select_for_update(of=("self",))
            .select_related("policy", "version", "person", "enterprise")
            .get(pk=application.pk)
        )
        existing = Disbursement.objects.filter(application=locked).select_related("application").first()
        if existing is not None:
            raise _already_paid(existing)
        if locked.status != Status.APPROVED:
            raise DomainError(
                "not_approved",
                _("申请 %(number)s 当前为“%(status)s”，公示期满核准后才能拨付。")
                % {"number": locked.number, "status": locked.get_status_display()},
                status=409,
            )
        if amount != locked.amount:
            raise DomainError(
                "amount_mismatch",
                _("拨付金额 %(amount)s 元与核准金额 %(approved)s 元不一致。")
                % {"amount": amount, "approved": locked.amount},
            )
        batch_id = DisbursementItem.objects.filter(application=locked).values_list("batch_id", flat=True).first()
        try:
            with transaction.atomic():
                disbursement = Disbursement.objects.create(
                    application=locked,
                    batch_id=batch_id,
                    jurisdiction_id=locked.jurisdiction_id,
                    amount=amount,
                    paid_on=paid_on,
                    reference=reference,
                    source=source,
                    job=job,
                    recorded_by=actor,
                )
        except IntegrityError:  # paid by someone else between our check and our insert
            raise _already_paid(Disbursement.objects.select_related("application").get(application=locked)) from None
        fire(
            APPLICATION,
            locked,
            "disburse",
            actor=actor,
            note=_("凭证号 %(reference)s") % {"reference": reference},
            public_note=_("已于 %(date)s 拨付 %(amount)s 元。") % {"date": paid_on.isoformat(), "amount": amount},
            after=notify.applicant_told(*notify.paid_message(locked, amount, paid_on)),
        )
        grant_record(
            actor=actor,
            policy=locked.policy,
            subject=locked.subject,
            granted_on=paid_on,
            amount=amount,
            source=Grant.Source.SUBSIDY,
            reference=locked.number,
            version=locked.version,
        )
        obligations_instantiate(actor=actor, application=locked, paid_on=paid_on)
        log_action(
            actor=actor,
            action="subsidies.disbursement.recorded",
            obj=disbursement,
            after={
                "application": locked.number,
                "amount": str(amount),
                "paid_on": paid_on.isoformat(),
                "reference": reference,
                "source": source,
            },
        )
    return disbursement


# --- importing finance's sheet -------------------------------------------------------------------

COLUMNS = [
    Column("number", "申请编号", ("补贴申请编号", "业务编号", "申请单号"), required=True),
    Column("name", "申请人", ("收款人", "户名", "收款户名", "单位名称", "姓名")),
    Column("amount", "拨付金额", ("金额", "实付金额", "支付金额", "拨付金额（元）", "金额（元）"), required=True),
    Column("paid_on", "拨付日期", ("支付日期", "付款日期", "日期"), required=True),
    Column("reference", "支付凭证号", ("凭证号", "交易流水号", "流水号", "支付流水号"), required=True),
]


@dataclass
class ImportReport:
    paid: list = field(default_factory=list)  # [{"row", "number", "amount"}]
    rejected: list = field(default_factory=list)  # [{"row", "number", "code", "reason"}]

    def as_dict(self) -> dict:
        return {
            "paid": self.paid,
            "rejected": self.rejected,
            "paid_count": len(self.paid),
            "rejected_count": len(self.rejected),
        }


def parse_yuan(value) -> Decimal:
    """An amount in 元 as finance writes it: 8000, "8,000.00", "8000元", "￥8,000"."""
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        amount = Decimal(str(value))
    else:
        raw = nfkc(value).replace(",", "").replace("元", "").replace("¥", "").replace("￥", "").strip()
        if not raw:
            raise CellError(_("缺少拨付金额。"))
        try:
            amount = Decimal(raw)
        except decimal.InvalidOperation:
            raise CellError(_("金额“%(value)s”无法识别。") % {"value": raw}) from None
    if amount <= 0:
        raise CellError(_("金额应大于 0。"))
    if amount != amount.quantize(Decimal("0.01")):
        raise CellError(_("金额“%(value)s”最多两位小数。") % {"value": text(value)})
    return amount.quantize(Decimal("0.01"))


def _row_values(cells: dict, visible: list[int] | None):
    number = text(cells.get("number")).upper()
    if not number:
        raise CellError(_("缺少申请编号。"))
    application = Application.objects.filter(number=number).select_related("person", "enterprise").first()
    if application is None or (visible is not None and application.jurisdiction_id not in visible):
        raise CellError(_("申请编号 %(number)s 不存在。") % {"number": number})
    name = text(cells.get("name"))
    if name and name != application.subject.name:
        raise CellError(_("收款人“%(given)s”与申请人不一致。") % {"given": name})
    amount = parse_yuan(cells.get("amount"))
    paid_on = parse_date(cells.get("paid_on"))
    if paid_on is None:
        raise CellError(_("缺少拨付日期。"))
    reference = text(cells.get("reference"))
    if not reference:
        raise CellError(_("缺少支付凭证号。"))
    return application, amount, paid_on, reference


def disbursement_import(*, actor, source, job=None, progress=None) -> ImportReport:
    """Pay every row of finance's sheet that can be paid; report every other row with its reason."""
    _require_payer(actor)
    table = open_table(source, COLUMNS, max_bytes=MAX_IMPORT_BYTES)
    visible = visible_jurisdiction_ids(actor)
    report = ImportReport()
    for index, row in enumerate(table, start=1):
        if index > MAX_IMPORT_ROWS:
            report.rejected.append(
                {
                    "row": row.number,
                    "number": "",
                    "code": "too_many_rows",
                    "reason": _("超过 %(n)d 行，其余行未处理，请拆分文件。") % {"n": MAX_IMPORT_ROWS},
                }
            )
            break
        number = text(row.cells.get("number")).upper()
        try:
            if row.error:
                raise CellError(row.error)
            application, amount, paid_on, reference = _row_values(row.cells, visible)
            disbursement_record(
                actor=actor,
                application=application,
                amount=amount,
                paid_on=paid_on,
                reference=reference,
                source=Disbursement.Source.IMPORT,
                job=job,
            )
        except CellError as exc:
            report.rejected.append({"row": row.number, "number": number, "code": "invalid", "reason": str(exc)})
        except DomainError as exc:
            report.rejected.append({"row": row.number, "number": number, "code": exc.code, "reason": str(exc.message)})
        else:
            report.paid.append({"row": row.number, "number": number, "amount": str(amount)})
        if progress is not None and index % 50 == 0:
            progress(index)
    log_action(
        actor=actor,
        action="subsidies.disbursement.imported",
        obj=job,
        jurisdiction=getattr(actor, "jurisdiction_id", None),
        after={"paid": len(report.paid), "rejected": len(report.rejected)},
    )
    return report


def disbursement_import_start(*, actor, upload):
    """Check the file (type, size, header) now, so a wrong file is refused at once; pay on the queue."""
    _require_payer(actor)
    table = open_table(upload, COLUMNS, max_bytes=MAX_IMPORT_BYTES)
    if hasattr(upload, "seek"):
        upload.seek(0)
    return job_start(
        kind=IMPORT_KIND,
        title=_("导入拨付结果"),
        actor=actor,
        input_file=upload,
        params={"estimated_rows": table.estimated_rows},
        jurisdiction=actor.jurisdiction,
    )


@job_handler(IMPORT_KIND)
def run_disbursement_import(job, progress) -> dict:
    progress(0, job.params.get("estimated_rows") or None)
    with job.input_file.open("rb") as fh:
        report = disbursement_import(actor=job.created_by, source=fh, job=job, progress=progress)
    job.message = _("拨付 %(paid)d 笔，未处理 %(rejected)d 行。") % {
        "paid": len(report.paid),
        "rejected": len(report.rejected),
    }
    job.save(update_fields=["message"])
    return report.as_dict()
