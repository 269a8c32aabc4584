"""Applications brought to 复审通过 (or further) through the declared transitions, for the 公示 and
拨付 tests. The submission and review services have their own tests; here each step is one
``fire`` with the actor the table requires, so the guards (separation of duties) still apply."""

import datetime
import io
import itertools
from decimal import Decimal

from openpyxl import Workbook

from chuangfu.core.models import Role
from chuangfu.core.workflow import fire
from chuangfu.subsidies.models import Application, ApplicationCounter
from chuangfu.subsidies.workflows import APPLICATION
from tests import factories as f

from .conftest import draft

_mobiles = itertools.count(20_000_000)


def applicant_account(name="李创业", jurisdiction=None):
    """An entrepreneur account with its own person in the registry."""
    account = f.user(role=Role.ENTREPRENEUR, mobile=f"137{next(_mobiles):08d}")
    f.person(name=name, account=account, jurisdiction=jurisdiction, birth_date=datetime.date(1995, 6, 1))
    return account


def second_reviewed(policy, account, reviewer, reviewer2, *, amount=Decimal("5000"), period="") -> Application:
    """A submitted, accepted, first- and second-reviewed application."""
    application = draft(policy, account, period=period, computed_amount=amount)
    today = datetime.date.today()
    fire(
        APPLICATION,
        application,
        "submit",
        actor=account,
        changes={"number": ApplicationCounter.next_number(today), "submitted_by": account, "submitted_on": today},
    )
    fire(APPLICATION, application, "accept", actor=reviewer)
    fire(APPLICATION, application, "first_approve", actor=reviewer, changes={"first_reviewer": reviewer})
    return fire(APPLICATION, application, "second_approve", actor=reviewer2, changes={"second_reviewer": reviewer2})


def finance_sheet(
    rows, header=("申请编号", "收款人", "拨付金额", "拨付日期", "支付凭证号"), title="拨付结果"
) -> io.BytesIO:
    """Finance's .xlsx as it comes: a title line above the header, then one row per payment."""
    wb = Workbook()
    ws = wb.active
    ws.append([title])
    ws.append(list(header))
    for row in rows:
        ws.append(list(row))
    out = io.BytesIO()
    wb.save(out)
    out.seek(0)
    out.name = "拨付结果.xlsx"
    return out
