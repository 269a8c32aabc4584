"""Role-table rows of the indicators (see ``chuangfu.core.roles``): the assessment dashboard, its
drill-down, evidence and dossier are the leadership's and the administrator's."""

from chuangfu.core.roles import page

from .selectors import VIEWERS

ROWS = [
    page(f"indicators:{name}", VIEWERS) for name in ("dashboard", "compute", "snapshot", "evidence", "dossier", "drill")
]
