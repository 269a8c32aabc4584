"""Demo policies whose terms were not published ([U] in the reference), marked ``is_example``
for the town to confirm: the internship and competition-award subsidies, the national
entrepreneurship training, and 唐镇's own youth start-up subsidy."""

import datetime
from decimal import Decimal

from ..models import BenefitKind, Category, Level, ObtainMode, Result, Target
from .conditions import PUDONG, STARTUP_ORG_ACTIVE, TANGZHEN, c, not_granted

EXAMPLES = [
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
                    c(
                        "represents",
                        "satisfies",
                        {
                            "all": [
                                *STARTUP_ORG_ACTIVE,
                                c("first_founding", "is", True),
                                c("founded_on", "within_years", 2),
                            ]
                        },
                    ),
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
                        "granted": {},
                        "represents": [
                            {
                                "startup_organisation": True,
                                "registration_status": "active",
                                "first_founding": True,
                                "founded_on": "2024-07-01",
                            }
                        ],
                    },
                ),
                (
                    "常住张江镇",
                    Result.ALMOST,
                    {
                        "residence": "310115125",
                        "age": 28,
                        "granted": {},
                        "represents": [
                            {
                                "startup_organisation": True,
                                "registration_status": "active",
                                "first_founding": True,
                                "founded_on": "2024-07-01",
                            }
                        ],
                    },
                ),
            ],
        },
    },
]
