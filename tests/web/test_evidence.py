"""Evidence on the profile: the matched part marked, every other character escaped."""

from __future__ import annotations

from smokewatch.web.evidence import facts, highlight, quotes


def test_a_span_is_marked_and_the_rest_escaped() -> None:
    assert str(highlight("<b>保本保息</b>", [(3, 7)])) == "&lt;b&gt;<mark>保本保息</mark>&lt;/b&gt;"


def test_the_marked_text_is_escaped_too() -> None:
    assert str(highlight("a<i>b", [(1, 4)])) == "a<mark>&lt;i&gt;</mark>b"


def test_overlapping_and_out_of_range_spans_never_drop_text() -> None:
    assert str(highlight("年化收益24%", [(0, 4), (2, 6), (5, 99)])) == "<mark>年化收益24%</mark>"


def test_a_name_span_is_shown_inside_the_name() -> None:
    finding = {
        "metrics": {"name": "芜湖智鼎资产管理有限公司"},
        "evidence": [{"field": "name", "text": "资产管理", "start": 4, "end": 8}],
    }
    assert str(quotes(finding)[0]["html"]) == "芜湖智鼎<mark>资产管理</mark>有限公司"


def test_a_return_promise_is_shown_inside_the_quoted_phrase() -> None:
    finding = {
        "metrics": {"phrase": "预期年化收益24%"},
        "evidence": [{"field": "text", "text": "24%", "start": 28, "end": 31}],
    }
    assert str(quotes(finding)[0]["html"]) == "预期年化收益<mark>24%</mark>"


def test_look_ups_are_facts_not_quotes() -> None:
    finding = {
        "metrics": {},
        "evidence": [{"lookup": "benchmark", "series": "lpr_1y", "rate": 3.0, "words": ["x"]}],
    }
    assert quotes(finding) == []
    assert facts(finding) == [{"series": "lpr_1y", "rate": 3.0, "lookup": "benchmark"}]
