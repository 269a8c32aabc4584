"""The assessment (创建评估): indicator schemes as data, targets, computed values, frozen snapshots,
and the evidence packs of the qualitative dimensions."""

from .evidence import EvidenceDocument, EvidencePack
from .scheme import QUALITATIVE, Category, Direction, Indicator, IndicatorCase, Kind, PeriodType, Scheme, Target
from .scorecards import ScorecardMeasure
from .survey import Answer, Invitation, Question, Survey
from .values import Snapshot, Value
