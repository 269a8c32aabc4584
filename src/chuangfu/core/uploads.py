"""Uploaded files: the type is read from the file's content (``filetype``), never trusted from
its name or the browser; empty and oversized files are refused with the file's name.

Kinds group the accepted types: ``image`` (JPG, PNG, GIF, WEBP, HEIC, BMP), ``pdf`` and ``office``
(Word, Excel, PowerPoint, OpenDocument). The desk accepts all three; a subsidy material names its own.
"""

import filetype
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

MAX_BYTES = 10 * 1024 * 1024
KINDS = {
    "image": (gettext_lazy("图片"), frozenset({"jpg", "png", "gif", "webp", "heic", "bmp"})),
    "pdf": (gettext_lazy("PDF"), frozenset({"pdf"})),
    "office": (
        gettext_lazy("Office 文档"),
        frozenset({"doc", "docx", "xls", "xlsx", "ppt", "pptx", "odt", "ods", "odp"}),
    ),
}
ALL_KINDS = tuple(KINDS)


def extensions(kinds) -> frozenset:
    return frozenset().union(*(KINDS[k][1] for k in kinds if k in KINDS))


def kinds_label(kinds) -> str:
    return "、".join(str(KINDS[k][0]) for k in kinds if k in KINDS)


def check_upload(upload, *, kinds=ALL_KINDS) -> str:
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
    if kind is None or kind.extension not in extensions(kinds):
        if set(kinds) == set(ALL_KINDS):
            message = _("文件“%(name)s”的类型不允许：只接受图片（JPG、PNG、GIF、WEBP、HEIC）、PDF 和 Office 文档。")
        else:
            message = _("文件“%(name)s”的类型不允许：只接受%(kinds)s。")
        raise ValidationError(message % {"name": name, "kinds": kinds_label(kinds)}, code="type")
    return kind.mime
