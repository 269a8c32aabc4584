"""Industry focus: the chain with its figures, a segment's firms and candidates, an enterprise's
innovation score and nominations, competitions, and each nomination's later stages."""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from chuangfu.core.bounds import int_param
from chuangfu.core.errors import DomainError, NotFound
from chuangfu.core.web import errors_on

from ..forms import (
    AssessmentForm,
    CompetitionForm,
    NominationForm,
    NominationStepForm,
    SegmentEditForm,
    SegmentForm,
    TagForm,
)
from ..selectors import industry as reads
from ..services import industry as services
from ..workflows import NOMINATION
from ._common import office_required


def _town(request):
    """The town the page is about: ``?town=`` among the user's towns, else their first."""
    towns = reads.towns_for(request.user).order_by("path")
    chosen = int_param(request.GET.get("town"))
    town = towns.filter(pk=chosen).first() if chosen else None
    return town or towns.first(), towns


@office_required
def chain_overview(request):
    town, towns = _town(request)
    if town is None:
        raise NotFound()
    form = SegmentForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        with errors_on(form):
            chain = services.chain_segment_create(actor=request.user, town=town, **form.cleaned_data)
            messages.success(request, _("已添加产业链“%(name)s”。") % {"name": chain.name})
            return redirect(chain)
    roots = reads.chain_tree(actor=request.user, town=town)
    nodes = [node for root in roots for node in root.walk()]
    return render(
        request,
        "ecosystem/industry/chain.html",
        {
            "section": "industry",
            "town": town,
            "towns": towns,
            "roots": roots,
            "nodes": nodes,
            "thin": [n for n in nodes if n.thin and n.depth > 0],
            "form": form,
            "chart": {
                "labels": [n.segment.name for n in nodes if n.depth > 0],
                "values": [n.total for n in nodes if n.depth > 0],
                "links": [n.segment.get_absolute_url() for n in nodes if n.depth > 0],
            },
        },
        status=400 if form.errors else 200,
    )


@office_required
def chain_segment(request, pk):
    segment = reads.get_segment_for(request.user, pk)
    town_segments = reads.segments_for(request.user).filter(jurisdiction=segment.jurisdiction).exclude(pk=segment.pk)
    edit_form = SegmentEditForm(
        request.POST if request.POST.get("action") == "edit" else None,
        parents=town_segments,
        initial={
            "parent": segment.parent_id,
            "name": segment.name,
            "stage": segment.stage,
            "description": segment.description,
            "industry_codes": segment.industry_codes,
            "thin_below": segment.thin_below,
            "position": segment.position,
        },
    )
    child_form = SegmentForm(request.POST if request.POST.get("action") == "child" else None)
    if request.method == "POST" and edit_form.is_bound and edit_form.is_valid():
        with errors_on(edit_form):
            services.chain_segment_update(actor=request.user, segment=segment, **edit_form.cleaned_data)
            messages.success(request, _("已保存。"))
            return redirect(segment)
    if request.method == "POST" and child_form.is_bound and child_form.is_valid():
        with errors_on(child_form):
            child = services.chain_segment_create(
                actor=request.user, town=segment.jurisdiction, parent=segment, **child_form.cleaned_data
            )
            messages.success(request, _("已添加“%(name)s”。") % {"name": child.name})
            return redirect(segment)
    tree = {
        n.segment.pk: n for root in reads.chain_tree(actor=request.user, town=segment.jurisdiction) for n in root.walk()
    }
    return render(
        request,
        "ecosystem/industry/segment.html",
        {
            "section": "industry",
            "segment": segment,
            "node": tree.get(segment.pk),
            "path": _ancestors(segment),
            "firms": reads.segment_firms(segment),
            "candidates": reads.segment_candidates(segment),
            "edit_form": edit_form,
            "child_form": child_form,
            "tag_form": TagForm(),
        },
        status=400 if (edit_form.errors or child_form.errors) else 200,
    )


def _ancestors(segment) -> list:
    chain, node = [], segment.parent
    while node is not None:
        chain.insert(0, node)
        node = node.parent
    return chain


@office_required
@require_POST
def chain_segment_delete(request, pk):
    segment = reads.get_segment_for(request.user, pk)
    parent, town = segment.parent, segment.jurisdiction
    services.chain_segment_delete(actor=request.user, segment=segment)
    messages.success(request, _("已删除“%(name)s”。") % {"name": segment.name})
    return redirect(parent) if parent else redirect(f"{reverse('ecosystem:chain_overview')}?town={town.pk}")


@office_required
@require_POST
def chain_tag(request, pk):
    segment = reads.get_segment_for(request.user, pk)
    form = TagForm(request.POST)
    if not form.is_valid():
        raise DomainError("uscc", _("请填写企业统一社会信用代码。"))
    uscc = form.cleaned_data["uscc"].strip().upper()
    enterprise = reads.enterprises_for(request.user).filter(uscc=uscc).first()
    if enterprise is None:
        raise DomainError(
            "unknown_enterprise", _("企业名录中没有统一社会信用代码为 %(uscc)s 的企业。") % {"uscc": uscc}
        )
    services.enterprise_tag(actor=request.user, segment=segment, enterprise=enterprise)
    messages.success(request, _("已将“%(e)s”标注到“%(s)s”。") % {"e": enterprise, "s": segment})
    return redirect(segment)


@office_required
@require_POST
def chain_untag(request, pk, membership_pk):
    segment = reads.get_segment_for(request.user, pk)
    services.enterprise_untag(actor=request.user, segment=segment, membership_id=membership_pk)
    messages.success(request, _("已取消标注。"))
    return redirect(segment)


@office_required
def innovation_overview(request):
    """This year's and last year's scores, the competitions and how far the town's firms went."""
    year = timezone.localdate().year
    form = CompetitionForm(
        request.POST or None, towns=reads.towns_for(request.user), initial={"year": year, "min_score": 60}
    )
    if request.method == "POST" and form.is_valid():
        with errors_on(form):
            competition = services.competition_create(actor=request.user, **form.cleaned_data)
            messages.success(request, _("已登记赛事“%(c)s”。") % {"c": competition})
            return redirect("ecosystem:innovation_overview")
    assessments = reads.assessments_for(request.user).filter(year__gte=year - 1).order_by("-year", "-total")[:100]
    return render(
        request,
        "ecosystem/industry/innovation.html",
        {
            "section": "innovation",
            "assessments": [(a, reads.percent(a.total or 0, a.out_of)) for a in assessments],
            "competitions": reads.nomination_figures(actor=request.user),
            "stages": NOMINATION.states,
            "nominations": reads.nominations_for(request.user)[:100],
            "form": form,
        },
        status=400 if form.errors else 200,
    )


@office_required
def enterprise_innovation(request, pk):
    """An enterprise's place on the chain, its scores, and its competitions with stages and awards."""
    enterprise = reads.get_enterprise_for(request.user, pk)
    town = reads.town_of(enterprise)
    criteria = reads.criteria_of(town)
    year = timezone.localdate().year
    action = request.POST.get("action")
    score_form = AssessmentForm(request.POST if action == "score" else None, criteria=criteria, initial={"year": year})
    competitions = reads.competitions_for(request.user).filter(jurisdiction=town, year__gte=year - 1)
    nominate_form = NominationForm(request.POST if action == "nominate" else None, competitions=competitions)
    if action == "score" and score_form.is_valid():
        with errors_on(score_form):
            services.innovation_assess(
                actor=request.user,
                enterprise=enterprise,
                year=score_form.cleaned_data["year"],
                scores=score_form.scores(),
                summary=score_form.cleaned_data["summary"],
            )
            messages.success(request, _("创新评分已保存。"))
            return redirect("ecosystem:enterprise_innovation", pk=pk)
    if action == "nominate" and nominate_form.is_valid():
        with errors_on(nominate_form):
            nomination = services.nomination_create(
                actor=request.user, enterprise=enterprise, **nominate_form.cleaned_data
            )
            messages.success(request, _("已推荐参加“%(c)s”。") % {"c": nomination.competition})
            return redirect(nomination)
    assessments = reads.assessments_for(request.user).filter(enterprise=enterprise).order_by("-year")
    return render(
        request,
        "ecosystem/industry/enterprise.html",
        {
            "section": "innovation",
            "enterprise": enterprise,
            "criteria": criteria,
            "segments": reads.enterprise_segments(enterprise),
            "assessments": [(a, reads.percent(a.total or 0, a.out_of)) for a in assessments],
            "nominations": reads.nominations_for(request.user).filter(enterprise=enterprise),
            "score_form": score_form,
            "nominate_form": nominate_form,
        },
        status=400 if (score_form.errors or nominate_form.errors) else 200,
    )


@office_required
def nomination_detail(request, pk):
    nomination = reads.get_nomination_for(request.user, pk)
    return render(
        request,
        "ecosystem/industry/nomination.html",
        {
            "section": "innovation",
            "nomination": nomination,
            "score": reads.percent(nomination.score or 0, nomination.score_out_of),
            "scores": nomination.assessment.scores.select_related("criterion"),
            "transitions": NOMINATION.available(nomination, request.user),
            "form": NominationStepForm(initial={"expect": nomination.status}),
        },
    )


@office_required
@require_POST
def nomination_step(request, pk, name):
    nomination = reads.get_nomination_for(request.user, pk)
    if name not in {t.name for t in NOMINATION.transitions}:
        raise NotFound()
    form = NominationStepForm(request.POST)
    if not form.is_valid():
        raise DomainError("invalid", _("请检查填写的内容。"))
    services.nomination_transition(actor=request.user, nomination=nomination, name=name, **form.cleaned_data)
    messages.success(request, _("已记录：%(action)s。") % {"action": NOMINATION.transition(name).label})
    return redirect(nomination)
