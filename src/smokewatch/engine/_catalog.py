"""The Spark engine's catalog: which version folder of every persistent table is published.

One JSON file per data directory, ``_CATALOG.json``, maps each table to the name of its
published version folder (``{"rows": "v000007"}``). It is replaced as a whole (written to a
temporary file, ``fsync``-ed, ``os.replace``-d, the directory ``fsync``-ed), so several tables
flip together in one atomic step: a crash or a failure leaves every table of a
``replace_tables`` at its old version or every one at its new version, never a mix. It used
to be one ``_CURRENT`` pointer per table, flipped one after another.

Writers in different processes (two CLI runs on one workspace) take an exclusive
``fcntl.flock`` on ``_CATALOG.lock`` for each read-modify-write, so neither loses the other's
update. Readers take no lock: the file they open is always a complete catalog.

Versions are written under ``.staging/`` (:func:`stage`) and only moved into their table's
folder by :func:`publish`, under the lock; each staged version is claimed with a file lock
while its writer lives, so :func:`sweep` removes only what dead writers left.

Workspaces written before the catalog have only the ``_CURRENT`` files. :func:`migrate` builds
the catalog from them once, when an engine opens the directory; from then on the catalog
alone is read and written, and it wins wherever the two disagree. The ``_CURRENT`` files are
left in place but no longer written: per-table pointers cannot flip a group of tables
together, and keeping them up to date for older versions of smokewatch would only let those
read a mix again (opening a migrated workspace with an older version is not supported).
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import uuid
from collections.abc import Iterator, Mapping
from pathlib import Path

from smokewatch.errors import EngineError

CATALOG = "_CATALOG.json"
LOCK = "_CATALOG.lock"
LEGACY_POINTER = "_CURRENT"
STAGING = ".staging"

try:  # Linux and other POSIX systems; the engine refuses to write without it.
    import fcntl as _fcntl
except ImportError:  # pragma: no cover - Windows
    _fcntl = None  # type: ignore[assignment]


def read(data_dir: Path) -> dict[str, str]:
    """The published version folder of every table (from the ``_CURRENT`` files if no catalog).

    A catalog that is not a JSON object of names to names is an :class:`EngineError`: it is
    never guessed around, since a wrong guess would publish or delete the wrong versions.
    """
    path = data_dir / CATALOG
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return _legacy(data_dir)
    try:
        tables = json.loads(text)
    except ValueError as exc:
        raise _broken(path, f"not JSON ({exc})") from exc
    if not isinstance(tables, dict) or not all(
        isinstance(k, str) and isinstance(v, str) for k, v in tables.items()
    ):
        raise _broken(path, "not an object of table names to version folder names")
    return dict(tables)


def _broken(path: Path, why: str) -> EngineError:
    return EngineError(f"the table catalog {path} is {why}", engine="spark", step="read catalog")


def _legacy(data_dir: Path) -> dict[str, str]:
    """The tables of a workspace written before the catalog, from their ``_CURRENT`` files."""
    tables: dict[str, str] = {}
    for pointer in sorted(data_dir.glob(f"*/{LEGACY_POINTER}")):
        version = pointer.read_text(encoding="utf-8").strip()
        if version:
            tables[pointer.parent.name] = version
    return tables


@contextlib.contextmanager
def locked(data_dir: Path) -> Iterator[None]:
    """Hold the data directory's writer lock (exclusive, across processes) for the block."""
    if _fcntl is None:  # pragma: no cover - Windows
        raise _no_fcntl()
    with (data_dir / LOCK).open("a+b") as handle:
        _fcntl.flock(handle.fileno(), _fcntl.LOCK_EX)
        try:
            yield
        finally:
            _fcntl.flock(handle.fileno(), _fcntl.LOCK_UN)


def _no_fcntl() -> EngineError:  # pragma: no cover - Windows
    return EngineError(
        "the Spark engine's table catalog needs fcntl file locks (Linux or another POSIX "
        "system) so that concurrent runs cannot lose each other's tables",
        engine="spark",
        step="lock catalog",
    )


def write(data_dir: Path, tables: Mapping[str, str]) -> None:
    """Replace the catalog with ``tables`` in one atomic, durable step (hold :func:`locked`)."""
    path = data_dir / CATALOG
    tmp = path.with_name(f"{CATALOG}.tmp")
    with tmp.open("w", encoding="utf-8") as out:
        json.dump(dict(sorted(tables.items())), out, ensure_ascii=False, indent=1)
        out.write("\n")
        out.flush()
        os.fsync(out.fileno())
    os.replace(tmp, path)  # atomic on POSIX file systems
    _fsync_dir(data_dir)


def _fsync_dir(folder: Path) -> None:
    """Make a rename in ``folder`` durable (a crash could otherwise bring the old name back)."""
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _next_version(folder: Path) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    versions = [int(p.name[1:]) for p in folder.glob("v*") if p.name[1:].isdigit()]
    return folder / f"v{max(versions, default=0) + 1:06d}"


def publish(data_dir: Path, staged: Mapping[str, Path], *, only_new: bool = False) -> list[str]:
    """Move staged version folders into their tables and flip them all in one catalog write.

    ``staged`` maps each table to a complete folder of Parquet files outside the table's
    folder. Under the writer lock, each gets the table's next version number and is renamed
    into place, then the catalog is replaced (the one atomic step: before it every table
    reads its old version, after it every one its new version). If anything fails before the
    catalog is written, the folders moved so far are removed and no table changes.
    ``only_new`` leaves out tables the catalog already has (another writer created them
    first); their staged folders stay where they are. Returns the tables published.

    The clean-up then keeps, per table, the new version and the one the catalog named before
    (readers may still have it open) and removes every other version folder, by name rather
    than by number: an unpublished folder left by a crashed writer must not outlive the
    previous version. It runs under the lock too, and writers build their versions outside
    the table folders, so it never takes a version another process is still writing.
    """
    with locked(data_dir):
        before = read(data_dir)
        moved: dict[str, Path] = {}
        try:
            for name, folder in staged.items():
                if only_new and name in before:
                    continue
                target = _next_version(data_dir / name)
                folder.rename(target)
                moved[name] = target
            write(data_dir, before | {name: target.name for name, target in moved.items()})
        except BaseException:
            _unmove(data_dir, moved)
            raise
        for name, target in moved.items():
            keep = {target.name, before.get(name)}
            for stale in (data_dir / name).glob("v*"):
                if stale.name not in keep:
                    shutil.rmtree(stale, ignore_errors=True)
    return list(moved)


def _unmove(data_dir: Path, moved: Mapping[str, Path]) -> None:
    """Remove the versions a failed :func:`publish` moved in, unless the catalog names them.

    The catalog is read again because a write can fail after its ``os.replace`` (in the
    directory ``fsync``): the new catalog is then in place and its versions must stay. If it
    cannot be read, nothing is removed; the next publish of each table cleans up.
    """
    try:
        published = read(data_dir)
    except Exception:  # noqa: BLE001 - the original failure is the one to report
        return
    for name, target in moved.items():
        if published.get(name) != target.name:
            shutil.rmtree(target, ignore_errors=True)
            with contextlib.suppress(OSError):
                (data_dir / name).rmdir()  # a new table: nothing else is in it


def drop(data_dir: Path, name: str) -> None:
    """Remove a table from the catalog, then its folder with every version."""
    with locked(data_dir):
        tables = read(data_dir)
        if tables.pop(name, None) is not None:
            write(data_dir, tables)
        shutil.rmtree(data_dir / name, ignore_errors=True)


def stage(data_dir: Path, table: str) -> tuple[Path, int]:
    """A fresh path to write a version of ``table`` to (not created yet), and its claim.

    Versions are built under ``.staging/<table>/`` (the dot keeps it apart from every table
    name), never in the table's folder, which only :func:`publish` changes. The claim is an
    open descriptor holding an exclusive ``flock`` on ``<path>.lock``: while it is held,
    :func:`sweep` leaves the path alone; when the writer dies, the kernel releases it and the
    next sweep removes what was left. Release it with :func:`unstage`.
    """
    folder = data_dir / STAGING / table
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / uuid.uuid4().hex
    # Locked before it gets its .lock name, so a sweep never sees it unclaimed.
    pending = path.with_name(f"{path.name}.pending")
    claim = os.open(pending, os.O_CREAT | os.O_RDWR, 0o644)
    try:
        _flock(claim, blocking=True)
        os.rename(pending, path.with_name(f"{path.name}.lock"))
    except BaseException:
        os.close(claim)
        pending.unlink(missing_ok=True)
        raise
    return path, claim


def unstage(path: Path, claim: int | None) -> None:
    """Remove a staged version if it is still there (a no-op once published) and its claim."""
    shutil.rmtree(path, ignore_errors=True)
    path.with_name(f"{path.name}.lock").unlink(missing_ok=True)
    if claim is not None:
        os.close(claim)


def sweep(data_dir: Path) -> list[Path]:
    """Remove staged versions whose writer is gone (its claim released); return them.

    Empty ``.staging/<table>/`` folders stay: removing one could pull it from under a writer
    that is creating its own version in it.
    """
    swept: list[Path] = []
    for lock in sorted((data_dir / STAGING).glob("*/*.lock")):
        try:
            fd = os.open(lock, os.O_RDWR)
        except FileNotFoundError:
            continue  # its writer has just released it
        try:
            if not _flock(fd, blocking=False):
                continue  # a live writer holds it
            path = lock.with_suffix("")
            shutil.rmtree(path, ignore_errors=True)
            lock.unlink(missing_ok=True)
            swept.append(path)
        finally:
            os.close(fd)
    return swept


def _flock(fd: int, *, blocking: bool) -> bool:
    """Take an exclusive flock on ``fd``; without ``blocking``, False if someone holds it."""
    if _fcntl is None:  # pragma: no cover - Windows
        raise _no_fcntl()
    try:
        _fcntl.flock(fd, _fcntl.LOCK_EX | (0 if blocking else _fcntl.LOCK_NB))
    except BlockingIOError:
        return False
    return True


def migrate(data_dir: Path) -> None:
    """Write the catalog from the ``_CURRENT`` files once, if the directory has none yet."""
    if (data_dir / CATALOG).exists():
        return
    with locked(data_dir):
        if not (data_dir / CATALOG).exists():  # another process may have just written it
            write(data_dir, _legacy(data_dir))


__all__ = [
    "CATALOG",
    "LEGACY_POINTER",
    "LOCK",
    "STAGING",
    "drop",
    "locked",
    "migrate",
    "publish",
    "read",
    "stage",
    "sweep",
    "unstage",
]
