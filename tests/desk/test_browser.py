"""The desk's journey in a real browser (Playwright driving Debian's Chromium):
submit on the public page → the desk dispatches → the liaison accepts and answers → the
requester rates 不满意 → rectification and 回访 appear and are closed → the figures move.

Without /usr/bin/chromium the test is skipped with a loud reason, except under CI=true,
where a missing browser is a failure."""

import pytest

from chuangfu.core.models import Role, Unit
from chuangfu.desk.models import Rectification, Status, Ticket
from tests import factories
from tests.browser import page_for

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def fire(page, name, **fields):
    """Open the action ``name`` on the ticket page, fill its form and confirm."""
    box = page.locator(f"#act-{name}")
    box.locator("summary").click()
    for field, value in fields.items():
        control = box.locator(f'[name="{name}-{field}"]')
        if control.first.evaluate("e => e.tagName") == "SELECT":
            control.select_option(value)  # a value or a visible label
        elif control.first.get_attribute("type") == "radio":
            box.locator(f'[name="{name}-{field}"][value="{value}"]').check()
        else:
            control.fill(value)
    box.locator("button[type=submit]").click()
    page.wait_for_load_state()


def figure(page, code) -> str:
    return page.locator(f'[data-metric="{code}"]').inner_text().split("%")[0].strip()


def test_public_request_to_rectification_and_revisit_moves_the_figures(browser, live_server):
    town = factories.town()
    market = factories.unit("市场监管所", town, kind=Unit.Kind.GOVERNMENT)
    centre = factories.unit("社区事务受理服务中心", town)
    desk = factories.user(Role.DESK_STAFF, town, centre, display_name="窗口小王")
    liaison = factories.user(Role.UNIT_LIAISON, town, market, display_name="市场所老李")
    staff = page_for(browser, live_server, desk)
    staff.goto(f"{live_server.url}/desk/figures/")
    assert figure(staff, "satisfaction_rate") == "—" and figure(staff, "rectification_rate") == "—"

    # The requester, on a phone, without an account.
    phone = page_for(browser, live_server, width=400)
    phone.goto(f"{live_server.url}/service/")
    phone.select_option("#id_category", label="补贴申领")
    phone.fill("#id_description", "我是去年毕业的本市户籍大学生，想申请一次性创业补贴，需要哪些材料？")
    phone.fill("#id_requester_name", "李娜")
    phone.fill("#id_requester_mobile", "13912345678")
    phone.click("button[type=submit]")
    phone.wait_for_url("**/service/done/**")
    number = phone.inner_text("#ticket-number").strip()
    ticket = Ticket.objects.get(number=number)

    # The desk finds it in the queue and dispatches it.
    staff.goto(f"{live_server.url}/desk/")
    staff.click(f"text={number}")
    fire(staff, "dispatch", unit="市场监管所", note="请核实申请条件")
    assert "已派单" in staff.inner_text("main")

    # The liaison accepts and answers.
    unit = page_for(browser, live_server, liaison)
    unit.goto(f"{live_server.url}/desk/?queue=new")
    unit.click(f"text={number}")
    fire(unit, "accept")
    fire(unit, "answer", note="符合条件。请携带身份证、毕业证书和营业执照到社区事务受理服务中心办理。")
    assert Ticket.objects.get(pk=ticket.pk).status == Status.ANSWERED

    # The requester looks it up and rates it 不满意.
    phone.goto(f"{live_server.url}/service/lookup/")
    phone.fill("#id_number", number)
    phone.fill("#id_mobile", "13912345678")
    phone.click("button[type=submit]")
    assert "携带身份证" in phone.inner_text("main")
    phone.click("text=评价本次服务")
    phone.check("input[name=grade][value='2']")
    phone.fill("#id_comment", "没有说明办理时限")
    phone.click("button[type=submit]")
    assert "您已评价：不满意" in phone.inner_text("main")
    phone.reload()
    assert "您已评价：不满意" in phone.inner_text("main") and "提交评价" not in phone.inner_text("main")

    # The rectification appears for the unit, which reports its measures.
    unit.goto(f"{live_server.url}/desk/?queue=rectify")
    unit.click(f"text={number}")
    assert "差评整改" in unit.inner_text("main")
    fire(unit, "rectify", note="已补充告知办理时限为 5 个工作日，并对经办人进行提醒。")

    # The desk closes the ticket and revisits the requester.
    staff.goto(f"{live_server.url}/desk/tickets/{ticket.pk}/")
    fire(staff, "close")
    fire(staff, "revisit", outcome="basic", note="诉求人表示基本满意")
    assert "已回访" in staff.inner_text("main")
    rectification = Rectification.objects.get(ticket=ticket)
    assert rectification.state == Rectification.State.CLOSED and rectification.revisit_outcome == "basic"

    # The figures moved.
    staff.goto(f"{live_server.url}/desk/figures/")
    assert figure(staff, "satisfaction_rate") == "0.0"
    assert figure(staff, "rectification_rate") == "100.0"
    assert figure(staff, "revisit_rate") == "100.0"
    assert figure(staff, "closure_rate") == "100.0"
