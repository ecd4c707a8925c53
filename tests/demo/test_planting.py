from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from smokewatch.demo import (
    DOCUMENT_RULE_IDS,
    DocumentFacts,
    DocumentRecord,
    FunctionPlanter,
    PlantContext,
    RuleFacts,
    builtin_planters,
)
from smokewatch.demo.city import generate_city
from smokewatch.demo.planting import RULE_IDS, Plantation
from smokewatch.demo.pools import load_pools
from smokewatch.demo.registry import RegistryGenerator
from smokewatch.errors import InvalidInput
from smokewatch.model.types import clean_uscc

AS_OF = date(2026, 11, 1)


def _context(planter: str = "probe", seed: int = 1) -> tuple[PlantContext, Plantation]:
    pools = load_pools()
    plantation = Plantation()
    city = RegistryGenerator(pools, seed=seed, as_of=AS_OF).city
    ctx = PlantContext(
        planter=planter, seed=seed, as_of=AS_OF, pools=pools, city=city, plantation=plantation
    )
    return ctx, plantation


def _fires(facts: RuleFacts) -> dict[str, bool]:
    return {e.rule_id: e.fires for e in facts.expectations()}


def test_no_facts_expect_no_rule_to_fire() -> None:
    assert not any(_fires(RuleFacts()).values())


def test_an_unlicensed_restricted_name_fires_only_the_name_rule() -> None:
    assert _fires(RuleFacts(name_word=True)) == {
        "SW-R-0001": True,
        "SW-R-0002": False,
        "SW-R-0003": False,
        "SW-R-0004": False,
    }


def test_a_licence_that_covers_the_name_keeps_the_name_rule_quiet() -> None:
    assert not _fires(RuleFacts(name_word=True, name_licensed=True))["SW-R-0001"]


def test_hollow_capital_fires_only_with_a_restricted_name() -> None:
    assert _fires(RuleFacts(name_word=True, hollow_capital=True))["SW-R-0003"]
    assert not _fires(RuleFacts(hollow_capital=True))["SW-R-0003"]


def test_expectations_follow_the_rule_order() -> None:
    assert [e.rule_id for e in RuleFacts().expectations()] == list(RULE_IDS)


def test_planted_enterprises_get_valid_uscc_values() -> None:
    ctx, _ = _context()
    record = ctx.enterprise(name="芜湖测试科技有限公司", business_scope="软件开发")
    assert clean_uscc(record.uscc) == record.uscc


def test_planted_trade_names_are_never_reused() -> None:
    ctx, _ = _context()
    names = [ctx.trade_name() for _ in range(300)]
    assert len(set(names)) == 300


def test_plant_adds_the_enterprise_and_records_its_case() -> None:
    ctx, plantation = _context()
    record = ctx.enterprise(name="芜湖测试财富管理有限公司", business_scope="企业管理咨询")
    ctx.plant("probe.case", record, RuleFacts(name_word=True), "a probe")
    assert plantation.enterprises == [record]
    assert plantation.cases[0].uscc == record.uscc
    assert plantation.cases[0].fires("SW-R-0001") is True


def test_licences_render_with_the_register_wording() -> None:
    ctx, plantation = _context()
    holder = ctx.enterprise(name="芜湖测试私募基金管理有限公司", business_scope="企业管理咨询")
    ctx.licence(holder, "private_fund_manager")
    row = plantation.licences[0].to_row()
    assert row["牌照类型"] == "私募基金管理人登记"
    assert row["状态"] == "有效"
    assert row["有效期至"] == "长期"


def test_rows_for_other_tables_are_collected_by_table() -> None:
    ctx, plantation = _context()
    ctx.add_row("advertisements", {"广告内容": "年化收益15%，保本保息"})
    assert plantation.rows == {"advertisements": [{"广告内容": "年化收益15%，保本保息"}]}


def test_each_planter_draws_from_its_own_stream() -> None:
    alone = generate_city(enterprises=1_000, seed=3, planters=builtin_planters()[:1])

    def extra(ctx: PlantContext) -> None:
        ctx.rng.random(100)

    first = FunctionPlanter("extra", extra)
    together = generate_city(enterprises=1_000, seed=3, planters=(first, *builtin_planters()[:1]))
    assert [(c.uscc, c.name) for c in alone.cases] == [(c.uscc, c.name) for c in together.cases]


def test_builtin_planter_names_are_unique() -> None:
    names = [p.name for p in builtin_planters()]
    assert len(names) == len(set(names))


# ---------------------------------------------------------------- documents

DAY = date(2026, 6, 1)
"""A publication date under the one-year LPR of 3.00 % (market ≤ 4.5 %, ceiling 12 %)."""


def _doc(facts: DocumentFacts) -> dict[str, tuple[bool, str | None]]:
    return {e.rule_id: (e.fires, e.band) for e in facts.expectations(DAY)}


def test_a_document_without_facts_expects_every_text_rule_to_stay_quiet() -> None:
    assert _doc(DocumentFacts()) == dict.fromkeys(DOCUMENT_RULE_IDS, (False, None))


@pytest.mark.parametrize(
    ("rate", "band"),
    [
        ("3", None),
        ("5.2", "elevated"),
        ("9.6", "high"),
        ("18", "above_legal_ceiling"),
        ("365", "above_legal_ceiling"),
    ],
)
def test_the_promised_rate_decides_whether_and_in_which_band_sw_r_0101_fires(
    rate: str, band: str | None
) -> None:
    assert _doc(DocumentFacts(promised_rate=Decimal(rate)))["SW-R-0101"] == (band is not None, band)


def test_a_rate_near_a_band_threshold_states_no_band() -> None:
    assert _doc(DocumentFacts(promised_rate=Decimal("12.2")))["SW-R-0101"] == (True, None)
    assert _doc(DocumentFacts(promised_rate=Decimal("6.1")))["SW-R-0101"] == (True, None)


def test_a_rate_near_the_market_threshold_leaves_sw_r_0101_unstated() -> None:
    facts = DocumentFacts(promised_rate=Decimal("4.6"))
    assert "SW-R-0101" not in _doc(facts)
    assert [e.rule_id for e in facts.expectations(DAY)] == list(DOCUMENT_RULE_IDS[1:])


def test_the_band_follows_the_lpr_of_the_publication_date() -> None:
    # 7.5 % is above 2 × LPR in 2026 (3.00 %) but below 2 × the 2016 lending benchmark (4.35 %).
    facts = DocumentFacts(promised_rate=Decimal("7.5"))
    assert facts.expectations(DAY)[0].band == "high"
    assert facts.expectations(date(2016, 6, 1))[0].band == "elevated"


def test_guarantees_outrank_return_promises_for_sw_r_0102() -> None:
    assert _doc(DocumentFacts(return_promise=True))["SW-R-0102"] == (True, "return_promise")
    both = DocumentFacts(guarantee=True, return_promise=True)
    assert _doc(both)["SW-R-0102"] == (True, "guarantee")


def test_sw_r_0103_states_a_band_only_for_a_single_scheme_group() -> None:
    assert _doc(DocumentFacts(schemes=frozenset({"lending"})))["SW-R-0103"] == (True, "lending")
    mixed = DocumentFacts(schemes=frozenset({"pretext", "impersonation"}))
    assert _doc(mixed)["SW-R-0103"] == (True, None)


def test_cases_and_collapses_outrank_closures_and_complaints_for_sw_r_0104() -> None:
    complaints = DocumentFacts(events=frozenset({"complaints", "closure"}))
    assert _doc(complaints)["SW-R-0104"] == (True, "closure_or_complaints")
    collapse = DocumentFacts(events=frozenset({"complaints", "absconding"}))
    assert _doc(collapse)["SW-R-0104"] == (True, "case_or_collapse")


def test_unknown_facts_are_refused() -> None:
    with pytest.raises(InvalidInput, match="ponzi"):
        DocumentFacts(schemes=frozenset({"ponzi"}))


def test_merged_facts_keep_the_higher_rate_and_every_word() -> None:
    merged = DocumentFacts(promised_rate=Decimal("9"), guarantee=True).merge(
        DocumentFacts(promised_rate=Decimal("18"), schemes=frozenset({"pyramid"}))
    )
    assert merged == DocumentFacts(
        promised_rate=Decimal("18"), guarantee=True, schemes=frozenset({"pyramid"})
    )


def _record(reference: str) -> DocumentRecord:
    return DocumentRecord(reference, "ad", "广告", "年化18%，保本保息", DAY, title="鑫源财富")


def test_plant_document_adds_the_row_and_records_a_case_keyed_by_reference() -> None:
    ctx, plantation = _context()
    facts = DocumentFacts(promised_rate=Decimal("18"), guarantee=True)
    ctx.plant_document("probe.document", _record("GG-1"), facts, "a probe")
    case = plantation.cases[0]
    assert (case.subject_table, case.reference, case.uscc, case.name) == (
        "document",
        "GG-1",
        None,
        "鑫源财富",
    )
    assert case.key == "GG-1"
    assert plantation.rows["document"][0]["编号"] == "GG-1"
    assert case.to_json()["expect"][0] == {
        "rule_id": "SW-R-0101",
        "fires": True,
        "band": "above_legal_ceiling",
    }


def test_a_document_reference_cannot_be_planted_twice() -> None:
    ctx, _ = _context()
    ctx.plant_document("probe.document", _record("GG-1"), DocumentFacts(), "first")
    with pytest.raises(InvalidInput, match="GG-1"):
        ctx.plant_document("probe.document", _record("GG-1"), DocumentFacts(), "again")


def test_drawn_references_are_never_reused() -> None:
    ctx, _ = _context()
    references = [ctx.reference("SMS", digits=3) for _ in range(500)]
    assert len(set(references)) == 500


def test_volumes_scale_with_the_city_but_never_vanish() -> None:
    ctx, _ = _context()
    assert ctx.scaled(10) == 10
    ctx.size = 500
    assert ctx.scaled(10) == 1
    ctx.size = 60_000
    assert ctx.scaled(10) == 30


def test_planters_find_the_enterprises_other_planters_planted() -> None:
    ctx, _ = _context()
    record = ctx.enterprise(name="芜湖测试财富管理有限公司", business_scope="企业管理咨询")
    ctx.plant("name.probe", record, RuleFacts(name_word=True), "a probe")
    assert ctx.planted_enterprises("name.") == (record,)
    assert ctx.planted_enterprises("capital.") == ()
