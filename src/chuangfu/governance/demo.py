"""Demo data for 唐镇's governance, as the work plan (浦唐府〔2022〕24号, 二(一)) sets it up: the
leadership group (组长, 副组长, 组员 with their positions and units), its office (主任 and ten
组员), the joint meeting 促进就业创业工作联席会议 with its member units and their liaisons, and the
创建工作小组. Positions and units are the plan's; the names are generated, not the plan's people.

It also loads the member units' own plan items for this year (from the plan's clauses, through the
.xlsx import), two overlay (叠加) tasks on them, the work plan document published to the units (two
have acknowledged it), this year's work plan with tasks from the plan's 二(二)–(四) (milestones, reports,
one overdue and supervised, one awaiting 销号), the three meeting series, a joint meeting held a
month ago (attendance, issued minutes, two decisions that became tasks) and the next one calling
for agenda items.

Everything goes through the services (rules and audit as in real use). Idempotent: a body that
exists keeps its members, a plan that exists keeps its tasks; a second run adds nothing. Needs the
registry's demo data (``chuangfu seed``) for the town, its units and the demo accounts.
"""

import datetime
import io

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.utils import timezone

from chuangfu.core.models import Jurisdiction, Unit, User

from .models import AttendanceStatus, Body, BodyKind, MeetingSeries, Plan, Position, ReportCycle, SeriesKind
from .services import bodies as services
from .services import ledger, meetings, progress, task_flow

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
        _ledger_and_meetings(town, leader, units, created)
        _unit_plans(town, leader, units, created)
    return created


# Member units' own annual plan items (二(一): "了解当年工作计划"), each from a clause of the work plan:
# (unit, code, item, target, month-day of the due date). Loaded through the .xlsx import as a unit
# would send them, so a second run changes nothing.
UNIT_PLAN_ITEMS = [
    (
        "党政办",
        "DZB-01",
        "草拟唐镇就创培综合性政策",
        "结合市、区就业创业培训政策，出台镇级综合性政策（二(二)）",
        "06-30",
    ),
    ("党政办", "DZB-02", "创建工作纳入镇重要工作议程", "各参与单位落实创建及管理责任（三(一)）", "03-31"),
    (
        "社区事务受理服务中心",
        "SQ-01",
        "建成家门口创业服务站咨询受理平台",
        "咨询受理、活动承载一体化（二(三)）",
        "05-31",
    ),
    (
        "社区事务受理服务中心",
        "SQ-02",
        "定期召开领导小组和创建工作小组汇报会议",
        "每季度至少一次，明确时间节点（三(二)）",
        "12-31",
    ),
    ("市场监管所", "SJ-01", "企业开办“一窗通”政策进园区宣讲", "全年宣讲不少于 4 场", "11-30"),
    ("总工会", "ZGH-01", "职工创业需求摸底", "形成职工创业需求清单", "06-30"),
    ("团委", "TW-01", "青年创业沙龙", "每季度一期，宣传青年创业典型（三(三)）", "12-15"),
    ("妇联", "FL-01", "巾帼创业帮扶行动", "重点帮扶女性创业者 20 人", "11-30"),
    ("经济发展办公室", "JF-01", "走访区域内重点孵化器、园区", "挖掘载体资源，形成联动机制（二(四)）", "09-30"),
    ("经济发展办公室", "JF-02", "电子商务及数字化转型企业摸底", "形成上下游企业名单（二(四)）", "08-31"),
    ("招商中心", "ZS-01", "技术创新型企业推送区创业大赛", "推荐不少于 3 家企业参赛（二(四)）", "10-31"),
    ("唐创空间孵化器", "TC-01", "举办“服务日”政策接力活动", "招聘、咨询、培训、补贴申请一站服务（二(四)）", "11-15"),
    ("唐镇电子商务产业园", "DS-01", "园区电商企业培育", "新入驻电商企业 10 家", "12-31"),
]
# Overlay (叠加) tasks the office adds on units' items: (unit, code, task, reason, indicator, days to due).
OVERLAYS = [
    (
        "市场监管所",
        "SJ-01",
        "“一窗通”宣讲同步开展创业政策咨询受理",
        "宣讲现场即是咨询场景，叠加咨询受理，提升政策落实率。",
        "政策落实率",
        75,
    ),
    (
        "经济发展办公室",
        "JF-01",
        "走访发现问题纳入台账闭环管理",
        "走访只记录不闭环是往年短板，叠加台账督办，形成联动机制。",
        "载体建设",
        120,
    ),
]


def _unit_plans(town, leader, units, created) -> None:
    """Units' plan items for this year (import), the office's overlay tasks on two of them, and the
    work plan document published to the units with two acknowledgements — each once."""
    from chuangfu.core.exporters import Column, ListExporter

    from .models import Task, UnitPlanItem
    from .services import unit_plans

    class PlanSheet(ListExporter):  # the units' spreadsheet, written as every .xlsx is (text as text)
        columns = [Column(header, lambda row, i=i: row[i], 16) for i, header in enumerate(unit_plans.COLUMNS)]

    year = timezone.localdate().year
    rows = [
        (unit, code, title, target, f"{year}-{due}")
        for unit, code, title, target, due in UNIT_PLAN_ITEMS
        if unit in units
    ]
    buffer = io.BytesIO()
    PlanSheet().write(rows, buffer)
    buffer.seek(0)
    result = unit_plans.plan_items_import(actor=leader, jurisdiction=town, year=year, upload=buffer)
    if result.created:
        created.append(f"单位年度计划事项 {result.created} 项")
    plan = Plan.objects.filter(jurisdiction=town, year=year).order_by("id").first()
    if plan is None:
        return
    today = timezone.localdate()
    for unit, code, title, reason, indicator, days in OVERLAYS:
        item = UnitPlanItem.objects.filter(jurisdiction=town, year=year, unit__name=unit, code=code).first()
        if item is None or Task.objects.filter(plan_item=item).exists():
            continue
        ledger.task_create(
            actor=leader,
            plan=plan,
            title=title,
            lead_unit=item.unit,
            starts_on=today - datetime.timedelta(days=15),
            due_on=today + datetime.timedelta(days=days),
            target=item.target,
            weight=2,
            plan_item=item,
            overlay_reason=reason,
            indicator=indicator,
        )
    # 三(二): regular report meetings, measured by the live count of meetings held (a live-figure target)
    live_title = "全年召开领导小组和创建工作小组汇报会议 4 次"
    if "社区事务受理服务中心" in units and not Task.objects.filter(plan=plan, title=live_title).exists():
        ledger.task_create(
            actor=leader,
            plan=plan,
            title=live_title,
            lead_unit=units["社区事务受理服务中心"],
            starts_on=datetime.date(year, 1, 1),
            due_on=datetime.date(year, 12, 31),
            target="建立定期领导小组和创建工作小组汇报会议，明确时间节点（三(二)）。",
            target_source="governance.meetings_held",
            target_value=4,
            public=True,
        )
    # What the town publishes of its plan (the portal's 工作计划进展): the tasks from the plan's clauses.
    for task in Task.objects.filter(plan=plan, title__in=[t[0] for t in TASKS], public=False):
        ledger.task_set_public(actor=leader, task=task, public=True)
    if not plan.documents.exists():
        document = unit_plans.document_publish(
            actor=leader, plan=plan, title="关于印发《唐镇创建“特色创业服务社区”工作方案》的通知", upload=_plan_docx()
        )
        for unit_name in ("市场监管所", "团委"):
            if unit_name in units:
                unit_plans.document_acknowledge(actor=_unit_account(units[unit_name]), document=document)


def _plan_docx() -> SimpleUploadedFile:
    """The work plan's notice as a short .docx (its heading and the tasks' clauses)."""
    from docx import Document

    doc = Document()
    doc.add_heading("关于印发《唐镇创建“特色创业服务社区”工作方案》的通知", level=1)
    doc.add_paragraph("浦唐府〔2022〕24号")
    for clause in (
        "（一）创建工作机制，加强组织领导，建立强效联动的创建工作领导小组，形成创建工作机制。",
        "（二）加快相关扶持政策出台，提升政策落实率，扩大政策覆盖率。",
        "（三）构建创业服务体系，打造唐镇独有服务品牌，提升创业帮扶满意率。",
        "（四）深度优化区域创业环境，树立创业典型。",
    ):
        doc.add_paragraph(clause)
    buffer = io.BytesIO()
    doc.save(buffer)
    return SimpleUploadedFile(
        "tangzhen-work-plan.docx",
        buffer.getvalue(),
        content_type="application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    )


# (title, lead unit, co-units, weight, days from today to the due date, milestones, lead unit's figure)
TASKS = [
    (
        "草拟出台唐镇就创培综合性政策",
        "党政办",
        ["社区事务受理服务中心"],
        3,
        60,
        ["调研起草", "征求意见", "印发实施"],
        40,
    ),
    ("建成家门口创业服务站咨询受理平台", "社区事务受理服务中心", ["社区建设办公室"], 3, 30, ["选址", "运营"], 60),
    (
        "走访区域内重点孵化器、园区并建立联动机制",
        "经济发展办公室",
        ["唐创空间孵化器", "唐镇电子商务产业园"],
        2,
        -5,
        [],
        50,
    ),
    ("举办“服务日”政策接力活动", "市场监管所", ["总工会", "妇联"], 2, 45, ["第一场", "第二场"], 0),
    ("挖掘电商及数字化转型创业典型并推送区创业大赛", "招商中心", ["团委"], 1, 90, [], 10),
    ("开展创建工作宣传", "团委", ["妇联"], 1, -20, [], 100),
]


def _ledger_and_meetings(town, leader, units, created) -> None:
    today = timezone.localdate()
    title = f"唐镇创建特色创业型社区{today.year}年工作计划"
    if Plan.objects.filter(jurisdiction=town, title=title).exists():
        return
    liaison = User.objects.get(username="tz_liaison")
    plan = ledger.plan_create(
        actor=leader, jurisdiction=town, year=today.year, title=title, description="按浦唐府〔2022〕24号分解落实。"
    )
    created.append(title)
    tasks = {}
    for name, lead, co, weight, days, milestones, _figure in TASKS:
        start = today - datetime.timedelta(days=60)
        task = ledger.task_create(
            actor=leader,
            plan=plan,
            title=name,
            lead_unit=units[lead],
            co_units=[units[u] for u in co if u in units],
            weight=weight,
            starts_on=start,
            due_on=today + datetime.timedelta(days=days),
            report_cycle=ReportCycle.MONTHLY,
        )
        step = (task.due_on - start) / max(len(milestones), 1)
        for n, label in enumerate(milestones, start=1):
            ledger.milestone_add(actor=leader, task=task, title=label, due_on=start + step * n, weight=1)
        tasks[name] = task
    # 市场监管所 (tz_liaison) reports on its task; the others' figures are set by their units' reports.
    market_task = tasks["举办“服务日”政策接力活动"]
    first = market_task.milestones.first()
    progress.progress_report_submit(
        actor=liaison,
        task=market_task,
        milestone=first,
        text="第一场服务日已在唐创空间举办，服务 60 人次。",
        percent=100,
        files=[_evidence("服务日签到表.pdf")],
    )
    for name, lead, _co, _w, _d, milestones, figure in TASKS:
        if not figure or lead == "市场监管所":
            continue
        reporter = _unit_account(units[lead])
        task = tasks[name]
        milestone = task.milestones.first() if milestones else None
        progress.progress_report_submit(
            actor=reporter,
            task=task,
            milestone=milestone,
            text="按计划推进。",
            percent=figure,
            files=[_evidence("推进情况.pdf")] if figure == 100 else (),
        )
    late = tasks["走访区域内重点孵化器、园区并建立联动机制"]
    task_flow.task_transition(actor=leader, task=late, name="supervise", note="请本周内完成剩余走访并报送。")
    task_flow.task_transition(actor=_unit_account(units["团委"]), task=tasks["开展创建工作宣传"], name="request_close")
    _meetings(town, leader, units, liaison, plan)


def _meetings(town, leader, units, liaison, plan) -> None:
    bodies = {b.kind: b for b in Body.objects.filter(jurisdiction=town)}
    series = {}
    for kind, body_kind, name, prefix in (
        (SeriesKind.JOINT_MEETING, BodyKind.JOINT_MEETING, JOINT_MEETING, "唐镇联席会议纪要"),
        (SeriesKind.GROUP_REPORT, BodyKind.LEADING_GROUP, "领导小组汇报会议", "唐镇创建领导小组会议纪要"),
        (SeriesKind.WORKING_REPORT, BodyKind.WORKING_GROUP, "创建工作小组汇报会议", "唐镇创建工作小组会议纪要"),
    ):
        existing = MeetingSeries.objects.filter(jurisdiction=town, name=name).first()
        series[kind] = existing or meetings.series_create(
            actor=leader, body=bodies[body_kind], kind=kind, name=name, minutes_prefix=prefix
        )
    now = timezone.now()
    joint = series[SeriesKind.JOINT_MEETING]
    past = meetings.meeting_create(
        actor=leader,
        series=joint,
        title="促进就业创业工作联席会议（第一次）",
        starts_at=now - datetime.timedelta(days=30),
        place="唐镇人民政府三楼会议室",
    )
    for name in ("set_agenda", "hold"):
        past = meetings.meeting_transition(actor=leader, meeting=past, name=name)
    from .selectors import meeting_members

    for n, member in enumerate(meeting_members(past)):
        if n == 3:
            meetings.attendance_record(
                actor=leader, meeting=past, member=member, status=AttendanceStatus.SUBSTITUTE, substitute_name="钱小兰"
            )
        elif n == 5:
            meetings.attendance_record(
                actor=leader, meeting=past, member=member, status=AttendanceStatus.ABSENT, absence_reason="区里开会"
            )
        else:
            meetings.attendance_record(actor=leader, meeting=past, member=member, status=AttendanceStatus.PRESENT)
    minutes = meetings.minutes_save(
        actor=leader,
        meeting=past,
        text="会议听取了各成员单位当年工作计划及叠加策略的汇报，研究了创建工作任务分解。",
    )
    meetings.minutes_transition(actor=leader, minutes=minutes, name="approve")
    meetings.minutes_transition(actor=leader, minutes=minutes, name="issue")
    meetings.decision_create(
        actor=leader,
        meeting=past,
        text="市场监管所牵头，在唐创空间开展企业开办“一窗通”政策宣讲",
        lead_unit=units["市场监管所"],
        co_units=[units["唐创空间孵化器"]],
        due_on=timezone.localdate() + datetime.timedelta(days=20),
        plan=plan,
    )
    meetings.decision_create(
        actor=leader,
        meeting=past,
        text="总工会牵头梳理职工创业需求清单",
        lead_unit=units["总工会"],
        due_on=timezone.localdate() + datetime.timedelta(days=40),
        plan=plan,
    )
    upcoming = meetings.meeting_create(
        actor=leader,
        series=joint,
        title="促进就业创业工作联席会议（第二次）",
        starts_at=now + datetime.timedelta(days=10),
        place="唐镇人民政府三楼会议室",
        agenda_deadline=now + datetime.timedelta(days=6),
    )
    upcoming = meetings.meeting_transition(actor=leader, meeting=upcoming, name="call_agenda")
    meetings.agenda_item_submit(
        actor=liaison, meeting=upcoming, title="“服务日”第二场场地与时间", summary="拟在唐镇电子商务产业园举办。"
    )


def _unit_account(unit) -> User:
    """The unit's liaison account; the demo makes one (unusable password) for units without one."""
    user = User.objects.filter(role="unit_liaison", unit=unit).first()
    if user is None:
        user = User.objects.create_user(
            username=f"tz_unit_{unit.pk}",
            role="unit_liaison",
            unit=unit,
            jurisdiction=unit.jurisdiction,
            display_name=f"{unit.name}联络员",
        )
        user.set_unusable_password()
        user.save(update_fields=["password"])
    return user


def _evidence(name: str) -> SimpleUploadedFile:
    body = io.BytesIO(b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF")
    return SimpleUploadedFile(name, body.getvalue(), content_type="application/pdf")


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
