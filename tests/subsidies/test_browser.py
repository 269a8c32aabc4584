"""The subsidy journey in a real browser (Playwright driving Debian's Chromium): an entrepreneur
applies with one material missing → a reviewer returns it listing what is missing (一次告知) → the
applicant adds it and resubmits → first and second review by two reviewers → 公示 on the public
page (name masked) → final approval → the finance department's .xlsx is imported → the policy's
implementation rate moves.

Without /usr/bin/chromium the test is skipped with a loud reason, except under CI=true, where a
missing browser is a failure."""

import datetime
from decimal import Decimal

import pytest
from openpyxl import load_workbook

from chuangfu.core.models import Role
from chuangfu.policies.services.matching import policy_match
from chuangfu.subsidies.models import Application, ApplicationForm, FormField, MaterialRequirement, NoticeBatch, Status
from tests import factories
from tests.browser import page_for
from tests.policies.conftest import make_policy

from .conftest import PDF, PNG

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def act(page, name, **fields):
    """Open the action ``name`` on the staff application page, fill its form and confirm."""
    box = page.locator(f"#act-{name}")
    box.locator("summary").click()
    for field, value in fields.items():
        control = box.locator(f'[name="{field}"]')
        if control.first.get_attribute("type") == "checkbox":
            box.locator(f'[name="{field}"][value="{value}"]').check()
        else:
            control.first.fill(value)
    box.locator("button[type=submit]").click()
    page.wait_for_load_state()


def upload(page, application, requirement, name, content, tmp_path):
    path = tmp_path / name
    path.write_bytes(content)
    form = page.locator(f'form[action="/subsidies/{application.pk}/materials/{requirement.pk}/upload/"]')
    form.locator('input[type="file"]').set_input_files(str(path))
    form.locator("button[type=submit]").click()
    page.wait_for_load_state()


def implementation(page, live_server, policy) -> str:
    page.goto(f"{live_server.url}/policies/rates/{policy.pk}/")
    return page.locator("tbody tr.fw-semibold td").nth(5).inner_text().strip()


def test_apply_correct_review_notice_and_pay_moves_the_implementation_rate(browser, live_server, tmp_path):
    town = factories.town()
    policy = make_policy(
        code="journey-grant", title="一次性创业补贴（演示）", rule={"all": [{"fact": "age", "op": "lte", "value": 35}]}
    )
    form = ApplicationForm.objects.create(
        version=policy.versions.get(),
        amount_kind="fixed",
        amount_value=Decimal("8000"),
        instructions="请如实填写并上传材料。",
    )
    FormField.objects.create(form=form, key="project", label="创业项目名称", kind="text", required=True, position=1)
    identity = MaterialRequirement.objects.create(form=form, name="身份证复印件", required=True, position=1)
    licence = MaterialRequirement.objects.create(form=form, name="营业执照", required=True, position=2)
    insurance = MaterialRequirement.objects.create(
        form=form, name="社保缴费证明", required=False, position=3, description="已为员工参保的请提供"
    )
    account = factories.user(Role.ENTREPRENEUR, mobile="13912345678", display_name="李创业")
    factories.person(name="李创业", account=account, birth_date=datetime.date(1995, 6, 1), jurisdiction=town)
    factories.person(name="另一位", birth_date=datetime.date(1996, 1, 1), jurisdiction=town)  # eligible, not applying
    first = factories.user(Role.REVIEWER, town, display_name="审核甲")
    second = factories.user(Role.REVIEWER, town, display_name="审核乙")
    leader = factories.user(Role.LEADER, town, display_name="领导")
    policy_match(policy=policy, on=datetime.date.today())

    board = page_for(browser, live_server, leader)
    assert implementation(board, live_server, policy) == "0.0%"

    # the entrepreneur applies, without the (optional) social-insurance proof
    me = page_for(browser, live_server, account, width=420)
    me.goto(f"{live_server.url}/subsidies/apply/{policy.pk}/")
    me.get_by_role("button", name="开始填写").click()
    me.wait_for_load_state()
    application = Application.objects.get(person__account=account)
    me.fill("#f-project", "社区咖啡馆")
    me.get_by_role("button", name="保存填写内容").click()
    me.wait_for_load_state()
    upload(me, application, identity, "身份证.png", PNG, tmp_path)
    upload(me, application, licence, "营业执照.pdf", PDF, tmp_path)
    if me.locator("#acknowledge").count():
        me.check("#acknowledge")
    me.get_by_role("button", name="提交申请").click()
    me.wait_for_load_state()
    application.refresh_from_db()
    assert application.status == Status.SUBMITTED and application.number

    # the first reviewer accepts it and returns it, listing what is missing at once
    rev1 = page_for(browser, live_server, first)
    rev1.goto(f"{live_server.url}/subsidies/staff/{application.pk}/")
    act(rev1, "accept")
    act(
        rev1,
        "request_correction",
        materials=str(insurance.pk),
        **{f"material_{insurance.pk}": "请补充近6个月社保缴费证明"},
        note="请补充材料后重新提交",
    )
    application.refresh_from_db()
    assert application.status == Status.CORRECTION

    me.goto(f"{live_server.url}/subsidies/{application.pk}/")
    assert "社保缴费证明" in me.content() and "请补充近6个月社保缴费证明" in me.content()
    upload(me, application, insurance, "社保.pdf", PDF, tmp_path)
    me.get_by_role("button", name="提交补正材料").click()
    me.wait_for_load_state()
    application.refresh_from_db()
    assert application.status == Status.ACCEPTED

    # first and second review by two reviewers; the first may not do the second
    rev1.goto(f"{live_server.url}/subsidies/staff/{application.pk}/")
    act(rev1, "first_approve")
    rev1.goto(f"{live_server.url}/subsidies/staff/{application.pk}/")
    assert rev1.locator("#act-second_approve").count() == 0
    rev2 = page_for(browser, live_server, second)
    rev2.goto(f"{live_server.url}/subsidies/staff/{application.pk}/")
    act(rev2, "second_approve")
    application.refresh_from_db()
    assert application.status == Status.SECOND_REVIEWED

    # 公示: gathered, published, read by the public with the name masked
    rev1.goto(f"{live_server.url}/subsidies/notices/new/")
    rev1.fill("#id_title", "2026年第3批创业补贴拟核准名单公示")
    rev1.check(f'input[name="applications"][value="{application.pk}"]')
    rev1.get_by_role("button", name="生成公示批次").click()
    rev1.wait_for_load_state()
    rev1.locator("#publish").click()
    rev1.wait_for_load_state()
    batch = NoticeBatch.objects.get()
    public = page_for(browser, live_server, None, width=390)
    public.goto(f"{live_server.url}/notices/{batch.number}/")
    assert "李*业" in public.content() and "李创业" not in public.content() and "8000" in public.content()

    # the period passes without objections; the reviewer finalises
    yesterday = datetime.date.today() - datetime.timedelta(days=1)
    NoticeBatch.objects.filter(pk=batch.pk).update(starts_on=yesterday - datetime.timedelta(days=10), ends_on=yesterday)
    rev1.goto(f"{live_server.url}/subsidies/notices/{batch.pk}/")
    rev1.locator("#finalise").click()
    rev1.wait_for_load_state()
    assert "已核准 1 份申请" in rev1.content()

    # disbursement: a batch for finance, its list filled in by finance and imported back
    rev1.goto(f"{live_server.url}/subsidies/disbursements/batches/new/")
    rev1.fill("#id_title", "2026年拨付第1批")
    rev1.check(f'input[name="applications"][value="{application.pk}"]')
    rev1.get_by_role("button", name="生成拨付批次").click()
    rev1.wait_for_load_state()
    with rev1.expect_download() as download:
        rev1.get_by_role("link", name="导出拨付清单（交财务，.xlsx）").click()
    listing = tmp_path / "拨付清单.xlsx"
    download.value.save_as(listing)
    sheet = load_workbook(listing)
    rows = list(sheet.active.iter_rows(values_only=True))
    assert rows[1][0] == application.number and rows[1][3] == 8000
    sheet.active.cell(row=2, column=5, value=datetime.date.today().isoformat())
    sheet.active.cell(row=2, column=6, value="ZF20261127000123")
    filled = tmp_path / "拨付结果.xlsx"
    sheet.save(filled)
    rev1.goto(f"{live_server.url}/subsidies/disbursements/")
    rev1.locator('input[name="file"]').set_input_files(str(filled))
    rev1.locator("#import").click()
    rev1.wait_for_load_state()
    rev1.wait_for_selector('#import-progress[data-status="done"]')
    assert "拨付 1 笔，未处理 0 行" in rev1.content()
    application.refresh_from_db()
    assert application.status == Status.DISBURSED

    me.goto(f"{live_server.url}/subsidies/{application.pk}/")
    assert "已拨付" in me.content()
    assert implementation(board, live_server, policy) == "50.0%"
