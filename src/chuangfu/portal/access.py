"""Role-table rows of the portal (see ``chuangfu.core.roles``).

The public site, its open data and the CKAN Action API are open to anyone. Publicity work (model
cases, news, the publicity log) is the desk's, the leadership's and the administrator's (the
publication machine decides who may publish); open datasets are the leadership's and the administrator's.
"""

from chuangfu.core.roles import ANYONE, page

from .workflows import EDITORS, PUBLISHERS

_PUBLIC = [
    "home",
    "cases",
    "case",
    "articles",
    "article",
    "figures",
    "elder_mode",
    "feed_rss",
    "feed_atom",
    "sitemap",
    "catalogue",
    "dcat",
    "dataset",
    "dataset_download",
]
_STAFF = [
    "cases",
    "case_new",
    "case_detail",
    "case_edit",
    "case_action",
    "case_nominate",
    "nomination_result",
    "articles",
    "article_new",
    "article_detail",
    "article_edit",
    "article_action",
    "publicity",
]
_DATASETS = ["datasets", "dataset_new", "dataset_edit"]

# The public site composes what every town has published (core.scopes).
PUBLISHED = "what every town has published: articles, cases, activities, figures, open datasets"

ROWS = [
    *(page(f"portal:{name}", ANYONE, every_town=PUBLISHED) for name in _PUBLIC),
    *(page(f"portal_staff:{name}", EDITORS) for name in _STAFF),
    *(
        page(f"portal_staff:{name}", PUBLISHERS, why="open datasets are published by the leadership")
        for name in _DATASETS
    ),
    page(
        "ckan_action",
        ANYONE,
        why="the open-data catalogue's CKAN Action API (published datasets only)",
        every_town=PUBLISHED,
    ),
    page("ckan_action_unversioned", ANYONE, every_town=PUBLISHED),
]
