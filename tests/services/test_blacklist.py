"""The untrustworthy-borrower list: import with rejects, masking by role, removal, export, audit."""

from __future__ import annotations

import csv
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
import sqlalchemy as sa
from openpyxl import Workbook, load_workbook

from smokewatch.cases.access import Actor, Role
from smokewatch.errors import ConfigError, Conflict, Forbidden, InvalidInput, NotFound
from smokewatch.model.types import uscc_check_char
from smokewatch.model.types.identity import exchange_hash, id_number_check_char
from smokewatch.resolve.keys import id_number_key
from smokewatch.services import audit, blacklist
from smokewatch.services.users import system_actor
from smokewatch.store import Store
from smokewatch.store.orm_blacklist import BlacklistEntry
from smokewatch.store.orm_cases import AuditEntry

KEY = b"test-workspace-key"
TODAY = date(2026, 11, 21)
ROOT = system_actor("tester")
CITY_LEAD = Actor("city", frozenset({Role.LEAD}), "lead-340200", "340200")
OFFICER = Actor("officer", frozenset({Role.OFFICER}), "fin-340202", "340202")
VIEWER = Actor("viewer", frozenset({Role.VIEWER}), "fin-340202", "340202")
OTHER_COUNTY = Actor("jiujiang", frozenset({Role.LEAD}), "lead-340207", "340207")


def person_id(first17: str) -> str:
    return first17 + id_number_check_char(first17)


def uscc(first17: str) -> str:
    return first17 + uscc_check_char(first17)


ZHANG = person_id("34020219850312123")
LI = person_id("34020719900101456")
SHELL = uscc("91340202MA2N1ABC1")
HEADER = ["主体类型", "证件号码", "证件号码哈希", "姓名/名称", "报送机构", "逃废债金额"]
HEADER += ["逃废债日期", "列入日期", "列入原因", "证据", "行政区划代码"]
GOOD = [
    ["个人", ZHANG, "", "张三", "芜湖某小贷公司", "12.5万元", "2025-03-01", "2025-06-01",
     "转移财产逃避还款", "判决书(2025)皖0202民初123号", "340202"],
    ["", SHELL, "", "芜湖某贸易有限公司", "芜湖某融资担保公司", "3000000", "2025-01-10",
     "2025-05-20", "恶意注销逃避担保代偿追偿", "", "340202"],
    ["个人", "", exchange_hash(LI), "李四", "芜湖某典当行", "80000", "", "2025-07-01",
     "虚构债务", "", "340207"],
]  # fmt: skip
BAD = [
    ["个人", ZHANG[:-1] + ("0" if ZHANG[-1] != "0" else "1"), "", "王五", "某小贷", "100",
     "", "2025-01-01", "逃债", "", "340202"],
    ["企业", SHELL, "", "某公司", "某担保", "0", "", "2099-01-01", "", "", "340202"],
    ["", "", "abc", "赵六", "某小贷", "100", "", "2025-01-01", "逃债", "", "340202"],
]  # fmt: skip


def write_list(path: Path, rows: list[list[str]], encoding: str = "utf-8") -> Path:
    with path.open("w", encoding=encoding, newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(HEADER)
        writer.writerows(rows)
    return path


def import_file(store: Store, path: Path, actor: Actor = ROOT) -> blacklist.ImportReport:
    return blacklist.import_list(store, actor, path, secret=KEY, today=TODAY)


@pytest.fixture
def listed(store: Store, tmp_path: Path) -> Store:
    report = import_file(store, write_list(tmp_path / "名单.csv", GOOD))
    assert report.added == 3
    return store


def test_import_keeps_good_rows_and_rejects_bad_ones_with_reasons(
    store: Store, tmp_path: Path
) -> None:
    report = import_file(store, write_list(tmp_path / "list.csv", GOOD + BAD))
    assert (report.rows_read, report.added, report.rows_rejected) == (6, 3, 3)
    reasons = {(r.row_number, r.column): r.reason for r in report.rejects}
    assert "check character" in reasons[(5, "id_number")]
    assert "declared enterprise" not in str(reasons)
    assert "positive" in reasons[(6, "amount_evaded")]
    assert "future" in reasons[(6, "listed_on")]
    assert (6, "reason") in reasons
    assert "64 hexadecimal" in reasons[(7, "id_hash")]
    bad_number = BAD[0][1]
    assert all(bad_number not in r.raw for r in report.rejects)


def test_identity_numbers_are_stored_only_as_keyed_hashes(listed: Store) -> None:
    with listed.read_session() as session:
        entries = session.scalars(sa.select(BlacklistEntry)).all()
        stored = " ".join(str(v) for e in entries for v in vars(e).values())
    for number in (ZHANG, LI, SHELL):
        assert number not in stored
        assert exchange_hash(number) not in stored
    by_name = {e.name: e for e in entries}
    assert by_name["张三"].id_display == "340202********" + ZHANG[-4:]
    assert by_name["张三"].amount_evaded == Decimal("125000.00")
    assert by_name["李四"].id_kind == "hash" and by_name["李四"].id_display is None
    assert by_name["芜湖某贸易有限公司"].subject_type == "enterprise"


def test_a_listed_person_has_the_key_entity_resolution_gives_the_same_number(
    listed: Store,
) -> None:
    with listed.read_session() as session:
        entries = {e.name: e for e in session.scalars(sa.select(BlacklistEntry)).all()}
    assert entries["张三"].subject_key == id_number_key(ZHANG, KEY).value
    assert entries["张三"].subject_key != id_number_key(ZHANG, b"another key").value
    assert entries["李四"].subject_key == id_number_key(LI, KEY).value  # listed pre-hashed


def test_reimporting_the_same_file_changes_nothing(listed: Store, tmp_path: Path) -> None:
    again = import_file(listed, write_list(tmp_path / "again.csv", GOOD))
    assert (again.added, again.updated, again.unchanged) == (0, 0, 3)
    changed = [row.copy() for row in GOOD]
    changed[0][5] = "130000"
    updated = import_file(listed, write_list(tmp_path / "changed.csv", changed))
    assert (updated.added, updated.updated, updated.unchanged) == (0, 1, 2)


def test_a_list_in_gbk_is_read(store: Store, tmp_path: Path) -> None:
    report = import_file(store, write_list(tmp_path / "gbk.csv", GOOD, encoding="gbk"))
    assert report.added == 3 and report.encoding in {"gb18030", "gbk"}


def test_a_list_in_xlsx_is_read(store: Store, tmp_path: Path) -> None:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(HEADER)
    for row in GOOD:
        sheet.append(row)
    book.save(tmp_path / "list.xlsx")
    assert import_file(store, tmp_path / "list.xlsx").added == 3


def test_a_file_without_the_required_columns_is_refused(store: Store, tmp_path: Path) -> None:
    path = tmp_path / "short.csv"
    path.write_text("姓名,列入日期\n张三,2025-01-01\n", encoding="utf-8")
    with pytest.raises(InvalidInput, match="报送机构"):
        import_file(store, path)


def test_rows_outside_the_importers_division_are_rejected(store: Store, tmp_path: Path) -> None:
    report = import_file(store, write_list(tmp_path / "l.csv", GOOD), actor=OFFICER)
    assert report.added == 2
    assert [r.row_number for r in report.rejects] == [4]
    assert "outside your jurisdiction" in report.rejects[0].reason


def test_names_of_persons_are_masked_unless_a_pii_role_asks(listed: Store) -> None:
    masked = {e["name"] for e in blacklist.list_entries(listed, VIEWER)}
    assert masked == {"张*", "芜湖某贸易有限公司"}  # 李四 is listed in another county
    with pytest.raises(Forbidden):
        blacklist.list_entries(listed, VIEWER, unmask=True)
    shown = {e["name"] for e in blacklist.list_entries(listed, CITY_LEAD, unmask=True)}
    assert shown == {"张三", "李四", "芜湖某贸易有限公司"}
    views = audit.history(listed, "blacklist", "list")
    assert [v["action"] for v in views] == ["blacklist.view_pii"]
    assert views[0]["actor"] == "city" and views[0]["detail"]["count"] == 2


def test_removal_needs_a_reason_and_a_manager_and_is_final(listed: Store, tmp_path: Path) -> None:
    entry = next(e for e in blacklist.list_entries(listed, ROOT) if e["name"] == "张*")
    with pytest.raises(Forbidden):
        blacklist.remove_entry(listed, OFFICER, entry["id"], reason="已清偿")
    with pytest.raises(InvalidInput):
        blacklist.remove_entry(listed, ROOT, entry["id"], reason=" ")
    with pytest.raises(NotFound):
        blacklist.remove_entry(listed, OTHER_COUNTY, entry["id"], reason="已清偿")
    removed = blacklist.remove_entry(
        listed, CITY_LEAD, entry["id"], reason="已清偿", removed_on=date(2026, 1, 5)
    )
    assert removed["status"] == "removed" and removed["removal_reason"] == "已清偿"
    with pytest.raises(Conflict):
        blacklist.remove_entry(listed, ROOT, entry["id"], reason="again")
    again = import_file(listed, write_list(tmp_path / "again.csv", GOOD))
    assert (again.kept_removed, again.unchanged) == (1, 2)
    actions = [h["action"] for h in audit.history(listed, "blacklist_entry", entry["id"])]
    assert actions == ["blacklist.add", "blacklist.remove"]


@pytest.mark.parametrize("suffix", [".csv", ".xlsx"])
def test_the_export_masks_persons_and_is_audited(
    listed: Store, tmp_path: Path, suffix: str
) -> None:
    out = tmp_path / f"联合惩戒{suffix}"
    with pytest.raises(Forbidden):
        blacklist.export_list(listed, OFFICER, out)
    report = blacklist.export_list(listed, ROOT, out)
    assert report.rows == 3
    if suffix == ".csv":
        text = out.read_text(encoding="utf-8-sig")
    else:
        sheet = load_workbook(out).active
        assert sheet is not None
        text = "\n".join(",".join(str(c) for c in row) for row in sheet.iter_rows(values_only=True))
    assert "张*" in text and "张三" not in text and "李四" not in text
    assert ZHANG not in text and "340202********" in text
    assert "芜湖某贸易有限公司" in text
    [entry] = audit.history(listed, "blacklist", report.sha256[:32])
    assert entry["action"] == "blacklist.export" and entry["detail"]["rows"] == 3


def test_the_audit_chain_stays_intact(listed: Store, tmp_path: Path) -> None:
    entry = blacklist.list_entries(listed, ROOT)[0]
    blacklist.remove_entry(listed, ROOT, entry["id"], reason="异议成立")
    blacklist.export_list(listed, ROOT, tmp_path / "out.csv")
    check = audit.verify(listed)
    assert check.intact and check.entries >= 6
    with listed.read_session() as session:
        actions = set(session.scalars(sa.select(AuditEntry.action)))
    assert {"blacklist.import", "blacklist.add", "blacklist.remove", "blacklist.export"} <= actions


def test_a_list_hashed_with_another_key_is_refused(listed: Store, tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="another workspace key"):
        blacklist.import_list(
            listed, ROOT, write_list(tmp_path / "x.csv", GOOD), secret=b"other", today=TODAY
        )


def test_the_workspace_key_is_created_once_and_the_environment_wins(tmp_path: Path) -> None:
    first = blacklist.workspace_key(tmp_path)
    assert len(first) == 64 and blacklist.workspace_key(tmp_path) == first
    assert (tmp_path / "secrets" / "pii.key").stat().st_mode & 0o077 == 0
    assert blacklist.workspace_key(tmp_path, {"SMOKEWATCH_PII_KEY": "abc"}) == b"abc"
