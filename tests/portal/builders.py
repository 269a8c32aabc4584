"""Builders for the portal's tests: cases, articles and datasets in any state, through the services."""

import datetime
import io

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image

from chuangfu.core.models import Role
from chuangfu.portal import services
from chuangfu.portal.models import Article, Theme
from tests import factories


def editor(**kw):
    return factories.user(role=Role.DESK_STAFF, **kw)


def publisher(**kw):
    return factories.user(role=Role.LEADER, **kw)


def png(name="photo.png") -> SimpleUploadedFile:
    buffer = io.BytesIO()
    Image.new("RGB", (8, 8), (200, 30, 30)).save(buffer, format="PNG")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/png")


def case(*, status="draft", consent=True, jurisdiction=None, theme=Theme.ECOMMERCE, title="直播带货的唐镇姑娘", **data):
    town = jurisdiction or factories.town()
    author = editor(jurisdiction=town)
    subject = data.pop("person", None) or factories.person("李小梅", jurisdiction=town)
    record = services.case_save(
        actor=author,
        data={
            "jurisdiction": town,
            "title": title,
            "summary": "从社区电商培训起步，三年带动 12 人就业。",
            "story": data.pop("story", "她参加了唐镇的电商直播培训。\n\n如今团队有 12 人。"),
            "theme": theme,
            "person": subject,
            "jobs_created": 12,
            "consent_on": datetime.date(2026, 11, 1) if consent else None,
            "consent_note": "书面同意书已存档" if consent else "",
            **data,
        },
    )
    return _advance(record, status, town, services.case_transition, "case")


def article(*, status="draft", jurisdiction=None, publish_at=None, title="唐镇举办创业服务日", **data):
    town = jurisdiction or factories.town()
    record = services.article_save(
        actor=editor(jurisdiction=town),
        data={
            "jurisdiction": town,
            "kind": Article.Kind.NEWS,
            "title": title,
            "summary": "十余家单位现场服务。",
            "body": data.pop("body", "<p>服务日在唐创空间举行。</p>"),
            "publish_at": publish_at,
            **data,
        },
    )
    return _advance(record, status, town, services.article_transition, "article")


def _advance(record, status, town, transition, kw):
    steps = {
        "draft": [],
        "in_review": ["submit"],
        "published": ["submit", "publish"],
        "withdrawn": ["submit", "publish", "withdraw"],
    }
    boss = publisher(jurisdiction=town)
    for name in steps[status]:
        actor = boss if name in ("publish", "withdraw") else editor(jurisdiction=town)
        record = transition(actor=actor, **{kw: record}, name=name, note="信息有误" if name == "withdraw" else "")
    record.refresh_from_db()
    return record


def now():
    return timezone.now()
