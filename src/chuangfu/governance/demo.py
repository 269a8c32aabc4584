"""Demo data for 唐镇's governance, as the work plan (浦唐府〔2022〕24号, 二(一)) sets it up: the
leadership group (组长, 副组长, 组员 with their positions and units), its office (主任 and ten
组员), the joint meeting 促进就业创业工作联席会议 with its member units and their liaisons, and the
创建工作小组. Positions and units are the plan's; the names are generated, not the plan's people.

Everything goes through the services (rules and audit as in real use). Idempotent: a body that
exists keeps its members; a second run adds nothing. Needs the registry's demo data
(``chuangfu seed``) for the town, its units and the demo accounts.
"""

import datetime

from django.db import transaction

from chuangfu.core.models import Jurisdiction, Unit, User

from .models import Body, BodyKind, Position
from .services import bodies as services

TANGZHEN = "310115114"
TERM_NAME = "2022年8月起"
TERM_START = datetime.date(2022, 8, 15)  # the plan's date of issue

GROUP = "唐镇创建特色创业型社区工作领导小组"
OFFICE = "领导小组办公室"
JOINT_MEETING = "促进就业创业工作联席会议"
WORKING_GROUP = "创建工作小组"

# (position, generated name, title as the plan gives it, unit name or None)
GROUP_MEMBERS = [
    (Position.HEAD, "王立诚", "镇党委副书记、镇长", None),
    (Position.DEPUTY, "陈若兰", "副镇长", None),
    (Position.DEPUTY, "顾承志", "副镇长", None),
    (Position.MEMBER, "陈建国", "镇党政办主任", "党政办"),
    (Position.MEMBER, "夏明轩", "镇社区建设办公室主任", "社区建设办公室"),
    (Position.MEMBER, "华雨桐", "镇经济发展办公室主任、镇团委书记", "经济发展办公室"),
    (Position.MEMBER, "吴振宇", "唐镇市场监督管理所所长", "市场监管所"),
    (Position.MEMBER, "蒋国平", "镇总工会专职副主席", "总工会"),
    (Position.MEMBER, "朱慧敏", "镇妇联主席", "妇联"),
    (Position.MEMBER, "张立军", "唐镇投资发展（集团）有限公司副总经理", "投资发展集团"),
    (Position.MEMBER, "沈俊峰", "唐镇投资发展（集团）有限公司副总经理", "投资发展集团"),
    (Position.MEMBER, "杜晓岚", "镇社区事务受理服务中心主任", "社区事务受理服务中心"),
    (Position.MEMBER, "王佳琪", "镇残联副理事长、镇退役军人办公室", "残联"),
]
OFFICE_MEMBERS = [(Position.DIRECTOR, "杜晓岚", "镇社区事务受理服务中心主任", "社区事务受理服务中心")] + [
    (Position.MEMBER, name, "办公室组员", "社区事务受理服务中心")
    for name in ("丁卫东", "刘婧怡", "缪丽芸", "沈秀琴", "顾玉梅", "缪德华", "梅宇航", "朱明远", "奚燕婷", "何振宇")
]
# Member units of the joint meeting (党政办, 市场监管所, 总工会, 团委, 妇联, 园区, 招商中心, 孵化器 …)
# with their liaisons; 市场监管所's liaison is the demo account tz_liaison.
JOINT_UNITS = [
    ("党政办", "陈建国"),
    ("市场监管所", "吴海涛"),
    ("总工会", "蒋晓雯"),
    ("团委", "华嘉怡"),
    ("妇联", "朱婉清"),
    ("唐镇电子商务产业园", "许志明"),
    ("招商中心", "钱佳伟"),
    ("唐创空间孵化器", "许文博"),
    ("社区事务受理服务中心", "周晓燕"),
    ("经济发展办公室", "华雨桐"),
    ("唐启创业服务社（第三方机构）", "林思远"),
]
WORKING_MEMBERS = [
    (Position.HEAD, "杜晓岚", "镇社区事务受理服务中心主任", "社区事务受理服务中心"),
    (Position.MEMBER, "丁卫东", "办公室组员", "社区事务受理服务中心"),
    (Position.MEMBER, "华雨桐", "镇经济发展办公室主任、镇团委书记", "经济发展办公室"),
    (Position.MEMBER, "吴海涛", "市场监管所联络员", "市场监管所"),
]


class DemoDataMissing(Exception):
    """The registry's demo data (town, units, accounts) is not there yet."""


def seed_governance() -> list[str]:
    """Create 唐镇's bodies and members when missing; return the names of the bodies created."""
    town = Jurisdiction.objects.filter(code=TANGZHEN).first()
    leader = User.objects.filter(username="tz_leader").first()
    if town is None or leader is None:
        raise DemoDataMissing("请先运行 chuangfu seed 生成名录演示数据。 Run `chuangfu seed` first.")
    units = {u.name: u for u in Unit.objects.filter(jurisdiction=town)}
    accounts = {u.display_name: u for u in User.objects.filter(jurisdiction=town, unit__isnull=False)}
    created = []
    with transaction.atomic():
        group = _body(town, leader, BodyKind.LEADING_GROUP, GROUP, None, created)
        office = _body(town, leader, BodyKind.OFFICE, OFFICE, group, created)
        joint = _body(town, leader, BodyKind.JOINT_MEETING, JOINT_MEETING, group, created)
        working = _body(town, leader, BodyKind.WORKING_GROUP, WORKING_GROUP, group, created)
        for body, members in (
            (group, GROUP_MEMBERS),
            (office, OFFICE_MEMBERS),
            (joint, [(Position.MEMBER_UNIT, name, "联络员", unit) for unit, name in JOINT_UNITS]),
            (working, WORKING_MEMBERS),
        ):
            term = body.terms.filter(name=TERM_NAME).first()
            if term is not None:
                continue
            term = services.term_create(actor=leader, body=body, name=TERM_NAME, starts_on=TERM_START)
            for position, name, title, unit_name in members:
                services.membership_add(
                    actor=leader,
                    term=term,
                    name=name,
                    position=position,
                    title=title,
                    unit=units.get(unit_name),
                    user=accounts.get(name),
                    joined_on=TERM_START,
                )
    return created


DUTIES = {
    BodyKind.LEADING_GROUP: "统筹唐镇创建特色创业型社区工作，研究决定重大事项。",
    BodyKind.OFFICE: "具体负责创建唐镇特色创业型社区工作的组织、协调等工作。",
    BodyKind.JOINT_MEETING: "了解成员单位当年工作计划，制定叠加策略，协调推进就业创业工作。",
    BodyKind.WORKING_GROUP: "定期汇报与协调工作推进进度和目标，明确时间节点。",
}


def _body(town, leader, kind, name, parent, created) -> Body:
    body = Body.objects.filter(jurisdiction=town, name=name).first()
    if body is None:
        body = services.body_create(
            actor=leader, jurisdiction=town, kind=kind, name=name, parent=parent, duties=DUTIES[kind]
        )
        created.append(name)
    return body
