"""Enterprise-risk features from the registry (登记信息): industry, type, capital, term, form.

Each function is one feature; its docstring is what analysts read next to the number.
Codes follow the registry's own code lists (industry: GB/T 4754-2017; enterprise type: the
market-entity type codes of the registration authority).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from smokewatch.score.ml.features import FeatureKind, FeatureSet

if TYPE_CHECKING:
    import ibis.expr.types as ir

REG = ("fea.csv",)
EXTRA = ("fea_1106.csv",)
CAT, FLAG = FeatureKind.CATEGORY, FeatureKind.FLAG
WAN = ("万元", "× 10k CNY")

SECTIONS = {
    1: ("农、林、牧、渔业", "agriculture, forestry, husbandry, fishery"),
    2: ("采矿业", "mining"),
    3: ("制造业", "manufacturing"),
    4: ("电力、热力、燃气及水生产和供应业", "utilities"),
    5: ("建筑业", "construction"),
    6: ("批发和零售业", "wholesale and retail"),
    7: ("交通运输、仓储和邮政业", "transport, storage, post"),
    8: ("住宿和餐饮业", "accommodation and catering"),
    9: ("信息传输、软件和信息技术服务业", "information and software services"),
    10: ("金融业", "finance"),
    11: ("房地产业", "real estate"),
    12: ("租赁和商务服务业", "leasing and business services"),
    13: ("科学研究和技术服务业", "research and technical services"),
    14: ("水利、环境和公共设施管理业", "water, environment, public facilities"),
    15: ("居民服务、修理和其他服务业", "resident services and repair"),
    16: ("教育", "education"),
    17: ("卫生和社会工作", "health and social work"),
    18: ("文化、体育和娱乐业", "culture, sports, entertainment"),
    19: ("公共管理、社会保障和社会组织", "public administration"),
    20: ("国际组织", "international organisations"),
}
"""GB/T 4754-2017 industry sections, A = 1 … T = 20."""

SECTION_LETTERS = {code: chr(64 + code) for code in SECTIONS}

REGISTRY = FeatureSet("enterprise-registry", keys=("id",), base="enterprise")
"""Registry features of the enterprise-risk model (in model order)."""


def _year(text: Any) -> Any:
    """The leading four-digit year of a date text, or null."""
    return text.re_extract(r"^(\d{4})", 1).nullif("").cast("int64")


@REGISTRY.row(zh="行业门类", en="industry section", inputs=REG, kind=CAT, values=SECTIONS)
def industry_section(e: ir.Table) -> ir.Value:
    """Industry section of the registered main business (GB/T 4754-2017, A–T).

    Finance (J), real estate (K) and leasing and business services (L — which includes
    investment and asset management) are where illegal fundraising concentrates.
    """
    return e.industryphy.ascii_str() - 64


@REGISTRY.row(zh="行业小类代码", en="industry class code", inputs=REG, kind=CAT)
def industry_code(e: ir.Table) -> ir.Value:
    """Four-digit industry class (GB/T 4754-2017).

    E.g. 7212 investment and asset management, 6760 capital investment services.
    """
    return e.industryco


@REGISTRY.row(zh="企业类型代码", en="enterprise type code", inputs=REG, kind=CAT)
def enterprise_type(e: ir.Table) -> ir.Value:
    """Enterprise type (market-entity type code, first level).

    1100 limited companies, 45xx partnerships (the usual vehicle of private funds), 9600
    individual businesses, 51xx/61xx foreign-invested enterprises.
    """
    return e.enttype


@REGISTRY.row(zh="企业类型细类", en="enterprise type detail", inputs=REG, kind=CAT)
def enterprise_type_detail(e: ir.Table) -> ir.Value:
    """Detailed enterprise type code (four digits).

    It separates e.g. partnerships with registered partners (4531, 4533) from other 45xx
    entities.
    """
    return e.enttypegb


@REGISTRY.row(zh="企业类型中类", en="enterprise type group", inputs=REG, kind=CAT)
def enterprise_type_group(e: ir.Table) -> ir.Value:
    """Middle level of the enterprise type code (e.g. 4530 within partnerships).

    Empty when the registry did not record it.
    """
    return e.enttypeitem


@REGISTRY.row(zh="企业类型小类", en="enterprise type minor", inputs=REG, kind=CAT)
def enterprise_type_minor(e: ir.Table) -> ir.Value:
    """Minor enterprise type code as recorded separately by the registry; often empty."""
    return e.enttypeminu


@REGISTRY.row(zh="经营场所区县", en="district of operation", inputs=REG, kind=CAT)
def district(e: ir.Table) -> ir.Value:
    """Six-digit division code of the district where the enterprise operates."""
    return e.oplocdistrict


@REGISTRY.row(zh="登记状态代码", en="registry status code", inputs=REG, kind=CAT)
def registry_status(e: ir.Table) -> ir.Value:
    """Registry status code (登记状态) as the registry records it."""
    return e.state


@REGISTRY.row(zh="注册资本", en="registered capital", inputs=REG, unit=WAN)
def registered_capital(e: ir.Table) -> ir.Value:
    """Registered (subscribed) capital in 万元.

    Shell vehicles for fundraising often declare large round amounts they never pay in.
    """
    return e.regcap


@REGISTRY.row(zh="实缴资本", en="paid-in capital", inputs=REG, unit=WAN)
def paid_in_capital(e: ir.Table) -> ir.Value:
    """Capital actually paid in, in 万元.

    Empty when the registry has no figure (most companies since subscribed capital became the
    rule in 2014).
    """
    return e.reccap


@REGISTRY.row(zh="实缴比例", en="paid-in share", inputs=REG, percent=True)
def paid_in_share(e: ir.Table) -> ir.Value:
    """Paid-in capital as a share of registered capital; empty when either is missing."""
    return e.reccap / e.regcap.nullif(0)


@REGISTRY.row(zh="成立年份", en="year established", inputs=REG)
def established_year(e: ir.Table) -> ir.Value:
    """Year the enterprise was established.

    Many risky vehicles date from the 2013–2017 online-finance boom.
    """
    return e.year


@REGISTRY.row(zh="成立月份", en="month established", inputs=REG)
def established_month(e: ir.Table) -> ir.Value:
    """Month of the year the enterprise was established (1–12)."""
    return e.month


@REGISTRY.row(zh="营业期限截止年份", en="operating term ends", inputs=REG)
def operating_term_end_year(e: ir.Table) -> ir.Value:
    """Year the registered operating term ends; empty for an open-ended term."""
    return _year(e.opto)


@REGISTRY.row(zh="营业期限年数", en="operating term (years)", inputs=REG)
def operating_term_years(e: ir.Table) -> ir.Value:
    """Length of the registered operating term in years.

    End year − year established; investment partnerships often register short fixed terms
    matching a fund's life.
    """
    return _year(e.opto) - e.year


@REGISTRY.row(zh="从业人数（登记）", en="employees (registry)", inputs=REG)
def employees(e: ir.Table) -> ir.Value:
    """Number of employees recorded at registration."""
    return e.empnum


@REGISTRY.row(zh="合伙人数", en="partners", inputs=EXTRA)
def partners(e: ir.Table) -> ir.Value:
    """Number of partners (partnerships only).

    Many limited partners is typical of a fund that raised money from individuals.
    """
    return e.parnum


@REGISTRY.row(zh="执行事务合伙人数", en="executive partners", inputs=EXTRA)
def executive_partners(e: ir.Table) -> ir.Value:
    """Number of partners who run the partnership's affairs (partnerships only)."""
    return e.exenum


@REGISTRY.row(zh="投资总额", en="total investment", inputs=EXTRA, unit=WAN)
def total_investment(e: ir.Table) -> ir.Value:
    """Total investment in 万元 (recorded for foreign-invested enterprises only)."""
    return e.congro


@REGISTRY.row(zh="变更登记次数", en="registry changes", inputs=EXTRA)
def registry_changes(e: ir.Table) -> ir.Value:
    """Number of changes recorded in the registry.

    Changes of name, scope, capital, shareholders, address …; frequent changes are a classic
    sign of a vehicle being re-purposed.
    """
    return e.bgsum


@REGISTRY.row(zh="位于乡镇", en="in a township", inputs=REG, kind=FLAG)
def in_township(e: ir.Table) -> ir.Value:
    """1 when the registry marks the enterprise as located in a township (乡镇标志)."""
    return e.townsign


@REGISTRY.row(zh="登记类型代码", en="registration type", inputs=REG, kind=CAT)
def registration_type(e: ir.Table) -> ir.Value:
    """Registration type code of the registry (登记类型)."""
    return e.regtype


@REGISTRY.row(zh="组成形式代码", en="composition form", inputs=REG, kind=CAT)
def composition_form(e: ir.Table) -> ir.Value:
    """Composition form code (组成形式); recorded for some company types only."""
    return e.compform


@REGISTRY.row(zh="企业规模标志", en="venture size code", inputs=REG, kind=CAT)
def venture_size(e: ir.Table) -> ir.Value:
    """Size or venture indicator code recorded by the registry (venind); mostly empty."""
    return e.venind


@REGISTRY.row(zh="经营形式已登记", en="business form recorded", inputs=REG, kind=FLAG)
def business_form_recorded(e: ir.Table) -> ir.Value:
    """1 when the registry records a form of business (经营方式, individual businesses)."""
    return e.opform.notnull().cast("int64")


@REGISTRY.row(zh="登记信息空缺项数", en="registry fields missing", inputs=REG + EXTRA)
def registry_fields_missing(e: ir.Table) -> ir.Value:
    """How many of eleven registry fields are empty.

    The fields: type details, operating term, employees, forms, capital, partners. The
    pattern of what is filled is itself typical of entity types.
    """
    fields = [
        e.enttypeitem,
        e.opto,
        e.empnum,
        e.compform,
        e.opform,
        e.venind,
        e.enttypeminu,
        e.regcap,
        e.reccap,
        e.parnum,
        e.exenum,
    ]
    total = fields[0].isnull().cast("int64")
    for field in fields[1:]:
        total = total + field.isnull().cast("int64")
    return total


@REGISTRY.row(zh="同址登记企业数", en="enterprises at the same address", inputs=REG)
def enterprises_at_address(e: ir.Table) -> ir.Value:
    """Number of enterprises registered with the same operating-place record.

    The subject included. Clusters of vehicles registered at one address are a known
    pattern; an unrecorded address counts as one large cluster.
    """
    return e.address_enterprises


__all__ = ["REGISTRY", "SECTIONS", "SECTION_LETTERS"]
