"""Which addresses a webhook may be sent to. A webhook URL is chosen by whoever manages
endpoints, and the worker that POSTs to it sits inside our network: without this check a URL
could make it talk to the database, Redis, the cloud's metadata service (which hands out
credentials) or anything else only reachable from inside.

Production refuses loopback, private, link-local (169.254.0.0/16, where metadata services live),
shared, reserved and multicast addresses, and the metadata addresses by name; local settings
(``make run``) and tests allow them with ``WEBHOOK_ALLOW_PRIVATE_TARGETS``. The URL is checked
when it is saved and the address again at every connection (``delivery``), since a name can
resolve elsewhere later (DNS rebinding)."""

from __future__ import annotations

import ipaddress
import socket
from collections.abc import Callable
from urllib.parse import urlsplit

from django.conf import settings

# Cloud metadata services. 169.254.169.254 is link-local anyway; AWS's IPv6 one is a unique
# local address and Alibaba's is in the shared (carrier-grade NAT) range, both refused as such,
# but naming them keeps the reason clear in the error.
METADATA_ADDRESSES = frozenset(
    ipaddress.ip_address(a) for a in ("169.254.169.254", "fd00:ec2::254", "100.100.100.200")
)

# Carrier-grade NAT (RFC 6598): not private to ``ipaddress``, but inside someone's network.
SHARED_ADDRESS_SPACE = ipaddress.ip_network("100.64.0.0/10")

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address


class TargetRefused(Exception):
    """The URL is not one a webhook may be sent to; the message says why."""


# In order: the first that applies names the reason.
_REFUSED: list[tuple[str, Callable[[IPAddress], bool]]] = [
    ("a loopback address", lambda a: a.is_loopback),
    ("an unspecified address (this host)", lambda a: a.is_unspecified),
    ("a link-local address", lambda a: a.is_link_local),
    ("a private address", lambda a: a.is_private or a in SHARED_ADDRESS_SPACE),
    ("a reserved address", lambda a: a.is_multicast or a.is_reserved),
    ("a non-public address", lambda a: not a.is_global),
]


def refusal_reason(address: IPAddress) -> str | None:
    """Why ``address`` may not be a webhook's target, or ``None`` when it may."""
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        address = address.ipv4_mapped
    if address in METADATA_ADDRESSES:
        return "a cloud metadata address"
    if settings.WEBHOOK_ALLOW_PRIVATE_TARGETS:
        return None
    return next((reason for reason, applies in _REFUSED if applies(address)), None)


def resolve(host: str, port: int) -> list[IPAddress]:
    """Every address ``host`` resolves to (a literal address is itself)."""
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError) as exc:
        raise TargetRefused(f"{host} does not resolve.") from exc
    return list(
        dict.fromkeys(ipaddress.ip_address(str(info[4][0]).split("%")[0]) for info in infos)
    )


def checked_addresses(host: str, port: int) -> list[IPAddress]:
    """The addresses of ``host`` to connect to; refuses the host when any of them is refused
    (a name with one public and one private address would otherwise be a coin toss)."""
    addresses = resolve(host, port)
    for address in addresses:
        reason = refusal_reason(address)
        if reason is not None:
            raise TargetRefused(f"{host} resolves to {address}, {reason}.")
    return addresses


def check_url(url: str) -> None:
    """Refuse a URL that is not http(s) with a host, or whose host resolves to a refused
    address (``TargetRefused`` with the reason)."""
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https"):
        raise TargetRefused("Only http and https URLs can receive webhooks.")
    if not parts.hostname:
        raise TargetRefused("The URL has no host.")
    if parts.username or parts.password:
        # Credentials in the URL would be logged with every attempt; a receiver checks the
        # signature instead.
        raise TargetRefused("Leave credentials out of the URL; receivers verify the signature.")
    try:
        port = parts.port or (443 if parts.scheme == "https" else 80)
    except ValueError as exc:
        raise TargetRefused("The URL's port is not a port number.") from exc
    checked_addresses(parts.hostname, port)
