"""Enterprise-risk features from the registry's change history (``change_info.csv``).

Each row of ``change_info`` is one registered change: the enterprise, the change item code
``bgxmdm``, the values before and after (anonymised) and the date ``bgrq``. The features count
changes by kind and by recency, measured at the data's release date
(:data:`~smokewatch.score.ml.enterprise.full_inputs.REFERENCE_DATE`).

**The kinds of :data:`CHANGE_KINDS` are unverified.** The release documents ``bgxmdm`` only as
"change item code"; the mapping below follows the structure of the registration authorities'
change-item code list as we understand it (1xx registered items, 9xx filings) and must be
checked against the file when it is supplied. Training prints how many change rows each kind
matched and the most frequent codes, so a wrong mapping shows at once; the kind-free counts
(all changes, recent changes, distinct items, years since the last change) do not depend on it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from smokewatch.score.ml.features import FeatureKind, FeatureSet

if TYPE_CHECKING:
    import ibis.expr.types as ir

CHANGE_VIEW = "change"
CHANGES_CSV = ("change_info.csv",)
COUNT = FeatureKind.COUNT
RECENT_YEARS = 3.0
""""Recent" means within this many years before the reference date."""

CHANGE_KINDS: dict[int, str] = {
    110: "name",
    111: "name",
    113: "address",
    114: "address",
    117: "enterprise_type",
    118: "term",
    121: "legal_person",
    122: "legal_person",
    128: "capital",
    129: "capital",
    131: "shareholder",
    133: "shareholder",
    137: "shareholder",
    190: "scope",
    191: "scope",
    930: "officers",
    939: "officers",
}
"""Change item code → kind (UNVERIFIED, see the module docstring); other codes are ``other``."""

CHANGES = FeatureSet("enterprise-changes", keys=("id",), base="enterprise")
"""Change-history features of the enterprise-risk model (in model order)."""


def _count(condition: ir.BooleanValue) -> ir.Value:
    return condition.cast("int64").sum()


def _recent(c: ir.Table) -> ir.BooleanValue:
    return c.years_ago <= RECENT_YEARS


@CHANGES.aggregate(
    CHANGE_VIEW, zh="变更记录数", en="registry changes", inputs=CHANGES_CSV, kind=COUNT
)
def changes_total(c: ir.Table) -> ir.Value:
    """Number of changes in the registry's change history (any item).

    Frequent changes of name, address, capital or owners are a classic sign of a vehicle
    being re-purposed.
    """
    return c.count()


@CHANGES.aggregate(
    CHANGE_VIEW, zh="近三年变更数", en="changes in the last 3 years", inputs=CHANGES_CSV, kind=COUNT
)
def changes_recent(c: ir.Table) -> ir.Value:
    """Changes registered in the three years before the data's release (2017-10 … 2020-10)."""
    return _count(_recent(c))


@CHANGES.aggregate(
    CHANGE_VIEW, zh="变更事项种数", en="kinds of change items", inputs=CHANGES_CSV, kind=COUNT
)
def change_items(c: ir.Table) -> ir.Value:
    """Number of different change item codes the enterprise has changed."""
    return c.code.nunique()


@CHANGES.aggregate(
    CHANGE_VIEW, zh="距最近一次变更年数", en="years since the last change", inputs=CHANGES_CSV
)
def years_since_last_change(c: ir.Table) -> ir.Value:
    """Years from the latest registered change to the data's release; empty without changes."""
    return c.years_ago.min()


@CHANGES.aggregate(CHANGE_VIEW, zh="名称变更数", en="name changes", inputs=CHANGES_CSV, kind=COUNT)
def name_changes(c: ir.Table) -> ir.Value:
    """Changes of the enterprise name (kind from the unverified item-code mapping)."""
    return _count(c.kind == "name")


@CHANGES.aggregate(
    CHANGE_VIEW, zh="住所变更数", en="address changes", inputs=CHANGES_CSV, kind=COUNT
)
def address_changes(c: ir.Table) -> ir.Value:
    """Changes of the registered address (kind from the unverified item-code mapping)."""
    return _count(c.kind == "address")


@CHANGES.aggregate(
    CHANGE_VIEW, zh="法定代表人变更数", en="legal representative changes", inputs=CHANGES_CSV,
    kind=COUNT,
)  # fmt: skip
def legal_person_changes(c: ir.Table) -> ir.Value:
    """Changes of the legal representative (kind from the unverified item-code mapping).

    Nominee representatives are swapped when a scheme is about to fail.
    """
    return _count(c.kind == "legal_person")


@CHANGES.aggregate(
    CHANGE_VIEW, zh="注册资本变更数", en="capital changes", inputs=CHANGES_CSV, kind=COUNT
)
def capital_changes(c: ir.Table) -> ir.Value:
    """Changes of the registered capital (kind from the unverified item-code mapping)."""
    return _count(c.kind == "capital")


@CHANGES.aggregate(
    CHANGE_VIEW, zh="经营范围变更数", en="business scope changes", inputs=CHANGES_CSV, kind=COUNT
)
def scope_changes(c: ir.Table) -> ir.Value:
    """Changes of the business scope (kind from the unverified item-code mapping).

    Adding investment or asset management to an ordinary firm's scope is how many vehicles
    start.
    """
    return _count(c.kind == "scope")


@CHANGES.aggregate(
    CHANGE_VIEW, zh="股东投资人变更数", en="shareholder changes", inputs=CHANGES_CSV, kind=COUNT
)
def shareholder_changes(c: ir.Table) -> ir.Value:
    """Changes of shareholders or partners (kind from the unverified item-code mapping)."""
    return _count(c.kind == "shareholder")


@CHANGES.aggregate(
    CHANGE_VIEW, zh="近三年住所变更数", en="recent address changes", inputs=CHANGES_CSV,
    kind=COUNT,
)  # fmt: skip
def recent_address_changes(c: ir.Table) -> ir.Value:
    """Address changes in the three years before the data's release."""
    return _count((c.kind == "address") & _recent(c))


@CHANGES.aggregate(
    CHANGE_VIEW, zh="近三年法定代表人变更数", en="recent legal representative changes",
    inputs=CHANGES_CSV, kind=COUNT,
)  # fmt: skip
def recent_legal_person_changes(c: ir.Table) -> ir.Value:
    """Legal representative changes in the three years before the data's release."""
    return _count((c.kind == "legal_person") & _recent(c))


@CHANGES.aggregate(
    CHANGE_VIEW, zh="近三年注册资本变更数", en="recent capital changes", inputs=CHANGES_CSV,
    kind=COUNT,
)  # fmt: skip
def recent_capital_changes(c: ir.Table) -> ir.Value:
    """Registered-capital changes in the three years before the data's release."""
    return _count((c.kind == "capital") & _recent(c))


@CHANGES.aggregate(
    CHANGE_VIEW, zh="近三年经营范围变更数", en="recent scope changes", inputs=CHANGES_CSV,
    kind=COUNT,
)  # fmt: skip
def recent_scope_changes(c: ir.Table) -> ir.Value:
    """Business scope changes in the three years before the data's release."""
    return _count((c.kind == "scope") & _recent(c))


__all__ = ["CHANGES", "CHANGE_KINDS", "CHANGE_VIEW", "RECENT_YEARS"]
