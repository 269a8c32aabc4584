import pytest


@pytest.fixture(autouse=True)
def _fresh_dashboard_cache():
    """The dashboard keeps its reads in the process's cache (``indicators.selectors``); every test starts
    without them."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()
