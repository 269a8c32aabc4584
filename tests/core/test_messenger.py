"""Every text and e-mail carries its link absolute (a phone cannot open /service/rate/…); in-app keeps the path."""

import pytest

from chuangfu.core.models import Notification, Role
from chuangfu.core.notifications import Message, absolute_url, send
from chuangfu.core.notifications.sms import LocmemSmsBackend
from tests import factories

pytestmark = pytest.mark.django_db


def test_a_messages_link_is_absolute_in_the_text_and_the_e_mail_and_a_path_in_app(
    settings, mailoutbox, django_capture_on_commit_callbacks
):
    settings.PUBLIC_BASE_URL = "https://cf.tangzhen.gov.cn"
    user = factories.user(role=Role.ENTREPRENEUR, mobile="13912340009", email="li@example.cn")
    LocmemSmsBackend.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        send(
            Message(
                title="诉求已答复",
                body="请对本次服务评价：",
                user=user,
                link="/service/rate/abc/",
                channels=("inapp", "sms", "email"),
            )
        )
    assert LocmemSmsBackend.outbox == [
        ("13912340009", "【创服】诉求已答复：请对本次服务评价： https://cf.tangzhen.gov.cn/service/rate/abc/")
    ]
    assert mailoutbox[0].body.endswith(" https://cf.tangzhen.gov.cn/service/rate/abc/")
    assert Notification.objects.get(recipient=user).link == "/service/rate/abc/"


def test_absolute_url_keeps_addresses_that_are_already_absolute(settings):
    settings.PUBLIC_BASE_URL = "http://127.0.0.1:8000/"
    assert absolute_url("events/1/") == "http://127.0.0.1:8000/events/1/"
    assert absolute_url("https://example.cn/x") == "https://example.cn/x"
    assert absolute_url("") == ""


def test_the_development_default_makes_links_absolute_too():
    from django.conf import settings

    assert settings.PUBLIC_BASE_URL.startswith("http://") and absolute_url("/x").startswith("http://")
