"""A model artefact is a folder: ``manifest.json``, ``MODEL_CARD.md``, arrays and JSON parts.

::

    model-dir/
    ├── manifest.json      kind, task, labels, feature spec, training data hash, metrics,
    │                      library versions, created_at, sha256 of every other file
    ├── MODEL_CARD.md      data, intended use, metrics (by segment), known limits
    ├── arrays.npz         numeric parameters (numpy, loaded with allow_pickle=False)
    └── <part>.json        vocabularies, configuration, label maps …

:func:`save_artefact` writes the folder atomically (a temporary folder renamed into place);
:func:`load_artefact` verifies the hashes, the kind and the feature list before anything is
used, and raises :class:`~smokewatch.errors.ConfigError` with the reason otherwise.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import tempfile
from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from importlib import metadata
from pathlib import Path
from typing import Any

import numpy as np

from smokewatch import __version__
from smokewatch.errors import ConfigError, Location, Problem

FORMAT_VERSION = 1
MANIFEST = "manifest.json"
CARD = "MODEL_CARD.md"
ARRAYS = "arrays.npz"


@dataclass(frozen=True, slots=True)
class Manifest:
    """What a model is, what it was trained on, and how well it did."""

    kind: str
    """Model family, e.g. ``text-classifier``."""
    task: str
    """What it predicts, e.g. ``news-events``, ``sms-fraud``."""
    labels: list[str]
    """Output classes, in the order of the model's columns."""
    features: dict[str, Any]
    """Feature specification; ``features["names"]`` (if present) is checked on load."""
    training_data: dict[str, Any]
    """``file`` name, ``sha256`` and ``rows`` of the training data (never the data itself)."""
    metrics: dict[str, Any]
    """Validation metrics, with how they were measured (split, seed)."""
    created_at: str = field(default_factory=lambda: datetime.now(UTC).isoformat(timespec="seconds"))
    smokewatch_version: str = __version__
    format_version: int = FORMAT_VERSION
    libraries: dict[str, str] = field(default_factory=dict)
    extra: dict[str, Any] = field(default_factory=dict)
    files: dict[str, str] = field(default_factory=dict)
    """sha256 of every file of the artefact except the manifest itself."""


@dataclass(frozen=True, slots=True)
class Artefact:
    """A loaded, verified artefact."""

    folder: Path
    manifest: Manifest
    arrays: Mapping[str, np.ndarray]
    parts: Mapping[str, Any]
    texts: Mapping[str, str] = field(default_factory=dict)
    """Native text formats (e.g. a LightGBM ``model.txt``), by file name."""


def file_sha256(path: Path) -> str:
    """sha256 of a file's bytes."""
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def library_versions(names: Sequence[str]) -> dict[str, str]:
    """Installed versions of the named distributions (missing ones are left out)."""
    versions: dict[str, str] = {}
    for name in names:
        try:
            versions[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            continue
    return versions


def save_artefact(
    folder: Path,
    manifest: Manifest,
    *,
    arrays: Mapping[str, np.ndarray],
    parts: Mapping[str, Any],
    card: str,
    texts: Mapping[str, str] | None = None,
) -> Path:
    """Write an artefact folder atomically, replacing an existing one; returns its path.

    ``texts`` are native text formats stored verbatim (``{"model.txt": booster_text}``); like
    every other file, they are hashed into the manifest.
    """
    folder = folder.resolve()
    folder.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{folder.name}-", dir=folder.parent))
    try:
        save: Any = np.savez_compressed  # numpy's stub types **kwds as bool
        save(staging / ARRAYS, **dict(arrays))
        for name, value in parts.items():
            (staging / f"{name}.json").write_text(
                json.dumps(value, ensure_ascii=False, indent=1), encoding="utf-8"
            )
        (staging / CARD).write_text(card, encoding="utf-8")
        for name, text in (texts or {}).items():
            if "/" in name or name in {MANIFEST, CARD, ARRAYS} or name.endswith(".json"):
                raise ValueError(f"not a valid native file name: {name!r}")
            (staging / name).write_text(text, encoding="utf-8")
        hashes = {p.name: file_sha256(p) for p in sorted(staging.iterdir())}
        final = Manifest(**{**asdict(manifest), "files": hashes})
        (staging / MANIFEST).write_text(
            json.dumps(asdict(final), ensure_ascii=False, indent=2), encoding="utf-8"
        )
        if folder.exists():
            shutil.rmtree(folder)
        os.replace(staging, folder)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    return folder


def _problem(folder: Path, message: str) -> ConfigError:
    return ConfigError([Problem(message, Location(str(folder / MANIFEST)))])


def load_artefact(
    folder: Path,
    *,
    kind: str,
    task: str | None = None,
    feature_names: Sequence[str] | None = None,
) -> Artefact:
    """Load and verify an artefact folder.

    Raises:
        ConfigError: missing files, a hash mismatch (the artefact was changed), another kind
            or task, a newer format, or a feature list that differs from the code's.
    """
    folder = Path(folder)
    manifest_path = folder / MANIFEST
    if not manifest_path.is_file():
        raise _problem(folder, "not a model artefact (no manifest.json)")
    try:
        manifest = Manifest(**json.loads(manifest_path.read_text(encoding="utf-8")))
    except (TypeError, ValueError) as exc:
        raise _problem(folder, f"unreadable manifest: {exc}") from exc
    if manifest.format_version > FORMAT_VERSION:
        raise _problem(
            folder, f"artefact format {manifest.format_version} is newer than this smokewatch"
        )
    if manifest.kind != kind or (task is not None and manifest.task != task):
        raise _problem(
            folder, f"this is a {manifest.kind}/{manifest.task} model, not {kind}/{task or '*'}"
        )
    for name, expected in manifest.files.items():
        path = folder / name
        if not path.is_file():
            raise _problem(folder, f"missing file {name}")
        if file_sha256(path) != expected:
            raise _problem(
                folder, f"{name} does not match its recorded sha256 (changed after training)"
            )
    if feature_names is not None and list(manifest.features.get("names", [])) != list(
        feature_names
    ):
        raise _problem(
            folder, "the artefact's feature list differs from the code's; retrain the model"
        )
    with np.load(folder / ARRAYS, allow_pickle=False) as npz:
        arrays = {name: npz[name] for name in npz.files}
    parts = {
        name[: -len(".json")]: json.loads((folder / name).read_text(encoding="utf-8"))
        for name in manifest.files
        if name.endswith(".json")
    }
    texts = {
        name: (folder / name).read_text(encoding="utf-8")
        for name in manifest.files
        if name not in {CARD, ARRAYS} and not name.endswith(".json")
    }
    return Artefact(folder, manifest, arrays, parts, texts)


__all__ = [
    "ARRAYS",
    "CARD",
    "FORMAT_VERSION",
    "MANIFEST",
    "Artefact",
    "Manifest",
    "file_sha256",
    "library_versions",
    "load_artefact",
    "save_artefact",
]
