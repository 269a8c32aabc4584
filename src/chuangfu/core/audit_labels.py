"""How the audit log reads in the user's language: a registry the apps contribute to.

Each app may have an ``audit_labels.py`` (found on first use, with the apps' ``workflows.py``)
that calls

    register_actions({"activities.score.submitted": _("提交评分"), ...})
    register_fields("desk.Rectification", {"opened_at": _("整改开始时间"), "content_hash": HIDDEN})

State changes need no entry: ``<machine>.<transition>`` reads as the transition's own label
from the machine declared in ``workflows.py``. Field names are the models' verbose names; a
field left with Django's automatic English name is read from its words (``accepted_by`` → 签收人,
a foreign key → its model's name); a test holds every field of every model to a Chinese label.
"""

import functools

from django.db import models
from django.utils.translation import pgettext_lazy

HIDDEN = object()  # a field the log keeps but does not show (hashes, search columns, id lists)

_ACTIONS: dict[str, str] = {}
_FIELDS: dict[tuple[str, str], object] = {}
_KEYS: dict[str, str] = {}

# The last part of an action code read as a verb, for codes no app has labelled. The context
# keeps "删除" (deleted) apart from the "删除" (delete) of a button.
VERBS = {
    "created": pgettext_lazy("audit action", "登记"),
    "changed": pgettext_lazy("audit action", "修改"),
    "deleted": pgettext_lazy("audit action", "删除"),
    "revealed": pgettext_lazy("audit action", "查看完整个人信息"),
    "imported": pgettext_lazy("audit action", "导入"),
    "person_linked": pgettext_lazy("audit action", "添加人员关系"),
    "person_unlinked": pgettext_lazy("audit action", "解除人员关系"),
}

# Words of automatic field names: ``<word>_at`` is when, ``<word>_by`` who, ``<word>_on`` the day.
_WORDS = {
    "created": pgettext_lazy("audit", "创建"),
    "updated": pgettext_lazy("audit", "更新"),
    "opened": pgettext_lazy("audit", "开始"),
    "closed": pgettext_lazy("audit", "关闭"),
    "rectified": pgettext_lazy("audit", "整改"),
    "revisited": pgettext_lazy("audit", "回访"),
    "dispatched": pgettext_lazy("audit", "派单"),
    "accepted": pgettext_lazy("audit", "签收"),
    "answered": pgettext_lazy("audit", "答复"),
    "excluded": pgettext_lazy("audit", "排除"),
    "uploaded": pgettext_lazy("audit", "上传"),
    "assigned": pgettext_lazy("audit", "指派"),
    "recorded": pgettext_lazy("audit", "记录"),
    "rated": pgettext_lazy("audit", "评价"),
    "booked": pgettext_lazy("audit", "预约"),
    "published": pgettext_lazy("audit", "发布"),
    "decided": pgettext_lazy("audit", "决定"),
    "resolved": pgettext_lazy("audit", "处理"),
    "handled": pgettext_lazy("audit", "办理"),
    "issued": pgettext_lazy("audit", "发出"),
    "reminded": pgettext_lazy("audit", "提醒"),
    "feedback_invited": pgettext_lazy("audit", "邀请评价"),
    "sent": pgettext_lazy("audit", "发送"),
    "expires": pgettext_lazy("audit", "失效"),
    "used": pgettext_lazy("audit", "使用"),
    "read": pgettext_lazy("audit", "阅读"),
    "finished": pgettext_lazy("audit", "完成"),
    "computed": pgettext_lazy("audit", "计算"),
    "submitted": pgettext_lazy("audit", "提交"),
    "extension_requested": pgettext_lazy("audit", "申请延期"),
}
_SUFFIXES = {
    "_at": pgettext_lazy("audit", "%(word)s时间"),
    "_by": pgettext_lazy("audit", "%(word)s人"),
    "_on": pgettext_lazy("audit", "%(word)s日期"),
}
_COMMON = {
    "at": pgettext_lazy("audit", "时间"),
    "note": pgettext_lazy("audit", "说明"),
    "label": pgettext_lazy("audit", "名称"),
    "action": pgettext_lazy("audit", "操作"),
    "actor": pgettext_lazy("audit", "操作人"),
    "actor_repr": pgettext_lazy("audit", "操作人"),
    "public": pgettext_lazy("audit", "公开"),
    "public_note": pgettext_lazy("audit", "公开说明"),
    "from_status": pgettext_lazy("audit", "原状态"),
    "to_status": pgettext_lazy("audit", "新状态"),
    "content_type": pgettext_lazy("audit", "文件类型"),
    "size": pgettext_lazy("audit", "大小"),
    "file": pgettext_lazy("audit", "文件"),
    "kind": pgettext_lazy("audit", "类型"),
    "due": pgettext_lazy("audit", "到期日"),
    "day": pgettext_lazy("audit", "日期"),
    "seq": pgettext_lazy("audit", "序号"),
    "ip": pgettext_lazy("audit", "IP 地址"),
    "key": pgettext_lazy("audit", "键"),
    "count": pgettext_lazy("audit", "次数"),
    "attempts": pgettext_lazy("audit", "尝试次数"),
    "error": pgettext_lazy("audit", "错误"),
    "purpose": pgettext_lazy("audit", "用途"),
    "total": pgettext_lazy("audit", "总数"),
    "done": pgettext_lazy("audit", "已完成数"),
    "message": pgettext_lazy("audit", "消息"),
    "path": HIDDEN,
    "search_text": HIDDEN,
    "name_pinyin": HIDDEN,
    "idempotency_key": HIDDEN,
    "content_hash": HIDDEN,
    "code_hash": HIDDEN,
    "qr_token": HIDDEN,
    "manage_key": HIDDEN,
    "params": HIDDEN,
    "result": HIDDEN,
    "object_id": HIDDEN,
}


def register_actions(labels: dict) -> None:
    _ACTIONS.update(labels)


def register_fields(model_label: str, labels: dict) -> None:
    """Labels for fields of one model (``"app.Model"``), or ``HIDDEN``."""
    for name, label in labels.items():
        _FIELDS[(model_label.lower(), name)] = label


def register_keys(labels: dict) -> None:
    """Labels for keys a service logs that are not fields (``{"attendance": ...}``)."""
    _KEYS.update(labels)


@functools.cache
def discover() -> None:
    from django.utils.module_loading import autodiscover_modules

    autodiscover_modules("workflows", "audit_labels")


def _machine_label(code: str) -> str | None:
    from .workflow import MACHINES

    machine_name, _sep, transition = code.rpartition(".")
    machine = MACHINES.get(machine_name)
    if machine is None or transition not in machine._by_name:
        return None
    return str(machine._by_name[transition].label)


def action_label(code: str, model: type[models.Model] | None = None) -> str:
    """ "提交评分" for ``activities.score.submitted``; a transition's label; else verb · model."""
    discover()
    if code in _ACTIONS:
        return str(_ACTIONS[code])
    label = _machine_label(code)
    if label is not None:
        return label
    verb = code.rsplit(".", 1)[-1]
    if verb not in VERBS:
        return code
    what = str(model._meta.verbose_name) if model is not None else ""
    return f"{VERBS[verb]} · {what}" if what else str(VERBS[verb])


def actions_matching(text: str) -> list[str]:
    """Registered and workflow action codes whose label contains ``text`` (for the search)."""
    from .workflow import MACHINES

    discover()
    codes = {code for code, label in _ACTIONS.items() if text in str(label)}
    for machine in MACHINES.values():
        codes |= {f"{machine.name}.{t.name}" for t in machine.transitions if text in str(t.label)}
    return sorted(codes)


def _automatic(field) -> bool:
    return str(field.verbose_name) == field.name.replace("_", " ")


def field_label(model: type[models.Model] | None, name: str):
    """The label of ``name`` on ``model``: registered, verbose name, derived, or ``HIDDEN``."""
    discover()
    if model is not None:
        registered = _FIELDS.get((model._meta.label_lower, name))
        if registered is not None:
            return registered
        try:
            field = model._meta.get_field(name)
        except Exception:  # FieldDoesNotExist: a key the service logged that is not a field
            field = None
        if field is not None and getattr(field, "verbose_name", None) and not _automatic(field):
            return field.verbose_name
        if field is not None and name.endswith("_hash"):
            return HIDDEN
        if field is not None and field.is_relation and field.related_model is not None and name not in _COMMON:
            return field.related_model._meta.verbose_name
    if name in _KEYS:
        return _KEYS[name]
    if name in _COMMON:
        return _COMMON[name]
    for suffix, template in _SUFFIXES.items():
        word = name.removesuffix(suffix)
        if name.endswith(suffix) and word in _WORDS:
            return template % {"word": _WORDS[word]}
    return name


register_actions(
    {
        "core.user.registered": pgettext_lazy("audit", "注册账号"),
        "core.user.password_reset": pgettext_lazy("audit", "通过短信重设密码"),
        "core.user.password_changed": pgettext_lazy("audit", "修改密码"),
        "core.sms_code.sent": pgettext_lazy("audit", "发送短信验证码"),
        "core.calendar_year.entered": pgettext_lazy("audit", "录入节假日安排"),
        "core.calendar_day.changed": pgettext_lazy("audit", "修改节假日/调休"),
        "core.api_token.issued": pgettext_lazy("audit", "签发接口令牌"),
        "core.api_token.revoked": pgettext_lazy("audit", "吊销接口令牌"),
    }
)
register_fields(
    "core.Job", {"input_file": pgettext_lazy("audit", "导入文件"), "output_file": pgettext_lazy("audit", "结果文件")}
)
register_fields(
    "core.TimelineEvent",
    {
        "subject_id": HIDDEN,
        "from_state": pgettext_lazy("audit", "原状态"),
        "to_state": pgettext_lazy("audit", "新状态"),
    },
)
