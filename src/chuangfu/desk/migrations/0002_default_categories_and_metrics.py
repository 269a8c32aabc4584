"""Default configuration every town starts with: the eight request categories of the issue
(1 working day to accept, 5 to answer; 15 to rectify after a 差评) and the desk's figures.
Both are data: an admin edits them in the admin screens."""
from django.db import migrations

CATEGORIES = [
    ("政策咨询", "了解创业扶持政策、申请条件和办理流程。"),
    ("注册开办", "企业、个体工商户的设立登记和开办手续。"),
    ("融资贷款", "创业担保贷款、贴息和其他融资需求。"),
    ("场地租赁", "孵化器、园区工位和经营场地。"),
    ("招聘用工", "招聘、社保和用工手续。"),
    ("创业培训", "创业培训、导师指导和创业活动。"),
    ("补贴申领", "一次性创业补贴、社保补贴、场地费补贴等的申领。"),
    ("其他", "其他创业相关的诉求。"),
]

FINISHED = ["closed", "revisited"]
METRICS = [
    # code, name, kind, numerator, denominator, value_field, description
    ("closure_rate", "办结率", "ratio", {"status__in": FINISHED}, {},
     "", "已办结（含已回访）工单数 ÷ 受理工单数（不含并单）"),
    ("on_time_rate", "按时办结率", "ratio", {"status__in": FINISHED, "answered_in_time": True}, {"status__in": FINISHED},
     "", "在答复时限内答复的已办结工单数 ÷ 已办结工单数"),
    ("timely_accept_rate", "及时签收率", "ratio", {"accepted_in_time": True}, {"accepted_in_time__isnull": False},
     "", "在签收时限内签收的工单数 ÷ 已签收工单数"),
    ("satisfaction_rate", "满意率", "ratio", {"rating__grade__gte": 3, "rating__excluded": False},
     {"rating__isnull": False, "rating__excluded": False},
     "", "非常满意、满意、基本满意的评价数 ÷ 有效评价数（经申诉复核剔除的不计）"),
    ("rectification_rate", "差评整改率", "ratio", {"rectification__state__in": ["rectified", "closed"]},
     {"rectification__isnull": False}, "", "已完成整改的差评工单数 ÷ 差评工单数"),
    ("revisit_rate", "回访率", "ratio", {"revisited_at__isnull": False}, {"status__in": FINISHED},
     "", "已回访工单数 ÷ 已办结工单数"),
    ("return_rate", "退单率", "ratio", {"return_count__gt": 0}, {"dispatched_at__isnull": False},
     "", "被退单过的工单数 ÷ 派过单的工单数"),
    ("answer_days_avg", "平均答复用时", "average", {}, {"answer_working_days__isnull": False},
     "answer_working_days", "从受理次日起到答复的工作日数的平均值（挂起期间不计）"),
]


def load(apps, schema_editor):
    Jurisdiction = apps.get_model("core", "Jurisdiction")
    Category = apps.get_model("desk", "Category")
    MetricDefinition = apps.get_model("desk", "MetricDefinition")
    for town in Jurisdiction.objects.filter(level="town"):
        for order, (name, description) in enumerate(CATEGORIES):
            Category.objects.get_or_create(
                jurisdiction=town, name=name,
                defaults={"description": description, "order": order, "accept_days": 1, "answer_days": 5},
            )
    for order, (code, name, kind, num, den, field, description) in enumerate(METRICS):
        MetricDefinition.objects.get_or_create(
            code=code,
            defaults={"name": name, "kind": kind, "numerator": num, "denominator": den, "value_field": field,
                      "description": description, "order": order},
        )


class Migration(migrations.Migration):
    dependencies = [("desk", "0001_initial"), ("core", "0002_reference_data")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
