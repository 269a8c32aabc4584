"""Staff pages for running an activity: list, create and edit, the activity page with its
registrations and waiting list, lifecycle buttons, questions, clone and series, summary and
photos, figures and exports."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from chuangfu.core.audit import history_for
from chuangfu.core.errors import DomainError
from chuangfu.core.web import errors_on

from .. import exporters, selectors
from ..forms import (
    ActivityForm,
    CancelForm,
    CloneForm,
    ConsultationForm,
    PhotoForm,
    QuestionForm,
    SeriesForm,
    StaffRegistrationForm,
    SummaryForm,
    WaitlistMoveForm,
)
from ..models import ActivityStatus, ActivityType, RegistrationStatus
from ..services import activities as activity_services
from ..services import consultations, registrations
from ..workflows import ACTIVITY
from ._common import manager_required, parse_int, parse_month

TABS = ("overview", "registrations", "waitlist", "questions", "consultations", "history")


@manager_required
def activity_list(request):
    filters = selectors.ActivityFilters(
        status=request.GET.get("status", ""),
        type=parse_int(request.GET.get("type")),
        month=parse_month(request.GET.get("month", "")),
        q=request.GET.get("q", "").strip(),
    )
    page = Paginator(selectors.activity_list(actor=request.user, filters=filters), 30).get_page(request.GET.get("page"))
    return render(
        request,
        "activities/staff/list.html",
        {
            "page": page,
            "filters": filters,
            "statuses": ACTIVITY.choices(),
            "types": ActivityType.objects.all(),
        },
    )


@manager_required
def activity_create(request):
    form = ActivityForm(request.POST or None, actor=request.user)
    if request.method == "POST" and form.is_valid():
        with errors_on(form):
            activity = activity_services.activity_create(
                actor=request.user,
                details=form.details(),
                co_units=form.cleaned_data["co_units"],
                services=form.cleaned_data["services"],
            )
            messages.success(request, _("活动已保存为草稿。添加报名问题后即可发布。"))
            return redirect("activities:detail", activity.pk)
    return render(request, "activities/staff/form.html", {"form": form})


@manager_required
def activity_edit(request, pk):
    activity = selectors.get_activity_for(request.user, pk)
    form = ActivityForm(request.POST or None, instance=activity, actor=request.user)
    if request.method == "POST" and form.is_valid():
        with errors_on(form):
            activity_services.activity_update(
                activity=activity,
                actor=request.user,
                details=form.details(),
                co_units=form.cleaned_data["co_units"],
                services=form.cleaned_data["services"],
            )
            messages.success(request, _("活动信息已更新。"))
            return redirect("activities:detail", pk)
    return render(request, "activities/staff/form.html", {"form": form, "activity": activity})


@manager_required
def activity_detail(request, pk):
    activity = activity_services.activity_advance_if_due(selectors.get_activity_for(request.user, pk))
    registrations.registration_expire_offers(activity=activity)
    tab = request.GET.get("tab") if request.GET.get("tab") in TABS else "overview"
    return render(request, "activities/staff/detail.html", _detail_context(request, activity, tab))


def _detail_context(request, activity, tab, *, consultation_form=None) -> dict:
    status_filter = request.GET.get("status", "")
    context = {
        "activity": activity,
        "tab": tab,
        "figures": selectors.activity_figures(activity),
        "transitions": ACTIVITY.available(activity, request.user),
        "cancel_form": CancelForm(),
        "clone_form": CloneForm(),
        "series_form": SeriesForm(initial={"name": activity.title}),
    }
    if tab == "registrations":
        context["registrations"] = Paginator(selectors.registrations_of(activity, status=status_filter), 50).get_page(
            request.GET.get("page")
        )
        context["status_filter"] = status_filter
        context["registration_statuses"] = RegistrationStatus.choices
        context["add_form"] = StaffRegistrationForm()
        context["questions"] = list(activity.questions.all())
    elif tab == "waitlist":
        context["waitlist"] = selectors.registrations_of(activity, status=RegistrationStatus.WAITLISTED)
        context["offered"] = selectors.registrations_of(activity, status=RegistrationStatus.OFFERED)
        context["pending"] = selectors.registrations_of(activity, status=RegistrationStatus.PENDING)
        context["move_form"] = WaitlistMoveForm()
    elif tab == "questions":
        context["questions"] = activity.questions.select_related("show_if_question")
        context["question_form"] = QuestionForm(activity=activity)
    elif tab == "consultations":
        context.update(_consultations_context(request, activity, consultation_form))
    elif tab == "history":
        context["history"] = history_for(activity)[:100]
    return context


def _consultations_context(request, activity, form=None) -> dict:
    return {
        "consultations": selectors.activity_consultations(activity, actor=request.user),
        "consultation_refusal": consultations.consultation_refusal(activity),
        "consultation_form": form or ConsultationForm(categories=selectors.consultation_categories(activity)),
    }


@manager_required
@require_POST
def consultation_add(request, pk):
    """Record a consultation raised at the activity: it becomes a desk ticket linked to it."""
    activity = selectors.get_activity_for(request.user, pk)
    form = ConsultationForm(request.POST, categories=selectors.consultation_categories(activity))
    if form.is_valid():
        with errors_on(form):
            ticket, created = consultations.consultation_record(
                activity=activity, actor=request.user, **form.cleaned_data
            )
            if created:
                messages.success(request, _("已登记为咨询工单 %(n)s，由受理窗口按流程办理。") % {"n": ticket.number})
            else:
                messages.info(request, _("这条咨询已登记过（工单 %(n)s），没有重复登记。") % {"n": ticket.number})
            return _back(activity, "consultations")
    return render(
        request,
        "activities/staff/detail.html",
        _detail_context(request, activity, "consultations", consultation_form=form),
    )


def _back(activity, tab="overview"):
    return redirect(f"{reverse('activities:detail', args=[activity.pk])}?tab={tab}")


@manager_required
@require_POST
def activity_transition(request, pk, name):
    activity = selectors.get_activity_for(request.user, pk)
    form = CancelForm(request.POST)
    form.is_valid()
    activity = activity_services.activity_transition(
        activity=activity, actor=request.user, name=name, note=form.cleaned_data.get("note", "")
    )
    messages.success(request, _("活动状态已变为“%(state)s”。") % {"state": activity.get_status_display()})
    return _back(activity)


@manager_required
@require_POST
def activity_clone(request, pk):
    activity = selectors.get_activity_for(request.user, pk)
    form = CloneForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("请填写新活动的开始时间。"))
        return _back(activity)
    copy = activity_services.activity_clone(
        activity=activity,
        actor=request.user,
        starts_at=form.cleaned_data["starts_at"],
        title=form.cleaned_data["title"],
    )
    messages.success(request, _("已复制为新的草稿活动。"))
    return redirect("activities:detail", copy.pk)


@manager_required
@require_POST
def activity_series(request, pk):
    activity = selectors.get_activity_for(request.user, pk)
    form = SeriesForm(request.POST)
    if not form.is_valid():
        messages.error(request, " ".join(e for errors in form.errors.values() for e in errors))
        return _back(activity)
    series = activity_services.series_create(activity=activity, actor=request.user, **form.cleaned_data)
    messages.success(
        request,
        _("已创建系列“%(name)s”，共 %(n)d 场（新增场次为草稿）。")
        % {"name": series.name, "n": series.activities.count()},
    )
    return _back(activity)


@manager_required
@require_POST
def question_add(request, pk):
    activity = selectors.get_activity_for(request.user, pk)
    form = QuestionForm(request.POST, activity=activity)
    if form.is_valid():
        activity_services.question_add(activity=activity, actor=request.user, **form.cleaned_data)
        messages.success(request, _("已添加报名问题。"))
    else:
        messages.error(request, " ".join(e for errors in form.errors.values() for e in errors))
    return _back(activity, "questions")


@manager_required
@require_POST
def question_remove(request, pk, question_pk):
    activity = selectors.get_activity_for(request.user, pk)
    question = activity.questions.filter(pk=question_pk).first()
    if question is not None:
        activity_services.question_remove(question=question, actor=request.user)
    return _back(activity, "questions")


@manager_required
@require_POST
def registration_add(request, pk):
    """Staff register someone (phone or on their behalf), inside the activity's opening times."""
    activity = selectors.get_activity_for(request.user, pk)
    form = StaffRegistrationForm(request.POST)
    if form.is_valid():
        registration = registrations.registration_create(
            activity=activity, actor=request.user, source="staff", **form.cleaned_data
        )
        messages.success(
            request,
            _("已为 %(name)s 报名：%(status)s。")
            % {"name": registration.name, "status": registration.get_status_display()},
        )
    else:
        messages.error(request, " ".join(e for errors in form.errors.values() for e in errors))
    return _back(activity, "registrations")


@manager_required
@require_POST
def registration_action(request, pk, registration_pk, action):
    activity = selectors.get_activity_for(request.user, pk)
    registration = selectors.get_registration_for(request.user, activity, registration_pk)
    reason = request.POST.get("reason", "")
    if action == "approve":
        registrations.registration_approve(registration=registration, actor=request.user)
    elif action == "reject":
        registrations.registration_reject(registration=registration, actor=request.user, reason=reason)
    elif action == "cancel":
        registrations.registration_cancel(registration=registration, actor=request.user, reason=reason, by_staff=True)
    elif action == "move":
        form = WaitlistMoveForm(request.POST)
        if not form.is_valid():
            raise DomainError("bad_move", _("请填写新的候补位置和原因。"))
        registrations.waitlist_move(registration=registration, actor=request.user, **form.cleaned_data)
    else:
        raise DomainError("unknown_action", _("未知的操作。"))
    messages.success(request, _("已处理：%(name)s。") % {"name": registration.name})
    return _back(activity, "waitlist" if action in ("approve", "reject", "move") else "registrations")


@manager_required
def activity_summary(request, pk):
    activity = selectors.get_activity_for(request.user, pk)
    form = SummaryForm(request.POST or None, initial={"summary": activity.summary, "outcomes": activity.outcomes})
    if request.method == "POST" and form.is_valid():
        with errors_on(form):
            activity = activity_services.activity_summarise(
                activity=activity, actor=request.user, complete="complete" in request.POST, **form.cleaned_data
            )
            messages.success(
                request, _("总结已保存。") if activity.status != ActivityStatus.SUMMARISED else _("活动已完成总结。")
            )
            return redirect("activities:summary", pk)
    return render(
        request,
        "activities/staff/summary.html",
        {
            "activity": activity,
            "form": form,
            "photo_form": PhotoForm(),
            "figures": selectors.activity_figures(activity),
            "photos": activity.photos.all(),
            "consultations": selectors.activity_consultations(activity, actor=request.user),
        },
    )


@manager_required
@require_POST
def photo_add(request, pk):
    activity = selectors.get_activity_for(request.user, pk)
    form = PhotoForm(request.POST, request.FILES)
    if form.is_valid():
        activity_services.activity_photo_add(activity=activity, actor=request.user, **form.cleaned_data)
        messages.success(request, _("照片已上传。"))
    else:
        messages.error(request, " ".join(e for errors in form.errors.values() for e in errors))
    return redirect("activities:summary", pk)


@manager_required
def figures(request):
    dimension = request.GET.get("by") if request.GET.get("by") in selectors.FIGURE_DIMENSIONS else "month"
    rows = selectors.figures_by(actor=request.user, dimension=dimension)
    return render(request, "activities/staff/figures.html", {"rows": rows, "dimension": dimension})


EXPORTS = {
    "registrations": (exporters.RegistrationExporter, _("报名名单")),
    "attendance": (exporters.AttendanceExporter, _("签到名单")),
    "feedback": (exporters.FeedbackExporter, _("活动评价")),
}


@manager_required
def activity_export(request, pk, kind):
    activity = selectors.get_activity_for(request.user, pk)
    if kind not in EXPORTS:
        return redirect("activities:detail", pk)
    exporter_class, title = EXPORTS[kind]
    exporter = exporter_class(activity)
    return exporter.response(exporter.queryset(), filename=f"{activity.title}-{title}")
