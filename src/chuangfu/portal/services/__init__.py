"""Every write of the portal: model cases and nominations, articles, the publicity log, datasets."""

from .datasets import dataset_save
from .publicity import campaign_create, coverage_create
from .publishing import (
    article_save,
    article_transition,
    case_save,
    case_transition,
    nomination_create,
    nomination_record_result,
)
