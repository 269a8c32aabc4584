"""API shapes shared by every app's router. ``ErrorOut`` is what the one DomainError handler
in ``chuangfu.api.urls`` returns, so every endpoint documents its 4xx the same way."""

from django.utils.translation import gettext as _
from ninja import Schema


class ErrorOut(Schema):
    code: str
    message: str
    details: dict = {}


# pydantic's error types, in the user's language. ``ctx`` fills the placeholders.
_MESSAGES = {
    "missing": lambda c: _("必填。"),
    "int_parsing": lambda c: _("应为整数。"),
    "int_type": lambda c: _("应为整数。"),
    "int_from_float": lambda c: _("应为整数。"),
    "float_parsing": lambda c: _("应为数字。"),
    "float_type": lambda c: _("应为数字。"),
    "finite_number": lambda c: _("应为有限的数字。"),
    "decimal_parsing": lambda c: _("应为数字。"),
    "decimal_type": lambda c: _("应为数字。"),
    "decimal_max_digits": lambda c: _("数字最多 %(n)s 位。") % {"n": c.get("max_digits")},
    "decimal_max_places": lambda c: _("最多保留 %(n)s 位小数。") % {"n": c.get("decimal_places")},
    "decimal_whole_digits": lambda c: _("整数部分位数过多。"),
    "greater_than": lambda c: _("应大于 %(v)s。") % {"v": c.get("gt")},
    "greater_than_equal": lambda c: _("不能小于 %(v)s。") % {"v": c.get("ge")},
    "less_than": lambda c: _("应小于 %(v)s。") % {"v": c.get("lt")},
    "less_than_equal": lambda c: _("不能大于 %(v)s。") % {"v": c.get("le")},
    "date_range": lambda c: _("日期应在 %(min)s 到 %(max)s 之间。") % c,
    "date_parsing": lambda c: _("应为日期，如 2026-03-05。"),
    "date_from_datetime_parsing": lambda c: _("应为日期，如 2026-03-05。"),
    "date_from_datetime_inexact": lambda c: _("应为日期，如 2026-03-05。"),
    "date_type": lambda c: _("应为日期，如 2026-03-05。"),
    "datetime_parsing": lambda c: _("应为日期时间，如 2026-03-05T09:30:00+08:00。"),
    "datetime_from_date_parsing": lambda c: _("应为日期时间，如 2026-03-05T09:30:00+08:00。"),
    "datetime_type": lambda c: _("应为日期时间，如 2026-03-05T09:30:00+08:00。"),
    "bool_parsing": lambda c: _("应为 true 或 false。"),
    "bool_type": lambda c: _("应为 true 或 false。"),
    "string_type": lambda c: _("应为文本。"),
    "string_too_long": lambda c: _("最多 %(n)s 个字。") % {"n": c.get("max_length")},
    "string_too_short": lambda c: _("至少 %(n)s 个字。") % {"n": c.get("min_length")},
    "list_type": lambda c: _("应为列表。"),
    "dict_type": lambda c: _("应为对象。"),
    "model_attributes_type": lambda c: _("应为对象。"),
    "literal_error": lambda c: _("取值应为 %(v)s 之一。") % {"v": c.get("expected")},
    "enum": lambda c: _("取值应为 %(v)s 之一。") % {"v": c.get("expected")},
    "json_invalid": lambda c: _("请求内容不是有效的 JSON。"),
    "extra_forbidden": lambda c: _("不接受这个字段。"),
}


def validation_message(error: dict) -> str:
    """One pydantic error as a sentence in the user's language."""
    describe = _MESSAGES.get(error.get("type", ""))
    return str(describe(error.get("ctx") or {})) if describe else _("取值无效。")


def validation_error_body(errors: list[dict]) -> dict:
    """The ``ErrorOut`` body of a 422: every field's messages, and all of them in ``message``."""
    fields: dict[str, list[str]] = {}
    for error in errors:
        loc = [str(part) for part in error.get("loc", ()) if part not in ("body", "query", "path", "payload", "form")]
        name = ".".join(loc) or "request"
        fields.setdefault(name, []).append(validation_message(error))
    message = "；".join(f"{name}：{' '.join(msgs)}" for name, msgs in fields.items())
    return {"code": "invalid", "message": message, "details": {"fields": fields}}
