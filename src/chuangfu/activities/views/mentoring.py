"""Mentoring: staff see requests with ranked mentor proposals and book sessions; mentors see
and record their sessions; entrepreneurs ask for mentoring and rate the session."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from chuangfu.core.models import Jurisdiction, Role
from chuangfu.core.web import errors_on
from chuangfu.registry.models import Mentor

from .. import selectors
from ..forms import FeedbackForm, MentoringRequestForm, SessionBookForm, SessionRecordForm
from ..models import MentoringSession
from ..services import mentoring
from ._common import form_errors, manager_required, staff_required


@staff_required
def request_list(request):
    is_mentor = request.user.role == Role.MENTOR
    return render(
        request,
        "activities/mentoring/list.html",
        {
            "requests": selectors.mentoring_requests_for(request.user)[:200],
            "sessions": selectors.mentoring_sessions_for(request.user).order_by("scheduled_at")[:200]
            if is_mentor
            else None,
            "is_mentor": is_mentor,
        },
    )


@manager_required
def request_detail(request, pk):
    mentoring_request = selectors.get_mentoring_request_for(request.user, pk)
    return render(
        request,
        "activities/mentoring/detail.html",
        {
            "req": mentoring_request,
            "proposals": selectors.mentor_proposals(request=mentoring_request),
            "sessions": mentoring_request.sessions.select_related("mentor"),
            "book_form": SessionBookForm(initial={"mode": mentoring_request.preferred_mode or Mentor.Mode.CLINIC}),
        },
    )


@manager_required
@require_POST
def session_book(request, pk):
    mentoring_request = selectors.get_mentoring_request_for(request.user, pk)
    form = SessionBookForm(request.POST)
    if not form.is_valid():
        messages.error(request, form_errors(form))
        return redirect("activities:mentoring_detail", pk)
    candidates = {p.mentor.pk: p.mentor for p in selectors.mentor_proposals(request=mentoring_request, limit=1000)}
    mentor = candidates.get(form.cleaned_data["mentor"])
    if mentor is None:
        raise Http404()
    mentoring.mentoring_session_book(
        request=mentoring_request,
        mentor=mentor,
        actor=request.user,
        scheduled_at=form.cleaned_data["scheduled_at"],
        mode=form.cleaned_data["mode"],
        place=form.cleaned_data["place"],
    )
    messages.success(request, _("已预约 %(name)s 导师，已通知导师和申请人。") % {"name": mentor.name})
    return redirect("activities:mentoring_detail", pk)


@staff_required
def session_detail(request, pk):
    session = selectors.get_mentoring_session_for(request.user, pk)
    form = SessionRecordForm(request.POST or None, initial={"notes": session.notes, "follow_ups": session.follow_ups})
    if request.method == "POST" and form.is_valid():
        with errors_on(form):
            mentoring.mentoring_session_record(session=session, actor=request.user, **form.cleaned_data)
            messages.success(request, _("辅导记录已保存，已邀请申请人评价。"))
            return redirect("activities:mentoring_session", pk)
    return render(request, "activities/mentoring/session.html", {"session": session, "form": form})


# --- entrepreneurs -------------------------------------------------------------------------


@login_required
def public_request(request):
    user = request.user
    person = getattr(user, "person", None)
    enterprise = getattr(user, "enterprise", None)
    home = (person.jurisdiction if person else None) or (enterprise.jurisdiction if enterprise else None)
    towns = Jurisdiction.objects.filter(level=Jurisdiction.Level.TOWN).order_by("path")
    form = MentoringRequestForm(
        request.POST or None, initial={"industry_section": getattr(enterprise, "industry_section", "")}
    )
    if request.method == "POST" and form.is_valid():
        town = towns.filter(pk=request.POST.get("town")).first()
        with errors_on(form):
            mentoring.mentoring_request_create(
                jurisdiction=town,
                requester=user,
                name=user.display_name or user.username,
                mobile=user.mobile,
                enterprise=enterprise,
                **form.cleaned_data,
            )
            messages.success(request, _("辅导申请已提交，工作人员会为您匹配导师。"))
            return redirect("events:mentoring")
    return render(
        request,
        "activities/mentoring/public.html",
        {
            "form": form,
            "towns": towns,
            "home_town": (home.town or home) if home else None,
            "requests": selectors.mentoring_requests_of_user(user),
            "has_mobile": bool(user.mobile),
        },
    )


@login_required
def public_rate(request, pk):
    session = selectors.get_own_session(request.user, pk)
    form = FeedbackForm(request.POST or None)
    if request.method == "POST" and not session.grade and form.is_valid():
        with errors_on(form):
            mentoring.mentoring_session_rate(session=session, actor=request.user, **form.cleaned_data)
            messages.success(request, _("感谢您的评价！"))
            return redirect("events:mentoring")
    return render(
        request,
        "activities/mentoring/rate.html",
        {"session": session, "form": form, "recorded": session.status == MentoringSession.Status.RECORDED},
    )
