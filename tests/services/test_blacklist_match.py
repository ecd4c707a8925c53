"""Matching the list against the registry, the licensed organisations and the loan books."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from pathlib import Path

import pyarrow as pa
import pytest

from smokewatch.engine import Engine
from smokewatch.errors import Forbidden
from smokewatch.model.types.identity import exchange_hash
from smokewatch.services import audit, blacklist
from smokewatch.services.blacklist_match import match_entities, write_matches
from smokewatch.store import Store
from tests.services.test_blacklist import (
    GOOD,
    KEY,
    LI,
    ROOT,
    SHELL,
    ZHANG,
    Actor,
    Role,
    import_file,
    uscc,
    write_list,
)

OTHER = uscc("91340200MA2N9XY10")


@pytest.fixture
def watched(duckdb_engine: Engine) -> Engine:
    duckdb_engine.replace_tables(
        {
            "enterprise": pa.table(
                {
                    "id": ["ent-1", "ent-2", "ent-3"],
                    "uscc": [SHELL, OTHER, None],
                    "name": ["芜湖某贸易有限公司", "无关公司", "无代码"],
                    "adcode": ["340202", "340202", "340202"],
                    "status": ["active", "active", "active"],
                }
            ),
            "loan": pa.table(
                {
                    "id": ["loan-1", "loan-2", "loan-3", "loan-4"],
                    "borrower_hash": [
                        exchange_hash(ZHANG),
                        exchange_hash(LI).upper(),
                        exchange_hash(OTHER),
                        "not-a-hash",
                    ],
                    "lender_uscc": [OTHER] * 4,
                    "lender_name": ["某小贷"] * 4,
                    "contract_number": ["C1", "C2", "C3", "C4"],
                    "principal": pa.array([Decimal(50000)] * 4, pa.decimal128(20, 2)),
                    "contract_date": [date(2026, 1, 1)] * 4,
                    "status": ["active"] * 4,
                }
            ),
        }
    )
    return duckdb_engine


def test_listed_borrowers_are_found_in_the_registry_and_the_books(
    store: Store, watched: Engine, tmp_path: Path
) -> None:
    import_file(store, write_list(tmp_path / "l.csv", GOOD))
    report = match_entities(store, watched, ROOT, secret=KEY)
    assert report.entries == 3 and report.scanned == {"enterprise": 2, "loan": 4}
    found = {(m.name, m.table, m.record_id) for m in report.matches}
    assert found == {
        ("芜湖某贸易有限公司", "enterprise", "ent-1"),
        ("张*", "loan", "loan-1"),
        ("李*", "loan", "loan-2"),  # listed by hash only; the book's hash is in upper case
    }
    assert report.entries_matched == 3 and report.by_table() == {"enterprise": 1, "loan": 2}
    loan = next(m for m in report.matches if m.record_id == "loan-1")
    assert "borrower_hash" not in loan.record and loan.record["contract_number"] == "C1"
    [entry] = audit.history(store, "blacklist", "match")
    assert entry["detail"]["entries_matched"] == 3
    out = tmp_path / "matches.csv"
    write_matches(report, out)
    assert out.read_text(encoding="utf-8-sig").count("\n") == 4


def test_removed_listings_and_other_divisions_are_left_out(
    store: Store, watched: Engine, tmp_path: Path
) -> None:
    import_file(store, write_list(tmp_path / "l.csv", GOOD))
    zhang = next(e for e in blacklist.list_entries(store, ROOT) if e["name"] == "张*")
    blacklist.remove_entry(store, ROOT, zhang["id"], reason="已清偿")
    county = Actor("officer", frozenset({Role.OFFICER}), "fin-340202", "340202")
    report = match_entities(store, watched, county, secret=KEY)
    assert {m.record_id for m in report.matches} == {"ent-1"}
    everything = match_entities(store, watched, ROOT, secret=KEY, include_removed=True)
    assert {m.record_id for m in everything.matches} == {"ent-1", "loan-1", "loan-2"}


def test_a_reporter_may_not_match(store: Store, watched: Engine) -> None:
    bank = Actor("bank", frozenset({Role.REPORTER}), "bank-1", "340200")
    with pytest.raises(Forbidden):
        match_entities(store, watched, bank, secret=KEY)


def test_a_workspace_without_tables_matches_nothing(store: Store, duckdb_engine: Engine) -> None:
    report = match_entities(store, duckdb_engine, ROOT, secret=KEY)
    assert report.scanned == {} and report.matches == ()
