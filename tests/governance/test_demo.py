"""``chuangfu seed-governance``: 唐镇's bodies as the work plan lists them, idempotent."""

import pytest
from django.core.management import CommandError, call_command

from chuangfu.core.models import User
from chuangfu.governance import selectors
from chuangfu.governance.demo import GROUP, JOINT_MEETING, OFFICE
from chuangfu.governance.models import (
    Body,
    Decision,
    Meeting,
    MeetingStatus,
    Membership,
    Minutes,
    MinutesStatus,
    Plan,
    Position,
    ProgressReport,
    Task,
    TaskStatus,
)
from chuangfu.registry.seeding import seed_fixed

pytestmark = pytest.mark.django_db


def test_the_demo_needs_the_registry_demo_data():
    with pytest.raises(CommandError, match="chuangfu seed"):
        call_command("seed_governance")
    assert not Body.objects.exists()


def test_the_demo_holds_tangzhens_group_office_and_joint_meeting_once():
    seed_fixed()
    call_command("seed_governance")
    group = Body.objects.get(name=GROUP)
    positions = list(Membership.objects.filter(term__body=group).values_list("position", "title"))
    assert positions[0] == (Position.HEAD, "镇党委副书记、镇长")
    assert [p for p, _ in positions].count(Position.DEPUTY) == 2 and len(positions) == 13
    office = Body.objects.get(name=OFFICE)
    assert office.parent == group
    assert (
        Membership.objects.filter(term__body=office, position=Position.DIRECTOR).get().unit.name
        == "社区事务受理服务中心"
    )
    assert Membership.objects.filter(term__body=office, position=Position.MEMBER).count() == 10
    joint = Membership.objects.filter(term__body__name=JOINT_MEETING, position=Position.MEMBER_UNIT)
    assert {"市场监管所", "总工会", "团委", "妇联", "招商中心"} <= {m.unit.name for m in joint}
    assert joint.get(unit__name="市场监管所").user == User.objects.get(username="tz_liaison")
    count = Membership.objects.count()
    figures = (Task.objects.count(), Meeting.objects.count(), Decision.objects.count(), ProgressReport.objects.count())
    call_command("seed_governance")
    assert Membership.objects.count() == count and Body.objects.count() == 4
    assert (
        Task.objects.count(),
        Meeting.objects.count(),
        Decision.objects.count(),
        ProgressReport.objects.count(),
    ) == (figures)


def test_the_demo_ledger_has_an_overdue_supervised_task_one_awaiting_closing_and_issued_minutes():
    seed_fixed()
    call_command("seed_governance")
    plan = Plan.objects.get()
    assert Task.objects.filter(plan=plan, status=TaskStatus.PENDING_CLOSE).count() == 1
    late = Task.objects.get(title__startswith="走访区域内重点孵化器")
    assert late.is_overdue() and late.supervised_at is not None
    assert Decision.objects.count() == 2 and all(d.task.plan == plan for d in Decision.objects.all())
    assert Minutes.objects.get(status=MinutesStatus.ISSUED).number.startswith("唐镇联席会议纪要〔")
    upcoming = Meeting.objects.get(status=MeetingStatus.CALLING)
    assert upcoming.agenda_items.get().unit.name == "市场监管所"
    rollup = selectors.plan_rollup(plan)
    assert 0 < rollup.percent < 100 and rollup.overdue >= 1


def test_the_demo_holds_units_plan_items_from_the_work_plan_overlays_and_the_document_to_acknowledge():
    from chuangfu.governance.models import PlanDocument, UnitPlanItem

    seed_fixed()
    call_command("seed_governance")
    items = UnitPlanItem.objects.all()
    assert items.count() >= 10 and items.filter(unit__name="党政办", title__contains="就创培综合性政策").exists()
    overlays = Task.objects.filter(plan_item__isnull=False)
    assert overlays.count() == 2 and all(t.overlay_reason and t.indicator for t in overlays)
    document = PlanDocument.objects.get()
    assert set(document.acknowledgements.values_list("unit__name", flat=True)) == {"市场监管所", "团委"}
    assert Task.objects.filter(public=True).count() == 7  # the plan's six tasks and the live-figure one
    assert Task.objects.get(target_source="governance.meetings_held").target_value == 4
    counts = (items.count(), overlays.count(), PlanDocument.objects.count())
    call_command("seed_governance")
    assert (UnitPlanItem.objects.count(), Task.objects.filter(plan_item__isnull=False).count(), 1) == counts
