"""Sites fetched from a mirror: canonical URLs for everything, the mirror for the requests.

A site's ``mirror`` (see :class:`~smokewatch.patrol.spec.Site`) is another origin that serves
the same pages — a staging host, a local copy, the demo's fixture server on a free loopback
port. What the patrol *says* about a page (its URL in the manifest, the links followed, the
document and its id, the change report, the findings) uses the site's canonical URL, so it is
the same whichever copy was read, and the same from one run to the next although a loopback
port changes. Only the request goes to the mirror, and the manifest records that URL
(``fetched_url``), so the evidence still shows exactly what was fetched from where.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from urllib.parse import urlsplit, urlunsplit

_DEFAULT_PORTS = {"http": 80, "https": 443}


def origin(url: str) -> str:
    """``scheme://host[:port]`` of a URL: lower case, without a default port.

    Examples:
        >>> origin("HTTP://WWW.Example.CN:80/a?b=1")
        'http://www.example.cn'
        >>> origin("http://127.0.0.1:8123/")
        'http://127.0.0.1:8123'
    """
    parts = urlsplit(url.strip())
    scheme = parts.scheme.lower()
    host = (parts.hostname or "").lower()
    default = parts.port in {None, _DEFAULT_PORTS.get(scheme)}
    return f"{scheme}://{host}" if default else f"{scheme}://{host}:{parts.port}"


def _moved(url: str, to: str) -> str:
    """``url`` with its scheme and host replaced by those of the origin ``to``."""
    parts = urlsplit(url)
    target = urlsplit(to)
    return urlunsplit((target.scheme, target.netloc, parts.path, parts.query, parts.fragment))


@dataclass(frozen=True, slots=True)
class Mirrors:
    """Canonical origin → mirror origin, for the sites of one patrol that have a mirror."""

    routes: Mapping[str, str] = field(default_factory=dict)

    @classmethod
    def of(cls, pairs: Iterable[tuple[str, str | None]]) -> Mirrors:
        """From ``(seed, mirror)`` pairs (sites without a mirror give ``None``)."""
        return cls({origin(seed): origin(mirror) for seed, mirror in pairs if mirror})

    def fetch_url(self, url: str) -> str:
        """The URL to request for the canonical ``url`` (itself unless its origin is mirrored).

        Examples:
            >>> Mirrors({"http://a.example.cn": "http://127.0.0.1:8123"}).fetch_url(
            ...     "http://a.example.cn/p?q=1")
            'http://127.0.0.1:8123/p?q=1'
        """
        if not self.routes:
            return url
        mirror = self.routes.get(origin(url))
        return url if mirror is None else _moved(url, mirror)

    def canonical(self, url: str) -> str:
        """The canonical URL of a URL on a mirror (a link or redirect pointing at the copy).

        Examples:
            >>> Mirrors({"http://a.example.cn": "http://127.0.0.1:8123"}).canonical(
            ...     "http://127.0.0.1:8123/about")
            'http://a.example.cn/about'
        """
        if not self.routes:
            return url
        wanted = origin(url)
        for canonical, mirror in self.routes.items():
            if mirror == wanted:
                return _moved(url, canonical)
        return url


__all__ = ["Mirrors", "origin"]
