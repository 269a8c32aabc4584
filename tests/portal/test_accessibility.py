"""axe-core's automated WCAG 2.1 AA checks, in real Chromium, over the public pages a resident uses
— in the standard and the large-text mode, on a desktop and a phone. Any violation fails."""

import json

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.urls import reverse

from tests import browser as b

from . import builders

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]
WCAG_AA = {
    "runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]},
    "resultTypes": ["violations"],
}


def public_pages(case, article) -> list[str]:
    return [
        reverse("portal:home"),
        reverse("portal:cases"),
        reverse("portal:case", args=[case.pk]),
        reverse("portal:articles"),
        reverse("portal:article", args=[article.pk]),
        reverse("portal:figures"),
        reverse("portal:catalogue"),
        reverse("policy:list"),
        reverse("service:submit"),
        reverse("service:lookup"),
        reverse("events:list"),
        reverse("public_notices:list"),
    ]


def violations(page, url: str) -> list[str]:
    page.goto(url)
    results = Axe().run(page, options=WCAG_AA)
    return [
        f"{url}: {v['id']} — {v['help']} — {[n['target'] for n in v['nodes'][:3]]}"
        for v in results.response["violations"]
    ]


def test_public_pages_have_no_wcag_aa_violations(browser, live_server):
    case = builders.case(status="published")
    article = builders.article(status="published")
    found = []
    for width, elder in ((1280, False), (390, False), (1280, True)):
        page = b.page_for(browser, live_server, width=width, height=900)
        if elder:
            page.goto(live_server.url + "/")
            page.get_by_role("button", name="长者模式").click()
        for url in public_pages(case, article):
            found += violations(page, live_server.url + url)
        page.context.close()
    assert found == [], json.dumps(found, ensure_ascii=False, indent=1)


def test_the_front_door_works_by_keyboard_alone(browser, live_server):
    page = b.page_for(browser, live_server)
    page.goto(live_server.url + "/")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent.trim()") == "跳到正文"
    page.keyboard.press("Enter")
    for _ in range(40):  # tab on until the 在线咨询 tile has the focus, then follow it with Enter
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.getAttribute('href')") == reverse("service:submit"):
            break
    page.keyboard.press("Enter")
    page.wait_for_url(f"**{reverse('service:submit')}")
