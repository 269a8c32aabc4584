"""Two indexes for the queue's tab counts (decisions.md 33): 我首问的 by first handler and status,
and the deadline tabs of a town read from the index alone."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("desk", "0011_figures_on_assignments")]

    operations = [
        migrations.AddIndex(
            model_name="ticket",
            index=models.Index(fields=["first_handler", "status"], name="desk_ticket_handler_status"),
        ),
        migrations.AddIndex(
            model_name="ticket",
            index=models.Index(
                fields=["jurisdiction", "status", "answer_due", "accept_due"], name="desk_ticket_town_status_due"
            ),
        ),
    ]
