"""Behind a reverse proxy: forwarded addresses count only when a trusted proxy sent them."""

from __future__ import annotations

from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from smokewatch.errors import InvalidInput
from smokewatch.portal.pages import PortalConfig
from smokewatch.portal.proxies import client_address, parse_networks
from tests.portal.conftest import Portal, make_portal

PROXIES = parse_networks(["10.0.0.0/8", "fd00::/8"])


@pytest.mark.parametrize(
    ("peer", "headers", "expected"),
    [
        # No proxy trusted: the peer, whatever the headers say.
        ("203.0.113.7", {"x-forwarded-for": "1.2.3.4"}, "203.0.113.7"),
        # The peer is a trusted proxy: the address it appended.
        ("10.0.0.2", {"x-forwarded-for": "203.0.113.7"}, "203.0.113.7"),
        # A client's own X-Forwarded-For stays at the left of what the proxy appended.
        ("10.0.0.2", {"x-forwarded-for": "1.2.3.4, 203.0.113.7"}, "203.0.113.7"),
        # Two trusted proxies in a row are skipped.
        ("10.0.0.2", {"x-forwarded-for": "198.51.100.1, 10.0.0.9"}, "198.51.100.1"),
        # Forwarded (RFC 7239) wins over X-Forwarded-For; quoted v6 with a port.
        (
            "10.0.0.2",
            {"forwarded": 'for="[2001:db8::7]:4711";proto=https', "x-forwarded-for": "1.2.3.4"},
            "2001:db8::7",
        ),
        ("10.0.0.2", {"forwarded": "for=1.2.3.4, for=198.51.100.2:80"}, "198.51.100.2"),
        # Not an address: the walk stops at the last trusted hop (the proxy's bucket).
        ("10.0.0.2", {"x-forwarded-for": "unknown"}, "10.0.0.2"),
        ("10.0.0.2", {"forwarded": "for=_hidden"}, "10.0.0.2"),
        ("10.0.0.2", {"x-forwarded-for": "1.2.3.4, <script>, 10.0.0.3"}, "10.0.0.3"),
        # A trusted proxy that forwarded nothing: the proxy.
        ("10.0.0.2", {}, "10.0.0.2"),
        # v6 proxies, and a v4 peer written as a v6-mapped address.
        ("fd00::1", {"x-forwarded-for": "203.0.113.9"}, "203.0.113.9"),
        ("::ffff:10.0.0.2", {"x-forwarded-for": "203.0.113.9"}, "203.0.113.9"),
    ],
)
def test_the_client_is_the_first_untrusted_hop_from_the_right(
    peer: str, headers: dict[str, str], expected: str
) -> None:
    trusted = () if peer == "203.0.113.7" else PROXIES
    assert client_address(peer, headers, trusted) == expected


def test_a_bad_trusted_proxy_is_refused_with_its_value() -> None:
    with pytest.raises(InvalidInput, match=r"10\.0\.0\.300"):
        parse_networks(["10.0.0.0/8", "10.0.0.300"])


def _submissions(client: TestClient, portal_store: object, spoofs: list[str]) -> list[int]:
    portal = Portal(client, portal_store, None, {})  # type: ignore[arg-type]
    return [
        portal.submit(
            {"description": f"第{i}次：承诺年化{20 + i}%，保本保息，拉人头返佣金，无法提现。"},
            headers={"X-Forwarded-For": spoof},
        ).status_code
        for i, spoof in enumerate(spoofs)
    ]


def test_a_direct_client_cannot_escape_the_limit_by_forging_addresses(tmp_path: Path) -> None:
    config = PortalConfig(pow_bits=2, submissions_per_ip=(2, 600.0))
    app, store, _, _ = make_portal(tmp_path, config)
    with TestClient(app, client=("203.0.113.7", 50000)) as client:
        spoofs = ["1.1.1.1", "2.2.2.2", "3.3.3.3"]
        assert _submissions(client, store, spoofs) == [200, 200, 429]
    store.dispose()


def test_behind_a_trusted_proxy_each_forwarded_client_has_its_own_limit(tmp_path: Path) -> None:
    config = PortalConfig(
        pow_bits=2, submissions_per_ip=(1, 600.0), trusted_proxies=parse_networks(["10.0.0.0/8"])
    )
    app, store, _, _ = make_portal(tmp_path, config)
    with TestClient(app, client=("10.0.0.2", 50000)) as client:
        # Two clients behind the proxy; the second forges its own header before the proxy's.
        chains = ["198.51.100.1", "198.51.100.2", "198.51.100.1", "198.51.100.3, 198.51.100.2"]
        assert _submissions(client, store, chains) == [200, 200, 429, 429]
    store.dispose()
