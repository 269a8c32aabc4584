"""How this app's audit entries read (``core.audit_labels``)."""

from django.utils.translation import pgettext_lazy

from chuangfu.core.audit_labels import register_actions, register_fields, register_keys

register_actions(
    {
        "subsidies.application.created": pgettext_lazy("audit", "创建补贴申请"),
        "subsidies.application.saved": pgettext_lazy("audit", "保存补贴申请"),
        "subsidies.application.deemed_accepted": pgettext_lazy("audit", "视为受理"),
        "subsidies.form.saved": pgettext_lazy("audit", "保存申请表"),
        "subsidies.material.uploaded": pgettext_lazy("audit", "上传申请材料"),
        "subsidies.material.removed": pgettext_lazy("audit", "删除申请材料"),
        "subsidies.notice.created": pgettext_lazy("audit", "创建公示"),
        "subsidies.notice.discarded": pgettext_lazy("audit", "撤销公示"),
        "subsidies.notice.finalised": pgettext_lazy("audit", "公示期满核准"),
        "subsidies.objection.submitted": pgettext_lazy("audit", "提交公示异议"),
        "subsidies.objection.recorded": pgettext_lazy("audit", "登记公示异议"),
        "subsidies.disbursement_batch.created": pgettext_lazy("audit", "生成拨付清单"),
        "subsidies.disbursement.recorded": pgettext_lazy("audit", "记录拨付"),
        "subsidies.disbursement.imported": pgettext_lazy("audit", "导入拨付结果"),
        "subsidies.obligation_terms.saved": pgettext_lazy("audit", "保存补贴后续义务"),
        "subsidies.obligation.created": pgettext_lazy("audit", "生成履约义务"),
        "subsidies.obligation.reminded": pgettext_lazy("audit", "提醒履约义务到期"),
        "subsidies.obligation_report.submitted": pgettext_lazy("audit", "提交履约报告"),
        "subsidies.recovery.opened": pgettext_lazy("audit", "立案追回补贴"),
        "subsidies.recovery.breach_corrected": pgettext_lazy("audit", "更正追回所依据的误判"),
        "subsidies.entitlement.built": pgettext_lazy("audit", "生成免申即享名单"),
        "subsidies.entitlement.cycle_set": pgettext_lazy("audit", "设置免申即享发放周期"),
        "subsidies.entitlement.unplaced": pgettext_lazy("audit", "免申即享：符合条件但未登记到镇的对象"),
        "subsidies.entitlement_line.excluded": pgettext_lazy("audit", "免申即享名单移出对象"),
        "subsidies.entitlement_line.included": pgettext_lazy("audit", "免申即享名单恢复对象"),
    }
)
register_fields("subsidies.Application", {"handled_action": pgettext_lazy("audit", "办理操作")})
register_keys(
    {
        "items": pgettext_lazy("audit", "补正事项"),
        "obligations": pgettext_lazy("audit", "履约义务"),
        "obligation": pgettext_lazy("audit", "履约义务"),
        "terms": pgettext_lazy("audit", "后续义务"),
        "evidence": pgettext_lazy("audit", "核查依据"),
        "check": pgettext_lazy("audit", "核查记录"),
        "included": pgettext_lazy("audit", "列入发放"),
        "lines": pgettext_lazy("audit", "名单对象数"),
        "cycle_on": pgettext_lazy("audit", "资格认定日"),
    }
)
