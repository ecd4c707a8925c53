"""Contact and identity facts on a page: phones, WeChat, QQ, e-mail, ICP, USCC, names."""

from __future__ import annotations

from smokewatch.patrol.contacts import page_facts

FOOTER = (
    "芜湖鑫源财富管理有限公司 统一社会信用代码：91340200MA2N0XXX0Y\n"
    "客服热线：139-1234-5678 / 0553-1234567 微信：xinyuan888 QQ：80012345\n"
    "邮箱：KeFu@xinyuan.cn 京ICP备12345678号-1"
)


def kinds(text: str) -> list[tuple[str, str]]:
    return [(f.kind, f.value) for f in page_facts(text)]


def test_a_footer_yields_every_kind_of_contact_and_identity() -> None:
    assert kinds(FOOTER) == [
        ("icp", "京ICP备12345678号"),
        ("uscc", "91340200MA2N0XXX0Y"),
        ("email", "kefu@xinyuan.cn"),
        ("wechat", "xinyuan888"),
        ("qq", "80012345"),
        ("phone", "13912345678"),
        ("phone", "0553-1234567"),
        ("organisation", "芜湖鑫源财富管理有限公司"),
    ]


def test_each_fact_keeps_the_span_it_was_read_from() -> None:
    for fact in page_facts(FOOTER):
        assert FOOTER[fact.start : fact.end] == fact.text


def test_the_icp_value_drops_the_site_suffix_and_reads_licences_and_full_width() -> None:
    assert kinds("皖ICP证２０２６１２３４号 沪ICP备 87654321号-12") == [
        ("icp", "皖ICP证20261234号"),
        ("icp", "沪ICP备87654321号"),
    ]
    (fact, _) = page_facts("沪ICP备87654321号-12，皖ICP证20261234号")
    assert fact.text == "沪ICP备87654321号-12"


def test_an_icp_number_is_not_also_a_phone() -> None:
    assert [f.kind for f in page_facts("备案：京ICP备05512345号")] == ["icp"]


def test_a_uscc_with_a_wrong_check_character_is_not_a_fact() -> None:
    assert [f.kind for f in page_facts("代码 91340200MA2N0XXX01")] == []


def test_a_page_without_contacts_has_no_facts() -> None:
    assert page_facts("年化收益高达18%，保本保息。") == ()
