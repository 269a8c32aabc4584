"""How this app's audit entries read (``core.audit_labels``)."""

from django.utils.translation import pgettext_lazy

from chuangfu.core.audit_labels import HIDDEN, register_actions, register_fields

register_actions(
    {
        "ecosystem.carrier.photo_added": pgettext_lazy("audit", "上传载体照片"),
        "ecosystem.carrier.site_changed": pgettext_lazy("audit", "修改载体位置与开放信息"),
        "ecosystem.carrier_change.submitted": pgettext_lazy("audit", "提交载体信息变更"),
        "ecosystem.resource.activated": pgettext_lazy("audit", "启用资源"),
        "ecosystem.visit.planned": pgettext_lazy("audit", "安排企业走访"),
        "ecosystem.visit.problem_sent": pgettext_lazy("audit", "转交走访问题"),
        "ecosystem.visit.problem_to_ticket": pgettext_lazy("audit", "走访问题转为工单"),
        "ecosystem.incubation.admitted": pgettext_lazy("audit", "入孵登记"),
        "ecosystem.quarterly_report.saved": pgettext_lazy("audit", "保存在孵企业季度数据"),
        "ecosystem.case.follow_up_planned": pgettext_lazy("audit", "安排帮扶跟进"),
        "ecosystem.case.followed_up": pgettext_lazy("audit", "记录帮扶跟进"),
        "ecosystem.case.opened": pgettext_lazy("audit", "新建帮扶档案"),
        "ecosystem.chain_segment.created": pgettext_lazy("audit", "添加产业链环节"),
        "ecosystem.chain_segment.changed": pgettext_lazy("audit", "修改产业链环节"),
        "ecosystem.chain_segment.deleted": pgettext_lazy("audit", "删除产业链环节"),
        "ecosystem.enterprise.chain_tagged": pgettext_lazy("audit", "标注企业所在产业链环节"),
        "ecosystem.enterprise.chain_untagged": pgettext_lazy("audit", "取消企业产业链标注"),
        "ecosystem.innovation.scored": pgettext_lazy("audit", "创新评分"),
        "ecosystem.competition.created": pgettext_lazy("audit", "登记创业大赛"),
        "ecosystem.nomination.created": pgettext_lazy("audit", "推荐参加创业大赛"),
    }
)
register_fields("ecosystem.Need", {"origin_id": HIDDEN})  # shown through the origin's own link
register_fields(
    "ecosystem.VisitProblem",
    {"follow_up_id": HIDDEN, "followed_up_at": pgettext_lazy("audit", "跟进时间")},
)
