"""Company families (系族): shells around one controller, layered ownership, a red entity's circle.

Three families are planted, each with its truth in the ``family_truth`` rows (written to
``demo/families.jsonl``): the member enterprises (USCC), the people, and the beneficial owners
of every member with their cumulative shares.

* ``family.shells`` — five shells with one legal representative, one phone, three of them one
  address, no shareholdings (the classic 壳公司 cluster);
* ``family.layered`` — a controller holding 80 % of a holding company that holds, over up to four
  layers, four operating companies (股权穿透: 80 % × 70 % = 56 % of one of them), a nominee
  legal representative for the operating companies, shared phones and addresses;
* ``family.red_linked`` — the circle of the red smoke case: a holding company owning 70 % of it,
  a company sharing its address, one sharing a director, one owned by the holding company's
  phone-mate, and one two links away through an address. These carry the expectations for the
  network rule SW-R-0501 that follow from the propagation factors (docs/graph.md).

People are identified (证件标识, a hash) in the key-personnel and shareholder exports and named
with compound surnames (欧阳, 司马 …) that ordinary registry rows never draw, so no stranger of the
same name joins a family. Every member is an ordinary company (plain scope, no financial word):
apart from the network rule, nothing fires on it.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

from smokewatch.demo.planters.common import SOFTWARE, plain_scope
from smokewatch.demo.planting import Expectation, PlantContext, RuleFacts
from smokewatch.demo.records import EnterpriseRecord
from smokewatch.model.ids import make_id

FAMILY_TRUTH = "family_truth"
"""Key of the family truth rows among the planted rows (not an export: ``demo/families.jsonl``)."""

NETWORK_RULE_ID = "SW-R-0501"
SEED_PATTERN = "smoke.red"
"""The smoke case whose circle ``family.red_linked`` plants (designed to reach red)."""

_SURNAMES = ("欧阳", "司马", "上官", "诸葛", "东方", "皇甫", "令狐", "慕容", "尉迟", "公孙")
_GIVEN = "振华建国志强海涛晓明俊杰文博子轩浩然思远"
_WORDS = ("实业", "科技", "商贸", "建材", "物流", "文化传媒", "信息技术", "工程")


@dataclass(slots=True)
class _Family:
    """What one family planter call builds, and its truth."""

    pattern: str
    members: list[EnterpriseRecord] = field(default_factory=list)
    people: dict[str, str] = field(default_factory=dict)
    """Name → person id."""
    holdings: list[tuple[str, str, float]] = field(default_factory=list)
    """(held USCC, holder: a USCC or a person name, share)."""

    def truth(self, controller: str | None) -> dict[str, str | None]:
        ubo = {m.uscc: owners_of(m.uscc, self.holdings, set(self.people)) for m in self.members}
        return {
            "family": self.pattern,
            "controller": controller,
            "members": json.dumps(sorted(m.uscc for m in self.members)),
            "names": json.dumps({m.uscc: m.name for m in self.members}, ensure_ascii=False),
            "people": json.dumps(sorted(self.people), ensure_ascii=False),
            "ubo": json.dumps(ubo, ensure_ascii=False, sort_keys=True),
        }


def owners_of(
    target: str, holdings: Sequence[tuple[str, str, float]], people: set[str]
) -> dict[str, float]:
    """Each person's cumulative share of ``target`` over acyclic holdings, to 6 places.

    A path's share is the product of its holdings, a person's the sum over their paths.

    Examples:
        >>> owners_of("c", [("c", "b", 0.5), ("b", "张三", 0.8)], {"张三"})
        {'张三': 0.4}
    """
    out: dict[str, float] = {}

    def walk(node: str, share: float) -> None:
        for held, holder, part in holdings:
            if held != node:
                continue
            if holder in people:
                out[holder] = out.get(holder, 0.0) + share * part
            else:
                walk(holder, share * part)

    walk(target, 1.0)
    return {k: round(v, 6) for k, v in sorted(out.items())}


def _person(ctx: PlantContext, family: _Family) -> str:
    for _ in range(200):
        surname = _SURNAMES[int(ctx.rng.integers(0, len(_SURNAMES)))]
        given = "".join(_GIVEN[int(i)] for i in ctx.rng.integers(0, len(_GIVEN), 2))
        name = surname + given
        if name not in family.people:
            family.people[name] = make_id("pid", ctx.seed, family.pattern, name) or name
            return name
    raise AssertionError("no free person name")  # pragma: no cover


def _company(
    ctx: PlantContext,
    family: _Family,
    rep: str,
    *,
    kind: str | None = None,
    **fields: Any,
) -> EnterpriseRecord:
    word = kind or _WORDS[int(ctx.rng.integers(0, len(_WORDS)))]
    record = ctx.enterprise(
        name=ctx.company_name(word),
        business_scope=plain_scope(ctx, SOFTWARE),
        legal_representative=rep,
        **fields,
    )
    family.members.append(record)
    _officer(ctx, family, record, rep, "法定代表人")
    return record


def _officer(
    ctx: PlantContext, family: _Family, record: EnterpriseRecord, name: str, role: str
) -> None:
    ctx.add_row(
        "officer",
        {
            "企业统一社会信用代码": record.uscc,
            "姓名": name,
            "证件标识": family.people.get(name),
            "职务": role,
        },
    )


def _holds(
    ctx: PlantContext, family: _Family, held: EnterpriseRecord, holder: str, share: float
) -> None:
    """``holder`` (a person of the family, or a USCC of a member) holds ``share`` of ``held``."""
    company = next((m for m in family.members if m.uscc == holder), None)
    ctx.add_row(
        "shareholding",
        {
            "企业统一社会信用代码": held.uscc,
            "股东名称": company.name if company else holder,
            "股东类型": "企业法人" if company else "自然人股东",
            "股东统一社会信用代码": company.uscc if company else None,
            "股东证件标识": None if company else family.people[holder],
            "持股比例": f"{share:g}",
        },
    )
    family.holdings.append((held.uscc, holder, share))


def _plant(
    ctx: PlantContext,
    family: _Family,
    notes: Mapping[str, str],
    expect: Mapping[str, Expectation] | None = None,
) -> None:
    for record in family.members:
        said = (expect or {}).get(record.uscc, Expectation(NETWORK_RULE_ID, False))
        ctx.plant(family.pattern, record, RuleFacts(), notes[record.uscc], expect=(said,))


def _shells(ctx: PlantContext) -> None:
    family = _Family("family.shells")
    boss = _person(ctx, family)
    phone = "0553-" + "".join(str(d) for d in ctx.rng.integers(0, 10, 7))
    first = _company(ctx, family, boss, phone=phone)
    for _ in range(4):
        _company(ctx, family, boss, phone=phone)
    for record in family.members[1:3]:
        family.members[family.members.index(record)] = _moved(record, first.registered_address)
    notes = {m.uscc: f"shell of {boss}: one legal representative and phone" for m in family.members}
    _plant(ctx, family, notes)
    ctx.add_row(FAMILY_TRUTH, family.truth(boss))


def _moved(record: EnterpriseRecord, address: str) -> EnterpriseRecord:
    return replace(record, registered_address=address)


def _layered(ctx: PlantContext) -> None:
    family = _Family("family.layered")
    boss, partner, nominee = _person(ctx, family), _person(ctx, family), _person(ctx, family)
    top = _company(ctx, family, boss, kind="控股")
    middle = _company(ctx, family, boss, kind="实业")
    phone = "0553-" + "".join(str(d) for d in ctx.rng.integers(0, 10, 7))
    s1 = _company(ctx, family, nominee)
    s2 = _company(ctx, family, nominee, phone=phone)
    s3 = _company(ctx, family, nominee, phone=phone)
    s4 = _company(ctx, family, nominee, phone=phone)
    family.members[family.members.index(s2)] = s2 = _moved(s2, s1.registered_address)
    minority = {s1: _person(ctx, family), s2: _person(ctx, family), s3: _person(ctx, family)}
    _officer(ctx, family, top, partner, "监事")
    _holds(ctx, family, top, boss, 0.8)
    _holds(ctx, family, top, partner, 0.2)
    _holds(ctx, family, middle, top.uscc, 1.0)
    for held, holder, share in ((s1, top, 0.6), (s2, middle, 0.7), (s3, middle, 0.51)):
        _holds(ctx, family, held, holder.uscc, share)
        _holds(ctx, family, held, minority[held], round(1 - share, 2))
    _holds(ctx, family, s4, s3.uscc, 1.0)
    notes = {m.uscc: f"layered holdings of {boss}" for m in family.members}
    _plant(ctx, family, notes)
    ctx.add_row(FAMILY_TRUTH, family.truth(boss))


def _red_linked(ctx: PlantContext) -> None:
    seeds = ctx.planted_enterprises(SEED_PATTERN)
    if not seeds:
        return
    seed = seeds[0]
    family = _Family("family.red_linked")
    family.members.append(seed)
    family.people[seed.legal_representative] = make_id("pid", ctx.seed, seed.uscc) or ""
    _officer(ctx, family, seed, seed.legal_representative, "法定代表人")
    owner, director = _person(ctx, family), _person(ctx, family)
    phone = "0553-" + "".join(str(d) for d in ctx.rng.integers(0, 10, 7))
    holding = _company(ctx, family, owner, kind="控股", phone=phone)
    _holds(ctx, family, holding, owner, 1.0)
    _holds(ctx, family, seed, holding.uscc, 0.7)
    _holds(ctx, family, seed, seed.legal_representative, 0.3)
    same_address = _company(
        ctx, family, _person(ctx, family), registered_address=seed.registered_address
    )
    same_director = _company(ctx, family, _person(ctx, family))
    _officer(ctx, family, seed, director, "董事")
    _officer(ctx, family, same_director, director, "董事")
    phone_mate = _company(ctx, family, _person(ctx, family), phone=phone)
    far = _company(
        ctx, family, _person(ctx, family), registered_address=same_director.registered_address
    )
    # Points from the red seed (20): owns 1.0 → 20, capped at 15; shared director 0.6 → 12;
    # shared address 0.4 → 8; owns then shared phone 1.0 × 0.6 × 0.5 → 6; director then
    # address 0.6 × 0.4 × 0.5 → 2.4, below the rule's 5.
    expect = {
        holding.uscc: Expectation(NETWORK_RULE_ID, True, "strong"),
        same_director.uscc: Expectation(NETWORK_RULE_ID, True, "strong"),
        same_address.uscc: Expectation(NETWORK_RULE_ID, True, "linked"),
        phone_mate.uscc: Expectation(NETWORK_RULE_ID, True, "linked"),
        far.uscc: Expectation(NETWORK_RULE_ID, False),
    }
    notes = {
        holding.uscc: "holds 70 % of the red smoke case",
        same_address.uscc: "registered at the red smoke case's address",
        same_director.uscc: "shares a director with the red smoke case",
        phone_mate.uscc: "shares a phone with the holding company of the red smoke case",
        far.uscc: "shares an address with a company that shares a director with the red case",
    }
    members = family.members[1:]
    family.members = members
    _plant(ctx, family, notes, expect)
    family.members = [seed, *members]
    ctx.add_row(FAMILY_TRUTH, family.truth(owner))


def plant_families(ctx: PlantContext) -> None:
    """Plant the three families of the module docstring (their truth in ``family_truth``)."""
    _shells(ctx)
    _layered(ctx)
    _red_linked(ctx)


def read_family_truth(rows: Sequence[Mapping[str, str | None]]) -> list[dict[str, object]]:
    """The ``family_truth`` rows with their JSON fields decoded (as ``demo/families.jsonl``)."""
    out: list[dict[str, object]] = []
    for row in rows:
        decoded: dict[str, object] = dict(row)
        for key in ("members", "names", "people", "ubo"):
            decoded[key] = json.loads(str(row[key]))
        out.append(decoded)
    return out


__all__ = ["FAMILY_TRUTH", "NETWORK_RULE_ID", "owners_of", "plant_families", "read_family_truth"]
