"""The signed manifest: HMAC over the sealed head with a key derived from the workspace secret."""

from __future__ import annotations

import json
from pathlib import Path

from smokewatch.model.types.identity import key_fingerprint
from smokewatch.patrol.signing import SIGNATURE, check_signature, sign_run, write_signature

SECRET = b"0123456789abcdef" * 4
HEAD = "a" * 64


def signed(tmp_path: Path) -> Path:
    write_signature(tmp_path, sign_run(SECRET, "wealth", "pat-1", HEAD))
    return tmp_path


def test_a_signature_checks_with_the_same_key_run_and_head(tmp_path: Path) -> None:
    assert check_signature(signed(tmp_path), SECRET, run_id="pat-1", head=HEAD) == []


def test_the_signature_names_its_key_by_fingerprint_only(tmp_path: Path) -> None:
    document = json.loads((signed(tmp_path) / SIGNATURE).read_text("utf-8"))
    assert document["key_id"] == key_fingerprint(SECRET)
    assert SECRET.decode() not in json.dumps(document)
    assert document["algorithm"] == "HMAC-SHA256"


def test_another_head_does_not_check(tmp_path: Path) -> None:
    problems = check_signature(signed(tmp_path), SECRET, run_id="pat-1", head="b" * 64)
    assert problems == [
        "signature is for another run or head",
        "signature does not match (manifest.sig or the head was altered)",
    ]


def test_a_signature_rewritten_for_a_new_head_without_the_key_does_not_check(
    tmp_path: Path,
) -> None:
    path = signed(tmp_path) / SIGNATURE
    document = json.loads(path.read_text("utf-8")) | {"head": "b" * 64}
    path.write_text(json.dumps(document), "utf-8")
    problems = check_signature(tmp_path, SECRET, run_id="pat-1", head="b" * 64)
    assert problems == ["signature does not match (manifest.sig or the head was altered)"]


def test_another_workspace_key_is_named_not_called_a_forgery(tmp_path: Path) -> None:
    other = b"another key"
    (problem,) = check_signature(signed(tmp_path), other, run_id="pat-1", head=HEAD)
    assert problem.startswith(f"signed with another workspace key ({key_fingerprint(SECRET)};")


def test_an_unsigned_run_is_reported(tmp_path: Path) -> None:
    problems = check_signature(tmp_path, SECRET, run_id="pat-1", head=HEAD)
    assert problems == ["manifest is not signed (no manifest.sig)"]
