from __future__ import annotations

from datetime import date

from smokewatch.demo import FunctionPlanter, PlantContext, RuleFacts, builtin_planters
from smokewatch.demo.city import generate_city
from smokewatch.demo.planting import RULE_IDS, Plantation
from smokewatch.demo.pools import load_pools
from smokewatch.demo.registry import RegistryGenerator
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
