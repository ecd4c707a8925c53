"""The command line: exit codes, and a workspace taken from files to findings."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from smokewatch.model.types.uscc import uscc_check_char
from tests.cli.conftest import Run


def _uscc(body: str) -> str:
    return body + uscc_check_char(body)


GOOD_1 = _uscc("91340202MA2TEXT01")
GOOD_2 = _uscc("91340202MA2TEXT02")
GOOD_3 = _uscc("91340207MA2TEXT03")
_BODY_4 = "91340202MA2TEXT04"
BAD_CHECK = _BODY_4 + ("1" if uscc_check_char(_BODY_4) != "1" else "2")

REGISTRY = textwrap.dedent(
    f"""\
    统一社会信用代码,企业名称,注册资本,成立日期,登记状态,经营范围,住所
    {GOOD_1},芜湖恒信财富管理有限公司,1000万元人民币,2025-03-01,存续,企业管理咨询,安徽省芜湖市镜湖区北京中路1号
    {GOOD_2},芜湖远航商贸有限公司,50万元人民币,2019-05-06,存续,日用百货销售,芜湖市镜湖区中山路8号
    {GOOD_3},芜湖中汇企业管理有限公司,500万元,2020-01-01,在业,投资管理；资产管理,芜湖市鸠江区九华北路2号
    {BAD_CHECK},芜湖坏码有限公司,10万元,2020-01-01,存续,软件开发,芜湖市镜湖区
    """
)

SOURCE = textwrap.dedent(
    """\
    id: registry
    title: {zh: 测试登记数据, en: Test registry}
    publisher: 测试
    licence: internal
    pii: personal
    table: enterprise
    location: data/registry.csv
    format: csv
    encoding: auto
    id_prefix: ent
    key: [uscc]
    mode: snapshot
    columns:
      uscc: 统一社会信用代码
      name: 企业名称
      registered_capital: {column: 注册资本, currency_column: registered_capital_currency}
      established_on: 成立日期
      status: 登记状态
      business_scope: 经营范围
      registered_address: 住所
    """
)


@pytest.fixture
def workspace(tmp_path: Path, sw: Run) -> Path:
    root = tmp_path / "ws"
    assert sw("init", str(root), "--name", "测试", "--adcode", "340200").code == 0
    source = root / "sources" / "registry"
    (source / "data").mkdir(parents=True)
    (source / "source.yml").write_text(SOURCE, encoding="utf-8")
    (source / "data" / "registry.csv").write_bytes(REGISTRY.encode("gbk"))
    return root


def test_version_exits_zero(sw: Run) -> None:
    result = sw("--version")
    assert (result.code, result.out.strip()) == (0, "smokewatch 0.1.0")


def test_unknown_commands_and_options_are_usage_errors(sw: Run) -> None:
    assert sw("nosuch").code == 2
    assert sw("findings", "list", "--bogus").code == 2


def test_a_folder_that_is_no_workspace_fails_with_one_line(sw: Run, tmp_path: Path) -> None:
    result = sw("runs", "list", "-w", str(tmp_path))
    assert result.code == 1
    assert result.err.startswith("error: ") and "smokewatch init" in result.err
    assert len(result.err.strip().splitlines()) == 1


def test_ingest_loads_good_rows_and_rejects_bad_ones_with_reasons(sw: Run, workspace: Path) -> None:
    result = sw("ingest", "-w", str(workspace), "--json")
    assert result.code == 0
    (summary,) = result.json()
    assert (summary["status"], summary["rows_loaded"], summary["rows_rejected"]) == ("loaded", 3, 1)
    assert summary["encoding"] in {"gb18030", "gbk"}
    run = sw("runs", "show", summary["run_id"], "-w", str(workspace), "--json").json()
    assert run["rejects"][0]["row_number"] == 5
    assert "check character" in run["rejects"][0]["reason"]


def test_ingesting_the_same_file_again_changes_nothing(sw: Run, workspace: Path) -> None:
    sw("ingest", "-w", str(workspace))
    (again,) = sw("ingest", "-w", str(workspace), "--json").json()
    assert again["status"] == "unchanged"


def test_detect_finds_names_and_scopes_and_lists_them(sw: Run, workspace: Path) -> None:
    sw("ingest", "-w", str(workspace))
    detect = sw("detect", "-w", str(workspace), "--as-of", "2026-11-01", "--json")
    assert detect.code == 0
    page = sw("findings", "list", "-w", str(workspace), "--json").json()
    found = {(f["subject_name"], f["rule_id"], f["band"]) for f in page["items"]}
    assert found == {
        ("芜湖恒信财富管理有限公司", "SW-R-0001", "binding_word"),
        ("芜湖中汇企业管理有限公司", "SW-R-0002", "rectification_activity"),
    }
    name_finding = next(f for f in page["items"] if f["rule_id"] == "SW-R-0001")
    assert name_finding["evidence"][0]["surface"] == "财富管理"
    assert "第九条" in name_finding["reason_zh"]


def test_the_workspace_option_also_works_before_the_command(sw: Run, workspace: Path) -> None:
    assert sw("-w", str(workspace), "sources", "list", "--json").json()[0]["id"] == "registry"


def test_screen_gives_a_verdict_without_a_workspace(sw: Run) -> None:
    restricted = sw("screen", "--name", "芜湖恒信财富管理有限公司", "--json").json()
    assert restricted["verdict"] == "restricted"
    assert restricted["findings"][0]["basis"]
    clear = sw("screen", "--name", "芜湖远航商贸有限公司", "--json").json()
    assert (clear["verdict"], clear["findings"]) == ("clear", [])


def test_screen_needs_a_name_or_a_scope(sw: Run) -> None:
    result = sw("screen")
    assert result.code == 1 and "--name" in result.err


@pytest.mark.slow
def test_the_builtin_rules_lint_clean_and_pass_their_fixtures(sw: Run, tmp_path: Path) -> None:
    assert sw("rules", "lint", "-w", str(tmp_path)).code == 0
    result = sw("rules", "test", "-w", str(tmp_path))
    assert result.code == 0 and " 0 failed" in result.out


def test_rules_show_prints_the_legal_basis(sw: Run, tmp_path: Path) -> None:
    info = sw("rules", "show", "SW-R-0001", "-w", str(tmp_path), "--json").json()
    assert any(ref["article"] == "第九条第一款" for ref in info["references"])
