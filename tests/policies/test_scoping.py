"""Another town's draft policy is invisible to a town's editor (issue 12.2): list, detail, version,
matches, outreach, grants, rates, the rule editor's list of policies, and the API."""

import datetime

import pytest
from django.urls import reverse

from chuangfu.core.errors import NotFound
from chuangfu.core.models import Role
from chuangfu.policies import rates, selectors
from chuangfu.policies.models import PolicyVersion, VersionStatus
from tests import factories as f

from .conftest import make_policy

pytestmark = pytest.mark.django_db

ZHANGJIANG = "310115125"


@pytest.fixture
def editor():
    return f.user(role=Role.DESK_STAFF)


@pytest.fixture
def foreign_draft():
    return make_policy(
        code="zj-draft", title="张江草稿政策", jurisdiction=f.town(ZHANGJIANG), status=VersionStatus.DRAFT
    )


@pytest.fixture
def own_draft():
    return make_policy(code="tz-draft", title="唐镇草稿政策", status=VersionStatus.DRAFT)


@pytest.fixture
def foreign_published_with_draft():
    """张江's published policy with a draft amendment (version 2) being written."""
    policy = make_policy(code="zj-published", title="张江已发布政策", jurisdiction=f.town(ZHANGJIANG))
    PolicyVersion.objects.create(
        policy=policy, number=2, status=VersionStatus.DRAFT, effective_from=datetime.date(2027, 1, 1), summary="修订稿"
    )
    return policy


def test_the_selectors_hide_another_towns_draft_from_an_editor(editor, foreign_draft, own_draft):
    listed = set(selectors.policy_list(actor=editor).values_list("code", flat=True))
    assert "tz-draft" in listed
    assert "zj-draft" not in listed
    with pytest.raises(NotFound):
        selectors.get_policy(foreign_draft.pk, actor=editor)


def test_a_district_editor_sees_the_drafts_of_its_towns(foreign_draft):
    district_editor = f.user(role=Role.ADMIN, jurisdiction=f.district())
    assert selectors.get_policy(foreign_draft.pk, actor=district_editor) == foreign_draft


@pytest.mark.parametrize(
    "name,extra",
    [
        ("policies:policy_detail", []),
        ("policies:version_detail", [1]),
        ("policies:version_edit", [1]),
        ("policies:rule_edit", [1]),
        ("policies:match_list", []),
        ("policies:outreach", []),
        ("policies:outreach_export", []),
        ("policies:grants", []),
        ("policies:rates_policy", []),
        ("policies:policy_edit", []),
    ],
)
def test_another_towns_draft_is_not_found_on_every_page(client, editor, foreign_draft, name, extra):
    client.force_login(editor)
    assert client.get(reverse(name, args=[foreign_draft.pk, *extra])).status_code == 404


def test_another_towns_draft_is_not_listed_on_the_list_the_rates_or_the_rule_editor(
    client, editor, foreign_draft, own_draft
):
    client.force_login(editor)
    assert "张江草稿政策" not in client.get(reverse("policies:policy_list")).content.decode()
    assert "唐镇草稿政策" in client.get(reverse("policies:policy_list")).content.decode()
    assert "张江草稿政策" not in client.get(reverse("policies:rates")).content.decode()
    rows = rates.policy_rates(actor=editor, start=datetime.date(2026, 1, 1), end=datetime.date(2026, 12, 31))
    assert foreign_draft not in [row.policy for row in rows]
    page = client.get(reverse("policies:rule_edit", args=[own_draft.pk, 1])).content.decode()
    assert "唐镇草稿政策" in page
    assert "张江草稿政策" not in page


def test_the_draft_amendment_of_another_towns_published_policy_is_not_found(
    client, editor, foreign_published_with_draft
):
    client.force_login(editor)
    policy = foreign_published_with_draft
    assert client.get(reverse("policies:policy_detail", args=[policy.pk])).status_code == 200
    assert client.get(reverse("policies:version_detail", args=[policy.pk, 1])).status_code == 200
    assert client.get(reverse("policies:version_detail", args=[policy.pk, 2])).status_code == 404
    assert "修订稿" not in client.get(reverse("policies:policy_detail", args=[policy.pk])).content.decode()


@pytest.mark.parametrize("suffix", ["", "/matches", "/outreach"])
def test_the_api_does_not_find_another_towns_draft(client, editor, foreign_draft, suffix):
    client.force_login(editor)
    assert client.get(f"/api/policies/{foreign_draft.pk}{suffix}").status_code == 404
