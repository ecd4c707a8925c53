"""Business scopes: clauses and their kinds, and which restricted words count as activities."""

from __future__ import annotations

import itertools

import pytest
from hypothesis import given
from hypothesis import strategies as st

from smokewatch.text.matcher import LexiconMatcher
from smokewatch.text.scope import ClauseKind, find_scope_activities, split_clauses

P = ClauseKind.PROHIBITION
X = ClauseKind.EXCLUSION
A = ClauseKind.APPROVAL_NOTE
B = ClauseKind.BENIGN_CONTEXT

# (scope, activity terms in order, discounted (term, kind) in order) — hand-checked, in the
# wording of registries from 2015 to 2024.
SCOPES = [
    pytest.param(
        "投资管理；资产管理；企业管理咨询（未经金融等监管部门批准，不得从事吸收存款、融资担保、"
        "代客理财、向社会公众集（融）资等金融业务）",
        ["投资管理", "资产管理"],
        [("金融", P), ("融资担保", P), ("理财", P), ("金融", P)],
        id="prohibition-bracket-after-activities",
    ),
    pytest.param("以自有资金从事投资活动", [], [], id="own-funds-investment"),
    pytest.param(
        "软件开发；接受金融机构委托从事信息技术和流程外包服务（不含金融信息服务）",
        [],
        [("金融", B), ("金融", X)],
        id="outsourcing-for-banks-with-exclusion",
    ),
    pytest.param(
        "互联网金融信息服务；P2P网络借贷信息中介",
        ["金融", "P2P", "网络借贷"],
        [],
        id="p2p-platform",
    ),
    pytest.param(
        "投资管理；资产管理；投资咨询。（“1、未经有关部门批准，不得以公开方式募集资金；2、不得公开"
        "开展证券类产品和金融衍生品交易活动；3、不得发放贷款；4、不得对所投资企业以外的其他企业提供"
        "担保；5、不得向投资者承诺投资本金不受损失或者承诺最低收益”；企业依法自主选择经营项目，开展"
        "经营活动；依法须经批准的项目，经相关部门批准后依批准的内容开展经营活动；不得从事本市产业政策"
        "禁止和限制类项目的经营活动。）",
        ["投资管理", "资产管理"],
        [("金融", P)],
        id="beijing-2015-five-prohibitions",
    ),
    pytest.param(
        "一般项目：以自有资金从事投资活动；自有资金投资的资产管理服务；企业管理咨询；财务咨询"
        "（除依法须经批准的项目外，凭营业执照依法自主开展经营活动）",
        [],
        [("资产管理", B)],
        id="standard-wording-2021",
    ),
    pytest.param(
        "投资管理，资产管理，实业投资，投资咨询，企业管理咨询，财务咨询（不得从事代理记账），"
        "金融信息服务（除金融业务），接受金融机构委托从事金融信息技术外包、金融业务流程外包、"
        "金融知识流程外包。【依法须经批准的项目，经相关部门批准后方可开展经营活动】",
        ["投资管理", "资产管理", "金融"],
        [("金融", X), ("金融", B), ("金融", B), ("金融", B), ("金融", B)],
        id="shanghai-2016-outsourcing",
    ),
    pytest.param("理财咨询；财富管理", ["理财", "财富管理"], [], id="plain-activities"),
    pytest.param("网上销售理财产品", ["理财"], [], id="selling-wealth-products"),
    pytest.param(
        "投资管理资产管理未经批准不得从事理财业务",
        ["投资管理", "资产管理"],
        [("理财", P)],
        id="missing-separators",
    ),
    pytest.param(
        "投资管理;资产管理;企业管理咨询(未经金融等监管部门批准,不得从事吸收存款、融资担保、代客理财等"
        "金融业务)",
        ["投资管理", "资产管理"],
        [("金融", P), ("融资担保", P), ("理财", P), ("金融", P)],
        id="half-width-punctuation",
    ),
    pytest.param(
        "未经金融等监管部门批准，不得从事吸收存款、融资担保、代客理财、向社会公众集（融）资等金融"
        "业务；理财咨询",
        ["理财"],
        [("金融", P), ("融资担保", P), ("理财", P), ("金融", P)],
        id="unbracketed-prohibition-list",
    ),
    pytest.param(
        "投资咨询（除金融、证券、期货、理财外）；软件开发",
        [],
        [("金融", X), ("理财", X)],
        id="except-list-in-brackets",
    ),
    pytest.param(
        "除金融、理财外的投资咨询；财富管理",
        ["财富管理"],
        [("金融", X), ("理财", X)],
        id="except-list-unbracketed",
    ),
    pytest.param(
        "为金融机构提供信息技术服务；计算机软件开发", [], [("金融", B)], id="client-is-a-bank"
    ),
    pytest.param(
        "为金融机构提供融资担保服务",
        ["融资担保"],
        [("金融", B)],
        id="benign-phrase-does-not-hide-other-words",
    ),
    pytest.param(
        "金融机具销售及维修；支付终端销售", [], [("金融", B), ("支付", B)], id="equipment"
    ),
    pytest.param(
        "授权范围内的国有资产管理；资本运营", [], [("资产管理", B)], id="state-owned-assets"
    ),
    pytest.param(
        "许可项目：网络借贷信息中介服务；一般项目：软件开发",
        ["网络借贷"],
        [],
        id="licensed-item-headers",
    ),
    pytest.param(
        "投资咨询（以上经营范围涉及金融业务的凭许可证经营）",
        [],
        [("金融", A)],
        id="approval-note-about-items-above",
    ),
    pytest.param(
        "投资咨询（不得从事吸收公众存款或变相吸收公众存款（含理财）、发放贷款等金融业务）；财富管理咨询",
        ["财富管理"],
        [("理财", P), ("金融", P)],
        id="nested-brackets",
    ),
    pytest.param(
        "投资管理（不含金融；资产管理",
        ["投资管理", "资产管理"],
        [("金融", X)],
        id="unbalanced-bracket",
    ),
    pytest.param("除尘设备销售、理财咨询", ["理财"], [], id="chu-in-ordinary-word"),
    pytest.param(
        "1、投资管理；2、资产管理；3、不得从事理财业务",
        ["投资管理", "资产管理"],
        [("理财", P)],
        id="enumerated-items",
    ),
    pytest.param(
        "（1）投资管理；（2）未经批准不得从事理财业务",
        ["投资管理"],
        [("理财", P)],
        id="bracketed-enumerators",
    ),
    pytest.param(
        "不得从事以下业务：吸收存款、代客理财；投资咨询",
        [],
        [("理财", P)],
        id="prohibition-list-after-colon",
    ),
    pytest.param(
        "不得从事吸收存款、代客理财等金融业务，财富管理咨询",
        ["财富管理"],
        [("理财", P), ("金融", P)],
        id="list-closer-ends-the-prohibition",
    ),
    pytest.param(
        "软件开发不含金融信息服务", [], [("金融", X)], id="unbracketed-exclusion-without-separator"
    ),
    pytest.param("Ｐ２Ｐ网络借贷信息中介服务", ["P2P", "网络借贷"], [], id="full-width-latin"),
    pytest.param("非融资担保服务；融资咨询", [], [], id="non-financing-guarantee"),
    pytest.param("代理财产保险、人身保险", [], [], id="insurance-agency"),
    pytest.param(
        "金融软件开发；金融信息服务", ["金融"], [("金融", B)], id="software-topic-then-activity"
    ),
    pytest.param("（不含金融、证券、期货、保险业务）", [], [("金融", X)], id="only-an-exclusion"),
    pytest.param(
        "企业管理咨询（不含金融）咨询服务；理财",
        ["理财"],
        [("金融", X)],
        id="bracket-in-the-middle-of-an-item",
    ),
    pytest.param(
        "资产管理（不含国有资产管理）、投资管理",
        ["资产管理", "投资管理"],
        [("资产管理", X)],
        id="exclusion-bracket-does-not-spread-to-next-item",
    ),
    pytest.param(
        "受银行委托从事客户服务外包；银行卡收单外包服务",
        [],
        [],
        id="bank-word-not-sought-in-scopes",
    ),
    pytest.param(
        "软件开发（含金融软件开发，不含金融信息服务）",
        [],
        [("金融", B), ("金融", X)],
        id="exclusion-inside-a-bracket-is-cut-off",
    ),
    pytest.param(
        "资产管理、投资管理、股权投资、投资咨询（以上项目不得从事吸收存款、集资收款、受托贷款、"
        "发放贷款等国家金融、证券、期货及财政信用业务）",
        ["资产管理", "投资管理"],
        [("金融", P)],
        id="items-above-must-not",
    ),
    pytest.param(
        "受托管理股权投资基金；股权投资；投资管理（未经金融监管部门批准，不得从事吸收存款、融资担保、"
        "代客理财、向社会公众集（融）资等金融业务）",
        ["股权投资基金", "投资管理"],
        [("金融", P), ("融资担保", P), ("理财", P), ("金融", P)],
        id="private-fund-manager-2016",
    ),
    pytest.param(
        "区块链技术服务；数字资产管理", ["资产管理"], [], id="digital-assets-are-not-benign"
    ),
    pytest.param(
        "金融信息服务（不含金融业务）", ["金融"], [("金融", X)], id="activity-with-own-exclusion"
    ),
    pytest.param("代理记账；财务咨询；税务咨询", [], [], id="accounting-firm"),
]


def _summary(scope: str, matcher: LexiconMatcher) -> tuple[list[str], list[tuple[str, object]]]:
    analysis = find_scope_activities(scope, matcher)
    activities = [h.match.term for h in analysis.activities]
    discounted = [(h.match.term, h.reason.kind if h.reason else None) for h in analysis.discounted]
    return activities, discounted


@pytest.mark.parametrize(("scope", "activities", "discounted"), SCOPES)
def test_scope_activities_and_discounted_hits(
    scope_matcher: LexiconMatcher,
    scope: str,
    activities: list[str],
    discounted: list[tuple[str, ClauseKind]],
) -> None:
    assert _summary(scope, scope_matcher) == (activities, discounted)


# ---------------------------------------------------------------- explanations


def test_describe_quotes_the_clause_and_counts_discounted_hits(
    scope_matcher: LexiconMatcher,
) -> None:
    scope = "代客理财；企业管理咨询（未经批准，不得从事吸收存款、代客理财等金融业务）"
    assert find_scope_activities(scope, scope_matcher).describe() == (
        "经营范围“代客理财”含“理财”；另有 2 处出现于禁止性条款，未计入"
    )


def test_describe_names_several_terms_of_one_clause_once(scope_matcher: LexiconMatcher) -> None:
    text = find_scope_activities("P2P网络借贷信息中介", scope_matcher).describe()
    assert text == "经营范围“P2P网络借贷信息中介”含“P2P”、“网络借贷”"


def test_describe_cuts_long_clauses_around_the_word(scope_matcher: LexiconMatcher) -> None:
    scope = (
        "利用自有网络平台和移动应用程序为个人及中小企业客户提供线上代客理财及资产配置方案咨询服务"
        "以及相关的市场推广和客户关系管理服务"
    )
    text = find_scope_activities(scope, scope_matcher).describe()
    assert text == "经营范围“……客户提供线上代客理财及资产配置方案咨询服务以及相……”含“理财”"


def test_describe_in_english_lists_discounted_kinds(scope_matcher: LexiconMatcher) -> None:
    scope = "软件开发；接受金融机构委托从事信息技术和流程外包服务（不含金融信息服务）"
    assert find_scope_activities(scope, scope_matcher).describe("en") == (
        "Business scope: no restricted word counts; not counted: 1 in exclusions, "
        "1 in client or topic phrases"
    )


def test_describe_without_any_hit(scope_matcher: LexiconMatcher) -> None:
    assert (
        find_scope_activities("软件开发", scope_matcher).describe()
        == "经营范围未含计入的限制性字样"
    )


def test_a_discounted_hit_carries_its_clause_text(scope_matcher: LexiconMatcher) -> None:
    analysis = find_scope_activities("投资咨询（不得从事代客理财）", scope_matcher)
    assert [h.clause.text for h in analysis.discounted] == ["不得从事代客理财"]


def test_a_discounted_hit_carries_a_chinese_and_english_reason(
    scope_matcher: LexiconMatcher,
) -> None:
    (hit,) = find_scope_activities("为金融机构提供数据处理服务", scope_matcher).discounted
    assert hit.reason is not None
    assert "客户" in hit.reason.text("zh") and "client" in hit.reason.text("en")


def test_terms_lists_each_counted_term_once(scope_matcher: LexiconMatcher) -> None:
    analysis = find_scope_activities("理财咨询；理财产品销售；P2P", scope_matcher)
    assert analysis.terms == ("理财", "P2P")


def test_counted_tells_activities_from_discounted_hits(scope_matcher: LexiconMatcher) -> None:
    analysis = find_scope_activities("理财咨询（不含理财产品销售）", scope_matcher)
    assert [h.counted for h in (*analysis.activities, *analysis.discounted)] == [True, False]


# ---------------------------------------------------------------- edge cases


@pytest.mark.parametrize("scope", ["", None, "；；", "   "])
def test_empty_scopes_have_no_hits(scope_matcher: LexiconMatcher, scope: str | None) -> None:
    analysis = find_scope_activities(scope, scope_matcher)
    assert (analysis.activities, analysis.discounted) == ((), ())


@pytest.mark.parametrize("scope", ["", None, "；；", " 、 "])
def test_empty_scopes_have_no_clauses(scope: str | None) -> None:
    assert split_clauses(scope) == []


def test_very_long_scopes_are_read_whole(scope_matcher: LexiconMatcher) -> None:
    unit = "投资管理；企业管理咨询（未经批准不得从事代客理财等金融业务）；软件开发；"
    analysis = find_scope_activities(unit * 500, scope_matcher)
    assert (len(analysis.activities), len(analysis.discounted)) == (500, 1000)


def test_leading_separators_belong_to_the_first_clause() -> None:
    clauses = split_clauses("；；投资管理")
    assert [(c.start, c.end, c.text) for c in clauses] == [(0, 6, "投资管理")]


def test_a_bracket_qualifies_the_clause_it_follows() -> None:
    clauses = split_clauses("软件开发（不含金融信息服务）")
    assert [(c.text, c.bracketed, c.qualifies) for c in clauses] == [
        ("软件开发", False, None),
        ("不含金融信息服务", True, 0),
    ]


def test_a_bracket_after_a_separator_qualifies_nothing() -> None:
    clauses = split_clauses("软件开发；（不得从事金融业务）")
    assert clauses[1].qualifies is None


def test_a_bracket_without_a_kind_inherits_the_prohibition_it_qualifies() -> None:
    clauses = split_clauses("不得从事吸收存款（含理财产品）")
    assert [c.kind for c in clauses] == [P, P]


def test_headers_are_approval_notes() -> None:
    clauses = split_clauses("一般项目：软件开发；许可项目：第二类增值电信业务")
    assert [c.kind for c in clauses] == [A, ClauseKind.ACTIVITY, A, ClauseKind.ACTIVITY]


def test_commas_inside_numbers_do_not_cut() -> None:
    assert [c.text for c in split_clauses("注册资本1,000万元的项目投资")] == [
        "注册资本1,000万元的项目投资"
    ]


def test_prohibitions_stop_at_the_end_of_the_sentence() -> None:
    clauses = split_clauses("不得从事吸收存款、代客理财；资产管理、投资管理")
    assert [c.kind for c in clauses] == [P, P, ClauseKind.ACTIVITY, ClauseKind.ACTIVITY]


# ---------------------------------------------------------------- properties

_SCOPE_ALPHABET = (
    "投资管理理财金融不得未经批准含除外依法须经的项目一般许可为机构提供服务等业务软件开发1P"
    "；;。，,、：:（）()【】 \n“”"
)


@given(st.text(alphabet=_SCOPE_ALPHABET, max_size=60))
def test_clause_spans_tile_the_scope(scope: str) -> None:
    clauses = split_clauses(scope)
    if not clauses:
        assert all(c in "；;。，,、：: \n“”" for c in scope)
        return
    assert clauses[0].start == 0
    assert clauses[-1].end == len(scope)
    assert all(a.end == b.start for a, b in itertools.pairwise(clauses))


@given(st.text(alphabet=_SCOPE_ALPHABET, max_size=60))
def test_clause_text_sits_inside_its_span(scope: str) -> None:
    for clause in split_clauses(scope):
        assert scope[clause.text_start : clause.text_end] == clause.text
        assert clause.start <= clause.text_start <= clause.text_end <= clause.end
        assert clause.text == clause.text.strip()


@given(st.text(alphabet=_SCOPE_ALPHABET, max_size=60))
def test_only_bracketed_clauses_qualify_an_earlier_clause(scope: str) -> None:
    for index, clause in enumerate(split_clauses(scope)):
        if clause.qualifies is not None:
            assert clause.bracketed and clause.qualifies < index


@given(scope=st.text(alphabet=_SCOPE_ALPHABET, max_size=60))
def test_every_hit_is_either_counted_or_discounted(
    scope_matcher: LexiconMatcher, scope: str
) -> None:
    analysis = find_scope_activities(scope, scope_matcher)
    hits = sorted((*analysis.activities, *analysis.discounted), key=lambda h: h.match.start)
    assert [h.match for h in hits] == scope_matcher.find(scope)
    assert all(h.clause.start <= h.match.start < h.match.end <= h.clause.end for h in hits)
