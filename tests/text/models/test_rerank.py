"""The news-sentence reranker: its gate, its features, its artefact table and its reasons."""

from __future__ import annotations

import dataclasses
import json
import shutil
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pytest

from smokewatch.errors import ConfigError
from smokewatch.text.models import TrainReport, load_text_model, news, wordclass
from smokewatch.text.models import rerank as rr
from smokewatch.text.models import tagger as tg
from smokewatch.text.models.encoding import Alphabet, Batch
from smokewatch.text.models.features import spec_hash
from smokewatch.text.models.news import RERANK_REASON, NewsEventModel, fold, fold_table
from smokewatch.text.models.ranking import best_lists, choose_subjects
from smokewatch.text.models.subjects import stock_codes

_SENTENCE = "据警方通报，“聚财猫”平台涉嫌非法吸收公众存款，已被立案侦查，投资人众多"
_BLANK = tg.Tagger(np.zeros((1 << tg.BITS, 3), dtype=np.float32), np.zeros(3))
"""A tagger that knows nothing (every gap: log P = log 0.5)."""


@pytest.fixture
def trained(news_model: TrainReport) -> TrainReport:
    return news_model


def _model(report: TrainReport) -> NewsEventModel:
    model = load_text_model(report.folder)
    assert isinstance(model, NewsEventModel)
    return model


def _gate(texts: list[str]) -> list[bool]:
    folded = [fold(t) for t in texts]
    batch = Alphabet.fit(folded, min_df=1).encode(folded)
    return [bool(g) for g in rr.gated(batch, stock_codes(batch.joined))]


def test_the_gate_takes_sentences_without_a_stock_code_that_have_a_comma_or_a_full_stop() -> None:
    texts = [
        "据警方通报，钱妈妈平台涉嫌非法吸收公众存款",  # a news sentence (full-width comma)
        "钱妈妈平台涉嫌非法吸收公众存款。",  # full stop
        "钱妈妈平台涉嫌非法吸收公众存款,已立案",  # ASCII comma
        "吉峰农机(300022)亏损额大幅偏离预测值，内幕交易疑云再现",  # glued headline: a code
        "钱妈妈平台涉嫌非法吸收公众存款 投资人报警",  # a headline without a code nor a comma
    ]
    assert _gate(texts) == [True, True, True, False, False]


def _lists() -> tuple[Batch, rr.Lists]:
    text = "虽然后来上海市公安局称,钱妈妈和金银猫平台涉嫌非法吸收公众存款"
    batch = Alphabet.fit([text], min_df=1).encode([text])
    spans = [(0, 4), (4, 10), (12, 15), (16, 19)]  # 虽然后来, 上海市公安局, 钱妈妈, 金银猫
    assert [text[s:e] for s, e in spans] == ["虽然后来", "上海市公安局", "钱妈妈", "金银猫"]
    n = len(spans)
    lists = rr.Lists(
        doc=np.zeros(n, dtype=np.int64),
        rank=np.arange(n),
        start=np.asarray([s for s, _ in spans]),
        end=np.asarray([e for _, e in spans]),
        second=np.asarray([3.0, 2.0, 1.5, 0.5]),
        first=np.ones(n),
        sources=np.asarray([0, 4, 0, 0]),
        row=np.arange(n),
    )
    return batch, lists


def test_the_features_name_what_they_read() -> None:
    batch, lists = _lists()
    x = rr.features(batch, lists, _BLANK)
    col = {name: k for k, name in enumerate(rr.FEATURES)}
    assert x.shape == (4, len(rr.FEATURES)) <= (4, 80)
    assert x[:, col["gap to the rankers' best"]].tolist() == [0.0, 1.0, 1.5, 2.5]
    assert x[1, col["institution ending"]] == 1 and x[2, col["institution ending"]] == 0
    assert x[2, col["list mark after"]] == 1 and x[3, col["list mark before"]] == 1
    assert x[0, col["first word class: function"]] == 1  # 虽然: a conjunction
    assert x[0, col["position (log)"]] == 0.0 and x[3, col["mention order 4"]] == 1
    assert x[2, col["length 3"]] == 1 and x[1, col["source: suffix"]] == 1
    assert x[0, col["tagger: start log-prob"]] == pytest.approx(np.log(0.5))
    assert x[:, col["tagger: rank 1"]].tolist() == [1, 0, 0, 0]  # all tie: list order


def test_the_tagger_columns_are_named_and_follow_the_round_9_ones() -> None:
    assert rr.FEATURES[: len(rr.BASE_FEATURES)] == rr.BASE_FEATURES
    tagged = rr.FEATURES[len(rr.BASE_FEATURES) :]
    assert len(tagged) == 9 and all(name.startswith("tagger: ") for name in tagged)
    assert rr.SPEC["version"] == 2 and rr.SPEC["tagger"] == tg.SPEC


def test_the_reranker_is_deterministic_and_explains_a_changed_pick() -> None:
    batch, lists = _lists()
    weights = np.zeros(len(rr.FEATURES))
    weights[rr.FEATURES.index("institution ending")] = -5.0
    weights[rr.FEATURES.index("first word class: function")] = -5.0
    reranker = rr.Reranker(weights, 0.0, _BLANK)
    won, why = reranker.choose(batch, lists)
    again, why_again = reranker.choose(batch, lists)
    assert won.tolist() == again.tolist() == [2]  # 钱妈妈, not the clause opener nor the police
    assert why == why_again
    assert [name for name, _ in why[0]] == ["first word class: function"]
    weights[:] = 0.0
    weights[0] = 1.0  # the second-stage score alone keeps the rankers' winner, no reasons
    kept, no_reasons = rr.Reranker(weights, 0.0, _BLANK).choose(batch, lists)
    assert kept.tolist() == [0] and no_reasons == [[]]


def test_fitting_twice_gives_the_same_weights() -> None:
    batch, lists = _lists()
    x = np.vstack([rr.features(batch, lists, _BLANK)] * 5)
    gold = np.tile([False, False, True, False], 5)
    a, b = rr.fit_reranker(x, gold, _BLANK), rr.fit_reranker(x, gold, _BLANK)
    assert np.array_equal(a.weights, b.weights) and a.bias == b.bias
    assert np.argmax(a.scores(x[:4])) == 2


def test_a_reranker_needs_one_weight_per_named_feature() -> None:
    with pytest.raises(ValueError, match="weights"):
        rr.Reranker(np.zeros(3), 0.0, _BLANK)


def test_the_artefact_stores_the_reranker_as_a_named_table(trained: TrainReport) -> None:
    model = _model(trained)
    assert model.rankers.reranker is not None
    with np.load(trained.folder / "arrays.npz") as arrays:
        assert np.array_equal(model.rankers.reranker.weights, arrays["rerank_weights"])
    names = json.loads((trained.folder / "rerank_features.json").read_text(encoding="utf-8"))
    assert names == list(rr.FEATURES)
    again = _model(trained).rankers.reranker
    assert again is not None and np.array_equal(again.weights, model.rankers.reranker.weights)
    with np.load(trained.folder / "arrays.npz", allow_pickle=False) as arrays:
        stored = arrays["tagger_weights"]
        assert stored.dtype == np.float32 and stored.shape == (1 << tg.BITS, 3)
        assert np.array_equal(model.rankers.reranker.tagger.weights, stored)
        assert np.array_equal(model.rankers.reranker.tagger.bias, arrays["tagger_bias"])
    assert np.abs(stored).sum() > 0  # the tagger was fitted
    figures = trained.metrics["subject_reranker"]
    assert figures["texts"] > 0 and 0.0 <= figures["reranked"] <= 1.0
    manifest = json.loads((trained.folder / "manifest.json").read_text(encoding="utf-8"))
    assert any(name.startswith("rerank:") for name in manifest["features"]["names"])


def _copy(report: TrainReport, tmp_path: Path) -> Path:
    folder = tmp_path / "copy"
    shutil.copytree(report.folder, folder)
    return folder


def _with_feature_names(
    trained: TrainReport, tmp_path: Path, edit: Callable[[list[str]], list[str]]
) -> Path:
    """A copy of the trained artefact whose manifest lists ``edit(feature names)``."""
    folder = _copy(trained, tmp_path)
    path = folder / "manifest.json"
    manifest = json.loads(path.read_text(encoding="utf-8"))
    manifest["features"]["names"] = edit(manifest["features"]["names"])
    path.write_text(json.dumps(manifest, ensure_ascii=False), encoding="utf-8")
    return folder


def test_an_artefact_from_before_the_reranker_is_refused(
    trained: TrainReport, tmp_path: Path
) -> None:
    folder = _with_feature_names(
        trained,
        tmp_path,
        lambda names: [
            "spec:0000000000000000" if n.startswith("spec:") else n
            for n in names
            if not n.startswith("rerank:")
        ],
    )
    with pytest.raises(ConfigError):
        load_text_model(folder)


def test_an_artefact_from_before_the_tagger_is_refused(
    trained: TrainReport, tmp_path: Path
) -> None:
    version_1 = {k: v for k, v in rr.SPEC.items() if k != "tagger"} | {
        "version": 1,
        "features": len(rr.BASE_FEATURES),
    }
    old_spec = news.SPEC | {"ranker": news.SPEC["ranker"] | {"rerank": version_1}}
    old = f"spec:{spec_hash(old_spec)}"
    assert old != news.FEATURE_NAMES[-1]  # the reranker's spec moves the pinned hash
    folder = _with_feature_names(
        trained, tmp_path, lambda names: [old if n.startswith("spec:") else n for n in names]
    )
    with pytest.raises(ConfigError):
        load_text_model(folder)


def test_the_subject_explanation_shows_the_reranker_when_it_moved_the_pick(
    trained: TrainReport,
) -> None:
    model = _model(trained)
    batch = model.alphabet.encode_folded([_SENTENCE], fold_table())
    hits = model.triggers.find_all(batch.joined)
    lists = best_lists(batch, model.rankers, hits).lists(np.ones(1, dtype=bool))
    assert len(lists.doc) >= 2
    weights = np.zeros(len(rr.FEATURES))
    weights[rr.FEATURES.index("rank 2")] = 50.0  # force the rankers' runner-up
    assert model.rankers.reranker is not None
    forced = dataclasses.replace(model.rankers.reranker, weights=weights, bias=0.0)
    model.rankers = dataclasses.replace(model.rankers, reranker=forced)
    chosen = choose_subjects(batch, model.rankers, hits)
    assert chosen.reranked is not None and chosen.reranked.tolist() == [True]
    (prediction,) = model.predict([_SENTENCE])
    moved = [r for r in prediction.reasons if r.feature.startswith(RERANK_REASON)]
    assert [r.feature for r in moved] == [RERANK_REASON + "rank 2"]
    assert moved[0].weight == 50.0
    assert prediction.subject is not None and prediction.subject in _SENTENCE


def test_the_lists_carry_the_rich_rankers_word_classes_and_the_features_reuse_them(
    trained: TrainReport,
) -> None:
    model = _model(trained)
    texts = [_SENTENCE, "虽然后来上海市公安局称,钱妈妈和金银猫平台涉嫌非法吸收公众存款"]
    batch = model.alphabet.encode_folded(texts, fold_table())
    hits = model.triggers.find_all(batch.joined)
    lists = best_lists(batch, model.rankers, hits).lists(np.ones(len(texts), dtype=bool))
    assert lists.classes is not None and len(lists.doc) >= 4
    fresh = wordclass.word_class_numbers(batch, lists.start, lists.end)
    assert all(np.array_equal(a, b) for a, b in zip(lists.classes, fresh, strict=True))
    recomputed = rr.base_features(batch, dataclasses.replace(lists, classes=None))
    assert np.array_equal(rr.base_features(batch, lists), recomputed)
