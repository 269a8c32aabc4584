"""The application's timeline moves to ``core.TimelineEvent`` (one event model for every app):
the rows are copied here; the old table goes in the next migration (PostgreSQL refuses schema
changes in the transaction that wrote the rows they concern)."""

from django.db import migrations

BATCH = 2000
FIELDS = ("at", "actor_id", "actor_repr", "action", "label", "note", "public", "public_note")


def copy_events(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    ApplicationEvent = apps.get_model("subsidies", "ApplicationEvent")
    TimelineEvent = apps.get_model("core", "TimelineEvent")
    subject_type, _ = ContentType.objects.get_or_create(app_label="subsidies", model="application")
    rows = ApplicationEvent.objects.order_by("pk").values(
        "application_id", "application__jurisdiction_id", "from_status", "to_status", *FIELDS
    )
    pending = []
    for row in rows.iterator(chunk_size=BATCH):
        pending.append(
            TimelineEvent(
                subject_type_id=subject_type.pk,
                subject_id=row["application_id"],
                jurisdiction_id=row["application__jurisdiction_id"],
                from_state=row["from_status"],
                to_state=row["to_status"],
                **{f: row[f] for f in FIELDS},
            )
        )
        if len(pending) >= BATCH:
            TimelineEvent.objects.bulk_create(pending)
            pending = []
    TimelineEvent.objects.bulk_create(pending)


class Migration(migrations.Migration):
    dependencies = [
        ("contenttypes", "0002_remove_content_type_name"),
        ("core", "0003_timeline_event"),
        ("subsidies", "0002_notice_and_disbursement"),
    ]

    operations = [
        migrations.RunPython(copy_events, migrations.RunPython.noop),
    ]
