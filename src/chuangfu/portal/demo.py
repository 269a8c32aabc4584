"""The portal's demo content, written through the services as the demo accounts would (idempotent:
an item whose title or name already exists is left alone)."""

import datetime

from django.utils import timezone

from chuangfu.core.models import Jurisdiction, User
from chuangfu.registry.models import Enterprise, Person

from . import services
from .models import Article, Campaign, Case, Dataset, MediaCoverage


class DemoDataMissing(Exception):
    pass


def _account(username: str) -> User:
    user = User.objects.filter(username=username).first()
    if user is None:
        raise DemoDataMissing(f"演示账号 {username} 不存在：请先运行 chuangfu seed。 Run `chuangfu seed` first.")
    return user


def seed_portal() -> dict:
    town = Jurisdiction.objects.get(code="310115114")
    desk, leader = _account("tz_desk"), _account("tz_leader")
    counts = {"cases": 0, "articles": 0, "coverage": 0, "campaigns": 0, "datasets": 0}
    today = timezone.localdate()

    enterprise = Enterprise.objects.filter(name="上海唐启一鸣数字科技有限公司").first()
    people = Person.objects.filter(jurisdiction__path__startswith=town.path).order_by("id")
    cases = [
        ("一鸣数字：把社区小店搬上云端", "digital", {"enterprise": enterprise}, "published"),
        ("从电商培训到直播团队", "ecommerce", {"person": people.first()}, "published"),
        (
            "退役不褪色：老兵的社区咖啡馆",
            "veterans",
            {"person": people[1] if people.count() > 1 else None},
            "in_review",
        ),
    ]
    for title, theme, subject, status in cases:
        if Case.objects.filter(title=title).exists() or not any(subject.values()):
            continue
        case = services.case_save(
            actor=desk,
            data={
                "jurisdiction": town,
                "title": title,
                "theme": theme,
                "summary": "在唐镇创业服务站的帮助下起步，享受了一次性创业补贴和场地支持。",
                "story": "创业之初，他们在家门口服务站咨询了开办手续。\n\n"
                "参加创业培训后，团队申请了一次性创业补贴，入驻唐创空间孵化器。\n\n"
                "如今企业稳定经营，带动了周边居民就业。（演示内容）",
                "jobs_created": 8,
                "policies_used": "一次性创业补贴；创业场地房租补贴",
                "consent_on": today - datetime.timedelta(days=20),
                "consent_note": "书面同意书已存档（演示）",
                **{k: v for k, v in subject.items() if v is not None},
            },
        )
        services.case_transition(actor=desk, case=case, name="submit")
        if status == "published":
            services.case_transition(actor=leader, case=case, name="publish")
        counts["cases"] += 1

    articles = [
        ("唐镇举办“家门口”创业服务日", Article.Kind.NEWS, None, "published"),
        ("一次性创业补贴怎么申请？一图读懂", Article.Kind.EXPLAINER, None, "published"),
        ("电商直播创业培训开班在即", Article.Kind.NOTICE, timezone.now() + datetime.timedelta(days=1), "published"),
        ("创业大赛初赛回顾", Article.Kind.REVIEW, None, "draft"),
    ]
    for title, kind, publish_at, status in articles:
        if Article.objects.filter(title=title).exists():
            continue
        article = services.article_save(
            actor=desk,
            data={
                "jurisdiction": town,
                "kind": kind,
                "title": title,
                "summary": "唐镇特色创业型社区的最新动态（演示内容）。",
                "body": "<p>市场监管所、总工会、团委等单位在现场提供咨询。</p><ul><li>开办咨询</li><li>政策解读</li><li>招聘对接</li></ul>",
                "source": "唐镇党政办",
                "publish_at": publish_at,
            },
        )
        if status == "published":
            services.article_transition(actor=desk, article=article, name="submit")
            services.article_transition(actor=leader, article=article, name="publish")
        counts["articles"] += 1

    for outlet, title, kind, days in (
        ("浦东时报", "唐镇打造家门口的创业服务站", "print", 30),
        ("上海浦东（政务新媒体）", "创业补贴“免申即享”在唐镇试点", "social", 12),
    ):
        if not MediaCoverage.objects.filter(title=title).exists():
            services.coverage_create(
                actor=desk,
                data={"jurisdiction": town, "outlet": outlet, "title": title, "kind": kind,
                      "published_on": today - datetime.timedelta(days=days), "url": ""},
            )  # fmt: skip
            counts["coverage"] += 1
    if not Campaign.objects.filter(title="创业政策进社区").exists():
        services.campaign_create(
            actor=desk,
            data={"jurisdiction": town, "title": "创业政策进社区", "channel": "社区宣传栏、现场宣讲",
                  "starts_on": today - datetime.timedelta(days=40), "ends_on": today - datetime.timedelta(days=10),
                  "reach": 1200, "description": "在各村居宣传栏张贴政策海报，开展三场现场宣讲。"},
        )  # fmt: skip
        counts["campaigns"] += 1

    for name, title, source, frequency in (
        ("tangzhen-desk-monthly", "唐镇咨询受理月度统计", "desk.monthly", "monthly"),
        ("tangzhen-activities-monthly", "唐镇创业活动月度统计", "activities.monthly", "monthly"),
        ("tangzhen-carriers", "唐镇创业服务载体", "registry.carriers", "quarterly"),
        ("tangzhen-policy-grants", "唐镇政策享受人次", "policies.grants", "yearly"),
    ):
        if Dataset.objects.filter(name=name).exists():
            continue
        services.dataset_save(
            actor=leader,
            data={"jurisdiction": town, "name": name, "title": title, "source": source, "frequency": frequency,
                  "description": f"{title}，由业务记录汇总生成，不含个人信息；少于 5 的计数不公开。",
                  "publisher": "唐镇人民政府", "licence": Dataset.Licence.CC_BY, "suppress_below": 5, "published": True},
        )  # fmt: skip
        counts["datasets"] += 1
    return counts
