"""Enterprise-risk features only ``base_info.csv`` can give: scope text, exact dates, address.

Read from the ``enterprise`` view when the registry comes from ``base_info`` (see
:mod:`.full_inputs`): the business-scope signals computed by the text module's scope reader
(:mod:`.scope`), the exact operating dates, and clusters of enterprises registered at the
same address (``dom``, anonymised in the release but equal for equal addresses).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import ibis

from smokewatch.score.ml.enterprise.full_inputs import REFERENCE_DATE
from smokewatch.score.ml.features import FeatureKind, FeatureSet

if TYPE_CHECKING:
    import ibis.expr.types as ir

BASE = ("base_info.csv",)
COUNT, CAT = FeatureKind.COUNT, FeatureKind.CATEGORY
DAYS_A_YEAR = 365.25

BASE_INFO = FeatureSet("enterprise-base-info", keys=("id",), base="enterprise")
"""Features of ``base_info`` beyond the derived tables (in model order)."""


@BASE_INFO.row(zh="经营范围字数", en="business scope length", inputs=BASE, kind=COUNT)
def scope_length(e: ir.Table) -> ir.Value:
    """Characters in the registered business scope (经营范围).

    Investment vehicles often register short, generic scopes (投资管理；投资咨询) or very long
    catch-all ones.
    """
    return e.scope_chars


@BASE_INFO.row(zh="经营范围经营项数", en="business scope activities", inputs=BASE, kind=COUNT)
def scope_activities(e: ir.Table) -> ir.Value:
    """Activity clauses in the business scope.

    Prohibitions, exclusions and approval notes are not activities and are not counted.
    """
    return e.scope_clauses


@BASE_INFO.row(
    zh="经营范围限制性金融字样数", en="restricted financial words in scope", inputs=BASE,
    kind=COUNT,
)  # fmt: skip
def scope_restricted_words(e: ir.Table) -> ir.Value:
    """Distinct restricted financial words (金融, 理财, 资产管理, 投资管理 …) used as activities.

    Words of the text module's lexicon; a word inside a prohibition (不得从事…理财) or an
    exclusion (不含金融业务) does not count.
    """
    return e.scope_restricted_terms


@BASE_INFO.row(
    zh="经营范围限制性字样最高权重", en="strongest restricted word in scope", inputs=BASE
)
def scope_restricted_weight(e: ir.Table) -> ir.Value:
    """Weight (0–1) of the strongest restricted financial word used as an activity.

    The lexicon's judgement of how strongly the word signals financial business; 0 when none.
    """
    return e.scope_restricted_weight


@BASE_INFO.row(
    zh="经营范围法规禁用字样数", en="statute-banned words in scope", inputs=BASE, kind=COUNT
)
def scope_banned_words(e: ir.Table) -> ir.Value:
    """Restricted words used as activities whose ban is a statute in force.

    防范和处置非法集资条例 第九条: 金融, 交易所, 交易中心, 理财, 财富管理, 股权众筹.
    """
    return e.scope_binding_terms


@BASE_INFO.row(
    zh="经营范围投融资字样数", en="investment and financing words in scope", inputs=BASE,
    kind=COUNT,
)  # fmt: skip
def scope_investment_words(e: ir.Table) -> ir.Value:
    """Distinct investment and financing activities in the scope.

    投资管理, 资产管理, 投资咨询, 财富管理, 股权投资, 融资, 理财, 基金 … — not banned on their
    own, but where illegal fundraising hides; words in prohibitions or exclusions do not count.
    """
    return e.scope_investment_terms


@BASE_INFO.row(
    zh="经营范围禁止性条款数", en="prohibition clauses in scope", inputs=BASE, kind=COUNT
)
def scope_prohibitions(e: ir.Table) -> ir.Value:
    """Prohibition clauses in the scope (未经金融等监管部门批准，不得从事吸收存款…).

    Registries add this clause to investment and asset-management firms, so its presence
    marks the kind of firm even though it forbids the business.
    """
    return e.scope_prohibitions


@BASE_INFO.row(
    zh="经营范围未计入的金融字样数", en="financial words not counted in scope", inputs=BASE,
    kind=COUNT,
)  # fmt: skip
def scope_discounted_words(e: ir.Table) -> ir.Value:
    """Restricted-word occurrences in prohibitions, exclusions, approval notes or client phrases.

    They are not activities; their number says how much regulatory wording the scope carries.
    """
    return e.scope_discounted_hits


@BASE_INFO.row(zh="兼营范围字数", en="additional scope length", inputs=BASE, kind=COUNT)
def additional_scope_length(e: ir.Table) -> ir.Value:
    """Characters in the additional business scope (ptbusscope); empty when none is recorded."""
    return e.ptbusscope_chars


def _years_between(start: ir.DateValue, end: ir.DateValue) -> ir.FloatingValue:
    return (end.epoch_days() - start.epoch_days()).cast("float64") / DAYS_A_YEAR


@BASE_INFO.row(zh="经营年限", en="years in operation", inputs=BASE, unit=("年", "years"))
def operating_age_years(e: ir.Table) -> ir.Value:
    """Years from the start of the operating term (opfrom) to the data's release (2020-10-13)."""
    return _years_between(e.opfrom, ibis.date(REFERENCE_DATE))


@BASE_INFO.row(
    zh="营业期限（精确）", en="operating term (exact)", inputs=BASE, unit=("年", "years")
)
def operating_term_exact_years(e: ir.Table) -> ir.Value:
    """Length of the registered operating term in years, from the exact dates.

    Empty for an open-ended term. Funds register terms that match their life (e.g. 5–7 years).
    """
    return _years_between(e.opfrom, e.opto_date)


@BASE_INFO.row(zh="同住所企业数", en="enterprises at the registered address", inputs=BASE)
def registered_address_enterprises(e: ir.Table) -> ir.Value:
    """Enterprises in base_info with the same registered address (dom), the subject included.

    Dozens of vehicles at one address is a known pattern of fundraising groups.
    """
    return e.dom_enterprises


@BASE_INFO.row(
    zh="同住所金融类企业占比", en="finance share at the registered address", inputs=BASE,
    percent=True,
)  # fmt: skip
def registered_address_finance_share(e: ir.Table) -> ir.Value:
    """Share of the enterprises at the same registered address in sections J, K or L.

    Finance, real estate, leasing and business services (incl. investment management).
    """
    return e.dom_finance.cast("float64") / e.dom_enterprises.nullif(0)


@BASE_INFO.row(zh="中类行业代码", en="medium industry code", inputs=BASE, kind=CAT)
def medium_industry_code(e: ir.Table) -> ir.Value:
    """Medium industry code the registry records (midpreindcode)."""
    return e.midpreindcode


@BASE_INFO.row(zh="项目类型代码", en="project type code", inputs=BASE, kind=CAT)
def project_type(e: ir.Table) -> ir.Value:
    """Project type code (protype) as the registry records it; mostly empty."""
    return e.protype


@BASE_INFO.row(zh="外币注册资本", en="registered capital (foreign currency)", inputs=BASE)
def foreign_registered_capital(e: ir.Table) -> ir.Value:
    """Registered capital stated in a foreign currency (forregcap); foreign-invested firms only."""
    return e.forregcap


__all__ = ["BASE_INFO"]
