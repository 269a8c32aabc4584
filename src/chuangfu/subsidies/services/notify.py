"""Who hears about what: the applicant at every step (in-app and SMS, with the reasons), reviewers
about their deadlines. Everything goes through ``core.notifications.send_on_commit``."""

from django.urls import reverse
from django.utils.translation import gettext as _

from chuangfu.core.models import Role, User
from chuangfu.core.notifications import Message, send_on_commit

from ..workflows import is_automatic


def applicant_link(application) -> str:
    return reverse("subsidies:my_detail", args=[application.pk])


def staff_link(application) -> str:
    return reverse("subsidies:staff_detail", args=[application.pk])


def applicant_accounts(application) -> list[User]:
    """The subject's own account and the entrepreneur who filled the application in (``application``
    may be an imported ``policies.Grant``: its subject's account)."""
    users = {}
    subject = application.subject
    if subject.account_id:
        users[subject.account_id] = subject.account
    creator = application.created_by  # an imported grant's: the staff member who imported the list
    if creator is not None and creator.role == Role.ENTREPRENEUR:
        users[creator.pk] = creator
    return list(users.values())


def applicant_mobile(application) -> str:
    subject = application.subject
    if application.person_id:
        return subject.mobile
    rep = subject.legal_representative
    return rep.mobile if rep is not None and rep.mobile else ""


def to_applicant(application, *, title: str, body: str, link: str = "") -> None:
    """In-app to every applicant account, and one SMS to the subject's mobile (or an account's);
    the message links to ``link`` (default: the application's page)."""
    accounts = applicant_accounts(application)
    link = link or applicant_link(application)
    for user in accounts:
        send_on_commit(Message(title=title, body=body, user=user, link=link, channels=("inapp",)))
    mobile = applicant_mobile(application) or next((u.mobile for u in accounts if u.mobile), "")
    if mobile:
        send_on_commit(Message(title=title, body=body, mobile=mobile, link=link, channels=("sms",)))


def applicant_told(title: str, body: str):
    """An ``after`` for ``core.workflow.fire``: tell the applicant once the transition is saved."""
    return lambda application: to_applicant(application, title=title, body=body)


def in_notice_message(application, period: str) -> tuple[str, str]:
    """(title, body) telling the applicant their application is in a 公示 — or, for a 免申即享 grant,
    the beneficiary that they qualify without applying."""
    values = {
        "number": application.number,
        "policy": application.policy.title,
        "amount": application.amount,
        "period": period,
    }
    if is_automatic(application):
        return _("免申即享：拟发放名单公示"), _(
            "您符合“%(policy)s”免申即享条件，无需申请，拟发放 %(amount)s 元（编号 %(number)s），"
            "现予公示，公示期 %(period)s；公示期满无异议后发放。"
        ) % values
    return _("补贴申请进入公示"), _(
        "您的申请 %(number)s（%(policy)s，%(amount)s 元）已公示，公示期 %(period)s。"
    ) % values


def approved_message(application, amount) -> tuple[str, str]:
    """(title, body) when the 公示 ended without an upheld objection."""
    values = {"number": application.number, "policy": application.policy.title, "amount": amount}
    if is_automatic(application):
        return _("免申即享补贴已核准"), _(
            "您的免申即享补贴（%(policy)s，编号 %(number)s）公示期满无异议，已核准 %(amount)s 元，等待发放。"
        ) % values
    return _("补贴申请已核准"), _("您的申请 %(number)s 公示期满无异议，已核准 %(amount)s 元，等待拨付。") % values


def paid_message(application, amount, paid_on) -> tuple[str, str]:
    """(title, body) when the payment is recorded."""
    values = {"number": application.number, "policy": application.policy.title, "amount": amount}
    values["date"] = paid_on.isoformat()
    if is_automatic(application):
        return _("补贴已拨付"), _(
            "您的免申即享补贴（%(policy)s，编号 %(number)s）%(amount)s 元已于 %(date)s 发放，请注意查收。"
        ) % values
    return _("补贴已拨付"), _("您的申请 %(number)s 的补贴 %(amount)s 元已于 %(date)s 拨付，请注意查收。") % values


def to_staff(users, *, title: str, body: str, link: str = "") -> None:
    for user in {u.pk: u for u in users}.values():
        send_on_commit(Message(title=title, body=body, user=user, link=link, channels=("inapp", "email")))
