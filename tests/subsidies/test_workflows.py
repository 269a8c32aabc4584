import pytest
from django.utils import timezone

from chuangfu.core.errors import DomainError
from chuangfu.core.models import Role
from chuangfu.core.workflow import fire
from chuangfu.registry.models import EnterprisePerson
from chuangfu.subsidies.models import Status
from chuangfu.subsidies.workflows import APPLICATION
from tests import factories as f

from .conftest import draft

pytestmark = pytest.mark.django_db


def names(app, actor):
    return {t.name for t in APPLICATION.available(app, actor)}


def test_every_status_is_a_state_with_a_chinese_label():
    assert {code for code, _ in APPLICATION.choices()} == set(Status.values)
    assert APPLICATION.label(Status.CORRECTION) == "待补正"
    assert APPLICATION.label(Status.DISBURSED) == "已拨付"


def test_whole_lifecycle_through_the_table(policy, applicant, reviewer, reviewer2):
    app = draft(policy, applicant)
    assert names(app, applicant) == {"submit", "withdraw"}
    app = fire(APPLICATION, app, "submit", actor=applicant)
    assert "accept" in names(app, reviewer)
    app = fire(APPLICATION, app, "accept", actor=reviewer, changes={"accepted_at": timezone.now()})
    app = fire(APPLICATION, app, "first_approve", actor=reviewer, changes={"first_reviewer": reviewer})
    assert "second_approve" not in names(app, reviewer)  # the first reviewer cannot do the second review
    assert "second_approve" in names(app, reviewer2)
    app = fire(APPLICATION, app, "second_approve", actor=reviewer2)
    for step in ("publish", "finalise", "disburse"):
        app = fire(APPLICATION, app, step, actor=reviewer)
    assert app.status == Status.DISBURSED


def test_second_review_by_the_first_reviewer_is_refused(policy, applicant, reviewer):
    app = draft(policy, applicant, status=Status.FIRST_REVIEWED, first_reviewer=reviewer)
    with pytest.raises(DomainError) as exc:
        fire(APPLICATION, app, "second_approve", actor=reviewer)
    assert "不同人员" in str(exc.value.message)


def test_withdraw_only_before_acceptance(policy, applicant):
    app = draft(policy, applicant, status=Status.CORRECTION)
    assert "withdraw" in names(app, applicant)
    app.accepted_at = timezone.now()
    assert "withdraw" not in names(app, applicant)
    assert "resubmit_in_review" in names(app, applicant) and "resubmit" not in names(app, applicant)


def test_reviewer_who_is_the_applicant_cannot_decide(policy, applicant, reviewer):
    app = draft(policy, applicant, status=Status.SUBMITTED)
    app.person = f.person(name="审核甲本人", account=reviewer)
    assert names(app, reviewer) == set()
    assert "本人" in APPLICATION.refusal(app, APPLICATION.transition("accept"), reviewer)


def test_reviewer_who_filled_it_in_cannot_decide(policy, applicant, reviewer):
    app = draft(policy, applicant, status=Status.SUBMITTED, submitted_by=reviewer)
    assert "填报或提交" in APPLICATION.refusal(app, APPLICATION.transition("accept"), reviewer)


def test_reviewer_linked_to_the_enterprise_cannot_decide(policy, applicant, reviewer):
    enterprise = f.enterprise()
    me = f.person(name="审核甲本人", account=reviewer)
    EnterprisePerson.objects.create(enterprise=enterprise, person=me, relation="founder")
    app = draft(policy, applicant, status=Status.SUBMITTED)
    app.person, app.enterprise = None, enterprise
    reason = APPLICATION.refusal(app, APPLICATION.transition("accept"), reviewer)
    assert "关联" in reason


def test_reviewer_of_another_town_cannot_act(policy, applicant):
    from chuangfu.core.models import Jurisdiction

    other = Jurisdiction.objects.filter(level=Jurisdiction.Level.TOWN).exclude(code="310115114").first()
    outsider = f.user(role=Role.REVIEWER, jurisdiction=other)
    app = draft(policy, applicant, status=Status.SUBMITTED)
    assert names(app, outsider) == set()


def test_another_entrepreneur_cannot_act(policy, applicant):
    stranger = f.user(role=Role.ENTREPRENEUR)
    app = draft(policy, applicant)
    assert names(app, stranger) == set()


def test_extension_once_and_approved_by_someone_else(policy, applicant, reviewer, reviewer2):
    app = draft(policy, applicant, status=Status.ACCEPTED, extension_pending_days=10, extension_requested_by=reviewer)
    assert "approve_extension" not in names(app, reviewer)
    assert "approve_extension" in names(app, reviewer2)
    leader = f.user(role=Role.LEADER)
    assert "approve_extension" in names(app, leader)
    app.extension_pending_days, app.extension_days = None, 10
    assert "request_extension" not in names(app, reviewer)
