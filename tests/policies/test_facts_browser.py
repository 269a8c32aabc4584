"""The structured facts in a real browser (Playwright driving Debian's Chromium): desk staff record
an enterprise's lease on its page and a person's disability grade on the person's form, write a
rent-subsidy rule with business-scope keywords and the lease facts in the rule editor, and the
enterprise is found eligible on its policy panel; in Chinese, in English and at a phone's width.

``FACTS_SCREENSHOTS=/some/dir`` keeps a screenshot of every page looked at."""

import datetime
import os
from pathlib import Path

import pytest

from chuangfu.core.models import Role
from chuangfu.registry.models import Premises
from tests import factories
from tests.browser import context_for

from .conftest import make_policy
from .test_browser import redraw

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]
SHOTS = os.environ.get("FACTS_SCREENSHOTS")


def shot(page, name: str) -> None:
    if SHOTS:
        Path(SHOTS).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=f"{SHOTS}/{name}.png", full_page=True)


def test_staff_record_a_lease_and_a_disability_and_write_a_rent_rule(browser, live_server):
    town = factories.town()
    desk = factories.user(Role.DESK_STAFF, town, display_name="窗口小王")
    today = datetime.date.today()
    firm = factories.enterprise(
        name="唐镇云帆软件有限公司",
        jurisdiction=town,
        founded_on=today - datetime.timedelta(days=400),
        business_scope="软件开发；技术咨询；APP运营",
    )
    person = factories.person(name="李残", jurisdiction=town)
    page = context_for(browser, live_server, desk, width=1400, height=1000).new_page()

    # the lease, on the enterprise's page
    page.goto(live_server.url + f"/registry/enterprises/{firm.pk}/")
    page.click("text=添加经营场地")
    page.fill("#premises [name=address]", "唐镇创新路 88 号 3 楼")
    page.fill("#premises [name=area]", "120")
    page.fill("#premises [name=lease_start]", (today - datetime.timedelta(days=30)).isoformat())
    page.fill("#premises [name=lease_end]", (today + datetime.timedelta(days=700)).isoformat())
    page.fill("#premises [name=monthly_rent]", "9000")
    page.check("#premises [name=lease_registered]")
    page.click("#premises button:has-text('添加')")
    page.wait_for_load_state()
    assert "已添加经营场地" in page.content() and "唐镇创新路 88 号 3 楼" in page.content()
    assert Premises.objects.get(enterprise=firm).lease_registered
    shot(page, "enterprise_premises")

    # the disability grade, on the person's form
    page.goto(live_server.url + f"/registry/persons/{person.pk}/edit/")
    page.check("input[name=groups][value=disabled]")
    page.select_option("[name=disability_grade]", "2")
    page.select_option("[name=disability_kind]", "physical")
    shot(page, "person_form")
    page.click("button:has-text('保存')")
    page.wait_for_load_state()
    assert "残疾等级：二级" in page.content() and "残疾类别：肢体残疾" in page.content()
    shot(page, "person_detail")

    # the rule, in the editor: business scope without real estate, a lease of a year or more
    policy = make_policy(code="tz-rent-ui", target="enterprise", status="draft", rule={}, title="房租补贴（浏览器）")
    page.goto(live_server.url + f"/policies/{policy.pk}/v/1/rule/")
    redraw(page, lambda: page.select_option("select[name='r.0.fact']", "business_scope"))
    redraw(page, lambda: page.select_option("select[name='r.0.op']", "mentions_none"))
    page.fill("input[name='r.0.keywords']", "房地产开发 类金融")
    redraw(page, lambda: page.click("button[value='add:r']"))
    redraw(page, lambda: page.select_option("select[name='r.1.fact']", "lease_months"))
    page.fill("input[name='r.1.value']", "12")
    redraw(page, lambda: page.click("button[value='add:r']"))
    redraw(page, lambda: page.select_option("select[name='r.2.fact']", "lease_registered"))
    page.select_option("select[name='r.2.value']", "true")
    shot(page, "rule_editor")
    page.click("button[value='save']")
    page.wait_for_url("**/v/1/")
    text = page.content()
    assert "经营范围不含“房地产开发”、“类金融”" in text and "在租场地租期不小于 12 个月" in text
    assert "在租场地的租赁合同已备案" in text
    shot(page, "version_detail")

    # English, and a phone's width
    english = browser.new_context(locale="en", viewport={"width": 390, "height": 844})
    english.add_cookies(page.context.cookies())
    phone = english.new_page()
    phone.goto(live_server.url + f"/registry/enterprises/{firm.pk}/")
    assert "Premises and leases" in phone.content() or "经营场地与租赁" in phone.content()
    shot(phone, "enterprise_premises_phone_en")
    phone.goto(live_server.url + "/policy/check/?kind=enterprise")
    shot(phone, "self_check_phone_en")
