"""The ecosystem's .xlsx exports, on core's one exporter base (rows read once, streamed)."""

from django.utils.translation import gettext_lazy as _

from chuangfu.core.exporters import Column, ListExporter


class CarrierExporter(ListExporter):
    title = _("载体网络")
    columns = [
        Column(_("名称"), "name", 28),
        Column(_("载体类型"), lambda c: c.get_kind_display()),
        Column(_("所属区划"), "jurisdiction.name"),
        Column(_("地址"), "address", 32),
        Column(_("纬度"), lambda c: getattr(getattr(c, "site", None), "latitude", None)),
        Column(_("经度"), lambda c: getattr(getattr(c, "site", None), "longitude", None)),
        Column(_("开放时间"), lambda c: getattr(getattr(c, "site", None), "opening_hours", "")),
        Column(_("工位总数"), "workstations_total"),
        Column(_("空余工位"), "workstations_free"),
        Column(_("联系人"), "contact_name"),
        Column(_("联系电话"), "contact_phone"),
    ]


class VisitExporter(ListExporter):
    title = _("走访")
    columns = [
        Column(_("计划日期"), "planned_on", 12),
        Column(_("走访载体"), "carrier.name", 24),
        Column(_("走访目的"), "purpose", 28),
        Column(_("状态"), lambda v: v.get_status_display()),
        Column(_("已逾期"), lambda v: _("是") if v.is_overdue else ""),
        Column(_("走访时间"), "visited_at"),
        Column(_("走访发现"), "findings", 40),
        Column(_("反映的问题"), lambda v: "\n".join(p.description for p in v.problems.all()), 40),
    ]


class LinkageExporter(ListExporter):
    title = _("资源对接")
    columns = [
        Column(_("提出方"), lambda link: str(link.need.subject), 28),
        Column(_("需求"), "need.description", 36),
        Column(_("资源"), "resource.name", 24),
        Column(_("资源类型"), lambda link: link.resource.get_kind_display()),
        Column(_("匹配理由"), lambda link: link.reasons_display, 30),
        Column(_("结果"), lambda link: link.get_status_display()),
        Column(_("结果说明"), "outcome_note", 30),
    ]


class CaseExporter(ListExporter):
    """Rows are ``(case, outcome)`` pairs from ``selectors.case_figures``."""

    title = _("创业帮扶档案")
    columns = [
        Column(_("创业者"), lambda row: str(row[0].person)),
        Column(_("帮扶责任人"), lambda row: str(row[0].helper)),
        Column(_("建档日期"), lambda row: row[0].opened_on),
        Column(_("创办企业"), lambda row: "、".join(str(e) for e in row[1].founded), 36),
        Column(_("创业成功"), lambda row: _("是") if row[1].success else ""),
        Column(_("带动就业"), lambda row: row[1].jobs),
    ]


class ChainExporter(ListExporter):
    """Rows are the nodes of ``selectors.industry.chain_tree``, in tree order."""

    title = _("产业链")
    columns = [
        Column(_("产业链"), lambda n: n.chain, 16),
        Column(_("环节"), lambda n: "　" * max(n.depth - 1, 0) + n.segment.name, 28),
        Column(_("层级"), "depth"),
        Column(_("链上位置"), lambda n: n.segment.get_stage_display()),
        Column(_("对应行业代码"), "segment.industry_codes"),
        Column(_("本环节企业"), "direct"),
        Column(_("含下级企业"), "total"),
        Column(_("薄弱线"), "segment.thin_below"),
        Column(_("薄弱"), lambda n: _("是") if n.thin and n.depth else ""),
    ]


class NominationExporter(ListExporter):
    title = _("大赛推荐")
    columns = [
        Column(_("赛事"), lambda n: str(n.competition), 28),
        Column(_("企业"), "enterprise.name", 28),
        Column(_("统一社会信用代码"), "enterprise.uscc", 20),
        Column(_("赛道"), "track"),
        Column(_("推荐依据的评分年度"), "assessment.year"),
        Column(_("创新评分（百分制）"), lambda n: round(100 * n.score / n.score_out_of) if n.score_out_of else None),
        Column(_("推荐理由"), "reason", 36),
        Column(_("状态"), lambda n: n.get_status_display()),
        Column(_("所获奖项"), "award"),
        Column(_("推荐日期"), lambda n: n.nominated_at.date()),
    ]
