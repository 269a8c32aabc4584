from django.db import models
from django.utils.translation import gettext_lazy as _


class Publication(models.TextChoices):
    """The life of anything the town publishes: written, reviewed, published, perhaps withdrawn."""

    DRAFT = "draft", _("草稿")
    IN_REVIEW = "in_review", _("待审核")
    PUBLISHED = "published", _("已发布")
    WITHDRAWN = "withdrawn", _("已撤回")
