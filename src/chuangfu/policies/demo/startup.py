"""Demo policies: the city's subsidies for starting up — the first-startup subsidy, the
incubation site fee subsidy and the social insurance subsidy of start-up organisations."""

import datetime
from decimal import Decimal

from ..models import BenefitKind, Category, Level, ObtainMode, Result, Target
from .conditions import LOCAL_OR_PERMIT, PUDONG, STARTUP_ORG_ACTIVE, c, not_granted

STARTUP = [
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
                            {"all": [c("groups", "has_any", ["graduate"]), c("graduation_date", "within_years", 2)]},
                            c("groups", "has_any", ["hard_to_employ"]),
                        ]
                    },
                    c(
                        "represents",
                        "satisfies",
                        {
                            "all": [
                                *STARTUP_ORG_ACTIVE,
                                c("first_founding", "is", True),
                                c("months_since_founding", "gte", 12),  # 经营满 1 年: the anniversary counts
                                c("founded_on", "within_months", 18),  # 登记注册之日起 18 个月内
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
                        "graduation_date": "2022-01-01",
                        "granted": {},
                        "represents": [
                            {
                                "startup_organisation": True,
                                "registration_status": "active",
                                "first_founding": True,
                                "months_since_founding": 14,
                                "founded_on": "2021-11-01",
                                "insured_employees": 2,
                            }
                        ],
                    },
                ),
                (
                    "毕业已满两年又一天",
                    Result.ALMOST,
                    {
                        "hukou_kind": "local",
                        "groups": ["graduate"],
                        "graduation_date": "2020-12-31",
                        "granted": {},
                        "represents": [
                            {
                                "startup_organisation": True,
                                "registration_status": "active",
                                "first_founding": True,
                                "months_since_founding": 14,
                                "founded_on": "2021-11-01",
                                "insured_employees": 2,
                            }
                        ],
                    },
                ),
                (
                    "此前已创办过其他组织",
                    Result.ALMOST,
                    {
                        "hukou_kind": "local",
                        "groups": ["graduate"],
                        "graduation_date": "2022-01-01",
                        "granted": {},
                        "represents": [
                            {
                                "startup_organisation": True,
                                "registration_status": "active",
                                "first_founding": False,
                                "months_since_founding": 14,
                                "founded_on": "2021-11-01",
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
                        "graduation_date": "2022-01-01",
                        "granted": {},
                        "represents": [
                            {
                                "startup_organisation": True,
                                "registration_status": "active",
                                "first_founding": True,
                                "months_since_founding": 14,
                                "founded_on": "2021-11-01",
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
                        "granted": {"sh-first-startup-subsidy": 3},
                        "represents": [
                            {
                                "startup_organisation": True,
                                "registration_status": "active",
                                "first_founding": True,
                                "months_since_founding": 14,
                                "founded_on": "2021-11-01",
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
                        "graduation_date": "2022-10-01",
                        "granted": {},
                        "represents": [
                            {
                                "startup_organisation": True,
                                "registration_status": "active",
                                "first_founding": True,
                                "months_since_founding": 12,
                                "founded_on": "2022-01-01",
                            }
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
                    c("founded_on", "within_months", 6),  # 登记注册之日起 6 个月内申请
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
                        "founded_on": "2022-10-01",
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
                        "founded_on": "2022-10-01",
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
            "给予补贴，每月最多 8 人，自登记注册之日起最长 36 个月。（“员工参保满 6 个月”在受理时核验。）",
            "benefit_kind": BenefitKind.PERCENTAGE,
            "benefit_amount": Decimal("50"),
            "benefit_max_heads": 8,
            "benefit_max_months": 36,
            "materials": "营业执照\n法定代表人身份证明及居住证\n员工劳动合同\n社会保险缴费记录",
            "rule": {
                "all": [
                    *STARTUP_ORG_ACTIVE,
                    c("founded_on", "within_years", 3),  # 登记注册 3 年内
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
                        "founded_on": "2021-05-01",
                        "insured_employees": 3,
                        "legal_rep": {"hukou_kind": "permit"},
                    },
                ),
                (
                    "成立已满 3 年又 1 天",
                    Result.ALMOST,
                    {
                        "startup_organisation": True,
                        "registration_status": "active",
                        "founded_on": "2019-12-31",
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
                        "founded_on": "2022-08-01",
                        "insured_employees": 1,
                    },
                ),
            ],
        },
    },
]
