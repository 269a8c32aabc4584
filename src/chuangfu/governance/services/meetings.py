"""Meetings: series, a meeting's life (agenda call, agenda, held, cancelled), agenda items units
submit before the cut-off, attendance, minutes in versions with numbering on issue, and decisions
that become ledger tasks in one step."""

import datetime

from django.db import IntegrityError, transaction
from django.db.models import Max
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from chuangfu.core.audit import log_action, snapshot
from chuangfu.core.errors import DomainError
from chuangfu.core.models import Role
from chuangfu.core.workflow import fire

from ..access import is_office
from ..models import (
    AgendaItem,
    Attendance,
    AttendanceStatus,
    Decision,
    Meeting,
    MeetingSeries,
    MeetingStatus,
    Minutes,
    MinutesStatus,
    Plan,
    Position,
    SeriesKind,
)
from ..selectors import meeting_members
from ..workflows import AGENDA_ITEM, MEETING, MINUTES
from ._common import clean_text, notify, require_in_scope, require_office, unit_liaisons
from .ledger import task_create


def series_create(*, actor, body, kind: str, name: str, minutes_prefix: str) -> MeetingSeries:
    require_office(actor)
    require_in_scope(actor, body.jurisdiction_id)
    if kind not in SeriesKind.values:
        raise DomainError("invalid_kind", _("会议类型无效。"))
    name = clean_text(name, label=_("名称"), max_length=128)
    prefix = clean_text(minutes_prefix, label=_("纪要文号前缀"), max_length=64)
    with transaction.atomic():
        if MeetingSeries.objects.filter(jurisdiction_id=body.jurisdiction_id, name=name).exists():
            raise DomainError("duplicate", _("已有名为“%(name)s”的会议系列。") % {"name": name})
        series = MeetingSeries.objects.create(
            jurisdiction_id=body.jurisdiction_id, body=body, kind=kind, name=name, minutes_prefix=prefix
        )
        log_action(actor=actor, action="governance.series.created", obj=series, after=snapshot(series))
    return series


def meeting_create(
    *, actor, series: MeetingSeries, title: str, starts_at: datetime.datetime, place: str = "", agenda_deadline=None
) -> Meeting:
    require_office(actor)
    require_in_scope(actor, series.jurisdiction_id)
    title = clean_text(title, label=_("会议名称"), max_length=200)
    if agenda_deadline is not None and agenda_deadline >= starts_at:
        raise DomainError("invalid_deadline", _("议题截止时间必须早于会议时间。"))
    with transaction.atomic():
        meeting = Meeting.objects.create(
            series=series,
            jurisdiction_id=series.jurisdiction_id,
            title=title,
            starts_at=starts_at,
            place=(place or "").strip()[:200],
            agenda_deadline=agenda_deadline,
        )
        log_action(actor=actor, action="governance.meeting.created", obj=meeting, after=snapshot(meeting))
    return meeting


def _audience(meeting: Meeting) -> list:
    """Whom a meeting's notices reach: members with an account, and the liaisons of member units."""
    users, unit_ids = {}, set()
    for member in meeting_members(meeting):
        if member.user_id:
            users[member.user_id] = member.user
        if member.position == Position.MEMBER_UNIT and member.unit_id:
            unit_ids.add(member.unit_id)
    for unit_id in unit_ids:
        for user in unit_liaisons(unit_id):
            users[user.pk] = user
    return list(users.values())


def meeting_transition(*, actor, meeting: Meeting, name: str, note: str = "") -> Meeting:
    require_in_scope(actor, meeting.jurisdiction_id)
    if name == "call_agenda" and meeting.agenda_deadline is None:
        raise DomainError("deadline_required", _("征集议题前请先设定议题截止时间。"))
    with transaction.atomic():
        saved = fire(MEETING, meeting, name, actor=actor, note=note)
        link = reverse("governance:meeting", args=[saved.pk])
        when = timezone.localtime(saved.starts_at).strftime("%Y-%m-%d %H:%M")
        if name == "call_agenda":
            deadline = timezone.localtime(saved.agenda_deadline).strftime("%Y-%m-%d %H:%M")
            notify(
                _audience(saved),
                title=_("议题征集：%(title)s") % {"title": saved.title},
                body=_("会议定于 %(when)s 召开，请于 %(deadline)s 前提交议题。") % {"when": when, "deadline": deadline},
                link=link,
            )
        elif name == "set_agenda":
            notify(
                _audience(saved),
                title=_("会议通知：%(title)s") % {"title": saved.title},
                body=_("会议定于 %(when)s 在%(place)s召开，请准时出席。") % {"when": when, "place": saved.place or "—"},
                link=link,
            )
        elif name == "cancel":
            notify(
                _audience(saved),
                title=_("会议取消：%(title)s") % {"title": saved.title},
                body=_("原定 %(when)s 的会议取消：%(note)s") % {"when": when, "note": note},
                link=link,
            )
    return saved


def agenda_item_submit(*, actor, meeting: Meeting, title: str, summary: str = "", now=None) -> AgendaItem:
    """A unit (or the office) proposes an item while the call is open and before the cut-off. The same
    title from the same unit twice is the same item."""
    require_in_scope(actor, meeting.jurisdiction_id)
    if not (is_office(actor) or (actor.role == Role.UNIT_LIAISON and actor.unit_id)):
        raise DomainError("forbidden", _("议题由成员单位联络员或办公室提交。"), status=403)
    title = clean_text(title, label=_("议题"), max_length=200)
    summary = clean_text(summary, label=_("内容摘要"), max_length=4000, required=False)
    now = now or timezone.now()
    if meeting.status != MeetingStatus.CALLING:
        raise DomainError("not_calling", _("本次会议不在议题征集期。"), status=409)
    if meeting.agenda_deadline and now > meeting.agenda_deadline:
        deadline = timezone.localtime(meeting.agenda_deadline).strftime("%Y-%m-%d %H:%M")
        raise DomainError("past_deadline", _("议题征集已于 %(deadline)s 截止。") % {"deadline": deadline}, status=409)
    unit_id = actor.unit_id if actor.role == Role.UNIT_LIAISON else None
    existing = AgendaItem.objects.filter(meeting=meeting, unit_id=unit_id, title=title).first()
    if existing is not None:
        return existing
    try:
        with transaction.atomic():
            last = AgendaItem.objects.filter(meeting=meeting).aggregate(last=Max("position"))["last"] or 0
            item = AgendaItem.objects.create(
                meeting=meeting,
                unit_id=unit_id,
                submitted_by=actor,
                title=title,
                summary=summary,
                created_at=now,
                position=last + 1,
            )
            log_action(
                actor=actor,
                action="governance.agenda_item.submitted",
                obj=item,
                after=snapshot(item),
                jurisdiction=meeting.jurisdiction_id,
            )
    except IntegrityError:
        return AgendaItem.objects.get(meeting=meeting, unit_id=unit_id, title=title)
    return item


def agenda_item_decide(*, actor, item: AgendaItem, name: str, note: str = "") -> AgendaItem:
    require_in_scope(actor, item.meeting.jurisdiction_id)
    if item.meeting.status not in (MeetingStatus.PLANNED, MeetingStatus.CALLING):
        raise DomainError("agenda_fixed", _("议程已确定，不能再调整议题。"), status=409)
    return fire(AGENDA_ITEM, item, name, actor=actor, note=note, jurisdiction=item.meeting.jurisdiction_id)


def agenda_item_move(*, actor, item: AgendaItem, direction: str) -> AgendaItem:
    """The office builds the agenda: move an item one place up or down (it swaps places with its
    neighbour), until the meeting is held. Under the meeting's row lock, so two moves at once apply
    one after the other; positions stay distinct."""
    require_office(actor)
    meeting = item.meeting
    require_in_scope(actor, meeting.jurisdiction_id)
    if direction not in ("up", "down"):
        raise DomainError("invalid_direction", _("只能上移或下移。"))
    with transaction.atomic():
        meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
        if meeting.status in (MeetingStatus.HELD, MeetingStatus.CANCELLED):
            raise DomainError("agenda_closed", _("会议已召开或已取消，议程不能再调整。"), status=409)
        order = list(AgendaItem.objects.filter(meeting=meeting).order_by("position", "created_at", "id"))
        index = next((i for i, other in enumerate(order) if other.pk == item.pk), None)
        if index is None:
            raise DomainError("not_found", _("议题不存在。"), status=404)
        target = index - 1 if direction == "up" else index + 1
        if not 0 <= target < len(order):
            return order[index]
        before = [other.pk for other in order]
        order[index], order[target] = order[target], order[index]
        for position, other in enumerate(order, start=1):
            if other.position != position:
                other.position = position
                other.save(update_fields=["position"])
        log_action(
            actor=actor,
            action="governance.agenda_item.moved",
            obj=meeting,
            before={"order": before},
            after={"order": [other.pk for other in order]},
            jurisdiction=meeting.jurisdiction_id,
        )
    return next(other for other in order if other.pk == item.pk)


def attendance_record(
    *, actor, meeting: Meeting, member, status: str, substitute_name: str = "", absence_reason: str = ""
) -> Attendance:
    """Record (or correct) one member's attendance: present, a named substitute, or absent with a reason."""
    require_office(actor)
    require_in_scope(actor, meeting.jurisdiction_id)
    if meeting.status not in (MeetingStatus.AGENDA_SET, MeetingStatus.HELD):
        raise DomainError("not_now", _("会议确定议程后才能登记出席情况。"), status=409)
    if not meeting_members(meeting).filter(pk=member.pk).exists():
        raise DomainError("not_a_member", _("%(name)s不是本次会议的参会成员。") % {"name": member.name})
    if status not in AttendanceStatus.values:
        raise DomainError("invalid_status", _("出席情况无效。"))
    substitute_name = clean_text(
        substitute_name, label=_("代会人"), max_length=64, required=status == AttendanceStatus.SUBSTITUTE
    )
    absence_reason = clean_text(
        absence_reason, label=_("缺席原因"), max_length=255, required=status == AttendanceStatus.ABSENT
    )
    with transaction.atomic():
        record, created = Attendance.objects.select_for_update().get_or_create(
            meeting=meeting, member=member, defaults={"status": status, "recorded_by": actor}
        )
        before = None if created else snapshot(record, fields=["status", "substitute_name", "absence_reason"])
        record.status = status
        record.substitute_name = substitute_name if status == AttendanceStatus.SUBSTITUTE else ""
        record.absence_reason = absence_reason if status == AttendanceStatus.ABSENT else ""
        record.recorded_by, record.recorded_at = actor, timezone.now()
        record.save()
        log_action(
            actor=actor,
            action="governance.attendance.recorded",
            obj=record,
            before=before,
            after=snapshot(record, fields=["status", "substitute_name", "absence_reason"]),
            jurisdiction=meeting.jurisdiction_id,
        )
    return record


def minutes_save(*, actor, meeting: Meeting, text: str) -> Minutes:
    """Write the draft: the current draft's text changes, or version 1 is made. Once approved or
    issued the text is fixed: a change goes through a new version (``minutes_revise``)."""
    require_office(actor)
    require_in_scope(actor, meeting.jurisdiction_id)
    text = clean_text(text, label=_("纪要正文"), max_length=50000)
    if meeting.status != MeetingStatus.HELD:
        raise DomainError("not_held", _("会议召开后才能起草纪要。"), status=409)
    with transaction.atomic():
        Meeting.objects.select_for_update().get(pk=meeting.pk)
        latest = meeting.minutes.order_by("-version").first()
        if latest is not None and latest.status != MinutesStatus.DRAFT:
            raise DomainError(
                "minutes_locked",
                _("第 %(version)d 版纪要%(status)s，不能修改；请新建版本。")
                % {"version": latest.version, "status": latest.get_status_display()},
                status=409,
            )
        if latest is None:
            latest = Minutes.objects.create(
                meeting=meeting, series_id=meeting.series_id, version=1, text=text, created_by=actor
            )
            log_action(actor=actor, action="governance.minutes.drafted", obj=latest, after=snapshot(latest))
        else:
            before = snapshot(latest, fields=["text"])
            latest.text = text
            latest.save(update_fields=["text"])
            log_action(
                actor=actor,
                action="governance.minutes.edited",
                obj=latest,
                before=before,
                after=snapshot(latest, fields=["text"]),
                jurisdiction=meeting.jurisdiction_id,
            )
    return latest


def minutes_revise(*, actor, minutes: Minutes) -> Minutes:
    """A new draft version from an issued one; the issued version stays as it was."""
    require_office(actor)
    require_in_scope(actor, minutes.meeting.jurisdiction_id)
    with transaction.atomic():
        Meeting.objects.select_for_update().get(pk=minutes.meeting_id)
        latest = Minutes.objects.filter(meeting_id=minutes.meeting_id).order_by("-version").first()
        if latest.status != MinutesStatus.ISSUED:
            raise DomainError(
                "draft_exists", _("已有未印发的版本（第 %(version)d 版）。") % {"version": latest.version}
            )
        draft = Minutes.objects.create(
            meeting_id=minutes.meeting_id,
            series_id=minutes.series_id,
            version=latest.version + 1,
            text=latest.text,
            created_by=actor,
        )
        log_action(
            actor=actor,
            action="governance.minutes.revised",
            obj=draft,
            after={"from_version": latest.version, "version": draft.version},
            jurisdiction=minutes.meeting.jurisdiction_id,
        )
    return draft


def minutes_transition(*, actor, minutes: Minutes, name: str, note: str = "", now=None) -> Minutes:
    """Approve, reopen or issue. Issuing numbers the minutes 前缀〔年〕N号, N counting the series'
    issued minutes of the year, under the series' row lock (two issues at once get two numbers)."""
    require_in_scope(actor, minutes.meeting.jurisdiction_id)
    now = now or timezone.now()
    with transaction.atomic():
        changes = {}
        if name == "issue":
            series = MeetingSeries.objects.select_for_update().get(pk=minutes.series_id)
            year = timezone.localdate(now).year
            serial = (Minutes.objects.filter(series=series, year=year).aggregate(last=Max("serial"))["last"] or 0) + 1
            changes = {
                "year": year,
                "serial": serial,
                "number": f"{series.minutes_prefix}〔{year}〕{serial}号",
                "issued_at": now,
            }
        saved = fire(
            MINUTES,
            minutes,
            name,
            actor=actor,
            note=note,
            changes=changes,
            jurisdiction=minutes.meeting.jurisdiction_id,
        )
        if name == "issue":
            notify(
                _audience(saved.meeting),
                title=_("会议纪要已印发：%(number)s") % {"number": saved.number},
                body=saved.meeting.title,
                link=reverse("governance:minutes", args=[saved.pk]),
            )
    return saved


def decision_create(
    *, actor, meeting: Meeting, text: str, lead_unit, due_on: datetime.date | None, plan: Plan, co_units=()
) -> Decision:
    """Record a 议定事项 and make it a ledger task of ``plan`` in the same transaction: both or neither."""
    require_office(actor)
    require_in_scope(actor, meeting.jurisdiction_id)
    text = clean_text(text, label=_("议定事项"), max_length=4000)
    if meeting.status != MeetingStatus.HELD:
        raise DomainError("not_held", _("会议召开后才能记录议定事项。"), status=409)
    if lead_unit is None:
        raise DomainError("lead_unit_required", _("议定事项必须明确牵头单位。"))
    if due_on is None:
        raise DomainError("due_required", _("议定事项必须明确完成时限。"))
    meeting_day = timezone.localdate(meeting.starts_at)
    if due_on < meeting_day:
        raise DomainError("invalid_dates", _("完成时限不能早于会议日期 %(day)s。") % {"day": meeting_day})
    if plan.jurisdiction_id != meeting.jurisdiction_id:
        raise DomainError("invalid_plan", _("计划必须属于本区划。"))
    co_units = list(co_units)
    with transaction.atomic():
        task = task_create(
            actor=actor,
            plan=plan,
            title=text.splitlines()[0][:255],
            target=text,
            lead_unit=lead_unit,
            co_units=co_units,
            starts_on=meeting_day,
            due_on=due_on,
        )
        decision = Decision.objects.create(meeting=meeting, text=text, lead_unit=lead_unit, due_on=due_on, task=task)
        decision.co_units.set([u for u in co_units if u.pk != lead_unit.pk])
        log_action(
            actor=actor,
            action="governance.decision.created",
            obj=decision,
            after={**snapshot(decision), "co_units": [u.pk for u in co_units]},
            jurisdiction=meeting.jurisdiction_id,
        )
    return decision
