"""Public pages: the policy list with search, a policy's page with its conditions in plain
Chinese, and the self-check 我能享受哪些政策 — an anonymous questionnaire built from the facts the
rules use, or, for a signed-in entrepreneur, a check against their registry record."""

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from chuangfu.core import public_cache

from .. import rules, selectors
from ..actions import actions_for
from ..forms import FactsForm, PolicyFilterForm, plan_questions
from ..models import Target
from .staff import panel_groups


@public_cache.anonymous_page("policy-list")
def policy_list(request):
    form = PolicyFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    policies = selectors.policy_list(filters=filters, public=True)  # lazy: a cached page never reads it
    template = "policies/public/_list_rows.html" if request.htmx else "policies/public/list.html"
    asked = [(name, request.GET.get(name)) for name in form.fields if request.GET.get(name)]
    return render(
        request,
        template,
        {
            "form": form,
            "policies": policies,
            "public_ttl": public_cache.TTL,
            "public_vary": public_cache.vary("policy-list", asked),
        },
    )


def _public_policy(pk):
    return selectors.get_policy(pk, public=True)


def policy_detail(request, pk, number=None):
    policy = _public_policy(pk)
    if number is None:
        version = selectors.current_version(policy)
    else:
        version = selectors.get_version(policy, number, public=True)
    versions = policy.versions.filter(status="published").order_by("-effective_from")
    return render(
        request,
        "policies/public/detail.html",
        {
            "policy": policy,
            "version": version,
            "versions": versions,
            "described": rules.describe(version.rule) if version.rule else None,
            "in_force": version.in_force_on(timezone.localdate()),
            "actions": actions_for(policy, version, request.user) if version else [],
        },
    )


def _questions(kind: str):
    versions = selectors.versions_in_force(timezone.localdate(), kind)
    return plan_questions([(v.rule, v.policy.code) for v in versions if v.rule], kind)


@require_http_methods(["GET", "POST"])
def self_check(request):
    kind = request.GET.get("kind") or request.POST.get("kind") or Target.PERSON
    if kind not in (Target.PERSON, Target.ENTERPRISE):
        raise Http404()
    form = FactsForm(request.POST or None, questions=_questions(kind), mode="check")
    results = None
    if request.method == "POST" and form.is_valid():
        explained = selectors.subject_explanations(rules.GivenSource(form.facts()), kind, timezone.localdate())
        results = panel_groups(explained)
    mine = _own_subjects(request.user)
    return render(
        request,
        "policies/public/self_check.html",
        {"form": form, "kind": kind, "results": results, "mine": mine, "kinds": Target.choices},
    )


def _own_subjects(user) -> list[tuple[str, object]]:
    """The registry records linked to a signed-in account (an entrepreneur's person or enterprise)."""
    if not user.is_authenticated:
        return []
    found = []
    person = getattr(user, "person", None)
    enterprise = getattr(user, "enterprise", None)
    if person is not None:
        found.append((Target.PERSON, person))
    if enterprise is not None:
        found.append((Target.ENTERPRISE, enterprise))
    return found


@login_required
def self_check_mine(request, kind):
    subject = next((s for k, s in _own_subjects(request.user) if k == kind), None)
    if subject is None:
        return redirect("policy:self_check")
    explained = selectors.explain_subject(kind, subject.pk)
    return render(
        request, "policies/public/self_check_mine.html", {"subject": subject, "kind": kind, **panel_groups(explained)}
    )
