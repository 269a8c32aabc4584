"""免申即享 pages: the town's reviewers build and review a batch line by line (htmx), the leadership
approves, a reviewer publishes; another town's batch and lines are not found; the beneficiary
sees the grant, with why, in their own pages."""

import pytest
from django.urls import reverse

from chuangfu.core.models import Role
from chuangfu.subsidies.models import EntitlementBatch, EntitlementStatus
from tests import factories as f

from .entitlement_builders import automatic_policy, built, other_town, person, staff

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(db, today):
    policy = automatic_policy()
    account = f.user(role=Role.ENTREPRENEUR, mobile="13911113333")
    young = person("李青年", account=account)
    person("王小明")
    reviewer, reviewer2, leader = staff()
    return {"policy": policy, "young": young, "account": account, "r1": reviewer, "r2": reviewer2, "leader": leader}


def _as(client, user):
    client.force_login(user)
    return client


def test_a_reviewer_builds_the_cycle_from_the_page_once(client, world):
    c = _as(client, world["r1"])
    page = c.get(reverse("subsidies:entitlement_list")).content.decode()
    assert "青年创业免申即享补贴" in page and 'id="build"' in page
    data = {"policy": world["policy"].pk, "town": f.town().pk}
    first = c.post(reverse("subsidies:entitlement_build"), data)
    batch = EntitlementBatch.objects.get()
    assert first.status_code == 302 and first["Location"] == reverse("subsidies:entitlement_detail", args=[batch.pk])
    again = c.post(reverse("subsidies:entitlement_build"), data, follow=True)
    assert "本周期的名单已经生成" in again.content.decode() and EntitlementBatch.objects.count() == 1


def test_building_for_another_town_or_a_bad_policy_is_refused_on_the_form(client, world):
    c = _as(client, world["r1"])
    response = c.post(reverse("subsidies:entitlement_build"), {"policy": world["policy"].pk, "town": other_town().pk})
    assert response.status_code == 400 and not EntitlementBatch.objects.exists()
    response = c.post(reverse("subsidies:entitlement_build"), {"policy": "x", "town": f.town().pk})
    assert response.status_code == 400


def test_the_leader_sees_the_list_but_cannot_build(client, world):
    page = _as(client, world["leader"]).get(reverse("subsidies:entitlement_list")).content.decode()
    assert 'id="build"' not in page
    response = client.post(reverse("subsidies:entitlement_build"), {"policy": world["policy"].pk, "town": f.town().pk})
    assert response.status_code == 403


def test_a_line_is_excluded_with_a_reason_over_htmx_and_a_blank_reason_changes_nothing(client, world):
    batch = built(world["policy"], actor=world["r1"])
    line = batch.lines.get(person=world["young"])
    url = reverse("subsidies:entitlement_line", args=[batch.pk, line.pk])
    c = _as(client, world["r1"])
    refused = c.post(url, {"reason": " "}, HTTP_HX_REQUEST="true").content.decode()
    assert 'data-result="error"' in refused and 'data-included="1"' in refused
    line.refresh_from_db()
    assert line.included
    done = c.post(url, {"reason": "已在外区享受"}, HTTP_HX_REQUEST="true").content.decode()
    assert 'data-included="0"' in done and "已在外区享受" in done
    back = c.post(url, {"include": "1"}, HTTP_HX_REQUEST="true").content.decode()
    assert 'data-included="1"' in back


def test_the_batch_is_submitted_approved_and_published_from_its_page(client, world, django_capture_on_commit_callbacks):
    batch = built(world["policy"], actor=world["r1"])
    act = lambda name: reverse("subsidies:entitlement_act", args=[batch.pk, name])  # noqa: E731
    _as(client, world["r1"]).post(act("submit"), {"seen": "reviewing"})
    leader_page = _as(client, world["leader"]).get(reverse("subsidies:entitlement_detail", args=[batch.pk]))
    assert 'id="act-approve"' in leader_page.content.decode() and 'id="act-publish"' not in leader_page.content.decode()
    client.post(act("approve"), {"seen": "submitted", "note": "同意"})
    with django_capture_on_commit_callbacks(execute=True):
        _as(client, world["r2"]).post(act("publish"), {"seen": "approved"})
    batch.refresh_from_db()
    assert batch.status == EntitlementStatus.PUBLISHED
    page = client.get(reverse("subsidies:entitlement_detail", args=[batch.pk])).content.decode()
    assert batch.notice.number in page and "公示中" in page


def test_a_step_out_of_turn_is_refused_with_the_reason(client, world):
    batch = built(world["policy"], actor=world["r1"])
    response = _as(client, world["leader"]).post(
        reverse("subsidies:entitlement_act", args=[batch.pk, "approve"]), {"seen": "reviewing"}
    )
    assert response.status_code == 409 and "不能执行" in response.content.decode()
    response = _as(client, world["r1"]).post(reverse("subsidies:entitlement_act", args=[batch.pk, "nonsense"]))
    assert response.status_code == 400
    batch.refresh_from_db()
    assert batch.status == EntitlementStatus.REVIEWING


def test_another_towns_batch_and_lines_are_not_found(client, world):
    far = person("钱远方", town=other_town())
    batch = built(world["policy"], town=other_town(), actor=f.user(role=Role.REVIEWER, jurisdiction=other_town()))
    line = batch.lines.get(person=far)
    c = _as(client, world["r1"])
    assert c.get(reverse("subsidies:entitlement_detail", args=[batch.pk])).status_code == 404
    assert c.post(reverse("subsidies:entitlement_line", args=[batch.pk, line.pk]), {"reason": "xx"}).status_code == 404
    assert c.post(reverse("subsidies:entitlement_act", args=[batch.pk, "submit"])).status_code == 404
    own = built(world["policy"], actor=world["r1"])
    assert c.post(reverse("subsidies:entitlement_line", args=[own.pk, line.pk]), {"reason": "xx"}).status_code == 404
    assert batch.number not in c.get(reverse("subsidies:entitlement_list")).content.decode()


def test_a_policy_editor_sets_the_cycle_on_the_forms_page(client, world):
    editor = f.user(role=Role.DESK_STAFF)
    c = _as(client, editor)
    assert "免申即享政策的发放周期" in c.get(reverse("subsidies:forms_list")).content.decode()
    c.post(reverse("subsidies:entitlement_cycle", args=[world["policy"].pk]), {"cycle": "quarter"})
    assert built(world["policy"], actor=world["r1"]).period == "2026Q1"
    response = c.post(reverse("subsidies:entitlement_cycle", args=[world["policy"].pk]), {"cycle": "week"})
    assert response.status_code == 302
    foreign = automatic_policy(code="far-auto", jurisdiction=other_town())
    assert c.post(reverse("subsidies:entitlement_cycle", args=[foreign.pk]), {"cycle": "year"}).status_code == 404


def test_the_beneficiary_sees_the_grant_and_why_without_having_applied(
    client, world, django_capture_on_commit_callbacks
):
    from chuangfu.subsidies.services import entitlement_review as review

    batch = built(world["policy"], actor=world["r1"])
    review.entitlement_batch_submit(actor=world["r1"], batch=batch)
    review.entitlement_batch_approve(actor=world["leader"], batch=batch)
    review.entitlement_batch_publish(actor=world["r2"], batch=batch)
    application = batch.lines.get(person=world["young"]).application
    c = _as(client, world["account"])
    assert application.number in c.get(reverse("subsidies:mine")).content.decode()
    page = c.get(reverse("subsidies:my_detail", args=[application.pk])).content.decode()
    assert 'id="entitlement"' in page and "年龄不超过 35 周岁" in page and "3000.00" in page
    assert "申请材料" not in page


def test_the_api_lists_and_details_a_towns_batches_as_the_pages_do(client, world):
    batch = built(world["policy"], actor=world["r1"])
    c = _as(client, world["r1"])
    listed = c.get("/api/subsidies/entitlements").json()
    assert [b["number"] for b in listed] == [batch.number] and listed[0]["included_count"] == 2
    detail = c.get(f"/api/subsidies/entitlements/{batch.pk}").json()
    assert [t["name"] for t in detail["transitions"]] == ["submit"]
    assert detail["lines"][0]["conditions"][0]["status"] == "met"
    person("钱远方", town=other_town())
    far = built(world["policy"], town=other_town(), actor=f.user(role=Role.REVIEWER, jurisdiction=other_town()))
    assert c.get(f"/api/subsidies/entitlements/{far.pk}").status_code == 404


def test_staff_read_an_automatic_grant_like_any_application(client, world, django_capture_on_commit_callbacks):
    from chuangfu.subsidies.services import entitlement_review as review

    batch = built(world["policy"], actor=world["r1"])
    review.entitlement_batch_submit(actor=world["r1"], batch=batch)
    review.entitlement_batch_approve(actor=world["leader"], batch=batch)
    review.entitlement_batch_publish(actor=world["r2"], batch=batch)
    application = batch.lines.get(person=world["young"]).application
    page = _as(client, world["r1"]).get(reverse("subsidies:staff_detail", args=[application.pk]))
    assert page.status_code == 200 and "免申即享核定" in page.content.decode()


def test_an_english_page_shows_a_lines_conditions_in_english(client, world):
    batch = built(world["policy"], actor=world["r1"])
    line = batch.lines.get(person=world["young"])
    assert line.explanation[0]["text"] == "年龄不超过 35 周岁"  # the record as decided, in the source language
    english = line.explanation[0]["i18n"]["en"]
    assert english["text"] and english["text"] != "年龄不超过 35 周岁" and "29" in english["actual"]
    url = reverse("subsidies:entitlement_detail", args=[batch.pk])
    page = _as(client, world["r1"]).get(url, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert english["text"] in page and english["actual"] in page
    assert "年龄不超过 35 周岁" not in page and "29 周岁" not in page
    chinese = client.get(url, HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    assert "年龄不超过 35 周岁" in chinese and "29 周岁" in chinese
    api = client.get(f"/api/subsidies/entitlements/{batch.pk}", HTTP_ACCEPT_LANGUAGE="en").json()
    assert api["lines"][0]["conditions"][0]["text"] == english["text"]


def test_a_line_built_before_other_languages_were_kept_shows_the_source_wording(client, world):
    from django.utils import translation

    batch = built(world["policy"], actor=world["r1"])
    line = batch.lines.get(person=world["young"])
    line.explanation = [{k: v for k, v in c.items() if k != "i18n"} for c in line.explanation]
    with translation.override("en"):
        assert line.conditions == [{"text": "年龄不超过 35 周岁", "status": "met", "actual": "29 周岁"}]
