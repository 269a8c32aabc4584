"""The public portal's own records: model cases, articles, the publicity log and open datasets.

Everything else the portal shows (policies, activities, notices, figures) belongs to the other
apps and is read through their public selectors.
"""

from .articles import Article, Campaign, MediaCoverage
from .cases import Case, CaseNomination, Theme
from .datasets import Dataset
from .figures import FiguresSnapshot
from .publication import Publication
