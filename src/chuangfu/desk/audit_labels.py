"""How this app's audit entries read (``core.audit_labels``)."""

from django.utils.translation import pgettext_lazy

from chuangfu.core.audit_labels import register_actions

register_actions(
    {
        "desk.ticket.created": pgettext_lazy("audit", "登记工单"),
        "desk.ticket.exported": pgettext_lazy("audit", "导出工单"),
        "desk.ticket.mobile_viewed": pgettext_lazy("audit", "查看诉求人完整手机号"),
        "desk.rating.created": pgettext_lazy("audit", "评价服务"),
        "desk.rating.excluded": pgettext_lazy("audit", "排除评价"),
        "desk.rectification.opened": pgettext_lazy("audit", "启动差评整改"),
        "desk.rectification.rectified": pgettext_lazy("audit", "完成整改"),
    }
)
