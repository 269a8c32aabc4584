"""The catalogue: every fact a rule may test, by name, with its labels, question and help."""

from django.utils.translation import gettext_lazy as _

from chuangfu.registry.industry import DIVISION_CHOICES, SECTION_CHOICES
from chuangfu.registry.models import (
    Education,
    EmploymentStatus,
    EnterprisePerson,
    EntityType,
    HukouKind,
    PriorityGroup,
    RegistrationStatus,
    Tag,
)

from ..frame import FACTS_BY_NAME
from ..links import FOUNDER_RELATIONS
from ..operators import BOOL, CHOICE, DATE, INDUSTRY, KEYWORDS, NUMBER, PLACE, RELATION, SET
from .base import ENTERPRISE, PERSON, ColumnFact, Fact
from .derived import BoolFact, ElapsedFact, HukouPlaceFact, IndustryFact, PlaceFact, RetirementFact, SetFact
from .groups import GROUP_FACTS
from .premises import PREMISES_FACTS
from .related import (
    MAX_INSURED_MONTHS,
    CarrierKindFact,
    CreditFact,
    EmployeesInsuredFact,
    FoundedFact,
    GrantedFact,
    InsuredFact,
)
from .relations import LegalRepFact, LinkedFact, RepresentsFact, first_founding, first_founding_columns
from .text import KeywordFact


def _tag_choices():
    return Tag.objects.order_by("name").values_list("code", "name")


def _column_bool(column: str, true_text, false_text, **kw) -> dict:
    return {
        "true_text": true_text,
        "false_text": false_text,
        "python": lambda r: getattr(r, column),
        "columns": lambda f: (None, f.column(column)),
        **kw,
    }


STARTUP_ENTITY_TYPES = (EntityType.SOLE_PROPRIETOR, EntityType.COOPERATIVE, EntityType.PRIVATE_NON_ENTERPRISE)


def _startup_columns(frame):
    return None, frame.column("entity_type").among(STARTUP_ENTITY_TYPES) | frame.column("is_small_micro")


PERMIT_KINDS = (HukouKind.PERMIT, HukouKind.TALENT_PERMIT)


def _permit_columns(frame):
    kind = frame.column("hukou_kind")
    return ~kind.equals(""), kind.among(PERMIT_KINDS)


def _unemployed_columns(frame):
    status = frame.column("employment_status")
    return ~status.equals(""), status.equals(EmploymentStatus.UNEMPLOYED_REGISTERED)


# --- the catalogue ------------------------------------------------------------------------------


def _industry_sections():
    return SECTION_CHOICES


def _industry_divisions():
    return DIVISION_CHOICES


CATALOGUE: tuple[Fact, ...] = (
    # people
    ElapsedFact(
        "age",
        _("年龄"),
        PERSON,
        NUMBER,
        unit=_("周岁"),
        column="birth_date",
        in_years=True,
        maximum=150,
        question=_("您的年龄（周岁）"),
    ),
    ColumnFact(
        "hukou_kind",
        _("户籍性质"),
        PERSON,
        CHOICE,
        column="hukou_kind",
        choice_source=lambda: HukouKind.choices,
        question=_("您的户籍"),
    ),
    HukouPlaceFact(
        "hukou_place",
        _("户籍地"),
        PERSON,
        PLACE,
        question=_("您的户籍所在地"),
        help=_("本市户籍人员的户籍所在区、镇或村居；非本市户籍不在任何区划内"),
    ),
    BoolFact(
        "holds_residence_permit",
        _("持有上海市居住证"),
        PERSON,
        BOOL,
        question=_("是否持有上海市居住证（含海外人才居住证）"),
        true_text=_("持有上海市居住证"),
        false_text=_("未持有上海市居住证"),
        help=_("按户籍性质：外省市户籍持居住证或持海外人才居住证"),
        python=lambda r: None if not r.hukou_kind else r.hukou_kind in PERMIT_KINDS,
        columns=_permit_columns,
    ),
    ElapsedFact(
        "residence_permit_months",
        _("居住证持证时长"),
        PERSON,
        NUMBER,
        unit=_("个月"),
        column="residence_permit_since",
        maximum=1200,
        question=_("持有上海市居住证至今（月）"),
    ),
    PlaceFact("residence", _("常住地"), PERSON, PLACE, question=_("您的常住地")),
    ColumnFact(
        "gender",
        _("性别"),
        PERSON,
        CHOICE,
        column="gender",
        choice_source=lambda: [("M", _("男")), ("F", _("女"))],
        question=_("您的性别"),
    ),
    RetirementFact(
        "below_retirement_age",
        _("未达法定退休年龄"),
        PERSON,
        BOOL,
        question=_("是否未达到法定退休年龄"),
        true_text=_("未达法定退休年龄"),
        false_text=_("已达法定退休年龄"),
        help=_("按性别、岗位类别和出生年月，含2025年起渐进式延迟退休"),
    ),
    ColumnFact(
        "education",
        _("学历"),
        PERSON,
        CHOICE,
        column="education",
        ordered=True,
        choice_source=lambda: Education.choices,
        question=_("您的最高学历"),
    ),
    ElapsedFact(
        "months_since_graduation",
        _("毕业时长"),
        PERSON,
        NUMBER,
        unit=_("个月"),
        column="graduation_date",
        maximum=1200,
        question=_("毕业至今（月）"),
        help=_("按毕业证书日期计算的整月数"),
    ),
    ColumnFact(
        "graduation_date",
        _("毕业日期"),
        PERSON,
        DATE,
        column="graduation_date",
        missing="null",
        question=_("您的毕业日期（按毕业证书）"),
    ),
    ColumnFact(
        "employment_status",
        _("就业状态"),
        PERSON,
        CHOICE,
        column="employment_status",
        choice_source=lambda: EmploymentStatus.choices,
        question=_("您目前的就业状态"),
    ),
    BoolFact(
        "registered_unemployed",
        _("登记失业"),
        PERSON,
        BOOL,
        question=_("是否已办理失业登记"),
        true_text=_("已登记失业"),
        false_text=_("未登记失业"),
        python=lambda r: (
            None if not r.employment_status else r.employment_status == EmploymentStatus.UNEMPLOYED_REGISTERED
        ),
        columns=_unemployed_columns,
    ),
    ElapsedFact(
        "unemployment_months",
        _("失业登记时长"),
        PERSON,
        NUMBER,
        unit=_("个月"),
        column="unemployment_registered_on",
        maximum=1200,
        question=_("失业登记至今（月）"),
    ),
    SetFact(
        "groups",
        _("重点人群"),
        PERSON,
        SET,
        choice_source=lambda: PriorityGroup.choices,
        attribute="groups",
        question=_("您属于哪些重点人群"),
    ),
    *GROUP_FACTS,
    BoolFact(
        "entrepreneurial_intent",
        _("创业意向"),
        PERSON,
        BOOL,
        question=_("是否有创业意向"),
        **_column_bool("entrepreneurial_intent", _("有创业意向"), _("无创业意向")),
    ),
    FoundedFact(
        "organisations_founded",
        _("已创办组织数"),
        PERSON,
        NUMBER,
        unit=_("个"),
        maximum=1000,
        question=_("您已创办（任法定代表人或创办人）的组织数量"),
        help=_("名录中以法定代表人或创办人身份关联的企业/组织数"),
    ),
    InsuredFact(
        "insured_months",
        _("在沪累计参保月数"),
        PERSON,
        NUMBER,
        unit=_("个月"),
        maximum=MAX_INSURED_MONTHS,
        question=_("您在本市累计缴纳社会保险的月数（不含本月）"),
        help=_("按社保缴费明细：评估日所在月之前的缴费月数，同月多个单位缴费计一个月；明细中没有的人为 0"),
    ),
    InsuredFact(
        "insured_continuous_months",
        _("在沪连续参保月数"),
        PERSON,
        NUMBER,
        unit=_("个月"),
        maximum=MAX_INSURED_MONTHS,
        continuous=True,
        question=_("截至上月，您在本市连续缴纳社会保险的月数"),
        help=_("截至评估日上月连续缴费的月数；上月未缴费为 0"),
    ),
    CreditFact(
        "credit_listed",
        _("失信名单"),
        PERSON,
        BOOL,
        question=_("评估日是否被列入失信名单"),
        true_text=_("在失信名单中"),
        false_text=_("不在失信名单中"),
        help=_("按名录中的失信记录：列入当日起、移出前一日止属于失信名单"),
    ),
    GrantedFact("granted", _("已享受政策"), PERSON, BOOL, question=_("是否已享受过该政策")),
    RepresentsFact(
        "represents",
        _("担任法定代表人的企业"),
        PERSON,
        RELATION,
        other=ENTERPRISE,
        question=_("您担任法定代表人的企业"),
    ),
    LinkedFact(
        "founded_enterprise",
        _("创办的企业"),
        PERSON,
        RELATION,
        other=ENTERPRISE,
        question=_("您创办（任法定代表人或创办人）的企业"),
        help=_("名录中以法定代表人或创办人/股东身份关联的企业"),
        relations=FOUNDER_RELATIONS,
    ),
    LinkedFact(
        "shareholding",
        _("持股的企业"),
        PERSON,
        RELATION,
        other=ENTERPRISE,
        question=_("您作为创办人/股东持股的企业"),
        help=_("名录中以创办人/股东身份关联、持股比例不低于所填比例的企业；持股比例不详的，结果为待核实"),
        relations=(EnterprisePerson.Relation.FOUNDER,),
        by_share=True,
    ),
    # enterprises
    ElapsedFact(
        "months_since_founding",
        _("成立时长"),
        ENTERPRISE,
        NUMBER,
        unit=_("个月"),
        column="founded_on",
        maximum=1200,
        question=_("企业成立至今（月）"),
    ),
    ColumnFact(
        "founded_on", _("成立日期"), ENTERPRISE, DATE, column="founded_on", missing="null", question=_("企业成立日期")
    ),
    BoolFact(
        "first_founding",
        _("初次创业"),
        ENTERPRISE,
        BOOL,
        question=_("这是否为法定代表人首次创办的组织"),
        true_text=_("法定代表人首次创办的组织"),
        false_text=_("法定代表人此前已创办过其他组织"),
        help=_("法定代表人创办（任法定代表人或创办人）的其他组织均不早于本企业成立"),
        python=lambda r: first_founding(r.founded_on, r.legal_rep_id, r.rep_founded_days),
        columns=first_founding_columns,
    ),
    ColumnFact(
        "entity_type",
        _("主体类型"),
        ENTERPRISE,
        CHOICE,
        column="entity_type",
        choice_source=lambda: EntityType.choices,
        question=_("企业主体类型"),
    ),
    BoolFact(
        "startup_organisation",
        _("创业组织"),
        ENTERPRISE,
        BOOL,
        question=_("是否为小微企业、个体工商户、农民合作社或民办非企业单位"),
        true_text=_("属于创业组织"),
        false_text=_("不属于创业组织"),
        help=_("小微企业、个体工商户、农民（专业）合作社、民办非企业单位"),
        columns=_startup_columns,
        python=lambda r: r.entity_type in STARTUP_ENTITY_TYPES or bool(r.is_small_micro),
    ),
    BoolFact(
        "is_small_micro",
        _("小微企业"),
        ENTERPRISE,
        BOOL,
        question=_("是否为小微企业"),
        **_column_bool("is_small_micro", _("是小微企业"), _("不是小微企业")),
    ),
    ColumnFact(
        "registration_status",
        _("登记状态"),
        ENTERPRISE,
        CHOICE,
        column="registration_status",
        choice_source=lambda: RegistrationStatus.choices,
        question=_("企业登记状态"),
    ),
    PlaceFact("registered_in", _("注册地"), ENTERPRISE, PLACE, question=_("企业注册地")),
    ColumnFact(
        "industry_section",
        _("行业门类"),
        ENTERPRISE,
        CHOICE,
        column="industry_section",
        choice_source=_industry_sections,
        question=_("企业所属行业门类"),
    ),
    ColumnFact(
        "industry_division",
        _("行业大类"),
        ENTERPRISE,
        CHOICE,
        column="industry_division",
        choice_source=_industry_divisions,
        question=_("企业所属行业大类（两位代码）"),
    ),
    IndustryFact(
        "industry",
        _("行业（国民经济行业分类）"),
        ENTERPRISE,
        INDUSTRY,
        question=_("企业所属行业代码（门类字母，或2至4位的大类、中类、小类代码，如 5292）"),
        help=_(
            "可写任一层级的代码：门类 F、大类 52、中类 529、小类 5292；只登记到大类的企业遇到中类、小类条件时待核实"
        ),
    ),
    KeywordFact(
        "business_scope",
        _("经营范围"),
        ENTERPRISE,
        KEYWORDS,
        question=_("企业营业执照上的经营范围（照抄即可）"),
        help=_("经营范围中出现关键词即算含有（英文字母不分大小写）；未登记经营范围的企业待核实"),
    ),
    ColumnFact(
        "insured_employees",
        _("参保人数"),
        ENTERPRISE,
        NUMBER,
        unit=_("人"),
        column="insured_employees",
        missing="null",
        maximum=1_000_000,
        question=_("企业参保职工人数"),
    ),
    EmployeesInsuredFact(
        "employees_insured",
        _("连续参保职工人数"),
        ENTERPRISE,
        NUMBER,
        unit=_("人"),
        maximum=1_000_000,
        question=_("截至上月，由企业连续参保满规定月数的职工人数"),
        help=_("截至评估日上月，由本企业连续缴纳社保满所填月数的人数"),
    ),
    CarrierKindFact("carrier_kind", _("入驻载体类型"), ENTERPRISE, CHOICE, question=_("企业入驻的载体类型")),
    *PREMISES_FACTS,
    SetFact(
        "tags", _("企业标签"), ENTERPRISE, SET, choice_source=_tag_choices, attribute="tags", question=_("企业标签")
    ),
    CreditFact(
        "enterprise_credit_listed",
        _("企业失信名单"),
        ENTERPRISE,
        BOOL,
        question=_("企业在评估日是否被列入失信名单"),
        true_text=_("企业在失信名单中"),
        false_text=_("企业不在失信名单中"),
        help=_("按名录中的失信记录：列入当日起、移出前一日止属于失信名单"),
    ),
    GrantedFact("enterprise_granted", _("已享受政策"), ENTERPRISE, BOOL, question=_("企业是否已享受过该政策")),
    LegalRepFact("legal_rep", _("法定代表人"), ENTERPRISE, RELATION, other=PERSON, question=_("企业法定代表人")),
)

FACTS: dict[str, Fact] = {f.name: f for f in CATALOGUE}
FACTS_BY_NAME.update(FACTS)


def facts_for(subject: str) -> list[Fact]:
    return [f for f in CATALOGUE if f.subject == subject]
