"""复审 by the town's own accounts (issue 12.10): the demo town has a second reviewer who can take
it after the first, and the page says, of each next step its user cannot take, why, and which role
and which people can."""

import pytest
from django.urls import reverse

from chuangfu.core.models import Role, User
from chuangfu.registry.seeding.fixed import seed_fixed
from chuangfu.subsidies import services
from chuangfu.subsidies.models import Status
from tests import factories as f

from .test_reviewing import submitted

pytestmark = pytest.mark.django_db


def _first_reviewed(policy, applicant, reviewer):
    app = services.application_accept(actor=reviewer, application=submitted(policy, applicant))
    return services.application_first_approve(actor=reviewer, application=app)


def _act(client, app, name):
    return client.post(
        reverse("subsidies:staff_act", args=[app.pk, name]), {"seen_status": app.status, "note": ""}, follow=True
    )


def test_the_demo_towns_two_reviewers_do_first_and_second_review_through_the_pages(client, policy, applicant, today):
    seed_fixed()
    first, second = User.objects.get(username="tz_reviewer"), User.objects.get(username="tz_reviewer2")
    assert first.jurisdiction == second.jurisdiction == f.town()
    app = submitted(policy, applicant)
    client.force_login(first)
    _act(client, app, "accept")
    app.refresh_from_db()
    _act(client, app, "first_approve")
    app.refresh_from_db()
    assert app.status == Status.FIRST_REVIEWED
    page = _act(client, app, "second_approve").content.decode()
    app.refresh_from_db()
    assert app.status == Status.FIRST_REVIEWED  # refused: the same person did 初审
    assert "初审和复审须由不同人员进行" in page
    client.force_login(second)
    _act(client, app, "second_approve")
    app.refresh_from_db()
    assert app.status == Status.SECOND_REVIEWED
    assert app.second_reviewer == second


def test_the_first_reviewer_is_told_who_can_do_the_second_review(client, policy, applicant, reviewer, today):
    other = f.user(Role.REVIEWER, display_name="复审员乙")
    f.user(Role.REVIEWER, jurisdiction=f.town("310115125"), display_name="外镇审核员")
    f.user(Role.LEADER, display_name="领导丙")
    app = _first_reviewed(policy, applicant, reviewer)
    client.force_login(reviewer)
    page = client.get(reverse("subsidies:staff_detail", args=[app.pk])).content.decode()
    assert 'data-waiting="复审通过"' in page
    assert "初审和复审须由不同人员进行" in page
    block = page.split('data-waiting="复审通过"')[1].split("</div>")[0]
    assert "审核人员" in block and other.display_name in block
    assert reviewer.display_name not in block and "外镇审核员" not in block and "领导丙" not in block


def test_a_town_without_a_second_reviewer_is_told_to_add_one(client, policy, applicant, reviewer, today):
    app = _first_reviewed(policy, applicant, reviewer)
    client.force_login(reviewer)
    page = client.get(reverse("subsidies:staff_detail", args=[app.pk])).content.decode()
    block = page.split('data-waiting="复审通过"')[1].split("</div>")[0]
    assert "本辖区没有可以办理的审核人员账号" in block


def test_the_second_reviewer_is_offered_the_step_not_told_who_else_may(client, policy, applicant, reviewer, today):
    app = _first_reviewed(policy, applicant, reviewer)
    client.force_login(f.user(Role.REVIEWER, display_name="复审员乙"))
    page = client.get(reverse("subsidies:staff_detail", args=[app.pk])).content.decode()
    assert 'data-waiting="复审通过"' not in page
    assert reverse("subsidies:staff_act", args=[app.pk, "second_approve"]) in page
