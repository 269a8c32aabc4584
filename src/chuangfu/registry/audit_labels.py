"""How this app's audit entries read (``core.audit_labels``)."""

from django.utils.translation import pgettext_lazy

from chuangfu.core.audit_labels import register_actions, register_keys

register_actions(
    {
        "registry.person.created": pgettext_lazy("audit", "登记人员"),
        "registry.person.changed": pgettext_lazy("audit", "修改人员信息"),
        "registry.person.deleted": pgettext_lazy("audit", "删除人员"),
        "registry.person.revealed": pgettext_lazy("audit", "查看完整身份证号码或手机号"),
        "registry.person.imported": pgettext_lazy("audit", "导入人员"),
        "registry.person.insurance_imported": pgettext_lazy("audit", "导入社保缴费明细"),
        "registry.credit.imported": pgettext_lazy("audit", "导入失信记录"),
        "registry.enterprise.created": pgettext_lazy("audit", "登记企业"),
        "registry.enterprise.changed": pgettext_lazy("audit", "修改企业信息"),
        "registry.enterprise.deleted": pgettext_lazy("audit", "删除企业"),
        "registry.enterprise.imported": pgettext_lazy("audit", "导入企业"),
        "registry.enterprise.person_linked": pgettext_lazy("audit", "添加企业人员关系"),
        "registry.enterprise.person_unlinked": pgettext_lazy("audit", "解除企业人员关系"),
        "registry.enterprise.premises_added": pgettext_lazy("audit", "添加经营场地"),
        "registry.enterprise.premises_removed": pgettext_lazy("audit", "删除经营场地"),
        "registry.enterprise.premises_changed": pgettext_lazy("audit", "修改经营场地"),
        "registry.enterprise.premises_imported": pgettext_lazy("audit", "导入经营场地"),
        "registry.carrier.created": pgettext_lazy("audit", "登记载体"),
        "registry.carrier.changed": pgettext_lazy("audit", "修改载体信息"),
        "registry.carrier.deleted": pgettext_lazy("audit", "删除载体"),
        "registry.mentor.created": pgettext_lazy("audit", "登记创业导师"),
        "registry.mentor.changed": pgettext_lazy("audit", "修改创业导师信息"),
        "registry.mentor.deleted": pgettext_lazy("audit", "删除创业导师"),
    }
)

# What adding, editing, importing or removing premises logs on the enterprise (``services.premises``).
register_keys(
    {
        "premises_address": pgettext_lazy("audit", "场地地址"),
        "premises_carrier": pgettext_lazy("audit", "场地所在载体"),
        "area": pgettext_lazy("audit", "面积（平方米）"),
        "lease_start": pgettext_lazy("audit", "租期起始日"),
        "lease_end": pgettext_lazy("audit", "租期截止日"),
        "monthly_rent": pgettext_lazy("audit", "月租金（元）"),
        "lease_registered": pgettext_lazy("audit", "租赁合同已备案"),
    }
)
