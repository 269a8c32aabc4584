"""The old timeline table goes (its rows were copied to ``core.TimelineEvent``)."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("subsidies", "0003_timeline_in_core")]

    operations = [migrations.DeleteModel(name="ApplicationEvent")]
