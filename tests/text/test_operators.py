"""A platform's operator is read only where the text says who runs it."""

from __future__ import annotations

import pytest

from smokewatch.text.events import find_events
from smokewatch.text.mentions import find_mentions
from smokewatch.text.operators import brands, find_operators


def _operators(text: str) -> dict[str, str]:
    return {b: m.text for b, m in find_operators(text, find_mentions(text)).items()}


STATED = [
    ("“尚宇宝”运营方芜湖尚宇信息科技有限公司发布公告", "尚宇宝"),
    ("尚宇宝平台的运营主体为芜湖尚宇信息科技有限公司", "尚宇宝"),
    ("“尚宇宝”（运营公司：芜湖尚宇信息科技有限公司）", "尚宇宝"),
    ("“凯瑞汇”的实际运营方是芜湖尚宇信息科技有限公司", "凯瑞汇"),
    ("芜湖尚宇信息科技有限公司旗下“尚宇宝”平台爆雷", "尚宇宝"),
    ("由芜湖尚宇信息科技有限公司运营的“尚宇宝”平台出现逾期", "尚宇宝"),
    ("芜湖尚宇信息科技有限公司推出的《尚宇宝》APP无法登录", "尚宇宝"),
]


@pytest.mark.parametrize(("text", "brand"), STATED)
def test_a_stated_operator_is_linked_to_its_brand(text: str, brand: str) -> None:
    assert _operators(text) == {brand: "芜湖尚宇信息科技有限公司"}


NOT_STATED = [
    "芜湖尚宇信息科技有限公司与“尚宇宝”无关",
    "“尚宇宝”和芜湖尚宇信息科技有限公司都被点名",
    "“尚宇宝”爆雷后，记者走访了芜湖尚宇信息科技有限公司",
    "芜湖尚宇信息科技有限公司起诉“尚宇宝”侵权",
]


@pytest.mark.parametrize("text", NOT_STATED)
def test_a_brand_next_to_a_company_is_not_linked_without_a_role_word(text: str) -> None:
    assert _operators(text) == {}


def test_brands_are_platform_mentions_and_quoted_names_once_each() -> None:
    text = "“凯瑞汇”运营方称，鑫源宝平台与“鑫源宝”是两回事"
    assert [b.name for b in brands(text, find_mentions(text))] == ["凯瑞汇", "鑫源宝", "鑫源宝"]
    assert len({(b.start, b.end) for b in brands(text, find_mentions(text))}) == 3


def test_an_event_about_a_platform_names_its_operator() -> None:
    title = "“尚宇宝”宣布停止运营"
    body = "记者获悉，“尚宇宝”运营方芜湖尚宇信息科技有限公司近日发布公告称，平台即日起停止运营。"
    analysis = find_events(f"{title}\n{body}")
    assert analysis.subject is not None and analysis.subject.text == "尚宇宝"
    assert analysis.operator is not None
    assert analysis.operator.text == "芜湖尚宇信息科技有限公司"


def test_an_event_about_a_company_has_no_operator() -> None:
    analysis = find_events("警方对芜湖鑫源财富管理有限公司涉嫌非法吸收公众存款案立案侦查")
    assert analysis.subject is not None and analysis.operator is None


def test_a_lone_role_word_names_the_operator_of_the_only_brand() -> None:
    text = "“盛隆宝”从3月开始就无法提现，运营方芜湖盛隆信息科技有限公司人去楼空"
    assert _operators(text) == {"盛隆宝": "芜湖盛隆信息科技有限公司"}


@pytest.mark.parametrize(
    "text",
    [
        "“盛隆宝”和“恒泰贷”都已停业，运营方芜湖盛隆信息科技有限公司人去楼空",
        "运营方芜湖盛隆信息科技有限公司人去楼空",
        "“盛隆宝”停业后，芜湖盛隆信息科技有限公司人去楼空",
    ],
)
def test_a_lone_role_word_links_nothing_unless_the_text_names_one_brand(text: str) -> None:
    assert _operators(text) == {}
