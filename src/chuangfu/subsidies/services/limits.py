"""Per-subject limits across applications, the amount cap, and the application period.

A subject has *used* a policy once for every application that was decided in its favour
(复审通过 onward: 复审通过, 公示中, 已核准, 已拨付) and every grant recorded outside this app
(imported grant lists); a 免申即享 line waiting in a batch not yet published counts too when a
batch is built (``usage(..., waiting_lines=True)``). Three limits bound what was used:

* ``max_times`` (the form's; an automatic form copies the version's): how many times;
* ``max_amount_per_year`` (the form's): their amounts in a calendar year — an application by its
  submission date, a grant by its day, a waiting line by its cycle date — with the one checked;
* the version's ``benefit_max_months`` (最长月数): the months paid, for a benefit paid by the month —
  a 免申即享 line's cycle months, an application computed per head per month its months answer
  (a grant recorded elsewhere says no months and counts none).

``usage`` reads what a set of subjects used in one pass; ``limit_problems`` (applications) and
the entitlement build (``entitlements._lines``) both read it, so the rule is stated once.
"""

import datetime
from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from django.utils.translation import gettext as _

from chuangfu.core.errors import DomainError
from chuangfu.policies.models import Grant

from ..models import AmountKind, Application, ApplicationForm, EntitlementLine, PeriodKind, Status

USED_STATUSES = (Status.SECOND_REVIEWED, Status.IN_NOTICE, Status.APPROVED, Status.DISBURSED)
CYCLE_MONTHS = {PeriodKind.MONTH: 1, PeriodKind.QUARTER: 3, PeriodKind.YEAR: 12}
CHUNK = 500


def _subject_filter(application_or_subject) -> dict:
    from chuangfu.registry.models import Person

    subject = getattr(application_or_subject, "subject", application_or_subject)
    return {"person": subject} if isinstance(subject, Person) else {"enterprise": subject}


@dataclass
class Usage:
    times: int = 0
    amount: Decimal = Decimal(0)  # in the year asked for
    months: int = 0  # months of a benefit paid by the month


def _months_answer(data: dict, key: str) -> int | None:
    try:
        return max(int(Decimal(str((data or {}).get(key, "")).strip())), 0)
    except (InvalidOperation, ValueError):
        return None


def usage(
    *, policy, column: str, ids: list[int], year: int, exclude_pk=None, waiting_lines: bool = False
) -> dict[int, Usage]:
    """{subject id: what it used of ``policy``} for the persons or enterprises ``ids`` (``column``
    "person" or "enterprise"); subjects that used nothing are absent."""
    used: dict[int, Usage] = defaultdict(Usage)
    key = f"{column}_id"
    for start in range(0, len(ids), CHUNK):
        part = {f"{key}__in": ids[start : start + CHUNK]}
        apps = (
            Application.objects.filter(policy=policy, status__in=USED_STATUSES, **part)
            .exclude(pk=exclude_pk)
            .values_list(
                key,
                "approved_amount",
                "computed_amount",
                "submitted_on",
                "form__amount_kind",
                "form__months_field",
                "data",
                "entitlement_line__batch__cycle_kind",
                "entitlement_line__batch__cycle_on",
            )
        )
        for subject_id, approved, computed, submitted_on, kind, months_field, data, cycle, cycle_on in apps:
            u = used[subject_id]
            u.times += 1
            # an automatic grant counts in its cycle's year (December's, published in January, in December's)
            counted_on = cycle_on or submitted_on
            if counted_on is not None and counted_on.year == year:
                u.amount += (approved if approved is not None else computed) or 0
            if cycle:
                u.months += CYCLE_MONTHS.get(cycle, 0)
            elif kind == AmountKind.PER_EMPLOYEE_MONTH and months_field:
                u.months += _months_answer(data, months_field) or 0
        grants = (
            Grant.objects.filter(policy=policy, **part)
            .exclude(source=Grant.Source.SUBSIDY)
            .values_list(key, "granted_on", "amount", "months")
        )
        for subject_id, granted_on, amount, months in grants:
            u = used[subject_id]
            u.times += 1
            u.months += months or 0
            if granted_on.year == year:
                u.amount += amount or 0
        if not waiting_lines:
            continue
        lines = EntitlementLine.objects.filter(
            policy=policy, included=True, application__isnull=True, **part
        ).values_list(key, "amount", "batch__cycle_on", "batch__cycle_kind")
        for subject_id, amount, cycle_on, cycle in lines:
            u = used[subject_id]
            u.times += 1
            u.months += CYCLE_MONTHS.get(cycle, 0)
            if cycle_on.year == year:
                u.amount += amount
    return dict(used)


def _usage_of(*, policy, subject, year: int, exclude_pk=None) -> Usage:
    column, value = next(iter(_subject_filter(subject).items()))
    return usage(policy=policy, column=column, ids=[value.pk], year=year, exclude_pk=exclude_pk).get(value.pk, Usage())


def used_times(*, policy, subject, exclude_pk=None) -> int:
    return _usage_of(policy=policy, subject=subject, year=0, exclude_pk=exclude_pk).times


def used_amount(*, policy, subject, year: int, exclude_pk=None) -> Decimal:
    return _usage_of(policy=policy, subject=subject, year=year, exclude_pk=exclude_pk).amount


def times_problem(max_times: int | None, used: Usage) -> str | None:
    if max_times is not None and used.times >= max_times:
        return _("已享受本政策 %(n)d 次，达到每个对象最多 %(max)d 次。") % {"n": used.times, "max": max_times}
    return None


def year_remaining(max_amount_per_year: Decimal | None, used: Usage) -> Decimal | None:
    """What the subject may still receive this year (None: no yearly maximum)."""
    if max_amount_per_year is None:
        return None
    return max(max_amount_per_year - used.amount, Decimal(0))


def year_problem(max_amount_per_year, used: Usage, amount: Decimal, year: int) -> str | None:
    if max_amount_per_year is not None and used.amount + amount > max_amount_per_year:
        return _("%(year)d 年已享受 %(used)s 元，加上本次 %(amount)s 元将超过每年最高 %(max)s 元。") % {
            "year": year,
            "used": used.amount,
            "amount": amount,
            "max": max_amount_per_year,
        }
    return None


def months_remaining(max_months: int | None, used: Usage) -> int | None:
    """Months of the benefit the subject may still be paid (None: no 最长月数)."""
    return None if max_months is None else max(max_months - used.months, 0)


def months_problem(max_months: int | None, used: Usage, months: int | None) -> str | None:
    """``months`` None: not known yet (a draft) — refused only when every month is used."""
    if max_months is None:
        return None
    if months is None and used.months >= max_months:
        return _("已享受 %(used)d 个月，达到最长 %(max)d 个月。") % {"used": used.months, "max": max_months}
    if months is not None and used.months + months > max_months:
        return _("已享受 %(used)d 个月，加上本次 %(months)d 个月将超过最长 %(max)d 个月。") % {
            "used": used.months,
            "months": months,
            "max": max_months,
        }
    return None


def application_months(application: Application) -> int | None:
    """The months an application computed per head per month pays (None for other amount rules)."""
    form = application.form
    if form.amount_kind != AmountKind.PER_EMPLOYEE_MONTH or not form.months_field:
        return None
    return _months_answer(application.data, form.months_field)


def limit_problems(
    *,
    form: ApplicationForm,
    policy,
    subject,
    amount: Decimal | None,
    year: int,
    exclude_pk=None,
    months: int | None = None,
) -> list[str]:
    """Every per-subject limit the application would break (empty: within limits)."""
    used = _usage_of(policy=policy, subject=subject, year=year, exclude_pk=exclude_pk)
    problems = []
    if times_problem(form.max_times, used):
        problems.append(
            _("%(subject)s已享受“%(policy)s” %(n)d 次，每个对象最多 %(max)d 次。")
            % {"subject": subject, "policy": policy.title, "n": used.times, "max": form.max_times}
        )
    if amount is not None and (problem := year_problem(form.max_amount_per_year, used, amount, year)):
        problems.append(problem)
    if problem := months_problem(form.version.benefit_max_months, used, months):
        problems.append(problem)
    return problems


def check_limits(application: Application, amount: Decimal | None, *, on: datetime.date) -> None:
    problems = limit_problems(
        form=application.form,
        policy=application.policy,
        subject=application.subject,
        amount=amount,
        year=(application.submitted_on or on).year,
        exclude_pk=application.pk,
        months=application_months(application),
    )
    if problems:
        raise DomainError("limit_exceeded", "；".join(problems), details={"errors": problems})


def check_cap(form: ApplicationForm, amount: Decimal) -> None:
    if amount < 0:
        raise DomainError("invalid_amount", _("金额不能为负数。"))
    if form.amount_cap is not None and amount > form.amount_cap:
        raise DomainError(
            "over_cap", _("金额 %(amount)s 元超过封顶金额 %(cap)s 元。") % {"amount": amount, "cap": form.amount_cap}
        )


# --- periods ------------------------------------------------------------------------------------


def period_of(kind: str, day: datetime.date) -> str:
    if kind == PeriodKind.YEAR:
        return f"{day.year}"
    if kind == PeriodKind.QUARTER:
        return f"{day.year}Q{(day.month - 1) // 3 + 1}"
    if kind == PeriodKind.MONTH:
        return f"{day:%Y-%m}"
    return ""


def period_choices(kind: str, today: datetime.date, back: int = 3) -> list[str]:
    """This period and the ``back`` before it, newest first."""
    if kind == PeriodKind.NONE:
        return [""]
    found, day = [], today
    while len(found) <= back:
        p = period_of(kind, day)
        if p not in found:
            found.append(p)
        day -= datetime.timedelta(days=28)
    return found


def period_check(kind: str, period: str, today: datetime.date) -> str:
    period = (period or "").strip()
    if kind == PeriodKind.NONE:
        return ""
    if not period:
        return period_of(kind, today)
    if period not in period_choices(kind, today):
        raise DomainError(
            "invalid_period",
            _("申请周期“%(p)s”无效，可选：%(choices)s。")
            % {"p": period, "choices": "、".join(period_choices(kind, today))},
        )
    return period
