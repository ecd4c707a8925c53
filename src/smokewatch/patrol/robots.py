"""robots.txt, per origin, read the way RFC 9309 says.

A robots.txt that answers 2xx is obeyed; 4xx (none there, or forbidden) allows everything;
5xx or no answer at all means the site is unreachable, and everything is disallowed until a
later run. ``Crawl-delay`` raises the host's interval. The file's own fetch is returned so
the patrol can seal it in the evidence: it shows which rules were in force at the time.
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlsplit
from urllib.robotparser import RobotFileParser

from smokewatch.patrol.fetch import Fetcher, Response

_MAX_CRAWL_DELAY_S = 60.0


@dataclass(frozen=True, slots=True)
class RobotsRules:
    """The rules of one origin."""

    origin: str
    verdict: str
    """``rules`` (a file was read), ``allow_all`` (4xx) or ``disallow_all`` (5xx, unreachable)."""
    parser: RobotFileParser | None
    crawl_delay_s: float | None
    response: Response

    def allows(self, url: str, user_agent: str) -> bool:
        """May ``user_agent`` fetch ``url``?"""
        if self.verdict == "allow_all":
            return True
        if self.verdict == "disallow_all" or self.parser is None:
            return False
        return self.parser.can_fetch(user_agent, url)


def origin_of(url: str) -> str:
    """``scheme://host[:port]`` of a URL (lower case)."""
    parts = urlsplit(url)
    return f"{parts.scheme.lower()}://{(parts.netloc or '').lower()}"


def fetch_robots(fetcher: Fetcher, origin: str) -> RobotsRules:
    """Fetch and read ``origin/robots.txt`` (see the module documentation)."""
    response = fetcher.fetch(f"{origin}/robots.txt", any_type=True)
    status = response.status
    if response.error is None and status is not None and 200 <= status < 300:
        parser = RobotFileParser()
        parser.parse(response.body.decode("utf-8", "replace").splitlines())
        delay = parser.crawl_delay(fetcher.limits.user_agent)
        seconds = min(float(delay), _MAX_CRAWL_DELAY_S) if delay is not None else None
        return RobotsRules(origin, "rules", parser, seconds, response)
    if response.error is None and status is not None and 400 <= status < 500:
        return RobotsRules(origin, "allow_all", None, None, response)
    return RobotsRules(origin, "disallow_all", None, None, response)


__all__ = ["RobotsRules", "fetch_robots", "origin_of"]
