"""How this app's audit entries read (``core.audit_labels``)."""

from django.utils.translation import pgettext_lazy

from chuangfu.core.audit_labels import register_actions, register_keys

register_actions(
    {
        "activities.activity.created": pgettext_lazy("audit", "创建活动"),
        "activities.activity.changed": pgettext_lazy("audit", "修改活动"),
        "activities.activity.cloned": pgettext_lazy("audit", "复制活动"),
        "activities.activity.summary_saved": pgettext_lazy("audit", "保存活动总结"),
        "activities.activity.photo_added": pgettext_lazy("audit", "上传活动照片"),
        "activities.activity.consultation_recorded": pgettext_lazy("audit", "记录现场咨询"),
        "activities.series.created": pgettext_lazy("audit", "创建系列活动"),
        "activities.registration.created": pgettext_lazy("audit", "活动报名"),
        "activities.registration.waitlist_moved": pgettext_lazy("audit", "候补转正"),
        "activities.question.added": pgettext_lazy("audit", "添加报名问题"),
        "activities.question.removed": pgettext_lazy("audit", "删除报名问题"),
        "activities.feedback.created": pgettext_lazy("audit", "提交活动反馈"),
        "activities.sms_code.sent": pgettext_lazy("audit", "发送报名验证码"),
        "activities.criterion.added": pgettext_lazy("audit", "添加评分标准"),
        "activities.judges.assigned": pgettext_lazy("audit", "指派评委"),
        "activities.entry.submitted": pgettext_lazy("audit", "提交参赛项目"),
        "activities.entry.nominated": pgettext_lazy("audit", "推荐参赛项目"),
        "activities.score.submitted": pgettext_lazy("audit", "提交评分"),
        "activities.scoring.closed": pgettext_lazy("audit", "结束评分"),
        "activities.job_posting.created": pgettext_lazy("audit", "发布招聘岗位"),
        "activities.job_posting.closed": pgettext_lazy("audit", "关闭招聘岗位"),
        "activities.job_interest.created": pgettext_lazy("audit", "登记求职意向"),
        "activities.hire.recorded": pgettext_lazy("audit", "记录录用"),
        "activities.mentoring_request.created": pgettext_lazy("audit", "申请导师辅导"),
    }
)
register_keys({"attendance": pgettext_lazy("audit", "到场人数")})
