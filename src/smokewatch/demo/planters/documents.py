"""Planted text documents for the text rules SW-R-0101…0104.

Ads, web pages, posts, SMS, news, notices and complaints of the demo city, written from the
templates of ``demo/data/documents.yml`` (:mod:`smokewatch.demo.texts`). Most are about the
city's enterprises: unlicensed financial companies the name and capital planters created
advertise returns above the legal ceiling and are later investigated or complained about;
platforms of the scope planter's tech companies claim bank custody, pay daily dividends and
collapse; licensed banks and wealth managers advertise at market rates; licensed lenders deny
rumours. A few subjects are created here — elderly-care, farming, crypto and loan-broker firms
whose registry rows look ordinary (so no enterprise rule fires on them; only their texts
speak), and shops whose promotions must stay quiet.

Every document is a planted case keyed by its reference, with the facts it states
(:class:`~smokewatch.demo.planting.DocumentFacts`) and the expectations that follow, so any
finding on a document is either expected or a false positive.
"""

from __future__ import annotations

import string
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from smokewatch.demo.planters.common import plain_scope
from smokewatch.demo.planting import DocumentFacts, PlantContext, RuleFacts
from smokewatch.demo.records import DocumentRecord, EnterpriseRecord
from smokewatch.demo.texts import (
    Computed,
    DocumentPattern,
    KindStyle,
    Outlet,
    fill,
    load_document_texts,
)
from smokewatch.errors import InvalidInput

_REGIONS = ("芜湖市", "芜湖", "安徽")
_FINANCIAL_WORDS = {
    "财富管理": "财富",
    "理财": "理财",
    "资产管理": "资产",
    "投资管理": "投资",
    "基金": "基金",
    "金融": "金融",
}
"""Name words of planted unlicensed companies → the short word of their brand (泰海财富)."""

_UNLICENSED = ("name.", "capital.", "pivot.name_")
_LICENSED = ("name.licensed",)
_PLATFORM_OPERATORS = ("scope.activity_unlicensed", "pivot.scope_recent")
_PLATFORM_SUFFIXES = ("宝", "汇", "通", "盈", "金服", "钱包")
_SHOP_INDUSTRIES = ("retail", "catering", "personal_services", "appliances", "furniture")
_CITY_ADCODE = "340200"
_SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何林高罗"
_ALNUM = string.ascii_lowercase + string.digits
_ATTEMPTS = 50


@dataclass(frozen=True, slots=True)
class Subject:
    """Whom a document is about, and the names it goes by in texts."""

    name: str | None
    uscc: str | None
    brand: str
    platform: str
    address: str | None
    adcode: str | None
    phone: str | None
    site: str


@dataclass(frozen=True, slots=True)
class _Created:
    """A kind of subject this module creates: its name word, brand word and registry shape."""

    word: str
    brands: tuple[str, ...]
    scope: tuple[str, ...]
    industry: str
    """The demo industry (``industries.yml``) whose GB/T 4754 code the registry row carries."""
    count: int


_CREATED = {
    "pension": _Created(
        "健康管理",
        ("康养", "颐养"),
        ("健康咨询服务（不含诊疗服务）", "养生保健服务（非医疗）", "会议及展览服务"),
        "personal_services",
        2,
    ),
    "farm": _Created(
        "农业发展",
        ("农业", "生态"),
        ("农业技术推广服务", "树木种植经营", "农副产品销售"),
        "agriculture",
        2,
    ),
    "coin": _Created(
        "网络科技",
        ("数科", "链科"),
        ("网络技术服务", "软件开发", "信息技术咨询服务"),
        "software",
        2,
    ),
    "broker": _Created(
        "商务信息咨询",
        ("易贷", "速贷", "快贷"),
        ("商务信息咨询（不含投资类咨询）", "市场营销策划", "会议及展览服务"),
        "business_services",
        3,
    ),
}


def _trade(name: str) -> str:
    for region in _REGIONS:
        if name.startswith(region):
            return name[len(region) : len(region) + 2]
    return name[:2]


def _site(ctx: PlantContext) -> str:
    return "".join(_ALNUM[int(i)] for i in ctx.rng.integers(0, 26, 6))


def _subject(ctx: PlantContext, record: EnterpriseRecord, brand: str) -> Subject:
    suffix = _PLATFORM_SUFFIXES[int(ctx.rng.integers(0, len(_PLATFORM_SUFFIXES)))]
    return Subject(
        name=record.name,
        uscc=record.uscc,
        brand=brand,
        platform=_trade(record.name) + suffix,
        address=record.registered_address,
        adcode=record.adcode,
        phone=record.phone,
        site=_site(ctx),
    )


class Subjects:
    """The subjects a planter draws documents about, by the groups patterns name."""

    def __init__(self, ctx: PlantContext) -> None:
        self._ctx = ctx
        self._groups: dict[str, list[Subject]] = {}
        self._turn: dict[str, int] = {}

    def draw(self, group: str) -> Subject | None:
        """The next subject of ``group`` (round-robin from a random start); ``None`` for none."""
        if group == "none":
            return None
        if group not in self._groups:
            members = self._build(group)
            if not members:
                raise InvalidInput(f"no demo subjects of group {group!r} to write documents about")
            self._groups[group] = members
            self._turn[group] = int(self._ctx.rng.integers(0, len(members)))
        members = self._groups[group]
        self._turn[group] += 1
        return members[self._turn[group] % len(members)]

    def _build(self, group: str) -> list[Subject]:
        ctx = self._ctx
        if group == "unlicensed":
            return self._unlicensed()
        if group == "platform":
            return [
                _subject(ctx, e, _trade(e.name) + "科技")
                for e in ctx.planted_enterprises(*_PLATFORM_OPERATORS)
            ]
        if group == "bank":
            return [
                _subject(ctx, e, _trade(e.name) + "农商银行")
                for e in ctx.planted_enterprises("name.licensed")
                if "银行" in e.name
            ]
        if group == "wealth":
            return [
                _subject(ctx, e, _trade(e.name) + ("理财" if "理财" in e.name else "私募"))
                for e in ctx.planted_enterprises("name.licensed")
                if "理财" in e.name or "私募基金" in e.name
            ]
        if group == "lender":
            return [
                _subject(ctx, e, _trade(e.name))
                for e in ctx.planted_enterprises("licensed.institution")
                if e.name.startswith("芜湖")
            ]
        if group == "shop":
            return [self._shop() for _ in range(8)]
        return [self._created(group, _CREATED[group]) for _ in range(_CREATED[group].count)]

    def _unlicensed(self) -> list[Subject]:
        """Planted companies with a financial word in the name and no licence that covers it.

        Names with 网 (网贷, 网络借贷, 互联网保险) are left out: 网络借贷 is also scheme vocabulary,
        so every text naming such a company would use a scheme word.
        """
        ctx = self._ctx
        licensed = {e.uscc for e in ctx.planted_enterprises(*_LICENSED)}
        found: list[Subject] = []
        for record in ctx.planted_enterprises(*_UNLICENSED):
            word = _first_word(record.name)
            if record.uscc in licensed or word is None or "网" in record.name:
                continue
            found.append(_subject(ctx, record, _trade(record.name) + _FINANCIAL_WORDS[word]))
        return found

    def _created(self, group: str, kind: _Created) -> Subject:
        ctx = self._ctx
        trade = ctx.trade_name()
        record = ctx.enterprise(
            name=f"芜湖{trade}{kind.word}有限公司",
            business_scope=plain_scope(ctx, list(kind.scope)),
            industry_code=ctx.pools.industry(kind.industry).code,
        )
        note = f"writes {group} documents; its registry row shows nothing financial"
        ctx.plant(f"advertiser.{group}", record, RuleFacts(), note)
        brand = trade + kind.brands[int(ctx.rng.integers(0, len(kind.brands)))]
        return _subject(ctx, record, brand)

    def _shop(self) -> Subject:
        ctx = self._ctx
        industry = ctx.pools.industry(
            _SHOP_INDUSTRIES[int(ctx.rng.integers(0, len(_SHOP_INDUSTRIES)))]
        )
        word = industry.shops[int(ctx.rng.integers(0, len(industry.shops)))]
        trade = ctx.trade_name()
        record = ctx.enterprise(
            name=f"芜湖市{trade}{word}",
            business_scope=plain_scope(ctx, list(industry.general[:3])),
            enterprise_type="个体工商户",
            org_type="2",
            industry_code=industry.code,
            registered_capital_wan=None,
        )
        ctx.plant("advertiser.shop", record, RuleFacts(), "a shop whose texts must stay quiet")
        return _subject(ctx, record, trade + word)


def _first_word(name: str) -> str | None:
    words = [(name.find(w), w) for w in _FINANCIAL_WORDS if w in name]
    return min(words)[1] if words else None


# ---------------------------------------------------------------- slots the planter computes


def _pick(ctx: PlantContext, options: tuple[str, ...] | str) -> str:
    return options[int(ctx.rng.integers(0, len(options)))]


def _digits(ctx: PlantContext, n: int) -> str:
    return "".join(str(d) for d in ctx.rng.integers(0, 10, n))


def _phone(ctx: PlantContext, subject: Subject | None) -> str:
    if subject is not None and subject.phone and subject.phone.startswith("0553"):
        return subject.phone
    if ctx.rng.random() < 0.5:
        return f"0553-{int(ctx.rng.integers(2, 9))}{_digits(ctx, 6)}"
    return f"1{_pick(ctx, '35789')}{_digits(ctx, 1)}****{_digits(ctx, 4)}"


def _county(ctx: PlantContext, subject: Subject | None) -> str:
    counties = ctx.pools.counties
    for county in counties:
        if subject is not None and subject.adcode == county.code:
            return county.name
    plain = [c.name for c in counties if not c.name.endswith("开发区")]
    return plain[int(ctx.rng.integers(0, len(plain)))]


def _police(county: str) -> str:
    if county.endswith("区"):
        return f"芜湖市公安局{county[:-1]}分局"
    return f"{county}公安局"


def _months_before(day: date, months: int) -> str:
    total = day.year * 12 + day.month - 1 - months
    return f"{total // 12}年{total % 12 + 1}月"


def _percent(ctx: PlantContext, low: int, high: int) -> Callable[[], str]:
    return lambda: f"{int(ctx.rng.integers(low * 10, high * 10)) / 10:.1f}"


def _computed(ctx: PlantContext, subject: Subject | None, day: date) -> Computed:
    county = _county(ctx, subject)
    court = f"{county}人民法院" if ctx.rng.random() < 0.7 else "芜湖市中级人民法院"
    brand = subject.brand if subject else ""
    sums = (
        f"{int(ctx.rng.integers(8, 95)) * 100}余万元",
        f"{int(ctx.rng.integers(11, 39)) / 10}亿元",
    )
    return {
        "company": (subject.name or brand) if subject else "",
        "brand": brand,
        "platform": subject.platform if subject else "",
        "address": (subject.address if subject else None) or "芜湖市镜湖区",
        "site": subject.site if subject else _site(ctx),
        "phone": _phone(ctx, subject),
        "wechat": f"{_site(ctx)[:3]}{_digits(ctx, 5)}",
        "qq": f"{int(ctx.rng.integers(1, 10))}{_digits(ctx, 8)}",
        "police": _police(county),
        "court": court,
        "person": _pick(ctx, _SURNAMES) + "某",
        "sum": _pick(ctx, sums),
        "people": f"{int(ctx.rng.integers(3, 40)) * 50}余名",
        "since": _months_before(day, int(ctx.rng.integers(12, 30))),
        "month": _months_before(day, int(ctx.rng.integers(2, 10))),
        "n": str(int(ctx.rng.integers(2, 10))),
        "m": str(int(ctx.rng.integers(2, 6)) * 10),
        "x": _pick(ctx, ("680", "980", "1200", "2980", "3600")),
        "pct": _percent(ctx, 2, 10),
        "share": _percent(ctx, 20, 45),
    }


# ---------------------------------------------------------------- writing documents


def _note(pattern: DocumentPattern, facts: DocumentFacts, phrase: str | None) -> str:
    said = [pattern.note]
    if facts.promised_rate is not None:
        said.append(f"promises {phrase} ({facts.promised_rate.normalize():f} % a year, simple)")
    if facts.guarantee:
        said.append("guarantees principal or returns")
    if facts.return_promise:
        said.append("promises regular returns in words")
    if facts.schemes:
        said.append("scheme words: " + ", ".join(sorted(facts.schemes)))
    if facts.events:
        said.append("reports: " + ", ".join(sorted(facts.events)))
    return "; ".join(said)


def _document(
    ctx: PlantContext,
    pattern: DocumentPattern,
    style: KindStyle,
    subject: Subject | None,
    seen: set[str],
    *,
    day: date | None = None,
    outlet: Outlet | None = None,
    adcode: str | None = None,
) -> tuple[DocumentRecord, DocumentFacts, str, str | None]:
    """A document of ``pattern`` about ``subject``; its facts, note, and whom it identifies.

    It identifies the subject's registered enterprise (the last item, its USCC) when the export
    names it (``attribute``) or the text or title carries its registered name.
    """
    texts = load_document_texts()
    day = day or ctx.days_ago(int(ctx.rng.integers(1, 366)))
    outlet = outlet or style.outlets[int(ctx.rng.integers(0, len(style.outlets)))]
    for _ in range(_ATTEMPTS):  # a new wording, unless a very large city exhausts the pools
        template = pattern.templates[int(ctx.rng.integers(0, len(pattern.templates)))]
        filled = fill(
            template,
            rng=ctx.rng,
            texts=texts,
            computed=_computed(ctx, subject, day),
            rate_class=pattern.rate,
            facts=pattern.facts,
        )
        if filled.text not in seen:
            break
    seen.add(filled.text)
    reference = ctx.reference(f"{style.reference}{day:%Y%m%d}", 5)
    site = subject.site if subject else _site(ctx)
    url = None
    if outlet.url is not None:
        url = outlet.url.format(site=site) + "".join(
            _ALNUM[int(i)] for i in ctx.rng.integers(0, len(_ALNUM), 10)
        )
    named = subject if pattern.attribute else None
    record = DocumentRecord(
        reference=reference,
        kind=pattern.kind,
        wording=outlet.wording or _pick(ctx, style.wording),
        text=filled.text,
        published_on=day,
        title=filled.title,
        url=url,
        outlet=outlet.name,
        subject_name=named.name if named else None,
        subject_uscc=named.uscc if named else None,
        adcode=adcode or (subject.adcode if subject else None) or _CITY_ADCODE,
    )
    phrase = filled.promise.phrase if filled.promise else None
    about = None
    if subject is not None and subject.uscc is not None:
        written = f"{filled.title or ''}\n{filled.text}"
        if named is not None or (subject.name is not None and subject.name in written):
            about = subject.uscc
    return record, filled.facts, _note(pattern, filled.facts, phrase), about


class DocumentWriter:
    """Writes documents of ``given``-subject patterns about subjects a planter chose.

    For planters that design cases around an enterprise (complaints, promotion spread, smoke
    cases): they pick the day, the outlet and the division where each document was seen.
    """

    def __init__(self, ctx: PlantContext) -> None:
        self._ctx = ctx
        self._seen: set[str] = set()

    def subject(self, record: EnterpriseRecord, brand: str | None = None) -> Subject:
        """The enterprise as documents name it (its brand: the 字号 and a short word)."""
        return _subject(self._ctx, record, brand or _trade(record.name))

    def unknown(self, name: str, like: Subject) -> Subject:
        """A subject named ``name`` without a USCC: how a caller may name ``like``."""
        return Subject(name, None, name, like.platform, None, like.adcode, None, like.site)

    def write(
        self,
        pattern_id: str,
        subject: Subject,
        *,
        days_ago: int,
        outlet: str | None = None,
        adcode: str | None = None,
    ) -> DocumentRecord:
        """Plant one document of ``pattern_id`` about ``subject``, published ``days_ago``.

        ``outlet`` names one of the kind's outlets (default: drawn); ``adcode`` the division
        where it was seen (default: the subject's, else the city's).
        """
        ctx = self._ctx
        pattern = load_document_texts().pattern(pattern_id)
        style = load_document_texts().kinds[pattern.kind]
        chosen = None
        if outlet is not None:
            chosen = next((o for o in style.outlets if o.name == outlet), None)
            if chosen is None:
                raise InvalidInput(f"{pattern.kind} documents have no outlet {outlet!r}")
        record, facts, note, about = _document(
            ctx,
            pattern,
            style,
            subject,
            self._seen,
            day=ctx.days_ago(days_ago),
            outlet=chosen,
            adcode=adcode,
        )
        ctx.plant_document(pattern.id, record, facts, note, about=about)
        return record


def plant_documents(ctx: PlantContext, planter: str) -> None:
    """Write the documents of every pattern of ``planter`` (scaled to the city's size)."""
    texts = load_document_texts()
    subjects = Subjects(ctx)
    seen: set[str] = set()
    for pattern in texts.patterns:
        if pattern.planter != planter:
            continue
        style = texts.kinds[pattern.kind]
        for _ in range(ctx.scaled(pattern.count)):
            subject = subjects.draw(pattern.subject)
            record, facts, note, about = _document(ctx, pattern, style, subject, seen)
            ctx.plant_document(pattern.id, record, facts, note, about=about)


def plant_promotions(ctx: PlantContext) -> None:
    """Ads, pages and posts that promise returns, guarantee them or use scheme words."""
    plant_documents(ctx, "promotions")


def plant_lending(ctx: PlantContext) -> None:
    """Loan-intermediary and advance-fee SMS, and callers posing as regulators."""
    plant_documents(ctx, "lending")


def plant_events(ctx: PlantContext) -> None:
    """News, posts and complaints reporting investigations, collapses, closures, complaints."""
    plant_documents(ctx, "events")


def plant_quiet(ctx: PlantContext) -> None:
    """Texts no text rule may fire on: shops, banks at market rates, warnings, denials, news."""
    plant_documents(ctx, "quiet")


__all__ = [
    "DocumentWriter",
    "Subject",
    "Subjects",
    "plant_documents",
    "plant_events",
    "plant_lending",
    "plant_promotions",
    "plant_quiet",
]
