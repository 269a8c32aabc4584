"""Small pieces the services share: input cleaning and the office check."""

from django.utils.translation import gettext as _

from chuangfu.core.errors import DomainError
from chuangfu.core.scoping import visible_jurisdiction_ids

from ..access import is_office


def clean_text(value, *, label: str, max_length: int, required: bool = True) -> str:
    text = (value or "").strip()
    if required and not text:
        raise DomainError("required", _("请填写%(label)s。") % {"label": label})
    if len(text) > max_length:
        raise DomainError("too_long", _("%(label)s不能超过 %(n)d 个字。") % {"label": label, "n": max_length})
    return text


def require_office(actor) -> None:
    """Only the leadership group and its office (role ``leader``) and the admin change the set-up."""
    if not is_office(actor):
        raise DomainError("forbidden", _("只有领导小组及其办公室可以执行此操作。"), status=403)


def require_in_scope(actor, jurisdiction_id: int) -> None:
    ids = visible_jurisdiction_ids(actor)
    if ids is not None and jurisdiction_id not in ids:
        from chuangfu.core.errors import NotFound

        raise NotFound()


def unit_liaisons(unit_id: int):
    """The active liaison accounts of a unit: whom a message to the unit reaches."""
    from chuangfu.core.models import Role, User

    return User.objects.filter(role=Role.UNIT_LIAISON, unit_id=unit_id, is_active=True)


def office_accounts(jurisdiction_id: int):
    """The leadership group and office accounts of a town: whom escalations and requests reach."""
    from chuangfu.core.models import Role, User

    return User.objects.filter(role=Role.LEADER, jurisdiction_id=jurisdiction_id, is_active=True)


def notify(users, *, title: str, body: str, link: str) -> None:
    """Tell each of ``users`` (in-app and SMS where they have a mobile) after the transaction commits."""
    from chuangfu.core.notifications import Message, send_on_commit

    for user in users:
        send_on_commit(Message(title=title, body=body, user=user, link=link))


def milestone_figure(task) -> int:
    """A task's figure from its milestones' figures, weighted by milestone weight (its own figure
    when it has none). Called under the task's row lock by the services that change a milestone."""
    from django.db.models import F, Sum

    sums = task.milestones.aggregate(w=Sum("weight"), wp=Sum(F("weight") * F("percent_done")))
    if not sums["w"]:
        return task.percent_done
    return round(sums["wp"] / sums["w"])
