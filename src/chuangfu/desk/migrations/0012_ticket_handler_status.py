"""我首问的 (a clerk's own tickets in a few statuses) by first handler and status (decisions.md 34)."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("desk", "0011_figures_on_assignments")]

    operations = [
        migrations.AddIndex(
            model_name="ticket",
            index=models.Index(fields=["first_handler", "status"], name="desk_ticket_handler_status"),
        ),
    ]
