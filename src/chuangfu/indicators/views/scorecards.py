"""Unit scorecards (考评): the ranking for leaders and admins, each unit's card (a liaison sees only
their own), the records behind each line, and the ranking as a spreadsheet."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from chuangfu.core.exporters import Column, ListExporter

from .. import periods, scorecards, selectors
from ..models import ScorecardMeasure
from .dashboard import _town, _year


def _query(town, year) -> str:
    return f"?town={town.pk}&year={year}"


@login_required
def scorecard_list(request):
    year = _year(request)
    if not scorecards.sees_ranking(request.user):
        unit = scorecards.own_unit(request.user)
        if unit is None:
            raise PermissionDenied
        return _card(request, unit)  # a unit's liaison sees their own card here
    town = _town(request)
    cards = scorecards.cards(town, periods.year_period(year))
    scored = [c for c in cards if c.score is not None]
    chart = {
        "kind": "bar",
        "labels": [c.unit.name for c in scored],
        "values": [round(float(c.score), 1) for c in scored],
        "links": [reverse("indicators:scorecard", args=[c.unit.pk]) + _query(town, year) for c in scored],
    }
    return render(
        request,
        "indicators/scorecards.html",
        {"town": town, "year": year, "cards": scored, "no_data": [c for c in cards if c.score is None],
         "measures": scorecards.measures(), "chart": chart, "towns": selectors.towns_for(request.user)},
    )  # fmt: skip


def _town_year_of(request, unit):
    town, year = unit.jurisdiction.town, _year(request)
    if town is None:  # a district's own unit has no town's ranking
        raise Http404
    return town, year, periods.year_period(year)


@login_required
def scorecard_detail(request, pk: int):
    return _card(request, scorecards.get_unit_for(request.user, pk))


def _card(request, unit):
    town, year, period = _town_year_of(request, unit)
    every = scorecards.cards(town, period)  # the town's ranking: "rank 3 of the units with a score"
    card = next((c for c in every if c.unit.pk == unit.pk), None) or scorecards.Card(unit=unit)
    return render(
        request,
        "indicators/scorecard.html",
        {"unit": unit, "town": town, "year": year, "card": card,
         "ranked": sum(1 for c in every if c.score is not None),
         "sees_ranking": scorecards.sees_ranking(request.user)},
    )  # fmt: skip


@login_required
def scorecard_drill(request, pk: int, code: str, part: str):
    unit = scorecards.get_unit_for(request.user, pk)
    town, year, period = _town_year_of(request, unit)
    measure = ScorecardMeasure.objects.filter(code=code, active=True).first()
    if measure is None or part not in ("num", "den"):
        raise Http404
    rows = scorecards.line_rows(measure, part, town, period, unit.pk)
    page = Paginator(rows.order_by("pk"), 50).get_page(request.GET.get("page")) if rows is not None else None
    return render(
        request,
        "indicators/scorecard_drill.html",
        {"unit": unit, "town": town, "year": year, "measure": measure, "part": part, "page": page,
         "source": measure.numerator if part == "num" else measure.denominator},
    )  # fmt: skip


class ScorecardExporter(ListExporter):
    title = gettext_lazy("单位考评")

    def __init__(self, measures):
        self.measures = measures

    def get_columns(self):
        columns = [
            Column(_("排名"), "rank", 6),
            Column(_("单位"), "unit.name", 20),
            Column(_("得分"), lambda c: _("无考评数据") if c.score is None else round(c.score, 1), 8),
        ]
        for n, m in enumerate(self.measures):
            columns.append(Column(f"{m.label}（{_('权重')} {m.weight}）", lambda c, n=n: c.lines[n].display, 14))
            columns.append(
                Column(_("%(name)s 分子/分母") % {"name": m.label}, lambda c, n=n: _fraction(c.lines[n]), 14)
            )
        return columns


def _fraction(line) -> str:
    return f"{line.num}/{line.den}" if line.den is not None else str(line.num)


@login_required
def scorecard_export(request):
    year = _year(request)
    if scorecards.sees_ranking(request.user):
        town = _town(request)
        cards = scorecards.cards(town, periods.year_period(year))
    else:
        unit = scorecards.own_unit(request.user)
        if unit is None:
            raise PermissionDenied
        town = unit.jurisdiction.town
        if town is None:
            raise Http404
        cards = scorecards.cards(town, periods.year_period(year), only_unit=unit.pk)
    exporter = ScorecardExporter(scorecards.measures())
    return exporter.response(cards, filename=_("%(town)s%(year)s年度单位考评") % {"town": town.name, "year": year})
