"""Demo activities for 唐镇, placed around today so ``make demo`` always has something to show:

- 唐创空间创业服务日 — at the 唐创空间 incubator, started an hour ago (进行中): registrations, some
  check-ins, a walk-in, and two consultations raised on the spot (desk tickets, one answered);
- 电商直播创业培训 — in five days, registration open, with a registration question;
- 唐镇创业企业招聘会 — in ten days, with job postings of registry enterprises and interest in them;
- 一次性创业补贴政策宣讲会 — a week ago (已结束), attended and rated;
- 唐镇创新创业大赛（初赛） — in three days, four entries, two judges (one has scored).

Everything goes through the services (so the rules, the state machines and the audit log are
those of real use) with the clock set to the moments things would have happened. Names and
mobiles are fixed, so two runs on the same day give the same data; an activity whose title
already exists in 唐镇 is left alone (idempotent). Needs the registry's demo data
(``chuangfu seed``) for the carriers, units, enterprises and demo accounts.
"""

import datetime
from dataclasses import dataclass, field

from django.db import transaction
from django.utils import timezone

from chuangfu.core.models import Jurisdiction, Unit, User
from chuangfu.registry.models import Carrier, Enterprise

from . import selectors
from .models import Activity, ActivityType, Audience, DayService, NominationChannel, Registration
from .services import activities as activity_services
from .services import checkins, competitions, consultations, feedback, jobs, registrations

TANGZHEN = "310115114"
MINUTE = datetime.timedelta(minutes=1)
HOUR = datetime.timedelta(hours=1)
DAY = datetime.timedelta(days=1)
PEOPLE = [
    ("顾佳怡", "13916200101"),
    ("沈浩然", "13916200102"),
    ("陆雨桐", "13916200103"),
    ("张子豪", "13916200104"),
    ("姚梦琪", "13916200105"),
    ("朱宇航", "13916200106"),
    ("倪欣怡", "13916200107"),
    ("黄俊杰", "13916200108"),
    ("蔡静雯", "13916200109"),
    ("王志强", "13916200110"),
    ("金晓峰", "13916200111"),
    ("唐雅琴", "13916200112"),
    ("施嘉文", "13916200113"),
    ("范思远", "13916200114"),
]


class DemoDataMissing(Exception):
    """The registry's demo data (accounts, carriers, units) is not there yet."""


@dataclass
class Cast:
    town: Jurisdiction
    desk: User
    operator: User
    liaison: User
    mentor: User
    leader: User
    incubator: Carrier
    park: Carrier | None
    market: Unit
    enterprises: list = field(default_factory=list)


def _cast() -> Cast:
    town = Jurisdiction.objects.filter(code=TANGZHEN).first()
    users = {
        u.username: u
        for u in User.objects.filter(username__in=["tz_desk", "tz_operator", "tz_liaison", "tz_mentor", "tz_leader"])
    }
    incubator = Carrier.objects.filter(name="唐创空间孵化器").first()
    market = Unit.objects.filter(jurisdiction=town, name="市场监管所").first() if town else None
    if town is None or len(users) < 5 or incubator is None or market is None:
        raise DemoDataMissing("请先运行 chuangfu seed 生成名录演示数据。 Run `chuangfu seed` first.")
    enterprises = list(Enterprise.objects.filter(jurisdiction__path__startswith=town.path).order_by("id")[:6])
    return Cast(
        town=town,
        desk=users["tz_desk"],
        operator=users["tz_operator"],
        liaison=users["tz_liaison"],
        mentor=users["tz_mentor"],
        leader=users["tz_leader"],
        incubator=incubator,
        park=Carrier.objects.filter(name="唐镇电子商务产业园").first(),
        market=market,
        enterprises=enterprises,
    )


def _at(day: datetime.date, hour: int, minute: int = 0) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour, minute)))


def _create(
    cast: Cast,
    *,
    actor,
    type_code: str,
    title: str,
    starts_at,
    hours: float,
    capacity: int,
    opens_at,
    closes_at,
    published_at,
    description: str,
    place=None,
    address: str = "",
    host=None,
    services=(),
    co_units=(),
    audience=Audience.BOTH,
) -> Activity:
    details = {
        "jurisdiction": cast.town,
        "type": ActivityType.objects.get(code=type_code),
        "title": title,
        "description": description,
        "starts_at": starts_at,
        "ends_at": starts_at + datetime.timedelta(hours=hours),
        "place_carrier": place,
        "address": address,
        "host_carrier": host,
        "capacity": capacity,
        "registration_opens_at": opens_at,
        "registration_closes_at": closes_at,
        "audience": audience,
        "needs_approval": False,
        "offer_hold_hours": 12,
    }
    activity = activity_services.activity_create(
        actor=actor, details=details, co_units=co_units, services=DayService.objects.filter(code__in=services)
    )
    return activity_services.activity_transition(activity=activity, actor=actor, name="publish", now=published_at)


def _register(activity, people, *, at, **extra):
    return [
        registrations.registration_create(activity=activity, name=name, mobile=mobile, now=at, **extra)
        for name, mobile in people
    ]


def _service_day(cast: Cast, now) -> Activity:
    start = timezone.localtime(now).replace(minute=0, second=0, microsecond=0) - HOUR
    activity = _create(
        cast,
        actor=cast.operator,
        type_code="service_day",
        title="唐创空间创业服务日",
        starts_at=start,
        hours=5,
        capacity=30,
        opens_at=start - 10 * DAY,
        closes_at=start - 2 * HOUR,
        published_at=start - 10 * DAY,
        place=cast.incubator,
        host=cast.incubator,
        co_units=[cast.market],
        services=["recruitment", "consultation", "subsidy_application", "financing"],
        description="市场监管所、人社、孵化器运营方现场办公：营业执照咨询、一次性创业补贴申领指导、融资对接、入驻企业招聘。",
    )
    signed_up = _register(activity, PEOPLE[:12], at=start - 5 * DAY)
    activity = activity_services.activity_advance_schedule(activity=activity, now=start + 5 * MINUTE)
    for registration in signed_up[:7]:
        checkins.registration_check_in(registration=registration, actor=cast.operator, now=start + 20 * MINUTE)
    registrations.registration_create(
        activity=activity,
        name="马建新",
        mobile="13916200130",
        actor=cast.operator,
        source="walk_in",
        now=start + 40 * MINUTE,
    )
    if selectors.desk_available():
        _service_day_consultations(cast, activity)
    return activity


def _service_day_consultations(cast: Cast, activity: Activity) -> None:
    from chuangfu.desk.models import Category
    from chuangfu.desk.services import ticket_accept, ticket_answer, ticket_dispatch

    licence, _ = consultations.consultation_record(
        activity=activity,
        actor=cast.desk,
        requester_name="顾佳怡",
        requester_mobile="13916200101",
        category_id=Category.objects.get(jurisdiction=cast.town, name="注册开办").pk,
        enterprise_name="佳怡烘焙工作室",
        description="想把个体工商户变更为有限公司，需要准备哪些材料，原来的字号能否保留？",
        idempotency_key="demo-service-day-1",
    )
    consultations.consultation_record(
        activity=activity,
        actor=cast.operator,
        requester_name="张子豪",
        requester_mobile="13916200104",
        description="入驻孵化器满一年，能否申请场地房租补贴？需要哪些证明？",
        idempotency_key="demo-service-day-2",
    )
    licence = ticket_dispatch(
        ticket=licence, actor=cast.desk, unit=cast.market, note="服务日现场咨询，请市场监管所答复"
    )
    licence = ticket_accept(ticket=licence, actor=cast.liaison)
    ticket_answer(
        ticket=licence,
        actor=cast.liaison,
        answer="可办理个体工商户转型为企业（“个转企”），原字号可保留；请携带营业执照正副本、身份证及章程到受理中心窗口办理。",
    )


def _training(cast: Cast, now) -> Activity:
    today = timezone.localdate(now)
    start = _at(today + 5 * DAY, 14)
    activity = _create(
        cast,
        actor=cast.desk,
        type_code="training",
        title="电商直播创业培训",
        starts_at=start,
        hours=3,
        capacity=20,
        opens_at=_at(today - 3 * DAY, 9),
        closes_at=start - DAY,
        published_at=_at(today - 3 * DAY, 9),
        place=cast.park,
        host=cast.park,
        address="" if cast.park else "唐镇电子商务产业园",
        services=["skills_training"],
        description="直播选品、短视频运营和店铺合规三节课，结业可申请创业培训补贴。",
    )
    question = activity_services.question_add(
        activity=activity,
        actor=cast.desk,
        text="是否已开办企业或个体户",
        kind="choice",
        choices="是\n否",
        required=True,
    )
    for number, (name, mobile) in enumerate(PEOPLE[4:12]):
        registrations.registration_create(
            activity=activity,
            name=name,
            mobile=mobile,
            now=now - 2 * DAY,
            answers={str(question.pk): "是" if number % 3 == 0 else "否"},
        )
    return activity


def _job_fair(cast: Cast, now) -> Activity:
    today = timezone.localdate(now)
    start = _at(today + 10 * DAY, 9, 30)
    activity = _create(
        cast,
        actor=cast.desk,
        type_code="job_fair",
        title="唐镇创业企业招聘会",
        starts_at=start,
        hours=4,
        capacity=200,
        opens_at=_at(today - DAY, 9),
        closes_at=start,
        published_at=_at(today - DAY, 9),
        address="唐镇社区事务受理服务中心一楼大厅",
        services=["recruitment", "consultation"],
        co_units=[cast.market],
        description="镇内创业企业现场招聘，提供就业登记和社保咨询。",
    )
    openings = [
        ("直播运营", 3, 6000, 9000, "有电商或短视频运营经验优先"),
        ("软件测试工程师", 2, 9000, 14000, "计算机相关专业"),
        ("门店店长", 1, 7000, 10000, "两年以上零售管理经验"),
        ("会计", 1, 6500, 8500, "持初级会计证"),
    ]
    for enterprise, (position, headcount, low, high, requirements) in zip(cast.enterprises, openings):
        posting = jobs.job_posting_create(
            actor=cast.desk,
            enterprise=enterprise,
            position=position,
            headcount=headcount,
            salary_min=low,
            salary_max=high,
            requirements=requirements,
            activity=activity,
        )
        if position == "直播运营":
            for name, mobile in PEOPLE[12:14]:
                jobs.job_interest_register(posting=posting, name=name, mobile=mobile)
    return activity


def _briefing(cast: Cast, now) -> Activity:
    start = _at(timezone.localdate(now) - 7 * DAY, 14)
    activity = _create(
        cast,
        actor=cast.desk,
        type_code="policy_briefing",
        title="一次性创业补贴政策宣讲会",
        starts_at=start,
        hours=2,
        capacity=40,
        opens_at=start - 14 * DAY,
        closes_at=start - HOUR,
        published_at=start - 14 * DAY,
        address="唐镇社区事务受理服务中心三楼会议室",
        services=["policy_briefing", "subsidy_application"],
        description="讲解首次创业一次性补贴、创业场地房租补贴的条件和申领材料，现场答疑。",
    )
    signed_up = _register(activity, PEOPLE[:10], at=start - 7 * DAY)
    activity = activity_services.activity_advance_schedule(activity=activity, now=start + 5 * MINUTE)
    for registration in signed_up[:8]:
        checkins.registration_check_in(registration=registration, actor=cast.desk, now=start + 10 * MINUTE)
    activity = activity_services.activity_advance_schedule(activity=activity, now=activity.ends_at + MINUTE)
    grades = [
        ("very_satisfied", "讲得很清楚，材料清单很实用"),
        ("very_satisfied", ""),
        ("satisfied", "希望多留答疑时间"),
        ("satisfied", ""),
        ("basically_satisfied", "会议室有点挤"),
        ("dissatisfied", "没讲到个体户的情况"),
    ]
    attended = Registration.objects.filter(pk__in=[r.pk for r in signed_up], checked_in_at__isnull=False).order_by("id")
    for registration, (grade, comment) in zip(attended.select_related("activity", "user"), grades):
        feedback.feedback_submit(registration=registration, grade=grade, comment=comment, now=activity.ends_at + DAY)
    if selectors.desk_available():
        _briefing_consultation(cast, activity)
    return activity


def _briefing_consultation(cast: Cast, activity: Activity) -> None:
    """Raised at the briefing, recorded afterwards, answered by the desk and closed."""
    from chuangfu.desk.models import Category
    from chuangfu.desk.services import ticket_answer_directly, ticket_close

    ticket, _ = consultations.consultation_record(
        activity=activity,
        actor=cast.desk,
        requester_name="黄俊杰",
        requester_mobile="13916200108",
        category_id=Category.objects.get(jurisdiction=cast.town, name="补贴申领").pk,
        description="毕业两年内在外省读的大学，落户上海后首次创业，能否申请一次性创业补贴？",
        idempotency_key="demo-briefing-1",
    )
    ticket = ticket_answer_directly(
        ticket=ticket,
        actor=cast.desk,
        answer=(
            "可以：本市户籍高校毕业生（毕业两年内）首次创业、正常经营满一年并带动就业的，可申请一次性创业补贴，"
            "不限院校所在地。请在创业组织登记之日起 18 个月内到受理中心申请。"
        ),
    )
    ticket_close(ticket=ticket, actor=cast.desk)


def _competition(cast: Cast, now) -> Activity:
    today = timezone.localdate(now)
    start = _at(today + 3 * DAY, 13, 30)
    activity = _create(
        cast,
        actor=cast.desk,
        type_code="competition",
        title="唐镇创新创业大赛（初赛）",
        starts_at=start,
        hours=4,
        capacity=60,
        opens_at=_at(today - 5 * DAY, 9),
        closes_at=start - DAY,
        published_at=_at(today - 5 * DAY, 9),
        place=cast.incubator,
        host=cast.incubator,
        audience=Audience.ENTERPRISES,
        description="路演初赛：每个项目 8 分钟路演、5 分钟答辩，评委按创新性、社会价值、项目团队、市场及发展前景打分，优胜项目推荐参加区赛。",
    )
    competitions.criteria_use_defaults(activity=activity, actor=cast.desk)
    projects = [
        ("社区团购小程序", NominationChannel.INCUBATION_BASE),
        ("智能垃圾分类箱", NominationChannel.GUIDANCE_STATION),
        ("非遗手作体验课", NominationChannel.COMMUNITY),
        ("跨境电商选品工具", NominationChannel.SELF),
    ]
    entries = []
    for number, (enterprise, (title, channel)) in enumerate(zip(cast.enterprises, projects)):
        contact, mobile = PEOPLE[number]
        entries.append(
            competitions.entry_submit(
                activity=activity,
                actor=cast.desk,
                team_name=enterprise.name,
                enterprise=enterprise,
                project_title=title,
                summary=f"{title}：项目已完成原型，正在寻找首批客户和天使投资。",
                channel=channel,
                contact_name=contact,
                contact_mobile=mobile,
                by_staff=True,
                now=now,
            )
        )
    for entry in entries:
        competitions.judges_assign(entry=entry, judges=[cast.mentor, cast.leader], actor=cast.desk)
    criteria = list(activity.criteria.all())
    for entry, base in zip(entries[:2], (20, 17)):
        competitions.score_submit(
            entry=entry,
            judge=cast.mentor,
            now=now,
            values={str(c.pk): base - position for position, c in enumerate(criteria)},
        )
    return activity


DEMO_ACTIVITIES = [
    ("唐创空间创业服务日", _service_day),
    ("电商直播创业培训", _training),
    ("唐镇创业企业招聘会", _job_fair),
    ("一次性创业补贴政策宣讲会", _briefing),
    ("唐镇创新创业大赛（初赛）", _competition),
]


def seed_activities(*, now: datetime.datetime | None = None) -> list[str]:
    """Create the demo activities that do not exist yet in 唐镇; returns the titles created."""
    now = now or timezone.now()
    cast = _cast()
    created = []
    for title, build in DEMO_ACTIVITIES:
        if Activity.objects.filter(jurisdiction=cast.town, title=title).exists():
            continue
        with transaction.atomic():
            build(cast, now)
        created.append(title)
    return created
