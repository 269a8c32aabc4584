"""The outreach list as .xlsx, personal identifiers masked (政策找人名单)."""

from django.utils.translation import gettext_lazy as _

from chuangfu.core.crypto import mask_id_number, mask_mobile
from chuangfu.core.exporters import Column, ListExporter

from .summaries import summary_of


def _rep_mobile(match):
    rep = match.enterprise.legal_representative
    return mask_mobile(rep.mobile) if rep is not None else ""


class PersonOutreachExporter(ListExporter):
    title = _("政策找人名单")
    columns = [
        Column(_("姓名"), "person.name", 10),
        Column(_("身份证号码（已脱敏）"), lambda m: mask_id_number(m.person.id_number), 22),
        Column(_("手机号（已脱敏）"), lambda m: mask_mobile(m.person.mobile), 14),
        Column(_("常住地"), "person.jurisdiction.name", 12),
        Column(_("匹配说明"), summary_of, 30),
        Column(_("评估日期"), "evaluated", 12),
    ]


class EnterpriseOutreachExporter(ListExporter):
    title = _("政策找人名单")
    columns = [
        Column(_("企业名称"), "enterprise.name", 32),
        Column(_("统一社会信用代码"), "enterprise.uscc", 22),
        Column(_("法定代表人"), "enterprise.legal_representative_name", 10),
        Column(_("法定代表人手机号（已脱敏）"), _rep_mobile, 16),
        Column(_("注册地"), "enterprise.jurisdiction.name", 12),
        Column(_("匹配说明"), summary_of, 30),
        Column(_("评估日期"), "evaluated", 12),
    ]
