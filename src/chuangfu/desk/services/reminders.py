"""The periodic deadline scan: remind the unit's liaisons before a deadline, escalate to the
desk and the town's leaders after it (also for a 差评 rectification past its deadline), and
invite a rating once when an answer has gone unrated for three days. Each notice is sent once (``DeadlineNotice``), so the scan may run as often as
wanted and after any downtime."""

import datetime

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from .. import deadlines
from ..models import RATEABLE_STATUSES, DeadlineNotice, Rectification, Status, Ticket
from . import notify

RATING_REMINDER_AFTER = datetime.timedelta(days=3)
K = DeadlineNotice.Kind


def _once(ticket: Ticket, kind: str, due) -> bool:
    try:
        with transaction.atomic():
            DeadlineNotice.objects.create(ticket=ticket, kind=kind, due=due)
    except IntegrityError:
        return False
    return True


def _remind(ticket, kind, due, *, title, body, users, sms=True) -> bool:
    if not _once(ticket, kind, due):
        return False
    notify.to_staff(users, title=title, body=body, ticket=ticket, sms=sms)
    return True


def deadlines_remind(*, day: datetime.date | None = None) -> dict:
    """Send what is due on ``day`` (default today); returns how many of each kind were sent."""
    day = day or deadlines.today()
    limit = deadlines.soon_limit(day)
    sent = dict.fromkeys(K.values, 0)
    base = Ticket.objects.select_related("lead_unit", "jurisdiction", "first_handler", "category")

    for t in base.filter(status=Status.DISPATCHED, accept_due__gte=day, accept_due__lte=limit):
        sent[K.ACCEPT_SOON] += _remind(
            t,
            K.ACCEPT_SOON,
            t.accept_due,
            users=notify.liaisons(t.lead_unit),
            title=_("工单即将超过签收时限"),
            body=_("工单 %(n)s 请于 %(d)s 前签收。") % {"n": t.number, "d": t.accept_due},
        )
    for t in base.filter(status__in=[Status.ACCEPTED, Status.IN_PROGRESS], answer_due__gte=day, answer_due__lte=limit):
        sent[K.ANSWER_SOON] += _remind(
            t,
            K.ANSWER_SOON,
            t.answer_due,
            users=notify.liaisons(t.lead_unit),
            title=_("工单即将超过答复时限"),
            body=_("工单 %(n)s 请于 %(d)s 前答复；确需延期请及时申请。") % {"n": t.number, "d": t.answer_due},
        )
    for t in base.filter(status=Status.DISPATCHED, accept_due__lt=day):
        users = notify.desk_staff(t) + notify.leaders(t) + notify.liaisons(t.lead_unit)
        sent[K.ACCEPT_OVERDUE] += _remind(
            t,
            K.ACCEPT_OVERDUE,
            t.accept_due,
            users=users,
            title=_("工单签收超时"),
            body=_("工单 %(n)s 派给 %(u)s 后未在 %(d)s 前签收。")
            % {"n": t.number, "u": t.lead_unit, "d": t.accept_due},
        )
    for t in base.filter(status__in=deadlines.ANSWER_CLOCK, answer_due__lt=day):
        users = notify.desk_staff(t) + notify.leaders(t) + notify.liaisons(t.lead_unit)
        sent[K.ANSWER_OVERDUE] += _remind(
            t,
            K.ANSWER_OVERDUE,
            t.answer_due,
            users=users,
            title=_("工单答复超时"),
            body=_("工单 %(n)s（%(u)s）已超过答复时限 %(d)s。")
            % {"n": t.number, "u": t.lead_unit or _("受理窗口"), "d": t.answer_due},
        )
    late = Rectification.objects.filter(state=Rectification.State.OPEN, due__lt=day).select_related(
        "ticket__jurisdiction", "ticket__first_handler", "unit"
    )
    for rect in late:
        t = rect.ticket
        sent[K.RECTIFY_OVERDUE] += _remind(
            t,
            K.RECTIFY_OVERDUE,
            rect.due,
            users=notify.liaisons(rect.unit) + notify.leaders(t) + notify.desk_staff(t),
            title=_("差评整改超时"),
            body=_("工单 %(n)s 的差评整改（%(u)s）已超过时限 %(d)s。")
            % {"n": t.number, "u": rect.unit or _("受理窗口"), "d": rect.due},
        )
    sent[K.RATING_INVITE] = ratings_invite()
    return sent


def ratings_invite(*, now: datetime.datetime | None = None) -> int:
    """One SMS invitation per answered ticket left unrated for three days."""
    now = now or timezone.now()
    due = Ticket.objects.filter(
        status__in=RATEABLE_STATUSES,
        rating__isnull=True,
        rating_reminded_at__isnull=True,
        answered_at__lte=now - RATING_REMINDER_AFTER,
    )
    count = 0
    for ticket in due.select_related("requester_account"):
        with transaction.atomic():
            if Ticket.objects.filter(pk=ticket.pk, rating_reminded_at__isnull=True).update(rating_reminded_at=now):
                notify.rating_invitation(ticket)
                count += 1
    return count
