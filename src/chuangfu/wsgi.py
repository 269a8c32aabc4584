import gc
import os

from django.core.wsgi import get_wsgi_application
from django.urls import get_resolver

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "chuangfu.settings")
application = get_wsgi_application()

# Load every view module now, then move everything loaded so far out of the garbage collector's
# reach: a web process holds ~380,000 long-lived objects (apps, URL patterns, pinyin and word
# tables), and a full collection walking them paused a worker for ~200 ms in the middle of
# requests (desk-queue benchmark). Only objects made while serving are collected from here on.
_ = get_resolver().url_patterns
gc.collect()
gc.freeze()
