"""The fixed demo directory, as data: the demo district and towns, invented villages, the towns'
units, carriers, mentors and one account per role. ``fixed.seed_fixed`` creates it."""

from dataclasses import dataclass

from chuangfu.core.models import Role, Unit

from ..models import CarrierKind

DISTRICT = "310115"


TANGZHEN = "310115114"


ZHANGJIANG = "310115125"


# Invented villages and residential committees (codes 9xx mark them as demo; is_demo is set).
DEMO_VILLAGES = {
    TANGZHEN: [
        ("901", "唐丰苑居委会"),
        ("902", "创新苑居委会"),
        ("903", "齐爱佳苑居委会"),
        ("904", "晨阳居委会"),
        ("911", "唐丰村"),
        ("912", "齐爱村"),
        ("913", "王港新村"),
        ("914", "虹丰村"),
    ],
    ZHANGJIANG: [("901", "祖冲之苑居委会"), ("902", "碧波苑居委会"), ("911", "科苑村")],
}


# The leadership group's units (work plan 二(一)) for 唐镇; a few for 张江镇 and the district.
UNITS = {
    TANGZHEN: [
        ("党政办", Unit.Kind.GOVERNMENT),
        ("市场监管所", Unit.Kind.GOVERNMENT),
        ("总工会", Unit.Kind.MASS_ORGANISATION),
        ("团委", Unit.Kind.MASS_ORGANISATION),
        ("妇联", Unit.Kind.MASS_ORGANISATION),
        ("社区事务受理服务中心", Unit.Kind.SERVICE_CENTRE),
        ("社区建设办公室", Unit.Kind.GOVERNMENT),
        ("经济发展办公室", Unit.Kind.GOVERNMENT),
        ("投资发展集团", Unit.Kind.ENTERPRISE),
        ("残联", Unit.Kind.MASS_ORGANISATION),
        ("退役军人办公室", Unit.Kind.GOVERNMENT),
        ("招商中心", Unit.Kind.GOVERNMENT),
        ("唐镇电子商务产业园", Unit.Kind.CARRIER),
        ("唐创空间孵化器", Unit.Kind.CARRIER),
        ("星火众创孵化器", Unit.Kind.CARRIER),
        ("唐启创业服务社（第三方机构）", Unit.Kind.THIRD_PARTY),
    ],
    ZHANGJIANG: [
        ("社区事务受理服务中心", Unit.Kind.SERVICE_CENTRE),
        ("市场监管所", Unit.Kind.GOVERNMENT),
        ("经济发展办公室", Unit.Kind.GOVERNMENT),
        ("张江星海孵化器", Unit.Kind.CARRIER),
    ],
    DISTRICT: [("浦东新区就业促进中心", Unit.Kind.GOVERNMENT)],
}


STATION_SERVICES = "创业政策咨询\n就业、失业登记\n创业意向登记\n视频连线社区事务受理服务中心"


INCUBATOR_SERVICES = "工位及办公室出租\n工商注册代办\n创业辅导\n融资对接\n政策申报协助"


PARK_SERVICES = "办公及厂房空间\n招商服务\n人才招聘对接\n政策申报协助"


BASE_SERVICES = "创业孵化\n创业培训\n项目路演\n政策申报协助"


WORKSTATION_SERVICES = "创业导师门诊\n项目诊断\n商业计划书辅导\n结对帮扶"


STATION_CONTACTS = [
    "施美玲",
    "倪春梅",
    "奚建平",
    "缪晓红",
    "浦立新",
    "钱丽娟",
    "龚文静",
    "严卫东",
    "戴秀兰",
    "姚振华",
    "陶雅婷",
]


@dataclass(frozen=True)
class CarrierSpec:
    town: str
    kind: str
    name: str
    operator_unit: str
    address: str
    floor_area: str
    total: int
    free: int
    services: str
    level: str = ""
    contact: str = ""


CARRIERS = [
    CarrierSpec(
        TANGZHEN,
        CarrierKind.PARK,
        "唐镇电子商务产业园",
        "唐镇电子商务产业园",
        "唐镇创新中路288号",
        "18500",
        420,
        65,
        PARK_SERVICES,
        contact="陆佳怡",
    ),
    CarrierSpec(
        TANGZHEN,
        CarrierKind.PARK,
        "唐镇智造创新园",
        "投资发展集团",
        "唐镇齐爱路1018号",
        "32000",
        260,
        40,
        PARK_SERVICES,
        contact="顾建平",
    ),
    CarrierSpec(
        TANGZHEN,
        CarrierKind.BASE,
        "唐镇青年创业孵化基地",
        "投资发展集团",
        "唐镇唐陆路555号",
        "6200",
        180,
        36,
        BASE_SERVICES,
        level="B",
        contact="沈雅婷",
    ),
    CarrierSpec(
        TANGZHEN,
        CarrierKind.INCUBATOR,
        "唐创空间孵化器",
        "唐创空间孵化器",
        "唐镇创新西路778号3幢",
        "3800",
        120,
        22,
        INCUBATOR_SERVICES,
        level="A",
        contact="许文博",
    ),
    CarrierSpec(
        TANGZHEN,
        CarrierKind.INCUBATOR,
        "星火众创孵化器",
        "星火众创孵化器",
        "唐镇唐安路66号",
        "2100",
        80,
        17,
        INCUBATOR_SERVICES,
        level="C",
        contact="钱晓雯",
    ),
    CarrierSpec(
        TANGZHEN,
        CarrierKind.MENTOR_WORKSTATION,
        "唐镇创业导师指导工作站",
        "社区事务受理服务中心",
        "唐镇唐镇路300号",
        "160",
        6,
        3,
        WORKSTATION_SERVICES,
        contact="朱晓燕",
    ),
    CarrierSpec(
        ZHANGJIANG,
        CarrierKind.INCUBATOR,
        "张江星海孵化器",
        "张江星海孵化器",
        "张江镇碧波路690号",
        "5600",
        150,
        28,
        INCUBATOR_SERVICES,
        level="B",
        contact="林思远",
    ),
    CarrierSpec(
        ZHANGJIANG,
        CarrierKind.MENTOR_WORKSTATION,
        "张江镇创业导师指导工作站",
        "社区事务受理服务中心",
        "张江镇张衡路1000号",
        "120",
        4,
        2,
        WORKSTATION_SERVICES,
        contact="邵婉婷",
    ),
    CarrierSpec(
        TANGZHEN,
        CarrierKind.MAKERSPACE,
        "唐镇青年众创空间",
        "星火众创孵化器",
        "唐镇唐安路588号",
        "900",
        60,
        14,
        INCUBATOR_SERVICES,
        contact="陆嘉伟",
    ),
    CarrierSpec(
        TANGZHEN,
        CarrierKind.COMMERCIAL_DISTRICT,
        "唐镇商业广场商圈",
        "招商中心",
        "唐镇唐陆路2800号",
        "0",
        0,
        0,
        "商户招商\n店铺空置信息\n营业执照代办\n政策申报协助",
        contact="黄晓丽",
    ),
]


@dataclass(frozen=True)
class MentorSpec:
    town: str
    name: str
    organisation: str
    title: str
    expertise: str
    industries: tuple
    modes: tuple
    availability: str
    is_resident: bool  # a resident registered as a person, or an external expert


MENTORS = [
    MentorSpec(
        TANGZHEN,
        "陆文杰",
        "上海市创业指导专家志愿团",
        "高级经济师",
        "融资\n股权设计\n商业计划书",
        ("I", "M", "L"),
        ("clinic", "consultation", "pairing"),
        "每周二下午",
        True,
    ),
    MentorSpec(
        TANGZHEN,
        "顾慧敏",
        "浦东新区就业促进中心",
        "创业指导师",
        "创业政策\n社会保险\n用工管理",
        ("F", "H", "O"),
        ("clinic", "online"),
        "每周四全天",
        True,
    ),
    MentorSpec(
        TANGZHEN,
        "沈志明",
        "上海某会计师事务所（演示）",
        "注册会计师",
        "财税\n代理记账\n税收优惠",
        ("F", "L", "I"),
        ("clinic", "on_site"),
        "每月第一、三周周三",
        False,
    ),
    MentorSpec(
        TANGZHEN,
        "王若曦",
        "上海某律师事务所（演示）",
        "律师",
        "法律合规\n合同审查\n知识产权",
        ("I", "M", "R"),
        ("consultation", "online"),
        "预约制",
        False,
    ),
    MentorSpec(
        TANGZHEN,
        "张海峰",
        "唐镇电子商务产业园",
        "运营总监",
        "电子商务\n直播带货\n供应链",
        ("F", "G"),
        ("on_site", "pairing"),
        "每周一、周五",
        True,
    ),
    MentorSpec(
        TANGZHEN,
        "李晓雯",
        "上海某大学创业学院（演示）",
        "副教授",
        "数字化转型\n市场营销\n品牌建设",
        ("I", "L", "C"),
        ("clinic", "consultation", "online"),
        "每周三上午",
        False,
    ),
    MentorSpec(
        TANGZHEN,
        "周建华",
        "唐创空间孵化器",
        "创业导师",
        "餐饮创业\n门店选址\n连锁经营",
        ("H", "O"),
        ("on_site", "pairing"),
        "工作日晚间",
        True,
    ),
    MentorSpec(
        TANGZHEN,
        "徐佳琪",
        "上海某人力资源公司（演示）",
        "高级人力资源管理师",
        "人力资源\n招聘\n薪酬设计",
        ("L", "O", "P"),
        ("clinic", "online"),
        "每周五下午",
        False,
    ),
    MentorSpec(
        ZHANGJIANG,
        "林振华",
        "张江星海孵化器",
        "投资经理",
        "融资\n科技成果转化\n知识产权",
        ("M", "I", "C"),
        ("clinic", "pairing"),
        "每周二全天",
        True,
    ),
    MentorSpec(
        ZHANGJIANG,
        "邵梦瑶",
        "上海市创业指导专家志愿团",
        "创业指导师",
        "商业计划书\n创业政策",
        ("I", "R"),
        ("consultation", "online"),
        "预约制",
        False,
    ),
]


@dataclass(frozen=True)
class AccountSpec:
    username: str
    role: str
    display_name: str
    jurisdiction: str | None
    unit: str | None
    superuser: bool = False


ACCOUNTS = [
    AccountSpec("tz_desk", Role.DESK_STAFF, "周晓燕", TANGZHEN, "社区事务受理服务中心"),
    AccountSpec("tz_liaison", Role.UNIT_LIAISON, "吴海涛", TANGZHEN, "市场监管所"),
    AccountSpec("tz_reviewer", Role.REVIEWER, "徐丽华", TANGZHEN, "社区事务受理服务中心"),
    AccountSpec("tz_operator", Role.CARRIER_OPERATOR, "许文博", TANGZHEN, "唐创空间孵化器"),
    AccountSpec("tz_mentor", Role.MENTOR, "陆文杰", TANGZHEN, None),
    AccountSpec("tz_leader", Role.LEADER, "陈建国", TANGZHEN, "党政办"),
    AccountSpec("tz_admin", Role.ADMIN, "钱立新", TANGZHEN, "党政办"),
    AccountSpec("zj_desk", Role.DESK_STAFF, "林雅婷", ZHANGJIANG, "社区事务受理服务中心"),
    AccountSpec("pd_leader", Role.LEADER, "孙振华", DISTRICT, "浦东新区就业促进中心"),
    AccountSpec("platform_admin", Role.ADMIN, "平台管理员", None, None, superuser=True),
    AccountSpec("tz_entrepreneur", Role.ENTREPRENEUR, "唐一鸣", None, None),
    # 初审 and 复审 are done by different people (segregation of duties): the town has two reviewers.
    AccountSpec("tz_reviewer2", Role.REVIEWER, "张慧敏", TANGZHEN, "社区事务受理服务中心"),
]
