"""A problem found on an ecosystem visit becomes a ledger task through the ecosystem's hook, with one
click, without either app importing the other."""

import datetime

import pytest
from django.urls import reverse

from chuangfu.core.errors import DomainError
from chuangfu.core.models import Role
from chuangfu.core.workdays import add_working_days
from chuangfu.ecosystem.hooks import problem_destinations
from chuangfu.ecosystem.models import VisitProblem
from chuangfu.ecosystem.services import visits
from chuangfu.governance.models import BodyKind, Task
from chuangfu.registry.models import Carrier, CarrierKind

from .. import factories
from . import builders

pytestmark = pytest.mark.django_db


@pytest.fixture
def problem():
    town = factories.town()
    carrier = Carrier.objects.create(
        kind=CarrierKind.INCUBATOR, name="唐创空间", jurisdiction=town, address="创新路 1 号"
    )
    desk = factories.user(Role.DESK_STAFF, jurisdiction=town)
    visit = visits.visit_plan(
        actor=desk, carrier=carrier, planned_on=datetime.date.today(), purpose="了解需求", visitors=[desk]
    )
    visits.visit_record(actor=desk, visit=visit, findings="发现", problems=["在孵企业反映招工难"])
    return VisitProblem.objects.get()


def test_governance_offers_itself_as_a_destination_for_visit_problems():
    assert problem_destinations()["governance"].label == "转为台账任务"


def test_a_visit_problem_becomes_a_task_of_this_years_plan_led_by_the_office_unit(problem, client):
    office = builders.office()
    plan = builders.plan(title="本年计划")
    plan.year = datetime.date.today().year
    plan.save()
    task = visits.problem_send(actor=office, problem=problem, destination="governance")
    assert isinstance(task, Task) and task.plan == plan
    assert task.lead_unit.name == "党政办"  # the clicking office account's unit
    assert "在孵企业反映招工难" in task.title and problem.visit.get_absolute_url() in task.target
    assert task.due_on == add_working_days(datetime.date.today(), 20)
    problem.refresh_from_db()
    assert problem.follow_up == task
    client.force_login(office)
    page = client.get(reverse("ecosystem:visit_detail", args=[problem.visit_id])).content.decode()
    assert task.get_absolute_url() in page
    with pytest.raises(DomainError):
        visits.problem_send(actor=office, problem=problem, destination="governance")
    assert Task.objects.count() == 1


def test_without_a_plan_or_an_office_unit_the_problem_is_refused_and_nothing_is_saved(problem):
    office = factories.user(Role.LEADER, jurisdiction=factories.town())
    with pytest.raises(DomainError) as exc:
        visits.problem_send(actor=office, problem=problem, destination="governance")
    assert exc.value.code == "no_plan"
    builders.plan()
    with pytest.raises(DomainError) as exc:
        visits.problem_send(actor=office, problem=problem, destination="governance")
    assert exc.value.code == "no_office_unit"
    problem.refresh_from_db()
    assert problem.follow_up is None and not Task.objects.exists()
    office_body = builders.body(name="领导小组办公室", kind=BodyKind.OFFICE)
    builders.member(builders.term(office_body), "杜晓岚", "社区事务受理服务中心", position="director")
    task = visits.problem_send(actor=office, problem=problem, destination="governance")
    assert task.lead_unit.name == "社区事务受理服务中心"


def test_a_desk_clerk_cannot_make_a_ledger_task(problem):
    builders.plan()
    desk = factories.user(Role.DESK_STAFF, jurisdiction=factories.town())
    with pytest.raises(DomainError) as exc:
        visits.problem_send(actor=desk, problem=problem, destination="governance")
    assert exc.value.status == 403 and not Task.objects.exists()
