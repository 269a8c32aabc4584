"""What a check of an obligation reads, and what it concludes from it.

Each kind answers ``Finding(result, summary, evidence)`` for an obligation on a day, where the
evidence is what was read (the registry status and when it changed, the insured people counted per
month and how far the insurance extract reaches, the report and its date), so a reader of the
check can see why. A check concludes only what is certain on that day:

* **持续经营** (operating): the enterprise must not be cancelled, revoked or moved out (注销, 吊销,
  迁出) through the due date. Registry status is only the current one, so the day it changed is read
  from the registry's audit log (the change that set the status); a change after the due date does
  not breach. Active on or after the due date: met. Not active and changed on or before the due date
  (or on an unknown day): breached, even before the due date — the outcome is then certain.
* **保持参保职工人数** (insured): in each of the M whole calendar months after the month of payment,
  at least N distinct people insured by the enterprise (``registry.InsuranceMonth`` rows of its
  USCC). A month the extract already covers with fewer than N: breached. Every month covered with N
  or more: met. Otherwise undecided until the extract reaches the last month (an extract is monthly
  and late; a month it does not reach yet is not a month without insurance).
* **提交报告** (report): a report submitted here on or before the due date: met; none by the end of
  the due date: breached (from the day after).

A grant to a person is checked against the enterprise chosen when it was paid (the one the person
represents or founded); without one the registry kinds stay undecided and staff decide by hand.
"""

import datetime
from dataclasses import dataclass, field

from django.db.models import Count, Max, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from chuangfu.core.audit import history_for
from chuangfu.core.scopes import every_town
from chuangfu.registry.models import Enterprise, EnterprisePerson, InsuranceMonth, RegistrationStatus

from ..models import Obligation, ObligationCheck, ObligationKind, ObligationReport

Result = ObligationCheck.Result
# A person's enterprise may be registered in another town than the grant's.
ACROSS_TOWNS = "the beneficiary's enterprise may be registered in another town than the grant"


@dataclass
class Finding:
    result: str
    summary: str
    evidence: dict = field(default_factory=dict)


@every_town(ACROSS_TOWNS)
def enterprise_for(application) -> Enterprise | None:
    """The enterprise whose registry facts are read: the applicant enterprise, or for a person the
    active enterprise they represent or founded, latest founded first."""
    if application.enterprise_id:
        return application.enterprise
    links = EnterprisePerson.objects.filter(
        person_id=application.person_id,
        relation__in=[EnterprisePerson.Relation.LEGAL_REPRESENTATIVE, EnterprisePerson.Relation.FOUNDER],
    ).values("enterprise_id")
    candidates = Enterprise.objects.filter(Q(pk__in=links) | Q(legal_representative_id=application.person_id)).order_by(
        "-founded_on", "-id"
    )
    active = [e for e in candidates if e.registration_status == RegistrationStatus.ACTIVE]
    return (active or list(candidates) or [None])[0]


def _no_enterprise() -> Finding:
    return Finding(
        Result.UNDECIDED,
        _("名录中没有与受益人关联的企业，无法自动核查，请人工认定。"),
        {"enterprise": None},
    )


def _enterprise_read(enterprise: Enterprise) -> dict:
    return {
        "enterprise_id": enterprise.pk,
        "enterprise": enterprise.name,
        "uscc": enterprise.uscc,
        "registration_status": enterprise.registration_status,
        "registration_status_label": str(enterprise.get_registration_status_display()),
    }


def status_changed_on(enterprise: Enterprise) -> tuple[datetime.date | None, int | None]:
    """The local day the enterprise's current registration status was set, from the audit log, and
    the audit entry's id; (None, None) when the log does not say (e.g. registered with it)."""
    for entry in history_for(enterprise).filter(after__has_key="registration_status").order_by("-at", "-id"):
        if (entry.after or {}).get("registration_status") == enterprise.registration_status:
            return timezone.localdate(entry.at), entry.pk
    return None, None


def check_operating(obligation: Obligation, day: datetime.date) -> Finding:
    enterprise = obligation.enterprise
    if enterprise is None:
        return _no_enterprise()
    enterprise = Enterprise.objects.get(pk=enterprise.pk)  # the registry as it is now
    read = _enterprise_read(enterprise) | {"due_on": obligation.due_on.isoformat(), "checked_on": day.isoformat()}
    if enterprise.registration_status == RegistrationStatus.ACTIVE:
        if day >= obligation.due_on:
            return Finding(
                Result.MET,
                _("%(name)s 至 %(due)s 仍为存续（在业）。") % {"name": enterprise.name, "due": obligation.due_on},
                read,
            )
        return Finding(
            Result.UNDECIDED,
            _("%(name)s 目前存续（在业），期限 %(due)s 未到。") % {"name": enterprise.name, "due": obligation.due_on},
            read,
        )
    changed_on, entry_id = status_changed_on(enterprise)
    read |= {"status_changed_on": changed_on.isoformat() if changed_on else None, "audit_entry": entry_id}
    status = read["registration_status_label"]
    if changed_on is not None and changed_on > obligation.due_on:
        return Finding(
            Result.MET,
            _("%(name)s 于 %(day)s %(status)s，晚于期限 %(due)s，期限内持续经营。")
            % {"name": enterprise.name, "day": changed_on, "status": status, "due": obligation.due_on},
            read,
        )
    if changed_on is None:
        summary = _("%(name)s 登记状态为“%(status)s”（变更日期不详），未能持续经营至 %(due)s。") % {
            "name": enterprise.name,
            "status": status,
            "due": obligation.due_on,
        }
    else:
        summary = _("%(name)s 于 %(day)s %(status)s，早于期限 %(due)s，未能持续经营。") % {
            "name": enterprise.name,
            "day": changed_on,
            "status": status,
            "due": obligation.due_on,
        }
    return Finding(Result.BREACHED, summary, read)


def insured_counts(enterprise: Enterprise, months: list[datetime.date]) -> dict[datetime.date, int]:
    """Distinct people insured by ``enterprise`` (by its registry link or its USCC) in each month."""
    rows = (
        InsuranceMonth.objects.filter(Q(enterprise=enterprise) | Q(employer_uscc=enterprise.uscc), month__in=months)
        .values("month")
        .annotate(n=Count("person", distinct=True))
        .order_by()
    )
    found = {row["month"]: row["n"] for row in rows}
    return {m: found.get(m, 0) for m in months}


def check_insured(obligation: Obligation, day: datetime.date) -> Finding:
    enterprise = obligation.enterprise
    if enterprise is None:
        return _no_enterprise()
    months = obligation.window
    reach = InsuranceMonth.objects.aggregate(m=Max("month"))["m"]
    counts = insured_counts(enterprise, months)
    read = _enterprise_read(enterprise) | {
        "required": obligation.employees,
        "months": {f"{m:%Y-%m}": n for m, n in counts.items()},
        "extract_reaches": f"{reach:%Y-%m}" if reach else None,
    }
    covered = [m for m in months if reach is not None and m <= reach]
    short = [m for m in covered if counts[m] < obligation.employees]
    if short:
        first = short[0]
        return Finding(
            Result.BREACHED,
            _("%(name)s %(month)s 参保 %(n)d 人，少于 %(required)d 人。")
            % {
                "name": enterprise.name,
                "month": f"{first:%Y-%m}",
                "n": counts[first],
                "required": obligation.employees,
            },
            read,
        )
    if len(covered) == len(months):
        return Finding(
            Result.MET,
            _("%(name)s %(first)s 至 %(last)s 每月参保均不少于 %(required)d 人。")
            % {
                "name": enterprise.name,
                "first": f"{months[0]:%Y-%m}",
                "last": f"{months[-1]:%Y-%m}",
                "required": obligation.employees,
            },
            read,
        )
    return Finding(
        Result.UNDECIDED,
        _("社保数据截至 %(reach)s，尚缺 %(missing)s 的数据，待导入后再核查。")
        % {
            "reach": read["extract_reaches"] or _("（无数据）"),
            "missing": "、".join(f"{m:%Y-%m}" for m in months if m not in covered),
        },
        read,
    )


def check_report(obligation: Obligation, day: datetime.date) -> Finding:
    report = ObligationReport.objects.filter(obligation=obligation).first()
    read = {"due_on": obligation.due_on.isoformat(), "checked_on": day.isoformat()}
    if report is not None:
        read |= {"report_id": report.pk, "submitted_on": report.submitted_on.isoformat()}
        if report.submitted_on <= obligation.due_on:
            return Finding(Result.MET, _("已于 %(day)s 提交报告。") % {"day": report.submitted_on}, read)
        return Finding(
            Result.BREACHED,
            _("报告于 %(day)s 提交，晚于期限 %(due)s。") % {"day": report.submitted_on, "due": obligation.due_on},
            read,
        )
    if day > obligation.due_on:
        return Finding(Result.BREACHED, _("期限 %(due)s 前未提交报告。") % {"due": obligation.due_on}, read)
    return Finding(Result.UNDECIDED, _("尚未提交报告，期限 %(due)s。") % {"due": obligation.due_on}, read)


CHECKS = {
    ObligationKind.OPERATING: check_operating,
    ObligationKind.INSURED: check_insured,
    ObligationKind.REPORT: check_report,
}


def evaluate(obligation: Obligation, day: datetime.date) -> Finding:
    with every_town(ACROSS_TOWNS):
        return CHECKS[obligation.kind](obligation, day)
