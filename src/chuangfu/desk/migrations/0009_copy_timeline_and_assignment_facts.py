"""Step 2 of 3: copy every ``TicketEvent`` into ``core.TimelineEvent`` in id order (the files of
replies and notes follow their events), and fill each assignment's ``accepted_in_time`` and
``answered_in_time`` from its history."""


import django.db.models.deletion
from django.db import migrations, models
from django.utils import timezone

BATCH = 2000
FIELDS = ("at", "actor_id", "actor_repr", "unit_id", "action", "label", "note", "public", "public_note")


def copy_events(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    TicketEvent = apps.get_model("desk", "TicketEvent")
    TimelineEvent = apps.get_model("core", "TimelineEvent")
    Attachment = apps.get_model("desk", "Attachment")
    subject_type, _ = ContentType.objects.get_or_create(app_label="desk", model="ticket")
    with_files = set(Attachment.objects.filter(event__isnull=False).values_list("event_id", flat=True))
    rows = TicketEvent.objects.order_by("pk").values(
        "pk", "ticket_id", "ticket__jurisdiction_id", "from_status", "to_status", *FIELDS
    )
    pending = []
    for row in rows.iterator(chunk_size=BATCH):
        event = TimelineEvent(
            subject_type_id=subject_type.pk,
            subject_id=row["ticket_id"],
            jurisdiction_id=row["ticket__jurisdiction_id"],
            from_state=row["from_status"],
            to_state=row["to_status"],
            **{f: row[f] for f in FIELDS},
        )
        if row["pk"] in with_files:  # in order, so events keep their sequence
            TimelineEvent.objects.bulk_create(pending)
            pending = []
            event.save()
            Attachment.objects.filter(event_id=row["pk"]).update(timeline_event=event)
        else:
            pending.append(event)
            if len(pending) >= BATCH:
                TimelineEvent.objects.bulk_create(pending)
                pending = []
    TimelineEvent.objects.bulk_create(pending)


def fill_assignments(apps, schema_editor):
    TicketAssignment = apps.get_model("desk", "TicketAssignment")
    qs = TicketAssignment.objects.filter(models.Q(accepted_at__isnull=False) | models.Q(answered_at__isnull=False))
    rows = qs.values_list(
        "pk", "role", "accept_due", "accepted_at", "answered_at", "ticket__answer_due", "ticket__answered_in_time"
    )
    changed = []
    for pk, role, accept_due, accepted_at, answered_at, answer_due, ticket_in_time in rows.iterator(chunk_size=BATCH):
        a = TicketAssignment(pk=pk)
        a.accepted_in_time = timezone.localdate(accepted_at) <= accept_due if accepted_at else None
        if answered_at is None:
            a.answered_in_time = None
        elif role == "lead" and ticket_in_time is not None:
            a.answered_in_time = ticket_in_time
        else:
            a.answered_in_time = timezone.localdate(answered_at) <= answer_due
        changed.append(a)
        if len(changed) >= BATCH:
            TicketAssignment.objects.bulk_update(changed, ["accepted_in_time", "answered_in_time"])
            changed = []
    TicketAssignment.objects.bulk_update(changed, ["accepted_in_time", "answered_in_time"])


class Migration(migrations.Migration):
    dependencies = [("desk", "0008_timeline_in_core_and_assignment_record")]

    operations = [
        migrations.RunPython(copy_events, migrations.RunPython.noop),
        migrations.RunPython(fill_assignments, migrations.RunPython.noop),
    ]
