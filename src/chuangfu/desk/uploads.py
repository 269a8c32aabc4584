"""Attachments: at most five files of at most 10 MB, images, PDF or Office documents — the type
is read from the file's content (``filetype``), never trusted from its name or the browser."""
import filetype
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

MAX_FILES = 5
MAX_BYTES = 10 * 1024 * 1024
ALLOWED_EXTENSIONS = frozenset({
    "jpg", "png", "gif", "webp", "heic", "bmp", "pdf",
    "doc", "docx", "xls", "xlsx", "ppt", "pptx", "odt", "ods", "odp",
})


def check_upload(upload) -> str:
    """The content type of ``upload`` when it is acceptable; ``ValidationError`` otherwise."""
    name = getattr(upload, "name", "") or _("附件")
    if not upload.size:
        raise ValidationError(_("文件“%(name)s”是空的。") % {"name": name}, code="empty")
    if upload.size > MAX_BYTES:
        raise ValidationError(
            _("文件“%(name)s”超过 10 MB（%(mb).1f MB）。") % {"name": name, "mb": upload.size / 1024 / 1024},
            code="size",
        )
    upload.seek(0)
    head = upload.read(8192)
    upload.seek(0)
    kind = filetype.guess(head)
    if kind is None or kind.extension not in ALLOWED_EXTENSIONS:
        raise ValidationError(
            _("文件“%(name)s”的类型不允许：只接受图片（JPG、PNG、GIF、WEBP、HEIC）、PDF 和 Office 文档。") % {"name": name},
            code="type",
        )
    return kind.mime


def check_uploads(uploads) -> list[str]:
    uploads = [u for u in uploads if u]
    if len(uploads) > MAX_FILES:
        raise ValidationError(_("最多上传 %(n)d 个附件。") % {"n": MAX_FILES}, code="count")
    return [check_upload(u) for u in uploads]
