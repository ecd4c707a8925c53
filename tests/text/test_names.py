"""Enterprise names: restricted words (literal, no near misses) and the cheaply derived parts."""

from __future__ import annotations

import csv
import itertools
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from smokewatch.text.matcher import LexiconMatcher
from smokewatch.text.names import NameAnalysis, NamePart, analyse_name

NAMES_WITH_WORDS = [
    ("芜湖市鑫源理财咨询有限公司", ("理财",)),
    ("安徽鑫源财富管理有限公司", ("财富管理",)),
    ("芜湖鑫源基金管理有限公司", ("基金管理",)),
    ("芜湖鑫源股权投资基金合伙企业（有限合伙）", ("股权投资基金",)),
    ("芜湖鑫源投资管理有限公司", ("投资管理",)),
    ("芜湖鑫源资产管理有限公司", ("资产管理",)),
    ("北京金融街物业管理有限公司", ("金融",)),  # literal 字样, judged by the rule
    ("芜湖文化艺术品交易所有限公司", ("交易所",)),
    ("芜湖大宗商品交易中心有限公司", ("交易中心",)),
    ("芜湖鑫源网络借贷信息中介服务有限公司", ("网络借贷",)),
    ("芜湖鑫源P2P网贷有限公司", ("P2P", "网贷")),
    ("芜湖鑫源股权众筹科技有限公司", ("股权众筹",)),
    ("芜湖鑫源互联网保险经纪有限公司", ("互联网保险",)),
    ("芜湖鑫源支付科技有限公司", ("支付",)),
    ("芜湖鑫源融资担保有限公司", ("融资担保",)),
    ("芜湖鑫源信托咨询有限公司", ("信托",)),
    ("芜湖鑫源村镇银行股份有限公司", ("银行",)),
    ("上海陆金所互联网金融信息服务有限公司", ("金融",)),
]

NEAR_MISSES = [
    "芜湖市镜湖区丽人理发店",  # 理发 is not 理财
    "芜湖财富广场置业有限公司",  # 财富 alone is not 财富管理
    "芜湖二手车交易市场有限公司",  # 交易 alone
    "芜湖中正资产评估有限公司",  # 资产 alone
    "芜湖鑫源投资咨询有限公司",  # 投资 alone
    "芜湖鑫源保险代理有限公司",  # 保险 alone
    "芜湖鑫源财产保险代理有限公司",
    "芜湖鑫源代理财产保险有限公司",  # 代理|财产, not 理财
    "芜湖鑫源非融资担保有限公司",  # the opposite of 融资担保
    "芜湖鑫源融资租赁有限公司",
    "芜湖鑫源财务咨询有限公司",
]


def _text(part: NamePart | None) -> str | None:
    return part.text if part else None


def _parts(analysis: NameAnalysis) -> tuple[str | None, ...]:
    return (
        _text(analysis.region),
        _text(analysis.core),
        _text(analysis.organisational_form),
        _text(analysis.branch),
    )


@pytest.mark.parametrize(("name", "terms"), NAMES_WITH_WORDS)
def test_restricted_words_in_names(
    name_matcher: LexiconMatcher, name: str, terms: tuple[str, ...]
) -> None:
    assert analyse_name(name, name_matcher).terms == terms


@pytest.mark.parametrize("name", NEAR_MISSES)
def test_near_misses_are_not_reported(name_matcher: LexiconMatcher, name: str) -> None:
    assert analyse_name(name, name_matcher).hits == ()


def test_hits_carry_spans_into_the_name(name_matcher: LexiconMatcher) -> None:
    (hit,) = analyse_name("北京金融街物业管理有限公司", name_matcher).hits
    assert (hit.start, hit.end, hit.surface) == (2, 4, "金融")


PARTS = [
    # name, (region, core, organisational form, branch)
    ("芜湖市鑫源财富管理有限公司", ("芜湖市", "鑫源财富管理", "有限公司", None)),
    ("芜湖鑫源理财咨询有限公司", ("芜湖", "鑫源理财咨询", "有限公司", None)),
    (
        "安徽省芜湖市镜湖区鑫源科技有限责任公司",
        ("安徽省芜湖市镜湖区", "鑫源科技", "有限责任公司", None),
    ),
    ("北京市朝阳区鑫源投资咨询有限公司", ("北京市朝阳区", "鑫源投资咨询", "有限公司", None)),
    (
        "广西壮族自治区南宁市鑫源资产评估有限公司",
        ("广西壮族自治区南宁市", "鑫源资产评估", "有限公司", None),
    ),
    ("广西鑫源科技股份有限公司", ("广西", "鑫源科技", "股份有限公司", None)),
    ("延边鑫源商贸有限公司", ("延边", "鑫源商贸", "有限公司", None)),
    ("芜湖鑫源投资管理中心（有限合伙）", ("芜湖", "鑫源投资管理中心", "（有限合伙）", None)),
    (
        "芜湖鑫源股权投资合伙企业（有限合伙）",
        ("芜湖", "鑫源股权投资", "合伙企业（有限合伙）", None),
    ),
    ("芜湖鑫源股权投资合伙企业(有限合伙)", ("芜湖", "鑫源股权投资", "合伙企业(有限合伙)", None)),
    ("鑫源（芜湖）科技有限公司", ("（芜湖）", "鑫源（芜湖）科技", "有限公司", None)),
    ("鑫源科技（中国）有限公司", ("（中国）", "鑫源科技", "有限公司", None)),
    ("开鑫贷融资服务江苏有限公司", ("江苏", "开鑫贷融资服务", "有限公司", None)),
    ("中国工商银行股份有限公司芜湖分行", (None, "中国工商银行", "股份有限公司", "芜湖分行")),
    ("芜湖鑫源科技有限公司镜湖分公司", ("芜湖", "鑫源科技", "有限公司", "镜湖分公司")),
    ("兴业银行股份有限公司", (None, "兴业银行", "股份有限公司", None)),  # 兴业县 is not used
    ("义乌市鑫源电子商务商行", ("义乌市", "鑫源电子商务", "商行", None)),
    ("芜湖市镜湖区丽人理发店", ("芜湖市镜湖区", "丽人理发店", None, None)),
    ("鑫源科技", (None, "鑫源科技", None, None)),
    ("有限公司", (None, None, "有限公司", None)),
]


@pytest.mark.parametrize(("name", "parts"), PARTS)
def test_name_parts(name_matcher: LexiconMatcher, name: str, parts: tuple[str | None, ...]) -> None:
    assert _parts(analyse_name(name, name_matcher)) == parts


@pytest.mark.parametrize(
    ("name", "code"),
    [
        ("芜湖市鑫源科技有限公司", "340200"),
        ("安徽省芜湖市镜湖区鑫源科技有限公司", "340202"),
        ("北京市朝阳区鑫源科技有限公司", "110105"),
        ("北京鑫源科技有限公司", "110000"),
        ("海南鑫源科技有限公司", "460000"),  # the province, not 海南藏族自治州
        ("东莞鑫源科技有限公司", "441900"),
        ("鑫源科技（中国）有限公司", None),
    ],
)
def test_region_code(name_matcher: LexiconMatcher, name: str, code: str | None) -> None:
    assert analyse_name(name, name_matcher).region_code == code


def test_a_district_is_chained_only_below_its_own_city(name_matcher: LexiconMatcher) -> None:
    # 镜湖区 is in 芜湖; after 北京市 it is not a region but part of the trade name.
    assert _text(analyse_name("北京市镜湖区鑫源科技有限公司", name_matcher).region) == "北京市"


def test_surrounding_whitespace_is_ignored_for_parts(name_matcher: LexiconMatcher) -> None:
    analysis = analyse_name(" 福建聚融在线金融技术服务有限公司 ", name_matcher)
    assert _parts(analysis) == ("福建", "聚融在线金融技术服务", "有限公司", None)
    assert analysis.organisational_form == NamePart("有限公司", 13, 17)


@pytest.mark.parametrize("name", ["", None, "   "])
def test_empty_names_have_no_hits_and_no_parts(
    name_matcher: LexiconMatcher, name: str | None
) -> None:
    analysis = analyse_name(name, name_matcher)
    assert (analysis.hits, _parts(analysis)) == ((), (None, None, None, None))


# ---------------------------------------------------------------- real names


def test_every_licensed_bank_name_has_the_bank_word(
    name_matcher: LexiconMatcher, shared_data: Path
) -> None:
    path = shared_data / "cn-licensed-banks-nfra" / "nfra_2025-12-31_banks_partial.csv"
    with path.open(encoding="utf-8") as handle:
        names = [row["name"] for row in csv.DictReader(handle)]
    assert len(names) > 100
    assert [n for n in names if "银行" not in analyse_name(n, name_matcher).terms] == []


def test_every_p2p_company_name_gets_an_organisational_form(
    name_matcher: LexiconMatcher, shared_data: Path
) -> None:
    path = shared_data / "p2p-platforms-wdzj" / "platDataDetail.csv"
    with path.open(encoding="utf-8") as handle:
        names = {row["companyName"] for row in csv.DictReader(handle) if row["companyName"]}
    assert len(names) > 400
    missing = [n for n in names if analyse_name(n, name_matcher).organisational_form is None]
    assert missing == []


# ---------------------------------------------------------------- properties

_NAME_ALPHABET = (
    "芜湖市北京安徽省镜湖区鑫源理财金融基金管理科技有限公司责任股份合伙企业（）()分行支 "
)


@given(name=st.text(alphabet=_NAME_ALPHABET, max_size=30))
def test_parts_are_ordered_slices_of_the_name(name_matcher: LexiconMatcher, name: str) -> None:
    analysis = analyse_name(name, name_matcher)
    parts = [p for p in (analysis.core, analysis.organisational_form, analysis.branch) if p]
    for part in (*parts, analysis.region):
        if part is not None:
            assert name[part.start : part.end] == part.text != ""
    assert all(a.end <= b.start for a, b in itertools.pairwise(parts))


@given(name=st.text(alphabet=_NAME_ALPHABET, max_size=30))
def test_name_hits_are_the_matcher_hits(name_matcher: LexiconMatcher, name: str) -> None:
    assert list(analyse_name(name, name_matcher).hits) == name_matcher.find(name)
