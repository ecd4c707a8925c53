"""Word classes of subject candidates: is the span a dictionary word, and of which class?"""

from __future__ import annotations

import jieba.posseg
import numpy as np

from smokewatch.text.models import wordclass
from smokewatch.text.models.describe import Describer
from smokewatch.text.models.encoding import Alphabet, key_of, kind_of, payload_of
from smokewatch.text.models.features import Triggers, load_triggers


def _classes(span: str) -> tuple[str | None, str | None, str | None]:
    def name(number: int) -> str | None:
        return wordclass.TAGS[number - 1] if number else None

    whole, head, tail = wordclass.word_classes(span)
    return name(whole), name(head), name(tail)


def test_a_verb_or_a_preposition_is_a_dictionary_word_of_its_class() -> None:
    assert _classes("没有")[0] == "v"
    assert _classes("依照")[0] == "p"


def test_a_place_is_a_place_and_a_police_bureau_an_organisation() -> None:
    assert _classes("广州")[0] == "ns"
    assert _classes("上海市公安局") == ("nt", "ns", "nt")


def test_a_clause_opener_in_front_of_a_span_shows_as_its_first_word() -> None:
    whole, head, _ = _classes("虽然后来")
    assert whole is None
    assert head == "c"  # 虽然, a conjunction


def test_an_unknown_trade_name_is_no_dictionary_word() -> None:
    whole, head, _ = _classes("钱妈妈")
    assert (whole, head) == (None, None)


def test_every_span_gets_one_key_of_each_kind() -> None:
    texts = ["虽然后来美微传媒被迫叫停", "广州P2P平台新联在线"]
    batch = Alphabet("").encode(texts)
    start = np.asarray([0, 4, int(batch.starts[1])])
    end = start + np.asarray([4, 4, 2])
    rows, keys = wordclass.word_class_keys(batch, start, end)
    kinds = sorted((int(r), kind_of(int(k))) for r, k in zip(rows, keys, strict=True))
    expected = [wordclass.K_WHOLE, wordclass.K_HEAD, wordclass.K_TAIL, wordclass.K_HEAD_TAIL]
    assert kinds == [(r, k) for r in range(3) for k in expected]
    whole_of_guangzhou = [
        payload_of(int(k))
        for r, k in zip(rows, keys, strict=True)
        if r == 2 and kind_of(int(k)) == wordclass.K_WHOLE
    ]
    assert whole_of_guangzhou == [wordclass.TAGS.index("ns") + 1]


def test_the_explanations_name_the_word_classes() -> None:
    describe = Describer(Alphabet(""), Triggers(load_triggers()))
    verb = wordclass.TAGS.index("v") + 1
    conjunction, noun = wordclass.TAGS.index("c") + 1, wordclass.TAGS.index("n") + 1
    assert describe(int(key_of(wordclass.K_WHOLE, verb))) == "subject as a dictionary word: v"
    assert describe(int(key_of(wordclass.K_HEAD_TAIL, (conjunction << 8) | noun))) == (
        "subject's first/last dictionary words: c/n"
    )


_SENTENCES = [
    "虽然后来美微传媒被迫叫停，但上海市公安局依照法律立案侦查",
    "广州P2P平台新联在线涉嫌非法吸收公众存款，投资人没有拿到本金",
    "该平台承诺年化收益率12%，多名投资者报警后公司负责人失联跑路",
]


def test_the_batch_look_ups_agree_with_the_dictionary_on_every_short_span() -> None:
    batch = Alphabet("").encode(_SENTENCES)
    spans = [
        (int(batch.starts[d]) + s, int(batch.starts[d]) + s + size)
        for d, text in enumerate(_SENTENCES)
        for size in range(2, 7)
        for s in range(len(text) - size + 1)
    ]
    start, end = (np.asarray(column) for column in zip(*spans, strict=True))
    strings = [batch.joined[s:e] for s, e in spans]
    expected = [wordclass.word_classes(span) for span in strings]
    whole, head, tail = wordclass.word_class_numbers(batch, start, end)
    assert list(zip(whole.tolist(), head.tolist(), tail.tolist(), strict=True)) == expected
    words = wordclass.dictionary_classes(batch, start, end)
    assert words.tolist() == [w for w, _, _ in expected]
    assert sum(w > 0 for w, _, _ in expected) > 20  # the sentences do contain words


def test_the_table_is_jiebas_part_of_speech_table_in_its_order() -> None:
    assert list(wordclass._table().items()) == list(jieba.posseg.dt.word_tag_tab.items())
