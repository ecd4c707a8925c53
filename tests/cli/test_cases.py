"""``smokewatch agencies``, ``users``, ``cases`` and ``audit`` from the command line."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.cli.conftest import Run


@pytest.fixture
def ws(tmp_path: Path, sw: Run, monkeypatch: pytest.MonkeyPatch) -> Path:
    root = tmp_path / "ws"
    assert sw("init", str(root), "--adcode", "340200").code == 0
    monkeypatch.setenv("SMOKEWATCH_PASSWORD", "a long enough password")
    monkeypatch.setenv("SMOKEWATCH_ACTOR", "operator")
    w = str(root)
    assert (
        sw(
            "agencies",
            "add",
            "lead-340202",
            "--name",
            "镜湖区金融办",
            "--kind",
            "lead_department",
            "--adcode",
            "340202",
            "-w",
            w,
        ).code
        == 0
    )
    assert (
        sw(
            "agencies",
            "add",
            "police-340202",
            "--name",
            "经侦大队",
            "--kind",
            "police",
            "--adcode",
            "340202",
            "-w",
            w,
        ).code
        == 0
    )
    assert (
        sw("users", "add", "wang", "--role", "lead", "--agency", "lead-340202", "-w", w).code == 0
    )
    assert (
        sw("users", "add", "zhao", "--role", "police", "--agency", "police-340202", "-w", w).code
        == 0
    )
    return root


def test_a_case_is_opened_moved_and_audited(sw: Run, ws: Path) -> None:
    w = str(ws)
    opened = sw(
        "cases",
        "open",
        "--title",
        "鑫源财富涉嫌非法集资",
        "--jurisdiction",
        "340202",
        "--as",
        "wang",
        "-w",
        w,
        "--json",
    )
    assert opened.code == 0, opened.err
    case_id = opened.json()["id"]
    steps = [
        ["verify", "--set", "assignee=wang"],
        ["determine", "--set", "determination=illegal_fundraising"],
        ["dispose", "--set", "measures=order_to_stop,cleanup"],
        ["refer", "--set", "to_agency=police-340202", "--set", "receipt=移送-001"],
    ]
    for step in steps:
        result = sw("cases", "act", case_id, *step, "--as", "wang", "-w", w)
        assert result.code == 0, result.err
    refused = sw("cases", "act", case_id, "acknowledge", "--as", "wang", "-w", w)
    assert refused.code == 1 and "may not acknowledge" in refused.err
    assert sw("cases", "act", case_id, "acknowledge", "--as", "zhao", "-w", w).code == 0
    shown = sw("cases", "show", case_id, "--as", "zhao", "-w", w, "--json").json()
    assert shown["measures"] == ["order_to_stop", "cleanup"]
    assert [h["action"] for h in shown["history"]][-1] == "acknowledge"
    assert sw("audit", "verify", "-w", w).out.startswith("audit log intact")


def test_a_file_is_kept_and_an_executable_refused(sw: Run, ws: Path, tmp_path: Path) -> None:
    w = str(ws)
    case_id = sw(
        "cases", "open", "--title", "t", "--jurisdiction", "340202", "-w", w, "--json"
    ).json()["id"]
    pdf = tmp_path / "笔录.pdf"
    pdf.write_bytes(b"%PDF-1.4 test")
    assert sw("cases", "attach", case_id, str(pdf), "-w", w).code == 0
    exe = tmp_path / "invoice.pdf"
    exe.write_bytes(b"MZ\x90\x00payload")
    refused = sw("cases", "attach", case_id, str(exe), "-w", w)
    assert refused.code == 1 and "never accepted" in refused.err
    assert (ws / "evidence").is_dir()


def test_users_tokens_and_listing(sw: Run, ws: Path) -> None:
    w = str(ws)
    token = sw("users", "token", "wang", "--name", "scripts", "-w", w)
    assert token.code == 0 and token.out.strip().startswith("swt_")
    listed = sw("users", "list", "-w", w, "--json").json()
    assert {u["id"] for u in listed} == {"wang", "zhao"}
    assert all("password" not in str(u) for u in listed)
    assert sw("users", "deactivate", "zhao", "-w", w).code == 0
    assert sw("cases", "list", "--as", "zhao", "-w", w).code == 1  # no longer an active user


def test_finished_cases_are_exported_as_labels_evaluate_can_read(
    sw: Run, ws: Path, tmp_path: Path
) -> None:
    w = str(ws)

    def opened(entity: str) -> str:
        result = sw(
            "cases", "open", "--title", "t", "--jurisdiction", "340202", "--entity", entity,
            "-w", w, "--json",
        )  # fmt: skip
        return str(result.json()["id"])

    real, false_alarm, open_case = opened("e-real"), opened("e-false"), opened("e-open")
    for args in (
        [real, "verify", "--set", "assignee=wang"],
        [real, "determine", "--set", "determination=fundraising_fraud"],
        [real, "dismiss", "--set", "resolution=referred_to_police"],
        [false_alarm, "dismiss", "--set", "resolution=false_positive"],
    ):
        assert sw("cases", "act", *args, "-w", w).code == 0
    out = tmp_path / "labels.csv"
    result = sw("cases", "labels", "--out", str(out), "-w", w)
    assert result.code == 0 and "positive 1, negative 1" in result.err
    lines = out.read_text(encoding="utf-8").splitlines()
    assert lines[0].startswith("entity_id,event_date,kind,label,outcome,resolution")
    rows = {line.split(",")[0]: line.split(",")[2:4] for line in lines[1:]}
    assert rows == {"e-false": ["false_positive", "0"], "e-real": ["fundraising_fraud", "1"]}
    assert open_case not in out.read_text(encoding="utf-8")
    positives = tmp_path / "outcomes.csv"
    sw("cases", "labels", "--out", str(positives), "--positive-only", "-w", w)
    from smokewatch.score.evaluate_io import read_outcomes  # noqa: PLC0415

    (outcome,) = read_outcomes(positives).outcomes
    assert (outcome.entity_id, outcome.kind) == ("e-real", "fundraising_fraud")
