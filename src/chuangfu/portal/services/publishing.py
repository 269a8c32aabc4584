"""Model cases and articles: written as drafts, then through the publication machine.

Text is sanitised (``core.richtext``) when saved, images are checked by their content, and a
record can be edited only as a draft: once submitted, the words that were reviewed are the words
that are published. Publishing an article with a future ``publish_at`` schedules it: the public
sees it from that moment.
"""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from chuangfu.core.audit import log_action, snapshot
from chuangfu.core.errors import DomainError
from chuangfu.core.richtext import sanitize
from chuangfu.core.uploads import check_upload
from chuangfu.core.workflow import fire

from ..models import Article, Case, CaseNomination, Publication
from ..workflows import ARTICLE, CASE, EDITORS, PUBLISHERS

CASE_FIELDS = [
    "jurisdiction", "title", "summary", "story", "theme", "person", "enterprise", "photo_alt", "jobs_created",
    "revenue_band", "policies_used", "consent_on", "consent_note",
]  # fmt: skip
ARTICLE_FIELDS = ["jurisdiction", "kind", "title", "summary", "body", "cover_alt", "source", "publish_at"]


def _require(actor, roles):
    if not (actor.is_superuser or actor.role in roles):
        raise DomainError("forbidden", _("您的角色不能执行此操作。"), status=403)


def _check_image(upload):
    if upload:
        check_upload(upload, kinds=("image",))
        from PIL import Image

        try:
            with Image.open(upload) as image:
                image.verify()
        except Exception:
            raise ValidationError(_("文件“%(name)s”不是有效的图片。") % {"name": upload.name}) from None
        finally:
            upload.seek(0)


def _save(obj, *, actor, data: dict, fields: list[str], files: dict, action: str):
    if obj.pk and obj.status != Publication.DRAFT:
        raise DomainError("not_draft", _("只有草稿可以修改；已送审或已发布的内容请先退回或撤回。"), status=409)
    for name, upload in files.items():
        if name == "consent_file":
            check_upload(upload, kinds=("pdf", "image"))
        else:
            _check_image(upload)
    before = snapshot(obj, fields=fields) if obj.pk else None
    for name in fields:
        if name in data:
            setattr(obj, name, data[name])
    for text_field in ("story", "body"):
        if hasattr(obj, text_field):
            setattr(obj, text_field, sanitize(getattr(obj, text_field)))
    if not obj.pk:
        obj.created_by = actor
    obj.full_clean(exclude=["created_by", "photo", "cover", "consent_file"])
    with transaction.atomic():
        obj.save()
        for name, upload in files.items():
            if upload:
                getattr(obj, name).save(upload.name, upload, save=True)
        log_action(actor=actor, action=action, obj=obj, before=before, after=snapshot(obj, fields=fields))
    return obj


def case_save(*, actor, case: Case | None = None, data: dict, files: dict | None = None) -> Case:
    """Create a model case or change a draft. The subject must be a person or an enterprise of the registry."""
    _require(actor, EDITORS)
    if not (data.get("person") or data.get("enterprise")) and not (case and (case.person_id or case.enterprise_id)):
        raise ValidationError({"person": _("请选择典型对应的创业者或企业。")})
    return _save(
        case or Case(),
        actor=actor,
        data=data,
        fields=CASE_FIELDS,
        files={k: v for k, v in (files or {}).items() if k in ("photo", "consent_file")},
        action="portal.case.saved",
    )


def article_save(*, actor, article: Article | None = None, data: dict, files: dict | None = None) -> Article:
    _require(actor, EDITORS)
    return _save(
        article or Article(),
        actor=actor,
        data=data,
        fields=ARTICLE_FIELDS,
        files={k: v for k, v in (files or {}).items() if k == "cover"},
        action="portal.article.saved",
    )


def _publication_changes(obj, name: str, note: str) -> dict:
    now = timezone.now()
    if name == "publish":
        scheduled = getattr(obj, "publish_at", None)
        return {"published_at": scheduled if scheduled and scheduled > now else now, "withdrawn_at": None}
    if name == "withdraw":
        return {"withdrawn_at": now, "withdraw_reason": note.strip()[:200]}
    if name == "revise":
        return {"published_at": None, "withdrawn_at": None, "withdraw_reason": ""}
    return {}


def case_transition(*, actor, case: Case, name: str, note: str = "") -> Case:
    return fire(CASE, case, name, actor=actor, note=note, changes=_publication_changes(case, name, note))


def article_transition(*, actor, article: Article, name: str, note: str = "") -> Article:
    return fire(ARTICLE, article, name, actor=actor, note=note, changes=_publication_changes(article, name, note))


def nomination_create(*, actor, case: Case, data: dict) -> CaseNomination:
    """Put a published case forward to a district or city selection (once per selection)."""
    _require(actor, PUBLISHERS)
    if case.status != Publication.PUBLISHED:
        raise DomainError("not_published", _("只有已发布的典型可以推荐参评。"), status=409)
    nomination = CaseNomination(case=case, created_by=actor, **data)
    nomination.full_clean(exclude=["created_by"])
    with transaction.atomic():
        nomination.save()
        log_action(actor=actor, action="portal.case.nominated", obj=case, after=snapshot(nomination, fields=list(data)))
    return nomination


def nomination_record_result(*, actor, nomination: CaseNomination, result: str, result_on, note: str = ""):
    _require(actor, PUBLISHERS)
    if result not in CaseNomination.Result.values or result == CaseNomination.Result.PENDING:
        raise ValidationError({"result": _("请选择评选结果。")})
    before = snapshot(nomination, fields=["result", "result_on", "note"])
    nomination.result, nomination.result_on, nomination.note = result, result_on, note[:200]
    nomination.full_clean(exclude=["created_by"])
    with transaction.atomic():
        nomination.save(update_fields=["result", "result_on", "note"])
        log_action(
            actor=actor,
            action="portal.case.nomination_result",
            obj=nomination.case,
            before=before,
            after=snapshot(nomination, fields=["result", "result_on", "note"]),
        )
    return nomination
