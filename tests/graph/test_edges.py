"""Edges: registry exports keyed by USCC, identified people, and money between enterprises."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

from smokewatch.engine import Engine
from smokewatch.graph.edges import all_edges, transfer_edges
from tests.graph.conftest import _rows

ACME, BETA, GAMMA = "91340200MA2N00001A", "91340200MA2N00002B", "91340200MA2N00003C"


def _ent(ident: str, uscc: str, name: str, rep: str) -> dict[str, object]:
    return {"id": ident, "uscc": uscc, "name": name, "legal_representative": rep,
            "adcode": "340202"}  # fmt: skip


ENTERPRISES = [
    _ent("a", ACME, "芜湖甲实业有限公司", "张三"),
    _ent("b", BETA, "芜湖乙科技有限公司", "张三"),
    _ent("c", GAMMA, "芜湖丙商贸有限公司", "李四"),
]


def _edges(engine: Engine) -> set[tuple[str, str, str]]:
    rows = engine.to_arrow(all_edges(engine)).to_pylist()
    return {(r["src"], r["dst"], r["kind"]) for r in rows}


def test_holdings_and_officers_keyed_by_uscc_reach_the_registry_rows(engine: Engine) -> None:
    holding = {"id": "h1", "enterprise_id": ACME, "holder_name": "芜湖乙科技有限公司",
               "holder_kind": "enterprise", "holder_uscc": BETA, "share": 0.6}  # fmt: skip
    person = {"id": "h2", "enterprise_id": ACME, "holder_name": "王五", "holder_kind": "person",
              "holder_id": "pid-w", "share": 0.4}  # fmt: skip
    officer = {"id": "o1", "enterprise_id": GAMMA, "person_name": "王五", "person_id": "pid-w",
               "role": "director"}  # fmt: skip
    engine.replace_tables(
        {
            "enterprise": _rows("enterprise", ENTERPRISES),
            "shareholding": _rows("shareholding", [holding, person]),
            "officer": _rows("officer", [officer]),
        }
    )
    edges = _edges(engine)
    assert ("e:b", "e:a", "owns") in edges
    assert ("p:pid-w", "e:a", "owns") in edges and ("p:pid-w", "e:c", "director") in edges
    assert not any(ACME in e[1] or GAMMA in e[1] for e in edges)


def test_an_identified_legal_representative_replaces_the_name_only_person(engine: Engine) -> None:
    officer = {"id": "o1", "enterprise_id": ACME, "person_name": "张三", "person_id": "pid-z",
               "role": "legal_representative"}  # fmt: skip
    engine.replace_tables({"enterprise": _rows("enterprise", ENTERPRISES)})
    before = _edges(engine)
    assert {("p:张三@3402", "e:a", "legal_representative")} <= before  # a and b: one name
    engine.replace_tables({"officer": _rows("officer", [officer])})
    after = _edges(engine)
    assert ("p:pid-z", "e:a", "legal_representative") in after
    assert ("p:张三@3402", "e:a", "legal_representative") not in after
    assert ("p:张三@3402", "e:b", "legal_representative") in after  # b's 张三 is not known


def test_transfers_between_enterprise_accounts_are_summed_per_direction(engine: Engine) -> None:
    accounts = [
        {"id": "x1", "account_number": "6222001", "enterprise_uscc": ACME},
        {"id": "x2", "account_number": "6222002", "enterprise_uscc": ACME},
        {"id": "x3", "account_number": "6222003", "enterprise_uscc": BETA},
        {"id": "x4", "account_number": "6222004", "enterprise_uscc": None},  # a person's
    ]

    def tx(ident: str, payer: str, payee: str, amount: str) -> dict[str, object]:
        return {"id": ident, "booked_at": datetime(2026, 10, 1, 9), "payer_account": payer,
                "payee_account": payee, "amount": Decimal(amount)}  # fmt: skip

    transfers = [
        tx("t1", "6222001", "6222003", "1000"),
        tx("t2", "6222002", "6222003", "500.5"),
        tx("t3", "6222003", "6222001", "200"),
        tx("t4", "6222001", "6222002", "999"),  # within one enterprise
        tx("t5", "6222004", "6222001", "50"),  # from a person
    ]
    engine.replace_tables(
        {
            "enterprise": _rows("enterprise", ENTERPRISES),
            "account": _rows("account", accounts),
            "transfer": _rows("transfer", transfers),
        }
    )
    rows = engine.to_arrow(transfer_edges(engine)).to_pylist()
    got = {(r["src"], r["dst"]): (r["weight"], r["label"]) for r in rows}
    assert got == {("e:a", "e:b"): (1500.5, "2 transfers"), ("e:b", "e:a"): (200.0, "1 transfers")}
    assert {("e:a", "e:b", "transfers"), ("e:b", "e:a", "transfers")} <= _edges(engine)
