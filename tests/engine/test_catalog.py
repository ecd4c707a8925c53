"""The Spark engine's catalog of published versions, without Spark: plain folders and files."""

from __future__ import annotations

import json
import multiprocessing
import os
import uuid
from pathlib import Path

import pytest

from smokewatch.engine import _catalog
from smokewatch.errors import EngineError


def _stage(data_dir: Path, table: str, marker: str) -> Path:
    """A complete version folder, written outside the table's folder as the engine does."""
    folder = data_dir / ".staging" / table / uuid.uuid4().hex
    folder.mkdir(parents=True)
    (folder / "part-00000.parquet").write_text(marker, encoding="utf-8")
    return folder


def _versions(data_dir: Path, table: str) -> list[str]:
    return sorted(p.name for p in (data_dir / table).glob("v*"))


def _published(data_dir: Path, table: str) -> str:
    version = _catalog.read(data_dir)[table]
    return (data_dir / table / version / "part-00000.parquet").read_text(encoding="utf-8")


def test_one_publish_flips_every_table_in_one_catalog_write(tmp_path: Path) -> None:
    _catalog.publish(tmp_path, {"rows": _stage(tmp_path, "rows", "old rows")})
    _catalog.publish(
        tmp_path,
        {"rows": _stage(tmp_path, "rows", "new rows"), "more": _stage(tmp_path, "more", "more")},
    )
    assert json.loads((tmp_path / "_CATALOG.json").read_text(encoding="utf-8")) == {
        "more": "v000001",
        "rows": "v000002",
    }
    assert _published(tmp_path, "rows") == "new rows"
    assert _versions(tmp_path, "rows") == ["v000001", "v000002"]  # the previous one stays


def test_a_catalog_write_that_fails_leaves_every_table_at_its_old_version(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _catalog.publish(
        tmp_path, {"rows": _stage(tmp_path, "rows", "old"), "more": _stage(tmp_path, "more", "old")}
    )

    def disk_full(data_dir: Path, tables: object) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(_catalog, "write", disk_full)
    staged = {
        "rows": _stage(tmp_path, "rows", "new"),
        "more": _stage(tmp_path, "more", "new"),
        "brand_new": _stage(tmp_path, "brand_new", "new"),
    }
    with pytest.raises(OSError, match="No space left"):
        _catalog.publish(tmp_path, staged)
    monkeypatch.undo()
    assert _catalog.read(tmp_path) == {"more": "v000001", "rows": "v000001"}
    assert _published(tmp_path, "rows") == _published(tmp_path, "more") == "old"
    # the versions it had moved in are gone again, and so is the new table's folder
    assert _versions(tmp_path, "rows") == _versions(tmp_path, "more") == ["v000001"]
    assert not (tmp_path / "brand_new").exists()


def test_a_catalog_that_was_replaced_before_its_write_failed_keeps_its_versions(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The directory fsync after os.replace can fail: the new catalog is in place by then, and
    # removing the versions it names would leave it pointing at nothing.
    _catalog.publish(tmp_path, {"rows": _stage(tmp_path, "rows", "old")})

    def fsync_fails(folder: Path) -> None:
        raise OSError(5, "Input/output error")

    monkeypatch.setattr(_catalog, "_fsync_dir", fsync_fails)
    with pytest.raises(OSError, match="Input/output"):
        _catalog.publish(tmp_path, {"rows": _stage(tmp_path, "rows", "new")})
    monkeypatch.undo()
    assert _catalog.read(tmp_path) == {"rows": "v000002"}
    assert _published(tmp_path, "rows") == "new"


def test_only_new_leaves_a_table_another_writer_created_first(tmp_path: Path) -> None:
    _catalog.publish(tmp_path, {"rows": _stage(tmp_path, "rows", "theirs")})
    mine = _stage(tmp_path, "rows", "empty")
    assert _catalog.publish(tmp_path, {"rows": mine}, only_new=True) == []
    assert _published(tmp_path, "rows") == "theirs"
    assert mine.exists()  # still staged: the caller discards it


def test_a_workspace_with_only_pointer_files_gets_its_catalog_once(tmp_path: Path) -> None:
    for table, version in [("rows", "v000003"), ("more", "v000001")]:
        (tmp_path / table / version).mkdir(parents=True)
        (tmp_path / table / "_CURRENT").write_text(f"{version}\n", encoding="utf-8")
    (tmp_path / "no_pointer" / "v000001").mkdir(parents=True)  # never published
    _catalog.migrate(tmp_path)
    assert json.loads((tmp_path / "_CATALOG.json").read_text(encoding="utf-8")) == {
        "more": "v000001",
        "rows": "v000003",
    }
    # From now on the catalog wins: a pointer file is neither read nor written.
    (tmp_path / "rows" / "_CURRENT").write_text("v000001", encoding="utf-8")
    _catalog.migrate(tmp_path)
    assert _catalog.read(tmp_path)["rows"] == "v000003"


def test_a_catalog_that_is_not_a_map_of_names_is_an_error_naming_the_file(
    tmp_path: Path,
) -> None:
    (tmp_path / "_CATALOG.json").write_text('{"rows": 7}', encoding="utf-8")
    with pytest.raises(EngineError, match=r"_CATALOG.json is not an object of table names"):
        _catalog.read(tmp_path)


def test_drop_removes_the_table_from_the_catalog_and_its_folder(tmp_path: Path) -> None:
    _catalog.publish(
        tmp_path, {"rows": _stage(tmp_path, "rows", "r"), "more": _stage(tmp_path, "more", "m")}
    )
    _catalog.drop(tmp_path, "rows")
    assert _catalog.read(tmp_path) == {"more": "v000001"}
    assert not (tmp_path / "rows").exists()


def _die_while_writing(data_dir: str) -> None:
    """A writer that stages a version, writes half of it and dies (no clean-up runs)."""
    path, _claim = _catalog.stage(Path(data_dir), "rows")
    path.mkdir()
    (path / "part-00000.parquet").write_bytes(b"PAR1 half a file")
    os._exit(0)


def test_a_sweep_removes_what_dead_writers_staged_and_leaves_live_ones_alone(
    tmp_path: Path,
) -> None:
    # Versions are built outside the table folders, so the clean-up after a publish no longer
    # removes a dead writer's left-over; the sweep at open does, once its claim is released.
    child = multiprocessing.get_context("spawn").Process(
        target=_die_while_writing, args=(str(tmp_path),)
    )
    child.start()
    child.join()
    (dead,) = (p for p in (tmp_path / ".staging" / "rows").iterdir() if p.is_dir())
    live, claim = _catalog.stage(tmp_path, "rows")
    live.mkdir()
    try:
        assert _catalog.sweep(tmp_path) == [dead]
        assert sorted(p.name for p in (tmp_path / ".staging" / "rows").iterdir()) == sorted(
            [live.name, f"{live.name}.lock"]
        )
    finally:
        _catalog.unstage(live, claim)
    assert list((tmp_path / ".staging" / "rows").iterdir()) == []


WRITERS = 4
ROUNDS = 25


def _writer(data_dir: str, writer: int) -> None:
    """One process: publish its own table and a shared one, round after round."""
    root = Path(data_dir)
    for round_ in range(ROUNDS):
        _catalog.publish(
            root,
            {
                f"own_{writer}": _stage(root, f"own_{writer}", f"{writer}/{round_}"),
                "shared": _stage(root, "shared", f"{writer}/{round_}"),
            },
        )


def test_writers_in_other_processes_lose_none_of_each_others_tables(tmp_path: Path) -> None:
    # Each writer reads the catalog, adds its tables and writes it back: without the lock a
    # writer overwrote the catalog another had just written, and that one's tables vanished
    # (or the clean-up removed a version the other had just published).
    context = multiprocessing.get_context("spawn")
    processes = [
        context.Process(target=_writer, args=(str(tmp_path), writer)) for writer in range(WRITERS)
    ]
    for process in processes:
        process.start()
    for process in processes:
        process.join()
    assert [process.exitcode for process in processes] == [0] * WRITERS
    tables = _catalog.read(tmp_path)
    assert sorted(tables) == sorted([*(f"own_{w}" for w in range(WRITERS)), "shared"])
    for writer in range(WRITERS):
        assert _published(tmp_path, f"own_{writer}") == f"{writer}/{ROUNDS - 1}"
    assert _published(tmp_path, "shared").endswith(f"/{ROUNDS - 1}")  # some writer's last
    for table in tables:
        assert len(_versions(tmp_path, table)) <= 2  # the published one and the one before
