"""政策找人 campaigns: tell every subject on a policy's outreach list, and record who was reached
and who went on to apply.

A campaign covers one policy in one jurisdiction (a town or a village). Starting it creates the
campaign; a background job (``policies.campaign``) adds one contact per subject on the outreach
list and notifies them through ``core.notifications`` — SMS to the person's mobile (for an
enterprise: its legal representative's), and an in-app message where there is an account. A
contact counts as reached when a message went out on at least one channel; staff record phone
calls and visits by hand. Subjects without any channel are listed as "无可用联系方式".
"""

import datetime

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from chuangfu.core.audit import log_action
from chuangfu.core.errors import DomainError
from chuangfu.core.jobs import job_handler, job_start
from chuangfu.core.notifications import Message, send
from chuangfu.core.scoping import visible_jurisdiction_ids

from ..models import OutreachCampaign, OutreachContact, Policy, Target
from ..permissions import can_outreach
from ..selectors import outreach_list, version_in_force

CAMPAIGN_KIND = "policies.campaign"
BATCH = 500
DOUBLE_SUBMIT_WINDOW = datetime.timedelta(minutes=10)


def _require_outreach(actor, jurisdiction) -> None:
    if not can_outreach(actor):
        raise DomainError("forbidden", _("您没有开展政策找人的权限。"), status=403)
    ids = visible_jurisdiction_ids(actor)
    if jurisdiction is None or (ids is not None and jurisdiction.pk not in ids):
        raise DomainError("jurisdiction_out_of_scope", _("只能在本辖区开展政策找人。"), status=400)


def campaign_start(
    *, actor, policy: Policy, jurisdiction, title: str, message: str, send_sms: bool = True, send_inapp: bool = True
) -> OutreachCampaign:
    """Create the campaign and queue the job that contacts everyone on the outreach list.

    The same campaign submitted again by the same person within ten minutes is the same
    campaign (returned, not repeated), so a double click never sends anyone two messages.
    """
    _require_outreach(actor, jurisdiction)
    if not title.strip() or not message.strip():
        raise DomainError("text_required", _("请填写标题和通知内容。"))
    if not (send_sms or send_inapp):
        raise DomainError("no_channel", _("请至少选择一种通知方式。"))
    if len(message) > 300:
        raise DomainError("message_too_long", _("通知内容不超过 300 字（短信按 70 字一条计费）。"))
    version = version_in_force(policy, timezone.localdate())
    with transaction.atomic():
        Policy.objects.select_for_update().get(pk=policy.pk)  # one campaign start per policy at a time
        same = OutreachCampaign.objects.filter(
            policy=policy,
            jurisdiction=jurisdiction,
            title=title.strip(),
            message=message.strip(),
            created_by=actor,
            created_at__gte=timezone.now() - DOUBLE_SUBMIT_WINDOW,
        ).first()
        if same is not None:  # a double submit: the campaign already runs, nobody is told twice
            return same
        campaign = OutreachCampaign.objects.create(
            policy=policy,
            version=version,
            jurisdiction=jurisdiction,
            title=title.strip(),
            message=message.strip(),
            send_sms=send_sms,
            send_inapp=send_inapp,
            created_by=actor,
        )
        log_action(
            actor=actor,
            action="policies.campaign.started",
            obj=campaign,
            after={"policy": policy.code, "jurisdiction": jurisdiction.code, "title": campaign.title},
        )
        job_start(
            kind=CAMPAIGN_KIND,
            title=_("政策找人：%(title)s") % {"title": campaign.title},
            actor=actor,
            params={"campaign_id": campaign.pk},
            jurisdiction=jurisdiction,
        )
    return campaign


def _channels(campaign: OutreachCampaign, subject) -> tuple[str, Message | None]:
    """The channel a subject is reached on, and the message to send (None: no way to reach them)."""
    user = subject.account
    if campaign.policy.target == Target.ENTERPRISE:
        rep = subject.legal_representative
        mobile = rep.mobile if rep is not None else ""
    else:
        mobile = subject.mobile
    channels = []
    if campaign.send_sms and mobile:
        channels.append("sms")
    if campaign.send_inapp and user is not None:
        channels.append("inapp")
    if not channels:
        return OutreachContact.Channel.NONE, None
    link = f"/policy/{campaign.policy_id}/"
    message = Message(
        title=campaign.title,
        body=campaign.message,
        user=user if "inapp" in channels else None,
        mobile=mobile if "sms" in channels else "",
        link=link,
        channels=tuple(channels),
    )
    return (OutreachContact.Channel.SMS if "sms" in channels else OutreachContact.Channel.INAPP), message


@job_handler(CAMPAIGN_KIND)
def run_campaign(job, progress) -> dict:
    campaign = OutreachCampaign.objects.select_related("policy", "jurisdiction").get(pk=job.params["campaign_id"])
    field = "person" if campaign.policy.target == Target.PERSON else "enterprise"
    matches = outreach_list(actor=job.created_by, policy=campaign.policy, jurisdiction=campaign.jurisdiction)
    if field == "enterprise":
        matches = matches.select_related("enterprise__account", "enterprise__legal_representative")
    else:
        matches = matches.select_related("person__account")
    already = set(campaign.contacts.values_list(f"{field}_id", flat=True))
    total = matches.count()
    progress(0, total)
    reached = done = 0
    batch: list[tuple[OutreachContact, Message | None]] = []

    def flush():
        nonlocal reached
        with transaction.atomic():
            OutreachContact.objects.bulk_create([contact for contact, _m in batch], ignore_conflicts=True)
        for _contact, message in batch:
            if message is not None:
                send(message)
                reached += 1
        batch.clear()

    for match in matches.iterator(chunk_size=BATCH):
        subject = getattr(match, field)
        done += 1
        if subject.pk in already:
            continue
        channel, message = _channels(campaign, subject)
        contact = OutreachContact(
            campaign=campaign,
            channel=channel,
            **{field: subject},
            reached_at=timezone.now() if message is not None else None,
        )
        batch.append((contact, message))
        if len(batch) >= BATCH:
            flush()
            progress(done)
    flush()
    contacts = campaign.contacts.all()
    OutreachCampaign.objects.filter(pk=campaign.pk).update(
        contacts_total=contacts.count(), contacts_reached=contacts.filter(reached_at__isnull=False).count()
    )
    job.message = _("共 %(total)d 个对象，已通知 %(reached)d 个。") % {"total": total, "reached": reached}
    job.save(update_fields=["message"])
    return {"total": total, "reached": reached}


@transaction.atomic
def contact_record(
    *,
    actor,
    contact: OutreachContact,
    channel: str | None = None,
    reached: bool | None = None,
    applied_on: datetime.date | None = None,
    note: str = "",
) -> OutreachContact:
    """Record a phone call or visit (reached), or that the subject applied."""
    campaign = contact.campaign
    _require_outreach(actor, campaign.jurisdiction)
    contact = OutreachContact.objects.select_for_update().get(pk=contact.pk)
    before = {
        "channel": contact.channel,
        "reached_at": str(contact.reached_at or ""),
        "applied_on": str(contact.applied_on or ""),
        "note": contact.note,
    }
    if channel is not None:
        if channel not in OutreachContact.Channel.values:
            raise DomainError("bad_channel", _("请选择触达方式。"))
        contact.channel = channel
    if reached is not None:
        contact.reached_at = (contact.reached_at or timezone.now()) if reached else None
    if applied_on is not None:
        if applied_on > timezone.localdate():
            raise DomainError("future_date", _("申请日期不能晚于今天。"))
        contact.applied_on = applied_on
    if note:
        contact.note = note[:255]
    contact.save()
    OutreachCampaign.objects.filter(pk=campaign.pk).update(
        contacts_reached=campaign.contacts.filter(reached_at__isnull=False).count()
    )
    log_action(
        actor=actor,
        action="policies.contact.changed",
        obj=campaign,
        before=before,
        after={
            "channel": contact.channel,
            "reached_at": str(contact.reached_at or ""),
            "applied_on": str(contact.applied_on or ""),
            "note": contact.note,
            "subject": str(contact.subject),
        },
    )
    return contact


def outreach_record_application(*, policy: Policy, kind: str, subject_id: int, applied_on: datetime.date) -> int:
    """Mark the subject's contacts for ``policy`` as applied (the subsidy app calls this on submit)."""
    return OutreachContact.objects.filter(
        campaign__policy=policy, applied_on__isnull=True, **{f"{kind}_id": subject_id}
    ).update(applied_on=applied_on)
