"""The policy library's journey in a real browser (Playwright driving Debian's Chromium): desk
staff encode a new town policy through the forms (structured rule editor with htmx, a rule test
case), publish it, find the eligible resident on the outreach list and notify them; then a
resident's anonymous self-check finds the policy.

Without /usr/bin/chromium the test is skipped with a loud reason, except under CI=true, where a
missing browser is a failure."""

import datetime

import pytest

from chuangfu.core.models import Role
from chuangfu.core.notifications.sms import LocmemSmsBackend
from chuangfu.policies.models import OutreachContact, Policy
from tests import factories
from tests.browser import page_for as shared_page_for

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def page_for(browser, live_server, user=None):
    return shared_page_for(browser, live_server, user, width=1400, height=1000)


def redraw(page, action) -> None:
    """Do ``action`` and wait until htmx has swapped in the editor the server drew for it."""
    with page.expect_response(lambda r: r.url.endswith("/rule/") and r.request.method == "POST"):
        action()
    page.wait_for_function("() => !document.querySelector('.htmx-request, .htmx-settling, .htmx-swapping')")


def test_staff_encode_publish_and_run_outreach_and_a_resident_finds_the_policy(browser, live_server):
    town = factories.town()
    desk = factories.user(Role.DESK_STAFF, town, display_name="窗口小王")
    birth = datetime.date(datetime.date.today().year - 30, 3, 1)
    resident = factories.person(
        name="林青", jurisdiction=town, id_number=factories.id_number(birth=birth), birth_date=birth, hukou_kind="local"
    )
    page = page_for(browser, live_server, desk)

    page.goto(live_server.url + "/policies/new/")
    page.fill("[name=p-title]", "唐镇青年创业场租补贴")
    page.fill("[name=p-code]", "tz-rent-browser")
    page.select_option("[name=p-level]", "town")
    page.select_option("[name=p-category]", "premises")
    page.select_option("[name=p-target]", "person")
    page.select_option("[name=p-jurisdiction]", label="唐镇")
    page.fill("[name=v-effective_from]", "2025-01-01")
    page.fill("[name=v-summary]", "常住唐镇、35 周岁以下的本市户籍青年可申请场租补贴。")
    page.fill("[name=v-benefit_amount]", "3000")
    page.click("form button.btn-primary")
    page.wait_for_url("**/rule/")

    # first condition: age at most 35 (changing the operator redraws the editor with htmx)
    redraw(page, lambda: page.select_option("select[name='r.0.op']", "lte"))
    page.fill("input[name='r.0.value']", "35")
    # second condition, added with htmx: residence within 唐镇
    redraw(page, lambda: page.click("button[value='add:r']"))
    redraw(page, lambda: page.select_option("select[name='r.1.fact']", "residence"))
    page.select_option("select[name='r.1.value']", "310115114")
    assert page.input_value("input[name='r.0.value']") == "35"
    assert page.input_value("select[name='r.0.op']") == "lte"
    page.click("button[value='save']")
    page.wait_for_url("**/v/1/")
    assert "年龄不超过 35 周岁" in page.content() and "常住地在唐镇" in page.content()

    page.click("text=添加用例")
    page.fill("[name=name]", "30 岁的唐镇居民")
    page.select_option("[name=expected]", "eligible")
    page.fill("[name=age]", "30")
    page.select_option("[name=residence]", "310115114")
    page.click("form button.btn-primary")
    page.wait_for_url("**/v/1/")
    assert "通过" in page.content()

    page.click("button:has-text('发布')")
    page.wait_for_load_state()
    assert "已发布" in page.content()
    policy = Policy.objects.get(code="tz-rent-browser")

    page.goto(live_server.url + f"/policies/{policy.pk}/outreach/")
    assert "林青" in page.content()
    page.click("button:has-text('开始通知')")
    page.wait_for_load_state()
    assert OutreachContact.objects.filter(person=resident, reached_at__isnull=False).exists()
    assert resident.mobile in [mobile for mobile, _text in LocmemSmsBackend.outbox]

    public = page_for(browser, live_server)
    public.goto(live_server.url + "/policy/check/")
    public.fill("[name=age]", "28")
    public.select_option("[name=residence]", "310115114")
    public.click("button:has-text('查看结果')")
    public.wait_for_load_state()
    eligible = public.locator(".cf-result-eligible").all_inner_texts()
    assert any("唐镇青年创业场租补贴" in text for text in eligible)
