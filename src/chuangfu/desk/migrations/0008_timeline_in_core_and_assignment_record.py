"""The ticket's timeline moves to ``core.TimelineEvent`` (one event model for every app) and a
unit's acceptance and answer are judged on its own assignment — step 1 of 3: the new columns.

Three migrations (columns; data; old columns and table dropped) because PostgreSQL refuses to alter
a table in the transaction that filled it (pending foreign-key trigger events)."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("contenttypes", "0002_remove_content_type_name"),
        ("core", "0003_timeline_event"),
        ("desk", "0007_channel_visit"),
    ]

    operations = [
        migrations.AddField(
            model_name="attachment",
            name="timeline_event",
            field=models.ForeignKey(
                blank=True, null=True, on_delete=django.db.models.deletion.CASCADE, related_name="+", to="core.timelineevent"
            ),
        ),
        migrations.AddField(
            model_name="ticketassignment",
            name="accepted_in_time",
            field=models.BooleanField(blank=True, null=True, verbose_name="及时签收"),
        ),
        migrations.AddField(
            model_name="ticketassignment",
            name="answered_in_time",
            field=models.BooleanField(blank=True, null=True, verbose_name="按时答复"),
        ),
    ]
