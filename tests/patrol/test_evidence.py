"""Evidence: content-addressed artefacts and a hash-chained manifest that shows tampering."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pytest

from smokewatch.patrol.evidence import (
    GENESIS,
    ManifestWriter,
    ObjectStore,
    read_manifest,
    verify_run,
)


@pytest.fixture
def objects(tmp_path: Path) -> ObjectStore:
    return ObjectStore(tmp_path / "objects")


def write_run(run_dir: Path, objects: ObjectStore) -> str:
    writer = ManifestWriter(run_dir / "manifest.jsonl")
    writer.append({"kind": "run", "patrol": "t"})
    body = objects.put("年化18%".encode())
    writer.append({"kind": "page", "url": "http://a.cn/", "artefacts": {"body": body.as_dict()}})
    writer.append({"kind": "page", "url": "http://a.cn/b", "status": 404})
    return writer.close({"finished_at": "2026-11-21T09:00:00+00:00"})


def rewrite(path: Path, change) -> None:
    lines = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]
    lines = change(lines)
    path.write_text(
        "".join(json.dumps(e, ensure_ascii=False) + "\n" for e in lines), encoding="utf-8"
    )


def test_objects_are_named_by_the_sha256_of_their_content(objects: ObjectStore) -> None:
    data = "保本保息".encode()
    artefact = objects.put(data)
    assert artefact.sha256 == hashlib.sha256(data).hexdigest()
    assert objects.get(artefact.sha256) == data
    assert objects.put(data) == artefact


def test_each_line_chains_to_the_one_before(tmp_path: Path, objects: ObjectStore) -> None:
    head = write_run(tmp_path / "run", objects)
    lines = list(read_manifest(tmp_path / "run" / "manifest.jsonl"))
    assert lines[0]["prev"] == GENESIS
    assert [e["prev"] for e in lines[1:]] == [e["hash"] for e in lines[:-1]]
    assert lines[-1] == {**lines[-1], "kind": "seal", "entries": 3, "hash": head}


def test_an_untouched_run_verifies(tmp_path: Path, objects: ObjectStore) -> None:
    head = write_run(tmp_path / "run", objects)
    check = verify_run(tmp_path / "run", objects, expected_head=head)
    assert (check.intact, check.lines, check.artefacts, check.head) == (True, 4, 1, head)


def test_an_edited_line_is_found(tmp_path: Path, objects: ObjectStore) -> None:
    head = write_run(tmp_path / "run", objects)

    def edit(lines):
        lines[2]["status"] = 200
        return lines

    rewrite(tmp_path / "run" / "manifest.jsonl", edit)
    check = verify_run(tmp_path / "run", objects, expected_head=head)
    assert check.problems == ("line 3: content does not match its hash",)


def test_a_removed_line_breaks_the_chain(tmp_path: Path, objects: ObjectStore) -> None:
    write_run(tmp_path / "run", objects)
    rewrite(tmp_path / "run" / "manifest.jsonl", lambda lines: lines[:2] + lines[3:])
    check = verify_run(tmp_path / "run", objects, expected_head=None)
    assert "line 3: does not chain to the line before it" in check.problems
    assert not check.intact


def test_a_cut_tail_leaves_the_manifest_unsealed(tmp_path: Path, objects: ObjectStore) -> None:
    write_run(tmp_path / "run", objects)
    rewrite(tmp_path / "run" / "manifest.jsonl", lambda lines: lines[:-2])
    check = verify_run(tmp_path / "run", objects, expected_head=None)
    assert check.problems == ("manifest is not sealed (run incomplete or its tail removed)",)


def test_an_altered_artefact_is_found(tmp_path: Path, objects: ObjectStore) -> None:
    write_run(tmp_path / "run", objects)
    sha = hashlib.sha256("年化18%".encode()).hexdigest()
    objects.path(sha).write_bytes("年化8%".encode())
    check = verify_run(tmp_path / "run", objects, expected_head=None)
    assert check.problems == (f"line 2: body artefact {sha[:12]}… was altered",)


def test_a_missing_artefact_is_found(tmp_path: Path, objects: ObjectStore) -> None:
    write_run(tmp_path / "run", objects)
    sha = hashlib.sha256("年化18%".encode()).hexdigest()
    objects.path(sha).unlink()
    check = verify_run(tmp_path / "run", objects, expected_head=None)
    assert check.problems == (f"line 2: body artefact {sha[:12]}… is missing",)


def test_a_resealed_forgery_does_not_match_the_recorded_head(
    tmp_path: Path, objects: ObjectStore
) -> None:
    head = write_run(tmp_path / "run", objects)
    (tmp_path / "run" / "manifest.jsonl").unlink()
    writer = ManifestWriter(tmp_path / "run" / "manifest.jsonl")
    writer.append({"kind": "run", "patrol": "t"})
    writer.close({"finished_at": "2026-11-21T09:00:00+00:00"})
    check = verify_run(tmp_path / "run", objects, expected_head=head)
    assert check.problems == ("head hash differs from the one recorded with the run in the store",)


def test_a_manifest_is_never_reopened(tmp_path: Path, objects: ObjectStore) -> None:
    write_run(tmp_path / "run", objects)
    with pytest.raises(FileExistsError):
        ManifestWriter(tmp_path / "run" / "manifest.jsonl")
