"""Meetings: the list, a meeting's page (agenda call and items, attendance, minutes, decisions),
the attendance page for a phone at the door, the minutes as issued, and the briefing pack."""

from urllib.parse import quote

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from chuangfu.core.web import errors_on

from .. import selectors
from ..access import is_office, is_unit_liaison
from ..briefing import briefing_pack
from ..forms import AgendaItemForm, AttendanceForm, DecisionForm, MeetingForm, MinutesForm, TransitionForm
from ..models import MeetingStatus, MinutesStatus
from ..services import meetings as services
from ..workflows import AGENDA_ITEM, MEETING, MINUTES
from ._common import form_errors, governance_required, office_required

DOCX_MIME = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


@governance_required
def meeting_list(request):
    series = selectors.series_for(request.user)
    form = MeetingForm(request.POST or None, series=series) if is_office(request.user) else None
    if form is not None and request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        with errors_on(form):
            meeting = services.meeting_create(actor=request.user, **data)
            messages.success(request, _("会议已安排。"))
            return redirect("governance:meeting", meeting.pk)
    meetings = selectors.meetings_for(request.user)[:100]
    status = 400 if form is not None and form.errors else 200
    return render(request, "governance/meetings/list.html", {"meetings": meetings, "form": form}, status=status)


def _meeting_context(request, meeting, **forms) -> dict:
    office = is_office(request.user)
    versions = list(meeting.minutes.order_by("-version"))
    if not office:
        versions = [m for m in versions if m.status == MinutesStatus.ISSUED]
    latest = versions[0] if versions else None
    items = meeting.agenda_items.select_related("unit", "submitted_by")
    if not office:
        items = items.filter(unit_id=request.user.unit_id) | items.filter(status="accepted")
    open_call = meeting.status == MeetingStatus.CALLING and (
        meeting.agenda_deadline is None or timezone.now() <= meeting.agenda_deadline
    )
    return {
        "meeting": meeting,
        "is_office": office,
        "transitions": MEETING.available(meeting, request.user),
        "items": [(i, AGENDA_ITEM.available(i, request.user)) for i in items.distinct()],
        "can_reorder": office and meeting.status not in (MeetingStatus.HELD, MeetingStatus.CANCELLED),
        "can_submit_item": open_call and (office or is_unit_liaison(request.user)),
        "item_form": forms.get("item_form") or AgendaItemForm(),
        "attendance": selectors.attendance_sheet(meeting),
        "versions": versions,
        "latest": latest,
        "minutes_transitions": MINUTES.available(latest, request.user) if latest else [],
        "minutes_form": forms.get("minutes_form") or MinutesForm(initial={"text": latest.text if latest else ""}),
        "decisions": selectors.decisions_of(meeting),
        "decision_form": forms.get("decision_form")
        or DecisionForm(jurisdiction=meeting.jurisdiction, plans=selectors.plans_for(request.user)),
        "transition_form": TransitionForm(),
        "statuses": MeetingStatus,
    }


@governance_required
def meeting_detail(request, pk):
    meeting = selectors.get_meeting_for(request.user, pk)
    return render(request, "governance/meetings/detail.html", _meeting_context(request, meeting))


def _again(request, meeting, **forms):
    return render(request, "governance/meetings/detail.html", _meeting_context(request, meeting, **forms), status=400)


@require_POST
@office_required
def meeting_transition(request, pk, name):
    meeting = selectors.get_meeting_for(request.user, pk)
    form = TransitionForm(request.POST)
    note = form.cleaned_data["note"] if form.is_valid() else ""
    services.meeting_transition(actor=request.user, meeting=meeting, name=name, note=note or "")
    messages.success(request, _("已%(action)s。") % {"action": MEETING.transition(name).label})
    return redirect("governance:meeting", pk)


@require_POST
@governance_required
def agenda_item_submit(request, pk):
    meeting = selectors.get_meeting_for(request.user, pk)
    form = AgendaItemForm(request.POST)
    if form.is_valid():
        with errors_on(form):
            services.agenda_item_submit(actor=request.user, meeting=meeting, **form.cleaned_data)
            messages.success(request, _("议题已提交。"))
            return redirect("governance:meeting", pk)
    return _again(request, meeting, item_form=form)


@require_POST
@office_required
def agenda_item_decide(request, pk, name):
    item = selectors.get_agenda_item_for(request.user, pk)
    services.agenda_item_decide(actor=request.user, item=item, name=name)
    return redirect("governance:meeting", item.meeting_id)


@require_POST
@office_required
def agenda_item_move(request, pk, direction):
    item = selectors.get_agenda_item_for(request.user, pk)
    services.agenda_item_move(actor=request.user, item=item, direction=direction)
    return redirect(reverse("governance:meeting", args=[item.meeting_id]) + "#agenda")


@office_required
def attendance(request, pk):
    """One row per member with three buttons: made for a phone at the door."""
    meeting = selectors.get_meeting_for(request.user, pk)
    if request.method == "POST":
        form = AttendanceForm(request.POST)
        member = next(
            (m for m, _ in selectors.attendance_sheet(meeting) if str(m.pk) == request.POST.get("member")), None
        )
        if member is None:
            messages.error(request, _("请选择参会成员。"))
        elif not form.is_valid():
            messages.error(request, form_errors(form))
        else:
            services.attendance_record(actor=request.user, meeting=meeting, member=member, **form.cleaned_data)
            messages.success(request, _("已登记：%(name)s") % {"name": member.name})
        return redirect(f"{request.path}#member-{request.POST.get('member', '')}")
    sheet = selectors.attendance_sheet(meeting)
    counts = {code: sum(1 for _m, a in sheet if a and a.status == code) for code in ("present", "substitute", "absent")}
    return render(
        request, "governance/meetings/attendance.html", {"meeting": meeting, "sheet": sheet, "counts": counts}
    )


@require_POST
@office_required
def minutes_save(request, pk):
    meeting = selectors.get_meeting_for(request.user, pk)
    form = MinutesForm(request.POST)
    if form.is_valid():
        with errors_on(form):
            services.minutes_save(actor=request.user, meeting=meeting, text=form.cleaned_data["text"])
            messages.success(request, _("纪要已保存。"))
            return redirect("governance:meeting", pk)
    return _again(request, meeting, minutes_form=form)


@require_POST
@office_required
def minutes_transition(request, pk, name):
    minutes = selectors.get_minutes_for(request.user, pk)
    form = TransitionForm(request.POST)
    note = form.cleaned_data["note"] if form.is_valid() else ""
    if name == "revise":
        services.minutes_revise(actor=request.user, minutes=minutes)
    else:
        services.minutes_transition(actor=request.user, minutes=minutes, name=name, note=note or "")
    messages.success(request, _("纪要已更新。"))
    return redirect("governance:meeting", minutes.meeting_id)


@governance_required
def minutes_detail(request, pk):
    minutes = selectors.get_minutes_for(request.user, pk)
    meeting = minutes.meeting
    context = {
        "minutes": minutes,
        "meeting": meeting,
        "attendance": [a for _m, a in selectors.attendance_sheet(meeting) if a],
        "decisions": selectors.decisions_of(meeting),
    }
    return render(request, "governance/meetings/minutes.html", context)


@require_POST
@office_required
def decision_create(request, pk):
    meeting = selectors.get_meeting_for(request.user, pk)
    form = DecisionForm(request.POST, jurisdiction=meeting.jurisdiction, plans=selectors.plans_for(request.user))
    if form.is_valid():
        with errors_on(form):
            services.decision_create(actor=request.user, meeting=meeting, **form.cleaned_data)
            messages.success(request, _("议定事项已记录，并已作为任务分派给牵头单位。"))
            return redirect("governance:meeting", pk)
    return _again(request, meeting, decision_form=form)


@office_required
def briefing(request, pk):
    meeting = selectors.get_meeting_for(request.user, pk)
    response = HttpResponse(briefing_pack(meeting), content_type=DOCX_MIME)
    name = _("%(title)s会前材料") % {"title": meeting.title}
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(name)}.docx"
    return response
