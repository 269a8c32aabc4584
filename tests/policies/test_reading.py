"""How the pages read, found by trying them as a new user would: the questions of a rule test
case and of the self-check grouped under the relation or grant they belong to, and the English
pages in English — words other apps translate differently, list separators, punctuation."""

import datetime
import re

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import translation

from chuangfu.policies import rules
from chuangfu.policies.forms import RuleCaseForm, plan_questions
from tests import factories as f

from .conftest import make_policy

pytestmark = pytest.mark.django_db
D = datetime.date

RULE = {
    "all": [
        {"fact": "age", "op": "between", "value": [18, 35]},
        {"fact": "hukou_kind", "op": "in", "value": ["local", "permit"]},
        {
            "fact": "represents",
            "op": "satisfies",
            "value": {
                "all": [
                    {"fact": "registered_in", "op": "within", "value": "310115114"},
                    {"fact": "startup_organisation", "op": "is", "value": True},
                    {"fact": "months_since_founding", "op": "lte", "value": 36},
                ]
            },
        },
        {"fact": "granted", "op": "is", "value": False, "args": {"policy": "self", "within_months": None}},
    ]
}


def _policy(status="published"):
    f.town()
    return make_policy(
        code="tz-youth-rent",
        title="唐镇青年创业场租补贴",
        rule=RULE,
        category="employment",
        status=status,
        cases=[
            (
                "28 岁的唐镇小微企业法人",
                "eligible",
                {
                    "age": 28,
                    "hukou_kind": "local",
                    "granted": {},
                    "represents": [
                        {"registered_in": "310115114", "startup_organisation": True, "months_since_founding": 12}
                    ],
                },
            )
        ],
    )


# Up to three enterprises the person represents, each with the questions the rule asks of one.
ENTERPRISE_FIELDS = [
    f"represents__{n}{name}"
    for n in ("", "2__", "3__")
    for name in ("months_since_founding", "startup_organisation", "registered_in")
]


def test_a_test_case_asks_about_the_enterprise_beneath_the_question_it_belongs_to():
    policy = _policy()
    version = policy.versions.get()
    form = RuleCaseForm(questions=plan_questions([(version.rule, policy.code)], "person"), mode="case")
    groups = [(g["main"].name, [d.name for d in g["details"]], g["wide"]) for g in form.field_groups()]
    assert groups == [
        ("age", [], False),
        ("hukou_kind", [], False),
        ("granted__unknown", ["granted__tz-youth-rent"], True),
        ("represents", ENTERPRISE_FIELDS, True),
    ]


def test_the_case_form_draws_the_enterprise_questions_indented_under_represents(client, desk):
    policy = _policy(status="draft")
    client.force_login(desk)
    html = client.get(reverse("policies:case_create", args=[policy.pk, 1])).content.decode()
    details = html.split('cf-details">')[1:]
    assert [re.findall(r'name="([^"]+)"', d.split("</div>\n  </div>")[0]) for d in details] == [
        ["granted__tz-youth-rent"],
        ENTERPRISE_FIELDS,
    ]


def test_the_self_check_draws_the_enterprise_questions_indented_under_represents(client):
    _policy()
    html = client.get(reverse("policy:self_check")).content.decode()
    represents = html.split('name="represents"')[1]
    assert 'cf-details">' in represents.split('name="represents__')[0]  # the details open right after it


def test_conditions_read_as_english_in_english():
    with translation.override("en"):
        described = rules.describe(rules.validate_rule(RULE, "person"))
        texts = [c.text for c in described.children]
        inner = [c.text for c in described.children[2].children]
    assert (
        texts[1] == "Household registration is one of Shanghai household, "
        "Non-Shanghai household (with Shanghai residence permit)"
    )
    assert inner == [
        "Place of registration within 唐镇",
        "Is a start-up organisation",
        "Time since founding at most 36 months",
    ]
    assert texts[3] == "Has never received this policy"


def _english(client, url) -> str:
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    html = client.get(url).content.decode()
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def test_the_staff_and_public_policy_pages_in_english_use_english_words_and_punctuation(client, desk):
    policy = _policy()
    client.force_login(desk)
    version_page = _english(client, reverse("policies:version_detail", args=[policy.pk, 1]))
    assert "Passed" in version_page and "Approve" not in version_page  # 通过 of a test case, not of a review
    assert "Expected: " in version_page and "Expected：" not in version_page
    assert "Employment · for Individual" in version_page  # not "Employed · for People"
    assert "、" not in version_page and "Place of registration within 唐镇" in version_page
    assert "Maintained by: " in _english(client, reverse("policies:policy_detail", args=[policy.pk]))
    public = _english(client, reverse("policy:detail", args=[policy.pk]))
    assert "Is a start-up organisation" in public and "、" not in public


def test_the_no_version_error_lists_each_version_in_english(desk):
    from chuangfu.core.errors import DomainError
    from chuangfu.policies import services

    policy = make_policy(code="ended", effective_to=D(2024, 12, 31))
    with translation.override("en"), pytest.raises(DomainError) as refused:
        services.policy_match(policy=policy, on=D(2025, 3, 1))
    assert "version 1 2024-01-01" in str(refused.value.message) and "第" not in str(refused.value.message)


def test_the_subject_column_reads_subject_in_english_and_the_audit_log_keeps_record(client, desk):
    """对象 is a policy's subject on the policy pages and the changed record in the audit log."""
    from chuangfu.core.models import Role

    policy = _policy()
    client.force_login(desk)
    matches = _english(client, reverse("policies:match_list", args=[policy.pk]))
    assert "Subject" in matches and "Record" not in matches
    client.force_login(f.user(role=Role.ADMIN))
    assert "Record" in _english(client, reverse("core:audit_list") + "?action=policies")
