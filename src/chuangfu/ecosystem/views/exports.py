"""The .xlsx downloads of the ecosystem's lists (the same selectors as the pages)."""

from django.utils.translation import gettext as _

from chuangfu.core.bounds import int_param
from chuangfu.core.errors import NotFound

from .. import exporters, selectors
from ..selectors import industry
from ._common import ecosystem_required, office_required


@ecosystem_required
def carriers(request):
    return exporters.CarrierExporter().response(selectors.carrier_list(actor=request.user), filename=_("载体网络"))


@ecosystem_required
def visits(request):
    rows = selectors.visit_list(actor=request.user).prefetch_related("problems")
    return exporters.VisitExporter().response(rows, filename=_("走访"))


@office_required
def linkages(request):
    return exporters.LinkageExporter().response(selectors.linkages_for(request.user), filename=_("资源对接"))


@office_required
def cases(request):
    rows = selectors.case_figures(actor=request.user)["rows"]
    return exporters.CaseExporter().response(rows, filename=_("创业帮扶档案"))


@office_required
def chain(request):
    town = industry.towns_for(request.user).filter(pk=int_param(request.GET.get("town"))).first()
    town = town or industry.towns_for(request.user).order_by("path").first()
    if town is None:
        raise NotFound()
    rows = [node for root in industry.chain_tree(actor=request.user, town=town) for node in root.walk()]
    return exporters.ChainExporter().response(rows, filename=_("产业链"))


@office_required
def nominations(request):
    return exporters.NominationExporter().response(industry.nominations_for(request.user), filename=_("大赛推荐"))
