"""The client's address, also behind reverse proxies.

``REMOTE_ADDR`` is the address of whoever opened the connection: behind nginx that is the proxy,
so every visitor would share one rate limit and one audit address. ``X-Forwarded-For`` carries
the real client, but anyone can send that header, so it is believed only from the proxies named
in ``TRUSTED_PROXIES`` (addresses or networks, env ``CHUANGFU_TRUSTED_PROXIES``). The header is
read from the right: each proxy appends the address it received the request from, so the first
address from the right that is not a trusted proxy is the client. Addresses a client put further
left are never used.
"""

import ipaddress
from functools import lru_cache

from django.conf import settings


@lru_cache(maxsize=8)
def _networks(proxies: tuple[str, ...]) -> tuple:
    return tuple(ipaddress.ip_network(p.strip(), strict=False) for p in proxies if p.strip())


def _address(value: str):
    value = (value or "").strip()
    if value.startswith("[") and "]" in value:  # "[2001:db8::1]:443"
        value = value[1 : value.index("]")]
    elif value.count(":") == 1:  # "203.0.113.7:51234"
        value = value.split(":", 1)[0]
    try:
        return ipaddress.ip_address(value)
    except ValueError:
        return None


def _trusted(address, networks) -> bool:
    return address is not None and any(address in network for network in networks)


def device_id(request) -> str:
    """A fingerprint of the client's software: the headers a browser or app sends the same way on
    every request (user agent, languages, encodings). Many phones of one model share it; a
    script that varies it still shares its address (``client_ip``): limits use both."""
    meta = request.META
    return "|".join(
        meta.get(name, "")[:256] for name in ("HTTP_USER_AGENT", "HTTP_ACCEPT_LANGUAGE", "HTTP_ACCEPT_ENCODING")
    )


def client_ip(request) -> str | None:
    """The address to rate-limit and audit: ``REMOTE_ADDR``, or, when that is a trusted proxy, the
    right-most ``X-Forwarded-For`` entry that is not itself a trusted proxy."""
    remote = request.META.get("REMOTE_ADDR") or None
    networks = _networks(tuple(getattr(settings, "TRUSTED_PROXIES", ())))
    if not networks or not _trusted(_address(remote), networks):
        return remote
    hops = [h for h in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if h.strip()]
    for hop in reversed(hops):
        address = _address(hop)
        if address is None:  # garbage where an address should be: stop believing the header
            return remote
        if not _trusted(address, networks):
            return str(address)
    return remote
