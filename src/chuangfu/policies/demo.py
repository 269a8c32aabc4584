"""Demo policies: the Shanghai entrepreneurship policies of ../shared/REFERENCE.md §4 encoded as
rules, a national training policy, and a town-level 唐镇 policy.

Items whose terms were not published ([U] in the reference: 创业见习补贴, 赛事获奖专项补贴, the
town's own amounts, validity dates of the documents) are marked ``is_example``: the town must
confirm them before use. Conditions the registry cannot know (a feasible business plan, clean
credit, the employment test of guaranteed loans, months of insurance per employee) are stated in
the summary and checked on application; the rule encodes what the registry does know.

``seed_policies()`` is idempotent (policies are keyed by code) and validates every rule and runs
every test case before a version is stored as published — the same invariant as the publish
button. ``chuangfu seed-policies`` runs it; the registry's ``seed`` may call it.
"""

import datetime
from decimal import Decimal

from django.db import transaction

from chuangfu.core.models import Jurisdiction

from . import rules
from .models import (
    BenefitKind,
    Category,
    Level,
    ObtainMode,
    Policy,
    PolicyVersion,
    Result,
    RuleTestCase,
    Target,
    VersionStatus,
)
from .services.library import refresh_search_text

PUDONG, TANGZHEN = "310115", "310115114"
LOCAL_OR_PERMIT = ["local", "permit", "talent_permit"]


def c(fact: str, op: str, value, **args) -> dict:
    cond = {"fact": fact, "op": op, "value": value}
    if args:
        cond["args"] = {"policy": args.get("policy", "self"), "within_months": args.get("within_months")}
    return cond


def not_granted(policy="self", within_months=None, fact="granted") -> dict:
    return c(fact, "is", False, policy=policy, within_months=within_months)


STARTUP_ORG_ACTIVE = [c("startup_organisation", "is", True), c("registration_status", "in", ["active"])]

DEMO_POLICIES = [
    {
        "code": "sh-first-startup-subsidy",
        "level": Level.CITY,
        "category": Category.STARTUP,
        "target": Target.PERSON,
        "title": "首次创业一次性补贴",
        "document_number": "沪人社规〔2023〕1号",
        "issuing_body": "上海市人力资源和社会保障局 等",
        "jurisdiction": PUDONG,
        "handling_unit_name": "浦东新区就业促进中心",
        "obtain_mode": ObtainMode.APPLY_HERE,
        "version": {
            "effective_from": datetime.date(2023, 1, 1),
            "summary": "本市户籍高校毕业生（毕业两年内）或经认定的就业困难人员，首次在本市创办创业组织并担任法定代表人，"
            "创业组织正常经营满 1 年、带动 1 人以上就业并缴纳社会保险满 6 个月的，给予一次性创业补贴 8000 元。"
            "应在创业组织登记注册之日起 18 个月内申请，每人只能享受一次。"
            "（“带动就业人员缴纳社保满 6 个月”在受理时核验；生效日期为示例，须核实。）",
            "benefit_kind": BenefitKind.FIXED,
            "benefit_amount": Decimal("8000"),
            "max_times": 1,
            "materials": "身份证\n毕业证书或就业困难人员认定证明\n营业执照\n社会保险缴费记录",
            "rule": {
                "all": [
                    c("hukou_kind", "in", ["local"]),
                    {
                        "any": [
                            {"all": [c("groups", "has_any", ["graduate"]), c("months_since_graduation", "lte", 24)]},
                            c("groups", "has_any", ["hard_to_employ"]),
                        ]
                    },
                    c("organisations_founded", "eq", 1),
                    c(
                        "represents",
                        "satisfies",
                        {
                            "all": [
                                *STARTUP_ORG_ACTIVE,
                                c("months_since_founding", "between", [12, 17]),
                                c("insured_employees", "gte", 1),
                            ]
                        },
                    ),
                    not_granted(),
                ]
            },
            "cases": [
                (
                    "毕业一年的本市户籍毕业生，创办的小微企业已经营 14 个月、参保 2 人",
                    Result.ELIGIBLE,
                    {
                        "hukou_kind": "local",
                        "groups": ["graduate"],
                        "months_since_graduation": 12,
                        "organisations_founded": 1,
                        "granted": {},
                        "represents": [
                            {
                                "startup_organisation": True,
                                "registration_status": "active",
                                "months_since_founding": 14,
                                "insured_employees": 2,
                            }
                        ],
                    },
                ),
                (
                    "外省市户籍（持居住证），其他条件都满足",
                    Result.ALMOST,
                    {
                        "hukou_kind": "permit",
                        "groups": ["graduate"],
                        "months_since_graduation": 12,
                        "organisations_founded": 1,
                        "granted": {},
                        "represents": [
                            {
                                "startup_organisation": True,
                                "registration_status": "active",
                                "months_since_founding": 14,
                                "insured_employees": 2,
                            }
                        ],
                    },
                ),
                (
                    "已享受过本补贴",
                    Result.ALMOST,
                    {
                        "hukou_kind": "local",
                        "groups": ["hard_to_employ"],
                        "organisations_founded": 1,
                        "granted": {"sh-first-startup-subsidy": 3},
                        "represents": [
                            {
                                "startup_organisation": True,
                                "registration_status": "active",
                                "months_since_founding": 14,
                                "insured_employees": 1,
                            }
                        ],
                    },
                ),
                (
                    "参保人数不详",
                    Result.UNKNOWN,
                    {
                        "hukou_kind": "local",
                        "groups": ["graduate"],
                        "months_since_graduation": 3,
                        "organisations_founded": 1,
                        "granted": {},
                        "represents": [
                            {"startup_organisation": True, "registration_status": "active", "months_since_founding": 12}
                        ],
                    },
                ),
            ],
        },
    },
    {
        "code": "sh-incubation-rent-subsidy",
        "level": Level.CITY,
        "category": Category.PREMISES,
        "target": Target.ENTERPRISE,
        "title": "创业团队孵化场地费补贴",
        "document_number": "沪人社规〔2023〕1号",
        "issuing_body": "上海市人力资源和社会保障局 等",
        "jurisdiction": PUDONG,
        "handling_unit_name": "浦东新区就业促进中心",
        "obtain_mode": ObtainMode.APPLY_HERE,
        "version": {
            "effective_from": datetime.date(2023, 1, 1),
            "summary": "在市级创业孵化示范基地内孵化的创业团队，在孵化协议期内登记注册创业组织的，"
            "按实际缴纳的场地费给予补贴，最长 6 个月、最高 1 万元；应在登记注册之日起 6 个月内申请。",
            "benefit_kind": BenefitKind.PERCENTAGE,
            "benefit_amount": Decimal("100"),
            "benefit_cap": Decimal("10000"),
            "benefit_max_months": 6,
            "max_times": 1,
            "materials": "营业执照\n孵化协议\n场地费缴费凭证",
            "rule": {
                "all": [
                    *STARTUP_ORG_ACTIVE,
                    c("carrier_kind", "in", ["base"]),
                    c("months_since_founding", "lte", 5),
                    not_granted(fact="enterprise_granted"),
                ]
            },
            "cases": [
                (
                    "在孵化基地注册 3 个月的个体工商户",
                    Result.ELIGIBLE,
                    {
                        "startup_organisation": True,
                        "registration_status": "active",
                        "carrier_kind": "base",
                        "months_since_founding": 3,
                        "enterprise_granted": {},
                    },
                ),
                (
                    "未入驻载体",
                    Result.ALMOST,
                    {
                        "startup_organisation": True,
                        "registration_status": "active",
                        "carrier_kind": "none",
                        "months_since_founding": 3,
                        "enterprise_granted": {},
                    },
                ),
            ],
        },
    },
    {
        "code": "sh-startup-social-insurance-subsidy",
        "level": Level.CITY,
        "category": Category.SOCIAL_INSURANCE,
        "target": Target.ENTERPRISE,
        "title": "初创期创业组织社会保险费补贴",
        "document_number": "沪人社规〔2023〕1号",
        "issuing_body": "上海市人力资源和社会保障局 等",
        "jurisdiction": PUDONG,
        "handling_unit_name": "浦东新区就业促进中心",
        "obtain_mode": ObtainMode.APPLY_HERE,
        "version": {
            "effective_from": datetime.date(2023, 1, 1),
            "summary": "登记注册 3 年内的创业组织，法定代表人为本市户籍或持《上海市居住证》《海外人才居住证》，"
            "吸纳员工就业满 6 个月并缴纳社会保险的，按最低缴费基数单位缴纳养老、医疗、失业保险费的 50% "
            "给予补贴，每月最多 8 人，自登记注册之日起最长 36 个月。",
            "benefit_kind": BenefitKind.PERCENTAGE,
            "benefit_amount": Decimal("50"),
            "benefit_max_heads": 8,
            "benefit_max_months": 36,
            "materials": "营业执照\n法定代表人身份证明及居住证\n员工劳动合同\n社会保险缴费记录",
            "rule": {
                "all": [
                    *STARTUP_ORG_ACTIVE,
                    c("months_since_founding", "lt", 36),
                    c("insured_employees", "gte", 1),
                    c("legal_rep", "satisfies", c("hukou_kind", "in", LOCAL_OR_PERMIT)),
                ]
            },
            "cases": [
                (
                    "成立 20 个月、参保 3 人、法定代表人持居住证",
                    Result.ELIGIBLE,
                    {
                        "startup_organisation": True,
                        "registration_status": "active",
                        "months_since_founding": 20,
                        "insured_employees": 3,
                        "legal_rep": {"hukou_kind": "permit"},
                    },
                ),
                (
                    "成立已满 3 年",
                    Result.ALMOST,
                    {
                        "startup_organisation": True,
                        "registration_status": "active",
                        "months_since_founding": 36,
                        "insured_employees": 3,
                        "legal_rep": {"hukou_kind": "local"},
                    },
                ),
                (
                    "法定代表人不在名录中",
                    Result.UNKNOWN,
                    {
                        "startup_organisation": True,
                        "registration_status": "active",
                        "months_since_founding": 5,
                        "insured_employees": 1,
                    },
                ),
            ],
        },
    },
    {
        "code": "sh-pre-startup-guaranteed-loan",
        "level": Level.CITY,
        "category": Category.FINANCE,
        "target": Target.PERSON,
        "title": "创业前创业担保贷款",
        "document_number": "沪财发〔2024〕4号",
        "issuing_body": "上海市财政局 等",
        "jurisdiction": PUDONG,
        "handling_unit_name": "上海市创业担保贷款经办银行",
        "obtain_mode": ObtainMode.ELSEWHERE,
        "apply_url": "https://www.12333sh.gov.cn/",
        "version": {
            "effective_from": datetime.date(2024, 5, 31),
            "summary": "35 周岁以下的本市户籍青年大学生，或在沪高校就读、毕业并持居住证的大学生，具有可行的创业计划、"
            "信用良好的，可申请创业前创业担保贷款，最高 20 万元、期限 1 年，利率不超过 LPR 加 50 个基点。"
            "（创业计划和信用状况由经办银行审核。）",
            "benefit_kind": BenefitKind.LOAN,
            "benefit_amount": Decimal("200000"),
            "benefit_note": "期限 1 年，利率不超过 LPR+50BP",
            "materials": "身份证\n学历证明或学生证\n创业计划书",
            "rule": {
                "all": [
                    c("age", "lte", 35),
                    c("hukou_kind", "in", ["local", "permit"]),
                    {"any": [c("groups", "has_any", ["graduate"]), c("employment_status", "in", ["student"])]},
                    c("organisations_founded", "eq", 0),
                ]
            },
            "cases": [
                (
                    "26 岁、本市户籍、应届毕业生、尚未创业",
                    Result.ELIGIBLE,
                    {
                        "age": 26,
                        "hukou_kind": "local",
                        "groups": ["graduate"],
                        "employment_status": "unemployed",
                        "organisations_founded": 0,
                    },
                ),
                (
                    "36 岁",
                    Result.ALMOST,
                    {
                        "age": 36,
                        "hukou_kind": "local",
                        "groups": ["graduate"],
                        "employment_status": "employed",
                        "organisations_founded": 0,
                    },
                ),
            ],
        },
    },
    {
        "code": "sh-personal-guaranteed-loan",
        "level": Level.CITY,
        "category": Category.FINANCE,
        "target": Target.PERSON,
        "title": "个人创业担保贷款",
        "document_number": "沪财发〔2024〕4号",
        "issuing_body": "上海市财政局 等",
        "jurisdiction": PUDONG,
        "handling_unit_name": "上海市创业担保贷款经办银行",
        "obtain_mode": ObtainMode.ELSEWHERE,
        "apply_url": "https://www.12333sh.gov.cn/",
        "version": {
            "effective_from": datetime.date(2024, 5, 31),
            "summary": "本市户籍或持居住证、经营创业组织的个人，可申请个人创业担保贷款，最高 50 万元、期限不超过 3 年。"
            "申请人不属于重点人群的，创业组织当年新招用重点人群应达职工总数 10%（或本市劳动者达 15%），"
            "该用工条件由经办银行审核。",
            "benefit_kind": BenefitKind.LOAN,
            "benefit_amount": Decimal("500000"),
            "benefit_note": "期限不超过 3 年",
            "materials": "身份证\n营业执照\n用工及社保缴费证明",
            "rule": {
                "all": [
                    c("hukou_kind", "in", LOCAL_OR_PERMIT),
                    c("represents", "satisfies", {"all": STARTUP_ORG_ACTIVE}),
                ]
            },
            "cases": [
                (
                    "持居住证、经营个体工商户",
                    Result.ELIGIBLE,
                    {
                        "hukou_kind": "permit",
                        "represents": [{"startup_organisation": True, "registration_status": "active"}],
                    },
                ),
                ("未经营创业组织", Result.ALMOST, {"hukou_kind": "local", "represents": []}),
            ],
        },
    },
    {
        "code": "sh-organisation-guaranteed-loan",
        "level": Level.CITY,
        "category": Category.FINANCE,
        "target": Target.ENTERPRISE,
        "title": "创业组织创业担保贷款",
        "document_number": "沪财发〔2024〕4号",
        "issuing_body": "上海市财政局 等",
        "jurisdiction": PUDONG,
        "handling_unit_name": "上海市创业担保贷款经办银行",
        "obtain_mode": ObtainMode.ELSEWHERE,
        "apply_url": "https://www.12333sh.gov.cn/",
        "version": {
            "effective_from": datetime.date(2024, 5, 31),
            "summary": "在本市登记注册的小微企业、民办非企业单位、农民专业合作社，符合用工条件的，可申请创业组织创业担保贷款，"
            "最高 400 万元（重点领域 500 万元），期限不超过 2 年。用工条件由经办银行审核。",
            "benefit_kind": BenefitKind.LOAN,
            "benefit_amount": Decimal("4000000"),
            "benefit_note": "期限不超过 2 年",
            "materials": "营业执照\n法定代表人身份证\n用工及社保缴费证明",
            "rule": {
                "all": [
                    {
                        "any": [
                            {
                                "all": [
                                    c("is_small_micro", "is", True),
                                    c("entity_type", "in", ["company", "partnership", "sole_investment"]),
                                ]
                            },
                            c("entity_type", "in", ["private_non_enterprise", "cooperative"]),
                        ]
                    },
                    c("registered_in", "within", PUDONG),
                    c("registration_status", "in", ["active"]),
                ]
            },
            "cases": [
                (
                    "浦东的小微有限公司",
                    Result.ELIGIBLE,
                    {
                        "is_small_micro": True,
                        "entity_type": "company",
                        "registered_in": TANGZHEN,
                        "registration_status": "active",
                    },
                ),
                (
                    "个体工商户",
                    Result.ALMOST,
                    {
                        "is_small_micro": True,
                        "entity_type": "sole_proprietor",
                        "registered_in": TANGZHEN,
                        "registration_status": "active",
                    },
                ),
            ],
        },
    },
    {
        "code": "sh-guaranteed-loan-interest-subsidy",
        "level": Level.CITY,
        "category": Category.FINANCE,
        "target": Target.PERSON,
        "title": "创业担保贷款贴息",
        "document_number": "沪财发〔2024〕5号",
        "issuing_body": "上海市财政局 等",
        "jurisdiction": PUDONG,
        "handling_unit_name": "浦东新区就业促进中心",
        "obtain_mode": ObtainMode.APPLY_HERE,
        "version": {
            "effective_from": datetime.date(2024, 5, 31),
            "summary": "获得个人创业担保贷款或创业前创业担保贷款并按期还款的借款人，按实际支付利息的 50% 给予贴息，"
            "每位借款人最多享受 3 次（2024 年 5 月 31 日以后发放的贷款）。按期还款情况由经办银行核实。",
            "benefit_kind": BenefitKind.PERCENTAGE,
            "benefit_amount": Decimal("50"),
            "max_times": 3,
            "materials": "贷款合同\n还款及付息凭证",
            "rule": {
                "any": [
                    c("granted", "is", True, policy="sh-personal-guaranteed-loan"),
                    c("granted", "is", True, policy="sh-pre-startup-guaranteed-loan"),
                ]
            },
            "cases": [
                ("已获个人创业担保贷款", Result.ELIGIBLE, {"granted": {"sh-personal-guaranteed-loan": 8}}),
                ("未获得担保贷款", Result.INELIGIBLE, {"granted": {}}),
            ],
        },
    },
    {
        "code": "sh-startup-internship-subsidy",
        "level": Level.CITY,
        "category": Category.EMPLOYMENT,
        "target": Target.PERSON,
        "title": "创业见习补贴（示例）",
        "document_number": "",
        "issuing_body": "上海市人力资源和社会保障局",
        "jurisdiction": PUDONG,
        "is_example": True,
        "handling_unit_name": "浦东新区就业促进中心",
        "obtain_mode": ObtainMode.APPLY_HERE,
        "version": {
            "effective_from": datetime.date(2023, 1, 1),
            "summary": "【示例，条款未公开，须由本镇确认】在创业见习基地参加创业见习的青年，按月给予见习补贴。",
            "benefit_kind": BenefitKind.PER_HEAD_MONTH,
            "benefit_amount": None,
            "benefit_max_months": 6,
            "rule": {
                "all": [
                    c("age", "between", [16, 35]),
                    c("entrepreneurial_intent", "is", True),
                    c("organisations_founded", "eq", 0),
                ]
            },
            "cases": [
                (
                    "25 岁、有创业意向、尚未创业",
                    Result.ELIGIBLE,
                    {"age": 25, "entrepreneurial_intent": True, "organisations_founded": 0},
                ),
                ("40 岁", Result.ALMOST, {"age": 40, "entrepreneurial_intent": True, "organisations_founded": 0}),
            ],
        },
    },
    {
        "code": "sh-competition-award-subsidy",
        "level": Level.CITY,
        "category": Category.STARTUP,
        "target": Target.ENTERPRISE,
        "title": "赛事获奖专项补贴（示例）",
        "document_number": "",
        "issuing_body": "上海市人力资源和社会保障局",
        "jurisdiction": PUDONG,
        "is_example": True,
        "handling_unit_name": "浦东新区就业促进中心",
        "obtain_mode": ObtainMode.APPLY_HERE,
        "version": {
            "effective_from": datetime.date(2023, 1, 1),
            "summary": "【示例，条款未公开，须由本镇确认】在市、区创业大赛中获奖的创业组织给予专项补贴。"
            "获奖情况在受理时核验。",
            "benefit_kind": BenefitKind.FIXED,
            "benefit_amount": None,
            "max_times": 1,
            "rule": {
                "all": [
                    *STARTUP_ORG_ACTIVE,
                    c("tags", "has_any", ["innovation"]),
                    not_granted(fact="enterprise_granted"),
                ]
            },
            "cases": [
                (
                    "科技创新类小微企业",
                    Result.ELIGIBLE,
                    {
                        "startup_organisation": True,
                        "registration_status": "active",
                        "tags": ["innovation"],
                        "enterprise_granted": {},
                    },
                ),
            ],
        },
    },
    {
        "code": "cn-entrepreneurship-training",
        "level": Level.NATIONAL,
        "category": Category.TRAINING,
        "target": Target.PERSON,
        "title": "创业培训（马兰花 GYB/SYB）",
        "document_number": "人社部发〔2025〕5号",
        "issuing_body": "人力资源社会保障部 等",
        "jurisdiction": PUDONG,
        "is_example": True,
        "handling_unit_name": "浦东新区就业促进中心",
        "obtain_mode": ObtainMode.ELSEWHERE,
        "apply_url": "https://www.12333sh.gov.cn/",
        "version": {
            "effective_from": datetime.date(2025, 1, 1),
            "summary": "“四创联动”（创业培训、创业服务、创业孵化、创业活动）：有创业意向或已创业的劳动者可参加"
            "马兰花创业培训（GYB 产生你的企业想法、SYB 创办你的企业），按规定享受培训补贴。"
            "【补贴标准示例，须由本镇确认】",
            "benefit_kind": BenefitKind.SERVICE,
            "benefit_amount": None,
            "rule": {
                "all": [
                    c("age", "between", [16, 60]),
                    {
                        "any": [
                            c("entrepreneurial_intent", "is", True),
                            c("organisations_founded", "gte", 1),
                            c("registered_unemployed", "is", True),
                        ]
                    },
                ]
            },
            "cases": [
                ("有创业意向的 30 岁居民", Result.ELIGIBLE, {"age": 30, "entrepreneurial_intent": True}),
                ("65 岁", Result.ALMOST, {"age": 65, "entrepreneurial_intent": True}),
            ],
        },
    },
    {
        "code": "tz-youth-startup-launch",
        "level": Level.TOWN,
        "category": Category.STARTUP,
        "target": Target.PERSON,
        "title": "唐镇青年创业启航补贴（示例）",
        "document_number": "",
        "issuing_body": "唐镇人民政府",
        "jurisdiction": TANGZHEN,
        "is_example": True,
        "handling_unit_name": "唐镇社区事务受理服务中心",
        "obtain_mode": ObtainMode.QUICK,
        "version": {
            "effective_from": datetime.date(2025, 1, 1),
            "summary": "【镇级政策示例，金额和条件须由唐镇确认】常住唐镇、18 至 40 周岁、近两年内首次创办创业组织"
            "（电子商务、数字化转型或科技创新方向优先）的青年，给予一次性启航补贴 5000 元，快申快享。",
            "benefit_kind": BenefitKind.FIXED,
            "benefit_amount": Decimal("5000"),
            "max_times": 1,
            "materials": "身份证\n营业执照",
            "rule": {
                "all": [
                    c("residence", "within", TANGZHEN),
                    c("age", "between", [18, 40]),
                    c("organisations_founded", "eq", 1),
                    c("represents", "satisfies", {"all": [*STARTUP_ORG_ACTIVE, c("months_since_founding", "lt", 24)]}),
                    not_granted(),
                ]
            },
            "cases": [
                (
                    "常住唐镇的 28 岁青年，创办个体工商户 6 个月",
                    Result.ELIGIBLE,
                    {
                        "residence": TANGZHEN,
                        "age": 28,
                        "organisations_founded": 1,
                        "granted": {},
                        "represents": [
                            {"startup_organisation": True, "registration_status": "active", "months_since_founding": 6}
                        ],
                    },
                ),
                (
                    "常住张江镇",
                    Result.ALMOST,
                    {
                        "residence": "310115125",
                        "age": 28,
                        "organisations_founded": 1,
                        "granted": {},
                        "represents": [
                            {"startup_organisation": True, "registration_status": "active", "months_since_founding": 6}
                        ],
                    },
                ),
            ],
        },
    },
]


class DemoPolicyError(Exception):
    """A demo definition breaks its own rules (invalid rule or failing test case): a bug here."""


@transaction.atomic
def seed_policies() -> int:
    """Create the demo policies that do not exist yet; returns how many were created."""
    from django.utils import timezone

    from chuangfu.registry.models import Tag
    from chuangfu.registry.seeding.vocab import TAGS

    for code, name in TAGS:  # the tags the demo rules name
        Tag.objects.get_or_create(code=code, defaults={"name": name})
    places = {j.code: j for j in Jurisdiction.objects.filter(code__in=[PUDONG, TANGZHEN])}
    created = 0
    pending = [d for d in DEMO_POLICIES if not Policy.objects.filter(code=d["code"]).exists()]
    policies = {}
    for definition in pending:  # every policy first: rules refer to each other by code
        fields = {k: v for k, v in definition.items() if k not in ("version", "jurisdiction")}
        policies[definition["code"]] = Policy.objects.create(jurisdiction=places[definition["jurisdiction"]], **fields)
    for definition in pending:
        policy = policies[definition["code"]]
        spec = dict(definition["version"])
        cases = spec.pop("cases")
        try:
            spec["rule"] = rules.validate_rule(spec["rule"], policy.target)
        except rules.RuleError as exc:
            raise DemoPolicyError(f"{policy.code}: {exc.errors}") from exc
        ctx = rules.Context(on=spec["effective_from"], policy_code=policy.code)
        for name, expected, facts in cases:
            actual = rules.explain(spec["rule"], rules.GivenSource(facts), ctx).result
            if actual != expected:
                raise DemoPolicyError(f"{policy.code}: {name}: expected {expected}, got {actual}")
        version = PolicyVersion.objects.create(
            policy=policy, number=1, status=VersionStatus.PUBLISHED, published_at=timezone.now(), **spec
        )
        RuleTestCase.objects.bulk_create(
            [
                RuleTestCase(version=version, name=name, expected=expected, facts=facts)
                for name, expected, facts in cases
            ]
        )
        refresh_search_text(policy)
        created += 1
    return created
