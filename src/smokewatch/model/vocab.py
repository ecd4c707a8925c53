"""Controlled vocabularies (statuses, licence kinds, typologies) with zh-CN/en labels."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cache
from typing import Any

from smokewatch.errors import ConfigError, Location, Problem
from smokewatch.model._yaml import load_yaml_resource, package_dir


@dataclass(frozen=True, slots=True)
class Term:
    """One vocabulary entry with its labels and any extra attributes from the YAML."""

    id: str
    label_zh: str
    label_en: str
    attrs: Mapping[str, Any] = field(default_factory=dict)

    def label(self, lang: str) -> str:
        """The label in ``zh`` or ``en`` (falls back to the id)."""
        return (self.label_zh if lang.startswith("zh") else self.label_en) or self.id


@dataclass(frozen=True, slots=True)
class Vocabulary:
    """A named list of terms, plus synonyms that map raw wording to term ids."""

    name: str
    doc: str
    terms: Mapping[str, Term]
    synonyms: Mapping[str, str]

    def __contains__(self, term_id: object) -> bool:
        return term_id in self.terms

    def resolve(self, raw: str) -> str | None:
        """Map raw wording (a term id, or a synonym such as 存续) to a term id."""
        value = raw.strip()
        if value in self.terms:
            return value
        lowered = value.lower()
        if lowered in self.terms:
            return lowered
        return self.synonyms.get(value)


def _parse(raw: Any, origin: str) -> Vocabulary:
    loc = Location(origin)
    problems: list[Problem] = []
    terms: dict[str, Term] = {}
    for item in raw.get("terms", []):
        term_id = item.get("id")
        if not term_id or term_id in terms:
            problems.append(Problem(f"missing or duplicate term id: {item!r}", loc))
            continue
        label = item.get("label", {})
        extra = {k: v for k, v in item.items() if k not in {"id", "label"}}
        terms[term_id] = Term(term_id, label.get("zh", ""), label.get("en", ""), extra)
    synonyms = {str(k): str(v) for k, v in (raw.get("synonyms") or {}).items()}
    problems.extend(
        Problem(f"synonym {k!r} maps to unknown term {v!r}", loc)
        for k, v in synonyms.items()
        if v not in terms
    )
    if problems:
        raise ConfigError(problems)
    return Vocabulary(raw["name"], str(raw.get("doc", "")).strip(), terms, synonyms)


@cache
def load_vocabularies() -> Mapping[str, Vocabulary]:
    """All vocabularies shipped with smokewatch, by name."""
    folder = package_dir("smokewatch.model", "vocab")
    vocabs: dict[str, Vocabulary] = {}
    for node in sorted(folder.iterdir(), key=lambda n: n.name):
        if node.name.endswith(".yml"):
            vocab = _parse(load_yaml_resource(node), str(node))
            vocabs[vocab.name] = vocab
    return vocabs


def get_vocabulary(name: str) -> Vocabulary:
    """One vocabulary by name."""
    vocabs = load_vocabularies()
    if name not in vocabs:
        raise KeyError(f"unknown vocabulary {name!r}; known: {', '.join(sorted(vocabs))}")
    return vocabs[name]


__all__ = ["Term", "Vocabulary", "get_vocabulary", "load_vocabularies"]
