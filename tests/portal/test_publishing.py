"""Model cases and articles go from draft to published to withdrawn, and nothing else reaches the public."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from chuangfu.core.errors import DomainError
from chuangfu.core.models import AuditEntry, Role
from chuangfu.portal import services
from chuangfu.portal.models import Publication
from tests import factories

from . import builders

pytestmark = pytest.mark.django_db
ZHANGJIANG = "310115125"


def test_a_case_goes_from_draft_to_published_to_withdrawn_and_the_public_page_says_so(client):
    case = builders.case()
    assert client.get(reverse("portal:case", args=[case.pk])).status_code == 404  # a draft is not public
    boss = builders.publisher()
    case = services.case_transition(actor=builders.editor(), case=case, name="submit")
    assert client.get(reverse("portal:case", args=[case.pk])).status_code == 404  # nor one in review
    case = services.case_transition(actor=boss, case=case, name="publish")
    page = client.get(reverse("portal:case", args=[case.pk]))
    assert page.status_code == 200 and "直播带货的唐镇姑娘" in page.content.decode()
    assert 'property="og:title" content="直播带货的唐镇姑娘"' in page.content.decode()
    assert "直播带货的唐镇姑娘" in client.get(reverse("portal:cases")).content.decode()
    assert "直播带货的唐镇姑娘" in client.get(reverse("portal:home")).content.decode()

    with pytest.raises(DomainError, match="需要填写说明"):
        services.case_transition(actor=boss, case=case, name="withdraw")
    services.case_transition(actor=boss, case=case, name="withdraw", note="当事人要求")
    gone = client.get(reverse("portal:case", args=[case.pk]))
    html = gone.content.decode()
    assert gone.status_code == 410 and "该创业典型已撤回" in html and "三年带动" not in html
    assert "直播带货的唐镇姑娘" not in client.get(reverse("portal:cases")).content.decode()
    actions = list(AuditEntry.objects.filter(action__startswith="portal.case.").values_list("action", flat=True))
    assert {"portal.case.saved", "portal.case.submit", "portal.case.publish", "portal.case.withdraw"} <= set(actions)


def test_a_case_without_recorded_consent_cannot_go_to_review_or_be_published():
    case = builders.case(consent=False)
    with pytest.raises(DomainError, match="尚未记录本人同意公开"):
        services.case_transition(actor=builders.editor(), case=case, name="submit")
    case.refresh_from_db()
    assert case.status == Publication.DRAFT


def test_only_a_draft_can_be_changed_so_the_reviewed_words_are_the_published_words():
    case = builders.case(status="in_review")
    with pytest.raises(DomainError, match="只有草稿可以修改"):
        services.case_save(actor=builders.editor(), case=case, data={"title": "改过的标题"})
    case.refresh_from_db()
    assert case.title == "直播带货的唐镇姑娘"


def test_script_in_rich_text_is_removed_when_saved(client):
    case = builders.case(
        status="published",
        story='<p onclick="steal()">好故事<script>alert(1)</script><a href="javascript:alert(2)">链接</a></p>',
    )
    assert "<script" not in case.story and "onclick" not in case.story and "javascript:" not in case.story
    assert "好故事" in case.story
    html = client.get(reverse("portal:case", args=[case.pk])).content.decode()
    assert "alert(1)" not in html and "steal()" not in html


def test_an_image_that_is_not_an_image_is_refused_and_nothing_is_saved():
    fake = SimpleUploadedFile("photo.png", b"%PDF-1.4 not a picture" * 20, content_type="image/png")
    with pytest.raises(ValidationError, match="类型不允许"):
        services.case_save(
            actor=builders.editor(),
            data={
                "jurisdiction": factories.town(),
                "title": "假图片",
                "summary": "s",
                "story": "t",
                "theme": "youth",
                "person": factories.person(),
            },
            files={"photo": fake},
        )
    from chuangfu.portal.models import Case

    assert not Case.objects.filter(title="假图片").exists()


def test_a_real_photo_is_kept_and_shown_with_its_text_alternative(client):
    case = builders.case(photo_alt="李小梅在直播间")
    case = services.case_save(actor=builders.editor(), case=case, data={}, files={"photo": builders.png()})
    for name in ("submit", "publish"):
        actor = builders.publisher() if name == "publish" else builders.editor()
        case = services.case_transition(actor=actor, case=case, name=name)
    html = client.get(reverse("portal:case", args=[case.pk])).content.decode()
    assert case.photo.name and 'alt="李小梅在直播间"' in html


def test_a_scheduled_article_appears_only_from_its_time(client):
    later = builders.now() + datetime.timedelta(hours=2)
    article = builders.article(status="published", publish_at=later)
    assert article.published_at == later
    assert client.get(reverse("portal:article", args=[article.pk])).status_code == 404
    assert "唐镇举办创业服务日" not in client.get(reverse("portal:articles")).content.decode()
    from django.utils import timezone

    article.__class__.objects.filter(pk=article.pk).update(published_at=timezone.now() - datetime.timedelta(minutes=1))
    assert client.get(reverse("portal:article", args=[article.pk])).status_code == 200
    assert "唐镇举办创业服务日" in client.get(reverse("portal:articles")).content.decode()


def test_roles_that_do_not_publish_cannot_publish_or_write():
    article = builders.article(status="in_review")
    with pytest.raises(DomainError, match="您的角色不能执行"):
        services.article_transition(actor=builders.editor(), article=article, name="publish")
    liaison = factories.user(role=Role.UNIT_LIAISON)
    with pytest.raises(DomainError):
        services.article_save(actor=liaison, data={"title": "x"})


def test_nominations_record_the_selection_once_and_its_result():
    case = builders.case(status="published")
    boss = builders.publisher()
    nomination = services.nomination_create(
        actor=boss,
        case=case,
        data={"level": "district", "selection": "浦东新区创业典型评选", "nominated_on": datetime.date(2026, 11, 20)},
    )
    with pytest.raises(ValidationError):
        services.nomination_create(
            actor=boss,
            case=case,
            data={
                "level": "district",
                "selection": "浦东新区创业典型评选",
                "nominated_on": datetime.date(2026, 11, 21),
            },
        )
    with pytest.raises(ValidationError):
        services.nomination_record_result(
            actor=boss, nomination=nomination, result="selected", result_on=datetime.date(2026, 11, 1)
        )
    services.nomination_record_result(
        actor=boss, nomination=nomination, result="selected", result_on=datetime.date(2026, 12, 1)
    )
    nomination.refresh_from_db()
    assert nomination.result == "selected"
    draft = builders.case()
    with pytest.raises(DomainError, match="只有已发布的典型"):
        services.nomination_create(
            actor=boss,
            case=draft,
            data={"level": "city", "selection": "上海市评选", "nominated_on": datetime.date(2026, 11, 20)},
        )


def test_staff_pages_walk_a_case_from_draft_to_published(client):
    town = factories.town()
    subject = factories.person("王创", jurisdiction=town)
    client.force_login(builders.editor())
    response = client.post(
        reverse("portal_staff:case_new"),
        {
            "jurisdiction": town.pk, "title": "科技小屋", "theme": "digital", "summary": "数字化转型的小店",
            "story": "从一家小店做起。", "person": subject.pk, "consent_on": "2026-11-02", "consent_note": "书面",
        },
    )  # fmt: skip
    assert response.status_code == 302
    from chuangfu.portal.models import Case

    case = Case.objects.get(title="科技小屋")
    detail = client.get(reverse("portal_staff:case_detail", args=[case.pk])).content.decode()
    assert "送审" in detail and "审核发布" not in detail  # an editor does not publish
    client.post(reverse("portal_staff:case_action", args=[case.pk, "submit"]))
    client.force_login(builders.publisher())
    detail = client.get(reverse("portal_staff:case_detail", args=[case.pk])).content.decode()
    assert "审核发布" in detail and "退回修改" in detail
    client.post(reverse("portal_staff:case_action", args=[case.pk, "publish"]))
    case.refresh_from_db()
    assert case.status == Publication.PUBLISHED


def test_the_case_form_shows_errors_and_saves_nothing(client):
    client.force_login(builders.editor())
    response = client.post(reverse("portal_staff:case_new"), {"title": "", "theme": "nope", "jobs_created": "-3"})
    html = response.content.decode()
    assert response.status_code == 200 and "is-invalid" in html
    from chuangfu.portal.models import Case

    assert not Case.objects.exists()


def test_another_towns_case_is_not_found_for_staff(client):
    theirs = builders.case(jurisdiction=factories.town(ZHANGJIANG))
    client.force_login(builders.editor())
    assert client.get(reverse("portal_staff:case_detail", args=[theirs.pk])).status_code == 404
    assert client.post(reverse("portal_staff:case_action", args=[theirs.pk, "submit"])).status_code == 404


def test_roles_outside_the_publicity_desk_are_refused_its_pages(client):
    for role in (Role.UNIT_LIAISON, Role.MENTOR, Role.CARRIER_OPERATOR, Role.ENTREPRENEUR):
        client.force_login(factories.user(role=role))
        assert client.get(reverse("portal_staff:cases")).status_code == 403, role
