"""System checks run by ``chuangfu check`` (and before ``migrate`` and the server start)."""

from django.conf import settings
from django.core.checks import Error, register


@register()
def sms_backend_check(app_configs, **kwargs):
    """The SMS backend named in ``CHUANGFU_SMS_BACKEND`` imports, is an ``SmsBackend``, and is
    not a development backend in production (settings refuse the known names; this catches a
    subclass of one, or a typo that would only show when the first code fails to go out)."""
    from .notifications.sms import SmsBackend, backend_class

    try:
        cls = backend_class()
    except (ImportError, AttributeError, ValueError) as exc:
        return [
            Error(
                f"CHUANGFU_SMS_BACKEND “{settings.SMS_BACKEND}” 无法导入 (cannot be imported): {exc}",
                id="chuangfu.E001",
            )
        ]
    if not (isinstance(cls, type) and issubclass(cls, SmsBackend)):
        return [Error(f"CHUANGFU_SMS_BACKEND “{settings.SMS_BACKEND}” 不是 SmsBackend 的子类.", id="chuangfu.E002")]
    if settings.PRODUCTION and cls.development:
        return [
            Error(
                f"生产环境不能使用开发用的短信后端 “{settings.SMS_BACKEND}”。 A development SMS backend cannot run in production.",
                id="chuangfu.E003",
            )
        ]
    return []
