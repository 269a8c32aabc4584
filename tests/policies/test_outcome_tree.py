"""The explanation's condition tree rendered in Python (``{% outcome_tree %}``) is, byte for byte,
what the template include it replaced rendered — nested groups, actual values, unknowns, both
languages — and escapes what a rule's values put in the text."""

import datetime

import pytest
from django.template import Context, Engine
from django.utils import translation

from chuangfu.policies import rules
from chuangfu.policies.templatetags.policies_tags import outcome_tree

pytestmark = pytest.mark.django_db

# the include this tag replaced (policies/_outcome.html until session 11), as the reference
REFERENCE = (
    '{% load i18n policies_tags %}<ul class="list-unstyled cf-outcome">{% for o in outcomes %}<li><span class="badge '
    'cf-status-{{ o.status }}">{{ o.status_label }}</span> {{ o.text }}{% if o.actual %} <span class="text-muted '
    'small">{% punct "（" %}{% translate "实际情况" %}{% punct "：" %}{{ o.actual }}{% punct "）" %}</span>{% endif %}'
    '{% if o.children %}{% include "outcome.html" with outcomes=o.children %}{% endif %}</li>{% endfor %}</ul>'
)
RULE = {
    "all": [
        {"fact": "age", "op": "between", "value": [18, 35]},
        {
            "any": [
                {"fact": "graduation_date", "op": "within_years", "value": 2},
                {
                    "fact": "represents",
                    "op": "satisfies",
                    "value": {"fact": "business_scope", "op": "mentions_any", "value": ["<b>软件&开发</b>"]},
                },
            ]
        },
        {"not": {"fact": "hukou_kind", "op": "in", "value": ["local"]}},
        {"fact": "insured_months", "op": "gte", "value": 6},
    ]
}


def _reference(outcomes) -> str:
    engine = Engine(
        loaders=[("django.template.loaders.locmem.Loader", {"outcome.html": REFERENCE})],
        libraries={
            "policies_tags": "chuangfu.policies.templatetags.policies_tags",
            "i18n": "django.templatetags.i18n",
        },
    )
    return engine.get_template("outcome.html").render(Context({"outcomes": outcomes}))


@pytest.mark.parametrize("language", ["zh-hans", "en"])
@pytest.mark.parametrize(
    "facts",
    [
        {"age": 40, "graduation_date": "2020-01-01", "hukou_kind": "local", "insured_months": 3},
        {"age": 20, "hukou_kind": "permit"},  # the rest unknown
        {"age": 20, "graduation_date": "2025-06-30", "hukou_kind": "permit", "insured_months": 12},
        {"age": 20, "hukou_kind": "permit", "represents": [{"business_scope": "软件开发；<b>软件&开发</b>"}]},
    ],
)
def test_the_tree_is_what_the_template_rendered(language, facts):
    rule = rules.validate_rule(RULE, "person")
    ctx = rules.Context(on=datetime.date(2026, 12, 7), policy_code="x")
    with translation.override(language):
        outcomes = rules.explain(rule, rules.GivenSource(facts), ctx).conditions
        assert str(outcome_tree(outcomes)) == _reference(outcomes)


def test_a_rules_values_are_escaped():
    rule = rules.validate_rule(
        {"all": [{"fact": "business_scope", "op": "mentions_any", "value": ["<b>软件&开发</b>"]}]}, "enterprise"
    )
    facts = {"business_scope": "物流<script>"}
    outcomes = rules.explain(rule, rules.GivenSource(facts), rules.Context(on=datetime.date(2026, 12, 7))).conditions
    html = str(outcome_tree(outcomes))
    assert "&lt;b&gt;软件&amp;开发&lt;/b&gt;" in html and "<b>" not in html and "<script>" not in html, html
    assert html == _reference(outcomes)
