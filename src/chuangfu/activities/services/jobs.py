"""Job postings (企业招聘): openings posted by an enterprise or by staff on its behalf,
interest registered by people, hires recorded by staff. Each hire is one job created."""

import datetime

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from chuangfu.core.audit import log_action, snapshot
from chuangfu.core.crypto import lookup_hash
from chuangfu.core.errors import DomainError
from chuangfu.registry.models import Enterprise, Person

from ..models import Activity, ActivityStatus, Hire, JobInterest, JobPosting
from ._common import clean_mobile, clean_text

POSTING_FIELDS = ["enterprise", "activity", "position", "headcount", "salary_min", "salary_max", "requirements"]


def job_posting_create(
    *,
    actor,
    enterprise: Enterprise,
    position: str,
    headcount: int,
    salary_min: int | None = None,
    salary_max: int | None = None,
    requirements: str = "",
    activity: Activity | None = None,
) -> JobPosting:
    """Post an opening for ``enterprise``, optionally at a recruitment fair ``activity``."""
    position = clean_text(position, label=_("岗位"), max_length=64)
    requirements = clean_text(requirements, label=_("任职要求"), max_length=2000, required=False)
    if not headcount or headcount < 1:
        raise DomainError("bad_headcount", _("招聘人数至少为 1 人。"))
    if headcount > 10_000:
        raise DomainError("bad_headcount", _("招聘人数不能超过 10000 人。"))
    if salary_min is not None and salary_max is not None and salary_max < salary_min:
        raise DomainError("bad_salary", _("月薪上限不能低于下限。"))
    if activity is not None:
        if not activity.type.is_recruitment:
            raise DomainError("not_a_fair", _("只能挂接到招聘类活动。"))
        if activity.status in (ActivityStatus.CANCELLED, ActivityStatus.SUMMARISED, ActivityStatus.DRAFT):
            raise DomainError(
                "fair_closed", _("该招聘会%(state)s，不能再挂接岗位。") % {"state": activity.get_status_display()}
            )
    with transaction.atomic():
        posting = JobPosting.objects.create(
            jurisdiction=activity.jurisdiction if activity else enterprise.jurisdiction,
            enterprise=enterprise,
            activity=activity,
            position=position,
            headcount=headcount,
            salary_min=salary_min,
            salary_max=salary_max,
            requirements=requirements,
            created_by=actor if getattr(actor, "is_authenticated", False) else None,
        )
        log_action(
            actor=actor,
            action="activities.job_posting.created",
            obj=posting,
            after=snapshot(posting, fields=POSTING_FIELDS),
        )
    return posting


def job_posting_close(*, posting: JobPosting, actor, now: datetime.datetime | None = None) -> JobPosting:
    with transaction.atomic():
        posting = JobPosting.objects.select_for_update().get(pk=posting.pk)
        if posting.closed_at is not None:
            raise DomainError("already_closed", _("该岗位已停止招聘。"), status=409)
        posting.closed_at = now or timezone.now()
        posting.save(update_fields=["closed_at"])
        log_action(actor=actor, action="activities.job_posting.closed", obj=posting)
    return posting


def job_interest_register(*, posting: JobPosting, name: str, mobile: str, user=None, note: str = "") -> JobInterest:
    """A person registers interest in an opening, once per mobile."""
    name = clean_text(name, label=_("姓名"), max_length=64)
    mobile = clean_mobile(mobile)
    note = clean_text(note, label=_("留言"), max_length=255, required=False)
    if not posting.is_open:
        raise DomainError("posting_closed", _("该岗位已停止招聘。"), status=409)
    with transaction.atomic():
        if JobInterest.objects.filter(posting=posting, mobile_hash=lookup_hash(mobile)).exists():
            raise DomainError("duplicate_interest", _("该手机号已登记过这个岗位，企业会与您联系。"), status=409)
        person = getattr(user, "person", None) if user is not None else None
        try:
            with transaction.atomic():
                interest = JobInterest.objects.create(
                    posting=posting, user=user, person=person, name=name, mobile=mobile, note=note
                )
        except IntegrityError:
            raise DomainError(
                "duplicate_interest", _("该手机号已登记过这个岗位，企业会与您联系。"), status=409
            ) from None
        log_action(actor=user, action="activities.job_interest.created", obj=posting, note=interest.masked_mobile)
    return interest


def hire_record(
    *,
    posting: JobPosting,
    actor,
    hired_on: datetime.date,
    interest: JobInterest | None = None,
    name: str = "",
    person: Person | None = None,
) -> Hire:
    """Staff record that someone was hired for ``posting`` (from an interest or not)."""
    if interest is not None:
        if interest.posting_id != posting.pk:
            raise DomainError("wrong_posting", _("该求职意向不属于这个岗位。"))
        name, person = interest.name, interest.person
    name = clean_text(name, label=_("录用人员姓名"), max_length=64)
    if hired_on is None:
        raise DomainError("required", _("请填写录用日期。"))
    if hired_on > timezone.localdate():
        raise DomainError("future_hire", _("录用日期不能晚于今天。"))
    with transaction.atomic():
        posting = JobPosting.objects.select_for_update().get(pk=posting.pk)
        if posting.hires.count() >= posting.headcount:
            raise DomainError(
                "headcount_reached", _("已录用 %(n)d 人，达到招聘人数。") % {"n": posting.headcount}, status=409
            )
        if interest is not None and Hire.objects.filter(interest=interest).exists():
            raise DomainError("already_hired", _("该求职者已记录为录用。"), status=409)
        hire = Hire.objects.create(
            posting=posting, interest=interest, person=person, name=name, hired_on=hired_on, recorded_by=actor
        )
        log_action(
            actor=actor,
            action="activities.hire.recorded",
            obj=posting,
            after={"hire": hire.pk, "hired_on": hired_on.isoformat()},
        )
    return hire
