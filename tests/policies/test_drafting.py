"""Drafting a town's own policy (issue 17.12): draft → 征求意见 with member units, comments per clause →
the office answers each → 审定 by the leadership → 印发 with its 文号 → published; every round's text kept."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from chuangfu.core.errors import DomainError
from chuangfu.core.models import Role
from chuangfu.policies.models import Adoption, ClauseComment, Consultation, Level, PolicyVersion, VersionStatus
from chuangfu.policies.services import drafting, library
from tests import factories as f

from .conftest import make_policy

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()


@pytest.fixture(autouse=True)
def _today_of_the_run():
    """``TODAY`` is the day each test runs: a suite that crosses Shanghai's midnight keeps no stale day."""
    global TODAY
    TODAY = timezone.localdate()


TEXT = "第一条 为鼓励青年在本镇创业，制定本办法。\n第二条 在本镇注册的创业组织，法定代表人年龄不超过35周岁的，给予一次性补贴5000元。\n第三条 本办法自印发之日起施行。"


@pytest.fixture
def world():
    town = f.town()
    market, union = f.unit("市场监管所", jurisdiction=town), f.unit("总工会", jurisdiction=town)
    policy = make_policy(
        code="tz-youth", title="唐镇青年创业补贴办法", status=VersionStatus.DRAFT, level=Level.TOWN, jurisdiction=town,
        cases=[("30岁", "eligible", {"age": 30})],
    )  # fmt: skip
    version = policy.versions.get()
    PolicyVersion.objects.filter(pk=version.pk).update(full_text=TEXT, effective_from=TODAY)
    version.refresh_from_db()
    return {
        "town": town, "market": market, "union": union, "policy": policy, "version": version,
        "office": f.user(role=Role.DESK_STAFF, jurisdiction=town),
        "leader": f.user(role=Role.LEADER, jurisdiction=town),
        "market_liaison": f.user(role=Role.UNIT_LIAISON, jurisdiction=town, unit_=market),
        "union_liaison": f.user(role=Role.UNIT_LIAISON, jurisdiction=town, unit_=union),
    }  # fmt: skip


def start(w, due=None):
    return drafting.consultation_open(
        actor=w["office"],
        version=w["version"],
        units=[w["market"], w["union"]],
        due_on=due or TODAY + datetime.timedelta(days=7),
    )


def test_the_whole_way_from_draft_to_published_with_its_document_number(world, django_capture_on_commit_callbacks):
    w = world
    with django_capture_on_commit_callbacks(execute=True):
        round1 = start(w)
    assert round1.number == 1 and round1.clauses[1].startswith("第二条")
    w["version"].refresh_from_db()
    assert w["version"].status == VersionStatus.CONSULTATION
    from chuangfu.core.models import Notification

    assert Notification.objects.filter(recipient=w["market_liaison"], title__contains="征求意见").exists()

    comment = drafting.comment_add(
        actor=w["market_liaison"], consultation=round1, clause=2, text="建议年龄放宽到40周岁。"
    )
    drafting.consultation_reply(actor=w["market_liaison"], consultation=round1, no_comment=False)
    drafting.consultation_reply(actor=w["union_liaison"], consultation=round1, no_comment=True)
    with pytest.raises(DomainError, match="未答复"):
        drafting.version_approve(actor=w["leader"], consultation=round1)
    drafting.comment_respond(
        actor=w["office"], comment=comment, adoption=Adoption.DECLINED, response="与市级政策口径一致。"
    )
    drafting.version_approve(actor=w["leader"], consultation=round1)
    w["version"].refresh_from_db()
    assert w["version"].status == VersionStatus.APPROVED and w["version"].approved_by == w["leader"]

    published = drafting.version_issue(
        actor=w["office"], version=w["version"], document_number="唐府规[2026]3号", issued_on=TODAY
    )
    assert published.status == VersionStatus.PUBLISHED and published.issued_number == "唐府规〔2026〕3号"
    w["policy"].refresh_from_db()
    assert w["policy"].document_number == "唐府规〔2026〕3号"
    round1.refresh_from_db()
    assert round1.closed_at is not None and round1.full_text == TEXT


def test_a_revision_closes_the_round_and_keeps_its_text_the_next_round_sends_the_new_text(world):
    w = world
    round1 = start(w)
    drafting.comment_add(actor=w["union_liaison"], consultation=round1, clause=3, text="建议明确施行日期。")
    drafting.version_revise(actor=w["office"], consultation=round1)
    version = PolicyVersion.objects.get(pk=w["version"].pk)
    assert version.status == VersionStatus.DRAFT
    library.version_update(actor=w["office"], version=version, data={
        "effective_from": TODAY, "summary": "测试摘要", "full_text": TEXT.replace("自印发之日起", "自2027年1月1日起"),
    })  # fmt: skip
    round2 = start(w)
    round1.refresh_from_db()
    assert round1.closed_at is not None and "自印发之日起" in round1.full_text
    assert round2.number == 2 and "自2027年1月1日起" in round2.full_text
    with pytest.raises(DomainError, match="已结束"):
        drafting.comment_add(actor=w["union_liaison"], consultation=round1, clause=1, text="晚到的意见。")


def test_a_version_sent_for_comments_cannot_be_edited_or_published_directly(world):
    w = world
    round1 = start(w)
    version = PolicyVersion.objects.get(pk=w["version"].pk)
    with pytest.raises(DomainError, match="征求意见"):
        library.version_update(actor=w["office"], version=version, data={"effective_from": TODAY, "summary": "改"})
    drafting.version_revise(actor=w["office"], consultation=round1)
    version.refresh_from_db()
    with pytest.raises(DomainError, match="审定后印发"):
        library.version_publish(actor=w["office"], version=version)


def test_bad_input_is_refused_with_a_reason_and_nothing_is_saved(world):
    w = world
    with pytest.raises(DomainError, match="至少选择一个"):
        drafting.consultation_open(actor=w["office"], version=w["version"], units=[], due_on=TODAY)
    with pytest.raises(DomainError, match="不能早于今天"):
        start(w, due=TODAY - datetime.timedelta(days=1))
    other_town_unit = f.unit("外镇市场所", jurisdiction=f.town("310115103"))
    with pytest.raises(DomainError, match="本镇成员单位"):
        drafting.consultation_open(actor=w["office"], version=w["version"], units=[other_town_unit], due_on=TODAY)
    assert not Consultation.objects.exists()
    round1 = start(w)
    with pytest.raises(DomainError, match="没有第 9 条"):
        drafting.comment_add(actor=w["market_liaison"], consultation=round1, clause=9, text="意见")
    outsider = f.user(role=Role.UNIT_LIAISON, jurisdiction=w["town"], unit_=f.unit("团委", jurisdiction=w["town"]))
    with pytest.raises(DomainError, match="没有征求您所在单位"):
        drafting.comment_add(actor=outsider, consultation=round1, clause=1, text="意见")
    drafting.comment_add(actor=w["market_liaison"], consultation=round1, clause=1, text="意见一")
    with pytest.raises(DomainError, match="已经提交过"):
        drafting.comment_add(actor=w["market_liaison"], consultation=round1, clause=1, text="意见一")
    with pytest.raises(DomainError, match="反馈完毕"):
        drafting.consultation_reply(actor=w["market_liaison"], consultation=round1, no_comment=True)
    drafting.consultation_reply(actor=w["market_liaison"], consultation=round1, no_comment=False)
    with pytest.raises(DomainError, match="已反馈"):
        drafting.consultation_reply(actor=w["market_liaison"], consultation=round1, no_comment=False)
    with pytest.raises(DomainError, match="不能再添加"):
        drafting.comment_add(actor=w["market_liaison"], consultation=round1, clause=2, text="补充")
    comment = ClauseComment.objects.get()
    with pytest.raises(DomainError, match="说明理由"):
        drafting.comment_respond(actor=w["office"], comment=comment, adoption=Adoption.PARTLY, response="")
    with pytest.raises(DomainError):
        drafting.comment_respond(actor=w["market_liaison"], comment=comment, adoption=Adoption.ADOPTED, response="")
    assert ClauseComment.objects.get().adoption == Adoption.PENDING


def test_approval_waits_for_every_unit_until_the_deadline_and_only_the_leadership_approves(world):
    w = world
    round1 = start(w)
    drafting.consultation_reply(actor=w["market_liaison"], consultation=round1, no_comment=True)
    with pytest.raises(DomainError, match="总工会 尚未反馈"):
        drafting.version_approve(actor=w["leader"], consultation=round1)
    with pytest.raises(DomainError):
        drafting.version_approve(actor=w["office"], consultation=round1)
    Consultation.objects.filter(pk=round1.pk).update(due_on=TODAY - datetime.timedelta(days=1))
    drafting.version_approve(actor=w["leader"], consultation=round1)
    assert PolicyVersion.objects.get(pk=w["version"].pk).status == VersionStatus.APPROVED


def test_issuing_needs_a_real_document_number_that_no_other_policy_carries(world):
    w = world
    round1 = start(w)
    for liaison in ("market_liaison", "union_liaison"):
        drafting.consultation_reply(actor=w[liaison], consultation=round1, no_comment=True)
    drafting.version_approve(actor=w["leader"], consultation=round1)
    version = PolicyVersion.objects.get(pk=w["version"].pk)
    for bad in ("", "3号", "唐府规2026年3号"):
        with pytest.raises(DomainError, match="发文机关代字"):
            drafting.version_issue(actor=w["office"], version=version, document_number=bad, issued_on=TODAY)
    make_policy(code="other", title="其他政策", document_number="唐府规〔2026〕3号")
    with pytest.raises(DomainError, match="已被使用"):
        drafting.version_issue(actor=w["office"], version=version, document_number="唐府规〔2026〕3号", issued_on=TODAY)
    with pytest.raises(DomainError, match="不能晚于今天"):
        drafting.version_issue(
            actor=w["office"],
            version=version,
            document_number="唐府规〔2026〕4号",
            issued_on=TODAY + datetime.timedelta(days=1),
        )
    assert PolicyVersion.objects.get(pk=version.pk).status == VersionStatus.APPROVED


def test_a_district_policy_is_not_sent_for_comments(world):
    w = world
    policy = make_policy(code="district-one", level=Level.DISTRICT, status=VersionStatus.DRAFT, jurisdiction=w["town"])
    with pytest.raises(DomainError, match="镇级政策"):
        drafting.consultation_open(
            actor=w["office"],
            version=policy.versions.get(),
            units=[w["market"]],
            due_on=TODAY + datetime.timedelta(days=3),
        )


def test_the_pages_walk_the_office_the_units_and_the_leadership_through(world, client):
    w = world
    client.force_login(w["office"])
    page = client.get(reverse("policies:version_detail", args=[w["policy"].pk, 1])).content.decode()
    assert reverse("policies:consultation_start", args=[w["policy"].pk, 1]) in page
    response = client.post(reverse("policies:consultation_start", args=[w["policy"].pk, 1]), {
        "c-units": [w["market"].pk, w["union"].pk], "c-due_on": (TODAY + datetime.timedelta(days=5)).isoformat(),
    })  # fmt: skip
    consultation = Consultation.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse(
        "policies:consultation", args=[consultation.pk]
    )

    client.force_login(w["market_liaison"])
    assert consultation.version.policy.title in client.get(reverse("policies:drafting")).content.decode()
    page = client.get(reverse("policies:consultation", args=[consultation.pk])).content.decode()
    assert "第 2 条" in page and "提交意见" in page
    bad = client.post(reverse("policies:consultation_comment", args=[consultation.pk]), {"k-clause": "2", "k-text": ""})
    assert bad.status_code == 400 and not ClauseComment.objects.exists()
    client.post(
        reverse("policies:consultation_comment", args=[consultation.pk]), {"k-clause": "2", "k-text": "建议放宽年龄。"}
    )
    client.post(reverse("policies:consultation_reply", args=[consultation.pk]))
    client.force_login(w["union_liaison"])
    client.post(reverse("policies:consultation_reply", args=[consultation.pk]), {"no_comment": "1"})

    client.force_login(w["office"])
    comment = ClauseComment.objects.get()
    client.post(
        reverse("policies:comment_respond", args=[consultation.pk, comment.pk]),
        {"r-adoption": "adopted", "r-response": ""},
    )
    assert ClauseComment.objects.get().adoption == Adoption.ADOPTED

    assert "暂不能审定" not in client.get(reverse("policies:consultation", args=[consultation.pk])).content.decode()

    client.force_login(w["leader"])
    page = client.get(reverse("policies:consultation", args=[consultation.pk])).content.decode()
    assert reverse("policies:version_approve", args=[consultation.pk]) in page
    # the leadership reads the round, not the draft's editing page (drafts are the editors')
    assert reverse("policies:version_detail", args=[w["policy"].pk, 1]) not in page
    client.post(reverse("policies:version_approve", args=[consultation.pk]))

    client.force_login(w["office"])
    bad = client.post(
        reverse("policies:version_issue", args=[consultation.pk]),
        {"i-document_number": "三号", "i-issued_on": TODAY.isoformat()},
    )
    assert bad.status_code == 400 and "发文机关代字" in bad.content.decode()
    response = client.post(
        reverse("policies:version_issue", args=[consultation.pk]),
        {"i-document_number": "唐府规〔2026〕7号", "i-issued_on": TODAY.isoformat()},
    )
    assert response.status_code == 302
    assert PolicyVersion.objects.get(pk=w["version"].pk).status == VersionStatus.PUBLISHED
    public = client.get(reverse("policy:detail", args=[w["policy"].pk])).content.decode()
    assert "唐府规〔2026〕7号" in public


def test_another_towns_round_and_a_unit_not_asked_see_nothing(world, client):
    w = world
    round1 = start(w)
    stranger = f.user(role=Role.DESK_STAFF, jurisdiction=f.town("310115103"))
    client.force_login(stranger)
    assert client.get(reverse("policies:consultation", args=[round1.pk])).status_code == 404
    assert round1.version.policy.title not in client.get(reverse("policies:drafting")).content.decode()
    outsider = f.user(role=Role.UNIT_LIAISON, jurisdiction=w["town"], unit_=f.unit("团委", jurisdiction=w["town"]))
    client.force_login(outsider)
    assert client.get(reverse("policies:consultation", args=[round1.pk])).status_code == 404
    assert client.post(reverse("policies:consultation_comment", args=[round1.pk]), {"k-text": "x"}).status_code == 404
