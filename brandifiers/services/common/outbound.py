"""The one rule for the URLs the platform POSTs to (chat webhooks): https on port 443, a host of Google
Chat or of the admin's allow-list, and every address it resolves to public. `check` raises Refused
(a bad URL) or Unresolved (DNS failed); no reflex, no database. Design: docs/messaging.md."""

from __future__ import annotations

import ipaddress
import re
import socket
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from urllib.parse import urlsplit

DEFAULT_HOSTS = ("chat.googleapis.com",)
_HOST_RE = re.compile(r"^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$")

Resolver = Callable[[str, int], list[str]]


class Refused(ValueError):
    """The URL may never be contacted (its message says why)."""


class Unresolved(OSError):
    """The host name did not resolve now (maybe later)."""


@dataclass(frozen=True)
class Target:
    """A checked URL: where to connect (only these addresses) and what to ask for."""

    host: str
    port: int
    path: str
    addresses: tuple[str, ...]


def resolve_host(host: str, port: int) -> list[str]:
    """Every address of `host` (the system resolver); Unresolved when there is none."""
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (OSError, UnicodeError) as exc:
        raise Unresolved(f"{host} could not be resolved ({exc})") from exc
    return list(dict.fromkeys(info[4][0] for info in infos))


def address_problem(address: str) -> str | None:
    """Why an address is off limits (loopback, private, link-local, multicast, reserved), or None."""
    try:
        ip = ipaddress.ip_address(address.split("%", 1)[0])
    except ValueError:
        return f"{address} is not an IP address"
    if ip.version == 6 and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    for kind in ("loopback", "link_local", "multicast", "unspecified", "reserved", "private"):
        if getattr(ip, f"is_{kind}"):
            return f"{address} is a {kind.replace('_', '-')} address"
    if not ip.is_global:
        return f"{address} is not a public address"
    return None


def parse_hosts(text: str) -> list[str]:
    """The admin's allow-list (host names separated by commas, spaces or lines); Refused names the bad one."""
    hosts = []
    for raw in re.split(r"[\s,]+", (text or "").strip().lower()):
        host = raw.rstrip(".")
        if not host:
            continue
        if not _HOST_RE.match(host):
            raise Refused(f"{raw!r} is not a host name (write names like hooks.example.com, no addresses or paths)")
        hosts.append(host)
    return list(dict.fromkeys(hosts))


def check(url: str, allowed_hosts: Iterable[str] = (), *, resolve: Resolver | None = None) -> Target:
    """The Target of a URL that passes the rule; Refused or Unresolved otherwise."""
    url = (url or "").strip()
    try:
        parts = urlsplit(url)
        host, port = (parts.hostname or "").rstrip(".").lower(), parts.port or 443
    except ValueError as exc:
        raise Refused("this is not a valid URL") from exc
    if parts.scheme.lower() != "https" or not host:
        raise Refused("only https:// webhook URLs are accepted")
    if any(c.isspace() or ord(c) < 32 for c in url):
        raise Refused("the URL contains spaces or control characters")
    if parts.username is not None or parts.password is not None:
        raise Refused("the URL may not contain a user name or password")
    if port != 443:
        raise Refused("the URL may not name a port other than 443")
    allowed = set(DEFAULT_HOSTS) | {h.lower().rstrip(".") for h in allowed_hosts}
    if host not in allowed:
        raise Refused(f"{host} is not an allowed webhook host (allowed: {', '.join(sorted(allowed))})")
    addresses = (resolve or resolve_host)(host, port)
    if not addresses:
        raise Unresolved(f"{host} has no address")
    for address in addresses:
        problem = address_problem(address)
        if problem:
            raise Refused(f"{host} resolves to {problem}")
    path = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    return Target(host, port, path, tuple(addresses))
