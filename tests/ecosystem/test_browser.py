"""Journeys of issue 14 in a real browser (Playwright driving Debian's Chromium): an operator
updates their carrier (reviewed by the town) and reports quarterly figures from an .xlsx; the
office records a visit on a phone and turns a problem into a ticket.

Without /usr/bin/chromium the tests are skipped with a loud reason, except under CI=true."""

import datetime
import io

import pytest
from openpyxl import Workbook

from chuangfu.desk.models import Ticket
from chuangfu.ecosystem.models import QuarterlyReport
from chuangfu.ecosystem.services import incubation as incubation_services
from chuangfu.ecosystem.services import visits as visit_services
from tests import factories as f
from tests.browser import context_for

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def test_operator_updates_the_carrier_and_reports_quarterly_figures(
    browser, live_server, operator, desk, incubator, tmp_path
):
    firm = f.enterprise("上海唐芯科技有限公司", jurisdiction=incubator.jurisdiction)
    year = datetime.date.today().year - 1
    incubation_services.incubation_admit(
        actor=operator, carrier=incubator, enterprise=firm, admitted_on=datetime.date(year, 1, 10)
    )
    page = context_for(browser, live_server, operator).new_page()
    page.goto(f"{live_server.url}/ecosystem/carriers/{incubator.pk}/")
    page.get_by_role("link", name="修改本载体信息").click()
    page.fill("input[name=workstations_free]", "3")
    page.fill("input[name=opening_hours]", "周一至周六 9:00-18:00")
    page.get_by_role("button", name="提交审核").click()
    page.wait_for_selector("text=变更申请已提交")

    reviewer = context_for(browser, live_server, desk).new_page()
    reviewer.goto(f"{live_server.url}/ecosystem/changes/")
    reviewer.get_by_role("link", name="唐创空间").click()
    reviewer.get_by_role("button", name="通过并生效").click()
    reviewer.wait_for_selector("text=已通过")
    incubator.refresh_from_db()
    assert incubator.workstations_free == 3

    workbook = Workbook()
    workbook.active.append(["统一社会信用代码", "年度", "季度", "参保人数", "营收区间"])
    workbook.active.append([firm.uscc, year, 3, 8, "100 万元以下"])
    buffer = io.BytesIO()
    workbook.save(buffer)
    sheet = tmp_path / "季度报表.xlsx"
    sheet.write_bytes(buffer.getvalue())
    page.goto(f"{live_server.url}/ecosystem/carriers/{incubator.pk}/")
    assert page.get_by_text("周一至周六 9:00-18:00").is_visible()
    page.set_input_files("input[name=file]", str(sheet))
    page.get_by_role("button", name="导入季度报表").click()
    page.wait_for_selector("text=新增 1 条")
    assert QuarterlyReport.objects.get().insured_headcount == 8


def test_the_office_records_a_visit_on_a_phone_and_turns_a_problem_into_a_ticket(browser, live_server, desk, incubator):
    visit = visit_services.visit_plan(
        actor=desk, carrier=incubator, planned_on=datetime.date.today(), purpose="季度走访", visitors=[desk]
    )
    phone = context_for(browser, live_server, desk, width=390, height=844).new_page()
    phone.goto(f"{live_server.url}/ecosystem/visits/{visit.pk}/")
    phone.fill("textarea[name=findings]", "在孵企业 20 家，反映停车难")
    phone.fill("textarea[name=problems]", "园区停车位不足")
    phone.get_by_role("button", name="保存走访记录").click()
    phone.wait_for_selector("text=走访记录已保存")
    phone.fill("input[name=requester_name]", "王经理")
    phone.fill("input[name=requester_mobile]", "13912345678")
    phone.get_by_role("button", name="转为工单").click()
    phone.wait_for_selector("text=已转为工单")
    ticket = Ticket.objects.get()
    assert "园区停车位不足" in ticket.description and phone.get_by_text(ticket.number).first.is_visible()
