"""The client address behind reverse proxies: X-Forwarded-For is believed only from trusted proxies."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.test import RequestFactory

from chuangfu.core.clientip import client_ip


def request(remote, forwarded=None):
    meta = {"REMOTE_ADDR": remote}
    if forwarded is not None:
        meta["HTTP_X_FORWARDED_FOR"] = forwarded
    return RequestFactory().get("/", **meta)


def test_without_trusted_proxies_the_header_is_ignored(settings):
    settings.TRUSTED_PROXIES = []
    assert client_ip(request("127.0.0.1", "203.0.113.7")) == "127.0.0.1"


def test_a_trusted_proxy_passes_the_client_address(settings):
    settings.TRUSTED_PROXIES = ["127.0.0.1"]
    assert client_ip(request("127.0.0.1", "203.0.113.7")) == "203.0.113.7"


def test_an_untrusted_peer_cannot_choose_its_address(settings):
    settings.TRUSTED_PROXIES = ["127.0.0.1"]
    assert client_ip(request("198.51.100.9", "203.0.113.7")) == "198.51.100.9"


def test_addresses_a_client_prepends_are_not_believed(settings):
    """The client sent "X-Forwarded-For: 1.2.3.4"; nginx appended the address it saw."""
    settings.TRUSTED_PROXIES = ["10.0.0.0/8"]
    assert client_ip(request("10.0.0.2", "1.2.3.4, 203.0.113.7")) == "203.0.113.7"


def test_a_chain_of_trusted_proxies_is_walked_from_the_right(settings):
    settings.TRUSTED_PROXIES = ["10.0.0.0/8", "::1"]
    assert client_ip(request("::1", "203.0.113.7, 10.1.2.3, 10.0.0.5")) == "203.0.113.7"
    assert client_ip(request("10.0.0.2", "[2001:db8::5]:4431")) == "2001:db8::5"
    assert client_ip(request("10.0.0.2", "203.0.113.7:51234")) == "203.0.113.7"


@pytest.mark.parametrize("forwarded", ["", "not-an-address", "10.0.0.3"])
def test_a_trusted_proxy_without_a_usable_client_address_counts_as_itself(settings, forwarded):
    settings.TRUSTED_PROXIES = ["10.0.0.0/8"]
    assert client_ip(request("10.0.0.2", forwarded)) == "10.0.0.2"


def test_a_wrong_trusted_proxy_setting_stops_the_start(tmp_path):
    env = {**os.environ, "CHUANGFU_VAR_DIR": str(tmp_path), "CHUANGFU_TRUSTED_PROXIES": "127.0.0.1,nginx.internal"}
    result = subprocess.run(
        [str(Path(sys.executable).with_name("chuangfu")), "check"], env=env, capture_output=True, text=True, timeout=120
    )
    assert result.returncode != 0 and "nginx.internal" in result.stderr and "不是 IP 地址或网段" in result.stderr
