"""No Chinese on English pages but names and what people wrote: public pages, a requester's
ticket and the desk's own pages are rendered in English and every Chinese character left must
come from a record's own words (a name, a story, an address).

The allowed words are the text columns of every row in the database, except the columns holding
the platform's own wording (a timeline's steps and notes, the desk's shipped figures and
categories), which must read in English. A template, form, model label or stored system phrase
left untranslated fails the test with the text that stayed Chinese.
"""

import re
from html.parser import HTMLParser

import pytest
from django.apps import apps
from django.db import models
from django.urls import reverse
from django.utils import translation

import chuangfu.urls  # noqa: F401  (every view and form imported in the default language, as at a server's start)
from chuangfu.core.models import Role
from chuangfu.desk import services as desk
from chuangfu.desk.models import Category, Ticket
from chuangfu.policies.demo import seed_policies
from tests import factories
from tests.policies.conftest import village

from . import builders
from .test_opendata import dataset

pytestmark = pytest.mark.django_db
HAN = re.compile(r"[\u4e00-\u9fff]")
# Columns of the platform's own words: shown translated, so not allowed to stay Chinese.
SYSTEM_WORDS = {
    ("core", "timelineevent"): {"label", "note", "public_note", "actor_repr"},
    ("desk", "metricdefinition"): {"name", "description"},
    ("desk", "category"): {"name"},
}
# Deliberately Chinese on English pages: the language switch, and search examples (the records
# searched are in Chinese).
ALLOWED = {"中文", "Title, document number or keyword, e.g. 创业补贴", "Type a compound or street address, e.g. 唐丰苑"}


def record_words() -> list[str]:
    words = set()
    for model in apps.get_models():
        mine = SYSTEM_WORDS.get((model._meta.app_label, model._meta.model_name), set())
        columns = [
            f.attname
            for f in model._meta.concrete_fields
            if isinstance(f, (models.CharField, models.TextField)) and not f.choices and f.attname not in mine
        ]
        for row in model.objects.values_list(*columns) if columns else []:
            for value in row:
                if isinstance(value, str) and HAN.search(value):
                    words.add(value.strip())
                    words.update(line.strip() for line in value.splitlines() if line.strip())
                    if "<" in value:  # rich text: the words between its tags
                        parser = _Texts()
                        parser.feed(value)
                        words.update(parser.texts)
    return sorted(words, key=len, reverse=True)


class _Texts(HTMLParser):
    """Text nodes and the attributes a reader meets (titles, placeholders, labels, alt texts)."""

    def __init__(self):
        super().__init__()
        self.texts, self._hidden = [], 0

    def handle_starttag(self, tag, attrs):
        self._hidden += tag in ("script", "style")
        for name, value in attrs:
            if value and (
                name in ("title", "placeholder", "aria-label", "alt") or (tag == "meta" and name == "content")
            ):
                self.texts.append(value)

    def handle_endtag(self, tag):
        self._hidden -= tag in ("script", "style")

    def handle_data(self, data):
        if not self._hidden and data.strip():
            self.texts.append(data.strip())


SEPARATORS = re.compile(r"[\s·|/,，、：:；;（）()\[\]【】“”\"]+")


def chinese_left(html: str, words: list[str]) -> list[str]:
    """The texts of ``html`` with Chinese that is not a record's words. A word of four characters
    or more is taken out wherever it occurs; a shorter one only where it stands alone between
    separators (so a one-character record value cannot wipe out a sentence of the template)."""
    parser = _Texts()
    parser.feed(html)
    whole = set(words)
    long_words = [w for w in words if len(w) >= 4]
    left = []
    for text in parser.texts:
        if not HAN.search(text) or text in ALLOWED:
            continue
        if text.endswith("…") and any(w.startswith(text[:-1].rstrip()) for w in words):
            continue  # a record's words cut short (truncatechars)
        rest = text
        for word in long_words:
            if word in rest:
                rest = rest.replace(word, " ")
        for segment in SEPARATORS.split(rest):
            if HAN.search(segment) and segment not in whole:
                left.append(text)
                break
    return left


@pytest.fixture
def world():
    """Published content, the demo policies, a dataset and a ticket taken from intake to a rating,
    its steps fired while the staff's pages were in English (the words kept must not depend on it)."""
    town = factories.town()
    village(town)  # a demo village: its name says so, in the reader's language
    seed_policies()
    case = builders.case(status="published")
    article = builders.article(status="published")
    dataset(name="tangzhen-carriers")
    clerk = factories.user(Role.DESK_STAFF, town, factories.unit("社区事务受理服务中心", town))
    market = factories.unit("市场监管所", town)
    liaison = factories.user(Role.UNIT_LIAISON, town, market)
    mobile = "13912340001"
    with translation.override("en"):
        ticket, _ = desk.ticket_submit_public(
            jurisdiction=town,
            category=Category.objects.get(jurisdiction=town, name="政策咨询"),
            description="想了解一次性创业补贴的申请条件。",
            requester_name="李娜",
            requester_mobile=mobile,
        )
        desk.ticket_dispatch(ticket=ticket, actor=clerk, unit=market)
        desk.ticket_accept(ticket=Ticket.objects.get(pk=ticket.pk), actor=liaison)
        desk.ticket_answer(ticket=Ticket.objects.get(pk=ticket.pk), actor=liaison, answer="可以申请，请携带营业执照。")
        desk.ticket_close(ticket=Ticket.objects.get(pk=ticket.pk), actor=clerk)
        desk.rating_submit(ticket=Ticket.objects.get(pk=ticket.pk), grade=5)
    return {"case": case, "article": article, "ticket": ticket, "mobile": mobile, "clerk": clerk}


def _english(client, url, method="get", **data):
    response = getattr(client, method)(url, data, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200, url
    return response.content.decode()


def test_public_pages_read_in_english(client, world):
    client.cookies["django_language"] = "en"
    pages = [
        reverse("portal:home"),
        reverse("policy:list"),
        reverse("policy:self_check"),
        reverse("service:submit"),
        reverse("service:lookup"),
        reverse("events:list"),
        reverse("portal:articles"),
        reverse("portal:article", args=[world["article"].pk]),
        reverse("portal:cases"),
        reverse("portal:case", args=[world["case"].pk]),
        reverse("portal:figures"),
        reverse("portal:catalogue"),
        reverse("portal:dataset", args=["tangzhen-carriers"]),
        reverse("public_notices:list"),
        reverse("progress:plans"),
        reverse("nearby:directory"),
    ]
    words = record_words()
    found = {url: chinese_left(_english(client, url), words) for url in pages}
    assert {url: left for url, left in found.items() if left} == {}


def test_a_requesters_ticket_reads_in_english(client, world):
    client.cookies["django_language"] = "en"
    html = _english(client, reverse("service:lookup"), "post", number=world["ticket"].number, mobile=world["mobile"])
    for step in ("Received", "Sent to 市场监管所.", "This request is closed.", "Your rating: Very satisfied"):
        assert step in html, step
    assert chinese_left(html, record_words()) == []


def test_the_desks_pages_read_in_english(client, world):
    client.cookies["django_language"] = "en"
    client.force_login(world["clerk"])
    words = record_words()
    detail = _english(client, reverse("desk:ticket_detail", args=[world["ticket"].pk]))
    assert "Channel: Web" in detail or "Channel: Online" in detail
    figures = _english(client, reverse("desk:figures"))
    assert "Closure rate" in figures and "Satisfaction rate" in figures
    found = {
        "detail": chinese_left(detail, words),
        "figures": chinese_left(figures, words),
        "queue": chinese_left(_english(client, reverse("desk:queue")), words),
    }
    assert {page: left for page, left in found.items() if left} == {}
