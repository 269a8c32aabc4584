"""Attachments: at most five files of at most 10 MB, images, PDF or Office documents
(``core.uploads`` reads the type from the content)."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from chuangfu.core.uploads import MAX_BYTES, check_upload

MAX_FILES = 5

__all__ = ["MAX_BYTES", "MAX_FILES", "check_upload", "check_uploads"]


def check_uploads(uploads) -> list[str]:
    uploads = [u for u in uploads if u]
    if len(uploads) > MAX_FILES:
        raise ValidationError(_("最多上传 %(n)d 个附件。") % {"n": MAX_FILES}, code="count")
    return [check_upload(u) for u in uploads]
