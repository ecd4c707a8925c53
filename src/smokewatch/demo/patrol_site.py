"""The demo's patrol target: a wealth-management site in two states, served on loopback.

鑫汇财富 sells "稳盈" products on its website. Its operator, 芜湖鑫汇财富咨询有限公司, is a
registered company (its 经营范围 says 财富管理咨询) without any financial licence — the usual
shape of an unlicensed wealth shop. :func:`operator_record` is its registry row (the demo's
``patrol_operator`` planter adds it); every page's footer shows its USCC, so the patrol resolves
the operator (``page_uscc``), the pages' findings reach its smoke index and the second run's
change events land on its entity timeline. The demo patrols the site twice:

* **before** — a home page, a product page promising 12 % a year with a guarantee, an about
  page with the operator's contacts (phone, WeChat, QQ, e-mail, ICP filing, USCC), a GBK notice
  page, a private area its robots.txt disallows, and an old link that redirects;
* **after** — the product's rate raised to 24 %, a new product page (月息2分, 保本保息), and the
  notice taken down (404).

The demo service serves each state from :func:`site_files` on 127.0.0.1 (a free port) for one
run and writes the spec (:func:`patrol_spec`): the site is :data:`SITE`, fetched from the
server's address as its ``mirror``. Pages, documents, their ids and the findings on them so
carry :data:`SITE`, never the port, and two demos built with the same seed are the same
(the simulated history hashes the findings' ids). Planted cases for the pages come from
:func:`patrol_cases`, keyed by the URL each page's document carries.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from smokewatch.demo.planting import DocumentFacts, PlantedCase
from smokewatch.demo.records import EnterpriseRecord

PATROL_ID = "demo_wealth"
SITE = "http://www.xinhui-wealth.example.cn"
"""The site's canonical origin (the domain of its e-mail address): what its pages' URLs say."""
STATES = ("before", "after")
OPERATOR = "芜湖鑫汇财富咨询有限公司"
OPERATOR_USCC = "91340202MA3BKMHH9A"
"""The operator's USCC (a valid code of 镜湖区, 340202), fixed: the site's pages are static."""
OPERATOR_ADCODE = "340202"
OPERATOR_SCOPE = (
    "一般项目：财富管理咨询；企业管理咨询；信息咨询服务（不含许可类信息咨询服务）；"
    "市场营销策划。（除依法须经批准的项目外，凭营业执照依法自主开展经营活动）"
)
"""财富管理 in the scope, no licence: SW-R-0002 fires (binding word), SW-R-0001 does not
(财富 alone is not a restricted word)."""
PATTERN = "patrol_site"
OPERATOR_PATTERN = "patrol_operator"


def operator_record(as_of: date) -> EnterpriseRecord:
    """The operator's registry row: established about two years before ``as_of``."""
    return EnterpriseRecord(
        uscc=OPERATOR_USCC,
        name=OPERATOR,
        legal_representative="汪志强",
        established_on=as_of - timedelta(days=730),
        registered_address="安徽省芜湖市镜湖区北京中路8号鑫汇大厦1206室",
        business_scope=OPERATOR_SCOPE,
        registered_capital_wan=1000,
        paid_in_capital_wan=50,
        adcode=OPERATOR_ADCODE,
        phone="0553-3861234",
        staff_count=6,
    )


@dataclass(frozen=True, slots=True)
class SitePage:
    """One page of the fixture site in one state."""

    path: str
    title: str
    body: str
    charset: str = "utf-8"
    facts: DocumentFacts | None = None
    """What the text rules should read on it (``None``: not a document, e.g. robots.txt)."""


def _html(page: SitePage) -> bytes:
    meta = f'<meta charset="{page.charset}">'
    doc = f"<html><head>{meta}<title>{page.title}</title></head><body>{page.body}</body></html>"
    return doc.encode(page.charset)


_NAV = (
    '<p><a href="/">首页</a> <a href="/products/wenying-1">稳盈一号</a> '
    '<a href="/about">关于我们</a> <a href="/notice">公告</a> <a href="/admin/">管理</a> '
    '<a href="/old-products">往期产品</a></p>'
)
_FOOTER = f"<p>鑫汇财富 版权所有 皖ICP备26001234号-1 统一社会信用代码：{OPERATOR_USCC}</p>"


def _pages(state: str) -> list[SitePage]:
    after = state == "after"
    rate = "24%" if after else "12%"
    nav = _NAV + ('<p><a href="/products/wenying-2">稳盈二号（新品）</a></p>' if after else "")
    pages = [
        SitePage(
            "/",
            "鑫汇财富",
            f"<h1>鑫汇财富</h1>{nav}<p>专业的财富管理服务，欢迎咨询。</p>{_FOOTER}",
            facts=DocumentFacts(),
        ),
        SitePage(
            "/products/wenying-1",
            "稳盈一号",
            f"{_NAV}<h2>稳盈一号</h2><p>稳盈一号年化收益{rate}，保本保息，一万元起投。</p>{_FOOTER}",
            facts=DocumentFacts(promised_rate=Decimal(rate[:-1]), guarantee=True),
        ),
        SitePage(
            "/about",
            "关于我们",
            f"{_NAV}<h2>关于我们</h2><p>{OPERATOR}，位于芜湖市镜湖区。</p>"
            "<p>客服电话：139-5530-1234 微信：xinhui_kefu QQ：80012345 "
            f"邮箱：kefu@xinhui-wealth.example.cn</p>{_FOOTER}",
            facts=DocumentFacts(),
        ),
    ]
    if after:
        pages.append(
            SitePage(
                "/products/wenying-2",
                "稳盈二号",
                f"{_NAV}<h2>稳盈二号</h2><p>稳盈二号：投资月息2分，保本保息，到期还本。</p>{_FOOTER}",
                facts=DocumentFacts(promised_rate=Decimal("24"), guarantee=True),
            )
        )
    else:
        pages.append(
            SitePage(
                "/notice",
                "公告",
                f"{_NAV}<h2>公告</h2><p>本公司理财产品春节期间照常办理。</p>{_FOOTER}",
                charset="gbk",
                facts=DocumentFacts(),
            )
        )
    return pages


def site_files(state: str) -> dict[str, tuple[bytes, str]]:
    """Path → (body, content type) of the site in ``state`` (``before`` or ``after``)."""
    files = {
        "/robots.txt": (b"User-agent: *\nDisallow: /admin/\n", "text/plain; charset=utf-8"),
    }
    for page in _pages(state):
        kind = "text/html" if page.charset == "gbk" else "text/html; charset=utf-8"
        files[page.path] = (_html(page), kind)
    return files


REDIRECTS = {"/old-products": "/products/wenying-1"}
"""Paths that answer 301 with a ``Location`` (in both states)."""


def patrol_spec(served_at: str) -> dict[str, Any]:
    """The demo's patrol spec: :data:`SITE`, served at ``served_at`` (``http://127.0.0.1:PORT``)."""
    return {
        "id": PATROL_ID,
        "title": "鑫汇财富网站巡查（演示）",
        "sites": [
            {
                "name": "鑫汇财富",
                "seeds": [f"{SITE}/"],
                "mirror": served_at,
                "max_depth": 2,
                "max_pages": 20,
                "min_interval_s": 0.05,
                "kind": "web_page",
                "subject_name": OPERATOR,
                "adcode": OPERATOR_ADCODE,
            }
        ],
        "fetch": {"retries": 0, "connect_timeout_s": 5, "total_timeout_s": 10},
        "schedule": {"every_hours": 24},
    }


def patrol_cases(day: date) -> list[PlantedCase]:
    """The planted cases of the pages whose documents the two runs leave in the table.

    The notice page was taken down in the second run; its document keeps the text it showed.
    The product page's document holds the second run's text (24 %). Every page is ``about``
    the operator: the patrol resolves it and makes it the subject of every page.
    """
    pages = {p.path: p for state in STATES for p in _pages(state)}  # "after" wins
    cases = []
    for path, page in sorted(pages.items()):
        if page.facts is None:
            continue
        cases.append(
            PlantedCase(
                pattern=PATTERN,
                uscc=None,
                name=page.title,
                expect=page.facts.expectations(day),
                note=f"patrolled page {path} of the demo site",
                subject_table="document",
                reference=f"{SITE}{path}",
                about=OPERATOR_USCC,
            )
        )
    return cases


__all__ = [
    "OPERATOR",
    "OPERATOR_ADCODE",
    "OPERATOR_PATTERN",
    "OPERATOR_SCOPE",
    "OPERATOR_USCC",
    "PATROL_ID",
    "REDIRECTS",
    "SITE",
    "STATES",
    "operator_record",
    "patrol_cases",
    "patrol_spec",
    "site_files",
]
