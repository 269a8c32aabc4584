"""Data migrations of the desk: existing rows survive the move to one timeline model and the
assignment as the record of a unit's part."""

import datetime

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

BEFORE = [("desk", "0007_channel_visit"), ("subsidies", "0002_notice_and_disbursement")]


def _migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


# Migrating back and forth needs a transactional test, which leaves the database empty for the tests
# after it (like the other serialized ones): it runs in the slow step.
@pytest.mark.slow
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_ticket_timelines_move_to_core_with_their_files_and_units_parts_keep_their_timeliness():
    old = _migrate(BEFORE)
    Jurisdiction = old.get_model("core", "Jurisdiction")
    Unit = old.get_model("core", "Unit")
    Category, Ticket = old.get_model("desk", "Category"), old.get_model("desk", "Ticket")
    TicketEvent, Attachment = old.get_model("desk", "TicketEvent"), old.get_model("desk", "Attachment")
    TicketAssignment = old.get_model("desk", "TicketAssignment")
    town = Jurisdiction.objects.get(code="310115114")
    unit = Unit.objects.create(name="市场监管所", jurisdiction=town)
    category = Category.objects.create(jurisdiction=town, name="旧类别")
    day = datetime.date(2026, 9, 1)
    ticket = Ticket.objects.create(
        number="2026090100001",
        jurisdiction=town,
        category=category,
        requester_name="张三",
        requester_mobile="13800000000",
        description="旧工单",
        received_on=day,
        accept_due=day,
        answer_due=day + datetime.timedelta(days=7),
        content_hash="x",
        status="accepted",
        lead_unit=unit,
    )
    at = datetime.datetime(2026, 9, 1, 9, tzinfo=datetime.UTC)
    made = [
        TicketEvent.objects.create(
            ticket=ticket,
            at=at,
            actor_repr="诉求人",
            action="submitted",
            label="受理",
            public=True,
            to_status="received",
        ),
        TicketEvent.objects.create(
            ticket=ticket, at=at, actor_repr="窗口", unit=unit, action="comment", label="内部备注", note="见附件"
        ),
        TicketEvent.objects.create(
            ticket=ticket,
            at=at,
            actor_repr="联络员",
            action="accept",
            label="签收",
            public=True,
            public_note="承办单位已签收。",
            from_status="dispatched",
            to_status="accepted",
        ),
    ]
    Attachment.objects.create(
        ticket=ticket, event=made[1], file="desk/x.pdf", original_name="x.pdf", content_type="application/pdf", size=1
    )
    late = TicketAssignment.objects.create(
        ticket=ticket,
        unit=unit,
        role="lead",
        state="accepted",
        accept_due=day,
        accepted_at=datetime.datetime(2026, 9, 29, 2, tzinfo=datetime.UTC),
    )

    executor = MigrationExecutor(connection)
    _migrate(executor.loader.graph.leaf_nodes())

    from chuangfu.desk.models import Attachment as NewAttachment
    from chuangfu.desk.models import Ticket as NewTicket
    from chuangfu.desk.models import TicketAssignment as NewAssignment

    moved = NewTicket.objects.get(pk=ticket.pk)
    events = list(moved.events.order_by("at", "id"))
    assert [e.action for e in events] == ["submitted", "comment", "accept"]
    assert [(e.from_state, e.to_state) for e in events] == [("", "received"), ("", ""), ("dispatched", "accepted")]
    assert all(e.jurisdiction_id == town.pk for e in events) and events[1].unit_id == unit.pk
    assert events[2].public and events[2].public_note == "承办单位已签收。"
    assert NewAttachment.objects.get().event == events[1]
    assert NewAssignment.objects.get(pk=late.pk).accepted_in_time is False
