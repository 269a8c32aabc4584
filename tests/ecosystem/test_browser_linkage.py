"""Journey of issue 14 in a real browser: staff link an enterprise's need to an investor and record
the outcome (met, pending, failed with why), then see it counted — by the pages alone."""

import re

import pytest

from chuangfu.ecosystem.models import Linkage, LinkageStatus
from tests import factories as f
from tests.browser import page_for

NEED = re.compile("^需求")
pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def _register_resource(page, *, kind, name, offer, keywords, holder):
    form = page.locator("form", has=page.locator("textarea[name=offer]"))
    assert "唐镇" in form.get_by_label("所属镇").locator("option:checked").inner_text()  # their only town, preselected
    form.get_by_label("资源类型").select_option(label=kind)
    form.get_by_label("名称").fill(name)
    form.get_by_label("可提供的内容").fill(offer)
    form.get_by_label("关键词").fill(keywords)
    form.get_by_label("其他持有方").fill(holder)
    form.get_by_role("button", name="保存").click()
    page.wait_for_selector("text=资源已登记")


def test_staff_link_an_enterprises_need_to_an_investor_and_see_the_outcomes_counted(browser, live_server, desk):
    firm = f.enterprise("上海唐启直播电商有限公司", jurisdiction=desk.jurisdiction)
    page = page_for(browser, live_server, desk)
    page.set_default_timeout(10_000)
    page.goto(f"{live_server.url}/ecosystem/resources/")
    _register_resource(
        page,
        kind="投资机构",
        name="浦东天使投资",
        offer="天使轮投资 100–500 万元",
        keywords="融资 天使轮",
        holder="浦东创投",
    )
    _register_resource(
        page, kind="基金", name="唐镇产业引导基金", offer="电商企业股权投资", keywords="融资", holder="唐镇资产公司"
    )
    _register_resource(page, kind="法律服务", name="唐镇法律顾问团", offer="合同审查", keywords="合同", holder="某律所")

    page.get_by_role("link", name="需求与对接").first.click()
    page.get_by_label("企业统一社会信用代码").fill(firm.uscc)
    page.get_by_label("投资机构").check()
    page.get_by_label("基金").check()
    page.get_by_label(NEED).fill("直播基地扩建，寻求天使轮融资 300 万元")
    page.get_by_role("button", name="保存并匹配资源").click()

    page.wait_for_selector("h1:has-text('上海唐启直播电商有限公司')")
    matches = page.locator("li", has=page.get_by_role("button", name="对接", exact=True))
    assert matches.count() == 2  # the lawyers match neither the kinds nor a word of the need
    investor = matches.filter(has_text="浦东天使投资")
    assert "类型符合：投资机构" in investor.inner_text() and "关键词：融资、天使轮" in investor.inner_text()
    investor.get_by_role("button", name="对接").click()
    page.wait_for_selector("text=已开始对接：浦东天使投资")
    page.locator("li", has=page.get_by_role("button", name="对接", exact=True)).filter(
        has_text="唐镇产业引导基金"
    ).get_by_role("button", name="对接").click()
    page.wait_for_selector("text=已开始对接：唐镇产业引导基金")
    assert page.locator("li", has_text="对接中").count() == 2

    linked = page.locator("li.list-group-item", has=page.get_by_role("button", name="对接成功"))
    linked.filter(has_text="浦东天使投资").get_by_role("button", name="对接成功").click()
    page.wait_for_selector("text=已记录对接结果")
    fund = page.locator("li.list-group-item", has=page.get_by_role("button", name="未成功")).filter(
        has_text="唐镇产业引导基金"
    )
    fund.get_by_role("button", name="未成功").click()  # without saying why
    page.wait_for_selector("text=请填写结果说明")
    assert Linkage.objects.get(resource__name="唐镇产业引导基金").status == LinkageStatus.PENDING
    fund.get_by_label("结果说明").fill("估值未谈拢，基金暂不投早期项目")
    fund.get_by_role("button", name="未成功").click()
    page.wait_for_selector("text=已记录对接结果")
    assert page.get_by_text("估值未谈拢，基金暂不投早期项目").is_visible()

    # A second need of the same firm, linked and left pending.
    page.get_by_role("link", name="需求与对接").first.click()
    page.get_by_label("企业统一社会信用代码").fill(firm.uscc)
    page.get_by_label("投资机构").check()
    page.get_by_label(NEED).fill("A 轮融资意向")
    page.get_by_role("button", name="保存并匹配资源").click()
    page.locator("li", has_text="浦东天使投资").get_by_role("button", name="对接").click()
    page.wait_for_selector("text=已开始对接：浦东天使投资")

    page.get_by_role("link", name="需求与对接").first.click()
    page.get_by_role("link", name="对接统计").click()
    table = page.locator("table").first
    investors = table.locator("tr", has_text="投资机构").locator("td").all_inner_texts()
    funds = table.locator("tr", has_text="基金").locator("td").all_inner_texts()
    totals = table.locator("tr", has_text="合计").locator("td").all_inner_texts()
    assert (investors, funds, totals) == (["1", "1", "0"], ["0", "0", "1"], ["1", "1", "1"])  # 对接中 · 成功 · 未成功
    table.locator("tr", has_text="合计").get_by_role("link", name="1").nth(2).click()  # drill down into the failed
    assert page.get_by_role("heading", name="对接明细 · 未成功").is_visible()
    details = page.locator("table").nth(1)
    assert details.locator("tbody tr").count() == 1
    assert "唐镇产业引导基金" in details.inner_text() and "估值未谈拢" in details.inner_text()
