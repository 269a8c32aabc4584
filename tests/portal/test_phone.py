"""On a phone (390 px wide) the policy self-check's results come into view by themselves after
the resident submits, and the focus moves to their heading (a screen reader reads it next)."""

import pytest

from chuangfu.policies.demo import seed_policies
from tests import factories
from tests.policies.conftest import make_policy

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

IN_VIEW = """() => {
  const box = document.getElementById("results-heading").getBoundingClientRect();
  return {top: box.top, bottom: box.bottom, height: window.innerHeight, scrolled: window.scrollY,
          focused: document.activeElement.id};
}"""


@pytest.mark.parametrize("language", ["zh-CN", "en"])
def test_self_check_results_scroll_into_view_on_a_phone(browser, live_server, language):
    factories.town()
    seed_policies()  # the demo library: a long questionnaire
    make_policy(code="phone-young", title="青年创业启航补贴")  # for anyone aged 35 or under
    context = browser.new_context(locale=language, viewport={"width": 390, "height": 844}, is_mobile=True)
    page = context.new_page()
    page.goto(live_server.url + "/policy/check/")
    page.fill("[name=age]", "28")
    page.select_option("[name=residence]", "310115114")
    page.locator("form button.btn-primary").click()
    page.wait_for_load_state()
    try:  # the page scrolls smoothly (Bootstrap's scroll-behavior): wait for it to settle in view
        page.wait_for_function(f"() => {{ const s = ({IN_VIEW})(); return s.top >= -1 && s.bottom <= s.height; }}")
    except Exception:
        pass
    seen = page.evaluate(IN_VIEW)
    assert seen["focused"] == "results-heading", seen
    assert seen["top"] >= -1 and seen["bottom"] <= seen["height"], seen
    # The results sit below the long questionnaire on a phone: without scrolling they would be out of sight.
    assert seen["scrolled"] > seen["height"], seen
    assert "青年创业启航补贴" in " ".join(page.locator("#results .cf-result-eligible").all_inner_texts())
    context.close()
