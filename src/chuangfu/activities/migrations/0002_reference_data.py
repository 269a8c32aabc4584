"""Seed the activity types of the work plan and the services offered on a service day.

Both are configuration: the admin may rename, reorder, disable or add to them."""
from django.db import migrations

TYPES = [
    # code, name, is_competition, is_recruitment
    ("service_day", "服务日", False, False),
    ("training", "创业培训", False, False),
    ("job_fair", "招聘会", False, True),
    ("policy_briefing", "政策宣讲", False, False),
    ("salon", "创业沙龙", False, False),
    ("competition", "路演/创业大赛", True, False),
    ("mentor_day", "导师辅导日", False, False),
]
SERVICES = [
    ("recruitment", "招聘"),
    ("consultation", "信息咨询"),
    ("skills_training", "技能培训"),
    ("subsidy_application", "补贴申请"),
    ("policy_briefing", "政策解读"),
    ("financing", "融资对接"),
]


def seed(apps, schema_editor):
    ActivityType = apps.get_model("activities", "ActivityType")
    DayService = apps.get_model("activities", "DayService")
    for position, (code, name, is_competition, is_recruitment) in enumerate(TYPES):
        ActivityType.objects.get_or_create(
            code=code,
            defaults={"name": name, "is_competition": is_competition, "is_recruitment": is_recruitment, "position": position},
        )
    for position, (code, name) in enumerate(SERVICES):
        DayService.objects.get_or_create(code=code, defaults={"name": name, "position": position})


def unseed(apps, schema_editor):
    apps.get_model("activities", "ActivityType").objects.filter(code__in=[t[0] for t in TYPES]).delete()
    apps.get_model("activities", "DayService").objects.filter(code__in=[s[0] for s in SERVICES]).delete()


class Migration(migrations.Migration):
    dependencies = [("activities", "0001_initial")]
    operations = [migrations.RunPython(seed, unseed)]
