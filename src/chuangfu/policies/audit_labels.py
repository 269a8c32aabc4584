"""How this app's audit entries read (``core.audit_labels``)."""

from django.utils.translation import pgettext_lazy

from chuangfu.core.audit_labels import HIDDEN, register_actions, register_fields

register_actions(
    {
        "policies.policy.created": pgettext_lazy("audit", "创建政策"),
        "policies.policy.changed": pgettext_lazy("audit", "修改政策"),
        "policies.version.created": pgettext_lazy("audit", "创建政策版本"),
        "policies.version.changed": pgettext_lazy("audit", "修改政策版本"),
        "policies.version.rule_changed": pgettext_lazy("audit", "修改认定规则"),
        "policies.version.superseded": pgettext_lazy("audit", "政策版本被取代"),
        "policies.rule_case.deleted": pgettext_lazy("audit", "删除规则测试用例"),
        "policies.grant.recorded": pgettext_lazy("audit", "记录享受政策"),
        "policies.campaign.started": pgettext_lazy("audit", "发起政策找人"),
        "policies.contact.changed": pgettext_lazy("audit", "更新联系结果"),
        "policies.outreach.exported": pgettext_lazy("audit", "导出政策找人名单"),
        "policies.consultation.commented": pgettext_lazy("audit", "提出征求意见反馈"),
        "policies.consultation.replied": pgettext_lazy("audit", "单位反馈完毕"),
        "policies.consultation.answered": pgettext_lazy("audit", "答复征求意见"),
    }
)

# Results of matching are computed, never edited: the log does not show their internals.
register_fields("policies.Match", {"open_index": HIDDEN, "open_count": HIDDEN})
register_fields(
    "policies.MatchRun",
    dict.fromkeys(
        (
            "eligible_ids",
            "almost_ids",
            "almost_open",
            "unknown_ids",
            "unknown_open",
            "unknown_counts",
            "eligible_places",
            "almost_places",
            "unknown_places",
            "by_place",
            "lists_digest",
        ),
        HIDDEN,
    )
    | {
        "target": pgettext_lazy("audit", "对象类型"),
        "eligible": pgettext_lazy("audit", "符合"),
        "almost": pgettext_lazy("audit", "差一项符合"),
        "unknown": pgettext_lazy("audit", "信息不全"),
    },
)
register_fields(
    "policies.OutreachCampaign",
    {"contacts_total": pgettext_lazy("audit", "联系对象总数"), "contacts_reached": pgettext_lazy("audit", "已联系数")},
)

# A split full match's bookkeeping (decision 44): computed, never edited, not shown.
register_fields("policies.MatchRound", dict.fromkeys(("versions", "skipped", "parts"), HIDDEN))
register_fields(
    "policies.MatchPart",
    dict.fromkeys(
        ("round", "number", "jurisdictions", "subjects", "done", "read_at", "finished_at", "attempts", "stats"), HIDDEN
    ),
)
register_fields(
    "policies.MatchPiece",
    dict.fromkeys(
        (
            "part",
            "policy",
            "eligible_ids",
            "eligible_places",
            "almost_ids",
            "almost_open",
            "almost_places",
            "unknown_ids",
            "unknown_open",
            "unknown_counts",
            "unknown_places",
        ),
        HIDDEN,
    ),
)
