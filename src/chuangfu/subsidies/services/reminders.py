"""The periodic deadline scan: deemed acceptance, and reminders to reviewers.

* An application still 已提交 after its acceptance deadline is flagged 视为受理 (deemed accepted
  on the deadline); its decision deadline runs from that day; the applicant is told.
* Every active reviewer gets one in-app digest of the applications in their scope that are
  overdue or due within two working days.
"""

import datetime

from django.db import transaction
from django.utils.translation import gettext as _

from chuangfu.core import timeline
from chuangfu.core.audit import log_action
from chuangfu.core.models import Role, User
from chuangfu.core.scoping import scope_by_jurisdiction
from chuangfu.core.workdays import add_working_days
from chuangfu.core.workflow import SYSTEM

from ..deadlines import acceptance_lapsed_q, due_soon_q, overdue_q, today
from ..models import Application
from . import notify
from .reviewing import DECISION_DAYS


def applications_deem_accepted(day: datetime.date | None = None) -> int:
    """Flag every application whose acceptance deadline passed without a decision."""
    day = day or today()
    count = 0
    for pk in Application.objects.filter(acceptance_lapsed_q(day)).values_list("pk", flat=True):
        with transaction.atomic():
            app = Application.objects.select_for_update().filter(acceptance_lapsed_q(day), pk=pk).first()
            if app is None:  # accepted or refused meanwhile
                continue
            app.deemed_accepted_on = app.accept_due
            app.decision_due = add_working_days(app.accept_due, DECISION_DAYS)
            app.save(update_fields=["deemed_accepted_on", "decision_due"])
            text = _("受理期限（%(due)s）内未作出受理决定，依法视为受理；审核决定期限为 %(d)s。") % {
                "due": app.accept_due,
                "d": app.decision_due,
            }
            timeline.record(
                app,
                actor=SYSTEM,
                action="deemed_accepted",
                label=_("视为受理"),
                note=text,
                public=True,
                public_note=text,
                from_state=app.status,
                to_state=app.status,
            )
            log_action(
                actor=SYSTEM,
                action="subsidies.application.deemed_accepted",
                obj=app,
                after={
                    "deemed_accepted_on": app.deemed_accepted_on.isoformat(),
                    "decision_due": app.decision_due.isoformat(),
                },
            )
            notify.to_applicant(
                app, title=_("补贴申请视为受理"), body=_("您的申请 %(n)s：%(t)s") % {"n": app.number, "t": text}
            )
            count += 1
    return count


def reviewers_remind(day: datetime.date | None = None) -> int:
    """One digest per reviewer with anything overdue or due soon in their scope."""
    day = day or today()
    sent = 0
    for reviewer in User.objects.filter(role=Role.REVIEWER, is_active=True).select_related("jurisdiction"):
        scoped = scope_by_jurisdiction(Application.objects.all(), reviewer)
        overdue = scoped.filter(overdue_q(day)).count()
        soon = scoped.filter(due_soon_q(day)).count()
        if not (overdue or soon):
            continue
        from django.urls import reverse

        with transaction.atomic():
            notify.to_staff(
                [reviewer],
                title=_("补贴申请审核提醒"),
                body=_("已超时 %(o)d 件，两个工作日内到期 %(s)d 件，请及时处理。") % {"o": overdue, "s": soon},
                link=reverse("subsidies:staff_queue") + "?flag=" + ("overdue" if overdue else "due_soon"),
            )
        sent += 1
    return sent


def deadlines_scan(day: datetime.date | None = None) -> dict:
    return {"deemed_accepted": applications_deem_accepted(day), "reminded": reviewers_remind(day)}
