"""The client's address behind a reverse proxy, believed only from proxies we run.

``X-Forwarded-For`` is a header anyone can send. It is honoured only when the direct peer
(the TCP connection's address) is in ``TRUSTED_PROXIES`` (addresses or CIDR networks,
``CHAINCRM_TRUSTED_PROXIES`` as a comma-separated list). The client is then the
right-most address of the header that is not itself a trusted proxy (every proxy appends
the address it received the request from, so what lies left of that was written by the
client and proves nothing). ``X-Forwarded-Proto`` from a trusted proxy sets the scheme.
From any other peer both headers are ignored. This is werkzeug's ProxyFix with a list of
proxy addresses instead of a count of hops.

Login throttling, audit rows and sessions read the result as ``request.remote_addr``.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Iterable

__all__ = [
    "client_address",
    "init_app",
    "Network",
    "parse_networks",
    "PROXY_HEADERS",
    "TRUSTED_HEADERS",
    "TrustedProxyMiddleware",
]

Network = ipaddress.IPv4Network | ipaddress.IPv6Network
# What a trusted proxy tells the application (docs/nginx.conf sets exactly these).
TRUSTED_HEADERS = ("X-Forwarded-For", "X-Forwarded-Proto")
# The other proxy headers waitress would clear; the application uses none of them.
PROXY_HEADERS = ("HTTP_FORWARDED", "HTTP_X_FORWARDED_HOST", "HTTP_X_FORWARDED_PORT", "HTTP_X_FORWARDED_BY")


def parse_networks(entries: Iterable[str] | str | None) -> tuple[Network, ...]:
    """``("10.0.0.1", "192.0.2.0/24")`` or ``"10.0.0.1, 192.0.2.0/24"`` as networks.

    >>> [str(n) for n in parse_networks("127.0.0.1, 192.0.2.0/24,::1")]
    ['127.0.0.1/32', '192.0.2.0/24', '::1/128']
    """
    if isinstance(entries, str):
        entries = entries.split(",")
    networks = []
    for entry in entries or ():
        entry = entry.strip()
        if not entry:
            continue
        try:
            networks.append(ipaddress.ip_network(entry, strict=False))
        except ValueError:
            raise ValueError(f"TRUSTED_PROXIES: {entry!r} is not an IP address or network") from None
    return tuple(networks)


def _address(text: str):
    try:
        return ipaddress.ip_address(text.strip())
    except ValueError:
        return None


def _trusted(address, networks: tuple[Network, ...]) -> bool:
    return address is not None and any(address in network for network in networks)


def client_address(peer: str, forwarded_for: str, networks: tuple[Network, ...]) -> str:
    """The client's address for a request from ``peer`` carrying ``forwarded_for``.

    >>> proxies = parse_networks("127.0.0.1")
    >>> client_address("127.0.0.1", "203.0.113.9", proxies)
    '203.0.113.9'
    >>> client_address("127.0.0.1", "198.51.100.1, 203.0.113.9", proxies)  # the left one is the client's claim
    '203.0.113.9'
    >>> client_address("198.51.100.7", "203.0.113.9", proxies)  # not from our proxy: ignored
    '198.51.100.7'
    >>> client_address("127.0.0.1", "not-an-address", proxies)
    '127.0.0.1'
    """
    if not networks or not _trusted(_address(peer), networks):
        return peer
    client = peer
    for hop in reversed([h for h in forwarded_for.split(",") if h.strip()]):
        address = _address(hop)
        if address is None:
            break  # garbage from a client: the last proxy's word stands
        client = str(address)
        if not _trusted(address, networks):
            break
    return client


class TrustedProxyMiddleware:
    """WSGI middleware applying :func:`client_address` to ``REMOTE_ADDR``.

    Reads ``app.config["TRUSTED_PROXIES"]`` on each request (parsed once per value), so
    a test may change it on a running server.
    """

    def __init__(self, wsgi_app, app):
        self.wsgi_app, self.app = wsgi_app, app
        self._parsed: tuple[object, tuple[Network, ...]] = (None, ())

    def networks(self) -> tuple[Network, ...]:
        setting = self.app.config.get("TRUSTED_PROXIES") or ()
        if self._parsed[0] != setting:
            self._parsed = (setting, parse_networks(setting))
        return self._parsed[1]

    def __call__(self, environ, start_response):
        networks = self.networks()
        peer = environ.get("REMOTE_ADDR", "")
        # Nothing below sees a proxy header: what they say is in REMOTE_ADDR and the scheme
        # when a trusted proxy said it, and nowhere otherwise. (Flask-Login, for one, would
        # read the left-most X-Forwarded-For, which the client writes.)
        forwarded_for = environ.pop("HTTP_X_FORWARDED_FOR", "")
        scheme = environ.pop("HTTP_X_FORWARDED_PROTO", "").split(",")[-1].strip().lower()
        for header in PROXY_HEADERS:
            environ.pop(header, None)
        if networks and _trusted(_address(peer), networks):
            environ["chaincrm.proxy_peer"] = peer
            environ["REMOTE_ADDR"] = client_address(peer, forwarded_for, networks)
            if scheme in ("http", "https"):
                environ["wsgi.url_scheme"] = scheme
        return self.wsgi_app(environ, start_response)


def init_app(app) -> None:
    """Install the middleware. Run under waitress with ``clear_untrusted_proxy_headers=False``
    (``chaincrm serve`` does): waitress would otherwise drop the headers before we see them,
    and it trusts one proxy address at most, not a list of networks."""
    parse_networks(app.config.get("TRUSTED_PROXIES"))  # a typo stops the start, not a request
    app.wsgi_app = TrustedProxyMiddleware(app.wsgi_app, app)
