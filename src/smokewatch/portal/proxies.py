"""The client's address behind reverse proxies the operator trusts — and only those.

Anyone can send ``X-Forwarded-For`` or ``Forwarded``; believing it would let a flooder pick a
fresh address for every request and walk past the rate limits. So the portal reads those
headers **only when the direct peer is a trusted proxy** (``--trusted-proxy CIDR``, repeatable,
default none), and then walks the chain **from the right**: the peer appended, every hop that is
itself a trusted proxy skipped, the first other address is the client. Addresses a client wrote
at the left of the chain are never reached while an untrusted hop stands to their right.

``Forwarded`` (RFC 7239) wins over ``X-Forwarded-For`` when a trusted proxy sends both. A value
that is not an address (``unknown``, an obfuscated ``_hidden`` name, garbage) stops the walk at
the last trusted hop, so such requests share that proxy's bucket rather than escape the limits.
"""

from __future__ import annotations

import ipaddress
import re
from collections.abc import Iterable, Mapping, Sequence
from typing import Final

from smokewatch.errors import InvalidInput

Network = ipaddress.IPv4Network | ipaddress.IPv6Network
Address = ipaddress.IPv4Address | ipaddress.IPv6Address

_FOR: Final = re.compile(r'(?:^|[;,\s])for\s*=\s*("[^"]*"|[^;,\s]+)', re.IGNORECASE)
MAX_HOPS: Final = 20
"""Hops read from the right at most (a longer chain is cut: its left end is the client's)."""


def parse_networks(values: Iterable[str]) -> tuple[Network, ...]:
    """CIDRs (``10.0.0.0/8``, ``::1``, a bare address is a /32 or /128) as networks.

    Raises:
        InvalidInput: a value is not an address or network (the message names it).
    """
    networks = []
    for value in values:
        try:
            networks.append(ipaddress.ip_network(value.strip(), strict=False))
        except ValueError as exc:
            raise InvalidInput(f"--trusted-proxy: not an address or CIDR: {value!r}") from exc
    return tuple(networks)


def _address(text: str) -> Address | None:
    value = text.strip().strip('"')
    if value.startswith("["):  # [v6] or [v6]:port
        value = value[1 : value.find("]")] if "]" in value else ""
    elif value.count(":") == 1:  # v4:port
        value = value.split(":", 1)[0]
    try:
        return ipaddress.ip_address(value)
    except ValueError:
        return None


def _trusted(address: Address, trusted: Sequence[Network]) -> bool:
    mapped = getattr(address, "ipv4_mapped", None)
    candidates = (address, mapped) if mapped is not None else (address,)
    return any(
        a in network for a in candidates for network in trusted if a.version == network.version
    )


def _chain(headers: Mapping[str, str]) -> list[str]:
    forwarded = headers.get("forwarded")
    if forwarded:
        return [match.group(1) for match in _FOR.finditer(forwarded)]
    xff = headers.get("x-forwarded-for")
    return xff.split(",") if xff else []


def client_address(peer: str | None, headers: Mapping[str, str], trusted: Sequence[Network]) -> str:
    """The address the limits count for a request from ``peer`` with these headers.

    Examples:
        >>> proxies = parse_networks(["10.0.0.0/8"])
        >>> client_address("10.0.0.2", {"x-forwarded-for": "6.6.6.6, 203.0.113.7"}, proxies)
        '203.0.113.7'
        >>> client_address("198.51.100.9", {"x-forwarded-for": "1.2.3.4"}, proxies)
        '198.51.100.9'
    """
    if peer is None:
        return "unknown"
    here = _address(peer)
    if here is None or not trusted or not _trusted(here, trusted):
        return peer
    last_trusted = here
    for hop in reversed(_chain(headers)[-MAX_HOPS:]):
        found = _address(hop)
        if found is None:
            return str(last_trusted)
        if not _trusted(found, trusted):
            return str(found)
        last_trusted = found
    return str(last_trusted)


__all__ = ["MAX_HOPS", "Network", "client_address", "parse_networks"]
