"""Competitions: staff manage criteria, entries and judges, close scoring, see the ranking and
nominate; judges score their assigned entries blind; entrants submit online."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from chuangfu.core.errors import DomainError, NotFound
from chuangfu.core.web import errors_on
from chuangfu.registry.models import Enterprise

from .. import exporters, selectors
from ..forms import CriterionForm, EntryForm
from ..services import competitions
from ..services._common import clean_uscc
from ._common import form_errors, manager_required, staff_required


def _competition_for(actor, pk):
    activity = selectors.get_activity_for(actor, pk)
    if not activity.type.is_competition:
        raise Http404()
    return activity


@manager_required
def competition(request, pk):
    activity = _competition_for(request.user, pk)
    closed = activity.scoring_closed_at is not None
    return render(
        request,
        "activities/competitions/manage.html",
        {
            "activity": activity,
            "criteria": activity.criteria.all(),
            "criterion_form": CriterionForm(),
            "entry_form": EntryForm(),
            "progress": selectors.entries_progress(activity),
            "ranking": selectors.competition_ranking(activity) if closed else None,
            "judges": selectors.staff_users_for(request.user),
            "closed": closed,
        },
    )


def _back(pk):
    return redirect("activities:competition", pk)


@manager_required
@require_POST
def criterion_add(request, pk):
    activity = _competition_for(request.user, pk)
    if request.POST.get("defaults"):
        competitions.criteria_use_defaults(activity=activity, actor=request.user)
    else:
        form = CriterionForm(request.POST)
        if not form.is_valid():
            raise DomainError("bad_criterion", form_errors(form))
        competitions.criterion_add(activity=activity, actor=request.user, **form.cleaned_data)
    return _back(pk)


def _enterprise_from(uscc: str):
    return Enterprise.objects.filter(uscc=clean_uscc(uscc)).first() if uscc else None


@manager_required
@require_POST
def entry_add(request, pk):
    activity = _competition_for(request.user, pk)
    form = EntryForm(request.POST, request.FILES)
    if form.is_valid():
        data = form.cleaned_data
        enterprise = _enterprise_from(data.pop("enterprise_uscc"))
        competitions.entry_submit(activity=activity, actor=request.user, enterprise=enterprise, by_staff=True, **data)
        messages.success(request, _("参赛项目已登记。"))
    else:
        messages.error(request, form_errors(form))
    return _back(pk)


@manager_required
@require_POST
def judges_assign(request, pk, entry_pk):
    activity = _competition_for(request.user, pk)
    entry = activity.entries.filter(pk=entry_pk).first()
    if entry is None:
        raise Http404()
    judges = selectors.staff_users_for(request.user).filter(pk__in=request.POST.getlist("judges"))
    competitions.judges_assign(entry=entry, judges=judges, actor=request.user)
    return _back(pk)


@manager_required
@require_POST
def scoring_close(request, pk):
    activity = _competition_for(request.user, pk)
    competitions.scoring_close(activity=activity, actor=request.user)
    messages.success(request, _("评分已截止，排名已生成。"))
    return _back(pk)


@manager_required
@require_POST
def entry_nominate(request, pk, entry_pk):
    activity = _competition_for(request.user, pk)
    entry = activity.entries.filter(pk=entry_pk).first()
    if entry is None:
        raise Http404()
    competitions.entry_nominate(entry=entry, actor=request.user, nominated=request.POST.get("nominated") == "1")
    return _back(pk)


@manager_required
def competition_export(request, pk, kind):
    activity = _competition_for(request.user, pk)
    try:
        rows = selectors.competition_ranking(activity)
    except NotFound as exc:
        messages.error(request, str(exc.message))
        return _back(pk)
    if kind == "nominees":
        rows = [r for r in rows if r["entry"].nominated_at]
        title = _("推荐参加区赛名单")
    else:
        title = _("比赛结果")
    exporter = exporters.CompetitionResultExporter(activity, title=title)
    return exporter.response(rows, filename=f"{activity.title}-{title}")


# --- judges --------------------------------------------------------------------------------


@staff_required
def judging_list(request):
    return render(
        request,
        "activities/competitions/judging_list.html",
        {"assignments": selectors.assignments_of_judge(request.user)},
    )


@staff_required
def judging_score(request, pk):
    assignment = selectors.get_assignment_of_judge(request.user, pk)
    activity = assignment.entry.activity
    criteria = list(activity.criteria.all())
    values = {str(k): v for k, v in selectors.own_scores(assignment).items()}
    error = None
    if request.method == "POST":
        values = {str(c.pk): request.POST.get(f"c_{c.pk}", "") for c in criteria}
        try:
            competitions.score_submit(entry=assignment.entry, judge=request.user, values=values)
        except DomainError as exc:
            error = exc.message
        else:
            messages.success(request, _("评分已提交；评分截止前可以修改。"))
            return redirect("activities:judging")
    return render(
        request,
        "activities/competitions/score.html",
        {
            "assignment": assignment,
            "entry": assignment.entry,
            "activity": activity,
            "error": error,
            "rows": [(c, values.get(str(c.pk), "")) for c in criteria],
            "closed": activity.scoring_closed_at is not None,
            "ranking": selectors.competition_ranking(activity) if activity.scoring_closed_at else None,
        },
    )


# --- entrants ------------------------------------------------------------------------------


@login_required
def public_enter(request, pk):
    activity = selectors.get_public_activity(pk)
    if not activity.type.is_competition:
        raise Http404()
    user = request.user
    enterprise = getattr(user, "enterprise", None)
    form = EntryForm(
        request.POST or None,
        request.FILES or None,
        initial={
            "team_name": getattr(enterprise, "name", ""),
            "enterprise_uscc": getattr(enterprise, "uscc", ""),
            "contact_name": user.display_name,
            "contact_mobile": user.mobile,
            "channel": "self",
        },
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        with errors_on(form):
            competitions.entry_submit(
                activity=activity, actor=user, enterprise=_enterprise_from(data.pop("enterprise_uscc")), **data
            )
            messages.success(request, _("参赛项目已提交，请留意主办方通知。"))
            return redirect("events:detail", pk)
    return render(request, "activities/competitions/enter.html", {"activity": activity, "form": form})
