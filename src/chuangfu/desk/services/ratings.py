"""好差评: the requester's one rating, and the closed loop a 差评 starts —
rectification (整改) by the unit within its deadline, 回访 by the desk, and the appeal (申诉复核)
by which a leader may exclude a mistaken or malicious rating from the figures.
"""

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, gettext_noop

from chuangfu.core import timeline
from chuangfu.core.audit import log_action, snapshot
from chuangfu.core.crypto import mask_name
from chuangfu.core.errors import DomainError
from chuangfu.core.workdays import add_working_days
from chuangfu.core.workflow import SYSTEM, fire

from .. import deadlines, timeline_text
from ..models import FINISHED_STATUSES, RATEABLE_STATUSES, Grade, Rating, Rectification, Ticket
from ..workflows import RECTIFICATION, TICKET
from . import notify


def rating_submit(*, ticket: Ticket, grade: int, comment: str = "") -> tuple[Rating, bool]:
    """Record the requester's rating once (一事一评); a second attempt returns the first
    (``created`` False). A 不满意 / 非常不满意 opens a rectification for the answering unit."""
    try:
        grade = int(grade)
    except (TypeError, ValueError):
        grade = 0
    if grade not in Grade.values:
        raise DomainError("invalid_grade", _("请选择评价等级。"), details={"field": "grade"})
    comment = (comment or "").strip()
    if len(comment) > 500:
        raise DomainError("invalid_comment", _("评价意见最多 500 字。"), details={"field": "comment"})
    existing = Rating.objects.filter(ticket_id=ticket.pk).first()
    if existing is not None:
        return existing, False
    if ticket.status not in RATEABLE_STATUSES:
        raise DomainError("not_rateable", _("诉求答复后才能评价。"), status=409)
    actor_repr = _("诉求人 %(name)s") % {"name": mask_name(ticket.requester_name)}
    try:
        with transaction.atomic():
            rating = Rating.objects.create(
                ticket=ticket,
                grade=grade,
                comment=comment,
                unit=ticket.answered_by_unit or ticket.lead_unit,
            )
            timeline.record(
                ticket,
                actor=actor_repr,
                action="rated",
                label=gettext_lazy("评价"),
                public=True,
                note=(_("%(g)s。%(c)s") % {"g": rating.get_grade_display(), "c": comment}).strip(),
                public_note=timeline_text.note(gettext_noop("您的评价：%(g)s"), g=Grade(rating.grade).label),
            )
            log_action(
                actor=actor_repr,
                action="desk.rating.created",
                obj=rating,
                after=snapshot(rating),
                jurisdiction=ticket.jurisdiction_id,
            )
            if rating.is_negative:
                _open_rectification(ticket, rating)
    except IntegrityError:
        return Rating.objects.get(ticket_id=ticket.pk), False
    return rating, True


def _open_rectification(ticket: Ticket, rating: Rating) -> Rectification:
    due = add_working_days(timezone.localdate(), ticket.category.rectify_days)
    rect = Rectification.objects.create(ticket=ticket, rating=rating, unit=rating.unit, due=due)
    Ticket.objects.filter(pk=ticket.pk).update(revisit_due=None)  # the 回访 now follows the rectification
    timeline.record(
        ticket,
        actor=SYSTEM,
        action="rectification_opened",
        label=gettext_lazy("差评整改"),
        note=_("收到差评（%(g)s），请 %(u)s 于 %(due)s 前整改，窗口须回访。")
        % {"g": rating.get_grade_display(), "u": rating.unit or _("受理窗口"), "due": due},
    )
    log_action(
        actor=None,
        action="desk.rectification.opened",
        obj=rect,
        after=snapshot(rect),
        jurisdiction=ticket.jurisdiction_id,
    )
    title = _("收到差评，请整改")
    body = _("工单 %(n)s 收到差评（%(g)s），请于 %(due)s 前整改。") % {
        "n": ticket.number,
        "g": rating.get_grade_display(),
        "due": due,
    }
    notify.to_staff(
        notify.liaisons(rating.unit) + notify.desk_staff(ticket), title=title, body=body, ticket=ticket, sms=True
    )
    return rect


def ticket_rectify(*, ticket: Ticket, actor, measures: str) -> Ticket:
    """The unit reports what it changed; the desk must then revisit (回访)."""
    measures = (measures or "").strip()

    def after(saved):
        saved.rectification = fire(
            RECTIFICATION,
            saved.rectification,
            "rectify",
            actor=actor,
            note=measures,
            changes={"measures": measures, "rectified_at": timezone.now(), "rectified_by": actor},
            jurisdiction=saved.jurisdiction_id,
        )
        notify.to_staff(
            notify.desk_staff(saved),
            title=_("整改已完成，请回访"),
            ticket=saved,
            body=_("工单 %(n)s 的差评整改已反馈，请回访诉求人。") % {"n": saved.number},
        )

    def changes(t):  # once the ticket is closed, the 回访 is owed within 1 working day of the rectification
        return {"revisit_due": deadlines.revisit_due(timezone.localdate())} if t.status in FINISHED_STATUSES else {}

    return fire(TICKET, ticket, "rectify", actor=actor, note=measures, after=after, changes=changes)


def rating_appeal(*, ticket: Ticket, actor, reason: str) -> Ticket:
    """申诉: the rated unit asks a leader to review a 差评."""

    def after(saved):
        Rating.objects.filter(ticket=saved).update(appeal_reason=reason.strip(), appealed_at=timezone.now())
        notify.to_staff(
            notify.leaders(saved),
            title=_("差评申诉待复核"),
            ticket=saved,
            body=_("工单 %(n)s 的评价被申诉：%(r)s") % {"n": saved.number, "r": reason},
        )

    return fire(TICKET, ticket, "appeal", actor=actor, note=reason, after=after)


def rating_exclude(*, ticket: Ticket, actor, reason: str) -> Ticket:
    """复核剔除: the rating stays on record but no longer counts in the figures."""

    def after(saved):
        rating = saved.rating
        before = snapshot(rating, fields=["excluded", "exclusion_reason"])
        rating.excluded = True
        rating.exclusion_reason = reason.strip()
        rating.excluded_at = timezone.now()
        rating.excluded_by = actor
        rating.appeal_decided = True
        rating.save(update_fields=["excluded", "exclusion_reason", "excluded_at", "excluded_by", "appeal_decided"])
        log_action(
            actor=actor,
            action="desk.rating.excluded",
            obj=rating,
            before=before,
            after=snapshot(rating, fields=["excluded", "exclusion_reason"]),
            jurisdiction=saved.jurisdiction_id,
        )

    return fire(TICKET, ticket, "exclude_rating", actor=actor, note=reason, after=after)


def rating_appeal_dismiss(*, ticket: Ticket, actor, note: str) -> Ticket:
    def after(saved):
        Rating.objects.filter(ticket=saved).update(appeal_decided=True)

    return fire(TICKET, ticket, "dismiss_appeal", actor=actor, note=note, after=after)
