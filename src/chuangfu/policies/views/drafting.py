"""Drafting a town's own policy: send a draft to member units (征求意见), their comments clause by
clause, the office's answers, the leadership's approval (审定) and the issue with its 文号 (印发).
Thin: parse, call ``services.drafting`` or a selector, render. Rounds outside the actor's reach are 404."""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from chuangfu.core.models import Role
from chuangfu.core.web import errors_on

from .. import selectors
from ..forms import ClauseCommentForm, CommentResponseForm, ConsultationForm, IssueForm
from ..models import Adoption, VersionStatus
from ..permissions import can_approve_policy, can_edit_policy
from ..services import drafting
from ..workflows import VERSION
from .staff import _version, staff_view


@staff_view
def drafting_list(request):
    rounds = selectors.drafting_rounds(request.user)[:100]
    return render(request, "policies/drafting/list.html", {"rounds": rounds})


@staff_view
def consultation_start(request, pk, number):
    version = _version(request, pk, number)
    if not can_edit_policy(request.user, version.policy):
        return redirect("policies:version_detail", pk, number)
    form = ConsultationForm(request.POST or None, town=version.policy.jurisdiction, prefix="c")
    if request.method == "POST" and form.is_valid():
        with errors_on(form):
            consultation = drafting.consultation_open(
                actor=request.user,
                version=version,
                units=form.cleaned_data["units"],
                due_on=form.cleaned_data["due_on"],
            )
            messages.success(request, _("已发送征求意见，各单位联络员会收到通知。"))
            return redirect("policies:consultation", consultation.pk)
    refusal = VERSION.refusal(version, VERSION.transition("consult"), request.user)
    return render(
        request,
        "policies/drafting/start.html",
        {"form": form, "version": version, "policy": version.policy, "refusal": refusal},
    )


def _detail_context(request, consultation, **forms):
    version = consultation.version
    user = request.user
    mine = user.unit_id if user.role == Role.UNIT_LIAISON else None
    context = {
        "consultation": consultation,
        "version": version,
        "policy": version.policy,
        "clauses": selectors.consultation_clauses(consultation),
        "units": selectors.consultation_units(consultation),
        "latest": consultation.pk == version.consultations.order_by("-number").values_list("pk", flat=True).first(),
        "is_liaison": mine is not None,
        "replied": mine is not None and consultation.replies.filter(unit_id=mine).exists(),
        "can_answer": consultation.is_open and can_edit_policy(user, version.policy),
        "actions": {t.name for t in VERSION.available(version, user)},
        "approve_refusal": VERSION.refusal(version, VERSION.transition("approve"), user)
        if version.status == VersionStatus.CONSULTATION and can_approve_policy(user, version.policy)
        else None,
        "can_edit": can_edit_policy(user, version.policy),
        "comment_form": forms.get("comment_form") or ClauseCommentForm(clauses=consultation.clauses, prefix="k"),
        "response_form": CommentResponseForm(prefix="r"),
        "issue_form": forms.get("issue_form") or IssueForm(prefix="i"),
        "pending": Adoption.PENDING,
    }
    return context


@staff_view
def consultation_detail(request, consultation_id):
    consultation = selectors.consultation_for(consultation_id, actor=request.user)
    return render(request, "policies/drafting/detail.html", _detail_context(request, consultation))


@staff_view
@require_POST
def consultation_comment(request, consultation_id):
    consultation = selectors.consultation_for(consultation_id, actor=request.user)
    form = ClauseCommentForm(request.POST, clauses=consultation.clauses, prefix="k")
    if form.is_valid():
        with errors_on(form):
            drafting.comment_add(
                actor=request.user,
                consultation=consultation,
                clause=form.cleaned_data["clause"],
                text=form.cleaned_data["text"],
            )
            messages.success(request, _("意见已提交。"))
            return redirect("policies:consultation", consultation.pk)
    context = _detail_context(request, consultation, comment_form=form)
    return render(request, "policies/drafting/detail.html", context, status=400)


@staff_view
@require_POST
def consultation_reply(request, consultation_id):
    consultation = selectors.consultation_for(consultation_id, actor=request.user)
    no_comment = request.POST.get("no_comment") == "1"
    drafting.consultation_reply(actor=request.user, consultation=consultation, no_comment=no_comment)
    messages.success(request, _("已反馈：无意见。") if no_comment else _("已反馈完毕。"))
    return redirect("policies:consultation", consultation.pk)


@staff_view
@require_POST
def comment_respond(request, consultation_id, comment_id):
    consultation = selectors.consultation_for(consultation_id, actor=request.user)
    comment = consultation.comments.filter(pk=comment_id).first()
    if comment is None:
        return redirect("policies:consultation", consultation.pk)
    form = CommentResponseForm(request.POST, prefix="r")
    if not form.is_valid():
        messages.error(request, _("请选择采纳情况。"))
        return redirect("policies:consultation", consultation.pk)
    drafting.comment_respond(
        actor=request.user,
        comment=comment,
        adoption=form.cleaned_data["adoption"],
        response=form.cleaned_data["response"],
    )
    messages.success(request, _("已答复。"))
    return redirect(f"{reverse('policies:consultation', args=[consultation.pk])}#comment-{comment.pk}")


@staff_view
@require_POST
def version_revise(request, consultation_id):
    consultation = selectors.consultation_for(consultation_id, actor=request.user)
    version = drafting.version_revise(actor=request.user, consultation=consultation)
    messages.success(request, _("已退回修改；修改后可再次征求意见。"))
    return redirect("policies:version_detail", version.policy_id, version.number)


@staff_view
@require_POST
def version_approve(request, consultation_id):
    consultation = selectors.consultation_for(consultation_id, actor=request.user)
    drafting.version_approve(actor=request.user, consultation=consultation)
    messages.success(request, _("已审定，待印发。"))
    return redirect("policies:consultation", consultation.pk)


@staff_view
@require_POST
def version_issue(request, consultation_id):
    consultation = selectors.consultation_for(consultation_id, actor=request.user)
    form = IssueForm(request.POST, prefix="i")
    if form.is_valid():
        with errors_on(form):
            version = drafting.version_issue(
                actor=request.user, version=consultation.version, document_number=form.cleaned_data["document_number"],
                issued_on=form.cleaned_data["issued_on"],
            )  # fmt: skip
            messages.success(request, _("已印发（%(n)s）并发布，正在后台匹配名录。") % {"n": version.issued_number})
            return redirect("policies:policy_detail", version.policy_id)
    context = _detail_context(request, consultation, issue_form=form)
    return render(request, "policies/drafting/detail.html", context, status=400)
