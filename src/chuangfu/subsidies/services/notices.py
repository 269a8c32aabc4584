"""公示 (public notice): batches of applications that passed second review, published on the public
site for a number of working days, objections (异议) from anyone, and the final approval.

* ``notice_batch_create`` gathers applications in 复审通过 of one town into a draft batch;
* ``notice_batch_publish`` fixes what the public sees (masked name, policy, amount), sets the
  period (``days`` working days after publication, 开始之日不计入) and fires ``publish`` on each
  application (复审通过 → 公示中);
* ``objection_submit_public`` (anyone, rate-limited per address and mobile) and
  ``objection_record`` (staff) open an objection; ``objection_resolve`` upholds it (the
  application is rejected with the reason: ``uphold_objection``) or dismisses it;
* ``notice_batch_finalise`` (a reviewer, or the daily job through ``SYSTEM``) approves, once the
  period is over, every entry without an open objection (``finalise``: 公示中 → 已核准) and closes
  the batch when every entry is decided. The batch row is locked first, so two people finalising
  at once do the work once; the second is told who did it.

People's names are shown masked (张三 → 张*); enterprise names are public registry data and are
shown in full.
"""

import datetime
from dataclasses import dataclass, field

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from chuangfu.core.audit import log_action
from chuangfu.core.crypto import lookup_hash, mask_name
from chuangfu.core.errors import DomainError
from chuangfu.core.identifiers import validate_mobile
from chuangfu.core.models import STAFF_ROLES, Jurisdiction, Role, User
from chuangfu.core.notifications import Message, send_on_commit
from chuangfu.core.workdays import add_working_days
from chuangfu.core.workflow import SYSTEM, fire

from ..models import (
    Application,
    EntryOutcome,
    NoticeBatch,
    NoticeEntry,
    NoticeStatus,
    Objection,
    ObjectionStatus,
    Status,
)
from ..workflows import APPLICATION, NOTICE_BATCH, OBJECTION
from . import notify
from ._common import lock_for_batch

DEFAULT_NOTICE_DAYS = 5
MAX_NOTICE_DAYS = 30
# Public objections: (count, seconds) per address and per mobile, like the desk's public intake.
DEFAULT_OBJECTION_LIMITS = {"ip": (10, 3600), "mobile": (3, 3600)}
CONTENT_MIN, CONTENT_MAX = 5, 1000


def notice_days() -> int:
    return int(getattr(settings, "SUBSIDY_NOTICE_DAYS", DEFAULT_NOTICE_DAYS))


def objection_limit(name: str) -> tuple[int, int]:
    return {**DEFAULT_OBJECTION_LIMITS, **getattr(settings, "SUBSIDY_OBJECTION_LIMITS", {})}[name]


def _today() -> datetime.date:
    return timezone.localdate()


def _require_reviewer(actor) -> None:
    if not (actor.is_superuser or actor.role == Role.REVIEWER):
        raise DomainError("forbidden", _("只有审核人员可以办理公示。"), status=403)


def public_name(application: Application) -> str:
    if application.person_id:
        return mask_name(application.person.name)
    return application.enterprise.name


def _town_of(applications: list[Application]) -> Jurisdiction:
    towns = {a.jurisdiction.town or a.jurisdiction for a in applications}
    if len(towns) != 1:
        raise DomainError("mixed_towns", _("一个公示批次只能包含同一个镇（街道）的申请。"))
    return towns.pop()


# --- batches ---------------------------------------------------------------------------------------


def notice_batch_create(*, actor, title: str, applications: list[Application], days: int | None = None) -> NoticeBatch:
    """A draft batch of applications in 复审通过 of one town, none of them already in a live notice."""
    _require_reviewer(actor)
    title = (title or "").strip()
    days = notice_days() if days is None else days
    if not title:
        raise DomainError("title_required", _("请填写公示标题。"))
    if not 1 <= days <= MAX_NOTICE_DAYS:
        raise DomainError("bad_days", _("公示期应为 1 至 %(max)d 个工作日。") % {"max": MAX_NOTICE_DAYS})
    if not applications:
        raise DomainError("empty_batch", _("请至少选择一份复审通过的申请。"))
    with transaction.atomic():
        chosen = lock_for_batch(
            applications,
            actor,
            status=Status.SECOND_REVIEWED,
            code="not_ready",
            refusal=_("申请 %(number)s 当前为“%(status)s”，只有复审通过的申请可以公示。"),
        )
        busy = NoticeEntry.objects.filter(
            application__in=chosen,
            outcome=EntryOutcome.PENDING,
            batch__status__in=[NoticeStatus.DRAFT, NoticeStatus.PUBLISHED],
        )
        taken = busy.select_related("application", "batch").first()
        if taken is not None:
            raise DomainError(
                "already_in_notice",
                _("申请 %(number)s 已在公示批次 %(batch)s 中。")
                % {"number": taken.application.number, "batch": taken.batch.number},
                status=409,
            )
        batch = NoticeBatch.objects.create(
            number=f"tmp-{timezone.now().timestamp()}-{actor.pk}",
            jurisdiction=_town_of(chosen),
            title=title,
            days=days,
            created_by=actor,
        )
        batch.number = f"GS{timezone.localdate():%Y}{batch.pk:05d}"
        batch.save(update_fields=["number"])
        NoticeEntry.objects.bulk_create(
            [
                NoticeEntry(
                    batch=batch,
                    application=a,
                    public_name=public_name(a),
                    policy_title=a.policy.title,
                    amount=a.amount or 0,
                )
                for a in chosen
            ]
        )
        log_action(
            actor=actor,
            action="subsidies.notice.created",
            obj=batch,
            after={"title": title, "days": days, "applications": [a.number for a in chosen]},
        )
    return batch


def notice_batch_discard(*, actor, batch: NoticeBatch) -> None:
    """Delete a draft batch (never published), freeing its applications for another batch."""
    _require_reviewer(actor)
    with transaction.atomic():
        locked = NoticeBatch.objects.select_for_update().get(pk=batch.pk)
        if locked.status != NoticeStatus.DRAFT:
            raise DomainError(
                "not_draft", _("公示 %(number)s 已发布，不能删除。") % {"number": locked.number}, status=409
            )
        numbers = list(locked.entries.values_list("application__number", flat=True))
        log_action(
            actor=actor,
            action="subsidies.notice.discarded",
            obj=locked,
            jurisdiction=locked.jurisdiction_id,
            before={"title": locked.title, "applications": numbers},
        )
        locked.delete()


def notice_batch_publish(*, actor, batch: NoticeBatch, today: datetime.date | None = None) -> NoticeBatch:
    """Publish a draft batch today for ``batch.days`` working days; each application enters 公示中.

    The period is counted as every period is (开始之日不计入): it starts on the first working day
    after publishing and ends ``days`` working days later; the notice is readable, and open to
    objections, from the moment it is published."""
    _require_reviewer(actor)
    today = today or _today()
    with transaction.atomic():
        starts_on, ends_on = add_working_days(today, 1), add_working_days(today, batch.days)
        batch = fire(
            NOTICE_BATCH,
            batch,
            "publish",
            actor=actor,
            changes={
                "starts_on": starts_on,
                "ends_on": ends_on,
                "published_by": actor,
                "published_at": timezone.now(),
            },
        )
        entries = list(
            batch.entries.select_related(
                "application__person", "application__enterprise", "application__policy", "application__created_by"
            )
        )
        for entry in entries:
            application = entry.application
            if application.amount is None:
                raise DomainError(
                    "no_amount", _("申请 %(number)s 没有核定金额，不能公示。") % {"number": application.number}
                )
            entry.public_name, entry.policy_title, entry.amount = (
                public_name(application),
                application.policy.title,
                application.amount,
            )
            entry.save(update_fields=["public_name", "policy_title", "amount"])
            period = _("%(start)s 至 %(end)s") % {"start": starts_on.isoformat(), "end": ends_on.isoformat()}
            fire(
                APPLICATION,
                application,
                "publish",
                actor=actor,
                public_note=_("公示期 %(period)s。") % {"period": period},
                after=notify.applicant_told(*notify.in_notice_message(application, period)),
            )
    return batch


# --- objections --------------------------------------------------------------------------------------


def _objection_values(name: str, mobile: str, content: str) -> tuple[str, str, str]:
    errors = {}
    name, content = (name or "").strip(), (content or "").strip()
    if not name or len(name) > 64:
        errors["name"] = _("请填写姓名（不超过 64 字）。")
    try:
        mobile = validate_mobile(mobile)
    except ValidationError as exc:
        errors["mobile"] = " ".join(exc.messages)
    if not CONTENT_MIN <= len(content) <= CONTENT_MAX:
        errors["content"] = _("请写明异议的事实和理由（%(min)d 至 %(max)d 字）。") % {
            "min": CONTENT_MIN,
            "max": CONTENT_MAX,
        }
    if errors:
        raise ValidationError(errors)
    return name, mobile, content


def _locked_open_entry(entry: NoticeEntry) -> NoticeEntry:
    locked = NoticeEntry.objects.select_for_update(of=("self",)).select_related("batch", "application").get(pk=entry.pk)
    if locked.outcome != EntryOutcome.PENDING or locked.batch.status != NoticeStatus.PUBLISHED:
        raise DomainError("notice_closed", _("这条公示已办结，不再受理异议。"), status=409)
    return locked


def objection_submit_public(
    *, entry: NoticeEntry, name: str, mobile: str, content: str, ip: str | None, today: datetime.date | None = None
) -> Objection:
    """Anyone objects to a published entry during its period. Limited per address and mobile
    (counted from the objections themselves, in the same transaction as the new one)."""
    name, mobile, content = _objection_values(name, mobile, content)
    today = today or _today()
    with transaction.atomic():
        entry = _locked_open_entry(entry)
        if today > entry.batch.ends_on:
            raise DomainError(
                "period_over",
                _("公示期已于 %(date)s 结束，不再在线受理异议；如有情况请联系镇社区事务受理服务中心。")
                % {"date": entry.batch.ends_on.isoformat()},
                status=409,
            )
        now = timezone.now()
        for key, qs in (
            ("ip", Objection.objects.filter(ip=ip) if ip else None),
            ("mobile", Objection.objects.filter(mobile_hash=lookup_hash(mobile))),
        ):
            if qs is None:
                continue
            count, seconds = objection_limit(key)
            if (
                qs.filter(
                    source=Objection.Source.PUBLIC, created_at__gte=now - datetime.timedelta(seconds=seconds)
                ).count()
                >= count
            ):
                raise DomainError("rate_limited", _("提交过于频繁，请稍后再试。"), status=429)
        objection = Objection.objects.create(
            entry=entry,
            jurisdiction=entry.batch.jurisdiction,
            source=Objection.Source.PUBLIC,
            name=name,
            mobile=mobile,
            content=content,
            ip=ip,
        )
        log_action(
            actor=None,
            action="subsidies.objection.submitted",
            obj=objection,
            after={"entry": entry.pk, "application": entry.application.number, "source": "public"},
        )
        _tell_reviewers(objection)
    return objection


def objection_record(*, actor, entry: NoticeEntry, name: str, mobile: str, content: str) -> Objection:
    """Staff record an objection received by phone, letter or at the counter (also after the period)."""
    if not (actor.is_superuser or actor.role in STAFF_ROLES):
        raise DomainError("forbidden", _("只有工作人员可以登记异议。"), status=403)
    name, mobile, content = _objection_values(name, mobile, content)
    with transaction.atomic():
        entry = _locked_open_entry(entry)
        objection = Objection.objects.create(
            entry=entry,
            jurisdiction=entry.batch.jurisdiction,
            source=Objection.Source.STAFF,
            name=name,
            mobile=mobile,
            content=content,
            recorded_by=actor,
        )
        log_action(
            actor=actor,
            action="subsidies.objection.recorded",
            obj=objection,
            after={"entry": entry.pk, "application": entry.application.number, "source": "staff"},
        )
        _tell_reviewers(objection)
    return objection


def _tell_reviewers(objection: Objection) -> None:
    entry = objection.entry
    reviewers = User.objects.filter(
        role=Role.REVIEWER, is_active=True, jurisdiction__path__in=_ancestor_paths(entry.batch.jurisdiction)
    )
    notify.to_staff(
        reviewers,
        title=_("公示收到异议"),
        link=reverse("notices:batch_detail", args=[entry.batch_id]),
        body=_("公示 %(batch)s 中的申请 %(number)s 收到异议，请在公示办结前处理。")
        % {"batch": entry.batch.number, "number": entry.application.number},
    )


def _ancestor_paths(jurisdiction: Jurisdiction) -> list[str]:
    parts = jurisdiction.path.split("/")
    return ["/".join(parts[: i + 1]) for i in range(len(parts))]


def objection_resolve(*, actor, objection: Objection, upheld: bool, resolution: str) -> Objection:
    """Decide an objection. Upheld: the entry leaves the notice and the application is rejected with
    the resolution as its reason. Dismissed: the entry stays and can be finalised."""
    resolution = (resolution or "").strip()
    with transaction.atomic():
        entry = (
            NoticeEntry.objects.select_for_update(of=("self",))
            .select_related("batch", "application")
            .get(pk=objection.entry_id)
        )
        objection = fire(
            OBJECTION,
            objection,
            "uphold" if upheld else "dismiss",
            actor=actor,
            note=resolution,
            changes={"resolution": resolution, "resolved_by": actor, "resolved_at": timezone.now()},
        )
        if upheld and entry.outcome == EntryOutcome.PENDING:
            fire(
                APPLICATION,
                entry.application,
                "uphold_objection",
                actor=actor,
                note=resolution,
                public_note=resolution,
                after=notify.applicant_told(
                    _("补贴申请未通过公示"),
                    _("您的申请 %(number)s 在公示期间收到异议，经核查异议成立，申请被驳回。理由：%(reason)s")
                    % {"number": entry.application.number, "reason": resolution},
                ),
            )
            entry.outcome, entry.decided_at = EntryOutcome.WITHDRAWN, timezone.now()
            entry.save(update_fields=["outcome", "decided_at"])
            # the other open objections to this application are answered by the same decision
            for other in entry.objections.filter(status=ObjectionStatus.OPEN).exclude(pk=objection.pk):
                fire(
                    OBJECTION,
                    other,
                    "uphold",
                    actor=actor,
                    note=resolution,
                    changes={"resolution": resolution, "resolved_by": actor, "resolved_at": timezone.now()},
                )
            _close_if_decided(entry.batch, actor)
        if objection.mobile:
            verdict = _("异议成立") if upheld else _("异议不成立")
            send_on_commit(
                Message(
                    title=_("异议处理结果"),
                    mobile=objection.mobile,
                    channels=("sms",),
                    body=_("您对公示 %(batch)s 提出的异议已处理：%(verdict)s。%(reason)s")
                    % {"batch": entry.batch.number, "verdict": verdict, "reason": resolution},
                )
            )
    return objection


# --- final approval ------------------------------------------------------------------------------------


@dataclass
class FinaliseReport:
    batch: NoticeBatch
    approved: list = field(default_factory=list)  # application numbers
    waiting: list = field(default_factory=list)  # application numbers with open objections
    closed: bool = False


def notice_batch_finalise(*, actor, batch: NoticeBatch, today: datetime.date | None = None) -> FinaliseReport:
    """After the period, approve every entry without an open objection; close the batch when all
    entries are decided. ``actor`` is a reviewer or ``SYSTEM`` (the daily job)."""
    if actor is not SYSTEM:
        _require_reviewer(actor)
    today = today or _today()
    with transaction.atomic():
        locked = _locked_batch_after_period(batch, today)
        report = FinaliseReport(batch=locked)
        open_entries = set(
            Objection.objects.filter(entry__batch=locked, status=ObjectionStatus.OPEN).values_list(
                "entry_id", flat=True
            )
        )
        pending = locked.entries.filter(outcome=EntryOutcome.PENDING).select_related(
            "application__policy", "application__person", "application__enterprise", "application__created_by"
        )
        for entry in pending:
            if entry.pk in open_entries:
                report.waiting.append(entry.application.number)
                continue
            _finalise_entry(entry, actor)
            report.approved.append(entry.application.number)
        report.closed = _close_if_decided(locked, actor)
        log_action(
            actor=actor,
            action="subsidies.notice.finalised",
            obj=locked,
            after={"approved": report.approved, "waiting": report.waiting, "closed": report.closed},
        )
    return report


def _locked_batch_after_period(batch: NoticeBatch, today: datetime.date) -> NoticeBatch:
    """The batch row, locked (so finalisations of one batch run one at a time), once its period is over."""
    locked = NoticeBatch.objects.select_for_update(of=("self",)).select_related("closed_by").get(pk=batch.pk)
    if locked.status == NoticeStatus.CLOSED:
        who = str(locked.closed_by) if locked.closed_by_id else _("系统")
        raise DomainError(
            "already_finalised",
            _("公示 %(number)s 已由 %(who)s 于 %(at)s 办结，无需再次操作。")
            % {
                "number": locked.number,
                "who": who,
                "at": timezone.localtime(locked.closed_at).strftime("%Y-%m-%d %H:%M"),
            },
            status=409,
        )
    if locked.status != NoticeStatus.PUBLISHED:
        raise DomainError("not_published", _("公示尚未发布。"), status=409)
    if today <= locked.ends_on:
        raise DomainError(
            "period_running",
            _("公示期至 %(date)s 结束，期满后才能核准。") % {"date": locked.ends_on.isoformat()},
            status=409,
        )
    return locked


def _finalise_entry(entry: NoticeEntry, actor) -> None:
    application = entry.application
    fire(
        APPLICATION,
        application,
        "finalise",
        actor=actor,
        public_note=_("公示期满无异议，核准金额 %(amount)s 元。") % {"amount": entry.amount},
        after=notify.applicant_told(*notify.approved_message(application, entry.amount)),
    )
    entry.outcome, entry.decided_at = EntryOutcome.APPROVED, timezone.now()
    entry.save(update_fields=["outcome", "decided_at"])


def notice_entry_finalise(*, actor, application: Application, today: datetime.date | None = None) -> Application:
    """Approve one application whose 公示 is over and has no open objection (the API's
    ``finalise`` transition). Takes the batch's lock like ``notice_batch_finalise``."""
    if actor is not SYSTEM:
        _require_reviewer(actor)
    today = today or _today()
    with transaction.atomic():
        entry = NoticeEntry.objects.filter(application=application).select_related("batch").order_by("-id").first()
        if entry is None:
            raise DomainError(
                "not_in_notice", _("申请 %(number)s 没有公示过。") % {"number": application.number}, status=409
            )
        batch = _locked_batch_after_period(entry.batch, today)
        entry = NoticeEntry.objects.select_related(
            "application__policy", "application__person", "application__enterprise", "application__created_by"
        ).get(pk=entry.pk)
        if entry.outcome != EntryOutcome.PENDING:
            application.refresh_from_db()
            raise DomainError(
                "already_finalised",
                _("申请 %(number)s 的公示已办结（%(outcome)s），当前状态为“%(state)s”。")
                % {
                    "number": application.number,
                    "outcome": entry.get_outcome_display(),
                    "state": application.get_status_display(),
                },
                status=409,
            )
        if entry.objections.filter(status=ObjectionStatus.OPEN).exists():
            raise DomainError(
                "open_objection",
                _("申请 %(number)s 有待处理的异议，处理后才能核准。") % {"number": application.number},
                status=409,
            )
        _finalise_entry(entry, actor)
        _close_if_decided(batch, actor)
    application.refresh_from_db()
    return application


def _close_if_decided(batch: NoticeBatch, actor) -> bool:
    if batch.status != NoticeStatus.PUBLISHED or batch.entries.filter(outcome=EntryOutcome.PENDING).exists():
        return False
    fire(
        NOTICE_BATCH,
        batch,
        "close",
        actor=actor,
        changes={
            "closed_at": timezone.now(),
            "closed_by": actor if getattr(actor, "is_authenticated", False) else None,
        },
    )
    batch.refresh_from_db()
    return True


def notices_finalise_due(today: datetime.date | None = None) -> list[FinaliseReport]:
    """The daily job: finalise every published batch whose period is over."""
    today = today or _today()
    reports = []
    for batch in NoticeBatch.objects.filter(status=NoticeStatus.PUBLISHED, ends_on__lt=today).order_by("pk"):
        try:
            reports.append(notice_batch_finalise(actor=SYSTEM, batch=batch, today=today))
        except DomainError:  # finalised by a reviewer meanwhile
            continue
    return reports
