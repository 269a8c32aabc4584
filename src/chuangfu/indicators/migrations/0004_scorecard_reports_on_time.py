"""The scorecard's governance line for progress reports (按时报送率), from the report cycles of the
tasks a unit leads (governance.indicator_sources: one report owed per cycle)."""

from django.db import migrations

LINE = dict(
    name="按时报送率",
    definition="在报送周期内报送了进展的周期数 ÷ 应报送的周期数（牵头任务按每周、每月或每季度报送一次）",
    numerator="governance.unit_reports_on_time",
    denominator="governance.unit_reports_due",
    direction="higher",
    weight=10,
    order=35,
)


def load(apps, schema_editor):
    apps.get_model("indicators", "ScorecardMeasure").objects.get_or_create(code="reports_on_time", defaults=LINE)


def unload(apps, schema_editor):
    apps.get_model("indicators", "ScorecardMeasure").objects.filter(code="reports_on_time").delete()


class Migration(migrations.Migration):
    dependencies = [("indicators", "0003_scorecard")]

    operations = [migrations.RunPython(load, unload)]
