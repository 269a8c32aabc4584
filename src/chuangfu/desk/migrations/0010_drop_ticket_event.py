"""Step 3 of 3: the old timeline table goes; the files point at their ``core.TimelineEvent``."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("desk", "0009_copy_timeline_and_assignment_facts")]

    operations = [
        migrations.RemoveField(model_name="attachment", name="event"),
        migrations.RenameField(model_name="attachment", old_name="timeline_event", new_name="event"),
        migrations.AlterField(
            model_name="attachment",
            name="event",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.CASCADE,
                related_name="attachments",
                to="core.timelineevent",
            ),
        ),
        migrations.DeleteModel(name="TicketEvent"),
    ]
