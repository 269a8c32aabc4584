"""Case files (创业帮扶档案): opened by the office for a person, with a helper's plan and
follow-ups due in working days."""

import datetime

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from chuangfu.core.audit import log_action
from chuangfu.core.errors import DomainError, NotFound
from chuangfu.core.scoping import visible_jurisdiction_ids
from chuangfu.core.workdays import add_working_days
from chuangfu.registry.models import Person

from ..models import CaseFile, FollowUp
from ..selectors import get_case_for, is_office, visitor_choices
from ._common import clean_text

MAX_WORKING_DAYS = 120


def _require_office(actor) -> None:
    if not is_office(actor):
        raise DomainError("forbidden", _("只有镇里的工作人员可以建立和跟进帮扶档案。"), status=403)


@transaction.atomic
def case_open(
    *, actor, person: Person, diagnosis: str, services_planned: str, helper=None, opened_on: datetime.date | None = None
) -> CaseFile:
    """Open the one case file of a person of the actor's jurisdiction (a second is refused)."""
    _require_office(actor)
    ids = visible_jurisdiction_ids(actor)
    if ids is not None and person.jurisdiction_id not in ids:
        raise NotFound()
    helper = helper or actor
    if not visitor_choices(actor).filter(pk=helper.pk).exists():
        raise DomainError("helper", _("帮扶责任人须是本辖区的工作人员。"))
    opened_on = opened_on or timezone.localdate()
    if opened_on > timezone.localdate():
        raise DomainError("opened_on", _("建档日期不能晚于今天。"))
    existing = CaseFile.objects.filter(person=person).first()
    if existing:
        raise DomainError("duplicate", _("%(p)s 已有帮扶档案（%(d)s 建档）。") % {"p": person, "d": existing.opened_on})
    town = person.jurisdiction.town or person.jurisdiction
    try:
        with transaction.atomic():
            case = CaseFile.objects.create(
                person=person,
                jurisdiction=town,
                helper=helper,
                opened_on=opened_on,
                diagnosis=clean_text(diagnosis, label=_("帮扶诊断"), max_length=5000),
                services_planned=clean_text(services_planned, label=_("计划提供的服务"), max_length=5000),
            )
    except IntegrityError:
        raise DomainError("duplicate", _("%(p)s 已有帮扶档案。") % {"p": person}) from None
    log_action(actor=actor, action="ecosystem.case.opened", obj=case, after={"person": person.pk, "helper": helper.pk})
    return case


@transaction.atomic
def followup_plan(*, actor, case: CaseFile, plan: str, working_days: int) -> FollowUp:
    """Plan a follow-up due ``working_days`` Chinese working days from today."""
    _require_office(actor)
    case = get_case_for(actor, case.pk)
    if not isinstance(working_days, int) or not 1 <= working_days <= MAX_WORKING_DAYS:
        raise DomainError("working_days", _("跟进期限须为 1 到 %(n)d 个工作日。") % {"n": MAX_WORKING_DAYS})
    follow_up = FollowUp.objects.create(
        case=case,
        plan=clean_text(plan, label=_("跟进内容"), max_length=255),
        due_on=add_working_days(timezone.localdate(), working_days),
    )
    log_action(
        actor=actor,
        action="ecosystem.case.follow_up_planned",
        obj=case,
        after={"plan": follow_up.plan, "due_on": follow_up.due_on.isoformat()},
    )
    return follow_up


@transaction.atomic
def followup_done(*, actor, follow_up: FollowUp, result: str) -> FollowUp:
    _require_office(actor)
    get_case_for(actor, follow_up.case_id)
    locked = FollowUp.objects.select_for_update().get(pk=follow_up.pk)
    if locked.done_on:
        raise DomainError("done", _("这次跟进已经记录过了。"))
    locked.result = clean_text(result, label=_("跟进结果"), max_length=255)
    locked.done_on = timezone.localdate()
    locked.save(update_fields=["result", "done_on"])
    log_action(
        actor=actor,
        action="ecosystem.case.followed_up",
        obj=locked.case,
        after={"plan": locked.plan, "result": locked.result},
    )
    return locked
