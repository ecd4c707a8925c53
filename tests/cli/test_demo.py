"""``smokewatch demo init``: the whole pipeline on the synthetic city, checked against its truth."""

from __future__ import annotations

import json
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path
from typing import Any

import pytest

from tests.cli.conftest import Run


def _demo_run(sw: Run, root: Path) -> dict[str, object]:
    runs = sw("runs", "list", "-w", str(root), "--kind", "demo", "--json").json()
    stats: dict[str, object] = runs[0]["stats"]
    return stats


TEXT_RULES = ("SW-R-0101", "SW-R-0102", "SW-R-0103", "SW-R-0104")


def test_the_demo_city_is_built_and_every_planted_case_is_met(sw: Run, tmp_path: Path) -> None:
    root = tmp_path / "demo"
    result = sw("demo", "init", str(root), "--enterprises", "3000")
    assert result.code == 0, result.err
    stats = _demo_run(sw, root)
    assert stats["misses"] == []
    assert stats["planted_caught"] == stats["planted_expected_hits"]
    assert stats["planted_kept_quiet"] == stats["planted_expected_quiet"]
    assert stats["unexpected_findings"] == 0
    assert "Planted cases" in result.out


def test_planted_documents_are_counted_per_text_rule(sw: Run, tmp_path: Path) -> None:
    root = tmp_path / "demo"
    result = sw("demo", "init", str(root), "--enterprises", "3000")
    assert result.code == 0, result.err
    stats = _demo_run(sw, root)
    by_rule: dict[str, dict[str, Any]] = stats["planted_by_rule"]
    assert isinstance(stats["documents"], int) and stats["documents"] > 0
    for rule in TEXT_RULES:
        counts = by_rule[rule]
        assert counts["subject_table"] == "document"
        assert counts["caught"] == counts["expected_hits"] and counts["expected_hits"] > 0
        assert counts["kept_quiet"] == counts["expected_quiet"] and counts["expected_quiet"] > 0
        assert counts["unexpected"] == 0
        assert rule in result.out
    assert stats["planted_expected_hits"] == sum(c["expected_hits"] for c in by_rule.values())
    found = sw("findings", "list", "-w", str(root), "--rule", "SW-R-0101", "--json").json()
    assert found["items"] and {f["subject_table"] for f in found["items"]} == {"document"}


@pytest.mark.spark
def test_the_demo_runs_the_same_on_spark(sw: Run, tmp_path: Path) -> None:
    root = tmp_path / "demo"
    result = sw("--engine", "spark://local[2]", "demo", "init", str(root), "--enterprises", "2000")
    assert result.code == 0, result.err
    stats = _demo_run(sw, root)
    assert stats["planted_caught"] == stats["planted_expected_hits"]
    assert stats["unexpected_findings"] == 0


def test_demo_init_refuses_to_overwrite_a_folder_it_did_not_create(sw: Run, tmp_path: Path) -> None:
    (tmp_path / "precious.txt").write_text("keep me", encoding="utf-8")
    result = sw("demo", "init", str(tmp_path), "--force")
    assert result.code == 1
    assert (tmp_path / "precious.txt").exists()


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def test_serve_answers_on_the_port_it_was_given(
    sw: Run, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = tmp_path / "demo"
    assert sw("demo", "init", str(root), "--enterprises", "500").code == 0
    monkeypatch.setenv("SMOKEWATCH_PASSWORD", "a long enough password")
    assert sw("users", "add", "analyst", "--role", "admin", "-w", str(root)).code == 0
    token = sw("users", "token", "analyst", "-w", str(root)).out.strip()
    port = _free_port()
    server = subprocess.Popen(  # noqa: S603 - our own CLI
        [
            sys.executable,
            "-m",
            "smokewatch.cli",
            "serve",
            "--workspace",
            str(root),
            "--host",
            "127.0.0.1",
            "--port",
            str(port),
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    try:
        body = None
        for _ in range(150):
            try:
                request = urllib.request.Request(
                    f"http://127.0.0.1:{port}/api/v1/findings",
                    headers={"Authorization": f"Bearer {token}"},
                )
                with urllib.request.urlopen(request) as reply:  # noqa: S310 - loopback
                    body = json.loads(reply.read())
                break
            except OSError:
                time.sleep(0.2)
        assert body is not None, "the server never answered"
        assert body["total"] > 0 and body["items"][0]["reason_zh"]
    finally:
        server.terminate()
        server.wait(timeout=20)
