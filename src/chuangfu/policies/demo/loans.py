"""Demo policies: the city's guaranteed loans (before starting, personal, for organisations) and
their interest subsidy."""

import datetime
from decimal import Decimal

from ..models import BenefitKind, Category, Level, ObtainMode, Result, Target
from .conditions import LOCAL_OR_PERMIT, PUDONG, STARTUP_ORG_ACTIVE, TANGZHEN, c

LOANS = [
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
]
