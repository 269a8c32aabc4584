"""Reads of the ecosystem shared by pages, exports and the API, scoped by the actor.

The town's office (desk staff, leaders, admins) sees the carriers of its jurisdiction; a carrier
operator only the carriers its unit runs (and what hangs off them). Anything else is "not
found". The public sees carriers on the map (name, kind, address, hours, services, places,
contact, published photos): that is what the 15-minute circle answers with. Split by entity:

- ``roles``       who is the town's office, who may review carrier changes, who runs a carrier
- ``carriers``    carriers and their changes, for staff and for the public
- ``circle``      the 15-minute circle: nearest carriers, addresses, coverage by residential area
- ``visits``      visits (走访)
- ``resources``   resources, needs and 对接 (linkage) with ranked matches
- ``incubation``  incubation records, quarterly imports and figures
- ``cases``       case files (创业帮扶档案) and their outcomes read from the registry
- ``industry``    the industry focus: chains, scores and nominations

The names below are the package's surface: ``from chuangfu.ecosystem import selectors`` then
``selectors.carrier_list(...)``.
"""

from .carriers import (
    carrier_list,
    carriers_for,
    changes_for,
    get_carrier_for,
    get_change_for,
    get_public_carrier,
    operator_accounts,
    public_carrier_towns,
    public_carriers,
    waiting_changes,
)
from .cases import CaseOutcome, case_figures, case_history, case_outcomes, cases_for, get_case_for, success_months
from .circle import (
    STATION_KINDS,
    AreaCoverage,
    NearbyCarrier,
    address_search,
    coverage_by_area,
    nearest_carriers,
    read_address_coordinates,
    town_choices,
    town_coverage,
)
from .incubation import (
    QUARTERLY_IMPORT_KIND,
    CarrierIncubationFigures,
    get_incubation_for,
    get_quarterly_import_for,
    incubation_figures,
    incubations_for,
)
from .resources import (
    Match,
    get_need_for,
    get_resource_for,
    linkage_counts,
    linkage_reasons,
    linkages_for,
    match_resources,
    needs_for,
    resource_list,
    resources_for,
)
from .roles import can_review_carriers, can_use, is_office, is_operator_of
from .visits import get_visit_for, overdue_visit_count, visit_list, visitor_choices, visits_for
