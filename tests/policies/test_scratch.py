import datetime
import pytest
from tests import factories as f
from chuangfu.policies import rules
from chuangfu.registry.models import Enterprise

pytestmark = pytest.mark.django_db

@pytest.mark.parametrize("name", ["startup_organisation", "is_small_micro", "enterprise_granted"])
@pytest.mark.parametrize("value", [True, False])
def test_scratch(name, value):
    e = f.enterprise()
    ctx = rules.Context(on=datetime.date(2025, 6, 1), policy_code="p-a")
    cond = {"fact": name, "op": "is", "value": value}
    if name == "enterprise_granted":
        cond["args"] = {"policy": "self", "within_months": None}
    print(rules.match_rows(Enterprise, cond, ctx))
