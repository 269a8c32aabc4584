"""Unit scorecards (考评): the lines and weights as data, with a default set the admin can change."""

import django.core.validators
from django.db import migrations, models


# code, name, definition, numerator, denominator, direction, weight
DEFAULTS = [
    ("timely_accept", "及时签收率", "在签收时限内签收的派单数 ÷ 已签收的派单数（每次派给单位各算一次，含协办）",
     "desk.assignments_accepted_on_time", "desk.assignments_accepted", "higher", 25),
    ("on_time_answer", "按时办结率", "在答复时限内反馈的派单数 ÷ 已反馈的派单数",
     "desk.assignments_answered_on_time", "desk.assignments_answered", "higher", 25),
    ("return_rate", "退单率", "被单位退回的派单数 ÷ 派单数", "desk.assignments_returned", "desk.assignments", "lower", 10),
    ("tasks_on_time", "任务按时完成率", "按时限销号的牵头任务数 ÷ 本年度到期的牵头任务数",
     "governance.unit_tasks_closed_on_time", "governance.unit_tasks_due", "higher", 20),
    ("attendance", "会议出席率", "本单位成员出席（含委托代会）的人次 ÷ 应出席人次",
     "governance.unit_attendance_present", "governance.unit_attendance_expected", "higher", 10),
    ("activities", "协办活动场次", "本单位协办并已举办的活动场次（按本镇最多的单位折算得分）",
     "activities.unit_activities_held", "", "higher", 10),
]


def load(apps, schema_editor):
    Measure = apps.get_model("indicators", "ScorecardMeasure")
    for order, (code, name, definition, numerator, denominator, direction, weight) in enumerate(DEFAULTS):
        Measure.objects.get_or_create(
            code=code,
            defaults=dict(name=name, definition=definition, numerator=numerator, denominator=denominator,
                          direction=direction, weight=weight, order=order * 10),
        )


class Migration(migrations.Migration):

    dependencies = [
        ('indicators', '0002_survey'),
    ]

    operations = [
        migrations.CreateModel(
            name='ScorecardMeasure',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('code', models.SlugField(max_length=40, unique=True, verbose_name='代码')),
                ('name', models.CharField(max_length=80, verbose_name='名称')),
                ('definition', models.CharField(blank=True, max_length=300, verbose_name='口径说明')),
                ('numerator', models.CharField(max_length=80, verbose_name='分子（或计数）数据源')),
                ('denominator', models.CharField(blank=True, help_text='计数项不填。', max_length=80, verbose_name='分母数据源')),
                ('direction', models.CharField(choices=[('higher', '越高越好'), ('lower', '越低越好')], default='higher', max_length=8, verbose_name='方向')),
                ('weight', models.PositiveSmallIntegerField(default=10, validators=[django.core.validators.MaxValueValidator(100)], verbose_name='权重')),
                ('order', models.PositiveSmallIntegerField(default=0, verbose_name='排序')),
                ('active', models.BooleanField(default=True, verbose_name='启用')),
            ],
            options={
                'verbose_name': '单位考评项',
                'verbose_name_plural': '单位考评项',
                'ordering': ['order', 'code'],
                'constraints': [models.CheckConstraint(condition=models.Q(('weight__lte', 100)), name='indicators_measure_weight')],
            },
        ),
        migrations.RunPython(load, migrations.RunPython.noop),
    ]
