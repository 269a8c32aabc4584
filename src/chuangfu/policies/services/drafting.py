"""Drafting a town's own policy: 征求意见 → 审定 → 印发 (see ``models.drafting``).

A draft version of a town-level policy goes to the member units chosen by the office, with a reply
deadline; each unit's liaison comments clause by clause and says when the unit has finished (or has
no comments); the office answers every comment (采纳 / 部分采纳 / 不采纳, with the reason). To change
the text the office takes the version back to draft, which closes the round; the next round sends the
new text. The leadership approves a round once every comment is answered and every unit has replied
(or the deadline has passed); the office then issues the version with its 文号, which publishes it as
any version is published. Every state change goes through ``core.workflow.fire`` (``workflows.VERSION``).
"""

import datetime
import re
from collections.abc import Iterable

from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from chuangfu.core.audit import log_action
from chuangfu.core.models import Role, Unit, User
from chuangfu.core.notifications import Message, send_on_commit
from chuangfu.core.workflow import fire

from ..models import Adoption, ClauseComment, Consultation, ConsultationReply, Policy, PolicyVersion
from ..permissions import can_edit_policy
from ..workflows import VERSION
from .library import _refuse, publish_checked

# 发文机关代字〔年份〕序号号 (GB/T 9704-2012 7.2.4); square or round brackets are taken for 〔〕.
DOCUMENT_NUMBER = re.compile(
    r"^(?P<prefix>[^\s〔〕\[\]()（）]{1,30})[〔\[(（](?P<year>\d{4})[〕\])）](?P<serial>\d{1,4})号$"
)


def normalise_document_number(value: str) -> str:
    """``唐府规[2026]3号`` → ``唐府规〔2026〕3号``; a value that is no 文号 is refused."""
    found = DOCUMENT_NUMBER.match((value or "").strip())
    if not found:
        _refuse(
            "document_number_invalid",
            _("文号应为“发文机关代字〔年份〕序号号”，如：唐府规〔2026〕3号。"),
            "document_number",
        )
    return f"{found['prefix']}〔{found['year']}〕{int(found['serial'])}号"


def _open_round(version: PolicyVersion) -> Consultation | None:
    return version.consultations.filter(closed_at__isnull=True).order_by("-number").first()


def _liaison_unit(actor, consultation: Consultation) -> Unit:
    """The actor's unit, when it is one the round asks; otherwise the round is not theirs."""
    if getattr(actor, "role", None) != Role.UNIT_LIAISON or actor.unit_id is None:
        _refuse("forbidden", _("只有征求意见单位的联络员可以反馈意见。"), status=403)
    if not consultation.units.filter(pk=actor.unit_id).exists():
        _refuse("forbidden", _("本轮征求意见没有征求您所在单位的意见。"), status=403)
    return actor.unit


def _require_open(consultation: Consultation) -> None:
    if not consultation.is_open:
        _refuse("consultation_closed", _("本轮征求意见已结束，不能再反馈或答复。"), status=409)


def _liaisons(units: Iterable[Unit]) -> list[User]:
    return list(User.objects.filter(role=Role.UNIT_LIAISON, unit__in=list(units), is_active=True))


def consultation_open(*, actor, version: PolicyVersion, units: Iterable[Unit], due_on: datetime.date) -> Consultation:
    """Send the draft to ``units`` for comments by ``due_on``: a new round with the text as it is now."""
    reason = VERSION.refusal(version, VERSION.transition("consult"), actor)
    if reason:  # the more basic refusal (not a town's own draft, not the actor's policy) before the form's
        _refuse("transition_refused", reason, status=409)
    units = list(units)
    if not units:
        _refuse("units_required", _("请至少选择一个征求意见单位。"), "units")
    if due_on is None or due_on < timezone.localdate():
        _refuse("due_in_past", _("反馈截止日期不能早于今天。"), "due_on")
    town = version.policy.jurisdiction
    if any(u.jurisdiction_id != town.pk or not u.active for u in units):
        _refuse("unit_out_of_scope", _("只能征求本镇成员单位的意见。"), "units")
    if not version.full_text.strip():
        _refuse("text_required", _("请先填写政策原文：各单位按条款反馈意见。"), "full_text")
    created = {}

    def start_round(saved):
        number = (saved.consultations.order_by("-number").values_list("number", flat=True).first() or 0) + 1
        consultation = Consultation.objects.create(
            version=saved, number=number, summary=saved.summary, full_text=saved.full_text, due_on=due_on,
            opened_by=actor,
        )  # fmt: skip
        consultation.units.set(units)
        created["round"] = consultation

    fire(VERSION, version, "consult", actor=actor, after=start_round, audit_extra={"units": [u.name for u in units]})
    consultation = created["round"]
    link = reverse("policies:consultation", args=[consultation.pk])
    for liaison in _liaisons(units):
        send_on_commit(Message(
            title=_("征求意见：%(title)s") % {"title": version.policy.title},
            body=_("请于 %(due)s 前按条款反馈意见（无意见也请反馈）。") % {"due": due_on.isoformat()},
            user=liaison, link=link,
        ))  # fmt: skip
    return consultation


@transaction.atomic
def comment_add(*, actor, consultation: Consultation, clause: int | None, text: str) -> ClauseComment:
    """A unit's comment on clause ``clause`` (1-based; None: the whole text) of the round's text."""
    consultation = Consultation.objects.select_for_update().get(pk=consultation.pk)
    _require_open(consultation)
    unit = _liaison_unit(actor, consultation)
    text = (text or "").strip()
    if not text:
        _refuse("text_required", _("请填写意见。"), "text")
    if clause is not None and not 1 <= clause <= len(consultation.clauses):
        _refuse(
            "clause_unknown",
            _("征求意见稿共 %(n)d 条，没有第 %(c)d 条。") % {"n": len(consultation.clauses), "c": clause},
            "clause",
        )
    if consultation.replies.filter(unit=unit).exists():
        _refuse("already_replied", _("本单位已反馈完毕，不能再添加意见。"), status=409)
    if consultation.comments.filter(unit=unit, clause=clause, text=text).exists():
        _refuse("duplicate_comment", _("这条意见已经提交过了。"), status=409)
    comment = ClauseComment.objects.create(consultation=consultation, unit=unit, clause=clause, text=text, author=actor)
    log_action(
        actor=actor, action="policies.consultation.commented", obj=consultation.version.policy,
        after={"round": consultation.number, "unit": unit.name, "clause": clause, "text": text},
    )  # fmt: skip
    return comment


@transaction.atomic
def consultation_reply(*, actor, consultation: Consultation, no_comment: bool) -> ConsultationReply:
    """The unit has finished replying: with the comments it made, or 无意见 when it made none."""
    consultation = Consultation.objects.select_for_update().get(pk=consultation.pk)
    _require_open(consultation)
    unit = _liaison_unit(actor, consultation)
    has_comments = consultation.comments.filter(unit=unit).exists()
    if no_comment and has_comments:
        _refuse("has_comments", _("本单位已提交意见，请选择“反馈完毕”。"), status=409)
    if not no_comment and not has_comments:
        _refuse("no_comments", _("本单位尚未提交意见；没有意见请选择“无意见”。"), status=409)
    try:
        with transaction.atomic():
            reply = ConsultationReply.objects.create(
                consultation=consultation, unit=unit, no_comment=no_comment, replied_by=actor
            )
    except IntegrityError:
        _refuse("already_replied", _("本单位已反馈过了。"), status=409)
    log_action(
        actor=actor, action="policies.consultation.replied", obj=consultation.version.policy,
        after={"round": consultation.number, "unit": unit.name, "no_comment": no_comment},
    )  # fmt: skip
    return reply


@transaction.atomic
def comment_respond(*, actor, comment: ClauseComment, adoption: str, response: str) -> ClauseComment:
    """The office's answer to a comment: adopted, partly adopted or declined (the last two with a reason)."""
    comment = (
        ClauseComment.objects.select_for_update().select_related("consultation__version__policy").get(pk=comment.pk)
    )
    consultation = comment.consultation
    if not can_edit_policy(actor, consultation.version.policy):
        _refuse("forbidden", _("您没有维护这项政策的权限。"), status=403)
    _require_open(consultation)
    if adoption not in (Adoption.ADOPTED, Adoption.PARTLY, Adoption.DECLINED):
        _refuse("adoption_required", _("请选择采纳情况。"), "adoption")
    response = (response or "").strip()
    if adoption != Adoption.ADOPTED and not response:
        _refuse("reason_required", _("部分采纳或不采纳时请说明理由。"), "response")
    before = {"adoption": comment.adoption, "response": comment.response}
    comment.adoption, comment.response = adoption, response
    comment.responded_by, comment.responded_at = actor, timezone.now()
    comment.save(update_fields=["adoption", "response", "responded_by", "responded_at"])
    log_action(
        actor=actor, action="policies.consultation.answered", obj=consultation.version.policy, before=before,
        after={"round": consultation.number, "unit": comment.unit.name, "adoption": adoption, "response": response},
    )  # fmt: skip
    return comment


def _close(consultation: Consultation):
    def close(saved):
        Consultation.objects.filter(pk=consultation.pk, closed_at__isnull=True).update(closed_at=timezone.now())

    return close


def version_revise(*, actor, consultation: Consultation) -> PolicyVersion:
    """Take the version back to draft to change its text; the round ends (its text and comments stay)."""
    return fire(VERSION, consultation.version, "revise", actor=actor, after=_close(consultation))


def version_approve(*, actor, consultation: Consultation) -> PolicyVersion:
    """The leadership approves the round's text (审定); the round ends."""
    return fire(
        VERSION, consultation.version, "approve", actor=actor,
        changes={"approved_at": timezone.now(), "approved_by": actor}, after=_close(consultation),
    )  # fmt: skip


def version_issue(*, actor, version: PolicyVersion, document_number: str, issued_on: datetime.date) -> PolicyVersion:
    """Issue the approved version with its 文号 (印发): it is published, and the policy carries the 文号."""
    number = normalise_document_number(document_number)
    if issued_on is None:
        _refuse("issued_on_required", _("请填写印发日期。"), "issued_on")
    if issued_on > timezone.localdate():
        _refuse("issued_in_future", _("印发日期不能晚于今天。"), "issued_on")
    policy = version.policy
    clash = PolicyVersion.objects.filter(issued_number=number).exclude(pk=version.pk).select_related("policy").first()
    if clash is not None or Policy.objects.filter(document_number=number).exclude(pk=policy.pk).exists():
        _refuse("document_number_taken", _("文号“%(n)s”已被使用。") % {"n": number}, "document_number", status=409)
    return publish_checked(
        actor=actor, version=version, transition="issue",
        changes={"issued_number": number, "issued_on": issued_on},
        policy_changes={"document_number": number},
    )  # fmt: skip
