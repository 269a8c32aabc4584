"""The bodies and their members: list, one body with its terms and member history, and the
office's changes (a term, a member joining, leaving or being replaced)."""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from chuangfu.core.web import errors_on

from .. import selectors
from ..access import is_office
from ..forms import MemberEndForm, MemberForm, MemberReplaceForm, TermForm
from ..services import bodies as services
from ._common import form_errors, governance_required, office_required


@governance_required
def body_list(request):
    bodies = selectors.bodies_for(request.user)
    return render(request, "governance/bodies/list.html", {"bodies": bodies})


@governance_required
def body_detail(request, pk):
    return _detail(request, selectors.get_body_for(request.user, pk))


@require_POST
@office_required
def term_add(request, pk):
    body = selectors.get_body_for(request.user, pk)
    form = TermForm(request.POST)
    if form.is_valid():
        with errors_on(form):
            services.term_create(actor=request.user, body=body, **form.cleaned_data)
            messages.success(request, _("届次已添加。"))
            return redirect("governance:body", pk)
    return _detail(request, body, term_form=form)


@require_POST
@office_required
def member_add(request, term_pk):
    term = selectors.get_term_for(request.user, term_pk)
    form = MemberForm(request.POST, jurisdiction=term.body.jurisdiction)
    if form.is_valid():
        with errors_on(form):
            services.membership_add(actor=request.user, term=term, **form.cleaned_data)
            messages.success(request, _("成员已添加。"))
            return redirect("governance:body", term.body_id)
    return _detail(request, term.body, member_form=form)


@require_POST
@office_required
def member_end(request, pk):
    member = selectors.get_member_for(request.user, pk)
    form = MemberEndForm(request.POST)
    if not form.is_valid():
        messages.error(request, form_errors(form))
    else:
        services.membership_end(
            actor=request.user,
            member=member,
            left_on=form.cleaned_data["left_on"],
            reason=form.cleaned_data["reason"],
        )
        messages.success(request, _("已记录离任，历史记录保留。"))
    return redirect("governance:body", member.term.body_id)


@require_POST
@office_required
def member_replace(request, pk):
    member = selectors.get_member_for(request.user, pk)
    form = MemberReplaceForm(request.POST)
    if not form.is_valid():
        messages.error(request, form_errors(form))
    else:
        services.membership_replace(actor=request.user, member=member, **form.cleaned_data)
        messages.success(request, _("人员已变更，原成员保留在历史记录中。"))
    return redirect("governance:body", member.term.body_id)


def _detail(request, body, *, member_form=None, term_form=None):
    """The body page; with a refused form it is shown again with its errors (status 400)."""
    context = {
        "body": body,
        "terms": selectors.terms_of(body),
        "is_office": is_office(request.user),
        "member_form": member_form or MemberForm(jurisdiction=body.jurisdiction),
        "term_form": term_form or TermForm(),
        "end_form": MemberEndForm(),
        "replace_form": MemberReplaceForm(),
    }
    status = 400 if (member_form or term_form) else 200
    return render(request, "governance/bodies/detail.html", context, status=status)
