"""Patrol specs: ``patrol/<id>.yml`` in a workspace — which sites to patrol, and how politely.

A spec names its sites (seed URLs, the hosts the crawler may follow links to, depth and page
limits, the minimum interval between two requests to one host) and the fetch limits shared by
all of them (timeouts, retries, response size, content types, redirects). Every problem in a
file is reported at once, with its ``path:line``. The format is documented in
``docs/patrol.md``.
"""

from __future__ import annotations

from pathlib import Path
from typing import Literal
from urllib.parse import urlsplit

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from smokewatch import __version__
from smokewatch.errors import ConfigError, Location, NotFound, Problem
from smokewatch.model._yaml import load_yaml_text, validation_problems
from smokewatch.patrol.mirror import Mirrors, origin

PATROL_DIR = "patrol"
"""Folder of a workspace that holds the patrol specs (``<id>.yml``)."""

DEFAULT_USER_AGENT = f"smokewatch-patrol/{__version__}"
"""Announced to every site; a deployment should add a contact URL or address."""

_IDENT = r"^[a-z][a-z0-9_]*$"


class _Spec(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class RobotsOverride(_Spec):
    """An authorised decision to fetch a site although its robots.txt forbids it."""

    reason: str = Field(min_length=4)
    """Why (e.g. the warrant or the joint-conference decision that authorises it)."""

    authorised_by: str = Field(min_length=1)
    """Who authorised it (person or document number); recorded in every manifest entry."""


class Site(_Spec):
    """One site to patrol."""

    name: str = Field(min_length=1)
    """Name of the site or app, written to the documents' ``outlet``."""

    seeds: tuple[str, ...] = Field(min_length=1)
    """Start URLs (``http``/``https``)."""

    allowed_hosts: tuple[str, ...] = ()
    """Hosts whose links are followed (default: the seeds' hosts). ``*.example.cn`` allows
    sub-domains."""

    max_depth: int = Field(default=2, ge=0, le=10)
    """Link hops from a seed (0: the seeds only)."""

    max_pages: int = Field(default=100, ge=1, le=100_000)
    """Pages fetched from this site per run (robots.txt not counted)."""

    min_interval_s: float = Field(default=1.0, ge=0, le=3600)
    """Minimum seconds between two requests to the same host; a larger robots.txt
    ``Crawl-delay`` wins."""

    kind: Literal["web_page", "ad", "app_page", "post", "notice"] = "web_page"
    """``document_kind`` of the pages' documents."""

    subject_name: str | None = None
    """The operator the pages are attributed to, when known (documents' ``subject_name``)."""

    subject_uscc: str | None = None
    """USCC of that operator (documents' ``subject_uscc``; checked at ingest)."""

    adcode: str | None = None
    """Division code the site is watched for (documents' ``adcode``)."""

    robots_override: RobotsOverride | None = None
    """Fetch despite robots.txt, with the recorded authorisation."""

    render: bool = False
    """Also open each page in headless Chromium (pages that need JavaScript): the rendered DOM
    is read for text and links, and it and a screenshot are stored as evidence."""

    provenance: tuple[str, ...] = ()
    """Where the site came from (``patrol targets import`` writes it); the crawl ignores it."""

    mirror: str | None = None
    """Origin (``scheme://host[:port]``) to fetch the seeds' origin from instead: a staging
    host, a local copy, a fixture server on loopback. URLs, documents and their ids stay
    canonical (the seeds'); each request goes to the same path on the mirror, and the manifest
    records the URL fetched (:mod:`smokewatch.patrol.mirror`)."""

    @field_validator("seeds")
    @classmethod
    def _http_urls(cls, seeds: tuple[str, ...]) -> tuple[str, ...]:
        for seed in seeds:
            parts = urlsplit(seed)
            if parts.scheme not in {"http", "https"} or not parts.hostname:
                raise ValueError(f"seed {seed!r} is not an http(s) URL")
        return seeds

    @field_validator("mirror")
    @classmethod
    def _an_origin(cls, mirror: str | None) -> str | None:
        if mirror is None:
            return None
        parts = urlsplit(mirror)
        if parts.scheme not in {"http", "https"} or not parts.hostname:
            raise ValueError(f"mirror {mirror!r} is not an http(s) URL")
        if parts.path not in {"", "/"} or parts.query or parts.fragment:
            raise ValueError(f"mirror {mirror!r} must be an origin (scheme://host[:port]) only")
        return mirror

    @model_validator(mode="after")
    def _one_mirrored_origin(self) -> Site:
        if self.mirror is None:
            return self
        origins = sorted({origin(seed) for seed in self.seeds})
        if len(origins) > 1:
            raise ValueError(f"a site with a mirror needs seeds of one origin, not {origins}")
        if self.render:
            raise ValueError("render: true is not supported for a site with a mirror")
        return self

    @property
    def hosts(self) -> tuple[str, ...]:
        """Hosts links may lead to: ``allowed_hosts`` or the seeds' hosts."""
        if self.allowed_hosts:
            return tuple(h.lower() for h in self.allowed_hosts)
        return tuple(dict.fromkeys((urlsplit(s).hostname or "").lower() for s in self.seeds))


class FetchLimits(_Spec):
    """How every request of a patrol behaves."""

    user_agent: str = DEFAULT_USER_AGENT
    """``User-Agent`` header, also the name robots.txt rules are matched against."""

    connect_timeout_s: float = Field(default=10.0, gt=0, le=300)
    """Seconds to wait for a connection and for each read."""

    total_timeout_s: float = Field(default=30.0, gt=0, le=600)
    """Seconds a whole response may take (a server trickling bytes is cut off)."""

    retries: int = Field(default=2, ge=0, le=5)
    """Extra attempts after a connection error or a 5xx/429 response."""

    backoff_s: float = Field(default=1.0, ge=0, le=60)
    """Wait before the first retry; doubled for each further one."""

    max_bytes: int = Field(default=5 << 20, ge=1024, le=200 << 20)
    """Largest response body kept; a longer one is stored truncated and flagged."""

    max_redirects: int = Field(default=5, ge=0, le=20)
    """Redirects followed per URL (each hop is recorded)."""

    content_types: tuple[str, ...] = ("text/html", "application/xhtml+xml", "text/plain")
    """Media types whose bodies are stored and read; others are recorded without a body."""

    workers: int = Field(default=4, ge=1, le=32)
    """Sites crawled at the same time; each host still gets one request at a time, spaced by
    its interval (1: one site after the other)."""


class RenderOptions(_Spec):
    """How pages of sites with ``render: true`` are rendered."""

    chromium: str = "/usr/bin/chromium"
    """The browser executable (Debian's chromium; nothing is downloaded)."""

    timeout_s: float = Field(default=30.0, gt=0, le=300)
    """Seconds a page may take to load in the browser."""

    settle_ms: int = Field(default=500, ge=0, le=30_000)
    """Milliseconds to wait after ``load`` for scripts that fill the page late."""

    screenshot: bool = True
    """Store a full-page PNG screenshot with each rendered page."""

    viewport: tuple[int, int] = (1366, 768)
    """Browser window width and height in pixels."""


class Schedule(_Spec):
    """How often a patrol runs when ``smokewatch patrol run --due`` is called (by cron/systemd)."""

    every_hours: float = Field(gt=0, le=24 * 366)
    """Hours between the end of the last successful run and the next one."""


class PatrolSpec(_Spec):
    """A patrol: its sites and fetch limits."""

    id: str = Field(pattern=_IDENT)
    """Patrol id; equals the file name without ``.yml``."""

    title: str = Field(min_length=1)
    """What the patrol watches, for people."""

    sites: tuple[Site, ...] = Field(min_length=1)
    """The sites."""

    fetch: FetchLimits = FetchLimits()
    """Request behaviour."""

    render: RenderOptions = RenderOptions()
    """Browser settings for the sites that render (``render: true``)."""

    schedule: Schedule | None = None
    """When the patrol is due; without one it runs only when asked by name."""

    @model_validator(mode="after")
    def _unique_site_names(self) -> PatrolSpec:
        names = [s.name for s in self.sites]
        dupes = sorted({n for n in names if names.count(n) > 1})
        if dupes:
            raise ValueError(f"site names must be unique: {', '.join(dupes)}")
        return self

    @property
    def mirrors(self) -> Mirrors:
        """The mirrored origins of the sites that have a ``mirror``."""
        return Mirrors.of((site.seeds[0], site.mirror) for site in self.sites)

    @model_validator(mode="after")
    def _mirrors_one_to_one(self) -> PatrolSpec:
        """Each mirrored origin has one mirror, and each mirror serves one origin.

        Otherwise a request, or a link found on a mirror, could not be told apart.
        """
        pairs = {(origin(s.seeds[0]), origin(s.mirror)) for s in self.sites if s.mirror}
        for side, clash in ((0, "origin {} has more than one mirror"),
                            (1, "mirror {} serves more than one origin")):  # fmt: skip
            values = [pair[side] for pair in pairs]
            clashes = sorted({v for v in values if values.count(v) > 1})
            if clashes:
                raise ValueError(clash.format(clashes[0]))
        return self


def parse_patrol_spec(text: str, source: str, *, expected_id: str | None = None) -> PatrolSpec:
    """Parse and validate a spec's YAML text (``source`` names it in error locations).

    Raises:
        ConfigError: every problem, located in the text.
    """
    raw = load_yaml_text(text, source)
    if not isinstance(raw, dict):
        raise ConfigError([Problem("a patrol spec must be a mapping", Location(source, 1))])
    try:
        spec = PatrolSpec.model_validate(raw)
    except ValidationError as exc:
        problems = validation_problems(exc, source, text)
        # A list whose items all failed is also reported "too short"; the items' errors say why.
        echoes = [p for p in problems if "after validation, not 0" in p.message]
        raise ConfigError([p for p in problems if p not in echoes] or problems) from exc
    if expected_id is not None and spec.id != expected_id:
        raise ConfigError(
            [Problem(f"patrol id {spec.id!r} differs from its file name", Location(source, 1))]
        )
    return spec


def load_patrol_spec(patrol_dir: Path, patrol_id: str) -> PatrolSpec:
    """The spec ``patrol_dir/<patrol_id>.yml``.

    Raises:
        NotFound: no such file (the message lists the patrols there are).
        ConfigError: the file is wrong.
    """
    path = patrol_dir / f"{patrol_id}.yml"
    if not path.is_file():
        known = ", ".join(list_patrol_ids(patrol_dir)) or "none"
        raise NotFound(f"no patrol spec {path} (known patrols: {known})")
    return parse_patrol_spec(path.read_text(encoding="utf-8"), str(path), expected_id=patrol_id)


def list_patrol_ids(patrol_dir: Path) -> list[str]:
    """Ids of the specs in ``patrol_dir``, sorted."""
    if not patrol_dir.is_dir():
        return []
    return sorted(p.stem for p in patrol_dir.glob("*.yml"))


__all__ = [
    "DEFAULT_USER_AGENT",
    "PATROL_DIR",
    "FetchLimits",
    "PatrolSpec",
    "RenderOptions",
    "RobotsOverride",
    "Schedule",
    "Site",
    "list_patrol_ids",
    "load_patrol_spec",
    "parse_patrol_spec",
]
