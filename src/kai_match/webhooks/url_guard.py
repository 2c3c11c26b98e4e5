"""SSRF guard: a webhook may only reach public addresses over https.

A partner chooses the URL and the service sends requests to it, so without this check a key
could make the service probe the district's internal network or a cloud metadata address.
The URL is checked at registration (a 422 naming ``url``) and again before every attempt,
because a name can resolve differently later; the attempt then connects to the address that
was checked (``Target``), so a second lookup cannot swap in another one. Exceptions for test
receivers or an internal partner network are explicit CIDRs (``KAI_WEBHOOK_ALLOWED_NETWORKS``).
"""

from __future__ import annotations

import ipaddress
import socket
from collections.abc import Sequence
from dataclasses import dataclass
from urllib.parse import urlsplit

IpAddress = ipaddress.IPv4Address | ipaddress.IPv6Address


class UnsafeUrl(ValueError):
    """The URL breaks a rule; the message names the rule (it becomes the 422's field message)."""


@dataclass(frozen=True)
class Target:
    """Where one attempt connects: the checked address, and the name for Host and TLS (SNI)."""

    url: str  # the URL with the address in place of the name
    host: str
    port: int


def check(
    url: str,
    *,
    allow_http: bool,
    allowed_networks: Sequence[str] = (),
) -> Target:
    """The target of ``url`` if every rule holds; ``UnsafeUrl`` naming the first one broken."""
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError as exc:
        raise UnsafeUrl("must be a valid URL") from exc
    if parts.scheme not in ("https", "http") or (parts.scheme == "http" and not allow_http):
        raise UnsafeUrl("must use https")
    if not parts.hostname:
        raise UnsafeUrl("must name a host")
    if parts.username or parts.password:
        raise UnsafeUrl("must not contain a user name or password")
    if parts.fragment:
        raise UnsafeUrl("must not contain a fragment")
    port = port or (443 if parts.scheme == "https" else 80)
    address = _public_address(parts.hostname, port, _networks(allowed_networks))
    literal = f"[{address}]" if address.version == 6 else str(address)
    netloc = f"{literal}:{port}"
    pinned = parts._replace(netloc=netloc).geturl()
    return Target(url=pinned, host=parts.hostname, port=port)


def _networks(cidrs: Sequence[str]) -> list[ipaddress.IPv4Network | ipaddress.IPv6Network]:
    return [ipaddress.ip_network(c, strict=False) for c in cidrs]


def _public_address(host: str, port: int, allowed: list) -> IpAddress:
    """The first address of ``host``; every address it resolves to must be allowed."""
    try:
        infos = socket.getaddrinfo(host, port, proto=socket.IPPROTO_TCP)
    except (socket.gaierror, UnicodeError) as exc:
        raise UnsafeUrl("must name a host that resolves") from exc
    addresses = [ipaddress.ip_address(info[4][0].split("%")[0]) for info in infos]
    if not addresses:
        raise UnsafeUrl("must name a host that resolves")
    for address in addresses:
        rule = _forbidden(address)
        if rule and not any(address in network for network in allowed):
            raise UnsafeUrl(f"must not resolve to a {rule} address ({address})")
    return addresses[0]


def _forbidden(address: IpAddress) -> str | None:
    """Which kind of non-public address this is, or None for a public one."""
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped:
        address = address.ipv4_mapped
    if address.is_loopback:
        return "loopback"
    if address.is_link_local:
        return "link-local"
    if address.is_multicast:
        return "multicast"
    if address.is_private or address.is_reserved or address.is_unspecified:
        return "private"
    if not address.is_global:
        return "private"
    return None
