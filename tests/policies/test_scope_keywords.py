"""Business-scope keywords (经营范围), judged both ways with the answers written out: any / all /
none of the keywords; a keyword inside a longer word counts ("软件" in "软件开发"); ASCII letters
compare without case, nothing else folds; a blank scope is "to be verified"; the editor, the
plain-language text, the satisfiability check, the self-check and its API take the fact."""

import datetime

import pytest
from django.urls import reverse

from chuangfu.policies import rules
from chuangfu.policies.rules.given import check_given
from tests import factories as f

from .conftest import make_policy
from .test_boundaries import both

pytestmark = pytest.mark.django_db
ON = datetime.date(2026, 6, 1)
SCOPE = "餐饮服务；食品销售（仅销售预包装食品）；APP软件开发；技术咨询"


def kw(op, *words):
    return {"fact": "business_scope", "op": op, "value": list(words)}


@pytest.mark.parametrize(
    "rule, expected",
    [
        (kw("mentions_any", "餐饮"), "eligible"),
        (kw("mentions_any", "烟草", "酒类"), "ineligible"),
        (kw("mentions_any", "烟草", "食品"), "eligible"),
        (kw("mentions_all", "餐饮", "食品销售"), "eligible"),
        (kw("mentions_all", "餐饮", "烟草"), "ineligible"),
        (kw("mentions_none", "烟草", "酒类"), "eligible"),
        (kw("mentions_none", "烟草", "软件"), "ineligible"),  # inside "软件开发"
        (kw("mentions_any", "app"), "eligible"),  # ASCII letters: either case
        (kw("mentions_any", "ＡＰＰ"), "ineligible"),  # full-width letters are other characters
        (kw("mentions_any", "餐饮 服务"), "ineligible"),  # stated as one word, not found as such
        ({"not": kw("mentions_any", "餐饮")}, "ineligible"),
    ],
)
def test_a_restaurant_with_an_app(rule, expected):
    assert both(rule, f.enterprise(business_scope=SCOPE), ON) == expected


def test_a_blank_scope_is_to_be_verified_and_says_so():
    firm = f.enterprise(business_scope="")
    assert both(kw("mentions_any", "餐饮"), firm, ON) == "unknown"
    assert both(kw("mentions_none", "餐饮"), firm, ON) == "unknown"
    explained = rules.explain(
        kw("mentions_any", "餐饮"), rules.RecordSource(rules.load_subject("enterprise", firm.pk)), rules.Context(on=ON)
    )
    assert explained.conditions[0].actual == "无数据（未登记经营范围）"


def test_a_scope_with_a_quote_or_percent_sign_is_searched_as_text():
    firm = f.enterprise(business_scope="100%原创 'IP' 设计")
    assert both(kw("mentions_any", "100%原创"), firm, ON) == "eligible"
    assert both(kw("mentions_any", "'ip'"), firm, ON) == "eligible"


def test_keywords_searched_once_serve_every_condition_of_the_match():
    a, b = f.enterprise(business_scope="餐饮服务"), f.enterprise(business_scope="软件开发")
    frames = rules.Frames()
    frame = frames.get("enterprise")
    ctx = rules.Context(on=ON)
    met, _not_met = rules.frame.evaluate(kw("mentions_any", "餐饮", "软件"), ctx, frame)
    assert set(frame.ids[met]) == {a.pk, b.pk}
    searched = dict(frame._cache["scope_keywords"])
    met, _not_met = rules.frame.evaluate(kw("mentions_all", "软件"), ctx, frame)
    assert set(frame.ids[met]) == {b.pk}
    assert frame._cache["scope_keywords"].keys() == searched.keys()  # "软件" was not searched again


def test_the_wording_and_the_validation():
    assert rules.describe(kw("mentions_any", "餐饮", "食品")).text == "经营范围含有“餐饮”、“食品”中的任一个"
    assert rules.describe(kw("mentions_none", "烟草")).text == "经营范围不含“烟草”"
    assert rules.validate_rule(kw("mentions_all", " 餐饮", "餐饮", "食品"), "enterprise") == kw(
        "mentions_all", "餐饮", "食品"
    )
    with pytest.raises(rules.RuleError) as error:
        rules.validate_rule(kw("mentions_any", "x" * 21), "enterprise")
    assert "关键词最长 20 个字" in error.value.errors[0]
    with pytest.raises(rules.RuleError) as error:
        rules.validate_rule(kw("mentions_any", *[f"词{i}" for i in range(11)]), "enterprise")
    assert "关键词最多 10 个" in error.value.errors[0]


def test_the_satisfiability_check_knows_a_keyword_inside_another():
    refused = {"all": [kw("mentions_any", "软件开发"), kw("mentions_none", "软件")]}
    with pytest.raises(rules.RuleError) as error:
        rules.validate_rule(refused, "enterprise")
    assert "互相矛盾" in error.value.errors[0]
    with pytest.raises(rules.RuleError):
        rules.validate_rule({"all": [kw("mentions_all", "餐饮", "食品"), kw("mentions_none", "食品")]}, "enterprise")
    rules.validate_rule({"all": [kw("mentions_any", "软件"), kw("mentions_none", "软件开发")]}, "enterprise")
    rules.validate_rule({"all": [kw("mentions_any", "APP"), kw("mentions_none", "ＡＰＰ")]}, "enterprise")


def test_the_editor_posts_keywords_as_text(client):
    from chuangfu.policies import editor

    tree = editor.parse(
        {"r.kind": "all", "r.0.fact": "business_scope", "r.0.op": "mentions_any", "r.0.keywords": "餐饮，食品 软件"}
    )
    assert tree == {"all": [kw("mentions_any", "餐饮", "食品", "软件")]}
    node = editor.build(tree, "enterprise")
    assert node.children[0].widget == "keywords" and node.children[0].value == "餐饮 食品 软件"


def test_the_self_check_asks_for_the_scope_and_its_api_refuses_a_non_text(client):
    make_policy(code="food", title="餐饮扶持", target="enterprise", rule={"all": [kw("mentions_any", "餐饮")]})
    form = client.get(reverse("policy:self_check") + "?kind=enterprise").content.decode()
    assert 'name="business_scope"' in form
    results = client.post(
        reverse("policy:self_check"), {"kind": "enterprise", "business_scope": "餐饮管理；外卖递送"}
    ).context["results"]
    assert [item.policy.code for item in results["eligible"]] == ["food"]
    problems = check_given({"business_scope": 12}, "enterprise", set(), set())
    assert problems == ["“经营范围”应为不超过 4000 字的文字。"]


@pytest.mark.parametrize(
    "scope",
    [
        "APP开发；软件",  # upper-case ASCII: folded before the search
        "app开发",  # no upper-case ASCII letter: searched as it is
        "ÀPP开发；ÉTUDE",  # upper-case letters beyond ASCII do not fold
        "\u212aelvin设计",  # the Kelvin sign, which some lower() functions turn into an ASCII k
        "ＡＰＰ开发",  # full-width letters
    ],
)
@pytest.mark.parametrize("words", [("app",), ("kelvin",), ("étude",), ("ÉTUDE",), ("软件", "app"), ("开发",)])
def test_the_database_search_folds_exactly_the_ascii_letters_as_python_does(scope, words):
    """Keywords without an ASCII letter are searched in the scope as it is and keywords with one in
    the folded scope (on PostgreSQL only for a scope with an upper-case ASCII letter): each way
    agrees with Python's ``mentions`` for every scope."""
    from chuangfu.policies.rules.facts.text import mentions

    expected = "eligible" if mentions("mentions_any", words, scope) else "ineligible"
    assert both(kw("mentions_any", *words), f.enterprise(business_scope=scope), ON) == expected


def test_a_full_match_searches_every_keyword_of_its_rules_and_the_blank_scopes_in_one_scan():
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from chuangfu.policies.models import Match, MatchRun, Policy, Result
    from chuangfu.policies.rules.facts.text import rule_keywords
    from chuangfu.policies.services.matching import match_policies

    diner, coder, _blank = (
        f.enterprise(business_scope="餐饮服务"),
        f.enterprise(business_scope="APP软件开发"),
        f.enterprise(business_scope=""),
    )
    nested = {"all": [{"not": kw("mentions_any", "烟草")}, kw("mentions_all", "App", "软件")]}
    make_policy(code="kw-a", target="enterprise", rule=kw("mentions_any", "餐饮"))
    make_policy(code="kw-b", target="enterprise", rule=nested)
    assert rule_keywords(nested) == ["烟草", "app", "软件"]
    with CaptureQueriesContext(connection) as queries:
        match_policies(policies=list(Policy.objects.filter(code__in=["kw-a", "kw-b"])), on=ON)
    assert len([q for q in queries.captured_queries if "business_scope" in q["sql"]]) == 1
    results = {(m.policy.code, m.enterprise_id): m.result for m in Match.objects.filter(policy__code__startswith="kw-")}
    assert results[("kw-a", diner.pk)] == results[("kw-b", coder.pk)] == Result.ELIGIBLE
    assert ("kw-b", diner.pk) not in results or results[("kw-b", diner.pk)] != Result.ELIGIBLE
    runs = {run.policy.code: run for run in MatchRun.objects.filter(policy__code__startswith="kw-")}
    assert (runs["kw-a"].eligible, runs["kw-a"].unknown) == (1, 1)  # the blank scope: to be verified
    assert (runs["kw-b"].eligible, runs["kw-b"].unknown) == (1, 1)


def test_more_keywords_than_one_packed_column_holds_are_each_found():
    """31 keywords and the blank flag take two packed columns of the enterprises' read."""
    from chuangfu.policies.models import MatchRun, Policy
    from chuangfu.policies.rules.facts import text
    from chuangfu.policies.services.matching import match_policies

    words = [f"业务{n:02d}" for n in range(31)]
    firms = [f.enterprise(business_scope=f"一般项目：{w}；技术服务") for w in words] + [f.enterprise(business_scope="")]
    for n in range(4):
        make_policy(code=f"kw-many-{n}", target="enterprise", rule=kw("mentions_any", *words[n * 8 : n * 8 + 8]))
    assert len(text._packed(words)[0]) == 2
    match_policies(policies=list(Policy.objects.filter(code__startswith="kw-many-")), on=ON)
    runs = {run.policy.code: run for run in MatchRun.objects.filter(policy__code__startswith="kw-many-")}
    assert [runs[f"kw-many-{n}"].eligible for n in range(4)] == [8, 8, 8, 7]
    assert all(runs[f"kw-many-{n}"].unknown == 1 for n in range(4))  # the blank scope
    assert len(firms) == 32
