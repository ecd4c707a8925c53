"""Input files of a model: declared, checked, hashed and handed to the engine as views.

A model names the files it reads relative to the data folder the user gives (``--data``),
with the columns it needs and their Arrow types. :func:`read_inputs` checks that every file
is there (one error listing all that are missing, so a wrong folder is obvious), records the
sha256 and row count of each file (the artefact's training-data hash) and registers each
file as an engine view. The data itself is never copied into an artefact.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pyarrow as pa
from pyarrow import csv

from smokewatch.errors import InvalidInput, NotFound
from smokewatch.ml.artefact import file_sha256
from smokewatch.progress import NO_PROGRESS, Progress

if TYPE_CHECKING:
    import ibis.expr.types as ir

    from smokewatch.engine.base import Engine

NULLS = ["", "NA", "NaN", "nan", "NULL", "null", "None"]
"""Cell texts read as empty."""


@dataclass(frozen=True, slots=True)
class InputFile:
    """A CSV file a model reads, and the columns it uses."""

    view: str
    """Engine view name the file is registered as."""
    path: str
    """Path relative to the data folder."""
    columns: Mapping[str, pa.DataType]
    """Columns read (others are ignored) and their types."""
    description: str
    """What the file holds, for the model card."""


@dataclass(frozen=True, slots=True)
class LoadedInputs:
    """Files read into an engine: their views, and what was read."""

    views: dict[str, ir.Table]
    files: list[dict[str, Any]] = field(default_factory=list)
    """``{"file", "sha256", "rows", "bytes"}`` per file, in declaration order."""
    notes: list[str] = field(default_factory=list)
    """What the user should know about the files read (optional files found, rejects)."""

    def training_data(self, folder: Path) -> dict[str, Any]:
        """The manifest's ``training_data`` section: every file's hash and row count."""
        return {"folder": folder.name, "files": self.files}


def check_folder(folder: Path, files: Sequence[InputFile], *, dataset: str) -> None:
    """Refuse a folder that is not the expected data set, naming every missing file.

    Raises:
        NotFound: the folder does not exist or lacks some of the files.
    """
    if not folder.is_dir():
        raise NotFound(f"no such data folder: {folder}")
    missing = [f.path for f in files if not (folder / f.path).is_file()]
    if missing:
        raise NotFound(
            f"{folder} does not look like the {dataset} data folder; missing: {', '.join(missing)}"
        )


def read_csv(path: Path, spec: InputFile) -> pa.Table:
    """Read the declared columns of a CSV file with their declared types.

    Raises:
        InvalidInput: the file lacks a declared column or a value does not parse.
    """
    try:
        table = csv.read_csv(
            path,
            read_options=csv.ReadOptions(block_size=1 << 22),
            parse_options=csv.ParseOptions(newlines_in_values=True),
            convert_options=csv.ConvertOptions(
                column_types=dict(spec.columns),
                include_columns=list(spec.columns),
                null_values=NULLS,
                strings_can_be_null=True,
                quoted_strings_can_be_null=True,
            ),
        )
    except (pa.ArrowInvalid, pa.ArrowKeyError, KeyError) as exc:
        raise InvalidInput(f"{path}: cannot read {spec.view}: {exc}") from exc
    return table


def read_inputs(
    engine: Engine,
    folder: Path,
    files: Sequence[InputFile],
    *,
    dataset: str,
    progress: Progress = NO_PROGRESS,
) -> LoadedInputs:
    """Read every input file into ``engine`` as a view; record hashes and row counts."""
    check_folder(folder, files, dataset=dataset)
    progress.start(f"reading {dataset}", total=len(files))
    views: dict[str, ir.Table] = {}
    records: list[dict[str, Any]] = []
    for spec in files:
        path = folder / spec.path
        table = read_csv(path, spec)
        views[spec.view] = engine.register(spec.view, table)
        records.append(
            {
                "file": spec.path,
                "sha256": file_sha256(path),
                "rows": table.num_rows,
                "bytes": path.stat().st_size,
            }
        )
        progress.advance()
    progress.finish()
    return LoadedInputs(views, records)


__all__ = ["NULLS", "InputFile", "LoadedInputs", "check_folder", "read_csv", "read_inputs"]
