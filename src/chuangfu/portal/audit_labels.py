"""How this app's audit entries read (``core.audit_labels``)."""

from django.utils.translation import pgettext_lazy

from chuangfu.core.audit_labels import register_actions

register_actions(
    {
        "portal.article.saved": pgettext_lazy("audit", "保存新闻稿"),
        "portal.case.nominated": pgettext_lazy("audit", "推荐典型案例"),
        "portal.case.nomination_result": pgettext_lazy("audit", "记录案例推荐结果"),
        "portal.case.saved": pgettext_lazy("audit", "保存典型案例"),
        "portal.dataset.saved": pgettext_lazy("audit", "保存开放数据集"),
    }
)
