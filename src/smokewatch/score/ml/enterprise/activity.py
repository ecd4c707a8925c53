"""Enterprise-risk features from what an enterprise does: annual reports, tax, news, courts.

Each function reduces a child table (many rows per enterprise) to one number per
enterprise; an enterprise without rows gets 0 for counts and an empty value otherwise.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from smokewatch.score.ml.features import FeatureKind, FeatureSet

if TYPE_CHECKING:
    import ibis.expr.types as ir

ANNUAL = ("annual_report_info.csv",)
TAXES = ("tax_info.csv",)
NEWS = ("news_info.csv",)
OTHER = ("other_info.csv",)
COUNT, FLAG = FeatureKind.COUNT, FeatureKind.FLAG
YUAN = ("元", "CNY")

ACTIVITY = FeatureSet("enterprise-activity", keys=("id",), base="enterprise")
"""Activity features of the enterprise-risk model (in model order)."""


def _count_where(condition: ir.BooleanValue) -> ir.IntegerScalar:
    return condition.cast("int64").sum()


# -- annual reports ---------------------------------------------------------------------


@ACTIVITY.aggregate(
    "annual_report", zh="年报份数", en="annual reports filed", inputs=ANNUAL, kind=COUNT
)
def annual_reports(a: ir.Table) -> ir.Value:
    """How many annual reports (企业年报) the enterprise filed in the years covered (2015–2018)."""
    return a.count()


@ACTIVITY.aggregate("annual_report", zh="最近年报年度", en="latest annual report", inputs=ANNUAL)
def latest_annual_report(a: ir.Table) -> ir.Value:
    """Most recent year an annual report was filed for; empty when none was filed."""
    return a.ANCHEYEAR.max()


@ACTIVITY.aggregate(
    "annual_report", zh="年报平均从业人数", en="reported employees (mean)", inputs=ANNUAL
)
def reported_employees_mean(a: ir.Table) -> ir.Value:
    """Average number of employees stated in the annual reports."""
    return a.EMPNUM.mean()


@ACTIVITY.aggregate(
    "annual_report", zh="年报最多从业人数", en="reported employees (max)", inputs=ANNUAL
)
def reported_employees_max(a: ir.Table) -> ir.Value:
    """Largest number of employees stated in any annual report."""
    return a.EMPNUM.max()


@ACTIVITY.aggregate(
    "annual_report",
    zh="年报显示对外投资",
    en="reports outward investment",
    inputs=ANNUAL,
    kind=FLAG,
)
def reports_outward_investment(a: ir.Table) -> ir.Value:
    """1 when an annual report states investments in other enterprises (对外投资)."""
    return (a.FORINVESTSIGN == 1).cast("int64").max()


@ACTIVITY.aggregate(
    "annual_report", zh="年报显示股权转让", en="reports equity transfers", inputs=ANNUAL, kind=FLAG
)
def reports_equity_transfer(a: ir.Table) -> ir.Value:
    """1 when an annual report states a transfer of equity (股权转让)."""
    return (a.STOCKTRANSIGN == 1).cast("int64").max()


@ACTIVITY.aggregate(
    "annual_report",
    zh="股权转让项未填比例",
    en="equity transfer left blank",
    inputs=ANNUAL,
    percent=True,
)
def equity_transfer_left_blank(a: ir.Table) -> ir.Value:
    """Share of annual reports with the equity-transfer question left blank.

    The form asks it of companies only, so this also tells the kind of entity.
    """
    return a.STOCKTRANSIGN.isnull().cast("float64").mean()


@ACTIVITY.aggregate(
    "annual_report", zh="年报显示有网站网店", en="reports a website", inputs=ANNUAL, kind=FLAG
)
def reports_website(a: ir.Table) -> ir.Value:
    """1 when an annual report declares a website or online shop (网站或网店)."""
    return (a.WEBSITSIGN == 1).cast("int64").max()


@ACTIVITY.aggregate(
    "annual_report", zh="年报显示停业歇业", en="reports suspension", inputs=ANNUAL, kind=FLAG
)
def reports_suspension(a: ir.Table) -> ir.Value:
    """1 when an annual report states the business as suspended or closed.

    That is 停业, 歇业 or 清算 (liquidation) as the business state of the year.
    """
    return a.BUSSTNAME.isin(["停业", "歇业", "清算"]).cast("int64").max()


@ACTIVITY.aggregate("annual_report", zh="年报高校毕业生雇工", en="graduates hired", inputs=ANNUAL)
def graduates_hired(a: ir.Table) -> ir.Value:
    """Graduates employed, summed over the annual reports."""
    return a.COLGRANUM.sum()


@ACTIVITY.aggregate("annual_report", zh="年报失业人员雇工", en="unemployed hired", inputs=ANNUAL)
def unemployed_hired(a: ir.Table) -> ir.Value:
    """Previously unemployed people employed, summed over the annual reports."""
    return a.UNEEMPLNUM.sum()


# -- tax --------------------------------------------------------------------------------


@ACTIVITY.aggregate("tax", zh="纳税记录数", en="tax records", inputs=TAXES, kind=COUNT)
def tax_records(t: ir.Table) -> ir.Value:
    """Number of tax declarations on file (one per period and tax item)."""
    return t.count()


@ACTIVITY.aggregate("tax", zh="纳税总额", en="tax paid", inputs=TAXES, unit=YUAN)
def tax_paid(t: ir.Table) -> ir.Value:
    """Total tax declared, in yuan; empty when there are no tax records."""
    return t.TAX_AMOUNT.sum()


@ACTIVITY.aggregate("tax", zh="税种数", en="kinds of tax", inputs=TAXES, kind=COUNT)
def tax_kinds(t: ir.Table) -> ir.Value:
    """Number of different taxes declared (stamp duty, income taxes, VAT surcharges …)."""
    return t.TAX_CATEGORIES.nunique()


@ACTIVITY.aggregate("tax", zh="最大计税依据", en="largest tax base", inputs=TAXES, unit=YUAN)
def largest_tax_base(t: ir.Table) -> ir.Value:
    """Largest taxation basis (计税依据) declared in one record, in yuan."""
    return t.TAXATION_BASIS.max()


@ACTIVITY.aggregate(
    "tax", zh="企业所得税记录数", en="corporate income tax records", inputs=TAXES, kind=COUNT
)
def corporate_income_tax_records(t: ir.Table) -> ir.Value:
    """Declarations of corporate income tax (企业所得税): a sign of reported profits."""
    return _count_where(t.TAX_CATEGORIES == "企业所得税")


@ACTIVITY.aggregate("tax", zh="营业税记录数", en="business tax records", inputs=TAXES, kind=COUNT)
def business_tax_records(t: ir.Table) -> ir.Value:
    """Declarations of business tax (营业税, replaced by VAT in 2016): a sign of turnover."""
    return _count_where(t.TAX_CATEGORIES == "营业税")


@ACTIVITY.aggregate(
    "tax", zh="个人所得税记录数", en="personal income tax records", inputs=TAXES, kind=COUNT
)
def personal_income_tax_records(t: ir.Table) -> ir.Value:
    """Declarations of withheld personal income tax (个人所得税): a sign of a real payroll."""
    return _count_where(t.TAX_CATEGORIES == "个人所得税")


@ACTIVITY.aggregate("tax", zh="印花税记录数", en="stamp duty records", inputs=TAXES, kind=COUNT)
def stamp_duty_records(t: ir.Table) -> ir.Value:
    """Declarations of stamp duty (印花税), paid on contracts and capital books."""
    return _count_where(t.TAX_CATEGORIES == "印花税")


@ACTIVITY.aggregate("tax", zh="最近纳税年度", en="latest tax year", inputs=TAXES)
def latest_tax_year(t: ir.Table) -> ir.Value:
    """Year of the most recent tax period on file."""
    return t.END_DATE.re_extract(r"^(\d{4})", 1).nullif("").cast("int64").max()


# -- news -------------------------------------------------------------------------------


@ACTIVITY.aggregate("news", zh="新闻报道数", en="news items", inputs=NEWS, kind=COUNT)
def news_items(n: ir.Table) -> ir.Value:
    """Number of news items about the enterprise."""
    return n.count()


@ACTIVITY.aggregate("news", zh="正面新闻数", en="positive news", inputs=NEWS, kind=COUNT)
def positive_news(n: ir.Table) -> ir.Value:
    """News items with a positive tone (积极). Fundraising vehicles buy favourable press."""
    return _count_where(n.positive_negtive == "积极")


@ACTIVITY.aggregate("news", zh="中性新闻数", en="neutral news", inputs=NEWS, kind=COUNT)
def neutral_news(n: ir.Table) -> ir.Value:
    """News items with a neutral tone (中立)."""
    return _count_where(n.positive_negtive == "中立")


@ACTIVITY.aggregate("news", zh="负面新闻数", en="negative news", inputs=NEWS, kind=COUNT)
def negative_news(n: ir.Table) -> ir.Value:
    """News items with a negative tone (消极): complaints, disputes, investigations."""
    return _count_where(n.positive_negtive == "消极")


@ACTIVITY.aggregate("news", zh="最近新闻年份", en="latest news year", inputs=NEWS)
def latest_news_year(n: ir.Table) -> ir.Value:
    """Year of the most recent dated news item ("n hours ago" items have no year)."""
    return n.public_date.re_extract(r"^(\d{4})", 1).nullif("").cast("int64").max()


# -- other public records ---------------------------------------------------------------


@ACTIVITY.aggregate("other_info", zh="裁判文书数", en="court judgments", inputs=OTHER, kind=COUNT)
def court_judgments(o: ir.Table) -> ir.Value:
    """Number of court judgments naming the enterprise (裁判文书)."""
    return o.legal_judgment_num.max()


@ACTIVITY.aggregate("other_info", zh="商标数", en="trademarks", inputs=OTHER, kind=COUNT)
def trademarks(o: ir.Table) -> ir.Value:
    """Number of trademarks the enterprise holds."""
    return o.brand_num.max()


@ACTIVITY.aggregate("other_info", zh="专利数", en="patents", inputs=OTHER, kind=COUNT)
def patents(o: ir.Table) -> ir.Value:
    """Number of patents the enterprise holds: a sign of a real technology business."""
    return o.patent_num.max()


__all__ = ["ACTIVITY"]
