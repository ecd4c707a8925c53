"""The text analyzer: one record per text, and every number explained by its factors."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from smokewatch.errors import ConfigError
from smokewatch.services.text import RETURN_RISK, RiskFactor, TextAnalyzer, risk_score

AS_OF = date(2026, 11, 1)
AD = "本平台与中国工商银行合作，保本保息，年化收益18%，月息3分。芜湖康泰养老服务有限公司"
NEWS = "警方对芜湖鑫源财富管理有限公司涉嫌非法吸收公众存款案立案侦查，投资人无法提现"


def _one(text: str, model: Path | None = None) -> dict[str, Any]:
    (record,) = TextAnalyzer.open(model, as_of=AS_OF).analyze([("x", text)])
    return record


def _noisy_or(record: dict[str, Any]) -> float:
    factors = record["explanation"]["risk_factors"]
    return risk_score([RiskFactor(f["source"], f["label"], f["weight"]) for f in factors])


def test_a_lure_ad_gives_returns_signals_and_a_score_made_of_its_factors() -> None:
    record = _one(AD)
    assert record["id"] == "x"
    assert record["category"] is None
    rates = {r["text"]: r["annual_rate"] for r in record["promised_returns"]}
    assert rates == {"年化收益18%": 18.0, "月息3分": 36.0}
    assert {s["text"] for s in record["signals"]} == {"与中国工商银行合作", "保本保息"}
    assert record["risk_score"] == _noisy_or(record)
    sources = [f["source"] for f in record["explanation"]["risk_factors"]]
    assert sources.count("return") == 1  # only the strongest return counts
    assert record["risk_score"] > 0.9


def test_every_return_carries_its_benchmark_and_band() -> None:
    (first, _) = _one(AD)["promised_returns"]
    assert first["band"] == "above_legal_ceiling"
    benchmark = first["benchmark"]
    assert benchmark["series"] == "lpr_1y"
    assert benchmark["multiple"] == pytest.approx(18.0 / benchmark["rate"], abs=0.01)
    assert "LPR" in benchmark["note_zh"]
    assert first["span"] == [AD.index("年化"), AD.index("年化") + len(first["text"])]


def test_words_in_names_are_listed_as_not_counted_with_the_reason() -> None:
    record = _one(AD)
    (in_name,) = [d for d in record["discounted"] if d["rule"] == "in_name"]
    assert in_name["text"] == "养老服务"
    assert in_name["cue"] == "芜湖康泰养老服务有限公司"
    assert in_name["reason_zh"]


def test_without_a_model_the_subject_is_the_named_company_not_the_claimed_bank() -> None:
    assert _one(AD)["subject"] == "芜湖康泰养老服务有限公司"


def test_a_news_report_gives_events_about_its_subject() -> None:
    record = _one(NEWS)
    assert record["subject"] == "芜湖鑫源财富管理有限公司"
    kinds = {e["kind"] for e in record["events"]}
    assert kinds == {"event.illegal_fundraising", "event.withdrawal_difficulty"}
    assert record["risk_score"] == _noisy_or(record)


def test_warnings_score_low_and_say_why() -> None:
    record = _one("谨防“保本保息”“高额回报”陷阱。发现平台跑路，请及时报案。")
    assert record["signals"] == [] and record["events"] == []
    rules = {d["text"]: d["rule"] for d in record["discounted"]}
    assert rules == {
        "保本保息": "warning_verb",
        "高额回报": "warning_verb",
        "跑路": "call_to_report",
        "报案": "appeal_to_report",
    }
    assert record["risk_score"] == 0.0


def test_an_ordinary_text_has_nothing() -> None:
    record = _one("今天天气晴，适合出游")
    assert record["risk_score"] == 0.0
    assert record["promised_returns"] == record["signals"] == record["mentions"] == []
    assert record["explanation"] == {"risk_factors": [], "model": None}


def test_a_lone_surrogate_is_read_as_a_replacement_character_in_its_place() -> None:
    clean, broken = _one(AD), _one(AD.replace("合作", "合\ud800"))
    assert broken["promised_returns"] == clean["promised_returns"]
    assert broken["mentions"] == clean["mentions"]  # the same spans
    assert json.dumps(broken, ensure_ascii=False).encode("utf-8")  # every string is writable


def test_the_sms_model_reads_no_subject_so_the_named_company_is_the_subject(
    sms_model: Path,
) -> None:
    record = _one(AD, sms_model)
    assert record["category"] is not None
    assert record["subject"] == "芜湖康泰养老服务有限公司"


def test_with_a_model_the_category_and_its_reasons_come_from_the_model(sms_model: Path) -> None:
    record = _one("您好，我是信贷专员，可为您办理无抵押贷款，下载APP即可提现到账", sms_model)
    assert record["category"] == "贷款、代办信用卡类"
    model = record["explanation"]["model"]
    assert model["task"] == "sms-fraud"
    assert max(model["probabilities"], key=model["probabilities"].get) == record["category"]
    assert model["reasons"]
    (factor,) = [f for f in record["explanation"]["risk_factors"] if f["source"] == "model"]
    assert factor["weight"] == pytest.approx(1.0 - _normal(record), abs=1e-3)
    assert record["risk_score"] == _noisy_or(record)


def _normal(record: dict[str, Any]) -> float:
    return float(record["explanation"]["model"]["probabilities"].get("正常短信", 0.0))


def test_a_folder_that_is_no_model_is_refused(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="not a text model"):
        TextAnalyzer.open(tmp_path)


def test_risk_weights_rise_with_the_band() -> None:
    weights = list(RETURN_RISK.values())
    assert weights == sorted(weights)
    assert risk_score([RiskFactor("model", "m", 1.5)]) == 1.0  # clipped, never above 1
