"""Leads are grouped by domain into targets with provenance; covered and webmail domains drop."""

from __future__ import annotations

from smokewatch.patrol.spec import PatrolSpec, Site
from smokewatch.patrol.targets import Lead, covered_domains, group_leads, urls_in

PLATFORM = Lead(
    "https://www.xinhui-wealth.cn/index", "platform", "p1 鑫汇财富", "芜湖鑫汇财富咨询有限公司"
)
NEWS = Lead("m.xinhui-wealth.cn/app", "document", "doc-7")
TIP = Lead("http://jubao-licai.com/", "tip", "TIP-abc", "聚宝理财")


def test_leads_to_one_registrable_domain_are_one_target_with_every_lead() -> None:
    (xinhui, jubao) = group_leads([NEWS, TIP, PLATFORM], covered=set())
    assert (xinhui.domain, xinhui.seed) == ("xinhui-wealth.cn", "https://www.xinhui-wealth.cn/")
    assert xinhui.leads == (NEWS, PLATFORM)  # the seed comes from the platform register
    assert xinhui.subject_name == "芜湖鑫汇财富咨询有限公司"
    assert jubao.site() == {
        "name": "jubao-licai.com",
        "seeds": ["http://jubao-licai.com/"],
        "allowed_hosts": ["jubao-licai.com", "*.jubao-licai.com"],
        "subject_name": "聚宝理财",
        "provenance": ["tip TIP-abc (聚宝理财): http://jubao-licai.com/"],
    }


def test_domains_already_patrolled_and_webmail_are_not_suggested() -> None:
    spec = PatrolSpec(
        id="w", title="t", sites=(Site(name="s", seeds=("http://www.jubao-licai.com/",)),)
    )
    webmail = Lead("http://qq.com/", "page_email", "http://x.cn/about (kf@qq.com)")
    ip_address = Lead("http://127.0.0.1:8000/", "tip", "TIP-ip")
    targets = group_leads([TIP, webmail, ip_address, PLATFORM], covered_domains([spec]))
    assert [t.domain for t in targets] == ["xinhui-wealth.cn"]


def test_urls_are_read_from_text_as_written() -> None:
    text = "详情访问 www.xinhui-wealth.cn/p/1 或 https://m.abc.com.cn/x?a=1 ，邮箱 kf@xinhui.cn"
    assert urls_in(text) == ["www.xinhui-wealth.cn/p/1", "https://m.abc.com.cn/x?a=1"]
