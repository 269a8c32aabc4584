"""Ecosystem (优化区域创业环境): the carrier network and the 15-minute circle.

Rows hold data and their own invariants; every write goes through ``services`` and every state
change through the machines in ``workflows.py``. Split by entity:

- ``places``  district bounds, carrier sites and photos, operators' change requests,
              residential areas and geocoded addresses
- ``visits``  visits (走访) with the problems raised and photos
- ``resources``  resources, needs and each 对接 between them
- ``incubation``  enterprises hosted by carriers and their quarterly figures
- ``cases``   case files (创业帮扶档案) with the helper's follow-ups
- ``industry``  the industry chain tree and its tagged firms, innovation scores, nominations
"""

from .cases import CaseFile, FollowUp
from .incubation import LIVE_INCUBATION, Incubation, IncubationStatus, QuarterlyReport, RevenueBand
from .industry import (
    MAX_CHAIN_DEPTH,
    ChainSegment,
    ChainStage,
    Competition,
    InnovationAssessment,
    InnovationCriterion,
    InnovationScore,
    Nomination,
    NominationStatus,
    SegmentMembership,
)
from .places import (
    Address,
    CarrierChange,
    CarrierChangeStatus,
    CarrierPhoto,
    CarrierSite,
    DistrictBounds,
    ResidentialArea,
)
from .resources import Linkage, LinkageStatus, Need, NeedSource, Resource, ResourceKind
from .visits import Visit, VisitPhoto, VisitProblem, VisitStatus

__all__ = [
    "LIVE_INCUBATION",
    "MAX_CHAIN_DEPTH",
    "Address",
    "CarrierChange",
    "CarrierChangeStatus",
    "CarrierPhoto",
    "CarrierSite",
    "CaseFile",
    "ChainSegment",
    "ChainStage",
    "Competition",
    "DistrictBounds",
    "FollowUp",
    "Incubation",
    "IncubationStatus",
    "InnovationAssessment",
    "InnovationCriterion",
    "InnovationScore",
    "Linkage",
    "LinkageStatus",
    "Need",
    "NeedSource",
    "Nomination",
    "NominationStatus",
    "QuarterlyReport",
    "ResidentialArea",
    "Resource",
    "ResourceKind",
    "RevenueBand",
    "SegmentMembership",
    "Visit",
    "VisitPhoto",
    "VisitProblem",
    "VisitStatus",
]
