"""The office's annotations and documents on the 定性 evidence packs."""

from django.db import transaction

from chuangfu.core.audit import log_action
from chuangfu.core.uploads import check_upload

from ..models import EvidenceDocument, EvidencePack
from .schemes import TARGET_SETTERS, _require


def evidence_pack_save(*, actor, jurisdiction, year: int, dimension: str, self_assessment: str) -> EvidencePack:
    _require(actor, TARGET_SETTERS)
    with transaction.atomic():
        pack, _created = EvidencePack.objects.get_or_create(jurisdiction=jurisdiction, year=year, dimension=dimension)
        pack.self_assessment = self_assessment[:5000]
        pack.updated_by = actor
        pack.full_clean()
        pack.save()
        log_action(actor=actor, action="indicators.evidence.saved", obj=pack, jurisdiction=jurisdiction)
    return pack


def evidence_document_add(*, actor, pack: EvidencePack, title: str, upload) -> EvidenceDocument:
    _require(actor, TARGET_SETTERS)
    check_upload(upload, kinds=("pdf", "image", "office"))
    document = EvidenceDocument(pack=pack, title=title[:120], uploaded_by=actor)
    document.full_clean(exclude=["file"])
    with transaction.atomic():
        document.file.save(upload.name, upload, save=True)
        log_action(actor=actor, action="indicators.evidence.document_added", obj=pack, jurisdiction=pack.jurisdiction)
    return document
