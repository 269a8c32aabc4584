"""Per-unit figures count assignments: 及时签收率 and 退单率 become figures over each unit's own
assignments (a reassigned ticket counts for each unit with its own facts); the ticket's
``accepted_in_time`` (the first acceptance only, which made a late second unit read as timely)
goes."""

from django.db import migrations, models

ASSIGNMENT_ROOTS = {
    "role",
    "state",
    "unit",
    "accept_due",
    "dispatched_at",
    "accepted_at",
    "accepted_in_time",
    "answered_at",
    "answered_in_time",
    "ticket",
}
DEFAULTS = {
    "timely_accept_rate": (
        {"accepted_in_time": True},
        {"accepted_in_time__isnull": False},
        "在签收时限内签收的派单数 ÷ 已签收的派单数（每次派给单位各算一次，含协办；按签收单位统计）",
    ),
    "return_rate": (
        {"state": "returned"},
        {},
        "被退回的派单数 ÷ 派单数（每次派给单位各算一次，含协办；按被派单位统计）",
    ),
}


def _roots(spec):
    return {key.split("__")[0] for key in spec}


def to_assignments(apps, schema_editor):
    MetricDefinition = apps.get_model("desk", "MetricDefinition")
    for metric in MetricDefinition.objects.all():
        if metric.code in DEFAULTS and metric.numerator == {
            "timely_accept_rate": {"accepted_in_time": True},
            "return_rate": {"return_count__gt": 0},
        }.get(metric.code):
            metric.numerator, metric.denominator, metric.description = DEFAULTS[metric.code]
            metric.basis = "assignment"
            metric.save(update_fields=["numerator", "denominator", "description", "basis"])
        elif "accepted_in_time" in _roots(metric.numerator) | _roots(metric.denominator):
            # a town's own definition reading the ticket's first acceptance: read it from the assignments
            # when every condition exists there, otherwise switch it off rather than count a missing column
            if _roots(metric.numerator) | _roots(metric.denominator) <= ASSIGNMENT_ROOTS and metric.kind == "ratio":
                metric.basis = "assignment"
                metric.save(update_fields=["basis"])
            else:
                metric.active = False
                metric.save(update_fields=["active"])


class Migration(migrations.Migration):
    dependencies = [("desk", "0010_drop_ticket_event")]

    operations = [
        migrations.AddField(
            model_name="metricdefinition",
            name="basis",
            field=models.CharField(
                choices=[("ticket", "工单"), ("assignment", "承办单位的派单")],
                default="ticket",
                help_text="按单位统计单位自身表现（签收、退单）时选“承办单位的派单”：改派后各单位各算各的。",
                max_length=16,
                verbose_name="统计对象",
            ),
        ),
        migrations.RunPython(to_assignments, migrations.RunPython.noop),
        migrations.RemoveField(model_name="ticket", name="accepted_in_time"),
    ]
