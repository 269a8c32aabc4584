from django.contrib.sitemaps.views import sitemap
from django.urls import path

from .feeds import PublicityAtomFeed, PublicityFeed
from .sitemaps import SITEMAPS
from .views import opendata, public

app_name = "portal"

urlpatterns = [
    path("", public.home, name="home"),
    path("cases/", public.case_list, name="cases"),
    path("cases/<int:pk>/", public.case_detail, name="case"),
    path("news/", public.article_list, name="articles"),
    path("news/<int:pk>/", public.article_detail, name="article"),
    path("figures/", public.service_figures, name="figures"),
    path("elder-mode/", public.elder_mode, name="elder_mode"),
    path("feeds/news.rss", PublicityFeed(), name="feed_rss"),
    path("feeds/news.atom", PublicityAtomFeed(), name="feed_atom"),
    path("sitemap.xml", sitemap, {"sitemaps": SITEMAPS, "template_name": "portal/sitemap.xml"}, name="sitemap"),
    path("opendata/", opendata.catalogue, name="catalogue"),
    path("opendata/catalog.jsonld", opendata.dcat, name="dcat"),
    path("opendata/<slug:name>/", opendata.dataset_detail, name="dataset"),
    path("opendata/<slug:name>.<str:fmt>", opendata.download, name="dataset_download"),
]

# CKAN's Action API at both of its usual addresses (``ckanapi`` calls /api/action/).
ckan_urlpatterns = [
    path("api/3/action/<str:action>", opendata.ckan_action, name="ckan_action"),
    path("api/action/<str:action>", opendata.ckan_action, name="ckan_action_unversioned"),
]
