"""The .xlsx downloads of the ecosystem's lists (the same selectors as the pages)."""

from django.utils.translation import gettext as _

from .. import exporters, selectors
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
