import logging

from django.apps import AppConfig
from django.conf import settings
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "chuangfu.core"
    label = "core"
    verbose_name = _("基础")

    def ready(self):
        from django.db.models.signals import pre_save
        from huey.contrib.djhuey import HUEY

        from . import checks  # noqa: F401  (registers the system checks)
        from .bounds import check_row_on_save
        from .scopes import install_task_hooks

        pre_save.connect(_ours(check_row_on_save), dispatch_uid="chuangfu.core.bounds.check_row")
        install_task_hooks(HUEY)
        _jieba_logs_once()


def _ours(receiver):
    """``receiver`` for the platform's own models only (not Django's, not third parties')."""

    def receive(sender, **kwargs):
        if sender.__module__.startswith("chuangfu."):
            receiver(sender, **kwargs)

    return receive


def _jieba_logs_once() -> None:
    """jieba, on import, sets its logger to DEBUG and gives it a stderr handler of its own, so each of
    its lines printed twice (its handler and ours) whatever LOGGING says. Its lines go through our
    logging only, at the level ``LOGGING`` gives the ``jieba`` logger."""
    import jieba

    jieba.default_logger.removeHandler(jieba.log_console)
    level = settings.LOGGING.get("loggers", {}).get("jieba", {}).get("level", "WARNING")
    jieba.setLogLevel(logging.getLevelName(level))
