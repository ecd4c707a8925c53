"""``smokewatch demo init``: the whole pipeline on the synthetic city, checked against its truth."""

from __future__ import annotations

import contextlib
import io
import json
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path
from typing import Any

import pytest

from smokewatch.cli.main import main
from smokewatch.demo.patrol_site import OPERATOR, OPERATOR_PATTERN, OPERATOR_USCC
from tests.cli.conftest import Run


def _demo_run(sw: Run, root: Path) -> dict[str, object]:
    runs = sw("runs", "list", "-w", str(root), "--kind", "demo", "--json").json()
    stats: dict[str, object] = runs[0]["stats"]
    return stats


TEXT_RULES = ("SW-R-0101", "SW-R-0102", "SW-R-0103", "SW-R-0104")
ENTERPRISE_RULES = ("SW-R-0005", "SW-R-0105", "SW-R-0106")


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    """``demo init`` of a 3,000-enterprise city, run once: the workspace and what it printed."""
    root = tmp_path_factory.mktemp("demo") / "demo"
    printed = io.StringIO()
    with contextlib.redirect_stdout(printed), contextlib.suppress(SystemExit):
        main(["--no-progress", "demo", "init", str(root), "--enterprises", "3000"])
    assert (root / "demo" / "planted.jsonl").is_file(), printed.getvalue()
    return root, printed.getvalue()


def test_the_demo_city_is_built_and_every_planted_case_is_met(
    sw: Run, demo: tuple[Path, str]
) -> None:
    root, printed = demo
    stats = _demo_run(sw, root)
    assert stats["misses"] == []
    assert stats["planted_caught"] == stats["planted_expected_hits"]
    assert stats["planted_kept_quiet"] == stats["planted_expected_quiet"]
    assert stats["unexpected_findings"] == 0
    assert "Planted cases" in printed


def test_planted_documents_are_counted_per_text_rule(sw: Run, demo: tuple[Path, str]) -> None:
    root, printed = demo
    stats = _demo_run(sw, root)
    by_rule: dict[str, dict[str, Any]] = stats["planted_by_rule"]
    assert isinstance(stats["documents"], int) and stats["documents"] > 0
    for rule in TEXT_RULES:
        counts = by_rule[rule]
        assert counts["subject_table"] == "document"
        assert counts["caught"] == counts["expected_hits"] and counts["expected_hits"] > 0
        assert counts["kept_quiet"] == counts["expected_quiet"] and counts["expected_quiet"] > 0
        assert counts["unexpected"] == 0
        assert rule in printed
    assert stats["planted_expected_hits"] == sum(c["expected_hits"] for c in by_rule.values())
    found = sw("findings", "list", "-w", str(root), "--rule", "SW-R-0101", "--json").json()
    assert found["items"] and {f["subject_table"] for f in found["items"]} == {"document"}


def test_licences_complaints_and_spread_are_planted_and_met(
    sw: Run, demo: tuple[Path, str]
) -> None:
    root, printed = demo
    by_rule: dict[str, dict[str, Any]] = _demo_run(sw, root)["planted_by_rule"]  # type: ignore[assignment]
    for rule in ENTERPRISE_RULES:
        counts = by_rule[rule]
        assert counts["subject_table"] == "enterprise"
        assert counts["caught"] == counts["expected_hits"] >= 3
        assert counts["kept_quiet"] == counts["expected_quiet"] >= 3
        assert counts["unexpected"] == 0
        assert rule in printed


def test_the_demo_scores_and_every_planted_grade_is_reached(
    sw: Run, demo: tuple[Path, str]
) -> None:
    root, printed = demo
    grades: dict[str, Any] = _demo_run(sw, root)["grades"]  # type: ignore[assignment]
    assert grades["misses"] == []
    assert grades["met"] == grades["expected"] >= 5
    assert grades["unplanted"] == 0
    assert grades["by_grade"]["red"] >= 1 and grades["by_grade"]["orange"] >= 1
    assert grades["alerts"]["raised"] == grades["by_grade"]["red"] + grades["by_grade"]["orange"]
    assert {c["reached"] for c in grades["cases"]} >= {"red", "orange", "yellow", "blue"}
    assert grades["controls_clean"] == grades["controls"] > 0
    assert "Planted smoke cases" in printed and "smoke.red" in printed
    assert "Reasons behind the index" in printed
    assert "Highest entities per grade" in printed
    for grade in ("red", "orange", "yellow", "blue"):
        scores = sw("scores", "list", "-w", str(root), "--grade", grade, "--json").json()
        assert scores["scores"] and {s["grade"] for s in scores["scores"]} == {grade}
        assert scores["scores"][0]["subject_id"] in printed


def test_the_patrolled_sites_registered_operator_is_resolved_and_reaches_orange(
    sw: Run, demo: tuple[Path, str]
) -> None:
    root, printed = demo
    stats = _demo_run(sw, root)
    patrol: dict[str, Any] = stats["patrol"]  # type: ignore[assignment]
    (operator,) = patrol["operators"].values()
    assert operator["resolved"] and operator["method"] == "page_uscc"
    assert operator["uscc"] == OPERATOR_USCC and operator["name"] == OPERATOR
    assert patrol["events"] == patrol["events_on_entities"] > 0  # on the operator's timeline
    grades: dict[str, Any] = stats["grades"]  # type: ignore[assignment]
    (case,) = [c for c in grades["cases"] if c["pattern"] == OPERATOR_PATTERN]
    assert case["reached"] == case["expected"] == "orange" and case["met"]
    assert not [m for m in grades["reason_misses"] if OPERATOR in m]  # exactly the rules expected
    shown = sw("scores", "show", operator["entity_id"], "-w", str(root), "--json").json()
    sources = {str(c["source"]).split("@")[0] for c in shown["contributions"] if c["source"]}
    assert {"SW-R-0002", "SW-R-0101", "SW-R-0102"} <= sources  # the scope and the pages
    assert "unresolved" not in printed


def _comparable(stats: dict[str, Any]) -> dict[str, Any]:
    """The demo run's statistics, less what differs on every run: the run ids."""
    same = json.loads(json.dumps(stats))
    del same["patrol"]["runs"], same["history"]["run"]
    return same  # type: ignore[no-any-return]


@pytest.mark.slow
@pytest.mark.spark
def test_the_demo_runs_the_same_on_spark(sw: Run, tmp_path: Path) -> None:
    # Every stage, on the same city: findings, planted checks, the three indices with their
    # grades and reasons, the graph, tips and sector figures. (A Spark-only loss of findings,
    # rows after an empty Arrow chunk, once left the organisation index empty here.)
    runs = []
    for engine in ((), ("--engine", "spark://local[2]")):  # the workspace's DuckDB, then Spark
        root = tmp_path / ("spark" if engine else "duckdb") / "demo"
        result = sw(*engine, "demo", "init", str(root), "--enterprises", "500")
        assert result.code == 0, result.err
        runs.append(_comparable(_demo_run(sw, root)))
    on_duckdb, on_spark = runs
    assert on_spark["planted_caught"] == on_spark["planted_expected_hits"]
    assert on_spark["ratings"] and all(
        r["met"] == r["expected"] for r in on_spark["ratings"].values()
    )
    assert on_spark == on_duckdb


def test_demo_init_refuses_to_overwrite_a_folder_it_did_not_create(sw: Run, tmp_path: Path) -> None:
    (tmp_path / "precious.txt").write_text("keep me", encoding="utf-8")
    result = sw("demo", "init", str(tmp_path), "--force")
    assert result.code == 1
    assert (tmp_path / "precious.txt").exists()


SERVER_START_LIMIT_S = 180


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.mark.slow
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
        # A liveness bound, not a speed check: a loaded CI machine may take a while to start it.
        deadline = time.monotonic() + SERVER_START_LIMIT_S
        while body is None and server.poll() is None and time.monotonic() < deadline:
            try:
                request = urllib.request.Request(
                    f"http://127.0.0.1:{port}/api/v1/findings",
                    headers={"Authorization": f"Bearer {token}"},
                )
                with urllib.request.urlopen(request) as reply:  # noqa: S310 - loopback
                    body = json.loads(reply.read())
            except OSError:
                time.sleep(0.2)
        if server.poll() is not None:
            assert server.stderr is not None
            pytest.fail(f"the server exited: {server.stderr.read().decode(errors='replace')}")
        assert body is not None, "the server never answered"
        # Everything but the health check needs a token: the demo data is not public.
        with pytest.raises(urllib.error.HTTPError) as refused:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/api/v1/findings")
        assert refused.value.code == 401
    finally:
        server.terminate()
        server.wait(timeout=20)


def test_licensed_lenders_and_platforms_get_their_planted_ratings(
    sw: Run, demo: tuple[Path, str]
) -> None:
    root, printed = demo
    stats = _demo_run(sw, root)
    by_rule: dict[str, dict[str, Any]] = stats["planted_by_rule"]  # type: ignore[assignment]
    planted_rules = (*(f"SW-R-040{n}" for n in (1, 2, 3, 4, 5, 6, 7, 9)), "SW-R-0410", "SW-R-0414")
    for rule in (*planted_rules, "SW-R-0201", "SW-R-0213"):
        counts = by_rule[rule]
        assert counts["caught"] == counts["expected_hits"] >= 1, rule
        assert counts["kept_quiet"] == counts["expected_quiet"] >= 1, rule
        assert counts["unexpected"] == 0, rule
    ratings: dict[str, dict[str, Any]] = stats["ratings"]  # type: ignore[assignment]
    for card, subject in (("SW-S-0003", "local_org"), ("SW-S-0002", "platform")):
        rating = ratings[card]
        assert rating["subject"] == subject
        assert rating["misses"] == [] and rating["met"] == rating["expected"] >= 4
        assert {c["reached"] for c in rating["cases"]} == {"red", "orange", "yellow", "blue"}
        assert rating["reason_misses"] == [] and rating["unplanted"] == 0
        assert rating["controls_clean"] == rating["controls"] >= 2
    assert "Rating of licensed organisations" in printed and "Planted platforms" in printed


def test_the_trading_venue_breaking_two_prohibitions_is_red_and_routed_to_its_county(
    sw: Run, demo: tuple[Path, str]
) -> None:
    root, _ = demo
    lines = (root / "demo" / "planted.jsonl").read_text(encoding="utf-8").splitlines()
    venues = {o["pattern"]: o for o in map(json.loads, lines) if o["pattern"].startswith("venue.")}
    breaking, clean = venues["venue.prohibitions.red"], venues["venue.control"]
    county = breaking["uscc"][2:8]
    hits: dict[str, set[str]] = {}
    for rule in ("SW-R-0410", "SW-R-0411", "SW-R-0412", "SW-R-0413", "SW-R-0414"):
        found = sw("findings", "list", "-w", str(root), "--rule", rule, "--json").json()
        for finding in found["items"]:
            hits.setdefault(finding["subject_name"], set()).add(f"{rule}:{finding['band']}")
    assert hits == {breaking["name"]: {"SW-R-0410:high_leverage", "SW-R-0414:pooled_payouts"}}
    assert clean["name"] not in hits
    alerts = sw("alerts", "list", "-w", str(root), "--adcode", county, "--json").json()
    [alert] = [a for a in alerts["items"] if a["subject_name"] == breaking["name"]]
    assert (alert["grade"], alert["adcode"]) == ("red", county)


def test_sector_statistics_and_exits_are_meaningful_on_the_demo(
    sw: Run, demo: tuple[Path, str]
) -> None:
    root, _ = demo
    for sector in ("microcredit", "online_lending"):
        months = sw("sector", "stats", "--sector", sector, "-w", str(root), "--json").json()
        rows = months["months"]
        assert len(rows) >= 6, sector
        assert any(m["declining"]["balance"] >= 2 for m in rows), sector
        assert any(m["three_drops"] for m in rows), sector
    exits = sw("orgs", "exits", "-w", str(root), "--json").json()
    assert sum(e["exited_not_cleared"] for e in exits) == 1
    assert any(e["status"] == "exiting" and 0 < e["repaid_share"] < 1 for e in exits)
