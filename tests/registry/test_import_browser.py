"""The import journey in a real browser: upload a messy export → read the dry run → confirm →
watch it finish. Skipped loudly without Chromium (a failure under CI=true), as every browser test."""

import pytest

from chuangfu.core.models import Role
from chuangfu.registry.models import Enterprise
from tests import factories as f
from tests.browser import context_for

from .test_import import enterprise_file, row

# serialized_rollback: an earlier transactional test flushes the seeded towns; this restores them.
pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def test_upload_check_confirm_and_see_the_result(browser, live_server, tmp_path):
    path = tmp_path / "唐镇企业名录.xlsx"
    path.write_bytes(enterprise_file(row(1), row(2), row(3, founded="2021-02-30")).getvalue())
    staff = f.user(Role.DESK_STAFF, jurisdiction=f.town())
    page = context_for(browser, live_server, staff, width=420).new_page()
    page.set_viewport_size({"width": 1280, "height": 900})

    page.goto(f"{live_server.url}/registry/import/")
    page.set_input_files("input[name=file]", str(path))
    page.get_by_role("button", name="上传并检查").click()
    page.wait_for_selector("text=导入检查结果")
    assert "2021 年 2 月没有 30 日" in page.content()
    assert Enterprise.objects.count() == 0

    page.get_by_role("button", name="确认导入（写入 2 条）").click()
    page.wait_for_selector("text=导入完成")
    assert "新增 2" in page.content()
    assert Enterprise.objects.count() == 2
