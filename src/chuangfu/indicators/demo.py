"""The city's indicator scheme as demo data (the shape of 沪人社就〔2019〕316号's 定量/定性 split; the
indicators and targets are this platform's reading of it, marked as an example), with test cases."""

from decimal import Decimal

from django.utils import timezone

from chuangfu.core.models import Jurisdiction

from . import sources
from .models import Indicator, IndicatorCase, Scheme, Target

# code: (English name, English unit, English definition) — shown on English pages
ENGLISH = {
    "policy_grants": ("Policy benefits granted", "grants", "Benefits granted this year, from subsidy payments and imported lists."),
    "subjects_granted": ("People and enterprises benefiting", "subjects", "People and enterprises granted at least one policy this year."),
    "satisfaction_rate": ("Service satisfaction rate", "%", "Valid ratings of very satisfied, satisfied or fairly satisfied ÷ valid ratings."),
    "survey_satisfaction": ("Work satisfaction (survey)", "%", "Survey answers of fairly satisfied or better ÷ answers to the satisfaction questions."),
    "on_time_rate": ("Closed on time", "%", "Closed requests answered within their time limit ÷ closed requests."),
    "meetings_held": ("Joint and reporting meetings held", "meetings", "Joint meetings and reporting meetings of the leadership and working groups held this year."),
    "tasks_on_time": ("Ledger tasks closed on time", "%", "Share of the tasks due that were closed on time (deferred tasks not counted)."),
    "articles": ("News and articles published", "articles", "News and articles published on the portal."),
    "activities_held": ("Entrepreneurship activities held", "events", "Service days, trainings, job fairs and competitions held."),
    "media_coverage": ("Media coverage", "reports", "Reports on the entrepreneurship community in the media."),
    "model_cases": ("Model entrepreneurs published", "cases", "Model entrepreneur cases published on the portal."),
}  # fmt: skip

INDICATORS = [
    # code, name, category, kind, numerator, denominator, unit, period, target, threshold, definition
    ("policy_grants", "政策享受人次", "policy", "count", "policies.grants", "", "人次", "month", 200, 150,
     "本年度通过补贴拨付和名单导入记录的政策享受人次。"),
    ("subjects_granted", "享受政策的对象数", "policy", "count", "policies.subjects_granted", "", "个", "quarter", 150, 100,
     "本年度至少享受一项政策的人员和企业数。"),
    ("satisfaction_rate", "服务满意率", "satisfaction", "rate", "desk.ratings_satisfied", "desk.ratings", "%", "month", 95, 90,
     "非常满意、满意、基本满意的有效评价数 ÷ 有效评价数。"),
    ("survey_satisfaction", "工作满意度（问卷）", "satisfaction", "rate", "indicators.survey_satisfied", "indicators.survey_ratings", "%", "quarter", 90, 85,
     "满意度调查中基本满意及以上的回答 ÷ 满意度题目的回答。"),
    ("on_time_rate", "按时办结率", "satisfaction", "rate", "desk.tickets_closed_on_time", "desk.tickets_closed", "%", "month", 95, 85,
     "在答复时限内答复的已办结咨询 ÷ 已办结咨询。"),
    ("meetings_held", "联席会议和汇报会议召开次数", "organisation", "count", "governance.meetings_held", "", "次", "quarter", 8, 6,
     "本年度召开的联席会议和领导小组、工作小组汇报会议。"),
    ("tasks_on_time", "台账任务按时销号率", "organisation", "rate", "governance.tasks_closed_on_time", "governance.tasks_due", "%", "quarter", 90, 80,
     "到期任务中按时销号的比例（暂缓的任务不计）。"),
    ("articles", "宣传报道篇数", "brand", "count", "portal.articles_published", "", "篇", "quarter", 24, 12,
     "门户发布的新闻和文章。"),
    ("activities_held", "创业活动场次", "atmosphere", "count", "activities.held", "", "场", "month", 24, 18,
     "举办的服务日、培训、招聘会、创业大赛等活动。"),
    ("media_coverage", "媒体报道次数", "atmosphere", "count", "portal.media_coverage", "", "次", "quarter", 6, 4,
     "媒体对创业型社区的报道。"),
    ("model_cases", "发布创业典型数", "models", "count", "portal.cases_published", "", "个", "year", 5, 3,
     "门户发布的创业典型。"),
]  # fmt: skip


def seed_indicators(year: int | None = None) -> dict:
    year = year or timezone.localdate().year
    scheme, _created = Scheme.objects.get_or_create(
        code="city-entrepreneurship-community",
        version=1,
        defaults={
            "name": "特色创业型社区创建评估指标体系（示例）",
            "name_en": "Featured entrepreneurship community assessment scheme (example)",
            "source_document": "沪人社就〔2019〕316号",
            "year_from": 2022,
        },
    )
    known = set(sources.names())
    town = Jurisdiction.objects.get(code="310115114")
    added = 0
    for order, (code, name, category, kind, num, den, unit, period, target, threshold, definition) in enumerate(
        INDICATORS
    ):
        if not ({num} | ({den} if den else set())) <= known:
            continue  # an app that is not installed registers no source: its indicator waits
        name_en, unit_en, definition_en = ENGLISH[code]
        indicator, created = Indicator.objects.get_or_create(
            scheme=scheme, code=code,
            defaults={"name": name, "name_en": name_en, "category": category, "kind": kind, "numerator": num,
                      "denominator": den, "unit": unit, "unit_en": unit_en, "period_type": period,
                      "definition": definition, "definition_en": definition_en, "order": order},
        )  # fmt: skip
        added += created
        Target.objects.get_or_create(
            indicator=indicator, jurisdiction=town, year=year,
            defaults={"target": Decimal(target), "threshold": Decimal(threshold)},
        )  # fmt: skip
        if created and den:
            IndicatorCase.objects.create(
                indicator=indicator, name="九成", given={num: 9, den: 10}, expected=Decimal("90")
            )
            IndicatorCase.objects.create(
                indicator=indicator, name="分母为零为无数据", given={num: 0, den: 0}, expected=None
            )
        elif created:
            IndicatorCase.objects.create(indicator=indicator, name="计数原样", given={num: 7}, expected=Decimal("7"))
    return {"scheme": str(scheme), "indicators_added": added}
