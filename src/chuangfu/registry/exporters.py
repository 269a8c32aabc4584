"""The registry lists as .xlsx, personal identifiers always masked.

A list of up to ``DIRECT_EXPORT_LIMIT`` rows downloads at once; a longer one runs as a
background job (``registry.export``) that re-runs the same scoped selector for the same actor
with the same query string, so the file holds exactly what the page listed.
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.db.models import QuerySet
from django.http import QueryDict
from django.utils.translation import gettext_lazy as _

from chuangfu.core.crypto import mask_id_number, mask_mobile
from chuangfu.core.exporters import Column, ListExporter, export_job, write_export
from chuangfu.core.jobs import job_start
from chuangfu.core.models import User

from . import forms, selectors

DIRECT_EXPORT_LIMIT = 5000
JOB_KIND = "registry.export"


def _choice(field):
    return lambda row: getattr(row, f"get_{field}_display")()


def _labels(values, choices) -> str:
    labels = dict(choices)
    return "、".join(str(labels.get(v, v)) for v in values)


class RegistryExporter(ListExporter):
    prefetch: tuple = ()

    def rows(self, items):
        if isinstance(items, QuerySet) and self.prefetch:
            items = items.prefetch_related(*self.prefetch)
        return super().rows(items)


class PersonExporter(RegistryExporter):
    title = _("人员名录")
    columns = [
        Column(_("姓名"), "name", 10),
        Column(_("性别"), _choice("gender"), 6),
        Column(_("出生日期"), "birth_date", 12),
        Column(_("身份证号码（已脱敏）"), lambda p: mask_id_number(p.id_number), 22),
        Column(_("手机号（已脱敏）"), lambda p: mask_mobile(p.mobile), 14),
        Column(_("户籍性质"), _choice("hukou_kind"), 18),
        Column(_("常住地"), "jurisdiction.name", 12),
        Column(_("学历"), _choice("education"), 10),
        Column(_("毕业时间"), "graduation_date", 12),
        Column(_("就业状态"), _choice("employment_status"), 14),
        Column(_("重点人群"), lambda p: "、".join(str(g) for g in p.groups.all()), 24),
        Column(_("有创业意向"), lambda p: _("是") if p.entrepreneurial_intent else "", 10),
    ]
    prefetch = ("groups",)


class EnterpriseExporter(RegistryExporter):
    title = _("企业名录")
    columns = [
        Column(_("统一社会信用代码"), "uscc", 22),
        Column(_("企业名称"), "name", 32),
        Column(_("主体类型"), _choice("entity_type"), 18),
        Column(_("法定代表人"), "legal_representative_name", 10),
        Column(_("成立日期"), "founded_on", 12),
        Column(_("登记状态"), _choice("registration_status"), 12),
        Column(_("住所"), "address", 32),
        Column(_("注册地区划"), "jurisdiction.name", 12),
        Column(_("行业门类"), _choice("industry_section"), 24),
        Column(_("行业大类"), "industry_division", 8),
        Column(_("注册资本（万元）"), "registered_capital", 14),
        Column(_("参保人数"), "insured_employees", 8),
        Column(_("标签"), lambda e: "、".join(t.name for t in e.tags.all()), 20),
        Column(_("入驻载体"), "carrier.name", 20),
    ]
    prefetch = ("tags",)


class CarrierExporter(RegistryExporter):
    title = _("载体")
    columns = [
        Column(_("载体类型"), _choice("kind"), 16),
        Column(_("名称"), "name", 28),
        Column(_("运营方"), "operator", 24),
        Column(_("所属区划"), "jurisdiction.name", 12),
        Column(_("地址"), "address", 32),
        Column(_("面积（平方米）"), "floor_area", 12),
        Column(_("工位总数"), "workstations_total", 10),
        Column(_("空余工位"), "workstations_free", 10),
        Column(_("评级"), "level", 6),
        Column(_("提供的服务"), lambda c: "、".join(c.service_list), 40),
        Column(_("联系人"), "contact_name", 10),
        Column(_("联系电话"), "contact_phone", 16),
    ]


class MentorExporter(RegistryExporter):
    title = _("创业导师")
    columns = [
        Column(_("姓名"), "name", 10),
        Column(_("所在机构"), "organisation", 24),
        Column(_("职务/职称"), "title", 14),
        Column(_("专长"), lambda m: "、".join(m.expertise_list), 30),
        Column(_("擅长行业门类"), lambda m: "、".join(m.industries), 14),
        Column(_("服务方式"), lambda m: _labels(m.service_modes, m.Mode.choices), 24),
        Column(_("指导工作站"), "workstation.name", 20),
        Column(_("所属区划"), "jurisdiction.name", 12),
        Column(_("可预约"), lambda m: _("是") if m.available else _("否"), 8),
    ]


@dataclass(frozen=True)
class ListExport:
    """What the background export of one registry list re-runs: the page's filter form and selector."""

    title: str
    filter_form: type
    list: Callable
    exporter: type


EXPORTS = {
    "person": ListExport(_("人员名录"), forms.PersonFilterForm, selectors.person_list, PersonExporter),
    "enterprise": ListExport(_("企业名录"), forms.EnterpriseFilterForm, selectors.enterprise_list, EnterpriseExporter),
    "carrier": ListExport(_("载体"), forms.CarrierFilterForm, selectors.carrier_list, CarrierExporter),
    "mentor": ListExport(_("创业导师"), forms.MentorFilterForm, selectors.mentor_list, MentorExporter),
}


def export_start(*, entity: str, actor, query: str, title: str):
    """Queue the export of ``entity``'s list filtered by ``query`` (the page's query string)."""
    return job_start(
        kind=JOB_KIND,
        title=_("导出%(title)s") % {"title": title},
        actor=actor,
        params={"entity": entity, "query": query},
        jurisdiction=actor.jurisdiction,
    )


@export_job(JOB_KIND)
def run_export(job, progress) -> dict:
    entity = EXPORTS[job.params["entity"]]
    actor = User.objects.get(pk=job.created_by_id)
    form = entity.filter_form(QueryDict(job.params.get("query", "")), actor=actor)
    exporter = entity.exporter()
    qs = entity.list(actor=actor, filters=form.filters()).prefetch_related(*exporter.prefetch)
    return write_export(job, progress, exporter, qs, name=str(entity.title))
