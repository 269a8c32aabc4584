"""Per-subject limits across applications, the amount cap, and the application period.

A subject has *used* a policy once for every application that was decided in its favour
(复审通过 onward: 复审通过, 公示中, 已核准, 已拨付) and every grant recorded outside this app
(imported grant lists). ``max_times`` bounds those; ``max_amount_per_year`` bounds their amounts
in a calendar year (by submission date) together with the application being checked.
"""

import datetime
from decimal import Decimal

from django.db.models import Sum
from django.utils.translation import gettext as _

from chuangfu.core.errors import DomainError
from chuangfu.policies.models import Grant

from ..models import Application, ApplicationForm, PeriodKind, Status

USED_STATUSES = (Status.SECOND_REVIEWED, Status.IN_NOTICE, Status.APPROVED, Status.DISBURSED)


def _subject_filter(application_or_subject) -> dict:
    from chuangfu.registry.models import Person

    subject = getattr(application_or_subject, "subject", application_or_subject)
    return {"person": subject} if isinstance(subject, Person) else {"enterprise": subject}


def used_times(*, policy, subject, exclude_pk=None) -> int:
    who = _subject_filter(subject)
    apps = Application.objects.filter(policy=policy, status__in=USED_STATUSES, **who).exclude(pk=exclude_pk)
    grants = Grant.objects.filter(policy=policy, **who).exclude(source=Grant.Source.SUBSIDY)
    return apps.count() + grants.count()


def used_amount(*, policy, subject, year: int, exclude_pk=None) -> Decimal:
    who = _subject_filter(subject)
    apps = Application.objects.filter(policy=policy, status__in=USED_STATUSES, submitted_on__year=year, **who)
    total = Decimal(0)
    for app in apps.exclude(pk=exclude_pk).only("approved_amount", "computed_amount"):
        total += app.amount or 0
    grants = Grant.objects.filter(policy=policy, granted_on__year=year, **who).exclude(source=Grant.Source.SUBSIDY)
    return total + (grants.aggregate(s=Sum("amount"))["s"] or 0)


def limit_problems(
    *, form: ApplicationForm, policy, subject, amount: Decimal | None, year: int, exclude_pk=None
) -> list[str]:
    """Every per-subject limit the application would break (empty: within limits)."""
    problems = []
    if form.max_times is not None:
        n = used_times(policy=policy, subject=subject, exclude_pk=exclude_pk)
        if n >= form.max_times:
            problems.append(
                _("%(subject)s已享受“%(policy)s” %(n)d 次，每个对象最多 %(max)d 次。")
                % {"subject": subject, "policy": policy.title, "n": n, "max": form.max_times}
            )
    if form.max_amount_per_year is not None and amount is not None:
        used = used_amount(policy=policy, subject=subject, year=year, exclude_pk=exclude_pk)
        if used + amount > form.max_amount_per_year:
            problems.append(
                _("%(year)d 年已享受 %(used)s 元，加上本次 %(amount)s 元将超过每年最高 %(max)s 元。")
                % {"year": year, "used": used, "amount": amount, "max": form.max_amount_per_year}
            )
    return problems


def check_limits(application: Application, amount: Decimal | None, *, on: datetime.date) -> None:
    problems = limit_problems(
        form=application.form,
        policy=application.policy,
        subject=application.subject,
        amount=amount,
        year=(application.submitted_on or on).year,
        exclude_pk=application.pk,
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
