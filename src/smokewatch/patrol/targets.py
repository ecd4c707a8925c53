"""Patrol targets drawn from what the workspace already knows, for an officer to add.

A *lead* is one sighting of a website: a platform's registered ``website``, a URL in a tip,
a URL in a news item, post or ad, the domain of an operator's e-mail address on a patrolled
page. Leads are grouped by registrable domain (:func:`smokewatch.resolve.keys.domain_key`:
``www.a.com.cn/x`` → ``a.com.cn``) into *targets*, each with every lead as its provenance.
Domains a patrol spec already covers (its seeds and allowed hosts) and public webmail domains
(``qq.com``, ``163.com`` …) are left out. Nothing here fetches anything: a target becomes a
site of a spec only when an officer imports it, and the crawl then obeys robots.txt and the
site's allowed hosts like any other site.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from urllib.parse import urlsplit

from smokewatch.model.types.base import ValueTypeError
from smokewatch.patrol.spec import PatrolSpec
from smokewatch.resolve.keys import domain_key
from smokewatch.text.mentions import MentionKind, find_mentions

WEBMAIL = frozenset(
    {
        "qq.com",
        "foxmail.com",
        "163.com",
        "126.com",
        "yeah.net",
        "sina.com",
        "sina.cn",
        "sohu.com",
        "139.com",
        "189.cn",
        "wo.cn",
        "aliyun.com",
        "gmail.com",
        "hotmail.com",
        "outlook.com",
        "live.com",
        "yahoo.com",
        "icloud.com",
    }
)
"""E-mail domains of public mail services: an address there says nothing of a website."""

ORIGINS = ("platform", "tip", "document", "page_email")
"""Where leads come from, in the order a target's seed is chosen."""


@dataclass(frozen=True, slots=True)
class Lead:
    """One sighting of a website and where it was seen."""

    url: str
    """The URL as seen (``http://<domain>/`` for an e-mail domain)."""
    origin: str
    """``platform``, ``tip``, ``document`` or ``page_email``."""
    reference: str
    """The row that shows it: platform id, tip id, document id, page URL."""
    subject_name: str | None = None
    subject_uscc: str | None = None

    def describe(self) -> str:
        """The lead in one line (a spec's ``provenance``)."""
        who = f" ({self.subject_name})" if self.subject_name else ""
        return f"{self.origin} {self.reference}{who}: {self.url}"


@dataclass(frozen=True, slots=True)
class Target:
    """A domain to patrol, with every lead that points at it."""

    domain: str
    seed: str
    subject_name: str | None
    subject_uscc: str | None
    leads: tuple[Lead, ...]

    def site(self) -> dict[str, object]:
        """The target as a site of a patrol spec (``patrol/<id>.yml``)."""
        site: dict[str, object] = {
            "name": self.domain,
            "seeds": [self.seed],
            "allowed_hosts": [self.domain, f"*.{self.domain}"],
        }
        if self.subject_name:
            site["subject_name"] = self.subject_name
        if self.subject_uscc:
            site["subject_uscc"] = self.subject_uscc
        site["provenance"] = [lead.describe() for lead in self.leads]
        return site


def domain_of(url: str) -> str | None:
    """The registrable domain of ``url``, or None (not a domain: an IP address, garbage)."""
    try:
        return domain_key(url).value
    except ValueTypeError:
        return None


def urls_in(text: str | None) -> list[str]:
    """The URLs a text writes (the text kit's mention finder)."""
    return [m.text for m in find_mentions(text) if m.kind == MentionKind.URL]


def covered_domains(specs: Iterable[PatrolSpec]) -> set[str]:
    """Domains the specs already patrol (seeds and allowed hosts, ``*.`` dropped)."""
    found: set[str] = set()
    for spec in specs:
        for site in spec.sites:
            for host in (*site.seeds, *(h.removeprefix("*.") for h in site.allowed_hosts)):
                if (domain := domain_of(host)) is not None:
                    found.add(domain)
    return found


def _seed(leads: Sequence[Lead], domain: str) -> str:
    for lead in sorted(leads, key=lambda lead: ORIGINS.index(lead.origin)):
        parts = urlsplit(lead.url if "//" in lead.url else f"http://{lead.url}")
        if parts.scheme in {"http", "https"} and parts.hostname:
            return f"{parts.scheme}://{parts.hostname}/"
    return f"http://{domain}/"


def group_leads(leads: Iterable[Lead], covered: set[str]) -> list[Target]:
    """Targets by domain, most leads first; covered and webmail domains left out."""
    by_domain: dict[str, list[Lead]] = {}
    for lead in leads:
        domain = domain_of(lead.url)
        if domain is None or domain in covered or domain in WEBMAIL:
            continue
        if lead not in by_domain.setdefault(domain, []):
            by_domain[domain].append(lead)
    targets = []
    for domain, found in by_domain.items():
        named = next((lead for lead in found if lead.subject_uscc), None) or next(
            (lead for lead in found if lead.subject_name), None
        )
        targets.append(
            Target(
                domain,
                _seed(found, domain),
                named.subject_name if named else None,
                named.subject_uscc if named else None,
                tuple(found),
            )
        )
    return sorted(targets, key=lambda t: (-len(t.leads), t.domain))


__all__ = [
    "WEBMAIL",
    "Lead",
    "Target",
    "covered_domains",
    "domain_of",
    "group_leads",
    "urls_in",
]
