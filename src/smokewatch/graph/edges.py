"""The company graph's edges, built by the engine from the typed tables.

Nodes are strings with a kind prefix: ``e:<entity>`` for an enterprise (its resolved entity id
when ``entity_cluster`` exists, so duplicates are one node), ``p:<person>`` for a person, and
``phone:…`` / ``addr:…`` for shared attributes. Edges (:data:`EDGE_SCHEMA`) run

* from a holder to the enterprise it owns (``owns``, weight = share), from ``shareholding``;
* from a person to an enterprise for each role (``legal_representative``, ``director``,
  ``supervisor``, ``manager``, ``partner``), from ``officer`` and the registry's legal
  representative;
* from an enterprise to a phone or address it shares with others (``has_phone``,
  ``has_address``), keys from ``resolve_record`` when resolution ran, raw values otherwise;
* from an enterprise to another its bank accounts paid (``transfers``, weight = yuan, label =
  how many transfers), from ``transfer`` and the accounts' ``enterprise_uscc``.

An enterprise reference in ``shareholding`` or ``officer`` may be the enterprise's record id or
its USCC (registry exports of shareholders and key personnel are keyed by USCC); a corporate
holder is found by ``holder_uscc`` too.

A person without an id is named ``p:<name>@<city>``: the same name in one city is read as one
person, unless the ``officer`` table names the same person with an id in that role (the
registry's name then adds nothing). Attribute values shared by more than :data:`HUB_LIMIT`
enterprises (a registration agent's phone, a business centre's address) and such name-only
persons with more than :data:`HUB_LIMIT` enterprises (a common name, not a nominee) are left
out: they join strangers, not families. Everything is an ibis expression, so the same
code runs on DuckDB and Spark.
"""

from __future__ import annotations

import ibis
import ibis.expr.types as ir
import pyarrow as pa

from smokewatch.engine.base import Engine

HUB_LIMIT = 30
"""Attribute values linked to more enterprises than this make no edges."""

OFFICER_KINDS = ("legal_representative", "director", "supervisor", "manager", "partner")
ATTRIBUTE_KINDS = ("has_phone", "has_address")
TRANSFER_KIND = "transfers"
EDGE_KINDS = ("owns", *OFFICER_KINDS, *ATTRIBUTE_KINDS, TRANSFER_KIND)

EDGE_SCHEMA = pa.schema(
    [
        pa.field("src", pa.string(), nullable=False),
        pa.field("dst", pa.string(), nullable=False),
        pa.field("kind", pa.string(), nullable=False),
        pa.field("weight", pa.float64()),
        pa.field("label", pa.string()),
    ]
)
"""One edge: ``src`` → ``dst`` of a kind; ``weight`` is the share for ``owns``, else 1;
``label`` is what the source wrote (a holder's or person's name, the phone, the address)."""

_STR = "string"


def _entity_map(engine: Engine) -> ir.Table | None:
    if not engine.has_table("entity_cluster"):
        return None
    return engine.table("entity_cluster").select("record_id", "entity_id")


def _node(table: ir.Table, column: str) -> ir.Value:
    """``e:<entity id>`` for an enterprise id column (resolved when resolution ran)."""
    return ibis.literal("e:") + table[column].cast(_STR)


def _resolved(engine: Engine, table: ir.Table, column: str) -> ir.Table:
    """``table`` with ``column`` replaced by the entity id of the record it names."""
    mapping = _entity_map(engine)
    if mapping is None:
        return table
    joined = table.left_join(mapping, table[column] == mapping.record_id)
    return joined.mutate(**{column: ibis.coalesce(joined.entity_id, joined[column])}).drop(
        "record_id", "entity_id"
    )


def _by_uscc(
    engine: Engine, table: ir.Table, column: str, uscc: ir.Value | None = None
) -> ir.Table:
    """``table`` with ``column`` set to the enterprise whose USCC it (or ``uscc``) holds.

    Values that name no USCC are kept as they are (they are record ids).
    """
    if not engine.has_table("enterprise"):
        return table
    ent = engine.table("enterprise")
    if "uscc" not in ent.columns:
        return table
    codes = (
        ent.filter(ent.uscc.notnull())
        .select(sw_code_=ent.uscc, sw_by_code_=ent.id)
        .distinct(on="sw_code_", keep="first")
    )
    key = table[column] if uscc is None else ibis.coalesce(uscc, table[column])
    joined = table.left_join(codes, key == codes.sw_code_)
    return joined.mutate(**{column: ibis.coalesce(joined.sw_by_code_, joined[column])}).drop(
        "sw_code_", "sw_by_code_"
    )


def _empty(engine: Engine) -> ir.Table:
    return engine.register("__sw_graph_no_edges", EDGE_SCHEMA.empty_table())


def _city(adcode: ir.StringValue) -> ir.StringValue:
    return ibis.coalesce(adcode.substr(0, 4), ibis.literal("?"))


def ownership_edges(engine: Engine) -> ir.Table:
    """``owns`` edges from ``shareholding``."""
    if not engine.has_table("shareholding"):
        return _empty(engine)
    rows = _by_uscc(engine, engine.table("shareholding"), "enterprise_id")
    rows = _resolved(engine, rows, "enterprise_id")
    corporate = rows.filter(rows.holder_kind == "enterprise")
    code = corporate.holder_uscc if "holder_uscc" in corporate.columns else None
    corporate = _by_uscc(engine, corporate, "holder_id", code)
    rows = corporate.union(rows.filter(rows.holder_kind != "enterprise"), distinct=False)
    rows = _resolved(engine, rows, "holder_id")
    holder = ibis.cases(
        (rows.holder_kind == "enterprise", ibis.literal("e:") + rows.holder_id),
        (rows.holder_id.notnull(), ibis.literal("p:") + rows.holder_id),
        else_=ibis.literal("p:") + rows.holder_name,
    )
    return rows.select(
        src=holder,
        dst=_node(rows, "enterprise_id"),
        kind=ibis.literal("owns"),
        weight=rows.share.cast("float64"),
        label=rows.holder_name,
    )


def officer_edges(engine: Engine) -> ir.Table:
    """Role edges from ``officer`` and the registry's legal representative."""
    parts: list[ir.Table] = []
    if engine.has_table("enterprise"):
        ent = engine.table("enterprise")
        ent = ent.filter(ent.legal_representative.notnull() & (ent.legal_representative != ""))
        if engine.has_table("officer"):
            named = _by_uscc(engine, engine.table("officer"), "enterprise_id")
            named = named.filter(
                (named.role == "legal_representative") & named.person_id.notnull()
            ).select(known_ent="enterprise_id", known_name="person_name")
            ent = ent.anti_join(
                named,
                (ent.id == named.known_ent) & (ent.legal_representative == named.known_name),
            )
        ent = _resolved(engine, ent, "id")
        parts.append(
            ent.select(
                src=ibis.literal("p:") + ent.legal_representative + "@" + _city(ent.adcode),
                dst=_node(ent, "id"),
                kind=ibis.literal("legal_representative"),
                weight=ibis.literal(1.0),
                label=ent.legal_representative,
            )
        )
    if engine.has_table("officer") and engine.has_table("enterprise"):
        off = _by_uscc(engine, engine.table("officer"), "enterprise_id")
        off = _resolved(engine, off, "enterprise_id")
        places = (
            _resolved(engine, engine.table("enterprise"), "id")
            .select(pid="id", padcode="adcode")
            .distinct(on="pid", keep="first")
        )
        off = off.left_join(places, off.enterprise_id == places.pid)
        person = ibis.coalesce(
            ibis.literal("p:") + off.person_id,
            ibis.literal("p:") + off.person_name + "@" + _city(off.padcode),
        )
        parts.append(
            off.select(
                src=person,
                dst=_node(off, "enterprise_id"),
                kind=off.role,
                weight=ibis.literal(1.0),
                label=off.person_name,
            )
        )
    if not parts:
        return _empty(engine)
    out = parts[0]
    for part in parts[1:]:
        out = out.union(part, distinct=False)
    return out


def attribute_edges(engine: Engine, hub_limit: int = HUB_LIMIT) -> ir.Table:
    """``has_phone`` / ``has_address`` edges for values shared by 2…``hub_limit`` enterprises."""
    if engine.has_table("resolve_record") and engine.has_table("entity_cluster"):
        rec = engine.table("resolve_record")
        mapping = engine.table("entity_cluster")
        rec = rec.join(mapping, rec.record_id == mapping.record_id)
        base = rec.select(ent=rec.entity_id, phone=rec.phone, address=rec.address_key)
    elif engine.has_table("enterprise"):
        ent = engine.table("enterprise")
        base = ent.select(ent=ent.id, phone=ent.phone, address=ent.registered_address)
    else:
        return _empty(engine)
    parts = []
    for column, kind, prefix in (
        ("phone", "has_phone", "phone:"),
        ("address", "has_address", "addr:"),
    ):
        values = base.filter(base[column].notnull()).select("ent", value=base[column]).distinct()
        sizes = values.group_by("value").agg(n=values.ent.count())
        shared = sizes.filter((sizes.n >= 2) & (sizes.n <= hub_limit)).select(shared="value")
        kept = values.join(shared, values.value == shared.shared)
        parts.append(
            kept.select(
                src=ibis.literal("e:") + kept.ent,
                dst=ibis.literal(prefix) + kept.value,
                kind=ibis.literal(kind),
                weight=ibis.literal(1.0),
                label=kept.value,
            )
        )
    return parts[0].union(parts[1], distinct=False)


def transfer_edges(engine: Engine) -> ir.Table:
    """``transfers`` edges: payer enterprise → payee enterprise, over their bank accounts.

    An account belongs to the enterprise whose USCC the ``account`` table names
    (``enterprise_uscc``); transfers between two enterprises are summed (weight in yuan,
    label ``<n> transfers``). Transfers within one enterprise make no edge.
    """
    if not all(engine.has_table(t) for t in ("transfer", "account", "enterprise")):
        return _empty(engine)
    acc = engine.table("account")
    ent = engine.table("enterprise")
    if "uscc" not in ent.columns:
        return _empty(engine)
    holders = acc.filter(acc.enterprise_uscc.notnull()).select(
        number=acc.account_number, uscc=acc.enterprise_uscc
    )
    codes = ent.filter(ent.uscc.notnull()).select(code=ent.uscc, ent_id=ent.id)
    codes = codes.distinct(on="code", keep="first")
    owned = holders.join(codes, holders.uscc == codes.code).select("number", "ent_id")
    owned = _resolved(engine, owned.distinct(on="number", keep="first"), "ent_id")
    tx = engine.table("transfer")
    payer = owned.select(payer_number="number", payer_ent="ent_id")
    payee = owned.select(payee_number="number", payee_ent="ent_id")
    linked = tx.join(payer, tx.payer_account == payer.payer_number).join(
        payee, tx.payee_account == payee.payee_number
    )
    linked = linked.filter(linked.payer_ent != linked.payee_ent)
    pairs = linked.group_by("payer_ent", "payee_ent").agg(
        n=linked.amount.count(), total=linked.amount.sum().cast("float64")
    )
    return pairs.select(
        src=ibis.literal("e:") + pairs.payer_ent,
        dst=ibis.literal("e:") + pairs.payee_ent,
        kind=ibis.literal(TRANSFER_KIND),
        weight=pairs.total,
        label=pairs.n.cast(_STR) + " transfers",
    )


def all_edges(engine: Engine, hub_limit: int = HUB_LIMIT) -> ir.Table:
    """Every edge kind, cast to :data:`EDGE_SCHEMA`."""
    out = ownership_edges(engine)
    for part in (officer_edges(engine), attribute_edges(engine, hub_limit), transfer_edges(engine)):
        out = out.union(part, distinct=False)
    out = out.select(
        src=out.src.cast(_STR),
        dst=out.dst.cast(_STR),
        kind=out.kind.cast(_STR),
        weight=out.weight.cast("float64"),
        label=out.label.cast(_STR),
    ).distinct()
    # A person known only by name and city (p:张伟@3402) who "runs" many enterprises is most
    # likely many people with one common name: such nodes make no edges.
    guessed = out.filter(out.src.startswith("p:") & out.src.contains("@"))
    degree = guessed.group_by("src").agg(n=guessed.dst.nunique())
    crowded = degree.filter(degree.n > hub_limit).select(crowded="src")
    return out.anti_join(crowded, out.src == crowded.crowded)


__all__ = [
    "ATTRIBUTE_KINDS",
    "EDGE_KINDS",
    "EDGE_SCHEMA",
    "HUB_LIMIT",
    "OFFICER_KINDS",
    "TRANSFER_KIND",
    "all_edges",
    "attribute_edges",
    "officer_edges",
    "ownership_edges",
    "transfer_edges",
]
