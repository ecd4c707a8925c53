"""The news event model: event for the subject, subject as a substring, reasons."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import numpy as np
import pytest

from smokewatch.errors import ConfigError
from smokewatch.text.models import TextPrediction, TrainReport, load_text_model
from smokewatch.text.models.news import (
    HEADLINE_REASON,
    PRESENCE_REASON,
    NewsEventModel,
    event_keys,
    event_strength,
    fold_table,
    runner_up_gain,
    subject_keys,
    text_keys,
)
from smokewatch.text.models.presence import WEIGHTS, Presence
from smokewatch.text.models.ranking import choose_subjects


@pytest.fixture
def trained(news_model: TrainReport) -> TrainReport:
    return news_model


def _predict(report: TrainReport, text: str) -> TextPrediction:
    model = load_text_model(report.folder)
    assert isinstance(model, NewsEventModel)
    (prediction,) = model.predict([text])
    return prediction


def test_an_unseen_platform_is_found_with_its_event(trained: TrainReport) -> None:
    text = "据警方通报，“聚财猫”平台涉嫌非法吸收公众存款，已被立案侦查，投资人众多"
    prediction = _predict(trained, text)
    assert prediction.category == "涉嫌非法集资"
    assert prediction.subject == "聚财猫"
    assert prediction.subject_score is not None
    assert 0.0 < prediction.subject_score <= 1.0
    assert prediction.reasons
    assert all(r.weight > 0 for r in prediction.reasons)
    assert any(r.feature.startswith(("text: ", "keyword")) for r in prediction.reasons)
    assert any(r.feature.startswith("subject") for r in prediction.reasons)


def test_the_subject_is_exactly_a_substring_of_the_original_text(trained: TrainReport) -> None:
    text = "ｅ租宝平台近日出现提现困难，大量出借人无法提现，平台称将延期兑付"
    prediction = _predict(trained, text)
    assert prediction.category == "提现困难"
    assert prediction.subject is not None
    assert prediction.subject in text


def test_nothing_to_report_has_no_subject(trained: TrainReport) -> None:
    prediction = _predict(trained, "今年第三季度全市居民消费价格同比上涨2%，天气晴好")
    assert prediction.category == "其他"
    assert prediction.subject is None
    assert prediction.subject_score is None


def test_probabilities_cover_every_label(trained: TrainReport) -> None:
    prediction = _predict(trained, "某某公司发布公告")
    assert set(prediction.probabilities) == set(trained.labels)
    assert sum(prediction.probabilities.values()) == pytest.approx(1.0, abs=1e-4)


def test_empty_and_odd_texts_do_not_break_prediction(trained: TrainReport) -> None:
    model = load_text_model(trained.folder)
    predictions = model.predict(["", " ", "(600000)", "“”"])
    assert len(predictions) == 4
    assert all(p.category in trained.labels for p in predictions)


def test_a_batch_gives_the_same_answers_as_single_texts(trained: TrainReport) -> None:
    model = load_text_model(trained.folder)
    texts = [
        "据警方通报，“聚财猫”平台涉嫌非法吸收公众存款，已被立案侦查",
        "",
        "华润三九(000999)控股股东减持3%股份\x1f持股比降至5%以下",
        "ｅ租宝平台近日出现提现困难",
    ]
    assert model.predict(texts) == [model.predict([t])[0] for t in texts]


def test_the_report_holds_the_validation_protocols(trained: TrainReport) -> None:
    metrics = trained.metrics
    assert {"per_text", "per_row", "subject_given", "subject", "split"} <= set(metrics)
    assert metrics["split"]["seed"] == 5
    assert metrics["split"]["grouped_by"] == "text"
    assert metrics["per_text"]["illegal_finance_group"]["f1"] >= 0.9
    assert metrics["subject"]["exact_match"] >= 0.9
    inner = metrics["event_offsets"]["out_of_fold"]
    assert set(inner) == {"raw", "tuned", "presence_objective_by_weight"}
    assert set(inner["tuned"]) == {"accuracy", "group_f1", "focus_f1"}
    assert set(inner["presence_objective_by_weight"]) == {str(w) for w in WEIGHTS}
    assert metrics["event_offsets"]["presence_weight"] in WEIGHTS
    card = (trained.folder / "MODEL_CARD.md").read_text(encoding="utf-8")
    assert "research use only" in card


def test_a_model_of_another_task_is_not_loaded_as_news(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="not a text model"):
        load_text_model(tmp_path)


def test_event_strength_is_the_best_reportable_event_not_nothing_to_report() -> None:
    raw = np.log(np.asarray([[0.7, 0.2, 0.1], [0.1, 0.3, 0.6]]))
    assert event_strength(raw, none=0) == pytest.approx(np.log([0.2, 0.6]))
    assert event_strength(raw, none=-1) == pytest.approx(np.log([0.7, 0.6]))


def test_the_runner_up_gains_only_what_its_reading_adds_over_the_winners() -> None:
    vague = np.log(np.asarray([[0.8, 0.1, 0.1]]))
    clear = np.log(np.asarray([[0.1, 0.8, 0.1]]))
    gain = runner_up_gain(vague, clear, none=0, weight=2.0)
    assert gain == pytest.approx(2.0 * (np.log(0.8) - np.log(0.1)))
    assert runner_up_gain(clear, vague, none=0, weight=2.0) == pytest.approx(-gain)
    assert runner_up_gain(clear, clear, none=0) == pytest.approx([0.0])


_GLUED = (
    "华润三九(000999)今年第2季度全市居民消费价格同比上涨3%，天气晴好"
    "文峰股份(600001)控股股东减持5%股份 持股比降至5%以下"
)


def test_a_glued_headline_takes_the_company_whose_headline_reports_the_event(
    trained: TrainReport,
) -> None:
    model = load_text_model(trained.folder)
    assert isinstance(model, NewsEventModel)
    batch = model.alphabet.encode_folded([_GLUED], fold_table())
    hits = model.triggers.find_all(batch.joined)
    ranked = choose_subjects(batch, model.rankers, hits)
    assert batch.joined[int(ranked.start[0]) : int(ranked.end[0])] == "华润三九"
    prediction = _predict(trained, _GLUED)
    assert prediction.category == "实控人股东变更"
    assert prediction.subject == "文峰股份"
    headline = [r for r in prediction.reasons if r.feature == HEADLINE_REASON]
    assert len(headline) == 1
    assert headline[0].weight > float(ranked.margin[0]) >= 0.0
    assert prediction.subject_score is not None
    assert prediction.subject_score < 0.5


def test_texts_without_a_stock_code_keep_the_rankers_winner(trained: TrainReport) -> None:
    model = load_text_model(trained.folder)
    assert isinstance(model, NewsEventModel)
    texts = [_GLUED.replace("(000999)", "").replace("(600001)", ""), _GLUED]
    batch = model.alphabet.encode_folded(texts, fold_table())
    hits = model.triggers.find_all(batch.joined)
    ranked = choose_subjects(batch, model.rankers, hits)
    names, matrix, scores, gains = model.read_subjects(batch, ranked, hits)
    assert names[0] == batch.joined[int(ranked.start[0]) : int(ranked.end[0])]
    assert gains[0] == 0.0
    assert gains[1] > 0.0
    assert matrix.shape[0] == scores.shape[0] == 2


def test_the_event_features_are_the_text_part_plus_the_subject_part(
    trained: TrainReport,
) -> None:
    model = load_text_model(trained.folder)
    assert isinstance(model, NewsEventModel)
    batch = model.alphabet.encode_folded([_GLUED, "ｅ租宝平台近日出现提现困难"], fold_table())
    hits = model.triggers.find_all(batch.joined)
    subject = ["文峰股份", None]
    rows, keys = event_keys(batch, subject, hits)
    t_rows, t_keys = text_keys(batch, hits)
    s_rows, s_keys = subject_keys(batch, subject, hits)
    assert sorted(zip(rows.tolist(), keys.tolist(), strict=True)) == sorted(
        zip([*t_rows.tolist(), *s_rows.tolist()], [*t_keys.tolist(), *s_keys.tolist()], strict=True)
    )
    assert set(s_rows.tolist()) == {0}


def test_the_presence_step_moves_nothing_to_report_by_the_amount_its_reason_names(
    trained: TrainReport,
) -> None:
    model = load_text_model(trained.folder)
    assert isinstance(model, NewsEventModel)
    assert model.presence is not None
    # the small training set may choose weight 0; the step's arithmetic is what is specified
    model.presence = dataclasses.replace(model.presence, weight=2.0)
    texts = [
        "据警方通报，“聚财猫”平台涉嫌非法吸收公众存款，已被立案侦查",
        "今年第2季度全市居民消费价格同比上涨3%，天气晴好",
    ]
    batch = model.alphabet.encode_folded(texts, fold_table())
    hits = model.triggers.find_all(batch.joined)
    chosen = choose_subjects(batch, model.rankers, hits)
    _, _, scores, _ = model.read_subjects(batch, chosen, hits)
    before = scores.copy()
    p, shift = model.presence_shift(batch, chosen.codes, scores)
    assert shift.all()
    assert (scores - before)[:, 0] == pytest.approx(shift)  # 其他 is label 0
    assert not (scores - before)[:, 1:].any()
    for prediction, p_i, shift_i in zip(model.predict(texts), p, shift, strict=True):
        (reason,) = [r for r in prediction.reasons if r.feature.startswith(PRESENCE_REASON)]
        assert reason.feature == f"{PRESENCE_REASON}{p_i:.2f}"
        assert reason.weight == round(float(shift_i), 4)
    model.presence = Presence.off()
    for prediction in model.predict(texts):
        assert not [r for r in prediction.reasons if r.feature.startswith(PRESENCE_REASON)]
