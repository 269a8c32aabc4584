"""How this app's audit entries read (``core.audit_labels``)."""

from django.utils.translation import pgettext_lazy

from chuangfu.core.audit_labels import HIDDEN, register_actions, register_fields

register_actions(
    {
        "indicators.dossier.generated": pgettext_lazy("audit", "生成评估报告"),
        "indicators.evidence.document_added": pgettext_lazy("audit", "添加佐证材料"),
        "indicators.evidence.saved": pgettext_lazy("audit", "保存佐证说明"),
        "indicators.indicator.saved": pgettext_lazy("audit", "保存指标"),
        "indicators.snapshot.submitted": pgettext_lazy("audit", "提交指标快照"),
        "indicators.target.set": pgettext_lazy("audit", "设定目标值"),
        "indicators.survey.closed": pgettext_lazy("audit", "结束满意度调查"),
        "indicators.survey.opened": pgettext_lazy("audit", "开始满意度调查"),
    }
)

register_fields(
    "indicators.Value",
    {
        "period_start": pgettext_lazy("audit", "期间起"),
        "period_end": pgettext_lazy("audit", "期间止"),
        "numerator": pgettext_lazy("audit", "分子"),
        "denominator": pgettext_lazy("audit", "分母"),
        "value": pgettext_lazy("audit", "值"),
    },
)
register_fields("indicators.Snapshot", {"data": HIDDEN})  # the frozen figures, shown on the snapshot's page
register_fields("indicators.Invitation", {"token": HIDDEN})
register_fields(
    "indicators.Answer",
    {
        "invitation": pgettext_lazy("audit", "调查邀请"),
        "score": pgettext_lazy("audit", "评分"),
        "text": pgettext_lazy("audit", "回答内容"),
    },
)
