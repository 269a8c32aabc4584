"""Competitions (路演/创业大赛): entries with their nomination channel, scoring criteria,
judges assigned per entry, blind scoring until staff close it, ranking, and nominees for the
district competition.

Blind: until scoring closes a judge sees only their own scores, and staff see only how many
judges have submitted; the competition selectors in ``selectors`` enforce the same on every read.
"""

import datetime
import decimal

import filetype
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from chuangfu.core.audit import log_action
from chuangfu.core.errors import DomainError
from chuangfu.core.models import Role
from chuangfu.registry.models import Enterprise

from ..models import (
    Activity,
    ActivityStatus,
    CompetitionCriterion,
    CompetitionEntry,
    JudgeAssignment,
    NominationChannel,
    Score,
)
from ._common import clean_mobile, clean_text

DEFAULT_CRITERIA = (("创新性", 25), ("社会价值", 25), ("项目团队", 25), ("市场及发展前景", 25))
MATERIAL_TYPES = {
    "application/pdf",
    "image/jpeg",
    "image/png",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "application/vnd.openxmlformats-officedocument.presentationml.presentation",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}
MATERIAL_MAX_BYTES = 10 * 1024 * 1024
OPEN_FOR_ENTRIES = (
    ActivityStatus.PUBLISHED,
    ActivityStatus.REGISTRATION_OPEN,
    ActivityStatus.REGISTRATION_CLOSED,
    ActivityStatus.IN_PROGRESS,
)


def _require_competition(activity: Activity) -> None:
    if not activity.type.is_competition:
        raise DomainError("not_a_competition", _("只有路演/创业大赛类活动才有参赛和评审。"))


def _refuse_when_closed(activity: Activity) -> None:
    if activity.scoring_closed_at is not None:
        raise DomainError(
            "scoring_closed",
            _("评分已于 %(when)s 截止。")
            % {"when": timezone.localtime(activity.scoring_closed_at).strftime("%Y-%m-%d %H:%M")},
            status=409,
        )


def criterion_add(*, activity: Activity, actor, name: str, max_score: int) -> CompetitionCriterion:
    _require_competition(activity)
    name = clean_text(name, label=_("评分项"), max_length=32)
    if not max_score or not 1 <= int(max_score) <= 100:
        raise DomainError("bad_max", _("满分应在 1 到 100 之间。"))
    with transaction.atomic():
        if Score.objects.filter(criterion__activity=activity).exists():
            raise DomainError("scoring_started", _("已有评委打分，不能再修改评分项。"), status=409)
        if activity.criteria.filter(name=name).exists():
            raise DomainError("duplicate_criterion", _("评分项“%(name)s”已存在。") % {"name": name}, status=409)
        position = activity.criteria.count() + 1
        criterion = CompetitionCriterion.objects.create(
            activity=activity, name=name, max_score=max_score, position=position
        )
        log_action(
            actor=actor, action="activities.criterion.added", obj=activity, after={"name": name, "max_score": max_score}
        )
    return criterion


def criteria_use_defaults(*, activity: Activity, actor) -> list[CompetitionCriterion]:
    """The four criteria district contests use (创新性, 社会价值, 项目团队, 市场及发展前景, 25 each)."""
    with transaction.atomic():
        return [
            criterion_add(activity=activity, actor=actor, name=name, max_score=max_score)
            for name, max_score in DEFAULT_CRITERIA
            if not activity.criteria.filter(name=name).exists()
        ]


def _check_materials(materials) -> None:
    if materials is None:
        return
    if materials.size > MATERIAL_MAX_BYTES:
        raise DomainError("file_too_large", _("参赛材料不能超过 10 MB。"))
    head = materials.read(8192)
    materials.seek(0)
    kind = filetype.guess(head)
    if kind is None or kind.mime not in MATERIAL_TYPES:
        raise DomainError(
            "bad_file_type", _("参赛材料只能是 PDF、Word、PowerPoint、Excel 或 JPG/PNG 图片（按文件内容判断）。")
        )


def entry_submit(
    *,
    activity: Activity,
    actor,
    team_name: str,
    project_title: str,
    summary: str,
    channel: str,
    contact_name: str,
    contact_mobile: str,
    enterprise: Enterprise | None = None,
    materials=None,
    by_staff: bool = False,
    now: datetime.datetime | None = None,
) -> CompetitionEntry:
    """An enterprise or team enters the competition (or staff record an entry for them).
    Entrants use the registration window; staff may add entries until scoring closes."""
    now = now or timezone.now()
    _require_competition(activity)
    team_name = clean_text(enterprise.name if enterprise else team_name, label=_("企业/团队名称"), max_length=128)
    project_title = clean_text(project_title, label=_("项目名称"), max_length=128)
    summary = clean_text(summary, label=_("项目简介"), max_length=3000)
    contact_name = clean_text(contact_name, label=_("联系人"), max_length=64)
    contact_mobile = clean_mobile(contact_mobile)
    if channel not in NominationChannel.values:
        raise DomainError("bad_channel", _("请选择推荐渠道。"))
    _check_materials(materials)
    if activity.status not in OPEN_FOR_ENTRIES:
        raise DomainError(
            "entries_closed",
            _("活动%(state)s，不接受参赛报名。") % {"state": activity.get_status_display()},
            status=409,
        )
    _refuse_when_closed(activity)
    if not by_staff and not (activity.registration_opens_at <= now < activity.registration_closes_at):
        raise DomainError(
            "entries_closed",
            _("不在参赛报名时间内（%(a)s 至 %(b)s）。")
            % {
                "a": timezone.localtime(activity.registration_opens_at).strftime("%Y-%m-%d %H:%M"),
                "b": timezone.localtime(activity.registration_closes_at).strftime("%Y-%m-%d %H:%M"),
            },
            status=409,
        )
    with transaction.atomic():
        try:
            with transaction.atomic():
                entry = CompetitionEntry.objects.create(
                    activity=activity,
                    enterprise=enterprise,
                    team_name=team_name,
                    project_title=project_title,
                    summary=summary,
                    channel=channel,
                    contact_name=contact_name,
                    contact_mobile=contact_mobile,
                    materials=materials or "",
                    submitted_by=actor if getattr(actor, "is_authenticated", False) else None,
                    created_at=now,
                )
        except IntegrityError:
            raise DomainError(
                "duplicate_entry",
                _("“%(team)s”的项目“%(title)s”已报名本次比赛。") % {"team": team_name, "title": project_title},
                status=409,
            ) from None
        log_action(
            actor=actor,
            action="activities.entry.submitted",
            obj=activity,
            after={"entry": entry.pk, "team": team_name, "channel": channel},
        )
    return entry


def judges_assign(*, entry: CompetitionEntry, judges, actor) -> list[JudgeAssignment]:
    """Assign judges (staff or mentor accounts) to an entry. Existing assignments stay."""
    activity = entry.activity
    _refuse_when_closed(activity)
    judges = list(judges)
    if not judges:
        raise DomainError("no_judges", _("请至少选择一位评委。"))
    for judge in judges:
        if judge.role == Role.ENTREPRENEUR or not judge.is_active:
            raise DomainError("bad_judge", _("%(name)s 不能担任评委。") % {"name": judge})
    created = []
    with transaction.atomic():
        for judge in judges:
            assignment, new = JudgeAssignment.objects.get_or_create(entry=entry, judge=judge)
            if new:
                created.append(assignment)
        if created:
            log_action(
                actor=actor,
                action="activities.judges.assigned",
                obj=activity,
                after={"entry": entry.pk, "judges": [a.judge_id for a in created]},
            )
    return created


def score_submit(
    *, entry: CompetitionEntry, judge, values: dict, now: datetime.datetime | None = None
) -> JudgeAssignment:
    """A judge scores an entry assigned to them on every criterion (0 to its maximum). They
    may change their scores until scoring closes."""
    now = now or timezone.now()
    activity = entry.activity
    with transaction.atomic():
        assignment = JudgeAssignment.objects.select_for_update().filter(entry=entry, judge=judge).first()
        if assignment is None:
            raise DomainError("not_assigned", _("您不是该参赛项目的评委，不能为它打分。"), status=403)
        locked = Activity.objects.select_for_update().get(pk=activity.pk)
        _refuse_when_closed(locked)
        criteria = list(locked.criteria.all())
        if not criteria:
            raise DomainError("no_criteria", _("本次比赛还没有设置评分项。"), status=409)
        cleaned = {}
        for criterion in criteria:
            raw = values.get(str(criterion.pk), values.get(criterion.pk))
            try:
                value = decimal.Decimal(str(raw).strip())
            except (decimal.InvalidOperation, TypeError):
                raise DomainError("score_required", _("请为“%(name)s”打分。") % {"name": criterion.name}) from None
            if not value.is_finite() or not 0 <= value <= criterion.max_score:
                raise DomainError(
                    "score_out_of_range",
                    _("“%(name)s”的得分应在 0 到 %(max)d 之间。")
                    % {"name": criterion.name, "max": criterion.max_score},
                )
            if value != value.quantize(decimal.Decimal("0.1")):
                raise DomainError("score_precision", _("得分最多保留一位小数。"))
            cleaned[criterion] = value
        for criterion, value in cleaned.items():
            Score.objects.update_or_create(assignment=assignment, criterion=criterion, defaults={"value": value})
        first = assignment.submitted_at is None
        assignment.submitted_at = now
        assignment.save(update_fields=["submitted_at"])
        log_action(
            actor=judge,
            action="activities.score.submitted" if first else "activities.score.changed",
            obj=locked,
            after={"entry": entry.pk},
        )
    return assignment


def scoring_close(*, activity: Activity, actor, now: datetime.datetime | None = None) -> Activity:
    """Close scoring: scores become final and visible, the ranking is published to staff and judges."""
    _require_competition(activity)
    with transaction.atomic():
        locked = Activity.objects.select_for_update().get(pk=activity.pk)
        _refuse_when_closed(locked)
        if not JudgeAssignment.objects.filter(entry__activity=locked, submitted_at__isnull=False).exists():
            raise DomainError("no_scores", _("还没有评委提交评分，不能截止评分。"), status=409)
        locked.scoring_closed_at = now or timezone.now()
        locked.save(update_fields=["scoring_closed_at"])
        pending = JudgeAssignment.objects.filter(entry__activity=locked, submitted_at__isnull=True).count()
        log_action(actor=actor, action="activities.scoring.closed", obj=locked, after={"unsubmitted": pending})
    return locked


def entry_nominate(
    *, entry: CompetitionEntry, actor, nominated: bool, now: datetime.datetime | None = None
) -> CompetitionEntry:
    """Mark (or unmark) an entry as nominated for the district competition, after scoring closes."""
    if entry.activity.scoring_closed_at is None:
        raise DomainError("scoring_open", _("评分截止后才能推荐参加区赛。"), status=409)
    with transaction.atomic():
        entry = CompetitionEntry.objects.select_for_update().get(pk=entry.pk)
        entry.nominated_at = (now or timezone.now()) if nominated else None
        entry.save(update_fields=["nominated_at"])
        log_action(
            actor=actor,
            action="activities.entry.nominated" if nominated else "activities.entry.unnominated",
            obj=entry.activity,
            after={"entry": entry.pk},
        )
    return entry
