"""How this app's audit entries read (``core.audit_labels``)."""

from django.utils.translation import pgettext_lazy

from chuangfu.core.audit_labels import register_actions

register_actions(
    {
        "ecosystem.carrier.photo_added": pgettext_lazy("audit", "上传载体照片"),
        "ecosystem.carrier.site_changed": pgettext_lazy("audit", "修改载体位置与开放信息"),
        "ecosystem.carrier_change.submitted": pgettext_lazy("audit", "提交载体信息变更"),
    }
)
