"""How the registry reads other systems' columns: header synonyms and the words their cells use.

The column lists name every header text we have met for a field (市场监管、人社、民政 exports);
the tables map the free text those systems write (“有限责任公司（自然人投资或控股）”,
“吊销，未注销”, “大学本科”) to our choices. Tables are ordered most specific first, because
a ``ChoiceMap`` takes the first entry with a keyword found in the cell.
"""

import functools
import re

from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from chuangfu.core.cells import CellError, ChoiceMap, nfkc
from chuangfu.core.imports import Column

from ..industry import SECTIONS, section_of_division
from ..models import Education, EmploymentStatus, EntityType, HukouKind, PriorityGroup, RegistrationStatus

_PLACE_COLUMNS = [
    Column(
        "town",
        gettext_lazy("所属街镇"),
        ("街镇", "所属镇", "所在街镇", "镇（街道）", "街道（镇）", "所属街道", "街道", "镇", "乡镇（街道）"),
    ),
    Column(
        "village",
        gettext_lazy("所属村居"),
        ("村居", "村居委", "居村委", "村（居）委会", "村（居）", "所属居委", "居委会", "所属村", "村委会", "社区"),
    ),
]

ENTERPRISE_COLUMNS = [
    Column(
        "uscc",
        gettext_lazy("统一社会信用代码"),
        ("信用代码", "社会信用代码", "统一代码", "统一社会信用代码/注册号", "注册号/统一社会信用代码", "USCC"),
        required=True,
    ),
    Column(
        "name",
        gettext_lazy("企业名称"),
        ("单位名称", "名称", "企业（单位）名称", "市场主体名称", "主体名称", "公司名称", "机构名称"),
        required=True,
    ),
    Column(
        "entity_type",
        gettext_lazy("类型"),
        ("企业类型", "主体类型", "企业类别", "公司类型", "市场主体类型", "组织形式"),
    ),
    Column(
        "legal_representative_name",
        gettext_lazy("法定代表人"),
        ("法人", "负责人", "法定代表人（负责人）", "法人代表", "经营者", "投资人", "执行事务合伙人"),
    ),
    Column("founded_on", gettext_lazy("成立日期"), ("注册日期", "设立日期", "成立时间", "注册时间", "开业日期")),
    Column("registration_status", gettext_lazy("登记状态"), ("经营状态", "企业状态", "状态", "登记状况")),
    Column(
        "address",
        gettext_lazy("住所"),
        ("注册地址", "地址", "企业地址", "经营场所", "住所（经营场所）", "注册地", "经营地址"),
    ),
    Column(
        "industry",
        gettext_lazy("行业"),
        ("所属行业", "国民经济行业", "行业门类", "行业类别", "行业代码", "行业分类", "国标行业"),
    ),
    Column("registered_capital", gettext_lazy("注册资本"), ("注册资金", "注册资本（金）", "出资额", "资金数额")),
    Column(
        "insured_employees",
        gettext_lazy("参保人数"),
        ("从业人数", "职工人数", "员工人数", "社保人数", "参保职工人数", "缴纳社保人数"),
    ),
    Column("business_scope", gettext_lazy("经营范围"), ("经营范围及方式", "业务范围")),
    Column("tags", gettext_lazy("标签"), ("企业标签", "特色标签", "企业特征")),
    *_PLACE_COLUMNS,
]

PERSON_COLUMNS = [
    Column("name", gettext_lazy("姓名"), ("人员姓名", "名字"), required=True),
    Column(
        "id_number",
        gettext_lazy("身份证号"),
        ("身份证号码", "公民身份号码", "证件号码", "身份证件号码", "证件号", "身份证"),
        required=True,
    ),
    Column("gender", gettext_lazy("性别")),
    Column("mobile", gettext_lazy("手机"), ("手机号", "手机号码", "联系电话", "联系方式", "移动电话", "电话")),
    Column("hukou_kind", gettext_lazy("户籍性质"), ("户籍类型", "户口性质", "户籍类别", "户口类型", "户籍")),
    Column(
        "address",
        gettext_lazy("常住地址"),
        ("居住地址", "常住地", "居住地", "现住址", "现居住地址", "家庭住址", "联系地址"),
    ),
    Column("education", gettext_lazy("学历"), ("文化程度", "最高学历")),
    Column("graduation_date", gettext_lazy("毕业时间"), ("毕业日期", "毕业年月")),
    Column("employment_status", gettext_lazy("就业状态"), ("就业情况", "就业状况", "就失业状态")),
    Column("unemployment_registered_on", gettext_lazy("失业登记日期"), ("登记失业日期", "失业登记时间")),
    Column(
        "entrepreneurial_intent", gettext_lazy("创业意向"), ("有创业意向", "目前意向", "求职意向", "是否有创业意向")
    ),
    Column("groups", gettext_lazy("重点人群"), ("人员类别", "人员类型", "人群类别", "重点人群类别")),
    # a priority group's own facts (``GROUP_DETAILS``): each, when given, also puts the person in its group
    Column("hardship_type", gettext_lazy("就业困难人员类别"), ("困难人员类别", "就业困难类型", "困难类型")),
    Column("disability_grade", gettext_lazy("残疾等级"), ("残疾级别",)),
    Column("disability_kind", gettext_lazy("残疾类别"), ("残疾类型",)),
    Column("discharged_on", gettext_lazy("退役日期"), ("退役时间", "退伍日期", "退伍时间")),
    Column("unemployed_since", gettext_lazy("连续失业起始日期"), ("失业起始日期", "失业开始日期")),
    *_PLACE_COLUMNS,
]

ENTITY_TYPES = ChoiceMap(
    [
        (("个体",), EntityType.SOLE_PROPRIETOR),
        (("合作社",), EntityType.COOPERATIVE),
        (("民办非企业", "民非", "社会服务机构"), EntityType.PRIVATE_NON_ENTERPRISE),
        (("合伙",), EntityType.PARTNERSHIP),
        (("个人独资", "独资企业"), EntityType.SOLE_INVESTMENT),
        (("有限责任", "有限公司", "股份", "公司"), EntityType.COMPANY),
    ]
)

# Position 1–2 of a USCC: registering authority and kind of entity (GB 32100-2015 table 1).
USCC_ENTITY_TYPES = {
    "92": EntityType.SOLE_PROPRIETOR,
    "93": EntityType.COOPERATIVE,
    "52": EntityType.PRIVATE_NON_ENTERPRISE,
}

REGISTRATION_STATUSES = ChoiceMap(
    [
        (("吊销",), RegistrationStatus.REVOKED),  # first: “吊销，未注销” is revoked, not cancelled
        (("注销",), RegistrationStatus.CANCELLED),
        (("迁出", "迁往", "迁移"), RegistrationStatus.MOVED_OUT),
        (("存续", "在业", "开业", "在营", "正常", "确立", "登记成立", "营业"), RegistrationStatus.ACTIVE),
    ]
)

EDUCATIONS = ChoiceMap(
    [
        (("博士",), Education.DOCTOR),
        (("硕士", "研究生"), Education.MASTER),
        (("大专", "专科", "高职", "高等职业"), Education.COLLEGE),  # before 大学: 大学专科 is 大专
        (("本科", "大学", "学士"), Education.BACHELOR),
        (("高中", "中专", "中技", "技校", "职高", "中职", "中等职业"), Education.SENIOR),
        (("初中",), Education.JUNIOR),
        (("小学", "文盲", "半文盲", "未上学"), Education.PRIMARY),
    ]
)

EMPLOYMENT_STATUSES = ChoiceMap(
    [
        (("登记失业", "失业登记"), EmploymentStatus.UNEMPLOYED_REGISTERED),
        (("创业", "个体经营", "自雇"), EmploymentStatus.SELF_EMPLOYED),
        (("灵活就业",), EmploymentStatus.FLEXIBLE),
        (("在校", "学生", "在读"), EmploymentStatus.STUDENT),
        (("退休",), EmploymentStatus.RETIRED),
        (("未就业", "失业", "待业", "无业"), EmploymentStatus.UNEMPLOYED),  # before 就业
        (("就业", "在职", "受雇", "单位就业"), EmploymentStatus.EMPLOYED),
    ]
)

PRIORITY_GROUPS = ChoiceMap(
    [
        (("长期失业青年",), PriorityGroup.LONG_TERM_UNEMPLOYED_YOUTH),
        (("就业困难",), PriorityGroup.HARD_TO_EMPLOY),
        (("毕业生", "应届", "高校"), PriorityGroup.GRADUATE),
        (("残疾",), PriorityGroup.DISABLED),
        (("退役", "退伍", "转业", "军人"), PriorityGroup.VETERAN),
        (("登记失业", "失业人员"), PriorityGroup.REGISTERED_UNEMPLOYED),
        (("农村劳动力", "返乡", "农民工", "农村"), PriorityGroup.RURAL_LABOUR),
    ]
)

_LIST_SEPARATORS = re.compile(r"[,，、;；/|\n]+")


def split_list(value) -> list[str]:
    return [part.strip() for part in _LIST_SEPARATORS.split(nfkc(value)) if part.strip()]


def hukou_kind(value) -> str | None:
    """The 户籍 kind; ``None`` when the text does not say enough (e.g. 外省市 without 居住证)."""
    raw = nfkc(value)
    if not raw:
        return None
    if any(k in raw for k in ("港", "澳", "台湾", "台胞")):
        return HukouKind.HMT
    if any(k in raw for k in ("外籍", "外国", "国外")):
        return HukouKind.FOREIGN
    if "人才" in raw:
        return HukouKind.TALENT_PERMIT
    if any(k in raw for k in ("外省", "外地", "非本市", "非沪", "外来", "外埠", "来沪")):
        if any(k in raw for k in ("无居住证", "未办", "无证", "未持")):
            return HukouKind.NONLOCAL
        if "居住证" in raw:
            return HukouKind.PERMIT
        return None
    if any(k in raw for k in ("本市", "上海", "沪", "本地", "本区")):
        return HukouKind.LOCAL
    return None


def entrepreneurial_intent(value) -> bool | None:
    """从 创业意向 / 目前意向 / 求职意向: “有创业意向”, “创业”, “是” are yes; anything else no."""
    raw = nfkc(value)
    if not raw:
        return None
    if raw in ("是", "有", "Y", "y", "√", "1"):
        return True
    if raw.startswith(("无", "没有", "否", "不", "暂无")):
        return False
    return "创业" in raw


def priority_groups(value) -> tuple[list[str], list[str]]:
    """The priority-group codes named in a cell, and the names that matched none."""
    found, unknown = [], []
    for part in split_list(value):
        code = PRIORITY_GROUPS(part)
        if code is None:
            unknown.append(part)
        elif code not in found:
            found.append(code)
    return found, unknown


def _section_labels() -> dict[str, str]:
    with translation.override("zh-hans"):
        return {nfkc(str(label)): code for code, (label, _divisions) in SECTIONS.items()}


_SECTION_CODE = re.compile(r"^([A-T])(?![A-Za-z])\s*(\d{2,4})?")
_DIVISION_CODE = re.compile(r"^(\d{2})\d{0,2}(?!\d)")


def industry_class(value: str) -> str:
    """The 4-digit class in "5292", "F5292" or "5292 互联网零售" (after ``industry`` accepted it), or ""."""
    match = re.match(r"^[A-T]?\s*(\d{4})(?!\d)", nfkc(value).upper())
    return match.group(1) if match else ""


@functools.lru_cache(maxsize=4096)
def industry(value: str) -> tuple[str, str]:
    """(section, division) from "I", "I65", "I 信息传输、软件和信息技术服务业", "6513" or the
    section's name; division is "" when only the section is known. Raises ``CellError``."""
    raw = nfkc(value)
    match = _SECTION_CODE.match(raw.upper())
    if match:
        section, digits = match.group(1), match.group(2)
        if digits:
            division = digits[:2]
            if section_of_division(division) != section:
                raise CellError(
                    _("行业代码“%(v)s”中的大类 %(d)s 不属于门类 %(s)s。") % {"v": raw, "d": division, "s": section}
                )
            return section, division
        return section, ""
    match = _DIVISION_CODE.match(raw)
    if match:
        division = match.group(1)
        section = section_of_division(division)
        if section is None:
            raise CellError(_("行业代码“%(v)s”不在 GB/T 4754-2017 中。") % {"v": raw})
        return section, division
    labels = _section_labels()
    name = re.sub(r"[\sA-Za-z0-9]+", "", raw)
    if name in labels:
        return labels[name], ""
    for label, code in labels.items():
        if label in name:
            return code, ""
    raise CellError(
        _("行业“%(v)s”无法对应到国民经济行业分类（GB/T 4754-2017）的门类，请写门类字母或代码，如 I 或 I65。")
        % {"v": raw}
    )
