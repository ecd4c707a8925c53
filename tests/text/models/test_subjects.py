"""Subject candidates: spans that look like names, always substrings of the text."""

from __future__ import annotations

import numpy as np

from smokewatch.text.models import subjects
from smokewatch.text.models.encoding import Alphabet, key_of, kind_of, payload_of
from smokewatch.text.models.gazetteer import Gazetteer
from smokewatch.text.models.news import fold
from smokewatch.text.models.subjects import batch_candidates, candidate_keys, candidates

_EMPTY = Gazetteer([])


def _spans(text: str, gazetteer: Gazetteer = _EMPTY) -> set[str]:
    return {c.text for c in candidates(fold(text), gazetteer)}


def test_a_quoted_platform_is_a_candidate() -> None:
    assert "钱妈妈" in _spans("警方通报，“钱妈妈”涉嫌非法吸收公众存款")


def test_a_stock_name_before_its_code_is_a_candidate() -> None:
    spans = _spans("减持2067.8万股*ST大地(002200)欺诈发行")
    assert "*ST大地" in spans


def test_a_company_name_ending_in_a_form_is_a_candidate() -> None:
    spans = _spans("公安机关对上海裕乾金融信息服务有限公司涉嫌非法吸收公众存款罪立案侦查")
    assert "上海裕乾金融信息服务有限公司" in spans


def test_gazetteer_names_are_found_anywhere() -> None:
    text = "据报道" + "，" * 500 + "爱钱帮出现逾期"
    assert "爱钱帮" not in _spans(text)
    assert "爱钱帮" in _spans(text, Gazetteer(["爱钱帮"]))


def test_every_candidate_is_a_substring_at_its_position() -> None:
    text = fold("ｅ租宝、“钱宝网”及善林（上海）金融信息服务有限公司相继爆雷")
    for c in candidates(text, _EMPTY):
        assert text[c.start : c.end] == c.text
        assert 2 <= len(c.text) <= 30


def test_candidates_of_a_batch_are_those_of_each_text() -> None:
    texts = [fold("“钱妈妈”涉嫌非法集资"), "", fold("华润三九(000999)股东减持")]
    batch = Alphabet("").encode(texts)
    found = batch_candidates(batch, _EMPTY)
    for i, text in enumerate(texts):
        mine = slice(found.offsets[i], found.offsets[i + 1])
        starts = found.start[mine] - batch.starts[i]
        ends = found.end[mine] - batch.starts[i]
        spans = {text[s:e] for s, e in zip(starts.tolist(), ends.tolist(), strict=True)}
        assert spans == _spans(text)


def test_a_text_s_candidates_do_not_depend_on_the_other_texts_of_its_batch() -> None:
    # "股仾" (U+4EFE) in text 0 is "股份" (U+4EFD) in text 1 with its second character moved
    # by one: a text number mixed into the span hash linearly in its base made them collide
    texts = ["股仾公司涉嫌非法集资", "股份公司涉嫌非法集资"]
    batch = Alphabet("").encode(texts)
    found = batch_candidates(batch, _EMPTY)
    for i, text in enumerate(texts):
        alone = batch_candidates(Alphabet("").encode([text]), _EMPTY)
        mine = slice(found.offsets[i], found.offsets[i + 1])
        assert (found.start[mine] - batch.starts[i]).tolist() == alone.start.tolist()
        assert found.sources[mine].tolist() == alone.sources.tolist()
        assert found.mentions[mine].tolist() == alone.mentions.tolist()


def test_features_say_how_a_candidate_was_found() -> None:
    text = fold("“钱妈妈”涉嫌非法集资")
    batch = Alphabet(text.replace(" ", "")).encode([text])
    found = batch_candidates(batch, Gazetteer(["钱妈妈"]))
    (quoted,) = [
        i
        for i, (s, e) in enumerate(zip(found.start.tolist(), found.end.tolist(), strict=True))
        if text[s:e] == "钱妈妈"
    ]
    hits = (np.array([7]), np.array([0]))  # trigger word number 0 at 非法集资
    chosen = np.array([quoted])
    _, light = candidate_keys(batch, found, hits, chosen)
    _, rich = candidate_keys(batch, found, hits, chosen, rich=True)
    (mask,) = [payload_of(k) for k in light.tolist() if kind_of(k) == subjects.KIND_SOURCES]
    assert {s for i, s in enumerate(subjects.SOURCES) if mask >> i & 1} >= {"quote", "gazetteer"}
    assert key_of(subjects.KIND_GAZETTEER, 1) in rich
    assert key_of(subjects.KIND_TRIGGER_AFTER, 0) in rich
