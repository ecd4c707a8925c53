"""A site's operator is resolved from its pages and spec: keys first, names last, or a reason."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from smokewatch.patrol.operator import Registered, SiteFact, resolve_operator
from smokewatch.patrol.spec import Site
from smokewatch.resolve.compare import compare_names

XINYUAN = Registered("e1", "芜湖鑫源财富管理有限公司", "91340200MA2N0XXX0Y")
JUBAO = Registered("e2", "芜湖聚宝投资管理有限公司", "91340200MA2N0YYY1X")
BANK = Registered("e3", "徽商银行股份有限公司", "913400007117504310")


@dataclass
class FakeRegister:
    """A register of three enterprises and one platform filed under an ICP filing."""

    entities: tuple[Registered, ...] = (XINYUAN, JUBAO, BANK)
    icps: dict[str, str] = field(
        default_factory=lambda: {"京ICP备12345678号": "芜湖鑫源财富管理有限责任公司"}
    )

    def by_uscc(self, uscc: str) -> Registered | None:
        return next((e for e in self.entities if e.uscc == uscc), None)

    def icp_holder(self, icp: str) -> str | None:
        return self.icps.get(icp)

    def candidates(self, name: str) -> Sequence[Registered]:
        return self.entities


def site(**given: str) -> Site:
    return Site(name="鑫源财富", seeds=("http://www.xinyuan.example.cn/",), **given)


def fact(kind: str, value: str, page: str = "/about", seq: int = 3) -> SiteFact:
    return SiteFact(kind, value, f"http://www.xinyuan.example.cn{page}", seq)


def test_a_declared_uscc_in_the_register_decides_with_full_confidence() -> None:
    found = resolve_operator(site(subject_uscc=XINYUAN.uscc or ""), [], FakeRegister())
    assert (found.entity, found.method, found.confidence) == (XINYUAN, "declared_uscc", 1.0)
    assert found.page_url is None and "patrol spec" in found.reason_en


def test_the_one_registered_uscc_a_page_shows_names_the_operator_with_its_page() -> None:
    facts = [fact("uscc", "91340200MA2N0XXX0Y"), fact("uscc", "91110000000000000X", seq=4)]
    found = resolve_operator(site(), facts, FakeRegister())
    assert (found.entity, found.method, found.basis) == (XINYUAN, "page_uscc", XINYUAN.uscc)
    assert (found.page_url, found.seq) == ("http://www.xinyuan.example.cn/about", 3)
    assert found.as_evidence()["entity_id"] == "e1"


def test_two_registered_usccs_on_the_pages_decide_nothing_by_themselves() -> None:
    facts = [fact("uscc", XINYUAN.uscc or ""), fact("uscc", BANK.uscc or "", page="/custody")]
    found = resolve_operator(site(), facts, FakeRegister(icps={}))
    assert not found.resolved
    assert "no USCC" in found.reason_en and found.reason_zh


def test_an_icp_filing_leads_to_its_registrant_by_name() -> None:
    found = resolve_operator(site(), [fact("icp", "京ICP备12345678号")], FakeRegister())
    assert (found.entity, found.method, found.basis) == (XINYUAN, "icp", "京ICP备12345678号")
    assert (
        found.confidence == 0.95
    )  # the filing's holder is the registered name, written differently


def test_a_company_name_in_the_footer_resolves_by_name_comparison() -> None:
    found = resolve_operator(
        site(), [fact("organisation", "芜湖鑫源财富管理有限公司", "/")], FakeRegister(icps={})
    )
    assert (found.entity, found.method) == (XINYUAN, "page_name")
    assert found.confidence == 0.9  # the same registered name, times the page's weight


def test_a_full_name_that_only_resembles_a_registered_one_is_another_company() -> None:
    builder = Registered("e4", "芜湖鑫源建材有限公司", None)
    found = resolve_operator(
        site(), [fact("organisation", XINYUAN.name)], FakeRegister(entities=(builder,), icps={})
    )
    assert not found.resolved
    assert compare_names(XINYUAN.name, builder.name).match  # the comparison alone would say yes


def test_a_short_platform_name_resolves_when_one_enterprise_stands_out() -> None:
    found = resolve_operator(site(), [fact("platform", "鑫源财富")], FakeRegister(icps={}))
    assert (found.entity, found.method) == (XINYUAN, "page_name")
    assert found.confidence == round(0.9 * compare_names("鑫源财富", XINYUAN.name).score, 4)


def test_names_of_several_registered_firms_on_the_pages_decide_nothing() -> None:
    facts = [fact("organisation", XINYUAN.name), fact("organisation", BANK.name, "/custody")]
    assert not resolve_operator(site(), facts, FakeRegister(icps={})).resolved


def test_the_declared_uscc_wins_and_a_page_pointing_elsewhere_is_kept_as_a_conflict() -> None:
    found = resolve_operator(
        site(subject_uscc=XINYUAN.uscc or ""),
        [fact("uscc", JUBAO.uscc or "")],
        FakeRegister(icps={}),
    )
    assert found.entity == XINYUAN
    assert [(c["method"], c["entity_id"]) for c in found.conflicts] == [("page_uscc", "e2")]


def test_an_operator_in_no_register_stays_unresolved_with_a_reason() -> None:
    found = resolve_operator(
        site(subject_name="鑫汇财富投资有限公司"),
        [fact("organisation", "鑫汇财富投资有限公司"), fact("icp", "沪ICP备99999999号")],
        FakeRegister(),
    )
    assert (found.resolved, found.method, found.confidence) == (False, None, 0.0)
    assert found.as_evidence()["reason_en"].startswith("no USCC")
