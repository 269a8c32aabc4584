"""Every write of the subsidies app, one function per use case, by stage: ``forms`` (application
forms), ``applying`` and ``reviewing`` (up to 复审), ``reminders`` (deadlines), ``notices`` (公示 and
objections) and ``disbursements`` (拨付); ``timeline`` fires an application transition for the latter two.

``application_transition`` maps a transition name and the inputs a page or the API collected to
the use case, so both call the same code with the same rules.
"""
from chuangfu.core.errors import DomainError

from .applying import (
    application_precheck, application_resubmit, application_save, application_start, application_submit,
    application_withdraw, material_remove, material_upload, missing_items, subjects_for,
)
from .forms import FieldSpec, MaterialSpec, amount_compute, form_save, rule_text
from .reminders import deadlines_scan, deem_accepted, remind_reviewers
from .reviewing import (
    application_accept, application_approve_extension, application_first_approve, application_refuse,
    application_reject, application_reject_extension, application_request_correction,
    application_request_extension, application_second_approve, application_set_amount, correction_items,
)

_BY_NAME = {
    "withdraw": lambda a, u, note, i, s: application_withdraw(actor=u, application=a, reason=note),
    "resubmit": lambda a, u, note, i, s: application_resubmit(actor=u, application=a),
    "resubmit_in_review": lambda a, u, note, i, s: application_resubmit(actor=u, application=a),
    "accept": lambda a, u, note, i, s: application_accept(actor=u, application=a, note=note, seen_status=s),
    "refuse": lambda a, u, note, i, s: application_refuse(actor=u, application=a, reason=note, seen_status=s),
    "request_correction": lambda a, u, note, i, s: application_request_correction(
        actor=u, application=a, items=i.get("items") or [], note=note, seen_status=s),
    "first_approve": lambda a, u, note, i, s: application_first_approve(actor=u, application=a, note=note, seen_status=s),
    "second_approve": lambda a, u, note, i, s: application_second_approve(actor=u, application=a, note=note,
                                                                          seen_status=s),
    "reject": lambda a, u, note, i, s: application_reject(actor=u, application=a, reason=note, seen_status=s),
    "set_amount": lambda a, u, note, i, s: application_set_amount(actor=u, application=a, amount=i.get("amount"),
                                                                  reason=note, seen_status=s),
    "request_extension": lambda a, u, note, i, s: application_request_extension(actor=u, application=a, reason=note,
                                                                                seen_status=s),
    "approve_extension": lambda a, u, note, i, s: application_approve_extension(actor=u, application=a, note=note,
                                                                                seen_status=s),
    "reject_extension": lambda a, u, note, i, s: application_reject_extension(actor=u, application=a, note=note,
                                                                              seen_status=s),
}


def application_transition(*, application, actor, name: str, note: str = "", inputs: dict | None = None,
                           seen_status: str | None = None):
    """Fire transition ``name`` with ``inputs`` (``items`` for 补正, ``amount`` for 调整金额)."""
    from ..workflows import APPLICATION

    handler = _BY_NAME.get(name)
    if handler is None:
        APPLICATION.transition(name)  # raises "unknown transition" for names not in the table
        raise DomainError("unknown_transition", name)
    return handler(application, actor, note or "", inputs or {}, seen_status or None)


__all__ = [name for name in dir() if name.startswith(("application_", "material_", "form_", "deadlines_"))] + [
    "FieldSpec", "MaterialSpec", "amount_compute", "correction_items", "deem_accepted", "missing_items",
    "remind_reviewers", "rule_text", "subjects_for"]
