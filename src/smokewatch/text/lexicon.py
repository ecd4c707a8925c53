"""Lexicons: lists of words with their legal sources, tiers and weights, loaded from YAML.

A lexicon is domain knowledge kept as data: ``text/lexicons/*.yml`` inside the package, plus
``*.yml`` files in workspace folders that add lexicons or replace a packaged one of the same
name. Each word carries the statute or notice behind it, so a finding can cite its basis.

To look for the words in text, build a :class:`~smokewatch.text.matcher.LexiconMatcher` with
:meth:`Lexicon.matcher`.

Examples:
    >>> lexicon = load_lexicon("restricted_financial_words")
    >>> lexicon.term("理财").tier
    <Tier.BINDING: 'binding'>
    >>> [m.term for m in lexicon.matcher().find("芜湖市鑫源理财咨询有限公司")]
    ['理财']
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from enum import StrEnum
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from smokewatch.errors import ConfigError, Location, NotFound, Problem
from smokewatch.model._yaml import (
    load_yaml_resource,
    load_yaml_text,
    package_dir,
    validation_problems,
)
from smokewatch.text.matcher import LexiconMatcher, Match, fold_for_matching

if TYPE_CHECKING:
    import pyarrow as pa


class Tier(StrEnum):
    """How firm the rule behind a restricted word is."""

    BINDING = "binding"
    """A statute in force forbids the word outright (e.g. 条例第九条)."""

    RECTIFICATION = "rectification"
    """Listed by the 2016 internet-finance rectification; not, or only conditionally, a statute."""

    NOTICE = "notice"
    """Watched by regulators (条例第九条第二款 and notices), not banned by a statute we cite."""

    CURATED = "curated"
    """Chosen by smokewatch analysts from observed texts; no statute or notice we cite names it."""


class SourceStatus(StrEnum):
    """Whether a lexicon source is quoted from the official text of a statute."""

    BINDING = "binding"
    """A statute in force, quoted verbatim (the quote is checked against the official text)."""

    SECONDARY = "secondary"
    """Known through a secondary text; the note names it. Check before relying on it."""

    CURATED = "curated"
    """smokewatch's own judgement, explained in the note (not an official text)."""


class TextKind(StrEnum):
    """Which registered text a word's rule covers."""

    NAME = "name"
    """The enterprise name (企业名称)."""

    SCOPE = "scope"
    """The business scope (经营范围)."""


@dataclass(frozen=True, slots=True)
class Label:
    """A title in Chinese and English."""

    zh: str
    en: str

    def get(self, lang: str) -> str:
        """The label in ``zh`` (any ``zh-*``) or else English."""
        return self.zh if lang.startswith("zh") else self.en


@dataclass(frozen=True, slots=True)
class LexiconCategory:
    """A category of lexicon words (a dotted key such as ``fundraising.guarantee``)."""

    id: str
    label: Label
    doc: str = ""
    typology: str | None = None
    """The typology (vocabulary ``typology``) the category points to, if one fits."""


@dataclass(frozen=True, slots=True)
class LexiconSource:
    """A statute, notice or secondary text that a lexicon word is based on."""

    id: str
    title: str
    issuer: str
    year: int | None
    """Year of issue; ``None`` when unknown (some secondary texts)."""
    status: SourceStatus
    document_number: str | None = None
    article: str | None = None
    quote: str | None = None
    note: str = ""

    def citation(self) -> str:
        """A short citation, e.g. ``《防范和处置非法集资条例》（国务院令第737号）第九条第一款``."""
        issue = self.document_number or (str(self.year) if self.year else "")
        return f"《{self.title}》" + (f"（{issue}）" if issue else "") + (self.article or "")


@dataclass(frozen=True, slots=True)
class LexiconTerm:
    """One word of a lexicon with its tier, weight, sources and spellings."""

    term: str
    tier: Tier
    weight: float
    sources: tuple[str, ...]
    doc: str
    variants: tuple[str, ...] = ()
    false_friends: tuple[str, ...] = ()
    applies_to: frozenset[TextKind] = frozenset(TextKind)
    category: str | None = None
    """The word's category (a key of :attr:`Lexicon.categories`); ``None`` when uncategorised."""

    @property
    def surfaces(self) -> tuple[str, ...]:
        """The spellings that are reported as this term: the term itself, then its variants."""
        return (self.term, *self.variants)


@dataclass(frozen=True, slots=True)
class Lexicon:
    """A named list of words with the sources behind them.

    ``terms`` and ``sources`` keep the order of the YAML file.
    """

    name: str
    title: Label
    doc: str
    terms: tuple[LexiconTerm, ...]
    sources: tuple[LexiconSource, ...]
    origin: str
    """Where the lexicon was loaded from (a package resource or a workspace file)."""
    categories: tuple[LexiconCategory, ...] = ()
    """The categories its words are sorted into, in the order of the YAML file (may be empty)."""

    def category(self, category_id: str) -> LexiconCategory:
        """One category by id; raises :class:`~smokewatch.errors.NotFound`."""
        for entry in self.categories:
            if entry.id == category_id:
                return entry
        raise NotFound(f"lexicon {self.name!r} has no category {category_id!r}")

    def term(self, term: str) -> LexiconTerm:
        """One term by its canonical spelling; raises :class:`~smokewatch.errors.NotFound`."""
        for entry in self.terms:
            if entry.term == term:
                return entry
        raise NotFound(f"lexicon {self.name!r} has no term {term!r}")

    def source(self, source_id: str) -> LexiconSource:
        """One source by id; raises :class:`~smokewatch.errors.NotFound`."""
        for entry in self.sources:
            if entry.id == source_id:
                return entry
        raise NotFound(f"lexicon {self.name!r} has no source {source_id!r}")

    def matcher(self, applies_to: TextKind | str | None = None) -> LexiconMatcher:
        """A matcher for this lexicon's words.

        With ``applies_to="name"`` (or ``"scope"``) only the words whose rule covers names
        (business scopes) are looked for. Building one takes well under a millisecond; build
        it once per process or batch.
        """
        kind = TextKind(applies_to) if applies_to is not None else None
        surfaces: dict[str, str] = {}
        false_friends: list[str] = []
        for entry in self.terms:
            if kind is not None and kind not in entry.applies_to:
                continue
            surfaces.update(dict.fromkeys(entry.surfaces, entry.term))
            false_friends.extend(entry.false_friends)
        return LexiconMatcher(surfaces, false_friends)

    def to_arrow(self) -> pa.Table:
        """One row per term (term, tier, weight, sources, doc, variants, applies_to, category)."""
        import pyarrow as pa  # noqa: PLC0415 - the text reader itself never needs Arrow

        return pa.table(
            {
                "term": [t.term for t in self.terms],
                "tier": [t.tier.value for t in self.terms],
                "weight": [t.weight for t in self.terms],
                "sources": [list(t.sources) for t in self.terms],
                "doc": [t.doc for t in self.terms],
                "variants": [list(t.variants) for t in self.terms],
                "applies_to": [sorted(k.value for k in t.applies_to) for t in self.terms],
                "category": [t.category for t in self.terms],
            },
            schema=lexicon_arrow_schema(),
        )


def lexicon_arrow_schema() -> pa.Schema:
    """The Arrow schema of :meth:`Lexicon.to_arrow`."""
    import pyarrow as pa  # noqa: PLC0415

    return pa.schema(
        [
            pa.field("term", pa.string(), nullable=False),
            pa.field("tier", pa.string(), nullable=False),
            pa.field("weight", pa.float64(), nullable=False),
            pa.field("sources", pa.list_(pa.string()), nullable=False),
            pa.field("doc", pa.string(), nullable=False),
            pa.field("variants", pa.list_(pa.string()), nullable=False),
            pa.field("applies_to", pa.list_(pa.string()), nullable=False),
            pa.field("category", pa.string(), nullable=True),
        ]
    )


# ---------------------------------------------------------------- YAML specs (the boundary)

_ID = r"^[a-z][a-z0-9_]*$"
_CATEGORY_ID = r"^[a-z][a-z0-9_]*(?:\.[a-z][a-z0-9_]*)+$"


class _Spec(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class _LabelSpec(_Spec):
    zh: str = Field(min_length=1)
    en: str = Field(min_length=1)


class _CategorySpec(_Spec):
    id: str = Field(pattern=_CATEGORY_ID)
    label: _LabelSpec
    doc: str = ""
    typology: str | None = None


class _SourceSpec(_Spec):
    id: str = Field(pattern=_ID)
    title: str = Field(min_length=1)
    issuer: str = Field(min_length=1)
    year: int | None = Field(default=None, ge=1949, le=2100)
    status: SourceStatus
    document_number: str | None = None
    article: str | None = None
    quote: str | None = None
    note: str = ""


class _TermSpec(_Spec):
    term: str = Field(min_length=1)
    tier: Tier
    weight: float = Field(ge=0.0, le=1.0)
    sources: list[str] = Field(min_length=1)
    doc: str = Field(min_length=1)
    variants: list[str] = []
    false_friends: list[str] = []
    applies_to: list[TextKind] = Field(default=[TextKind.NAME, TextKind.SCOPE], min_length=1)
    category: str | None = None


class _LexiconSpec(_Spec):
    kind: Literal["lexicon"] = "lexicon"
    name: str = Field(pattern=_ID)
    title: _LabelSpec
    doc: str = ""
    categories: list[_CategorySpec] = []
    sources: list[_SourceSpec] = []
    terms: list[_TermSpec] = Field(min_length=1)


def _cross_check(spec: _LexiconSpec, origin: str) -> list[Problem]:
    """Checks pydantic cannot express: references, duplicates, false friends, tiers."""
    loc = Location(origin)
    problems: list[Problem] = []
    sources = {s.id: s for s in spec.sources}
    if len(sources) != len(spec.sources):
        problems.append(Problem("duplicate source ids", loc))
    categories = {c.id for c in spec.categories}
    if len(categories) != len(spec.categories):
        problems.append(Problem("duplicate category ids", loc))
    problems.extend(
        Problem(f"term {t.term!r}: unknown category {t.category!r}", loc)
        for t in spec.terms
        if t.category is not None and t.category not in categories
    )
    problems.extend(
        Problem(f"source {s.id!r}: a binding source needs a year, an article and a quote", loc)
        for s in spec.sources
        if s.status is SourceStatus.BINDING and not (s.year and s.article and s.quote)
    )
    seen: dict[str, str] = {}
    for term in spec.terms:
        where = f"term {term.term!r}"
        problems.extend(
            Problem(f"{where}: unknown source {sid!r}", loc)
            for sid in term.sources
            if sid not in sources
        )
        if term.tier is Tier.BINDING and not any(
            sources[sid].status is SourceStatus.BINDING for sid in term.sources if sid in sources
        ):
            problems.append(Problem(f"{where}: tier binding needs a binding source", loc))
        folded = [fold_for_matching(s) for s in (term.term, *term.variants)]
        for surface in folded:
            if surface in seen:
                problems.append(
                    Problem(f"{where}: spelling {surface!r} already used by {seen[surface]!r}", loc)
                )
            seen[surface] = term.term
        problems.extend(
            Problem(f"{where}: false friend {friend!r} does not contain the word", loc)
            for friend in term.false_friends
            if not any(s in fold_for_matching(friend) for s in folded)
        )
    return problems


def parse_lexicon(raw: Any, origin: str) -> Lexicon:
    """Validate a parsed YAML document and build a :class:`Lexicon`.

    Raises:
        ConfigError: with every problem found (schema, unknown sources, duplicate spellings,
            false friends that do not contain their word, binding tier without binding source).
    """
    try:
        spec = _LexiconSpec.model_validate(raw)
    except ValidationError as exc:
        raise ConfigError(validation_problems(exc, origin)) from exc
    problems = _cross_check(spec, origin)
    if problems:
        raise ConfigError(problems)
    return Lexicon(
        name=spec.name,
        title=Label(spec.title.zh, spec.title.en),
        doc=spec.doc.strip(),
        terms=tuple(
            LexiconTerm(
                term=t.term,
                tier=t.tier,
                weight=t.weight,
                sources=tuple(t.sources),
                doc=t.doc.strip(),
                variants=tuple(t.variants),
                false_friends=tuple(t.false_friends),
                applies_to=frozenset(t.applies_to),
                category=t.category,
            )
            for t in spec.terms
        ),
        sources=tuple(
            LexiconSource(
                id=s.id,
                title=s.title,
                issuer=s.issuer,
                year=s.year,
                status=s.status,
                document_number=s.document_number,
                article=s.article,
                quote=s.quote.strip() if s.quote else None,
                note=s.note.strip(),
            )
            for s in spec.sources
        ),
        origin=origin,
        categories=tuple(
            LexiconCategory(
                id=c.id,
                label=Label(c.label.zh, c.label.en),
                doc=c.doc.strip(),
                typology=c.typology,
            )
            for c in spec.categories
        ),
    )


def _kind_of(raw: Any) -> str:
    """The ``kind`` of a data file in a lexicons folder (``lexicon`` when absent)."""
    return str(raw.get("kind", "lexicon")) if isinstance(raw, dict) else "lexicon"


@cache
def _package_lexicons() -> Mapping[str, Lexicon]:
    folder = package_dir("smokewatch.text", "lexicons")
    found: dict[str, Lexicon] = {}
    for node in sorted(folder.iterdir(), key=lambda n: n.name):
        if node.name.endswith(".yml"):
            raw = load_yaml_resource(node)
            if _kind_of(raw) == "lexicon":
                lexicon = parse_lexicon(raw, str(node))
                found[lexicon.name] = lexicon
    return found


def _workspace_lexicons(folder: Path) -> tuple[list[Lexicon], list[Problem]]:
    lexicons: list[Lexicon] = []
    problems: list[Problem] = []
    for path in sorted(folder.glob("*.yml")):
        try:
            raw = load_yaml_text(path.read_text(encoding="utf-8"), str(path))
            if _kind_of(raw) == "lexicon":
                lexicons.append(parse_lexicon(raw, str(path)))
        except ConfigError as exc:
            problems.extend(exc.problems)
    return lexicons, problems


def load_lexicons(extra_dirs: Iterable[str | Path] = ()) -> dict[str, Lexicon]:
    """Every lexicon by name: the packaged ones, then those in ``extra_dirs``, in order.

    A lexicon in a later folder replaces an earlier one of the same name, so a workspace can
    override a packaged lexicon by shipping ``lexicons/<file>.yml`` with the same ``name``.
    Files whose ``kind`` is not ``lexicon`` (e.g. scope patterns) are ignored. Folders that do
    not exist are skipped (a fresh workspace has none). Packaged lexicons are parsed once per
    process; workspace folders are read on every call.

    Raises:
        ConfigError: listing the problems of every invalid file, after reading all of them.
    """
    lexicons = dict(_package_lexicons())
    problems: list[Problem] = []
    for folder in extra_dirs:
        path = Path(folder)
        if not path.is_dir():
            continue
        found, errors = _workspace_lexicons(path)
        problems.extend(errors)
        lexicons.update((lex.name, lex) for lex in found)
    if problems:
        raise ConfigError(problems)
    return lexicons


def load_lexicon(name: str, extra_dirs: Iterable[str | Path] = ()) -> Lexicon:
    """One lexicon by name (see :func:`load_lexicons` for the search order).

    Raises:
        NotFound: no packaged or workspace lexicon has this name.
        ConfigError: a lexicon file is invalid.
    """
    lexicons = load_lexicons(extra_dirs)
    if name not in lexicons:
        known = ", ".join(sorted(lexicons))
        raise NotFound(f"unknown lexicon {name!r}; known: {known}")
    return lexicons[name]


__all__ = [
    "Label",
    "Lexicon",
    "LexiconCategory",
    "LexiconMatcher",
    "LexiconSource",
    "LexiconTerm",
    "Match",
    "SourceStatus",
    "TextKind",
    "Tier",
    "lexicon_arrow_schema",
    "load_lexicon",
    "load_lexicons",
    "parse_lexicon",
]
