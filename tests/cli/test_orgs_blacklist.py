"""``smokewatch orgs blacklist``: import, list, remove, match, export — and the audit holds."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.cli.conftest import Run
from tests.services.test_blacklist import BAD, GOOD, ZHANG, write_list


@pytest.fixture
def ws(tmp_path: Path, sw: Run, monkeypatch: pytest.MonkeyPatch) -> Path:
    root = tmp_path / "ws"
    assert sw("init", str(root), "--adcode", "340200").code == 0
    monkeypatch.setenv("SMOKEWATCH_WORKSPACE", str(root))
    monkeypatch.delenv("SMOKEWATCH_PII_KEY", raising=False)
    return root


def test_the_list_goes_in_and_out_masked_with_every_step_audited(
    ws: Path, sw: Run, tmp_path: Path
) -> None:
    listed = write_list(tmp_path / "名单.csv", GOOD + BAD, encoding="gb18030")
    rejects = tmp_path / "rejects.csv"
    first = sw("orgs", "blacklist", "import", str(listed), "--rejects", str(rejects), "--json")
    assert first.code == 0, first.err
    assert (first.json()["added"], first.json()["rows_rejected"]) == (3, 3)
    assert rejects.read_text(encoding="utf-8-sig").count("\n") >= 4
    assert (ws / "secrets" / "pii.key").is_file()
    again = sw("orgs", "blacklist", "import", str(listed), "--json").json()
    assert (again["added"], again["unchanged"]) == (0, 3)

    entries = sw("orgs", "blacklist", "list", "--json").json()
    zhang = next(e for e in entries if e["name"] == "张*")
    assert ZHANG not in sw("orgs", "blacklist", "list").out
    assert "张三" in sw("orgs", "blacklist", "list", "--unmask").out

    removed = sw("orgs", "blacklist", "remove", zhang["id"], "--reason", "已清偿")
    assert removed.code == 0 and "removed" in removed.out
    assert sw("orgs", "blacklist", "remove", zhang["id"], "--reason", "x").code != 0

    match = sw("orgs", "blacklist", "match", "--json")
    assert match.code == 0, match.err
    assert match.json()["entries"] == 2 and match.json()["matches"] == []

    out = tmp_path / "联合惩戒.xlsx"
    exported = sw("orgs", "blacklist", "export", str(out))
    assert exported.code == 0 and out.is_file() and "2 listings" in exported.out

    assert sw("audit", "verify").code == 0
