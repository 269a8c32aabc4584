"""Every write of the subsidies app, one function per use case, by stage: ``forms`` (application
forms), ``applying`` and ``reviewing`` (up to 复审), ``reminders`` (deadlines), ``notices`` (公示 and
objections) and ``disbursements`` (拨付); ``timeline`` fires an application transition for the latter two.

``application_transition`` maps a transition name and the inputs a page or the API collected to
the use case, so both call the same code with the same rules.
"""

from django.utils.translation import gettext as _

from chuangfu.core.errors import DomainError

from ..workflows import handled_message
from .applying import (
    application_resubmit,
    application_save,
    application_start,
    application_submit,
    application_withdraw,
    material_remove,
    material_upload,
)
from .disbursements import disbursement_record
from .forms import FieldSpec, MaterialSpec, amount_compute, form_save
from .notices import notice_entry_finalise
from .reminders import applications_deem_accepted, deadlines_scan, reviewers_remind
from .reviewing import (
    application_accept,
    application_approve_extension,
    application_first_approve,
    application_refuse,
    application_reject,
    application_reject_extension,
    application_request_correction,
    application_request_extension,
    application_second_approve,
    application_set_amount,
    correction_items,
)

_BY_NAME = {
    "withdraw": lambda a, u, note, i, s: application_withdraw(actor=u, application=a, reason=note),
    "resubmit": lambda a, u, note, i, s: application_resubmit(actor=u, application=a),
    "resubmit_in_review": lambda a, u, note, i, s: application_resubmit(actor=u, application=a),
    "accept": lambda a, u, note, i, s: application_accept(actor=u, application=a, note=note, seen_status=s),
    "refuse": lambda a, u, note, i, s: application_refuse(actor=u, application=a, reason=note, seen_status=s),
    "request_correction": lambda a, u, note, i, s: application_request_correction(
        actor=u, application=a, items=i.get("items") or [], note=note, seen_status=s
    ),
    "first_approve": lambda a, u, note, i, s: application_first_approve(
        actor=u, application=a, note=note, seen_status=s
    ),
    "second_approve": lambda a, u, note, i, s: application_second_approve(
        actor=u, application=a, note=note, seen_status=s
    ),
    "reject": lambda a, u, note, i, s: application_reject(actor=u, application=a, reason=note, seen_status=s),
    "set_amount": lambda a, u, note, i, s: application_set_amount(
        actor=u, application=a, amount=i.get("amount"), reason=note, seen_status=s
    ),
    "request_extension": lambda a, u, note, i, s: application_request_extension(
        actor=u, application=a, reason=note, seen_status=s
    ),
    "approve_extension": lambda a, u, note, i, s: application_approve_extension(
        actor=u, application=a, note=note, seen_status=s
    ),
    "reject_extension": lambda a, u, note, i, s: application_reject_extension(
        actor=u, application=a, note=note, seen_status=s
    ),
    "finalise": lambda a, u, note, i, s: _seen(a, s) or notice_entry_finalise(actor=u, application=a),
    "disburse": lambda a, u, note, i, s: _seen(a, s) or _disburse(a, u, i),
    "publish": lambda a, u, note, i, s: _batch_only(_("发布公示请在“公示与拨付”中生成公示批次后发布。")),
    "uphold_objection": lambda a, u, note, i, s: _batch_only(_("异议成立请在公示批次页面处理该异议时决定。")),
    "entitle": lambda a, u, note, i, s: _batch_only(_("免申即享的发放记录在名单发布公示时生成。")),
}


def _seen(application, seen_status) -> None:
    """Refuse, naming who handled it, when the page showed another status than the row has now."""
    current = type(application).objects.select_related("handled_by").get(pk=application.pk)
    if seen_status and current.status != seen_status:
        raise DomainError("already_handled", handled_message(current), status=409)


def _disburse(application, actor, inputs):
    if inputs.get("amount") is None or inputs.get("paid_on") is None:
        raise DomainError("payment_details", _("拨付需要金额、拨付日期和支付凭证号，请在拨付页面登记。"))
    return disbursement_record(
        actor=actor,
        application=application,
        amount=inputs["amount"],
        paid_on=inputs["paid_on"],
        reference=inputs.get("reference", ""),
    )


def _batch_only(message):
    raise DomainError("batch_only", message, status=409)


def application_transition(
    *, application, actor, name: str, note: str = "", inputs: dict | None = None, seen_status: str | None = None
):
    """Fire transition ``name`` with ``inputs`` (``items`` for 补正, ``amount`` for 调整金额)."""
    from ..workflows import APPLICATION

    handler = _BY_NAME.get(name)
    if handler is None:
        APPLICATION.transition(name)  # raises "unknown transition" for names not in the table
        raise DomainError("unknown_transition", name)
    return handler(application, actor, note or "", inputs or {}, seen_status or None)


__all__ = [name for name in dir() if name.startswith(("application_", "material_", "form_", "deadlines_"))] + [
    "FieldSpec",
    "MaterialSpec",
    "amount_compute",
    "correction_items",
    "applications_deem_accepted",
    "reviewers_remind",
]
