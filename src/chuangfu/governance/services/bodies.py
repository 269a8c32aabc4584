"""Bodies, their terms and members. A member leaves by an end date (the row stays, so past
minutes still name them); replacing a person ends one seat and opens another in one step."""

import datetime

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from chuangfu.core.audit import log_action, snapshot
from chuangfu.core.errors import DomainError

from ..models import POSITION_ORDER, Body, BodyKind, Membership, Position, Term
from ._common import clean_text, require_in_scope, require_office


def body_create(*, actor, jurisdiction, kind: str, name: str, parent: Body | None = None, duties: str = "") -> Body:
    """A new body in ``jurisdiction`` (which the office must see); names are unique per town."""
    require_office(actor)
    require_in_scope(actor, jurisdiction.pk)
    if kind not in BodyKind.values:
        raise DomainError("invalid_kind", _("机构类型无效。"))
    name = clean_text(name, label=_("名称"), max_length=128)
    if parent is not None and parent.jurisdiction_id != jurisdiction.pk:
        raise DomainError("invalid_parent", _("上级机构必须属于同一区划。"))
    with transaction.atomic():
        if Body.objects.filter(jurisdiction=jurisdiction, name=name).exists():
            raise DomainError("duplicate", _("本区划已有名为“%(name)s”的机构。") % {"name": name})
        body = Body.objects.create(jurisdiction=jurisdiction, kind=kind, name=name, parent=parent, duties=duties)
        log_action(actor=actor, action="governance.body.created", obj=body, after=snapshot(body))
    return body


def term_create(
    *, actor, body: Body, name: str, starts_on: datetime.date, ends_on: datetime.date | None = None
) -> Term:
    require_office(actor)
    require_in_scope(actor, body.jurisdiction_id)
    name = clean_text(name, label=_("届次"), max_length=64)
    if ends_on is not None and ends_on < starts_on:
        raise DomainError("invalid_dates", _("结束日期不能早于起始日期。"))
    with transaction.atomic():
        if body.terms.filter(name=name).exists():
            raise DomainError("duplicate", _("“%(body)s”已有届次“%(name)s”。") % {"body": body.name, "name": name})
        term = Term.objects.create(body=body, name=name, starts_on=starts_on, ends_on=ends_on)
        log_action(
            actor=actor,
            action="governance.term.created",
            obj=term,
            after=snapshot(term),
            jurisdiction=body.jurisdiction,
        )
    return term


def membership_add(
    *,
    actor,
    term: Term,
    name: str,
    position: str,
    joined_on: datetime.date,
    title: str = "",
    unit=None,
    user=None,
) -> Membership:
    """Seat ``name`` in ``term``. Refused when they already sit in it (a second seat for one
    person in one term is a mistake, and the unique constraint holds it under concurrency); a
    member unit needs its unit."""
    require_office(actor)
    body = term.body
    require_in_scope(actor, body.jurisdiction_id)
    name = clean_text(name, label=_("姓名"), max_length=64)
    title = clean_text(title, label=_("职务"), max_length=128, required=False)
    if position not in Position.values:
        raise DomainError("invalid_position", _("职位无效。"))
    if position == Position.MEMBER_UNIT and unit is None:
        raise DomainError("unit_required", _("成员单位必须选择单位。"))
    if unit is not None and unit.jurisdiction_id != body.jurisdiction_id:
        raise DomainError("invalid_unit", _("单位必须属于本区划。"))
    if joined_on < term.starts_on or (term.ends_on and joined_on > term.ends_on):
        raise DomainError("invalid_dates", _("加入日期必须在本届任期内。"))
    duplicate = _("%(name)s已是“%(term)s”的在任成员，不能重复添加。") % {"name": name, "term": str(term)}
    try:
        with transaction.atomic():
            if term.memberships.filter(name=name, left_on__isnull=True).exists():
                raise DomainError("duplicate_member", duplicate)
            member = Membership.objects.create(
                term=term,
                name=name,
                position=position,
                title=title,
                unit=unit,
                user=user,
                joined_on=joined_on,
                position_order=POSITION_ORDER[position],
            )
            log_action(
                actor=actor,
                action="governance.member.added",
                obj=member,
                after=snapshot(member),
                jurisdiction=body.jurisdiction,
            )
    except IntegrityError:
        raise DomainError("duplicate_member", duplicate) from None
    return member


def membership_end(*, actor, member: Membership, left_on: datetime.date, reason: str) -> Membership:
    """The member leaves on ``left_on``; the row stays for the record."""
    require_office(actor)
    body = member.term.body
    require_in_scope(actor, body.jurisdiction_id)
    reason = clean_text(reason, label=_("离任原因"), max_length=255)
    with transaction.atomic():
        locked = Membership.objects.select_for_update().get(pk=member.pk)
        if locked.left_on is not None:
            raise DomainError(
                "already_left", _("%(name)s已于 %(date)s 离任。") % {"name": locked.name, "date": locked.left_on}
            )
        if left_on < locked.joined_on:
            raise DomainError("invalid_dates", _("离任日期不能早于加入日期。"))
        before = snapshot(locked, fields=["left_on", "left_reason"])
        locked.left_on, locked.left_reason = left_on, reason
        locked.save(update_fields=["left_on", "left_reason"])
        log_action(
            actor=actor,
            action="governance.member.left",
            obj=locked,
            before=before,
            after=snapshot(locked, fields=["left_on", "left_reason"]),
            jurisdiction=body.jurisdiction,
        )
    return locked


def membership_replace(
    *, actor, member: Membership, name: str, on: datetime.date, reason: str, title: str = "", user=None
) -> Membership:
    """A change of person in the same seat: ``member`` leaves on ``on`` and ``name`` joins the
    same term, position and unit on the same day, both or neither."""
    with transaction.atomic():
        membership_end(actor=actor, member=member, left_on=on, reason=reason)
        return membership_add(
            actor=actor,
            term=member.term,
            name=name,
            position=member.position,
            title=title or member.title,
            unit=member.unit,
            user=user,
            joined_on=on,
        )
