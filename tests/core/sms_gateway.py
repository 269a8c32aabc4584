"""A stand-in for a town's real SMS gateway, named in the production-settings tests."""

from chuangfu.core.notifications.sms import LogSmsBackend, SmsBackend


class GatewayBackend(SmsBackend):
    def send(self, mobile: str, text: str) -> None:
        raise RuntimeError("tests never reach a real gateway")


class RenamedLogBackend(LogSmsBackend):
    """A development backend under another name: still refused in production."""
