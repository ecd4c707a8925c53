"""Business-scope signals (text module) and change-history counts, as the features read them."""

from __future__ import annotations

import pyarrow as pa

from smokewatch.engine import Engine
from smokewatch.score.ml.enterprise.changes import CHANGE_KINDS, CHANGES
from smokewatch.score.ml.enterprise.full_inputs import change_view
from smokewatch.score.ml.enterprise.scope import scope_signals
from smokewatch.score.ml.features import compute_features


def _signals(*scopes: str | None) -> list[dict[str, object]]:
    batch = pa.record_batch(
        {"id": [f"e{i}" for i in range(len(scopes))], "opscope": pa.array(scopes, pa.string())}
    )
    return [row for out in scope_signals(iter([batch])) for row in out.to_pylist()]


def test_words_in_a_prohibition_do_not_count_but_the_prohibition_does() -> None:
    investment, prohibited_only, empty = _signals(
        "投资管理；资产管理；投资咨询（未经金融等监管部门批准，不得从事吸收存款、代客理财等金融业务）",
        "企业管理咨询（未经金融等监管部门批准，不得从事吸收存款、代客理财等金融业务）",
        None,
    )
    assert investment["scope_restricted_terms"] == 2  # 投资管理, 资产管理; not 理财, 金融
    assert investment["scope_investment_terms"] == 3
    assert investment["scope_prohibitions"] == 1
    assert investment["scope_discounted_hits"] >= 2
    assert prohibited_only["scope_restricted_terms"] == 0
    assert prohibited_only["scope_investment_terms"] == 0
    assert prohibited_only["scope_prohibitions"] == 1
    assert empty["scope_chars"] == 0 and empty["scope_restricted_terms"] == 0


def test_statute_banned_words_and_their_weight_are_reported() -> None:
    (row,) = _signals("财富管理；理财咨询；餐饮服务")
    assert row["scope_binding_terms"] == 2
    assert row["scope_restricted_weight"] == 1.0
    assert row["scope_clauses"] == 3


def test_changes_are_counted_by_kind_and_by_recency(engine: Engine) -> None:
    address, scope, other = (
        next(c for c, k in CHANGE_KINDS.items() if k == kind)
        for kind in ("address", "scope", "name")
    )
    changes = pa.table(
        {
            "id": ["a", "a", "a", "b"],
            "bgxmdm": [float(address), float(address), float(scope), 4242.0],
            "bgq": ["x"] * 4,
            "bgh": ["y"] * 4,
            "bgrq": pa.array([18000, 15000, 18500, 17000], pa.int32()).cast(pa.date32()),
        }
    )
    subjects = engine.register("subjects", pa.table({"id": ["a", "b", "c"]}))
    view = change_view(engine.register("change_info", changes), CHANGE_KINDS)
    frame = compute_features(engine, CHANGES, {"enterprise": subjects, "change": view})
    got = {name: frame.column(name).to_pylist() for name in CHANGES.names}
    assert got["changes_total"] == [3, 1, 0]
    assert got["address_changes"] == [2, 0, 0]
    assert got["scope_changes"] == [1, 0, 0]
    assert got["name_changes"] == [0, 0, 0] and other != address
    # 2020-10-13 is day 18548: 18000 is 1.5 years before it, 15000 about 9.7
    assert got["recent_address_changes"] == [1, 0, 0]
    assert got["changes_recent"] == [2, 0, 0]  # b changed in 2016
    assert got["change_items"] == [2, 1, 0]
    assert got["years_since_last_change"][0] == round(48 / 365.25, 6)
    assert got["years_since_last_change"][2] is None
