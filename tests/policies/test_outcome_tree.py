"""An explanation rendered in Python — the condition tree (``{% outcome_tree %}``) and a policy's
card on a subject's page (``{% explained_card %}``) — is what the template includes they replaced
rendered (the tree byte for byte, the card up to runs of whitespace): nested groups, actual values,
unknowns, every result, both languages; and what a rule's values put in the text is escaped."""

import datetime
import re

import pytest
from django.template import Context, Engine
from django.utils import translation

from chuangfu.policies import rules, selectors
from chuangfu.policies.templatetags.policies_tags import explained_card, outcome_tree
from tests import factories as f

from .conftest import make_policy

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


# the card include this tag replaced (policies/_explained.html and its badge until session 11)
CARD = '{% load i18n policies_tags %}{# one PolicyExplanation: ``item``; ``link`` = url of the policy page #}\n<div class="card mb-2 cf-result-{{ item.result }}"><div class="card-body py-2">\n  <div class="d-flex justify-content-between align-items-start gap-2">\n    <div><a class="fw-semibold" href="{{ link }}">{{ item.policy.title }}</a>\n      {% if item.policy.is_example %}<span class="badge text-bg-light border ms-1">{% translate "示例" %}</span>{% endif %}\n      <div class="small text-muted">{{ item.policy.get_level_display }} · {{ item.policy.get_category_display }}{% if item.policy.document_number %} · {{ item.policy.document_number }}{% endif %}</div></div>\n    {% include "policies/_result_badge.html" with result=item.result %}\n  </div>\n  {% with e=item.explanation %}\n  {% if item.result == "almost" %}<p class="mb-1 mt-2">{% translate "差一项" %}{% punct "：" %}<strong>{{ e.open_condition.text }}</strong>{% if e.open_condition.actual and not e.open_condition.children %}<span class="text-muted">{% punct "（" %}{% translate "实际情况" %}{% punct "：" %}{{ e.open_condition.actual }}{% punct "）" %}</span>{% endif %}</p>\n  {% if e.open_condition.children %}<ul class="small mb-1">{% for c in e.open_condition.children %}{% if c.status != "met" %}<li>{{ c.text }}{% punct "：" %}{{ c.status_label }}{% if c.actual %}{% punct "（" %}{% translate "实际情况" %}{% punct "：" %}{{ c.actual }}{% punct "）" %}{% endif %}</li>{% endif %}{% endfor %}</ul>{% endif %}\n  {% elif item.result == "unknown" %}<p class="mb-1 mt-2">{% translate "以下情况尚不清楚，核实后才能判断" %}{% punct "：" %}{% for c in e.open_conditions %}<strong>{{ c.text }}</strong>{% if not forloop.last %}{% punct "；" %}{% endif %}{% endfor %}</p>{% endif %}\n  <details class="mt-1"><summary class="small">{% translate "逐条说明" %}</summary>{% outcome_tree e.conditions %}</details>\n  {% endwith %}\n</div></div>\n'
BADGE = '{% load i18n %}{% if result == "eligible" %}<span class="badge text-bg-success">{% translate "符合" %}</span>{% elif result == "almost" %}<span class="badge text-bg-warning">{% translate "差一项" %}</span>{% elif result == "unknown" %}<span class="badge text-bg-secondary">{% translate "待核实" %}</span>{% else %}<span class="badge text-bg-light border">{% translate "不符合" %}</span>{% endif %}\n'


def _card_reference(item, link) -> str:
    engine = Engine(
        loaders=[
            (
                "django.template.loaders.locmem.Loader",
                {"policies/_explained.html": CARD, "policies/_result_badge.html": BADGE},
            )
        ],
        libraries={
            "policies_tags": "chuangfu.policies.templatetags.policies_tags",
            "i18n": "django.templatetags.i18n",
        },
    )
    return engine.get_template("policies/_explained.html").render(Context({"item": item, "link": link}))


def _spaced(html: str) -> str:
    return re.sub(r"\s+", " ", html).strip()


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_a_policy_card_is_what_the_template_rendered_for_every_result(language):
    on = datetime.date(2026, 12, 7)
    young = {"fact": "age", "op": "lte", "value": 35}
    local = {"fact": "hukou_kind", "op": "in", "value": ["local"]}
    graduated = {"fact": "graduation_date", "op": "within_years", "value": 2}
    make_policy(code="p-eligible", title="符合<政策>", rule={"all": [young]}, document_number="沪人社规〔2023〕1号")
    make_policy(code="p-almost", title="差一项政策", rule={"all": [young, {"any": [local, {"not": young}]}]})
    make_policy(code="p-almost-leaf", title="差一项叶子", rule={"all": [young, local]}, is_example=True)
    make_policy(
        code="p-unknown",
        title="待核实政策",
        rule={"all": [young, graduated, {"fact": "graduation_date", "op": "in_calendar_years", "value": 3}]},
    )
    person = f.person(birth_date=datetime.date(1996, 1, 1), hukou_kind="permit")
    with translation.override(language):
        items = [e for e in selectors.explain_subject("person", person.pk, on) if e.result != "ineligible"]
        assert {e.result for e in items} == {"eligible", "almost", "unknown"} and len(items) == 4
        for item in items:
            link = f"/policies/{item.policy.pk}/?a=1&b=2"
            mine = str(explained_card(item, link))
            assert _spaced(mine) == _spaced(_card_reference(item, link)), item.policy.code
        eligible = next(item for item in items if item.result == "eligible")
        assert "符合&lt;政策&gt;" in str(explained_card(eligible, "/x/")) and "<政策>" not in str(
            explained_card(eligible, "/x/")
        )


def test_the_librarys_context_words_each_condition_once_per_language_and_each_language_as_its_own(monkeypatch):
    """A subject's page words the same conditions for every subject: the library's context keeps
    each condition's wording per language (decision 40), and an English reader never gets the
    Chinese wording kept for another request, nor the other way round."""
    on = datetime.date(2026, 12, 7)
    make_policy(code="p-young", title="青年政策", rule={"all": [{"fact": "age", "op": "lte", "value": 35}]})
    first, second = f.person(birth_date=datetime.date(1996, 1, 1)), f.person(birth_date=datetime.date(1980, 1, 1))
    from chuangfu.policies.rules import evaluate

    worded = []
    real = evaluate.condition_text
    monkeypatch.setattr(evaluate, "condition_text", lambda node, ctx: worded.append(node) or real(node, ctx))

    def texts(language, person):
        with translation.override(language):
            (item,) = selectors.explain_subject("person", person.pk, on)
            return [c.text for c in item.explanation.conditions]

    assert texts("zh-hans", first) == ["年龄不超过 35 周岁"]
    assert texts("en", first) != ["年龄不超过 35 周岁"]
    english = texts("en", second)
    assert texts("zh-hans", second) == ["年龄不超过 35 周岁"] and english == texts("en", first)
    assert len(worded) == 2, "each language's wording is made once for the library's context"
