"""The public portal: the front door, model cases, news, the service figures and the
large-text mode. Anonymous visitors use all of it; nothing here needs an account."""

from django.conf import settings
from django.http import HttpResponseRedirect
from django.shortcuts import render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from chuangfu.core import public_cache
from chuangfu.core.context_processors import ELDER_COOKIE
from chuangfu.core.richtext import plain_text

from .. import figures, selectors
from ..models import Article, Publication, Theme


@public_cache.anonymous_page("home")
def home(request):
    """The front door. Its live blocks are one cached fragment, and the whole page is cached for
    anonymous visitors (``core.public_cache``): saving an article, a case, a policy or an activity
    renders them afresh on the next request."""
    return render(
        request,
        "portal/public/home.html",
        {"blocks": selectors.HomeBlocks(), "public_ttl": public_cache.TTL, "public_vary": public_cache.vary("home")},
    )


def case_list(request):
    theme = request.GET.get("theme", "")
    theme = theme if theme in Theme.values else ""
    cases = selectors.public_cases(theme=theme)
    return render(
        request, "portal/public/case_list.html", {"cases": cases[:60], "themes": Theme.choices, "theme": theme}
    )


def case_detail(request, pk: int):
    case = selectors.get_public_case(pk)
    withdrawn = case.status == Publication.WITHDRAWN
    return render(
        request,
        "portal/public/case_detail.html",
        {"case": case, "withdrawn": withdrawn, "share": _share(request, case.title, case.summary, case.photo)},
        status=410 if withdrawn else 200,
    )


def article_list(request):
    kind = request.GET.get("kind", "")
    kind = kind if kind in Article.Kind.values else ""
    return render(
        request,
        "portal/public/article_list.html",
        {
            "articles": selectors.public_articles(kind=kind)[:60],
            "kinds": Article.Kind.choices,
            "kind": kind,
            "coverage": selectors.public_coverage(),
        },
    )


def article_detail(request, pk: int):
    article = selectors.get_public_article(pk)
    withdrawn = article.status == Publication.WITHDRAWN
    return render(
        request,
        "portal/public/article_detail.html",
        {
            "article": article,
            "withdrawn": withdrawn,
            "share": _share(request, article.title, article.summary or plain_text(article.body), article.cover),
        },
        status=410 if withdrawn else 200,
    )


def service_figures(request):
    return render(request, "portal/public/figures.html", {"months": figures.monthly(), "headline": figures.headline()})


@require_POST
def elder_mode(request):
    """Large text and high contrast for older residents (适老化), kept in a cookie for a year."""
    target = request.POST.get("next", "/")
    if not url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        target = "/"
    response = HttpResponseRedirect(target)
    if request.COOKIES.get(ELDER_COOKIE) == "1":
        response.delete_cookie(ELDER_COOKIE)
    else:
        response.set_cookie(ELDER_COOKIE, "1", max_age=365 * 24 * 3600, samesite="Lax", secure=request.is_secure())
    return response


def _share(request, title: str, summary: str, image) -> dict:
    """Open Graph metadata, so a link pasted in a chat app shows a title, summary and picture."""
    base = settings.PUBLIC_BASE_URL.rstrip("/") or request.build_absolute_uri("/").rstrip("/")
    return {
        "title": title,
        "description": summary,
        "url": base + request.path,
        "image": (base + image.url) if image else "",
    }
