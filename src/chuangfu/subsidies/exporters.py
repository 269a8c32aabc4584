"""Subsidy lists as .xlsx (``core.exporters``): applications, a 公示 list as published, a
disbursement list for the finance department (its columns are the ones the payment import reads,
so finance fills in date and reference and sends the same sheet back), and payments made.
People's names and identifiers are masked, except on the finance list: finance pays the payee by
name."""

from django.utils.translation import gettext_lazy as _

from chuangfu.core.crypto import mask_id_number, mask_name
from chuangfu.core.exporters import Column, ListExporter


def _subject_name(application) -> str:
    return mask_name(application.person.name) if application.person_id else application.enterprise.name


def _subject_id(application) -> str:
    return mask_id_number(application.person.id_number) if application.person_id else application.enterprise.uscc


class ApplicationExporter(ListExporter):
    title = _("补贴申请")
    columns = [
        Column(_("申请编号"), "number", 18),
        Column(_("政策"), "policy.title", 28),
        Column(_("申请人"), _subject_name, 20),
        Column(_("证件号码（已脱敏）"), _subject_id, 22),
        Column(_("所属区划"), "jurisdiction.name", 12),
        Column(_("状态"), "get_status_display", 10),
        Column(_("提交日期"), "submitted_on", 12),
        Column(_("计算金额（元）"), "computed_amount", 14),
        Column(_("核定金额（元）"), "amount", 14),
        Column(_("拨付日期"), lambda a: getattr(getattr(a, "disbursement", None), "paid_on", None), 12),
    ]


class NoticeExporter(ListExporter):
    title = _("公示名单")
    columns = [
        Column(_("申请编号"), "application.number", 18),
        Column(_("申请人"), "public_name", 24),
        Column(_("政策"), "policy_title", 28),
        Column(_("金额（元）"), "amount", 12),
        Column(_("结果"), "get_outcome_display", 16),
    ]


class FinanceListExporter(ListExporter):
    """A disbursement batch for finance: the import's columns, with date and reference left blank."""

    title = _("拨付清单")
    columns = [
        Column(_("申请编号"), "application.number", 18),
        Column(_("申请人"), lambda item: item.application.subject.name, 24),
        Column(_("政策"), "application.policy.title", 28),
        Column(_("拨付金额"), "application.amount", 12),
        Column(
            _("拨付日期"), lambda item: getattr(getattr(item.application, "disbursement", None), "paid_on", None), 12
        ),
        Column(
            _("支付凭证号"), lambda item: getattr(getattr(item.application, "disbursement", None), "reference", ""), 22
        ),
    ]


class DisbursementExporter(ListExporter):
    title = _("拨付记录")
    columns = [
        Column(_("申请编号"), "application.number", 18),
        Column(_("申请人"), lambda d: _subject_name(d.application), 20),
        Column(_("政策"), "application.policy.title", 28),
        Column(_("所属区划"), "jurisdiction.name", 12),
        Column(_("拨付金额"), "amount", 12),
        Column(_("拨付日期"), "paid_on", 12),
        Column(_("支付凭证号"), "reference", 22),
        Column(_("拨付批次"), lambda d: d.batch.number if d.batch_id else "", 14),
        Column(_("来源"), "get_source_display", 12),
        Column(_("登记人"), lambda d: str(d.recorded_by) if d.recorded_by_id else "", 10),
    ]
