"""Organisation names: one spelling, and the parts resolution compares."""

from __future__ import annotations

import opencc
import pytest
from hypothesis import given
from hypothesis import strategies as st

from smokewatch.resolve.names import clean_name, parse_org_name

TRADE_CHARS = "鑫源汇盈睿锦融聚"  # no two of them name a division (德宏, 隆昌 would)
REGIONS = [("芜湖市", "340200"), ("安徽省", "340000"), ("上海", "310000"), ("深圳市", "440300")]
INDUSTRIES = ["金融信息服务", "投资管理", "网络科技", "资产管理", "电子商务", ""]
FORMS = [("有限公司", "有限公司"), ("有限责任公司", "有限公司"), ("股份有限公司", "股份有限公司")]

trade_names = st.text(alphabet=TRADE_CHARS, min_size=2, max_size=4)
regions = st.sampled_from(REGIONS)
industries = st.sampled_from(INDUSTRIES)
forms = st.sampled_from(FORMS)
_S2T = opencc.OpenCC("s2t")


def _full_width(text: str) -> str:
    return "".join(chr(ord(c) + 0xFEE0) if "!" <= c <= "~" else c for c in text)


@given(trade_names, regions, industries, forms)
def test_the_parts_of_a_registered_name_are_read_back(
    trade: str, region: tuple[str, str], industry: str, form: tuple[str, str]
) -> None:
    name = parse_org_name(f"{region[0]}{trade}{industry}{form[0]}")
    assert name.region_code == region[1]
    assert name.trade_name == trade
    assert "".join(name.industry) == industry
    assert name.form == form[1]


@given(trade_names, regions, industries, forms)
def test_spelling_variants_give_the_same_key(
    trade: str, region: tuple[str, str], industry: str, form: tuple[str, str]
) -> None:
    leading = f"{region[0]}{trade}{industry}{form[0]}"
    key = parse_org_name(leading).key
    assert parse_org_name(f"{trade}{industry}（{region[0]}）{form[0]}").key == key
    assert parse_org_name(_S2T.convert(leading)).key == key
    assert parse_org_name(" ".join(leading)).key == key
    assert parse_org_name(f"{trade}{industry}({region[0]}){form[0]}").key == key


@given(st.text(max_size=30))
def test_cleaning_is_idempotent(raw: str) -> None:
    once = clean_name(raw)
    assert clean_name(once) == once


@given(st.text(alphabet="ＡＢＣａｂｃ１２３（）　 鑫源", max_size=20))
def test_full_width_and_half_width_clean_alike(raw: str) -> None:
    half = "".join(chr(ord(c) - 0xFEE0) if "！" <= c <= "～" else c for c in raw)
    assert clean_name(raw) == clean_name(half.replace("\u3000", " "))
    assert clean_name(_full_width(half)) == clean_name(half)


@pytest.mark.parametrize(
    ("raw", "trade", "industry", "extra"),
    [
        ("上海陆金所互联网金融信息服务有限公司", "陆金所", ("金融信息服务",), {"region": "上海"}),
        ("中国工商银行股份有限公司北京分行", "工商", ("银行",), {"branch": "北京分行"}),
        ("北京银行股份有限公司", "北京", ("银行",), {"region": "北京"}),
        ("北京农商银行", "北京", ("农村商业银行",), {}),
        ("上海成雨投资控股集团有限公司", "成雨", ("投资",), {"group": "控股集团"}),
        ("北京红岭（集团）有限公司", "红岭", (), {"group": "集团"}),
        ("深圳市鑫源投资合伙企业（有限合伙）", "鑫源", ("投资",), {"form": "有限合伙"}),
        ("红岭创投", "红岭", ("创投",), {"form": None}),
        ("陆金服", "陆金服", (), {"platform_ending": None}),
        ("团贷网", "团贷", (), {"platform_ending": "网"}),
        ("工行", "工商", ("银行",), {"national": True}),
        ("開鑫貸融資服務江蘇有限公司", "开鑫贷", ("融资服务",), {"region": "江苏"}),
    ],
)
def test_names_regulators_see_are_read_into_parts(
    raw: str, trade: str, industry: tuple[str, ...], extra: dict[str, object]
) -> None:
    name = parse_org_name(raw)
    assert (name.trade_name, name.industry) == (trade, industry)
    for attribute, value in extra.items():
        assert getattr(name, attribute) == value


def test_an_empty_name_has_no_parts() -> None:
    name = parse_org_name(None)
    assert (name.clean, name.trade_name, name.industry, name.form) == ("", "", (), None)
