"""Demo town policies written with the registry's structured facts (decision on priority groups,
premises and business scope): 唐镇's rent subsidy for start-ups (a registered lease in force of a
year or more, premises in 唐镇, outside finance and real estate), and its start-up subsidy for
priority groups (就业困难人员 of some types, 残疾人 of any grade, veterans discharged within three
years, young people out of work for a year). Terms are examples ([U]) the town must confirm.

They are not in ``DEMO_POLICIES``: the policies-match benchmark's OpenFisca baseline translates
the facts of those only; ``chuangfu seed-policies`` loads both lists (``ALL_DEMO_POLICIES``)."""

import datetime
from decimal import Decimal

from ..models import BenefitKind, Category, Level, ObtainMode, Result, Target
from .conditions import STARTUP_ORG_ACTIVE, TANGZHEN, c, not_granted

RENT_FIRM = {
    "startup_organisation": True,
    "registration_status": "active",
    "registered_in": TANGZHEN,
    "founded_on": "2024-03-01",
    "lease_months": 24,
    "lease_registered": True,
    "leased_area": 80,
    "business_scope": "软件开发；技术咨询；技术服务",
    "enterprise_credit_listed": False,
    "enterprise_granted": {},
}

TOWN_FACT_POLICIES = [
    {
        "code": "tz-startup-rent-subsidy",
        "level": Level.TOWN,
        "category": Category.STARTUP,
        "target": Target.ENTERPRISE,
        "title": "唐镇创业组织房租补贴（示例）",
        "document_number": "",
        "issuing_body": "唐镇人民政府",
        "jurisdiction": TANGZHEN,
        "is_example": True,
        "handling_unit_name": "唐镇社区事务受理服务中心",
        "obtain_mode": ObtainMode.APPLY_HERE,
        "version": {
            "effective_from": datetime.date(2025, 1, 1),
            "summary": "【示例，条款须由本镇确认】在唐镇注册、成立 3 年内的创业组织，在唐镇租赁经营场地、"
            "租赁合同期限一年以上并已备案的，按实际租金的 50% 给予房租补贴，最长 12 个月、合计不超过 24000 元；"
            "经营范围含房地产开发、类金融业务的除外；企业不在失信名单中。",
            "benefit_kind": BenefitKind.PERCENTAGE,
            "benefit_amount": Decimal("50"),
            "benefit_cap": Decimal("24000"),
            "benefit_max_months": 12,
            "max_times": 1,
            "materials": "营业执照\n房屋租赁合同及备案证明\n租金支付凭证",
            "rule": {
                "all": [
                    *STARTUP_ORG_ACTIVE,
                    c("registered_in", "within", TANGZHEN),
                    c("founded_on", "within_years", 3),
                    c("lease_months", "gte", 12),
                    c("lease_registered", "is", True),
                    c("business_scope", "mentions_none", ["房地产开发", "类金融", "典当"]),
                    c("enterprise_credit_listed", "is", False),
                    not_granted(fact="enterprise_granted"),
                ]
            },
            "cases": [
                ("租期两年、已备案的软件创业企业", Result.ELIGIBLE, RENT_FIRM),
                ("租期只有 6 个月", Result.ALMOST, {**RENT_FIRM, "lease_months": 6}),
                ("租赁合同未备案", Result.ALMOST, {**RENT_FIRM, "lease_registered": False}),
                (
                    "经营范围含房地产开发",
                    Result.ALMOST,
                    {**RENT_FIRM, "business_scope": "房地产开发经营；物业管理"},
                ),
                ("名录中没有场地记录", Result.UNKNOWN, {k: v for k, v in RENT_FIRM.items() if k != "lease_months"}),
                ("成立已满 3 年又 1 天", Result.ALMOST, {**RENT_FIRM, "founded_on": "2021-12-31"}),
            ],
        },
    },
    {
        "code": "tz-priority-group-startup",
        "level": Level.TOWN,
        "category": Category.STARTUP,
        "target": Target.PERSON,
        "title": "唐镇重点群体创业补贴（示例）",
        "document_number": "",
        "issuing_body": "唐镇人民政府",
        "jurisdiction": TANGZHEN,
        "is_example": True,
        "handling_unit_name": "唐镇社区事务受理服务中心",
        "obtain_mode": ObtainMode.APPLY_HERE,
        "version": {
            "effective_from": datetime.date(2025, 1, 1),
            "summary": "【示例，条款须由本镇确认】常住唐镇的大龄、低保或零就业家庭、连续失业一年以上的就业困难人员，"
            "持证残疾人，退役 3 年内的退役军人，或连续失业满 12 个月的长期失业青年，在唐镇创办创业组织并担任"
            "法定代表人的，给予一次性创业补贴 5000 元。",
            "benefit_kind": BenefitKind.FIXED,
            "benefit_amount": Decimal("5000"),
            "max_times": 1,
            "materials": "身份证\n就业困难人员认定证明、残疾人证、退役证件或失业登记证明\n营业执照",
            "rule": {
                "all": [
                    c("residence", "within", TANGZHEN),
                    {
                        "any": [
                            c("hardship_type", "in", ["older", "low_income", "zero_employment", "long_unemployed"]),
                            c("disability_grade", "at_least", "4"),
                            c("discharged_on", "within_years", 3),
                            c("long_unemployed_months", "gte", 12),
                        ]
                    },
                    c(
                        "represents",
                        "satisfies",
                        {"all": [*STARTUP_ORG_ACTIVE, c("registered_in", "within", TANGZHEN)]},
                    ),
                    not_granted(),
                ]
            },
            "cases": [
                (
                    "退役两年、在唐镇创业的退役军人",
                    Result.ELIGIBLE,
                    {
                        "residence": TANGZHEN,
                        "hardship_type": "none",
                        "disability_grade": "none",
                        "discharged_on": "2023-06-30",
                        "long_unemployed_months": "none",
                        "represents": [
                            {"startup_organisation": True, "registration_status": "active", "registered_in": TANGZHEN}
                        ],
                        "granted": {},
                    },
                ),
                (
                    "三级残疾、尚未创业",
                    Result.ALMOST,
                    {
                        "residence": TANGZHEN,
                        "disability_grade": "3",
                        "represents": [],
                        "granted": {},
                    },
                ),
                (
                    "不属于任何重点群体",
                    Result.ALMOST,
                    {
                        "residence": TANGZHEN,
                        "hardship_type": "none",
                        "disability_grade": "none",
                        "discharged_on": "none",
                        "long_unemployed_months": "none",
                        "represents": [
                            {"startup_organisation": True, "registration_status": "active", "registered_in": TANGZHEN}
                        ],
                        "granted": {},
                    },
                ),
            ],
        },
    },
]
